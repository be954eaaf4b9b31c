//! The world facts an authorization depends on beyond privileges and stage: the roles file's
//! product version, the Do Not Call list and calling windows for a dial, read-only fields for
//! an edit, mandatory items for Mark Done, campaign state for get-record.

use crate::engine::{Args, Engine, Target};
use crate::policy::{
    Action, CampaignBlock, Channel, ComplianceReason, Facts, MandatoryItem, Stage,
};
use crate::world::{
    AgentId, Campaign, CampaignMode, ChainId, DoNotCallEntry, DoNotCallScope, Interaction, Payload,
    PreviewRecord, SimTime,
};

impl Engine {
    /// The facts the authorization of `action` on `target` depends on, given `args`.
    pub fn facts(&self, agent: AgentId, target: Target, action: Action, args: &Args) -> Facts {
        let mut facts = Facts {
            version: self.roles.product_version(),
            ..Facts::default()
        };
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
                    Action::DialAlternative if self.no_other_number(it).is_some() => {
                        facts.dial_block = self.no_other_number(it);
                    }
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
                    Action::DialNewNumber => facts.dial_block = self.new_number_block(it, args),
                    Action::EditRecordData => {
                        if let (Some(chain), Args::Edit { field, .. }) = (self.chain_of(it), args)
                            && let Some(f) = chain.fields.iter().find(|f| &f.name == field)
                            && !f.editable()
                        {
                            facts.read_only_field = Some(f.name.clone());
                        }
                    }
                    Action::MarkDone | Action::DoneAndGetNext => {
                        facts.mandatory_missing = self.mandatory_missing(it);
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
        let available = c.queue.iter().any(|id| self.chain_available_to(*id, agent));
        if !available {
            return Some(CampaignBlock::NoRecordsLeft);
        }
        None
    }

    /// Whether `agent` may take the queued chain: a personal callback is its owner's alone;
    /// any other chain is anyone's who has not rejected it.
    pub fn chain_available_to(&self, chain: ChainId, agent: AgentId) -> bool {
        self.chain(chain).is_some_and(|c| match c.owner {
            Some(owner) => owner == agent,
            None => !c.rejected_by.contains(&agent),
        })
    }

    /// What Mark Done waits for: a mandatory disposition not set, mandatory fields empty.
    fn mandatory_missing(&self, it: &Interaction) -> Vec<MandatoryItem> {
        match &it.payload {
            Payload::WebCallback(cb) => {
                if self.scenario.disposition_mandatory && cb.disposition.is_none() {
                    vec![MandatoryItem::Disposition]
                } else {
                    Vec::new()
                }
            }
            Payload::Outbound { .. } => self
                .chain_of(it)
                .map(|c| {
                    c.fields
                        .iter()
                        .filter(|f| f.missing())
                        .map(|f| MandatoryItem::Field(f.name.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// Why the contact may not be dialled on a new number now: the whole contact (or, once
    /// typed, the number) is on the Do Not Call list, or the contact's calling window is shut.
    fn new_number_block(&self, it: &Interaction, args: &Args) -> Option<ComplianceReason> {
        let chain = self.chain_of(it)?;
        let template = chain.records.get(chain.selected)?;
        let number = match args {
            Args::Number(n) => n.as_str(),
            _ => "",
        };
        let blocking = match number {
            "" => self.do_not_call.contact_entry(&chain.contact_name),
            n => self.do_not_call.blocking(n, &chain.contact_name),
        };
        if let Some(entry) = blocking {
            let number = if number.is_empty() {
                "a new number"
            } else {
                number
            };
            return Some(do_not_call_reason(entry, number, &chain.contact_name));
        }
        window_block(template, self.now, number)
    }

    /// Dial Alternative on a chain whose only number is the selected one: a compliance denial
    /// that says so, whatever record the command names.
    fn no_other_number(&self, it: &Interaction) -> Option<ComplianceReason> {
        let chain = self.chain_of(it)?;
        if chain.records.len() > 1 {
            return None;
        }
        Some(ComplianceReason::NoOtherNumber {
            number: chain
                .records
                .get(chain.selected)
                .map_or_else(String::new, |r| r.phone.clone()),
            contact: chain.contact_name.clone(),
        })
    }

    fn dial_block(&self, it: &Interaction, record: Option<usize>) -> Option<ComplianceReason> {
        let chain = self.chain_of(it)?;
        let record = chain.records.get(record?)?;
        if let Some(entry) = self
            .do_not_call
            .blocking(&record.phone, &chain.contact_name)
        {
            return Some(do_not_call_reason(
                entry,
                &record.phone,
                &chain.contact_name,
            ));
        }
        window_block(record, self.now, &record.phone)
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

/// The compliance reason of a Do Not Call entry that blocks `number` of `contact`.
fn do_not_call_reason(entry: &DoNotCallEntry, number: &str, contact: &str) -> ComplianceReason {
    match entry.scope {
        DoNotCallScope::Number => ComplianceReason::DoNotCall {
            number: number.to_string(),
        },
        DoNotCallScope::Contact => ComplianceReason::DoNotCallContact {
            number: number.to_string(),
            contact: contact.to_string(),
        },
    }
}

/// Why `record`'s contact may not be called at `now`: outside its calling window.
fn window_block(record: &PreviewRecord, now: SimTime, number: &str) -> Option<ComplianceReason> {
    let local = record.time_zone.local(now);
    if record.window.contains(local.time()) {
        return None;
    }
    Some(ComplianceReason::OutsideCallingWindow {
        number: if number.is_empty() {
            "a new number".to_string()
        } else {
            number.to_string()
        },
        window: record.window.to_string(),
        local_time: format!("{} {}", local.format("%H:%M"), record.time_zone.name),
    })
}
