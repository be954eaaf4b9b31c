//! Results kept as earned (docs/activities.md): a practice result is decided when its interaction closes,
//! from the roles held then. Random sessions that change roles, advance the clock and work on
//! afterwards leave every earlier result exactly as it was; and the feedback agrees with the
//! desk (a reschedule during a call counts as a reschedule, a callback closed unserved is not
//! "on time", every note states its points and the score is their sum).

use agentdesk::engine::{Args, Command, Engine, Source, Target};
use agentdesk::policy::Action;
use agentdesk::training::practice::{Feedback, evaluate, points};
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use agentdesk::world::{AgentId, CallResult, CampaignId, Completion, InteractionId, SimTime};
use chrono::Duration;
use proptest::prelude::*;

fn noon_engine(seed: u64) -> Engine {
    let mut e = Engine::new(
        RoleBook::embedded_default(),
        Scenario::embedded_default(),
        seed,
    );
    let noon = e.now().date().and_hms_opt(13, 0, 0).expect("a time");
    e.advance_to(noon);
    e
}

fn survey(e: &Engine) -> CampaignId {
    e.campaigns()
        .iter()
        .find(|c| c.name == "Customer Survey")
        .expect("the default push-preview campaign")
        .id
}

fn act(e: &mut Engine, agent: AgentId, id: InteractionId, action: Action, args: Args) -> bool {
    e.execute(Command {
        agent,
        target: Target::Interaction(id),
        action,
        args,
        source: Source::Desktop,
    })
    .is_ok()
}

/// Priya (Push Preview Agent), Not Ready so only the invitations the test makes reach her.
fn priya(e: &mut Engine) -> AgentId {
    let role = e.roles().find_role("Push Preview Agent").expect("role");
    let a = e.login("Priya", vec![role]);
    e.set_ready(a, false);
    a
}

/// The feedback on interactions closed before `t`, as evaluated now.
fn closed_before(e: &Engine, agent: AgentId, since: SimTime, t: SimTime) -> Vec<Feedback> {
    evaluate(e, agent, since)
        .0
        .into_iter()
        .filter(|f| f.closed_at < t)
        .collect()
}

#[test]
fn unticking_the_role_after_a_timeout_keeps_the_penalty() {
    let mut e = noon_engine(1);
    let since = e.now();
    let agent = priya(&mut e);
    let id = e.offer_push(agent, survey(&e)).expect("an invitation");
    e.advance(Duration::minutes(5));
    assert_eq!(
        e.interaction(id).and_then(|it| it.completion),
        Some(Completion::TimedOut)
    );
    let (before, card) = evaluate(&e, agent, since);
    assert_eq!((card.missed, card.score), (1, points::MISSED));
    e.set_roles(agent, Vec::new());
    let (after, card_after) = evaluate(&e, agent, since);
    assert_eq!(after, before, "the penalty stays as earned");
    assert_eq!((card_after.missed, card_after.score), (1, points::MISSED));
    assert!(
        after[0]
            .notes
            .iter()
            .any(|n| n.text == "the invitation timed out unanswered" && n.points == points::MISSED)
    );
}

#[test]
fn a_reschedule_during_the_call_counts_as_rescheduled_and_every_point_is_stated() {
    let mut e = noon_engine(1);
    let since = e.now();
    let agent = priya(&mut e);
    let id = e.offer_push(agent, survey(&e)).expect("an invitation");
    assert!(act(&mut e, agent, id, Action::Accept, Args::None));
    e.force_next_outcome(CallResult::NoAnswer);
    assert!(act(&mut e, agent, id, Action::Dial, Args::None));
    e.advance(Duration::seconds(40));
    let when = e.now() + Duration::hours(1);
    assert!(act(
        &mut e,
        agent,
        id,
        Action::Reschedule,
        Args::At {
            at: when,
            scope: None
        }
    ));
    assert!(act(
        &mut e,
        agent,
        id,
        Action::SetCallResult,
        Args::CallResult(CallResult::NoAnswer)
    ));
    assert!(act(&mut e, agent, id, Action::MarkDone, Args::None));
    let (feedback, card) = evaluate(&e, agent, since);
    assert_eq!((card.handled, card.rescheduled), (1, 1));
    let sum: i64 = feedback
        .iter()
        .flat_map(|f| f.notes.iter())
        .map(|n| n.points)
        .sum();
    assert_eq!(card.score, sum, "the score is the sum of the stated points");
    assert!(
        feedback[0]
            .notes
            .iter()
            .any(|n| n.points == points::HANDLED && n.text.contains("rescheduled"))
    );
}

/// What a random session does after the results under test were earned.
#[derive(Clone, Debug)]
enum Later {
    /// Give the agent these roles of the book (by index, modulo the book's size).
    Roles(Vec<usize>),
    /// Let simulated time run.
    Advance(i64),
    /// Another invitation, answered or not.
    Offer {
        accept: bool,
    },
    Ready(bool),
}

fn later() -> impl Strategy<Value = Later> {
    prop_oneof![
        proptest::collection::vec(0usize..16, 0..3).prop_map(Later::Roles),
        (1i64..600).prop_map(Later::Advance),
        any::<bool>().prop_map(|accept| Later::Offer { accept }),
        any::<bool>().prop_map(Later::Ready),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn later_role_changes_and_work_leave_earlier_results_unchanged(
        seed in 0u64..1000,
        first in proptest::collection::vec(any::<bool>(), 1..4),
        afterwards in proptest::collection::vec(later(), 0..12),
    ) {
        let mut e = noon_engine(seed);
        let since = e.now();
        let agent = priya(&mut e);
        let campaign = survey(&e);
        // Earn some results: invitations left to time out, or accepted and declined.
        for accept in first {
            let Some(id) = e.offer_push(agent, campaign) else { break };
            if accept {
                act(&mut e, agent, id, Action::Decline, Args::None);
            }
            e.advance(Duration::minutes(3));
        }
        let t = e.now() + Duration::milliseconds(1);
        e.advance(Duration::milliseconds(1));
        let earned = closed_before(&e, agent, since, t);
        let roles = e.roles().roles.len();
        for step in afterwards {
            match step {
                Later::Roles(r) => {
                    let r: Vec<usize> = r.into_iter().map(|i| i % roles).collect();
                    e.set_roles(agent, r);
                }
                Later::Advance(s) => e.advance(Duration::seconds(s)),
                Later::Offer { accept } => {
                    if let Some(id) = e.offer_push(agent, campaign)
                        && accept
                    {
                        act(&mut e, agent, id, Action::Accept, Args::None);
                    }
                }
                Later::Ready(r) => e.set_ready(agent, r),
            }
        }
        prop_assert_eq!(closed_before(&e, agent, since, t), earned);
    }
}

#[test]
fn a_step_that_asks_which_privilege_is_missing_does_not_give_it_away() {
    use agentdesk::training::lesson::{Lesson, SHIPPED, plain_check};
    let (file, text) = SHIPPED
        .iter()
        .find(|(f, _)| f.ends_with("granted-but-inactive.lesson"))
        .expect("the shipped lesson");
    let lesson = Lesson::parse(file, text, None).expect("it parses");
    let words: Vec<String> = (0..lesson.script.steps.len())
        .filter_map(|i| plain_check(&lesson, i))
        .collect();
    assert!(
        words.iter().all(|w| !w.contains("missing Outbound")),
        "{words:?}"
    );
    assert!(
        words
            .iter()
            .any(|w| w.contains("you name the missing privilege from its notice")),
        "{words:?}"
    );
}

#[test]
fn a_callback_closed_without_reaching_the_customer_is_not_on_time() {
    let mut e = noon_engine(1);
    let since = e.now();
    let role = e.roles().find_role("Web Callback Agent").expect("role");
    let wes = e.login("Wes", vec![role]);
    e.set_ready(wes, false);
    let id = e.offer_callback(wes);
    assert!(act(&mut e, wes, id, Action::Accept, Args::None));
    e.force_next_outcome(CallResult::NoAnswer);
    assert!(act(&mut e, wes, id, Action::Dial, Args::None));
    e.advance(Duration::seconds(40));
    let first = e
        .scenario()
        .dispositions
        .first()
        .cloned()
        .expect("a disposition");
    act(
        &mut e,
        wes,
        id,
        Action::SetDisposition,
        Args::Disposition(first),
    );
    assert!(act(&mut e, wes, id, Action::MarkDone, Args::None));
    let (feedback, card) = evaluate(&e, wes, since);
    assert_eq!((card.unserved_callbacks, card.handled), (1, 0));
    let ours: Vec<&Feedback> = feedback.iter().filter(|f| f.interaction == id).collect();
    let points_of_ours: i64 = ours[0].notes.iter().map(|n| n.points).sum();
    assert_eq!(points_of_ours, points::UNSERVED_CALLBACK, "{feedback:?}");
    assert!(
        ours[0].review.right.contains("reschedule"),
        "{:?}",
        ours[0].review
    );
    assert!(
        ours[0]
            .notes
            .iter()
            .all(|n| n.text != "called back on time"),
        "{:?}",
        ours[0].notes
    );
}

#[test]
fn lesson_check_fails_a_hint_that_gives_the_missing_privilege_away() {
    use agentdesk::training::lesson::{Lesson, SHIPPED, check};
    let (file, text) = SHIPPED
        .iter()
        .find(|(f, _)| f.ends_with("granted-but-inactive.lesson"))
        .expect("the shipped lesson");
    let shipped = Lesson::parse(file, text, None).expect("it parses");
    assert!(
        check(&shipped, text).solvable(),
        "the shipped lesson passes"
    );
    let told = text.replace(
        "hint \"Click the greyed-out Reschedule and open the notice's Details.\"",
        "hint \"It lacks Outbound - Can Reschedule.\"",
    );
    assert_ne!(&told, text);
    let lesson = Lesson::parse(file, &told, None).expect("it parses");
    let outcome = check(&lesson, &told);
    assert!(!outcome.solvable());
    let words = outcome.problems[0].to_string();
    assert!(words.contains("asks the trainee to find"), "{words}");
    assert!(words.contains("Outbound - Can Reschedule"), "{words}");
}
