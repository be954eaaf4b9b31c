//! Unit tests of the engine: the preview workflow, denials and invalid arguments changing
//! nothing, Do Not Call, reject and cancel, web callback routing, role replacement, and
//! determinism.

use chrono::Duration;

use crate::engine::{Args, Command, CommandError, Engine, Outcome, Source, Target};
use crate::policy::{Action, Stage};
use crate::world::roles::RoleBook;
use crate::world::scenario::Scenario;
use crate::world::{
    AgentId, CallResult, CampaignId, ChainId, ChainPlace, Completion, InteractionId, fmt_time,
};

fn engine(seed: u64) -> Engine {
    Engine::new(
        RoleBook::embedded_default(),
        Scenario::embedded_default(),
        seed,
    )
}

fn login(e: &mut Engine, role: &str) -> AgentId {
    let r = e.roles.find_role(role).unwrap();
    e.login(role, vec![r])
}

fn act(
    e: &mut Engine,
    agent: AgentId,
    target: Target,
    action: Action,
    args: Args,
) -> Result<Outcome, CommandError> {
    e.execute(Command {
        agent,
        target,
        action,
        args,
        source: Source::Desktop,
    })
}

fn get_record(e: &mut Engine, agent: AgentId, campaign: CampaignId) -> InteractionId {
    act(
        e,
        agent,
        Target::Campaign(campaign),
        Action::GetRecord,
        Args::None,
    )
    .unwrap()
    .opened
    .unwrap()
}

fn renewals(e: &Engine) -> CampaignId {
    e.campaigns
        .iter()
        .find(|c| c.name == "Winter Renewals")
        .unwrap()
        .id
}

/// Moves the clock to a time when every default contact's window is open.
fn midday(e: &mut Engine) {
    let t = e.now().date().and_hms_opt(13, 0, 0).unwrap();
    e.advance_to(t);
}

#[test]
fn preview_workflow_get_dial_result_done() {
    let mut e = engine(7);
    let a = login(&mut e, "Supervisor");
    midday(&mut e);
    let c = renewals(&e);
    let queued = e.campaign(c).unwrap().queue.len();
    let id = get_record(&mut e, a, c);
    assert_eq!(e.campaign(c).unwrap().queue.len(), queued - 1);
    assert_eq!(e.interaction(id).unwrap().stage, Stage::Preview);
    e.force_next_outcome(CallResult::Busy);
    act(&mut e, a, Target::Interaction(id), Action::Dial, Args::None).unwrap();
    assert_eq!(e.interaction(id).unwrap().stage, Stage::Dialing);
    e.advance(Duration::seconds(30));
    assert_eq!(e.interaction(id).unwrap().stage, Stage::AfterCall);
    assert_eq!(
        e.interaction(id).unwrap().calls[0].truth,
        Some(CallResult::Busy)
    );
    act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::SetCallResult,
        Args::CallResult(CallResult::Busy),
    )
    .unwrap();
    let next = act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::DoneAndGetNext,
        Args::None,
    )
    .unwrap();
    assert_eq!(e.interaction(id).unwrap().stage, Stage::Closed);
    assert!(next.opened.is_some());
    e.check_invariants().unwrap();
}

#[test]
fn denied_command_changes_nothing_but_the_audit_log() {
    let mut e = engine(7);
    let a = login(&mut e, "Outbound Preview Agent");
    midday(&mut e);
    let c = renewals(&e);
    let id = get_record(&mut e, a, c);
    let before = (
        e.interactions().to_vec(),
        e.chains.clone(),
        e.campaigns.clone(),
    );
    let at = e.now() + Duration::hours(1);
    let err = act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::Reschedule,
        Args::At { at, scope: None },
    )
    .unwrap_err();
    let d = err.denial().unwrap();
    assert_eq!(
        d.missing.names(),
        vec!["Outbound - Can Reschedule Before Call"]
    );
    assert_eq!(
        before,
        (
            e.interactions().to_vec(),
            e.chains.clone(),
            e.campaigns.clone()
        )
    );
    let last = e.audit.entries().last().unwrap();
    assert_eq!(last.decision().as_str(), "denied");
    assert_eq!(
        last.missing().names(),
        vec!["Outbound - Can Reschedule Before Call"]
    );
    // Cancel is not granted to this role either.
    assert!(
        act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::Cancel,
            Args::None
        )
        .is_err()
    );
    // After the call, the same role may reschedule (vendor fact).
    e.force_next_outcome(CallResult::NoAnswer);
    act(&mut e, a, Target::Interaction(id), Action::Dial, Args::None).unwrap();
    e.advance(Duration::seconds(30));
    act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::Reschedule,
        Args::At { at, scope: None },
    )
    .unwrap();
    // The interaction stays open until Mark Done, which sends the record away.
    assert_eq!(e.interaction(id).unwrap().stage, Stage::AfterCall);
    let chain = e.chain_of(e.interaction(id).unwrap()).unwrap();
    assert_eq!(chain.place, ChainPlace::WithAgent(id));
    act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::MarkDone,
        Args::None,
    )
    .unwrap();
    let chain = e.chain_of(e.interaction(id).unwrap()).unwrap();
    assert_eq!(chain.place, ChainPlace::Scheduled(at));
    e.advance_to(at);
    assert!(e.campaign(c).unwrap().queue.contains(&chain_id(&e, id)));
    e.check_invariants().unwrap();
}

fn chain_id(e: &Engine, id: InteractionId) -> ChainId {
    e.chain_of(e.interaction(id).unwrap()).unwrap().id
}

#[test]
fn do_not_call_blocks_later_dials_of_that_number() {
    let mut e = engine(3);
    let a = login(&mut e, "Supervisor");
    midday(&mut e);
    let c = renewals(&e);
    let id = get_record(&mut e, a, c);
    act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::MarkDoNotCall,
        Args::None,
    )
    .unwrap();
    let err = act(&mut e, a, Target::Interaction(id), Action::Dial, Args::None).unwrap_err();
    assert_eq!(err.denial().unwrap().kind.as_str(), "compliance");
    assert!(e.interaction(id).unwrap().calls.is_empty());
}

#[test]
fn arguments_are_checked_and_errors_change_nothing() {
    let mut e = engine(5);
    let a = login(&mut e, "Supervisor");
    midday(&mut e);
    let c = renewals(&e);
    let id = get_record(&mut e, a, c);
    let past = e.now() - Duration::hours(1);
    let err = act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::Reschedule,
        Args::At {
            at: past,
            scope: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("not in the future"), "{err}");
    let at = e.now() + Duration::hours(1);
    let err = act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::RescheduleNewNumber,
        Args::NewNumber {
            number: "12ab".into(),
            at,
            scope: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("'a'"), "{err}");
    let err = act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::EditRecordData,
        Args::Edit {
            field: "Emial".into(),
            value: "x".into(),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("did you mean \"Email\""), "{err}");
    let err = act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::EditRecordData,
        Args::Edit {
            field: "Account".into(),
            value: "x".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.denial().unwrap().kind.as_str(), "field");
    assert_eq!(e.interaction(id).unwrap().stage, Stage::Preview);
    assert_eq!(
        e.audit
            .entries()
            .iter()
            .filter(|x| x.decision().as_str() == "invalid")
            .count(),
        3
    );
    // Rescheduling on a new number appends a record to the chain.
    let n = e
        .chain_of(e.interaction(id).unwrap())
        .unwrap()
        .records
        .len();
    act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::RescheduleNewNumber,
        Args::NewNumber {
            number: "+1 212 555 0199".into(),
            at,
            scope: None,
        },
    )
    .unwrap();
    let chain = e.chain_of(e.interaction(id).unwrap()).unwrap();
    assert_eq!(chain.records.len(), n + 1);
    assert_eq!(chain.selected, n);
}

#[test]
fn reject_returns_the_record_for_another_agent_and_cancel_removes_it() {
    let mut e = engine(9);
    let a = login(&mut e, "Supervisor");
    midday(&mut e);
    let c = renewals(&e);
    let id = get_record(&mut e, a, c);
    let chain = chain_id(&e, id);
    act(
        &mut e,
        a,
        Target::Interaction(id),
        Action::Reject,
        Args::None,
    )
    .unwrap();
    assert!(e.campaign(c).unwrap().queue.contains(&chain));
    let id2 = get_record(&mut e, a, c);
    assert_ne!(
        chain_id(&e, id2),
        chain,
        "the rejecting agent does not get it back"
    );
    act(
        &mut e,
        a,
        Target::Interaction(id2),
        Action::Cancel,
        Args::None,
    )
    .unwrap();
    let c2 = chain_id(&e, id2);
    assert!(!e.campaign(c).unwrap().queue.contains(&c2));
    assert_eq!(
        e.chain(c2).unwrap().place,
        ChainPlace::Closed(Completion::Cancelled)
    );
    e.check_invariants().unwrap();
}

#[test]
fn web_callbacks_arrive_and_are_offered_and_time_out() {
    let mut e = engine(11);
    let a = login(&mut e, "Web Callback Agent");
    let offered: Vec<_> = e.open_interactions(a).iter().map(|it| it.id).collect();
    assert_eq!(offered.len(), 1, "one invitation at a time");
    let id = offered[0];
    assert_eq!(e.interaction(id).unwrap().stage, Stage::Offered);
    e.advance(Duration::seconds(31));
    assert_eq!(
        e.interaction(id).unwrap().completion,
        Some(Completion::TimedOut)
    );
    // The next invitation follows.
    assert!(
        e.open_interactions(a)
            .iter()
            .any(|it| it.stage == Stage::Offered)
    );
}

#[test]
fn replacing_roles_reindexes_every_session() {
    let mut e = engine(1);
    let dana = login(&mut e, "Outbound Preview Agent");
    let wes = login(&mut e, "Web Callback Agent");
    let (dana_grant, wes_grant) = (
        e.agent(dana).unwrap().granted,
        e.agent(wes).unwrap().granted,
    );
    // Delete the first role (the supervisor): every later index moves down by one.
    let mut book = e.roles.clone();
    book.roles.remove(0);
    let remap: Vec<Option<usize>> = (0..e.roles.roles.len()).map(|i| i.checked_sub(1)).collect();
    e.replace_roles(book, |_, roles| {
        Some(roles.iter().filter_map(|&r| remap[r]).collect())
    });
    assert_eq!(e.agent(dana).unwrap().granted, dana_grant);
    assert_eq!(e.agent(wes).unwrap().granted, wes_grant);
    let names: Vec<_> = e
        .agent(wes)
        .unwrap()
        .roles
        .iter()
        .map(|&r| e.roles.roles[r].name.clone())
        .collect();
    assert_eq!(names, vec!["Web Callback Agent"]);
}

#[test]
fn same_seed_same_world_different_seed_different_traffic() {
    let run = |seed| {
        let mut e = engine(seed);
        login(&mut e, "Supervisor");
        e.advance(Duration::hours(3));
        e.log()
            .iter()
            .map(|l| format!("{} {}", fmt_time(l.time), l.text))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

/// The default morning without web callback traffic, so only the push timer could make events.
fn quiet_scenario() -> Scenario {
    let mut s = Scenario::embedded_default();
    s.web_callbacks.per_hour = 0.0;
    s.web_callbacks.initial = 0;
    s
}

#[test]
fn an_idle_push_campaign_makes_no_events_in_a_year() {
    // A running push campaign with records, but nobody to push them to.
    let mut e = Engine::new(RoleBook::embedded_default(), quiet_scenario(), 1);
    e.advance(Duration::days(366));
    assert_eq!(e.events_handled(), 0);
    assert_eq!(e.next_event_time(), None);
}

#[test]
fn no_push_campaign_means_no_push_events_but_the_grid_stays() {
    let mut s = quiet_scenario();
    let keep: Vec<bool> = s
        .campaigns
        .iter()
        .map(|c| c.mode != crate::world::CampaignMode::PushPreview)
        .collect();
    let mut k = keep.iter();
    s.campaigns.retain(|_| *k.next().unwrap_or(&true));
    let mut k = keep.iter();
    s.contact_lists.retain(|_| *k.next().unwrap_or(&true));
    let mut e = Engine::new(RoleBook::embedded_default(), s, 1);
    login(&mut e, "Supervisor");
    // The grid is there, as when every tick was an event, so a poller acts at the same moments.
    assert_eq!(
        e.push_tick_at_or_after(e.now()),
        Some(e.now() + Duration::seconds(10))
    );
    e.advance(Duration::days(366));
    assert_eq!(e.events_handled(), 0);
}

#[test]
fn an_idle_push_timer_keeps_its_grid() {
    // Ticks fall at 08:30:10 + k x 75 s whether or not they had work: an agent who becomes
    // free at 08:31:00 gets the 08:31:25 push, as when the timer ticked all along.
    let mut e = Engine::new(RoleBook::embedded_default(), quiet_scenario(), 1);
    e.advance(Duration::seconds(30));
    let priya = login(&mut e, "Push Preview Agent");
    assert!(e.open_interactions(priya).is_empty());
    let start = e.now() - Duration::seconds(30);
    assert_eq!(
        e.push_tick_at_or_after(e.now()),
        Some(start + Duration::seconds(85))
    );
    e.step();
    assert_eq!(e.now(), start + Duration::seconds(85));
    let pushed = e.open_interactions(priya);
    assert_eq!(pushed.len(), 1);
    assert_eq!(pushed[0].stage, Stage::Offered);
    // One tick, then one time-out 30 s later; the next tick pushes again.
    e.advance(Duration::seconds(75));
    assert_eq!(e.events_handled(), 3);
}

#[test]
fn routing_looks_only_at_due_and_stale_callbacks() {
    // 5,000 callbacks an hour for a day, nobody to take them: each one is looked at once,
    // when it expires, instead of at every arrival while it waits.
    let mut s = Scenario::embedded_default();
    s.web_callbacks.per_hour = 5_000.0;
    let mut e = Engine::new(RoleBook::embedded_default(), s, 1);
    e.advance(Duration::hours(24));
    let arrived = e
        .log()
        .iter()
        .filter(|l| l.text.starts_with("new "))
        .count() as u64;
    assert!(arrived > 50_000, "{arrived}");
    assert!(
        e.routing_visits() <= arrived,
        "{} visits for {arrived} callbacks",
        e.routing_visits()
    );
    // An agent who cannot take them (in the group, no effective privilege) is offered one at
    // a time; each time-out costs a visit or two, not a scan of everything waiting.
    let mut e2 = {
        let mut s = Scenario::embedded_default();
        s.web_callbacks.per_hour = 5_000.0;
        Engine::new(RoleBook::embedded_default(), s, 1)
    };
    login(&mut e2, "Demo: Web Callback actions without the channel");
    e2.advance(Duration::hours(2));
    let arrived = e2
        .log()
        .iter()
        .filter(|l| l.text.starts_with("new "))
        .count() as u64;
    let offers = e2
        .log()
        .iter()
        .filter(|l| l.text.contains("offered to"))
        .count() as u64;
    assert!(offers > 100, "{offers}");
    assert!(
        e2.routing_visits() <= arrived + 2 * offers,
        "{} visits for {arrived} callbacks and {offers} offers",
        e2.routing_visits()
    );
    e2.check_invariants().unwrap();
}

#[test]
fn a_rescheduled_web_callback_waits_in_the_reschedule_queue_then_is_offered_again() {
    let mut e = Engine::new(RoleBook::embedded_default(), quiet_scenario(), 1);
    let wes = login(&mut e, "Web Callback Agent");
    let id = e.offer_callback(wes);
    let customer = match &e.interaction(id).unwrap().payload {
        crate::world::Payload::WebCallback(cb) => {
            assert_eq!(cb.kind, crate::world::CallbackType::Asap);
            assert_eq!(cb.kind.describe(cb.desired), "as soon as possible");
            cb.customer.clone()
        }
        other => panic!("not a web callback: {other:?}"),
    };
    act(
        &mut e,
        wes,
        Target::Interaction(id),
        Action::Accept,
        Args::None,
    )
    .unwrap();
    let at = e.now() + Duration::minutes(45);
    act(
        &mut e,
        wes,
        Target::Interaction(id),
        Action::Reschedule,
        Args::At { at, scope: None },
    )
    .unwrap();
    let waiting = format!(
        "web callback for {customer} is waiting in the reschedule queue until {}",
        at.format("%H:%M")
    );
    assert!(e.log().iter().any(|l| l.text == waiting), "{waiting}");
    // Nothing is offered while it waits; at its time it comes back as an invitation.
    e.advance_to(at - Duration::seconds(1));
    assert!(e.open_interactions(wes).iter().all(|it| it.id == id));
    e.advance_to(at);
    let again: Vec<_> = e
        .open_interactions(wes)
        .iter()
        .filter(|it| it.id != id && it.stage == Stage::Offered)
        .map(|it| it.id)
        .collect();
    assert_eq!(again.len(), 1);
    assert!(
        e.log()
            .iter()
            .any(|l| l.text == format!("web callback for {customer} is due"))
    );
    e.check_invariants().unwrap();
}

/// Keeping counts only changes what is kept and nothing else: the same attempts (allowed,
/// denied, invalid) take the same numbers and write the same audit file lines, the tally
/// agrees with the entries a full log keeps, the world ends the same, and nothing is kept
/// after the switch (no entry, no transcript line).
#[test]
fn keeping_counts_only_changes_what_is_kept_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    // Counts only, with or without a file to write (without one, no entry is even made).
    let run = |counts: bool, file: bool| {
        let path = dir.path().join(format!("{counts}-{file}.jsonl"));
        let mut e = engine(7);
        let lines_before = e.log().len();
        if counts {
            e.keep_counts_only();
        }
        if file {
            e.audit_to(crate::output::LineSink::open(&path).unwrap());
        }
        let a = login(&mut e, "Outbound Preview Agent");
        midday(&mut e);
        let c = renewals(&e);
        let id = get_record(&mut e, a, c);
        let at = e.now() + Duration::hours(1);
        let on = Target::Interaction(id);
        let rescheduled =
            |e: &mut Engine| act(e, a, on, Action::Reschedule, Args::At { at, scope: None });
        // Denied before the call; no such number to dial: invalid.
        assert!(rescheduled(&mut e).unwrap_err().denial().is_some());
        let invalid = act(&mut e, a, on, Action::DialAlternative, Args::Record(99));
        assert!(
            matches!(invalid, Err(ref e) if e.denial().is_none()),
            "{invalid:?}"
        );
        e.force_next_outcome(CallResult::NoAnswer);
        act(&mut e, a, on, Action::Dial, Args::None).unwrap();
        e.advance(Duration::seconds(30));
        rescheduled(&mut e).unwrap();
        act(&mut e, a, on, Action::MarkDone, Args::None).unwrap();
        let written = std::fs::read_to_string(&path).unwrap_or_default();
        let kept = (e.audit().entries().len(), e.log().len() - lines_before);
        (
            e.audit().tally(),
            kept,
            written,
            e.interactions().to_vec(),
            e.now(),
        )
    };
    let (all, counts, unwritten) = (run(false, true), run(true, true), run(true, false));
    let (tally, (entries, lines), ..) = &all;
    assert!(
        tally.allowed > 0 && tally.denied > 0 && tally.invalid > 0,
        "{tally:?}"
    );
    assert_eq!(tally.total() as usize, *entries);
    assert!(*lines > 0);
    assert_eq!(counts.1, (0, 0), "kept after keeping counts only");
    assert_eq!(all.0, counts.0);
    assert_eq!(all.2.lines().count(), *entries);
    assert_eq!(all.2, counts.2, "the audit file differs");
    assert_eq!((&all.3, all.4), (&counts.3, counts.4));
    assert_eq!((all.0, counts.1), (unwritten.0, unwritten.1));
    assert_eq!((&all.3, all.4), (&unwritten.3, unwritten.4));
}
