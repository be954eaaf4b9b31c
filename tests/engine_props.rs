//! Properties of the simulation engine under random command sequences: the bookkeeping stays
//! whole (no record lost or duplicated), a denied or invalid command changes nothing, a number on a Do Not
//! Call list is never dialed, and the clock never goes backwards.

use agentdesk::engine::{Args, Command, CommandError, Engine, Source, Target};
use agentdesk::policy::{Action, Cell, Stage, cell};
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use agentdesk::world::{
    AgentId, CallResult, CallbackScope, Campaign, DoNotCallList, DoNotCallScope, Interaction,
    Payload, RecordChain, WebCallback, phone_key,
};
use chrono::Duration;
use proptest::prelude::*;

const AGENTS: usize = 3;

#[derive(Clone, Debug)]
enum TargetPick {
    /// One of the acting agent's open interactions (any interaction when it has none).
    Own(usize),
    /// Any interaction, possibly another agent's or a closed one.
    Any(usize),
    Campaign(usize),
}

#[derive(Clone, Debug)]
enum ActionPick {
    /// One of the actions that exist in the target's channel and stage, so most commands get
    /// past the stage check and reach privileges, compliance and arguments.
    Sensible(usize),
    /// Any action at all.
    Any(usize),
    /// This action: the ones that move work forward or touch the Do Not Call list, which a
    /// uniform pick reaches too rarely for the properties about dialing to bite.
    This(Action),
}

#[derive(Clone, Debug)]
enum ArgPick {
    None,
    /// Minutes from now (negative: the past), and whether a personal callback was asked for.
    At(i64, bool),
    /// Dial on a new number: a valid one (from a small set, so some are in chains or listed)
    /// or not.
    Number {
        valid: bool,
        n: u8,
    },
    /// Mark Do Not Call for the whole contact (else the number).
    DoNotCall(bool),
    NewNumber {
        valid: bool,
        minutes: i64,
    },
    Record(usize),
    CallResult(usize),
    Disposition(usize),
    Edit(usize),
}

#[derive(Clone, Debug)]
enum Op {
    Act {
        agent: usize,
        target: TargetPick,
        action: ActionPick,
        args: ArgPick,
    },
    Advance(i64),
    /// Minutes from now; negative targets must not move the clock back.
    AdvanceTo(i64),
    Step,
    SetRoles {
        agent: usize,
        roles: Vec<usize>,
    },
    SetReady {
        agent: usize,
        ready: bool,
    },
    OfferCallback(usize),
    OfferPush(usize),
    ForceOutcome(usize),
}

const FIELDS: [&str; 5] = ["Email", "Notes", "Account", "First Name", "Emial"];

fn target_pick() -> impl Strategy<Value = TargetPick> {
    prop_oneof![
        6 => any::<usize>().prop_map(TargetPick::Own),
        1 => any::<usize>().prop_map(TargetPick::Any),
        2 => any::<usize>().prop_map(TargetPick::Campaign),
    ]
}

fn action_pick() -> impl Strategy<Value = ActionPick> {
    prop_oneof![
        4 => any::<usize>().prop_map(ActionPick::Sensible),
        1 => any::<usize>().prop_map(ActionPick::Any),
        3 => proptest::sample::select(vec![
            Action::GetRecord,
            Action::Accept,
            Action::Dial,
            Action::DialAlternative,
            Action::MarkDoNotCall,
            Action::HangUp,
        ])
        .prop_map(ActionPick::This),
    ]
}

fn resolve_action(e: &Engine, target: Target, pick: &ActionPick) -> Action {
    let (channel, stage) = match target {
        Target::Campaign(c) => match e.campaign(c) {
            Some(c) => (c.mode.channel(), Stage::Campaign),
            None => return Action::GetRecord,
        },
        Target::Interaction(id) => match e.interaction(id) {
            Some(it) => (it.channel, it.stage),
            None => return Action::Accept,
        },
    };
    let existing: Vec<Action> = channel
        .actions()
        .iter()
        .copied()
        .filter(|a| matches!(cell(channel, *a, stage), Cell::Needs(_)))
        .collect();
    match pick {
        ActionPick::Sensible(i) if !existing.is_empty() => existing[i % existing.len()],
        ActionPick::Sensible(i) | ActionPick::Any(i) => Action::ALL[i % Action::ALL.len()],
        ActionPick::This(a) => *a,
    }
}

/// A role index, with the full-rights supervisor (first in the default file) favoured so that
/// many commands are allowed and change the world.
fn role_pick(roles: usize) -> impl Strategy<Value = usize> {
    prop_oneof![2 => Just(0usize), 3 => 0..roles]
}

fn arg_pick() -> impl Strategy<Value = ArgPick> {
    prop_oneof![
        4 => Just(ArgPick::None),
        2 => (-60i64..600, any::<bool>()).prop_map(|(m, p)| ArgPick::At(m, p)),
        1 => (any::<bool>(), any::<u8>()).prop_map(|(valid, n)| ArgPick::Number { valid, n }),
        1 => any::<bool>().prop_map(ArgPick::DoNotCall),
        1 => (any::<bool>(), -60i64..600)
            .prop_map(|(valid, minutes)| ArgPick::NewNumber { valid, minutes }),
        2 => (0usize..4).prop_map(ArgPick::Record),
        2 => any::<usize>().prop_map(ArgPick::CallResult),
        1 => any::<usize>().prop_map(ArgPick::Disposition),
        1 => any::<usize>().prop_map(ArgPick::Edit),
    ]
}

fn op(roles: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => (0..AGENTS, target_pick(), action_pick(), arg_pick()).prop_map(
            |(agent, target, action, args)| Op::Act { agent, target, action, args }
        ),
        2 => (0i64..7200).prop_map(Op::Advance),
        1 => (-120i64..240).prop_map(Op::AdvanceTo),
        3 => Just(Op::Step),
        1 => (0..AGENTS, proptest::collection::vec(role_pick(roles), 0..3))
            .prop_map(|(agent, roles)| Op::SetRoles { agent, roles }),
        1 => (0..AGENTS, any::<bool>()).prop_map(|(agent, ready)| Op::SetReady { agent, ready }),
        1 => (0..AGENTS).prop_map(Op::OfferCallback),
        1 => (0..AGENTS).prop_map(Op::OfferPush),
        1 => any::<usize>().prop_map(Op::ForceOutcome),
    ]
}

/// Everything a command may change, to compare before and after.
#[derive(Clone, Debug, PartialEq)]
struct World {
    interactions: Vec<Interaction>,
    chains: Vec<RecordChain>,
    campaigns: Vec<Campaign>,
    waiting: Vec<WebCallback>,
    do_not_call: DoNotCallList,
}

fn world(e: &Engine) -> World {
    World {
        interactions: e.interactions().to_vec(),
        chains: e.chains().cloned().collect(),
        campaigns: e.campaigns().to_vec(),
        waiting: e.waiting_callbacks().cloned().collect(),
        do_not_call: e.do_not_call().clone(),
    }
}

fn resolve_target(e: &Engine, agent: AgentId, pick: &TargetPick) -> Target {
    let all = e.interactions();
    let campaign = |i: usize| Target::Campaign(e.campaigns()[i % e.campaigns().len()].id);
    match pick {
        TargetPick::Own(i) => {
            let own = e.open_interactions(agent);
            match (own.is_empty(), all.is_empty()) {
                (false, _) => Target::Interaction(own[i % own.len()].id),
                (true, false) => Target::Interaction(all[i % all.len()].id),
                (true, true) => campaign(*i),
            }
        }
        TargetPick::Any(i) if !all.is_empty() => Target::Interaction(all[i % all.len()].id),
        TargetPick::Any(i) | TargetPick::Campaign(i) => campaign(*i),
    }
}

fn resolve_args(e: &Engine, pick: &ArgPick) -> Args {
    let now = e.now();
    match pick {
        ArgPick::None => Args::None,
        ArgPick::At(m, personal) => Args::At {
            at: now + Duration::minutes(*m),
            scope: personal.then_some(CallbackScope::Personal),
        },
        ArgPick::Number { valid, n } => Args::Number(if *valid {
            format!("+1 212 555 01{:02}", n % 100)
        } else {
            "555-01x1".into()
        }),
        ArgPick::DoNotCall(contact) => Args::DoNotCall(if *contact {
            DoNotCallScope::Contact
        } else {
            DoNotCallScope::Number
        }),
        ArgPick::NewNumber { valid, minutes } => Args::NewNumber {
            number: if *valid {
                format!("+1 212 555 01{:02}", minutes.rem_euclid(100))
            } else {
                "12ab".into()
            },
            at: now + Duration::minutes(*minutes),
            scope: None,
        },
        ArgPick::Record(r) => Args::Record(*r),
        ArgPick::CallResult(i) => Args::CallResult(CallResult::ALL[i % CallResult::ALL.len()]),
        ArgPick::Disposition(i) => {
            let list = &e.scenario().dispositions;
            Args::Disposition(if i % (list.len() + 1) == list.len() {
                "Not a disposition".into()
            } else {
                list[i % (list.len() + 1)].clone()
            })
        }
        ArgPick::Edit(i) => Args::Edit {
            field: FIELDS[i % FIELDS.len()].into(),
            value: format!("value {i}"),
        },
    }
}

/// The Do Not Call list, when the target is an outbound interaction (the list is the
/// tenant's, one for every campaign).
fn dnc_of(e: &Engine, target: Target) -> Option<DoNotCallList> {
    let Target::Interaction(id) = target else {
        return None;
    };
    e.chain_of(e.interaction(id)?)?;
    Some(e.do_not_call().clone())
}

fn run_ops(
    seed: u64,
    start_minutes: i64,
    initial_roles: &[Vec<usize>],
    ops: &[Op],
) -> Result<(), TestCaseError> {
    let mut e = Engine::new(
        RoleBook::embedded_default(),
        Scenario::embedded_default(),
        seed,
    );
    // Start somewhere in the day, so calling windows are open in some cases and shut in others.
    e.advance(Duration::minutes(start_minutes));
    let agents: Vec<AgentId> = initial_roles
        .iter()
        .enumerate()
        .map(|(i, roles)| e.login(&format!("Agent {i}"), roles.clone()))
        .collect();
    let chains = e.chain_count();
    for (step, op) in ops.iter().enumerate() {
        let before_time = e.now();
        match op {
            Op::Act {
                agent,
                target,
                action,
                args,
            } => {
                let agent = agents[*agent];
                let target = resolve_target(&e, agent, target);
                let args = resolve_args(&e, args);
                let action = resolve_action(&e, target, action);
                let before = world(&e);
                let dnc_before = dnc_of(&e, target);
                let audit_before = e.audit().entries().len();
                // The autopilot's question has the same answer as the desktop's.
                prop_assert_eq!(
                    e.allowed(agent, target, action, &args),
                    e.check_with(agent, target, action, &args).is_ok(),
                    "step {}: allowed and check_with disagree on {:?} {:?}",
                    step,
                    action,
                    &args
                );
                let result = e.execute(Command {
                    agent,
                    target,
                    action,
                    args,
                    source: Source::Desktop,
                });
                match &result {
                    Err(CommandError::Denied(d)) => {
                        prop_assert_eq!(
                            &before,
                            &world(&e),
                            "step {}: denied {:?} changed the world",
                            step,
                            d
                        );
                        prop_assert_eq!(e.audit().entries().len(), audit_before + 1);
                        prop_assert_eq!(
                            e.audit().entries().last().map(|x| x.decision().as_str()),
                            Some("denied")
                        );
                    }
                    Err(other) => {
                        // Invalid arguments are refused before anything changes, too.
                        prop_assert_eq!(
                            &before,
                            &world(&e),
                            "step {}: refused {:?} changed the world",
                            step,
                            other
                        );
                    }
                    Ok(_)
                        if matches!(
                            action,
                            Action::Dial | Action::DialAlternative | Action::DialNewNumber
                        ) =>
                    {
                        let Target::Interaction(id) = target else {
                            return Err(TestCaseError::fail("dial succeeded on a campaign"));
                        };
                        let it = e
                            .interaction(id)
                            .ok_or_else(|| TestCaseError::fail("gone"))?;
                        let call = it
                            .calls
                            .last()
                            .ok_or_else(|| TestCaseError::fail("no call"))?;
                        if let (Some(dnc), Payload::Outbound { .. }) = (&dnc_before, &it.payload) {
                            let chain =
                                e.chain_of(it).ok_or_else(|| TestCaseError::fail("chain"))?;
                            prop_assert!(
                                dnc.blocking(&call.number, &chain.contact_name).is_none(),
                                "step {}: dialed {} from the Do Not Call list",
                                step,
                                call.number
                            );
                            let record = &chain.records[call.record.unwrap_or(chain.selected)];
                            let local = record.time_zone.local(e.now());
                            prop_assert!(
                                record.window.contains(local.time()),
                                "step {}: dialed {} outside its window",
                                step,
                                call.number
                            );
                        }
                    }
                    _ => {}
                }
            }
            Op::Advance(s) => e.advance(Duration::seconds(*s)),
            Op::AdvanceTo(m) => e.advance_to(e.now() + Duration::minutes(*m)),
            Op::Step => {
                e.step();
            }
            Op::SetRoles { agent, roles } => e.set_roles(agents[*agent], roles.clone()),
            Op::SetReady { agent, ready } => e.set_ready(agents[*agent], *ready),
            Op::OfferCallback(agent) => {
                e.offer_callback(agents[*agent]);
            }
            Op::OfferPush(agent) => {
                let push = e
                    .campaigns()
                    .iter()
                    .find(|c| c.mode == agentdesk::world::CampaignMode::PushPreview)
                    .map(|c| c.id);
                if let Some(c) = push {
                    e.offer_push(agents[*agent], c);
                }
            }
            Op::ForceOutcome(i) => e.force_next_outcome(CallResult::ALL[i % CallResult::ALL.len()]),
        }
        prop_assert!(
            e.now() >= before_time,
            "step {}: {:?} moved the clock back from {} to {}",
            step,
            op,
            before_time,
            e.now()
        );
        if let Err(why) = e.check_invariants() {
            return Err(TestCaseError::fail(format!("step {step}: {op:?}: {why}")));
        }
        prop_assert_eq!(e.chain_count(), chains, "chains appeared or vanished");
    }
    Ok(())
}

fn role_count() -> usize {
    RoleBook::embedded_default().roles.len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_command_sequences_keep_the_engine_sound(
        seed in any::<u64>(),
        start_minutes in 0i64..600,
        initial_roles in proptest::collection::vec(
            proptest::collection::vec(role_pick(role_count()), 1..3),
            AGENTS,
        ),
        ops in proptest::collection::vec(op(role_count()), 1..60),
    ) {
        run_ops(seed, start_minutes, &initial_roles, &ops)?;
    }
}

/// A fixed sequence that certainly meets a Do Not Call denial and a dial, so the properties
/// above are known to be exercised, not only vacuously true.
#[test]
fn the_do_not_call_and_denial_paths_are_reached() {
    let book = RoleBook::embedded_default();
    let supervisor = book.role_index("Supervisor").expect("default role");
    let ops = vec![
        Op::SetReady {
            agent: 0,
            ready: false,
        },
        Op::Act {
            agent: 0,
            target: TargetPick::Campaign(0),
            action: ActionPick::This(Action::GetRecord),
            args: ArgPick::None,
        },
        Op::Act {
            agent: 0,
            target: TargetPick::Own(0),
            action: ActionPick::This(Action::MarkDoNotCall),
            args: ArgPick::None,
        },
        Op::Act {
            agent: 0,
            target: TargetPick::Own(0),
            action: ActionPick::This(Action::Dial),
            args: ArgPick::None,
        },
        Op::Act {
            agent: 0,
            target: TargetPick::Own(0),
            action: ActionPick::This(Action::DialAlternative),
            args: ArgPick::Record(1),
        },
    ];
    let roles = vec![vec![supervisor], vec![supervisor], vec![supervisor]];
    run_ops(5, 270, &roles, &ops).expect("properties hold");

    // Replay the same sequence by hand to see that the paths really were taken.
    let mut e = Engine::new(book, Scenario::embedded_default(), 5);
    let a = e.login("Agent 0", vec![supervisor]);
    e.advance_to(e.now() + Duration::minutes(270));
    e.set_ready(a, false);
    let renewals = e.campaigns()[0].id;
    let id = e
        .execute(Command {
            agent: a,
            target: Target::Campaign(renewals),
            action: Action::GetRecord,
            args: Args::None,
            source: Source::Desktop,
        })
        .expect("get-record")
        .opened
        .expect("a record");
    let cmd = |action, args| Command {
        agent: a,
        target: Target::Interaction(id),
        action,
        args,
        source: Source::Desktop,
    };
    e.execute(cmd(Action::MarkDoNotCall, Args::None))
        .expect("mark-do-not-call");
    let denied = e.execute(cmd(Action::Dial, Args::None)).expect_err("dnc");
    assert_eq!(denied.denial().map(|d| d.kind.as_str()), Some("compliance"));
    e.execute(cmd(Action::DialAlternative, Args::Record(1)))
        .expect("the work number is not on the list");
}

/// Found by the property above: a plain `dial` given a record argument used to call that
/// record, whose compliance had not been checked (here, a number on the Do Not Call list).
#[test]
fn a_plain_dial_calls_the_selected_number_whatever_its_arguments() {
    let book = RoleBook::embedded_default();
    let supervisor = book.role_index("Supervisor").expect("default role");
    let mut e = Engine::new(book, Scenario::embedded_default(), 9);
    let a = e.login("Sam", vec![supervisor]);
    e.set_ready(a, false);
    e.advance(Duration::hours(5));
    let id = e
        .execute(Command {
            agent: a,
            target: Target::Campaign(e.campaigns()[0].id),
            action: Action::GetRecord,
            args: Args::None,
            source: Source::Desktop,
        })
        .expect("get-record")
        .opened
        .expect("a record");
    let cmd = |action, args| Command {
        agent: a,
        target: Target::Interaction(id),
        action,
        args,
        source: Source::Desktop,
    };
    e.force_next_outcome(CallResult::Busy);
    e.execute(cmd(Action::DialAlternative, Args::Record(1)))
        .expect("the work number may be called");
    e.advance(Duration::minutes(1));
    // Marks the number just called (the work number), not the selected one.
    e.execute(cmd(Action::MarkDoNotCall, Args::None))
        .expect("mark-do-not-call");
    let chain = e
        .chain_of(e.interaction(id).expect("interaction"))
        .expect("chain");
    let (selected, work) = (
        chain.records[chain.selected].phone.clone(),
        chain.records[1].phone.clone(),
    );
    let entry = e
        .do_not_call()
        .blocking(&work, "someone else")
        .expect("listed");
    assert_eq!(phone_key(&entry.shown), phone_key(&work));
    e.execute(cmd(Action::Dial, Args::Record(1)))
        .expect("the selected number is not on the list");
    let dialed = e
        .interaction(id)
        .and_then(|it| it.calls.last())
        .map(|c| c.number.clone());
    assert_eq!(dialed, Some(selected));
}
