//! One piece of work on an agent's desktop, and the stage machine every interaction moves
//! through.

use compact_str::CompactString;
use smallvec::SmallVec;

use serde::Serialize;

use crate::policy::{Action, Cell, Channel, Stage, cell};
use crate::world::{
    AgentId, CallResult, CallbackScope, ChainId, InteractionId, SimTime, WebCallback,
};

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
    /// Taken back from the agent, whose roles no longer take work of its channel.
    Withdrawn,
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
            Completion::Withdrawn => "withdrawn",
        }
    }
}

/// The call currently or last placed for an interaction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Call {
    /// Inline like the record's number, so dialing allocates nothing for it.
    pub number: CompactString,
    /// Index of the dialed record in the chain (outbound only).
    pub record: Option<usize>,
    pub started: SimTime,
    /// What really happened, decided by the simulated customer when the dial resolves.
    pub truth: Option<CallResult>,
    pub connected_at: Option<SimTime>,
    pub ended_at: Option<SimTime>,
    /// The customer's decision, drawn when the call is dialed and kept from every view until
    /// the dial resolves (then it is `truth`).
    #[serde(skip)]
    pending: Option<CallResult>,
}

impl Call {
    /// A call placed at `started` to `number` (record `record` of the chain), whose customer
    /// has already decided `outcome`; nobody sees it before the dial resolves.
    pub fn dialed(
        number: CompactString,
        record: Option<usize>,
        started: SimTime,
        outcome: CallResult,
    ) -> Call {
        Call {
            number,
            record,
            started,
            truth: None,
            connected_at: None,
            ended_at: None,
            pending: Some(outcome),
        }
    }

    /// The customer's decision, once: the dial resolving takes it.
    pub(crate) fn take_pending(&mut self) -> Option<CallResult> {
        self.pending.take()
    }
}

/// A reschedule made during or after the call: recorded and shown on the interaction, it
/// takes effect when the agent marks the interaction done. A second one replaces it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Rescheduled {
    pub at: SimTime,
    /// The new number of a reschedule on a new number (tidied by the phone check).
    pub new_number: Option<String>,
    pub scope: CallbackScope,
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
    /// Nearly every interaction places one call at most: it is held inline.
    pub calls: SmallVec<[Call; 1]>,
    /// The reschedule waiting for Mark Done, if the agent made one during or after the call.
    /// Boxed: few interactions have one, and inline it would make every interaction 32 bytes
    /// larger.
    pub reschedule: Option<Box<Rescheduled>>,
    pub completion: Option<Completion>,
    pub closed_at: Option<SimTime>,
    /// The privileges its agent held when it closed: what a practice result is judged by,
    /// so a later role change never rewrites a penalty or a credit (docs/activities.md). Not part of
    /// the serialized world (the audit log already names the roles of every attempt).
    #[serde(skip)]
    pub granted_at_close: Option<crate::policy::PrivilegeSet>,
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

/// The stage an interaction moves to when `action` succeeds in stage `from`: where the action
/// table says it leads (`policy/action.rs`), from a stage where the gating table has a cell for
/// it on some channel (the table is finer: per channel, and authorization checks that). Dial
/// outcomes (answered, failed) are simulation events, not actions, and go through
/// [`call_event`].
pub fn next_stage(from: Stage, action: Action) -> Result<Stage, TransitionError> {
    let open = !matches!(from, Stage::Campaign | Stage::Closed);
    let possible = Channel::ALL
        .iter()
        .any(|&c| cell(c, action, from) != Cell::NotAvailable);
    if !(open && possible) {
        return Err(TransitionError { from, action });
    }
    Ok(action.spec().leads.from(from))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The stage machine takes availability from the gating table (it used to write it a
    /// second time): an action moves an interaction in a stage exactly when some channel's row
    /// of the table has a cell there (the table is finer: per channel), and every cell of the
    /// table is a move the machine knows.
    #[test]
    fn next_stage_agrees_with_the_gating_table() {
        use crate::policy::{Cell, Channel, cell};
        for &stage in Stage::ALL {
            if matches!(stage, Stage::Campaign | Stage::Closed) {
                continue;
            }
            for &action in Action::ALL {
                let in_table = [Channel::WebCallback, Channel::Preview, Channel::PushPreview]
                    .into_iter()
                    .any(|c| cell(c, action, stage) != Cell::NotAvailable);
                assert_eq!(
                    next_stage(stage, action).is_ok(),
                    in_table,
                    "{action} in stage {stage}: the stage machine and the gating table differ"
                );
            }
        }
    }

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
            next_stage(Stage::Connected, Action::Reschedule).unwrap(),
            Stage::Connected,
            "a reschedule during the call leaves the interaction open"
        );
        assert_eq!(
            next_stage(Stage::AfterCall, Action::RescheduleNewNumber).unwrap(),
            Stage::AfterCall
        );
        assert_eq!(
            next_stage(Stage::Preview, Action::Reschedule).unwrap(),
            Stage::Closed
        );
        assert_eq!(
            next_stage(Stage::AfterCall, Action::DialNewNumber).unwrap(),
            Stage::Dialing
        );
        assert_eq!(
            call_event(Stage::Dialing, CallEvent::Answered),
            Some(Stage::Connected)
        );
        assert_eq!(call_event(Stage::AfterCall, CallEvent::Answered), None);
    }

    /// The stages an interaction of `channel` can reach: from where it starts (an invitation,
    /// or a pulled preview record), through the channel's actions and the call events.
    fn reachable(channel: Channel) -> Vec<Stage> {
        let start = match channel {
            Channel::Preview => Stage::Preview,
            Channel::WebCallback | Channel::PushPreview => Stage::Offered,
        };
        let mut seen = vec![start];
        let mut todo = vec![start];
        while let Some(from) = todo.pop() {
            let by_action = channel
                .actions()
                .iter()
                .filter_map(|&a| next_stage(from, a).ok());
            let by_event = [
                CallEvent::Answered,
                CallEvent::Failed,
                CallEvent::CustomerHungUp,
            ]
            .into_iter()
            .filter_map(|e| call_event(from, e));
            for to in by_action.chain(by_event).collect::<Vec<_>>() {
                if !seen.contains(&to) {
                    seen.push(to);
                    todo.push(to);
                }
            }
        }
        seen
    }

    #[test]
    fn every_gated_cell_is_a_reachable_stage_and_a_legal_move() {
        use crate::policy::{Cell, cell};
        for &channel in Channel::ALL {
            let reachable = reachable(channel);
            for &action in channel.actions() {
                for &stage in action.matrix_stages() {
                    let Cell::Needs(_) = cell(channel, action, stage) else {
                        continue;
                    };
                    if stage == Stage::Campaign {
                        // Pulling a record opens an interaction in preview.
                        assert!(reachable.contains(&Stage::Preview), "{channel} {action}");
                        continue;
                    }
                    assert!(
                        reachable.contains(&stage),
                        "{channel} {action}: the table gates stage {stage}, which no \
                         {channel} interaction reaches"
                    );
                    assert!(
                        next_stage(stage, action).is_ok(),
                        "{channel} {action}: the table allows it in {stage}, the stage machine \
                         does not"
                    );
                }
            }
        }
    }
}
