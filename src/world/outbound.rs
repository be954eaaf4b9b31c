//! Outbound campaigns: call results, simulated customers, preview records and record chains.

use std::collections::{BTreeSet, VecDeque};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::policy::Channel;
use crate::world::UnknownName;
use crate::world::{
    AgentId, CallingWindow, CampaignId, ChainId, Completion, InteractionId, PhoneType, SimTime,
    TimeZone,
};

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
    fn behaviour_outcome_covers_the_unit_interval() {
        let b = CustomerBehaviour::default();
        assert_eq!(b.outcome(0.0), CallResult::Busy);
        assert_eq!(b.outcome(0.999), CallResult::Answer);
        assert!(b.total_failure() < 1.0);
    }
}
