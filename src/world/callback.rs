//! Web callbacks: what the customer asked for and where the request is in the service.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::world::{AgentId, Completion, CustomerBehaviour, SimTime};

/// The kinds of eServices Web Callback a customer can ask for: a call back as soon as possible,
/// or at a time the customer chose. Both are offered to the agent in preview mode; the types of
/// the later GMS callback (Immediate, Delayed...) belong to another service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CallbackType {
    Asap,
    Scheduled,
}

impl CallbackType {
    pub const ALL: [CallbackType; 2] = [CallbackType::Asap, CallbackType::Scheduled];

    pub fn label(self) -> &'static str {
        match self {
            CallbackType::Asap => "as soon as possible",
            CallbackType::Scheduled => "scheduled",
        }
    }

    /// The request in the desk's words: "as soon as possible" or "scheduled for HH:MM".
    pub fn describe(self, desired: SimTime) -> String {
        match self {
            CallbackType::Asap => self.label().to_string(),
            CallbackType::Scheduled => format!("scheduled for {}", desired.format("%H:%M")),
        }
    }
}

/// The life of a callback request in the callback service. The desk words each state the
/// eServices way (interaction queue, reschedule queue, preview); the GMS state names
/// (SCHEDULED...COMPLETED) belong to another service and are not shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum CallbackState {
    /// Waiting for its desired time (a scheduled request, or a rescheduled one in the
    /// reschedule queue).
    Scheduled,
    /// In the interaction queue, due, waiting for a Ready agent.
    Queued,
    /// Offered to an agent as an invitation.
    Routing,
    /// Accepted: in preview, in a call or after it.
    Processing,
    Completed(Completion),
}

impl CallbackState {
    pub fn label(&self) -> String {
        match self {
            CallbackState::Scheduled => "waiting for its time".into(),
            CallbackState::Queued => "in the interaction queue".into(),
            CallbackState::Routing => "offered".into(),
            CallbackState::Processing => "accepted".into(),
            CallbackState::Completed(c) => format!("closed ({})", c.label()),
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
    /// The agent a personal callback comes back to; `None` for any agent.
    pub owner: Option<AgentId>,
    #[serde(skip)]
    pub behaviour: CustomerBehaviour,
}
