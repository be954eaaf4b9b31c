//! A recording is faithful: random sequences of desktop commands (attempts with and without
//! their arguments, dialog actions, live role changes, role-editor edits, agent switches,
//! Ready / Not Ready, the clock moving), recorded in the window's state, replay headless to
//! the same decisions and outcomes: the same audit log, entry for entry, but for who made the
//! attempts (`source`), and every recorded expectation holds.

use agentdesk::engine::audit::{AuditEntry, Source};
use agentdesk::engine::{Args, Engine, Target};
use agentdesk::policy::{Action, CATALOGUE, KNOWN_VERSIONS};
use agentdesk::qa::script::{Script, run};
use agentdesk::training::role_edit::RoleDraft;
use agentdesk::ui::{Desktop, UiCommand};
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use agentdesk::world::{CallResult, CallbackScope, DoNotCallScope, InteractionId};
use chrono::Duration;
use proptest::prelude::*;

/// One thing a person does at the desktop, in terms that fit whatever state it is in.
#[derive(Clone, Debug)]
enum Op {
    /// Press an action's button (allowed or not) on one of the agent's interactions.
    Press {
        pick: usize,
        action: usize,
    },
    /// An action with arguments, as a dialog sends it.
    Dialog {
        pick: usize,
        args: ArgPick,
    },
    GetRecord {
        campaign: usize,
    },
    Select {
        pick: usize,
    },
    /// Tick roles on and off from the top bar (bits over the role book).
    SetRoles(u32),
    /// A change made in the role editor and applied.
    Edit(EditPick),
    SwitchAgent(usize),
    Ready(bool),
    Step,
    /// Simulated seconds pass.
    Wait(i64),
}

#[derive(Clone, Debug)]
enum ArgPick {
    Reschedule {
        minutes: i64,
        scope: u8,
        new_number: bool,
    },
    DialNewNumber(usize),
    DialAlternative(usize),
    CallResult(usize),
    Disposition(usize),
    Edit {
        field: usize,
        value: usize,
    },
    DoNotCall(bool),
}

#[derive(Clone, Debug)]
enum EditPick {
    Toggle { role: usize, privilege: usize },
    Create,
    Rename { role: usize, name: usize },
    Duplicate(usize),
    Delete(usize),
    Assign { agent: usize, role: usize, on: bool },
    Version(usize),
    Describe { role: usize, text: usize },
}

const NUMBERS: [&str; 4] = [
    "+1 212 555 0199",
    "12",
    "+1 206 555 0157",
    "+1 415 555 0123",
];
const FIELDS: [&str; 4] = ["Email", "Notes", "Account", "Emial"];
const NAMES: [&str; 3] = ["Night shift", "Trainee", "Supervisor \"B\""];
const TEXTS: [&str; 2] = ["Evening work", "Two\nlines"];

fn arg_pick() -> impl Strategy<Value = ArgPick> {
    prop_oneof![
        (-30i64..3000, 0u8..3, any::<bool>()).prop_map(|(minutes, scope, new_number)| {
            ArgPick::Reschedule {
                minutes,
                scope,
                new_number,
            }
        }),
        (0..NUMBERS.len()).prop_map(ArgPick::DialNewNumber),
        (0usize..4).prop_map(ArgPick::DialAlternative),
        (0usize..13).prop_map(ArgPick::CallResult),
        (0usize..9).prop_map(ArgPick::Disposition),
        (0..FIELDS.len(), 0usize..2).prop_map(|(field, value)| ArgPick::Edit { field, value }),
        any::<bool>().prop_map(ArgPick::DoNotCall),
    ]
}

fn edit_pick() -> impl Strategy<Value = EditPick> {
    prop_oneof![
        3 => (0usize..20, 0usize..23).prop_map(|(role, privilege)| EditPick::Toggle { role, privilege }),
        1 => Just(EditPick::Create),
        1 => (0usize..20, 0..NAMES.len()).prop_map(|(role, name)| EditPick::Rename { role, name }),
        1 => (0usize..20).prop_map(EditPick::Duplicate),
        1 => (0usize..20).prop_map(EditPick::Delete),
        2 => (0usize..6, 0usize..20, any::<bool>()).prop_map(|(agent, role, on)| EditPick::Assign { agent, role, on }),
        1 => (0usize..3).prop_map(EditPick::Version),
        1 => (0usize..20, 0..TEXTS.len()).prop_map(|(role, text)| EditPick::Describe { role, text }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..8, 0usize..16).prop_map(|(pick, action)| Op::Press { pick, action }),
        5 => (0usize..8, arg_pick()).prop_map(|(pick, args)| Op::Dialog { pick, args }),
        3 => (0usize..3).prop_map(|campaign| Op::GetRecord { campaign }),
        1 => (0usize..8).prop_map(|pick| Op::Select { pick }),
        1 => any::<u32>().prop_map(Op::SetRoles),
        3 => edit_pick().prop_map(Op::Edit),
        1 => (0usize..6).prop_map(Op::SwitchAgent),
        1 => any::<bool>().prop_map(Op::Ready),
        2 => Just(Op::Step),
        3 => (1i64..900).prop_map(Op::Wait),
    ]
}

/// One of the desk agent's interactions, open ones first (closed ones are attempts too).
fn pick_interaction(d: &Desktop, pick: usize) -> Option<InteractionId> {
    let s = &d.session;
    let mut ids: Vec<InteractionId> = s
        .engine
        .open_interactions(s.agent)
        .iter()
        .map(|it| it.id)
        .collect();
    ids.extend(
        s.engine
            .interactions()
            .iter()
            .filter(|it| it.agent == s.agent && !it.is_open())
            .map(|it| it.id),
    );
    (!ids.is_empty()).then(|| ids[pick % ids.len()])
}

fn args_of(d: &Desktop, pick: &ArgPick) -> (Action, Args) {
    let now = d.session.engine.now();
    let dispositions = &d.session.engine.scenario().dispositions;
    match pick {
        ArgPick::Reschedule {
            minutes,
            scope,
            new_number,
        } => {
            let at = now + Duration::minutes(*minutes);
            let scope = [
                None,
                Some(CallbackScope::Personal),
                Some(CallbackScope::Campaign),
            ][*scope as usize % 3];
            if *new_number {
                (
                    Action::RescheduleNewNumber,
                    Args::NewNumber {
                        number: NUMBERS[0].to_string(),
                        at,
                        scope,
                    },
                )
            } else {
                (Action::Reschedule, Args::At { at, scope })
            }
        }
        ArgPick::DialNewNumber(n) => (
            Action::DialNewNumber,
            Args::Number(NUMBERS[n % NUMBERS.len()].to_string()),
        ),
        ArgPick::DialAlternative(r) => (Action::DialAlternative, Args::Record(*r)),
        ArgPick::CallResult(r) => (
            Action::SetCallResult,
            Args::CallResult(CallResult::ALL[r % CallResult::ALL.len()]),
        ),
        ArgPick::Disposition(i) => (
            Action::SetDisposition,
            Args::Disposition(
                dispositions
                    .get(*i)
                    .cloned()
                    .unwrap_or_else(|| "Sael".to_string()),
            ),
        ),
        ArgPick::Edit { field, value } => (
            Action::EditRecordData,
            Args::Edit {
                field: FIELDS[field % FIELDS.len()].to_string(),
                value: ["", "a@example.com"][value % 2].to_string(),
            },
        ),
        ArgPick::DoNotCall(contact) => (
            Action::MarkDoNotCall,
            Args::DoNotCall(if *contact {
                DoNotCallScope::Contact
            } else {
                DoNotCallScope::Number
            }),
        ),
    }
}

/// The role editor's change, made on a draft of the desk's book and applied.
fn edit(d: &mut Desktop, pick: &EditPick) {
    let mut draft = RoleDraft::new(d.session.engine.roles());
    let roles = draft.role_count().max(1);
    match pick {
        EditPick::Toggle { role, privilege } => {
            draft.toggle(role % roles, CATALOGUE[privilege % CATALOGUE.len()].id);
        }
        EditPick::Create => {
            let name = draft.unused_name("New role");
            let _ = draft.create_role(&name);
        }
        EditPick::Rename { role, name } => {
            let _ = draft.rename_role(role % roles, NAMES[name % NAMES.len()]);
        }
        EditPick::Duplicate(role) => {
            draft.duplicate_role(role % roles);
        }
        EditPick::Delete(role) => {
            draft.delete_role(role % roles);
        }
        EditPick::Assign { agent, role, on } => {
            let agents = draft.agent_count().max(1);
            draft.set_agent_role(agent % agents, role % roles, *on);
        }
        EditPick::Version(v) => {
            draft.set_product_version(KNOWN_VERSIONS[v % KNOWN_VERSIONS.len()]);
        }
        EditPick::Describe { role, text } => {
            draft.set_description(role % roles, TEXTS[text % TEXTS.len()]);
        }
    }
    if draft.has_unapplied_changes() {
        d.apply(UiCommand::ReplaceRoles(Box::new(draft.apply())));
    }
}

fn apply(d: &mut Desktop, op: &Op) {
    match op {
        Op::Press { pick, action } => {
            // The desk offers every action on an interaction but Get Record, which acts on a
            // campaign (`GetRecord` below).
            let actions: Vec<Action> = Action::ALL
                .iter()
                .copied()
                .filter(|&a| a != Action::GetRecord)
                .collect();
            if let Some(id) = pick_interaction(d, *pick) {
                let action = actions[action % actions.len()];
                d.apply(UiCommand::Request {
                    target: Target::Interaction(id),
                    action,
                });
                // A dialog that opened is left unanswered: nothing was attempted yet.
                d.apply(UiCommand::CloseDialog);
            }
        }
        Op::Dialog { pick, args } => {
            if let Some(id) = pick_interaction(d, *pick) {
                let (action, args) = args_of(d, args);
                d.apply(UiCommand::Act {
                    target: Target::Interaction(id),
                    action,
                    args,
                });
            }
        }
        Op::GetRecord { campaign } => {
            let campaigns = d.session.engine.campaigns();
            let c = campaigns[campaign % campaigns.len()].id;
            d.apply(UiCommand::Request {
                target: Target::Campaign(c),
                action: Action::GetRecord,
            });
        }
        Op::Select { pick } => {
            if let Some(id) = pick_interaction(d, *pick) {
                d.apply(UiCommand::Select(id));
            }
        }
        Op::SetRoles(bits) => {
            let roles = (0..d.session.engine.roles().roles.len())
                .filter(|i| i < &32 && bits & (1 << i) != 0)
                .collect();
            d.apply(UiCommand::SetRoles(roles));
        }
        Op::Edit(pick) => edit(d, pick),
        Op::SwitchAgent(i) => {
            let agents = d.session.engine.roles().agents.len();
            if agents > 0 {
                d.apply(UiCommand::SwitchAgent(i % agents));
            }
        }
        Op::Ready(ready) => d.apply(UiCommand::SetReady(*ready)),
        Op::Step => d.apply(UiCommand::Step),
        Op::Wait(seconds) => {
            let until = d.session.engine.now() + Duration::seconds(*seconds);
            d.advance_to(until);
        }
    }
}

/// An audit entry as a replay must reproduce it: everything but who made the attempt.
fn comparable(e: &AuditEntry) -> AuditEntry {
    AuditEntry {
        source: Source::Desktop,
        ..e.clone()
    }
}

fn check(seed: u64, before: &[Op], during: &[Op]) -> Result<(), TestCaseError> {
    let book = RoleBook::embedded_default();
    let scenario = Scenario::embedded_default();
    let engine = Engine::new(book.clone(), scenario.clone(), seed);
    let alex = engine.roles().find_agent("Alex").unwrap();
    let mut d = Desktop::new(engine, alex);
    d.session.pace.paused = true;
    let noon = d.session.engine.now().date().and_hms_opt(11, 0, 0).unwrap();
    d.advance_to(noon);
    for op in before {
        apply(&mut d, op);
    }
    d.apply(UiCommand::StartRecording);
    prop_assert!(d.session.recorder.is_some(), "the recording started");
    for op in during {
        apply(&mut d, op);
    }
    d.apply(UiCommand::StopRecording);
    let text = d.session.recorded.clone().unwrap();
    let parsed = Script::parse("recorded.script", &text, &book, &scenario)
        .map_err(|e| TestCaseError::fail(format!("{}\n{text}", e[0])))?;
    let mut replayed = Engine::new(book, scenario, seed);
    let mut transcript = Vec::new();
    let report = run(&mut replayed, &parsed.script, &mut transcript).unwrap();
    let transcript = String::from_utf8_lossy(&transcript);
    prop_assert!(report.all_passed(), "{text}\n{transcript}");
    let desk: Vec<AuditEntry> = d
        .session
        .engine
        .audit()
        .entries()
        .iter()
        .map(comparable)
        .collect();
    let headless: Vec<AuditEntry> = replayed.audit().entries().iter().map(comparable).collect();
    prop_assert_eq!(desk.len(), headless.len(), "{}\n{}", text, transcript);
    for (a, b) in desk.iter().zip(&headless) {
        prop_assert_eq!(a, b, "{}\n{}", text, transcript);
    }
    // The same interactions, with the same numbers, in the same state.
    let states = |e: &Engine| -> Vec<_> {
        e.interactions()
            .iter()
            .map(|it| (it.id, it.channel, it.stage, it.agent, it.completion))
            .collect()
    };
    prop_assert_eq!(states(&d.session.engine), states(&replayed), "{}", text);
    prop_assert_eq!(d.session.engine.now(), replayed.now());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_desktop_sessions_replay_headless_to_the_same_audit_log(
        seed in 1u64..1000,
        before in prop::collection::vec(op(), 0..8),
        during in prop::collection::vec(op(), 1..40),
    ) {
        check(seed, &before, &during)?;
    }
}
