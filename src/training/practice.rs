//! Practice shifts: feedback on every interaction an agent finished, a review of each call,
//! and the shift's score card.
//!
//! Everything is computed from the engine's record of what happened (interactions, calls and
//! the audit log), so a practice shift needs no bookkeeping of its own and the same seed and
//! the same actions always give the same score.
//!
//! Nothing a role or the flow forced on the trainee counts against them: a denial is the
//! role's decision (it is met and explained, never scored), a reschedule is a complete
//! handling, an invitation the role could not accept or that was withdrawn is not a miss, a
//! call result the role may not set is not missing, and a callback is late only for the time
//! it waited on the trainee. What does count: a wrong call result, a callback left waiting, an
//! invitation left to time out, a dial the compliance rules refused.

mod opening;
mod review;

use chrono::Duration;

pub use opening::{Opening, window_opens, workable_start};
pub use review::Review;

use crate::engine::Engine;
use crate::engine::audit::Decision;
use crate::policy::{Action, Channel, DenialKindName, Facts, Stage, authorize};
use crate::world::{AgentId, CallResult, Completion, Interaction, InteractionId, Payload, SimTime};

/// Points per outcome; the score card shows the breakdown so the number can be checked.
pub mod points {
    /// Marked done, or rescheduled: a complete handling.
    pub const HANDLED: i64 = 10;
    pub const CORRECT_RESULT: i64 = 5;
    pub const WRONG_RESULT: i64 = -5;
    pub const LATE_CALLBACK: i64 = -3;
    pub const BLOCKED_DIAL: i64 = -2;
    /// An invitation the trainee could have answered, left to time out.
    pub const MISSED: i64 = -2;
}

/// A callback first called later than this after its desired time (or after it reached the
/// trainee, when that was later) counts as late.
pub const LATE_AFTER_MINUTES: i64 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Mistake,
    Info,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub tone: Tone,
    pub text: String,
}

/// What the agent did well or not on one finished interaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback {
    pub interaction: InteractionId,
    pub channel: Channel,
    pub closed_at: SimTime,
    pub completion: Completion,
    pub handling: Duration,
    pub notes: Vec<Note>,
    /// What happened, what was chosen, what was right, the denials met.
    pub review: Review,
}

/// The totals of a shift.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScoreCard {
    /// Marked done or rescheduled.
    pub handled: u32,
    pub rejected: u32,
    pub rescheduled: u32,
    pub cancelled: u32,
    pub declined: u32,
    /// Invitations left to time out that the trainee's role could have accepted.
    pub missed: u32,
    /// Invitations the role could not accept, or that were withdrawn: not counted.
    pub not_counted: u32,
    pub results_set: u32,
    pub correct_results: u32,
    pub late_callbacks: u32,
    pub blocked_dials: u32,
    /// Attempts the role or the stage refused: met and explained, not counted.
    pub denials_met: u32,
    pub average_handling: Option<Duration>,
    pub score: i64,
    /// (minutes since the shift started, interactions handled so far), for the plot.
    pub timeline: Vec<(f64, u32)>,
}

/// Feedback and score for everything `agent` finished since `since`.
pub fn evaluate(engine: &Engine, agent: AgentId, since: SimTime) -> (Vec<Feedback>, ScoreCard) {
    let mut card = ScoreCard::default();
    let mut feedback = Vec::new();
    let mut handling_total = Duration::zero();
    let mut finished: Vec<&Interaction> = engine
        .interactions()
        .iter()
        .filter(|it| it.agent == agent && it.opened_at >= since)
        .filter(|it| it.closed_at.is_some())
        .collect();
    finished.sort_by_key(|it| (it.closed_at, it.id));
    let granted = engine.agent(agent).map(|a| a.granted);
    for it in finished {
        let (Some(closed_at), Some(completion)) = (it.closed_at, it.completion) else {
            continue;
        };
        let mut notes = Vec::new();
        let handled = count_completion(engine, it, completion, &mut card, &mut notes);
        result_feedback(engine, it, granted, &mut card, &mut notes);
        if let (Completion::Done, Some(r)) = (completion, &it.reschedule) {
            // A reschedule the flow asks to finish with Mark Done is a complete handling.
            notes.push(note(
                Tone::Good,
                format!(
                    "rescheduled for {} ({}) and marked done: a complete handling",
                    crate::world::fmt_time(r.at),
                    r.scope.label()
                ),
            ));
        }
        callback_feedback(it, completion, &mut card, &mut notes);
        attempt_feedback(engine, it, &mut card, &mut notes);
        if completion == Completion::Done
            && it.channel != Channel::WebCallback
            && it.calls.is_empty()
        {
            notes.push(note(Tone::Info, "closed without calling".into()));
        }
        let handling = closed_at - it.opened_at;
        if handled {
            handling_total += handling;
            let minutes = (closed_at - since).num_seconds() as f64 / 60.0;
            card.timeline.push((minutes, card.handled));
        }
        feedback.push(Feedback {
            interaction: it.id,
            channel: it.channel,
            closed_at,
            completion,
            handling,
            review: review::review(engine, it, completion),
            notes,
        });
    }
    if card.handled > 0 {
        card.average_handling = Some(handling_total / card.handled as i32);
    }
    let wrong = card.results_set - card.correct_results;
    card.score = points::HANDLED * i64::from(card.handled)
        + points::CORRECT_RESULT * i64::from(card.correct_results)
        + points::WRONG_RESULT * i64::from(wrong)
        + points::LATE_CALLBACK * i64::from(card.late_callbacks)
        + points::BLOCKED_DIAL * i64::from(card.blocked_dials)
        + points::MISSED * i64::from(card.missed);
    (feedback, card)
}

/// Counts how the interaction ended; true when it was handled (done or rescheduled).
fn count_completion(
    engine: &Engine,
    it: &Interaction,
    completion: Completion,
    card: &mut ScoreCard,
    notes: &mut Vec<Note>,
) -> bool {
    match completion {
        Completion::Done => card.handled += 1,
        Completion::Rescheduled => {
            card.handled += 1;
            card.rescheduled += 1;
            notes.push(note(
                Tone::Good,
                "rescheduled before the call: a complete handling".into(),
            ));
        }
        Completion::Rejected => card.rejected += 1,
        Completion::Cancelled => card.cancelled += 1,
        Completion::Declined => card.declined += 1,
        Completion::Withdrawn => {
            card.not_counted += 1;
            notes.push(note(
                Tone::Info,
                "withdrawn when your roles changed: not counted".into(),
            ));
        }
        Completion::TimedOut | Completion::Expired => {
            let could_accept = engine.agent(it.agent).is_some_and(|a| {
                authorize(
                    a.granted,
                    it.channel,
                    Action::Accept,
                    Stage::Offered,
                    &Facts::default(),
                )
                .is_ok()
            });
            if could_accept {
                card.missed += 1;
                notes.push(note(
                    Tone::Mistake,
                    "the invitation timed out unanswered".into(),
                ));
            } else {
                card.not_counted += 1;
                notes.push(note(
                    Tone::Info,
                    "timed out; your role cannot accept it, so it is not counted".into(),
                ));
            }
        }
    }
    matches!(completion, Completion::Done | Completion::Rescheduled)
}

/// Compares the call result the agent chose with what the simulated customer really did.
fn result_feedback(
    engine: &Engine,
    it: &Interaction,
    granted: Option<crate::policy::PrivilegeSet>,
    card: &mut ScoreCard,
    notes: &mut Vec<Note>,
) {
    let Some(chain) = engine.chain_of(it) else {
        return;
    };
    let Some(call) = it.calls.last() else {
        return;
    };
    let Some(truth) = call.truth else {
        return;
    };
    let record = call.record.unwrap_or(chain.selected);
    let Some(chosen) = chain.records.get(record).map(|r| r.call_result) else {
        return;
    };
    if chosen == CallResult::UnknownCallResult {
        let may_set = granted.is_some_and(|g| {
            authorize(
                g,
                it.channel,
                Action::SetCallResult,
                Stage::AfterCall,
                &Facts::default(),
            )
            .is_ok()
        });
        if may_set {
            notes.push(note(
                Tone::Mistake,
                format!("no call result set; the call was {}", truth.label()),
            ));
        } else {
            notes.push(note(
                Tone::Info,
                format!(
                    "the call was {}; your role does not set call results, so none is expected",
                    truth.label()
                ),
            ));
        }
        return;
    }
    card.results_set += 1;
    if result_is_right(chosen, truth) {
        card.correct_results += 1;
        notes.push(note(
            Tone::Good,
            format!("call result {} matches what happened", chosen.label()),
        ));
    } else {
        notes.push(note(
            Tone::Mistake,
            format!(
                "you set {}, but the call was {}",
                chosen.label(),
                truth.label()
            ),
        ));
    }
}

/// Whether `chosen` is a right call result for a call that really ended `truth`. An answered
/// call may legitimately end with the customer asking not to be called again.
fn result_is_right(chosen: CallResult, truth: CallResult) -> bool {
    chosen == truth || (truth == CallResult::Answer && chosen == CallResult::DoNotCall)
}

/// Whether a web callback was called back in time, or closed without a call. The time it
/// waited before it reached the trainee is the flow's, not theirs.
fn callback_feedback(
    it: &Interaction,
    completion: Completion,
    card: &mut ScoreCard,
    notes: &mut Vec<Note>,
) {
    if let Payload::WebCallback(cb) = &it.payload {
        match it.calls.first() {
            Some(call) => {
                let late = call.started - cb.desired.max(it.opened_at);
                if late > Duration::minutes(LATE_AFTER_MINUTES) {
                    card.late_callbacks += 1;
                    notes.push(note(
                        Tone::Mistake,
                        format!(
                            "called {} minutes after the callback reached you and was due",
                            late.num_minutes()
                        ),
                    ));
                } else {
                    notes.push(note(Tone::Good, "called back on time".into()));
                }
            }
            None if completion == Completion::Done => {
                notes.push(note(Tone::Info, "marked done without calling".into()));
            }
            None => {}
        }
    }
}

/// What the audit log says the agent tried on this interaction: blocked dials, denials the
/// role or the stage gave (met, not counted), a Do Not Call wish recorded.
fn attempt_feedback(
    engine: &Engine,
    it: &Interaction,
    card: &mut ScoreCard,
    notes: &mut Vec<Note>,
) {
    let id = Some(it.id);
    for entry in engine
        .audit()
        .entries()
        .iter()
        .filter(|e| e.interaction == id)
    {
        match (entry.decision, entry.denial.as_deref()) {
            (Decision::Denied, Some(d)) if d.kind.name() == DenialKindName::Compliance => {
                card.blocked_dials += 1;
                notes.push(note(
                    Tone::Mistake,
                    format!("a dial was blocked: {}", d.detail()),
                ));
            }
            (Decision::Denied, Some(d)) => {
                card.denials_met += 1;
                notes.push(note(
                    Tone::Info,
                    format!("{}: {} (not counted)", entry.action.label(), d.plain()),
                ));
            }
            (Decision::Allowed, _) if entry.action == Action::MarkDoNotCall => {
                notes.push(note(
                    Tone::Good,
                    "the customer's Do Not Call wish was recorded".into(),
                ));
            }
            _ => {}
        }
    }
}

fn note(tone: Tone, text: String) -> Note {
    Note { tone, text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Args, Command, Source, Target};
    use crate::policy::{Action, Stage};
    use crate::world::roles::RoleBook;
    use crate::world::scenario::Scenario;

    fn run(e: &mut Engine, agent: AgentId, target: Target, action: Action, args: Args) {
        e.execute(Command {
            agent,
            target,
            action,
            args,
            source: Source::Desktop,
        })
        .unwrap();
    }

    /// Pulls a record, dials it with a known outcome, sets `chosen`, and marks it done.
    fn work_record(e: &mut Engine, agent: AgentId, truth: CallResult, chosen: CallResult) {
        let campaign = e.campaigns()[0].id;
        let id = e
            .execute(Command {
                agent,
                target: Target::Campaign(campaign),
                action: Action::GetRecord,
                args: Args::None,
                source: Source::Desktop,
            })
            .unwrap()
            .opened
            .unwrap();
        e.force_next_outcome(truth);
        run(e, agent, Target::Interaction(id), Action::Dial, Args::None);
        e.advance(Duration::seconds(20));
        if e.interaction(id).unwrap().stage == Stage::Connected {
            run(
                e,
                agent,
                Target::Interaction(id),
                Action::HangUp,
                Args::None,
            );
        }
        run(
            e,
            agent,
            Target::Interaction(id),
            Action::SetCallResult,
            Args::CallResult(chosen),
        );
        run(
            e,
            agent,
            Target::Interaction(id),
            Action::MarkDone,
            Args::None,
        );
    }

    #[test]
    fn score_card_counts_results_against_what_really_happened() {
        let mut e = Engine::new(
            RoleBook::embedded_default(),
            Scenario::embedded_default(),
            4,
        );
        let dana = e.roles().find_role("Outbound Preview Agent").unwrap();
        let noon = e.now().date().and_hms_opt(13, 0, 0).unwrap();
        e.advance_to(noon);
        let agent = e.login("Dana", vec![dana]);
        work_record(&mut e, agent, CallResult::Busy, CallResult::Busy);
        work_record(&mut e, agent, CallResult::NoAnswer, CallResult::Answer);
        let (feedback, card) = evaluate(&e, agent, noon);
        assert_eq!(card.handled, 2);
        assert_eq!((card.correct_results, card.results_set), (1, 2));
        assert_eq!(
            card.score,
            2 * points::HANDLED + points::CORRECT_RESULT + points::WRONG_RESULT
        );
        assert_eq!(feedback.len(), 2);
        assert!(
            feedback[1].notes.iter().any(|n| n.tone == Tone::Mistake
                && n.text == "you set Answer, but the call was No Answer")
        );
        assert_eq!(card.timeline.len(), 2);
        assert!(card.average_handling.is_some());
    }
}
