//! The world facts an authorization depends on beyond privileges and stage: Do Not Call
//! lists and calling windows for a dial, read-only fields for an edit, campaign state for
//! get-record.

use crate::engine::{Args, Engine, Target};
use crate::policy::{Action, CampaignBlock, Channel, ComplianceReason, Facts, Stage};
use crate::world::{AgentId, Campaign, CampaignMode, Interaction, phone_key};

impl Engine {
    /// The facts the authorization of `action` on `target` depends on, given `args`.
    pub fn facts(&self, agent: AgentId, target: Target, action: Action, args: &Args) -> Facts {
        let mut facts = Facts::default();
        match target {
            Target::Campaign(cid) => {
                if let Some(c) = self.campaign(cid) {
                    facts.campaign_block = self.campaign_block(agent, c);
                }
            }
            Target::Interaction(id) => {
                let Some(it) = self.interaction(id) else {
                    return facts;
                };
                match action {
                    Action::Dial | Action::DialAlternative => {
                        facts.dial_block = match (action, args) {
                            (Action::DialAlternative, Args::Record(r)) => {
                                self.dial_block(it, Some(*r))
                            }
                            // No record chosen yet: blocked only when every alternative is.
                            (Action::DialAlternative, _) => self.chain_of(it).and_then(|c| {
                                let blocks: Vec<_> = (0..c.records.len())
                                    .filter(|&r| r != c.selected)
                                    .map(|r| self.dial_block(it, Some(r)))
                                    .collect();
                                if blocks.iter().all(Option::is_some) {
                                    blocks.into_iter().flatten().next()
                                } else {
                                    None
                                }
                            }),
                            _ => self.dial_block(it, self.chain_of(it).map(|c| c.selected)),
                        };
                    }
                    Action::EditRecordData => {
                        if let (Some(chain), Args::Edit { field, .. }) = (self.chain_of(it), args)
                            && let Some(f) = chain.fields.iter().find(|f| &f.name == field)
                            && !f.editable
                        {
                            facts.read_only_field = Some(f.name.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        facts
    }

    fn campaign_block(&self, agent: AgentId, c: &Campaign) -> Option<CampaignBlock> {
        if c.mode != CampaignMode::Preview || !c.running {
            return Some(CampaignBlock::NoRunningPreviewCampaign);
        }
        let has_open = self
            .open_interactions(agent)
            .iter()
            .any(|it| it.channel == Channel::Preview && it.is_open());
        if has_open {
            return Some(CampaignBlock::RecordAlreadyOpen);
        }
        let available = c.queue.iter().any(|id| {
            self.chain(*id)
                .is_some_and(|ch| !ch.rejected_by.contains(&agent))
        });
        if !available {
            return Some(CampaignBlock::NoRecordsLeft);
        }
        None
    }

    fn dial_block(&self, it: &Interaction, record: Option<usize>) -> Option<ComplianceReason> {
        let chain = self.chain_of(it)?;
        let record = chain.records.get(record?)?;
        let campaign = self.campaign(chain.campaign)?;
        if campaign.do_not_call.contains(&phone_key(&record.phone)) {
            return Some(ComplianceReason::DoNotCall {
                number: record.phone.clone(),
            });
        }
        let local = record.time_zone.local(self.now);
        if !record.window.contains(local.time()) {
            return Some(ComplianceReason::OutsideCallingWindow {
                number: record.phone.clone(),
                window: record.window.to_string(),
                local_time: format!("{} {}", local.format("%H:%M"), record.time_zone.name),
            });
        }
        None
    }

    /// The interaction's stage, or `Campaign` for a campaign target.
    pub(super) fn stage_of(&self, target: Target) -> Option<(Channel, Stage)> {
        match target {
            Target::Campaign(c) => self
                .campaign(c)
                .map(|c| (c.mode.channel(), Stage::Campaign)),
            Target::Interaction(id) => self.interaction(id).map(|it| (it.channel, it.stage)),
        }
    }
}
