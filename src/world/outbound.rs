//! Outbound campaigns: call results, simulated customers, preview records and record chains.

use std::collections::BTreeSet;
use std::fmt;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;

use crate::policy::Channel;
use crate::world::{
    AgentId, CallingWindow, CampaignId, ChainId, ChainQueue, Completion, InteractionId, PhoneType,
    SimTime, TimeZone,
};
use crate::world::{ChainFields, UnknownName};

/// Outbound call results with their vendor codes (the subset of the vendor's enumeration that agentdesk models).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CallResult {
    Answer,
    Busy,
    NoAnswer,
    AnsweringMachineDetected,
    FaxDetected,
    WrongParty,
    WrongNumber,
    Dropped,
    Silence,
    DoNotCall,
    GeneralError,
    UnknownCallResult,
}

impl CallResult {
    pub const ALL: [CallResult; 12] = [
        CallResult::Answer,
        CallResult::Busy,
        CallResult::NoAnswer,
        CallResult::AnsweringMachineDetected,
        CallResult::FaxDetected,
        CallResult::WrongParty,
        CallResult::WrongNumber,
        CallResult::Dropped,
        CallResult::Silence,
        CallResult::DoNotCall,
        CallResult::GeneralError,
        CallResult::UnknownCallResult,
    ];

    /// The vendor's numeric code, carried by exports.
    pub fn code(self) -> u16 {
        match self {
            CallResult::Answer => 33,
            CallResult::Busy => 6,
            CallResult::NoAnswer => 7,
            CallResult::AnsweringMachineDetected => 9,
            CallResult::FaxDetected => 17,
            CallResult::WrongParty => 40,
            CallResult::WrongNumber => 53,
            CallResult::Dropped => 26,
            CallResult::Silence => 32,
            CallResult::DoNotCall => 51,
            CallResult::GeneralError => 3,
            CallResult::UnknownCallResult => 28,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CallResult::Answer => "Answer",
            CallResult::Busy => "Busy",
            CallResult::NoAnswer => "No Answer",
            CallResult::AnsweringMachineDetected => "Answering Machine Detected",
            CallResult::FaxDetected => "Fax Detected",
            CallResult::WrongParty => "Wrong Party",
            CallResult::WrongNumber => "Wrong Number",
            CallResult::Dropped => "Dropped",
            CallResult::Silence => "Silence",
            CallResult::DoNotCall => "Do Not Call",
            CallResult::GeneralError => "General Error",
            CallResult::UnknownCallResult => "Unknown Call Result",
        }
    }

    /// Parses a label (any case) or a numeric vendor code.
    pub fn parse(text: &str) -> Result<CallResult, CallResultError> {
        let t = text.trim();
        if let Ok(code) = t.parse::<u16>() {
            return CallResult::ALL
                .into_iter()
                .find(|r| r.code() == code)
                .ok_or(CallResultError::NoSuchCode(code));
        }
        CallResult::ALL
            .into_iter()
            .find(|r| r.label().eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                let s = crate::input::suggest(t, CallResult::ALL.iter().map(|r| r.label()));
                CallResultError::Unknown(UnknownName::new("call result", t, s))
            })
    }
}

/// Why [`CallResult::parse`] found no call result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallResultError {
    #[error("no call result has code {0}")]
    NoSuchCode(u16),
    #[error(transparent)]
    Unknown(UnknownName),
}

impl fmt::Display for CallResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.label(), self.code())
    }
}

/// What a simulated customer does when called: probabilities of each outcome. Whatever is left
/// after these sums to 1 is an answer.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CustomerBehaviour {
    pub busy: f64,
    pub no_answer: f64,
    pub machine: f64,
    pub fax: f64,
    pub wrong_party: f64,
}

impl Default for CustomerBehaviour {
    fn default() -> Self {
        CustomerBehaviour {
            busy: 0.10,
            no_answer: 0.20,
            machine: 0.10,
            fax: 0.02,
            wrong_party: 0.05,
        }
    }
}

impl CustomerBehaviour {
    /// Picks the real outcome of one dial from a uniform draw in [0, 1).
    pub fn outcome(&self, draw: f64) -> CallResult {
        let steps = [
            (self.busy, CallResult::Busy),
            (self.no_answer, CallResult::NoAnswer),
            (self.machine, CallResult::AnsweringMachineDetected),
            (self.fax, CallResult::FaxDetected),
            (self.wrong_party, CallResult::WrongParty),
        ];
        let mut acc = 0.0;
        for (p, result) in steps {
            acc += p;
            if draw < acc {
                return result;
            }
        }
        CallResult::Answer
    }

    pub fn total_failure(&self) -> f64 {
        self.busy + self.no_answer + self.machine + self.fax + self.wrong_party
    }
}

/// Lifecycle of one record in its campaign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RecordStatus {
    Ready,
    Retrieved,
    Updated,
    Cancelled,
    Rescheduled,
    DoNotCall,
}

/// One number of a contact, as an outbound record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PreviewRecord {
    /// Kept inline (a number is shorter than 25 bytes), so building a record and dialing it
    /// allocate nothing for it.
    pub phone: CompactString,
    pub phone_type: PhoneType,
    pub time_zone: TimeZone,
    pub window: CallingWindow,
    pub attempts: u32,
    pub call_result: CallResult,
    pub status: RecordStatus,
}

impl PreviewRecord {
    /// Whether the contact may be called on this number at centre time `centre`: its local
    /// time is inside the calling window.
    pub fn callable_at(&self, centre: SimTime) -> bool {
        self.window.contains(self.time_zone.local_time(centre))
    }
}

/// How a campaign configures a contact field for its agents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum FieldAccess {
    #[default]
    ReadOnly,
    Editable,
    /// Editable, and Mark Done waits until it is filled in.
    Mandatory,
}

/// Where a record chain is, exactly one place at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ChainPlace {
    /// Waiting in its campaign's queue.
    InCampaign,
    /// Rescheduled; returns to the queue at this time.
    Scheduled(SimTime),
    /// Offered to or worked by an agent, as this interaction.
    WithAgent(InteractionId),
    /// Finished for this campaign.
    Closed(Completion),
}

/// A chain's numbers held without an allocation of their own: as many as a contact row has.
pub const INLINE_RECORDS: usize = 3;

/// One contact of an outbound campaign, with all its numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordChain {
    pub id: ChainId,
    pub campaign: CampaignId,
    /// Kept inline when short, as the get-record outcome in the audit log copies it.
    pub contact_name: CompactString,
    /// Read from the contact's row until an agent edits one.
    pub fields: ChainFields,
    /// Held in the chain itself up to [`INLINE_RECORDS`] numbers, so building a chain on
    /// first reach allocates nothing for an ordinary contact.
    pub records: SmallVec<[PreviewRecord; INLINE_RECORDS]>,
    /// Index of the record the system selected for the next call.
    pub selected: usize,
    pub place: ChainPlace,
    pub rejected_by: BTreeSet<AgentId>,
    /// The agent a personal callback comes back to; `None` for any agent of the campaign.
    pub owner: Option<AgentId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CampaignMode {
    #[serde(rename = "preview")]
    Preview,
    #[serde(rename = "push-preview")]
    PushPreview,
}

impl CampaignMode {
    pub fn channel(self) -> Channel {
        match self {
            CampaignMode::Preview => Channel::Preview,
            CampaignMode::PushPreview => Channel::PushPreview,
        }
    }
}

/// An outbound campaign: its queue of chains and what it configures for its agents.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Campaign {
    pub id: CampaignId,
    pub name: String,
    pub mode: CampaignMode,
    pub running: bool,
    pub queue: ChainQueue,
    /// The call results offered to its agents, in the order the dialog lists them.
    pub call_results: Vec<CallResult>,
    /// The result the call-result dialog proposes (`None`: the record's current result).
    pub call_result_preselected: Option<CallResult>,
    /// Whether a reschedule comes back to the same agent, to any agent, or as the agent says.
    pub treatment: Treatment,
    /// How its customers answer a call (the simulation's, not the desktop's).
    #[serde(skip)]
    pub behaviour: CustomerBehaviour,
}

impl Campaign {
    /// The result the call-result dialog proposes for a record whose result is `current`.
    pub fn preselected_result(&self, current: CallResult) -> CallResult {
        self.call_result_preselected.unwrap_or(current)
    }
}

/// Who a rescheduled record or web callback comes back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum CallbackScope {
    /// "Personal callback": to the agent who rescheduled it.
    Personal,
    /// To any agent of the campaign (or of the web callback service).
    Campaign,
}

impl CallbackScope {
    pub const ALL: [CallbackScope; 2] = [CallbackScope::Personal, CallbackScope::Campaign];

    /// The script keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackScope::Personal => "personal",
            CallbackScope::Campaign => "campaign",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CallbackScope::Personal => "personal callback",
            CallbackScope::Campaign => "campaign callback",
        }
    }
}

/// How a campaign (or the web callback service) treats reschedules: it fixes the callback's
/// scope, or lets the agent choose in the reschedule dialog.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Treatment {
    Personal,
    Campaign,
    #[default]
    AgentChooses,
}

impl Treatment {
    /// The scope a reschedule gets when the agent asked for `asked` (`None`: did not say):
    /// the fixed one, or the agent's, which is a campaign callback unless they tick Personal.
    /// `Err` carries the fixed scope when the agent asked for the other one.
    pub fn scope(self, asked: Option<CallbackScope>) -> Result<CallbackScope, CallbackScope> {
        let fixed = match self {
            Treatment::Personal => CallbackScope::Personal,
            Treatment::Campaign => CallbackScope::Campaign,
            Treatment::AgentChooses => return Ok(asked.unwrap_or(CallbackScope::Campaign)),
        };
        match asked {
            Some(a) if a != fixed => Err(fixed),
            _ => Ok(fixed),
        }
    }
}

/// What a Do Not Call entry covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum DoNotCallScope {
    /// This phone number, whoever it belongs to.
    Number,
    /// Every number of the contact, in any campaign, including numbers added later.
    Contact,
}

impl DoNotCallScope {
    pub const ALL: [DoNotCallScope; 2] = [DoNotCallScope::Number, DoNotCallScope::Contact];

    /// The script keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            DoNotCallScope::Number => "number",
            DoNotCallScope::Contact => "contact",
        }
    }
}

/// One entry of the Do Not Call list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DoNotCallEntry {
    pub scope: DoNotCallScope,
    /// The number, or the contact's name, as shown.
    pub shown: String,
    /// What it is matched by: the number's digits, or the contact's name folded.
    pub key: String,
    pub marked_at: SimTime,
    /// The campaign it was marked in (the list itself holds for every campaign).
    pub campaign: CampaignId,
}

/// The tenant's Do Not Call list: one list for every campaign, matched by number or by contact.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DoNotCallList {
    entries: Vec<DoNotCallEntry>,
}

/// How contacts are compared across campaigns: by name, ignoring case and spacing.
pub fn contact_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl DoNotCallList {
    pub fn entries(&self) -> &[DoNotCallEntry] {
        &self.entries
    }

    /// Adds an entry for `shown` (a number or a contact's name); false when it was listed.
    pub fn add(
        &mut self,
        scope: DoNotCallScope,
        shown: &str,
        marked_at: SimTime,
        campaign: CampaignId,
    ) -> bool {
        let key = match scope {
            DoNotCallScope::Number => crate::world::phone_key(shown),
            DoNotCallScope::Contact => contact_key(shown),
        };
        if self.entry(scope, &key).is_some() {
            return false;
        }
        self.entries.push(DoNotCallEntry {
            scope,
            shown: shown.to_string(),
            key,
            marked_at,
            campaign,
        });
        true
    }

    fn entry(&self, scope: DoNotCallScope, key: &str) -> Option<&DoNotCallEntry> {
        self.entries
            .iter()
            .find(|e| e.scope == scope && e.key == key)
    }

    /// The entry of `scope` matched by `shown`'s key. The key is made only when the list has
    /// entries of that scope: every dial asks, and the list is usually empty.
    fn matching(&self, scope: DoNotCallScope, shown: &str) -> Option<&DoNotCallEntry> {
        if !self.entries.iter().any(|e| e.scope == scope) {
            return None;
        }
        let key = match scope {
            DoNotCallScope::Number => crate::world::phone_key(shown),
            DoNotCallScope::Contact => contact_key(shown),
        };
        self.entry(scope, &key)
    }

    /// The entry that forbids calling `number` of `contact`: the number's own entry first,
    /// then the contact's.
    pub fn blocking(&self, number: &str, contact: &str) -> Option<&DoNotCallEntry> {
        self.matching(DoNotCallScope::Number, number)
            .or_else(|| self.matching(DoNotCallScope::Contact, contact))
    }

    /// The contact's own entry, if the whole contact is listed.
    pub fn contact_entry(&self, contact: &str) -> Option<&DoNotCallEntry> {
        self.matching(DoNotCallScope::Contact, contact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_results_parse_by_label_or_code() {
        assert_eq!(CallResult::parse("answer").unwrap(), CallResult::Answer);
        assert_eq!(CallResult::parse("51").unwrap(), CallResult::DoNotCall);
        assert!(CallResult::parse("99").is_err());
        let e = CallResult::parse("Bussy").unwrap_err();
        assert!(e.to_string().contains("did you mean \"Busy\""), "{e}");
        let mut codes: Vec<_> = CallResult::ALL.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 12);
    }

    #[test]
    fn do_not_call_matches_numbers_by_digits_and_contacts_by_name() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let mut list = DoNotCallList::default();
        assert!(list.add(DoNotCallScope::Number, "+1 206 555 0157", t, CampaignId(1)));
        assert!(!list.add(
            DoNotCallScope::Number,
            "+1 (206) 555-0157",
            t,
            CampaignId(2)
        ));
        assert!(list.add(DoNotCallScope::Contact, "Nora  Scott", t, CampaignId(1)));
        let e = list.blocking("12065550157", "Someone Else").unwrap();
        assert_eq!(e.scope, DoNotCallScope::Number);
        let e = list.blocking("+1 503 555 0000", "nora scott").unwrap();
        assert_eq!(
            (e.scope, e.shown.as_str()),
            (DoNotCallScope::Contact, "Nora  Scott")
        );
        assert!(list.blocking("+1 503 555 0000", "Nora Scotty").is_none());
        assert_eq!(list.entries().len(), 2);
    }

    #[test]
    fn treatment_fixes_the_scope_or_lets_the_agent_choose() {
        use CallbackScope::{Campaign, Personal};
        assert_eq!(Treatment::AgentChooses.scope(None), Ok(Campaign));
        assert_eq!(Treatment::AgentChooses.scope(Some(Personal)), Ok(Personal));
        assert_eq!(Treatment::Personal.scope(None), Ok(Personal));
        assert_eq!(Treatment::Personal.scope(Some(Campaign)), Err(Personal));
        assert_eq!(Treatment::Campaign.scope(Some(Campaign)), Ok(Campaign));
    }

    #[test]
    fn behaviour_outcome_covers_the_unit_interval() {
        let b = CustomerBehaviour::default();
        assert_eq!(b.outcome(0.0), CallResult::Busy);
        assert_eq!(b.outcome(0.999), CallResult::Answer);
        assert!(b.total_failure() < 1.0);
    }
}
