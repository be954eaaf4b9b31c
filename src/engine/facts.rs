//! The world facts an authorization depends on beyond privileges and stage: Do Not Call
//! lists and calling windows for a dial, read-only fields for an edit, campaign state for
//! get-record.
//!
//! They are found once, typed and without words ([`Found`]); [`Engine::facts`] words them for
//! a denial, and [`Engine::facts_present`] only says which hold, for [`crate::policy::allowed`].

use crate::engine::{Args, Engine, Target};
use crate::policy::{Action, CampaignBlock, Channel, ComplianceReason, Facts, FactsPresent, Stage};
use crate::world::{
    AgentId, Campaign, CampaignMode, Interaction, PreviewRecord, SimTime, phone_key,
};

/// Why a number may not be dialed, before it is put into words.
enum DialBlock<'a> {
    DoNotCall(&'a PreviewRecord),
    /// `local` is the contact's time now.
    OutsideWindow {
        record: &'a PreviewRecord,
        local: SimTime,
    },
}

/// The facts of one decision, found but not worded.
#[derive(Default)]
struct Found<'a> {
    dial: Option<DialBlock<'a>>,
    read_only_field: Option<&'a str>,
    campaign: Option<CampaignBlock>,
}

impl Engine {
    /// The facts the authorization of `action` on `target` depends on, given `args`.
    pub fn facts(&self, agent: AgentId, target: Target, action: Action, args: &Args) -> Facts {
        let found = self.find_facts(agent, target, action, args);
        Facts {
            dial_block: found.dial.map(|block| match block {
                DialBlock::DoNotCall(record) => ComplianceReason::DoNotCall {
                    number: record.phone.clone(),
                },
                DialBlock::OutsideWindow { record, local } => {
                    ComplianceReason::OutsideCallingWindow {
                        number: record.phone.clone(),
                        window: record.window.to_string(),
                        local_time: format!("{} {}", local.format("%H:%M"), record.time_zone.name),
                    }
                }
            }),
            read_only_field: found.read_only_field.map(str::to_string),
            campaign_block: found.campaign,
        }
    }

    /// Which of [`Engine::facts`] hold, found the same way but never put into words.
    pub fn facts_present(
        &self,
        agent: AgentId,
        target: Target,
        action: Action,
        args: &Args,
    ) -> FactsPresent {
        let found = self.find_facts(agent, target, action, args);
        FactsPresent {
            dial_block: found.dial.is_some(),
            read_only_field: found.read_only_field.is_some(),
            campaign_block: found.campaign.is_some(),
        }
    }

    fn find_facts(&self, agent: AgentId, target: Target, action: Action, args: &Args) -> Found<'_> {
        let mut found = Found::default();
        match target {
            Target::Campaign(cid) => {
                if let Some(c) = self.campaign(cid) {
                    found.campaign = self.campaign_block(agent, c);
                }
            }
            Target::Interaction(id) => {
                let Some(it) = self.interaction(id) else {
                    return found;
                };
                match action {
                    Action::Dial | Action::DialAlternative => {
                        found.dial = match (action, args) {
                            (Action::DialAlternative, Args::Record(r)) => {
                                self.dial_block(it, Some(*r))
                            }
                            // No record chosen yet: blocked only when every alternative is;
                            // then the first alternative's reason is the one given.
                            (Action::DialAlternative, _) => self.chain_of(it).and_then(|c| {
                                let mut first = None;
                                for r in (0..c.records.len()).filter(|&r| r != c.selected) {
                                    match self.dial_block(it, Some(r)) {
                                        None => return None,
                                        Some(block) => {
                                            first.get_or_insert(block);
                                        }
                                    }
                                }
                                first
                            }),
                            _ => self.dial_block(it, self.chain_of(it).map(|c| c.selected)),
                        };
                    }
                    Action::EditRecordData => {
                        if let (Some(chain), Args::Edit { field, .. }) = (self.chain_of(it), args)
                            && let Some(f) = chain.fields.iter().find(|f| &f.name == field)
                            && !f.editable
                        {
                            found.read_only_field = Some(&f.name);
                        }
                    }
                    _ => {}
                }
            }
        }
        found
    }

    fn campaign_block(&self, agent: AgentId, c: &Campaign) -> Option<CampaignBlock> {
        if c.mode != CampaignMode::Preview || !c.running {
            return Some(CampaignBlock::NoRunningPreviewCampaign);
        }
        let has_open = self.agent(agent).is_some_and(|a| {
            a.open
                .iter()
                .filter_map(|id| self.interaction(*id))
                .any(|it| it.channel == Channel::Preview && it.is_open())
        });
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

    fn dial_block<'a>(&'a self, it: &Interaction, record: Option<usize>) -> Option<DialBlock<'a>> {
        let chain = self.chain_of(it)?;
        let record = chain.records.get(record?)?;
        let campaign = self.campaign(chain.campaign)?;
        if !campaign.do_not_call.is_empty()
            && campaign.do_not_call.contains(&phone_key(&record.phone))
        {
            return Some(DialBlock::DoNotCall(record));
        }
        let local = record.time_zone.local(self.now);
        if !record.window.contains(local.time()) {
            return Some(DialBlock::OutsideWindow { record, local });
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
