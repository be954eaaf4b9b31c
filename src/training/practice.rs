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
//! it waited on the trainee. What does count: a wrong call result, a callback left waiting, a
//! callback closed without reaching the customer and without a reschedule, an invitation left
//! to time out, a dial the compliance rules refused.
//!
//! Results are kept as earned (docs/activities.md): what the trainee's role could do is read from the
//! privileges the interaction's agent held when it closed (`Interaction::granted_at_close`),
//! never from the roles held now, so unticking a role afterwards changes no earlier result.
//! Every note carries its points, and the score is their sum.

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
    /// A callback closed without reaching the customer and without a reschedule: the
    /// customer is never called back. Not a handling, so no [`HANDLED`] either.
    pub const UNSERVED_CALLBACK: i64 = -5;

    /// Every rule of the score card, with its points, as the card states them.
    pub const RULES: [(&str, i64); 7] = [
        (
            "per interaction handled (marked done, or rescheduled)",
            HANDLED,
        ),
        ("per call result that matches what happened", CORRECT_RESULT),
        ("per call result that does not", WRONG_RESULT),
        ("per callback called back late", LATE_CALLBACK),
        ("per dial the compliance rules blocked", BLOCKED_DIAL),
        (
            "per invitation your role could accept, left to time out",
            MISSED,
        ),
        (
            "per callback closed without reaching the customer or rescheduling",
            UNSERVED_CALLBACK,
        ),
    ];
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
    /// What this note adds to the score (0: not counted).
    pub points: i64,
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
    /// Callbacks closed without reaching the customer and without a reschedule.
    pub unserved_callbacks: u32,
    pub blocked_dials: u32,
    /// Attempts the role or the stage refused: met and explained, not counted.
    pub denials_met: u32,
    pub average_handling: Option<Duration>,
    pub score: i64,
    /// (minutes since the shift started, interactions handled so far), for the plot.
    pub timeline: Vec<(f64, u32)>,
}

impl ScoreCard {
    /// The counts, labelled, in the order the desk shows them and a finished card keeps them
    /// (the score is not among them: each shows it its own way).
    pub fn counts(&self) -> Vec<(&'static str, String)> {
        let avg = self
            .average_handling
            .map_or("-".to_string(), |d| format!("{} s", d.num_seconds()));
        vec![
            ("Handled (done or rescheduled)", self.handled.to_string()),
            ("Rescheduled", self.rescheduled.to_string()),
            ("Rejected", self.rejected.to_string()),
            ("Cancelled", self.cancelled.to_string()),
            ("Declined", self.declined.to_string()),
            ("Missed invitations", self.missed.to_string()),
            (
                "Not counted (your role could not take them, or they were withdrawn)",
                self.not_counted.to_string(),
            ),
            (
                "Correct call results",
                format!("{} of {}", self.correct_results, self.results_set),
            ),
            ("Late callbacks", self.late_callbacks.to_string()),
            (
                "Callbacks closed unserved",
                self.unserved_callbacks.to_string(),
            ),
            ("Blocked dials", self.blocked_dials.to_string()),
            ("Denials met (not counted)", self.denials_met.to_string()),
            ("Average handling time", avg),
        ]
    }
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
    for it in finished {
        let (Some(closed_at), Some(completion)) = (it.closed_at, it.completion) else {
            continue;
        };
        let mut notes = Vec::new();
        let unserved = unserved_callback(it, completion);
        let handled = !unserved && count_completion(it, completion, &mut card, &mut notes);
        result_feedback(engine, it, &mut card, &mut notes);
        if let (Completion::Done, Some(r)) = (completion, &it.reschedule) {
            // A reschedule the flow asks to finish with Mark Done is a complete handling,
            // and a reschedule all the same.
            card.rescheduled += 1;
            notes.push(scored(
                Tone::Good,
                format!(
                    "rescheduled for {} ({}) and marked done: a complete handling",
                    crate::world::fmt_time(r.at),
                    r.scope.label()
                ),
                points::HANDLED,
            ));
        }
        if unserved {
            card.unserved_callbacks += 1;
            notes.push(scored(
                Tone::Mistake,
                "closed without reaching the customer and without a reschedule: nobody will \
                 call them back"
                    .into(),
                points::UNSERVED_CALLBACK,
            ));
        } else {
            callback_feedback(it, completion, &mut card, &mut notes);
        }
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
    // The score is the sum of the points every note states, so the card can be checked
    // line by line.
    card.score = feedback
        .iter()
        .flat_map(|f| f.notes.iter())
        .map(|n| n.points)
        .sum();
    (feedback, card)
}

/// Whether a web callback was closed as done although no call reached the customer and no
/// reschedule was made: the customer is never called back.
fn unserved_callback(it: &Interaction, completion: Completion) -> bool {
    matches!(it.payload, Payload::WebCallback(_))
        && completion == Completion::Done
        && it.reschedule.is_none()
        && !it.calls.is_empty()
        && !it
            .calls
            .iter()
            .any(|c| c.truth == Some(CallResult::Answer) || c.connected_at.is_some())
}

/// How long a web callback waited on the trainee at `now` (or until its first call): from
/// its desired time, or from when it reached them if that was later. The one measure both
/// the desk's warning and the practice feedback use.
pub fn callback_wait(it: &Interaction, now: SimTime) -> Option<Duration> {
    let Payload::WebCallback(cb) = &it.payload else {
        return None;
    };
    let until = it.calls.first().map_or(now, |c| c.started);
    Some(until - cb.desired.max(it.opened_at))
}

/// Whether `wait` (from [`callback_wait`]) counts as late.
pub fn is_late(wait: Duration) -> bool {
    wait > Duration::minutes(LATE_AFTER_MINUTES)
}

/// Counts how the interaction ended; true when it was handled (done or rescheduled).
fn count_completion(
    it: &Interaction,
    completion: Completion,
    card: &mut ScoreCard,
    notes: &mut Vec<Note>,
) -> bool {
    match completion {
        Completion::Done => {
            card.handled += 1;
            if it.reschedule.is_none() {
                notes.push(scored(Tone::Good, "handled".into(), points::HANDLED));
            }
        }
        Completion::Rescheduled => {
            card.handled += 1;
            card.rescheduled += 1;
            notes.push(scored(
                Tone::Good,
                "rescheduled before the call: a complete handling".into(),
                points::HANDLED,
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
            // Decided by the roles held when it timed out, not by the roles held now.
            let could_accept = it.granted_at_close.is_some_and(|g| {
                authorize(
                    g,
                    it.channel,
                    Action::Accept,
                    Stage::Offered,
                    &Facts::default(),
                )
                .is_ok()
            });
            if could_accept {
                card.missed += 1;
                notes.push(scored(
                    Tone::Mistake,
                    "the invitation timed out unanswered".into(),
                    points::MISSED,
                ));
            } else {
                card.not_counted += 1;
                notes.push(note(
                    Tone::Info,
                    "timed out; the role you held then could not accept it, so it is not counted"
                        .into(),
                ));
            }
        }
    }
    matches!(completion, Completion::Done | Completion::Rescheduled)
}

/// Compares the call result the agent chose with what the simulated customer really did.
fn result_feedback(engine: &Engine, it: &Interaction, card: &mut ScoreCard, notes: &mut Vec<Note>) {
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
        let may_set = it.granted_at_close.is_some_and(|g| {
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
        notes.push(scored(
            Tone::Good,
            format!("call result {} matches what happened", chosen.label()),
            points::CORRECT_RESULT,
        ));
    } else {
        notes.push(scored(
            Tone::Mistake,
            format!(
                "you set {}, but the call was {}",
                chosen.label(),
                truth.label()
            ),
            points::WRONG_RESULT,
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
    if let Payload::WebCallback(_) = &it.payload {
        match (it.calls.first(), callback_wait(it, it.opened_at)) {
            (Some(_), Some(late)) => {
                if is_late(late) {
                    card.late_callbacks += 1;
                    notes.push(scored(
                        Tone::Mistake,
                        format!(
                            "called {} minutes after the callback reached you and was due",
                            late.num_minutes()
                        ),
                        points::LATE_CALLBACK,
                    ));
                } else {
                    notes.push(note(Tone::Good, "called back on time".into()));
                }
            }
            (None, _) if completion == Completion::Done => {
                notes.push(note(Tone::Info, "marked done without calling".into()));
            }
            _ => {}
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
        match (entry.decision(), entry.denial()) {
            (Decision::Denied, Some(d)) if d.kind.name() == DenialKindName::Compliance => {
                card.blocked_dials += 1;
                notes.push(scored(
                    Tone::Mistake,
                    format!("a dial was blocked: {}", d.detail()),
                    points::BLOCKED_DIAL,
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

/// A note that counts nothing.
fn note(tone: Tone, text: String) -> Note {
    scored(tone, text, 0)
}

fn scored(tone: Tone, text: String, points: i64) -> Note {
    Note { tone, text, points }
}

/// The shift's card as it stands: every count, the score, what each rule is worth, and every
/// scored or noted item with its points; frozen into the finished activities when it ends.
pub fn card(feedback: &[Feedback], card: &ScoreCard) -> crate::training::activity::Card {
    let mut rows: Vec<(String, String)> = card
        .counts()
        .into_iter()
        .chain([("Score", card.score.to_string())])
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    for (rule, p) in points::RULES {
        rows.push((format!("Rule: {p:+}"), rule.to_string()));
    }
    let mut lines = Vec::new();
    for f in feedback {
        for n in &f.notes {
            let pts = match n.points {
                0 => "not counted".to_string(),
                p => format!("{p:+}"),
            };
            lines.push(format!(
                "{} {} ({}): {} [{pts}]",
                fmt_hm(f.closed_at),
                f.interaction,
                f.review.who,
                n.text
            ));
        }
    }
    crate::training::activity::Card { rows, lines }
}

fn fmt_hm(t: SimTime) -> String {
    t.format("%H:%M").to_string()
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
