//! The interaction domain: web callbacks, preview records in record chains, campaigns, call
//! results, and the stage machine every interaction moves through.

use std::collections::{BTreeSet, VecDeque};
use std::fmt;

use chrono::{Duration, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::policy::{Action, Channel, Stage};
use crate::world::UnknownName;

/// A point in simulated time, in the contact centre's local time.
pub type SimTime = NaiveDateTime;

/// Formats a simulated time the way transcripts and the desktop show it.
pub fn fmt_time(t: SimTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

macro_rules! id_type {
    ($name:ident, $prefix:literal) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub struct $name(pub u32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id_type!(InteractionId, "#");
id_type!(ChainId, "chain-");
id_type!(CampaignId, "campaign-");
id_type!(AgentId, "agent-");

/// Outbound call results with their vendor codes (the subset SPEC §2 names).
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
                let s = crate::policy::suggest(t, CallResult::ALL.iter().map(|r| r.label()));
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

/// The kinds of web callback a customer can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CallbackType {
    Immediate,
    Delayed,
    Scheduled,
    DelayedWithAgentPreview,
}

impl CallbackType {
    pub const ALL: [CallbackType; 4] = [
        CallbackType::Immediate,
        CallbackType::Delayed,
        CallbackType::Scheduled,
        CallbackType::DelayedWithAgentPreview,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CallbackType::Immediate => "Immediate",
            CallbackType::Delayed => "Delayed",
            CallbackType::Scheduled => "Scheduled",
            CallbackType::DelayedWithAgentPreview => "Delayed with agent preview",
        }
    }
}

/// The life of a callback request in the callback service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum CallbackState {
    Scheduled,
    Queued,
    Routing,
    Processing,
    Completed(Completion),
}

impl CallbackState {
    pub fn label(&self) -> String {
        match self {
            CallbackState::Scheduled => "scheduled".into(),
            CallbackState::Queued => "queued".into(),
            CallbackState::Routing => "routing".into(),
            CallbackState::Processing => "processing".into(),
            CallbackState::Completed(c) => format!("completed ({})", c.label()),
        }
    }
}

/// How an interaction or a callback ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Completion {
    Done,
    Cancelled,
    Expired,
    Rescheduled,
    Rejected,
    Declined,
    TimedOut,
}

impl Completion {
    pub fn label(self) -> &'static str {
        match self {
            Completion::Done => "done",
            Completion::Cancelled => "cancelled",
            Completion::Expired => "expired",
            Completion::Rescheduled => "rescheduled",
            Completion::Rejected => "rejected",
            Completion::Declined => "declined",
            Completion::TimedOut => "timed out",
        }
    }
}

/// A customer's request to be called back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WebCallback {
    pub kind: CallbackType,
    pub desired: SimTime,
    pub expires: SimTime,
    pub customer: String,
    pub number: String,
    pub reason: String,
    pub notes: String,
    pub state: CallbackState,
    pub disposition: Option<String>,
    /// Agents who rejected it; routing skips them.
    pub rejected_by: BTreeSet<AgentId>,
    #[serde(skip)]
    pub behaviour: CustomerBehaviour,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PhoneType {
    Home,
    Work,
    Mobile,
    Other,
}

impl PhoneType {
    pub fn label(self) -> &'static str {
        match self {
            PhoneType::Home => "home",
            PhoneType::Work => "work",
            PhoneType::Mobile => "mobile",
            PhoneType::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PhoneType> {
        match s.trim().to_ascii_lowercase().as_str() {
            "home" => Some(PhoneType::Home),
            "work" | "business" => Some(PhoneType::Work),
            "mobile" | "cell" => Some(PhoneType::Mobile),
            "other" => Some(PhoneType::Other),
            _ => None,
        }
    }
}

/// The daily span of the contact's local time in which the contact may be called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CallingWindow {
    pub from: NaiveTime,
    pub till: NaiveTime,
}

impl CallingWindow {
    pub fn contains(&self, local: NaiveTime) -> bool {
        if self.from <= self.till {
            local >= self.from && local < self.till
        } else {
            local >= self.from || local < self.till
        }
    }
}

impl fmt::Display for CallingWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.from.format("%H:%M"),
            self.till.format("%H:%M")
        )
    }
}

/// A contact time zone as a fixed offset from the centre's time, with a display name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimeZone {
    pub name: String,
    /// Minutes to add to centre time to get the contact's local time.
    pub offset_from_centre_minutes: i32,
}

impl TimeZone {
    pub fn local(&self, centre: SimTime) -> SimTime {
        centre + Duration::minutes(i64::from(self.offset_from_centre_minutes))
    }

    pub fn to_centre(&self, local: SimTime) -> SimTime {
        local - Duration::minutes(i64::from(self.offset_from_centre_minutes))
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
    pub phone: String,
    pub phone_type: PhoneType,
    pub time_zone: TimeZone,
    pub window: CallingWindow,
    pub attempts: u32,
    pub call_result: CallResult,
    pub status: RecordStatus,
}

/// A contact field; `editable` comes from the campaign's configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContactField {
    pub name: String,
    pub value: String,
    pub editable: bool,
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

/// One contact of an outbound campaign, with all its numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecordChain {
    pub id: ChainId,
    pub campaign: CampaignId,
    pub contact_name: String,
    pub fields: Vec<ContactField>,
    pub records: Vec<PreviewRecord>,
    /// Index of the record the system selected for the next call.
    pub selected: usize,
    pub place: ChainPlace,
    pub rejected_by: BTreeSet<AgentId>,
    #[serde(skip)]
    pub behaviour: CustomerBehaviour,
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

/// An outbound campaign: its queue of chains and its Do Not Call list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Campaign {
    pub id: CampaignId,
    pub name: String,
    pub mode: CampaignMode,
    pub running: bool,
    pub queue: VecDeque<ChainId>,
    pub do_not_call: BTreeSet<String>,
}

/// The call currently or last placed for an interaction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Call {
    pub number: String,
    /// Index of the dialed record in the chain (outbound only).
    pub record: Option<usize>,
    pub started: SimTime,
    /// What really happened, decided by the simulated customer when the dial resolves.
    pub truth: Option<CallResult>,
    pub connected_at: Option<SimTime>,
    pub ended_at: Option<SimTime>,
}

/// What an interaction carries, by channel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Payload {
    WebCallback(Box<WebCallback>),
    Outbound { chain: ChainId },
}

/// One piece of work on an agent's desktop.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Interaction {
    pub id: InteractionId,
    pub channel: Channel,
    pub stage: Stage,
    pub agent: AgentId,
    pub payload: Payload,
    pub opened_at: SimTime,
    /// When an invitation (stage `offered`) withdraws itself.
    pub offer_expires: Option<SimTime>,
    pub calls: Vec<Call>,
    pub completion: Option<Completion>,
    pub closed_at: Option<SimTime>,
}

impl Interaction {
    pub fn current_call(&self) -> Option<&Call> {
        self.calls.last()
    }

    pub fn is_open(&self) -> bool {
        self.stage != Stage::Closed
    }
}

/// An impossible move of the stage machine.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} an interaction in stage {from}")]
pub struct TransitionError {
    pub from: Stage,
    pub action: Action,
}

/// The stage an interaction moves to when `action` succeeds in stage `from`. Dial outcomes
/// (answered, failed) are simulation events, not actions, and go through [`call_event`].
pub fn next_stage(from: Stage, action: Action) -> Result<Stage, TransitionError> {
    use Action as A;
    use Stage as S;
    let to = match (from, action) {
        (S::Offered, A::Accept) => S::Preview,
        (S::Offered, A::Decline) => S::Closed,
        (S::Preview | S::AfterCall, A::Dial | A::DialAlternative) => S::Dialing,
        (S::Dialing | S::Connected, A::HangUp) => S::AfterCall,
        (S::Preview, A::Reject | A::Cancel) => S::Closed,
        (S::Preview | S::Connected | S::AfterCall, A::Reschedule | A::RescheduleNewNumber) => {
            S::Closed
        }
        (
            s @ (S::Preview | S::Connected | S::AfterCall),
            A::MarkDoNotCall | A::SetCallResult | A::SetDisposition | A::EditRecordData,
        ) => s,
        (S::Preview | S::AfterCall, A::MarkDone) => S::Closed,
        (S::AfterCall, A::DoneAndGetNext) => S::Closed,
        _ => return Err(TransitionError { from, action }),
    };
    Ok(to)
}

/// Simulation events that move a call along.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallEvent {
    Answered,
    Failed,
    CustomerHungUp,
}

/// The stage after a call event, or `None` if the event does not apply in that stage (a stale
/// event for a call the agent already ended).
pub fn call_event(from: Stage, event: CallEvent) -> Option<Stage> {
    match (from, event) {
        (Stage::Dialing, CallEvent::Answered) => Some(Stage::Connected),
        (Stage::Dialing, CallEvent::Failed) => Some(Stage::AfterCall),
        (Stage::Connected, CallEvent::CustomerHungUp) => Some(Stage::AfterCall),
        _ => None,
    }
}

/// Checks a phone number: an optional leading `+`, then 7 to 15 digits, with spaces, dashes,
/// dots and parentheses allowed between them. Returns the number tidied.
pub fn validate_phone(input: &str) -> Result<String, String> {
    let t = input.trim();
    if t.is_empty() {
        return Err("phone number is empty".into());
    }
    let body = t.strip_prefix('+').unwrap_or(t);
    if let Some(bad) = body
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')')))
    {
        return Err(format!(
            "phone number \"{t}\" contains '{bad}'; use digits, spaces, dashes, dots or parentheses"
        ));
    }
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return Err(format!(
            "phone number \"{t}\" has {digits} digits; expected 7 to 15"
        ));
    }
    Ok(t.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The digits of a phone number, for comparing numbers written differently.
pub fn phone_key(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

/// Seconds since midnight, for compact display of local times.
pub fn local_clock(t: SimTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_machine_accepts_the_workflow_and_rejects_impossible_moves() {
        let mut s = Stage::Offered;
        for a in [
            Action::Accept,
            Action::Dial,
            Action::HangUp,
            Action::SetCallResult,
        ] {
            s = next_stage(s, a).unwrap();
        }
        assert_eq!(s, Stage::AfterCall);
        assert_eq!(next_stage(s, Action::MarkDone).unwrap(), Stage::Closed);
        let e = next_stage(Stage::Closed, Action::Dial).unwrap_err();
        assert_eq!(e.to_string(), "cannot dial an interaction in stage closed");
        assert!(next_stage(Stage::Dialing, Action::Reject).is_err());
        assert!(next_stage(Stage::Preview, Action::HangUp).is_err());
        assert_eq!(
            call_event(Stage::Dialing, CallEvent::Answered),
            Some(Stage::Connected)
        );
        assert_eq!(call_event(Stage::AfterCall, CallEvent::Answered), None);
    }

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
    fn phone_validation() {
        assert_eq!(
            validate_phone(" +1 (212) 555-0101 ").unwrap(),
            "+1 (212) 555-0101"
        );
        assert!(validate_phone("555-01x1").unwrap_err().contains("'x'"));
        assert!(validate_phone("12345").unwrap_err().contains("5 digits"));
        assert!(validate_phone("").is_err());
        assert_eq!(phone_key("+1 212-555"), "1212555");
    }

    #[test]
    fn calling_window_handles_overnight_spans() {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        let day = CallingWindow {
            from: t(8),
            till: t(21),
        };
        assert!(day.contains(t(8)) && !day.contains(t(21)) && !day.contains(t(3)));
        let night = CallingWindow {
            from: t(22),
            till: t(2),
        };
        assert!(night.contains(t(23)) && night.contains(t(1)) && !night.contains(t(12)));
    }

    #[test]
    fn behaviour_outcome_covers_the_unit_interval() {
        let b = CustomerBehaviour::default();
        assert_eq!(b.outcome(0.0), CallResult::Busy);
        assert_eq!(b.outcome(0.999), CallResult::Answer);
        assert!(b.total_failure() < 1.0);
    }
}
