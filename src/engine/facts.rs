//! The world facts an authorization depends on beyond privileges and stage: the roles file's
//! product version, the Do Not Call list and calling windows for a dial, read-only fields for
//! an edit, mandatory items for Mark Done, campaign state for get-record.
//!
//! They are found once, typed and without words ([`Found`]); [`Engine::facts`] words them for
//! a denial, and [`Engine::facts_present`] only says which hold, for [`crate::policy::allowed`].

use crate::engine::{Args, Engine, Target};
use crate::policy::{
    Action, CampaignBlock, Channel, ComplianceReason, Facts, FactsPresent, MandatoryItem, Stage,
};
use crate::world::{
    AgentId, Campaign, CampaignMode, ChainFields, ChainId, DoNotCallEntry, DoNotCallScope,
    Interaction, Payload, PreviewRecord, SimTime,
};

/// Why a number may not be dialed, before it is put into words. `number` is the number as
/// shown (or "a new number" before one is typed).
enum DialBlock<'a> {
    DoNotCall {
        entry: &'a DoNotCallEntry,
        number: &'a str,
        contact: &'a str,
    },
    /// Dial Alternative with no number besides the selected one.
    NoOtherNumber { number: &'a str, contact: &'a str },
    /// `local` is the contact's time now.
    OutsideWindow {
        record: &'a PreviewRecord,
        local: SimTime,
        number: &'a str,
    },
}

impl DialBlock<'_> {
    fn reason(&self) -> ComplianceReason {
        match *self {
            DialBlock::DoNotCall {
                entry,
                number,
                contact,
            } => match entry.scope {
                DoNotCallScope::Number => ComplianceReason::DoNotCall {
                    number: number.to_string(),
                },
                DoNotCallScope::Contact => ComplianceReason::DoNotCallContact {
                    number: number.to_string(),
                    contact: contact.to_string(),
                },
            },
            DialBlock::NoOtherNumber { number, contact } => ComplianceReason::NoOtherNumber {
                number: number.to_string(),
                contact: contact.to_string(),
            },
            DialBlock::OutsideWindow {
                record,
                local,
                number,
            } => ComplianceReason::OutsideCallingWindow {
                number: number.to_string(),
                window: record.window.to_string(),
                local_time: format!("{} {}", local.format("%H:%M"), record.time_zone.name),
            },
        }
    }
}

/// The facts of one decision, found but not worded.
#[derive(Default)]
struct Found<'a> {
    dial: Option<DialBlock<'a>>,
    read_only_field: Option<&'a str>,
    campaign: Option<CampaignBlock>,
    /// Something mandatory is missing; listed item by item only for a denial's words.
    mandatory: Option<Mandatory<'a>>,
}

/// What Mark Done waits for, found but not listed: the yes-or-no only needs to know there is
/// something, and every step after a call asks it.
enum Mandatory<'a> {
    Disposition,
    Fields(&'a ChainFields),
}

impl Mandatory<'_> {
    fn items(&self) -> Vec<MandatoryItem> {
        match self {
            Mandatory::Disposition => vec![MandatoryItem::Disposition],
            Mandatory::Fields(fields) => fields
                .missing()
                .map(|f| MandatoryItem::Field(f.name.to_string()))
                .collect(),
        }
    }
}

impl Engine {
    /// The facts the authorization of `action` on `target` depends on, given `args`.
    pub fn facts(&self, agent: AgentId, target: Target, action: Action, args: &Args) -> Facts {
        let found = self.find_facts(agent, target, action, args);
        Facts {
            version: self.roles.product_version(),
            dial_block: found.dial.as_ref().map(DialBlock::reason),
            read_only_field: found.read_only_field.map(str::to_string),
            campaign_block: found.campaign,
            mandatory_missing: found
                .mandatory
                .as_ref()
                .map(Mandatory::items)
                .unwrap_or_default(),
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
            version: self.roles.product_version(),
            dial_block: found.dial.is_some(),
            read_only_field: found.read_only_field.is_some(),
            campaign_block: found.campaign.is_some(),
            mandatory_missing: found.mandatory.is_some(),
        }
    }

    fn find_facts<'a>(
        &'a self,
        agent: AgentId,
        target: Target,
        action: Action,
        args: &'a Args,
    ) -> Found<'a> {
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
                    Action::DialAlternative if self.no_other_number(it).is_some() => {
                        found.dial = self.no_other_number(it);
                    }
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
                    Action::DialNewNumber => found.dial = self.new_number_block(it, args),
                    Action::EditRecordData => {
                        if let (Some(chain), Args::Edit { field, .. }) = (self.chain_of(it), args)
                            && let Some(f) = chain.fields.get(field)
                            && !f.editable()
                        {
                            found.read_only_field = Some(f.name);
                        }
                    }
                    Action::MarkDone | Action::DoneAndGetNext => {
                        found.mandatory = self.mandatory(it);
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
        let available = c.queue.iter().any(|id| self.chain_available_to(id, agent));
        if !available {
            return Some(CampaignBlock::NoRecordsLeft);
        }
        None
    }

    /// Whether `agent` may take the queued chain: a personal callback is its owner's alone;
    /// any other chain is anyone's who has not rejected it.
    pub fn chain_available_to(&self, chain: ChainId, agent: AgentId) -> bool {
        self.chains.available_to(chain, agent)
    }

    /// What Mark Done waits for: a mandatory disposition not set, mandatory fields empty.
    fn mandatory<'a>(&'a self, it: &'a Interaction) -> Option<Mandatory<'a>> {
        match &it.payload {
            Payload::WebCallback(cb) => (self.scenario.disposition_mandatory
                && cb.disposition.is_none())
            .then_some(Mandatory::Disposition),
            Payload::Outbound { .. } => self
                .chain_of(it)
                .filter(|c| c.fields.missing().next().is_some())
                .map(|c| Mandatory::Fields(&c.fields)),
        }
    }

    /// Why the contact may not be dialled on a new number now: the whole contact (or, once
    /// typed, the number) is on the Do Not Call list, or the contact's calling window is shut.
    fn new_number_block<'a>(&'a self, it: &Interaction, args: &'a Args) -> Option<DialBlock<'a>> {
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
        let shown = if number.is_empty() {
            "a new number"
        } else {
            number
        };
        if let Some(entry) = blocking {
            return Some(DialBlock::DoNotCall {
                entry,
                number: shown,
                contact: &chain.contact_name,
            });
        }
        window_block(template, self.now, shown)
    }

    /// Dial Alternative on a chain whose only number is the selected one: a compliance denial
    /// that says so, whatever record the command names.
    fn no_other_number<'a>(&'a self, it: &Interaction) -> Option<DialBlock<'a>> {
        let chain = self.chain_of(it)?;
        if chain.records.len() > 1 {
            return None;
        }
        Some(DialBlock::NoOtherNumber {
            number: chain.records.get(chain.selected).map_or("", |r| &*r.phone),
            contact: &chain.contact_name,
        })
    }

    fn dial_block<'a>(&'a self, it: &Interaction, record: Option<usize>) -> Option<DialBlock<'a>> {
        let chain = self.chain_of(it)?;
        let record = chain.records.get(record?)?;
        if let Some(entry) = self
            .do_not_call
            .blocking(&record.phone, &chain.contact_name)
        {
            return Some(DialBlock::DoNotCall {
                entry,
                number: &record.phone,
                contact: &chain.contact_name,
            });
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

/// Why `record`'s contact may not be called at `now`: outside its calling window.
fn window_block<'a>(
    record: &'a PreviewRecord,
    now: SimTime,
    number: &'a str,
) -> Option<DialBlock<'a>> {
    if record.callable_at(now) {
        return None;
    }
    Some(DialBlock::OutsideWindow {
        record,
        local: record.time_zone.local(now),
        number,
    })
}
