//! Guided lessons without a window: `agentdesk lesson check` on the shipped lessons and on
//! broken ones (positions, exit codes), a lesson done through the desktop's commands (score,
//! wrong attempts, hints), the score card's exports, and a recording turned into a lesson.

use crate::common::{Ran, temp_file};
use agentdesk::engine::{Args, Engine, Target};
use agentdesk::policy::Action;
use agentdesk::training::lesson::{
    CSV_HEADER, CheckState, Lesson, PAUSE_MARK, SHIPPED, check, lesson_draft,
};
use agentdesk::ui::{Desktop, UiCommand};
use agentdesk::world::CallResult;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use std::path::PathBuf;
use tempfile::NamedTempFile;

fn lesson_file(text: &str) -> NamedTempFile {
    temp_file(".lesson", text)
}

fn shipped_files() -> Vec<PathBuf> {
    crate::common::shipped("lessons", "lesson")
}

/// `agentdesk lesson check` on a lesson file holding `text` (kept while the run is looked at).
fn lesson_check(text: &str) -> (NamedTempFile, Ran) {
    let f = lesson_file(text);
    let out = Ran::of(&["lesson", "check", f.path().to_str().unwrap()]);
    (f, out)
}

/// A shipped lesson, parsed as the Lessons tool parses it.
pub fn shipped(name: &str) -> Lesson {
    let (file, text) = SHIPPED
        .iter()
        .find(|(f, _)| f.contains(name))
        .expect("a shipped lesson of that name");
    Lesson::parse(file, text, None).expect("shipped lessons parse")
}

#[test]
fn every_shipped_lesson_passes_lesson_check() {
    let files = shipped_files();
    assert!(files.len() >= 7, "{files:?}");
    // The Lessons tool offers exactly the files of assets/lessons.
    assert_eq!(files.len(), SHIPPED.len());
    for f in &files {
        let name = f.file_name().unwrap().to_str().unwrap();
        assert!(
            SHIPPED.iter().any(|(path, _)| path.ends_with(name)),
            "{name} is not in SHIPPED"
        );
    }
    let args: Vec<&str> = std::iter::once("lesson")
        .chain(std::iter::once("check"))
        .chain(files.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let out = Ran::of(&args);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let text = &out.stdout;
    assert_eq!(text.matches(", solvable (").count(), files.len(), "{text}");
}

#[test]
fn a_typo_fails_with_its_position_and_a_suggestion() {
    let (f, out) = lesson_check(
        "lesson \"Typos\"\nlogin agent \"Dana\"\nstpe \"Get a record\"\nget-recrd\nexpect allowed\n",
    );
    let path = f.path().to_str().unwrap();
    out.says(
        2,
        &[
            &format!("{path}:3:1: error: unknown command \"stpe\""),
            "did you mean \"step\"?",
            &format!("{path}:4:1: error: unknown command \"get-recrd\""),
            "did you mean \"get-record\"?",
        ],
    );
}

#[test]
fn the_desktop_refuses_a_broken_lesson_before_its_window_opens() {
    let f = lesson_file("lesson \"Nothing to do\"\n");
    let path = f.path().to_str().unwrap();
    let out = Ran::with(&["--lesson", path], |cmd| {
        cmd.env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
    });
    assert_eq!(out.code, Some(2), "{out}");
    assert!(
        out.stderr
            .contains(&format!("{path}:1:1: error: this lesson has no step")),
        "{}",
        out.stderr
    );
}

#[test]
fn lesson_lines_have_their_own_errors() {
    let (f, out) = lesson_check(
        "login agent \"Dana\"\nhint \"too early\"\nstep \"Look around\"\nready\nstep Get\nseed x\n",
    );
    let path = f.path().to_str().unwrap();
    let err = out.says(2, &[]);
    for wanted in [
        format!("{path}:1:1: error: a lesson starts with its title"),
        format!("{path}:2:1: error: a hint belongs to a step"),
        format!("{path}:3:1: error: this step gives the trainee nothing to do"),
        format!("{path}:5:6: error: this argument must be quoted"),
        format!("{path}:6:1: error: `seed` belongs before the first step"),
    ] {
        assert!(err.contains(&wanted), "missing {wanted:?} in:\n{err}");
    }
}

#[test]
fn an_unsolvable_step_fails_with_its_position() {
    let (f, out) = lesson_check(
        "lesson \"Cancel\"\nlogin agent \"Dana\"\nnot-ready\n\nstep \"Get a record\"\nget-record\nexpect allowed\n\nstep \"Cancel it\"\ncancel\nexpect allowed\n",
    );
    let path = f.path().to_str().unwrap();
    let unsolvable = format!(
        "{path}:11:1: error: step 2 (\"Cancel it\") cannot be done as written: expected cancel on line 10 to be allowed"
    );
    out.says(1, &[&unsolvable]);
    // A file that cannot be used wins over one that cannot be done.
    let bad = lesson_file("lesson \"x\"\n");
    let out = Ran::of(&["lesson", "check", path, bad.path().to_str().unwrap()]);
    assert_eq!(out.code, Some(2), "{out}");
}

#[test]
fn a_lesson_names_its_roles_and_scenario_next_to_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("r.toml"),
        "[[role]]\nname = \"Caller\"\nprivileges = [\"Outbound - Can Use\"]\n[[agent]]\nname = \"Kim\"\nroles = [\"Caller\"]\n",
    )
    .unwrap();
    let lesson = dir.path().join("l.lesson");
    std::fs::write(
        &lesson,
        "lesson \"Own roles\"\nroles-file \"r.toml\"\nseed 3\nlogin agent \"Kim\"\nstep \"Get a record\"\nget-record\nexpect allowed\nstep \"Try to reject it\"\nreject\nexpect denied privilege \"Outbound - Can Reject Record\"\n",
    )
    .unwrap();
    let out = Ran::of(&["lesson", "check", lesson.to_str().unwrap()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let parsed = Lesson::load(&lesson).unwrap();
    assert_eq!(parsed.seed, 3);
    assert_eq!(parsed.book.roles.len(), 1);
    assert_eq!(parsed.steps.len(), 2);
    assert_eq!(parsed.steps[1].text, "Try to reject it");
    // A missing roles file is named at the line that names it.
    std::fs::remove_file(dir.path().join("r.toml")).unwrap();
    let out = Ran::of(&["lesson", "check", lesson.to_str().unwrap()]);
    assert_eq!(out.code, Some(2), "{out}");
    assert!(
        out.stderr
            .contains(":2:12: error: the roles file cannot be used"),
        "{}",
        out.stderr
    );
}

fn desk_on(lesson: Lesson) -> Desktop {
    let engine = Engine::new(
        RoleBook::embedded_default(),
        Scenario::embedded_default(),
        1,
    );
    let mut d = Desktop::new(engine, 0);
    d.start_lesson(lesson);
    d
}

fn act(d: &mut Desktop, action: Action, args: Args) {
    let target = if action.acts_on_campaign() {
        Target::Campaign(d.session.engine.campaigns()[0].id)
    } else {
        Target::Interaction(d.view.selected.expect("an interaction is selected"))
    };
    d.apply_all(vec![UiCommand::Act {
        target,
        action,
        args,
    }]);
}

fn click(d: &mut Desktop, action: Action) {
    let target = Target::Interaction(d.view.selected.expect("an interaction is selected"));
    d.apply_all(vec![UiCommand::Request { target, action }]);
}

fn step_of(d: &Desktop) -> usize {
    d.session.lesson.as_ref().expect("a lesson runs").run.step()
}

/// The reschedule lesson, done right through the desktop's commands.
fn do_reschedule_lesson(d: &mut Desktop) {
    act(d, Action::GetRecord, Args::None);
    assert_eq!(step_of(d), 1);
    click(d, Action::Reschedule); // greyed out: the denial is the point of the step
    assert_eq!(step_of(d), 2);
    act(d, Action::Dial, Args::None);
    assert_eq!(
        step_of(d),
        3,
        "the lesson ran the clock to the end of the call"
    );
    let tomorrow = d.session.engine.now() + chrono::Duration::days(1);
    act(
        d,
        Action::Reschedule,
        Args::At {
            at: tomorrow,
            scope: None,
        },
    );
    assert_eq!(step_of(d), 4);
    act(
        d,
        Action::SetCallResult,
        Args::CallResult(CallResult::NoAnswer),
    );
    act(d, Action::MarkDone, Args::None);
}

#[test]
fn a_lesson_done_right_at_the_desk_ends_with_full_marks() {
    let mut d = desk_on(shipped("reschedule-before-after-call"));
    assert_eq!(d.session.agent_name(), "Dana");
    assert!(d.session.pace.paused, "the lesson moves the clock itself");
    do_reschedule_lesson(&mut d);
    let l = d.session.lesson.as_ref().unwrap();
    assert!(l.run.is_finished());
    let card = l.score(&d.session);
    assert!(card.full_marks(), "{card:?}");
    assert_eq!(card.first_try_steps(), 5);
    assert_eq!(
        card.denials_met(),
        1,
        "the refused reschedule the lesson shows"
    );
    assert_eq!(card.hints_used(), 0);
    assert_eq!(card.trainee, "Dana");
}

#[test]
fn a_wrong_attempt_says_why_and_does_not_advance() {
    let mut d = desk_on(shipped("reschedule-before-after-call"));
    act(&mut d, Action::GetRecord, Args::None);
    click(&mut d, Action::Reschedule);
    // Step 3 asks for Dial; Dana tries to cancel, which her role does not allow.
    click(&mut d, Action::Cancel);
    assert_eq!(step_of(&d), 2);
    let run = &d.session.lesson.as_ref().unwrap().run;
    let wrong = run.wrong.as_ref().expect("the wrong attempt is explained");
    assert_eq!(
        wrong.reason,
        "Cancel: Your role does not allow you to cancel this record."
    );
    assert!(!wrong.changed_desk);
    // An allowed action the step did not ask for changes the desk: it says so.
    let mut d2 = desk_on(shipped("reject-or-cancel"));
    act(&mut d2, Action::GetRecord, Args::None);
    click(&mut d2, Action::Cancel);
    let run2 = &d2.session.lesson.as_ref().unwrap().run;
    assert_eq!(run2.step(), 1, "cancel is not what the step asks");
    assert!(run2.wrong.as_ref().unwrap().changed_desk);
    // Starting the step again puts the desk back where the step began.
    d2.apply_all(vec![UiCommand::LessonRestartStep]);
    let run2 = &d2.session.lesson.as_ref().unwrap().run;
    assert_eq!(run2.step(), 1);
    assert!(run2.wrong.is_none());
    click(&mut d2, Action::Reject);
    assert_eq!(step_of(&d2), 2);
    // The first lesson goes on from where it was, and the card remembers.
    act(&mut d, Action::Dial, Args::None);
    assert_eq!(step_of(&d), 3);
    let card = d.session.lesson.as_ref().unwrap().score(&d.session);
    assert!(!card.steps[2].first_try());
    assert_eq!(card.steps[2].wrong, 1);
    assert_eq!(card.denials_met(), 2);
}

#[test]
fn checks_turn_green_one_by_one_and_hints_are_counted() {
    let mut d = desk_on(shipped("reject-or-cancel"));
    let checks = d.session.lesson.as_ref().unwrap().run.checks();
    assert_eq!(checks.len(), 2);
    assert!(checks.iter().all(|(_, s)| *s == CheckState::Pending));
    d.apply_all(vec![UiCommand::LessonHint]);
    let run = &d.session.lesson.as_ref().unwrap().run;
    assert_eq!(run.hints_shown().len(), 1);
    assert!(
        run.hints_shown()[0].contains("Get Record"),
        "{:?}",
        run.hints()
    );
    act(&mut d, Action::GetRecord, Args::None);
    let run = &d.session.lesson.as_ref().unwrap().run;
    assert_eq!(run.step(), 1);
    let card = d.session.lesson.as_ref().unwrap().score(&d.session);
    assert_eq!(card.hints_used(), 1);
    assert!(card.steps[0].first_try(), "a hint is not a wrong attempt");
    assert!(!card.full_marks());
}

#[test]
fn a_role_edit_step_waits_for_the_role_editor() {
    let lesson = shipped("granted-but-inactive");
    let mut d = desk_on(lesson);
    act(&mut d, Action::GetRecord, Args::None);
    click(&mut d, Action::Reschedule);
    assert_eq!(step_of(&d), 2);
    // The role editor's change, as it applies it.
    let mut draft = agentdesk::training::role_edit::RoleDraft::new(d.session.engine.roles());
    let role = d
        .session
        .engine
        .roles()
        .role_index("Demo: Outbound Before Call without Reschedule")
        .unwrap();
    draft.set_granted(role, "ob.reschedule", true);
    d.apply_all(vec![UiCommand::ReplaceRoles(Box::new(draft.apply()))]);
    assert_eq!(step_of(&d), 3);
    let tomorrow = d.session.engine.now() + chrono::Duration::days(1);
    act(
        &mut d,
        Action::Reschedule,
        Args::At {
            at: tomorrow,
            scope: None,
        },
    );
    let l = d.session.lesson.as_ref().unwrap();
    assert!(l.run.is_finished());
    assert!(l.score(&d.session).full_marks());
}

#[test]
fn the_score_card_exports_junit_and_csv() {
    let mut d = desk_on(shipped("reschedule-before-after-call"));
    act(&mut d, Action::GetRecord, Args::None);
    click(&mut d, Action::Cancel); // wrong: denied
    click(&mut d, Action::Reschedule);
    let card = d.session.lesson.as_ref().unwrap().score(&d.session);
    let xml = card.to_junit("2026-01-05T10:00:00+01:00");
    assert!(xml.contains("tests=\"5\" failures=\"4\""), "{xml}");
    assert!(
        xml.contains(&format!(
            "<testsuite name=\"reschedule-before-after-call - {}\"",
            card.trainee
        )),
        "{xml}"
    );
    assert!(
        xml.contains("step: Get a record from the Winter Renewals campaign."),
        "{xml}"
    );
    assert!(xml.contains("done after 1 wrong attempt(s)"), "{xml}");
    // Per-step time is the trainee's wall-clock time, not zero.
    assert!(card.steps[0].done && card.steps[0].wall > std::time::Duration::ZERO);
    assert!(!xml.contains("simulated_seconds\" value=\"0\"") || card.simulated().is_zero());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("result.xml");
    std::fs::write(&path, &xml).unwrap();
    crate::consumers::check_junit(&path);
    let csv = card.to_csv();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().unwrap(), CSV_HEADER.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[1][4], "true"); // done
    assert_eq!(&rows[1][5], "false"); // not at the first try
    assert_eq!(&rows[1][6], "1");
    assert_eq!(&rows[2][4], "false");
}

#[test]
fn a_recorded_session_with_marked_pauses_becomes_a_solvable_lesson() {
    let engine = Engine::new(
        RoleBook::embedded_default(),
        Scenario::embedded_default(),
        1,
    );
    let dana = engine.roles().find_agent("Dana").unwrap();
    let mut d = Desktop::new(engine, dana);
    d.apply_all(vec![UiCommand::StartRecording]);
    d.apply_all(vec![UiCommand::SetReady(false), UiCommand::MarkLessonStep]);
    act(&mut d, Action::GetRecord, Args::None);
    d.apply_all(vec![UiCommand::MarkLessonStep]);
    click(&mut d, Action::Cancel);
    d.apply_all(vec![UiCommand::StopRecording]);
    let recorded = d.session.recorded.clone().expect("a recording");
    assert_eq!(recorded.matches(PAUSE_MARK).count(), 2);
    let draft = lesson_draft(&recorded, "Dana's first record");
    let lesson = Lesson::parse("draft.lesson", &draft, None).unwrap_or_else(|e| {
        panic!(
            "{}\n{draft}",
            e.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert_eq!(lesson.steps.len(), 2);
    assert!(check(&lesson, &draft).solvable(), "{draft}");
}

#[test]
fn the_arguments_chosen_at_the_desk_are_checked_too() {
    let mut d = desk_on(shipped("reschedule-before-after-call"));
    act(&mut d, Action::GetRecord, Args::None);
    click(&mut d, Action::Reschedule);
    let run = &d.session.lesson.as_ref().unwrap().run;
    assert_eq!(
        run.done_says,
        Some((
            1,
            Some(
                "Reschedule: You can reschedule this customer only during or after the call."
                    .into()
            )
        )),
        "the refusal the step showed stays on screen"
    );
    act(&mut d, Action::Dial, Args::None);
    let tomorrow = d.session.engine.now() + chrono::Duration::days(1);
    act(
        &mut d,
        Action::Reschedule,
        Args::At {
            at: tomorrow,
            scope: None,
        },
    );
    act(
        &mut d,
        Action::SetCallResult,
        Args::CallResult(CallResult::Busy),
    );
    let run = &d.session.lesson.as_ref().unwrap().run;
    assert_eq!(
        run.wrong.as_ref().map(|w| w.reason.as_str()),
        Some("That was the call result Busy; this step asks for No Answer.")
    );
    act(
        &mut d,
        Action::SetCallResult,
        Args::CallResult(CallResult::NoAnswer),
    );
    act(&mut d, Action::MarkDone, Args::None);
    let l = d.session.lesson.as_ref().unwrap();
    assert!(l.run.is_finished());
    let card = l.score(&d.session);
    assert_eq!(card.first_try_steps(), 4);
    assert_eq!(
        card.simulated(),
        chrono::Duration::seconds(7),
        "the lesson's time starts after its setup (13:00) and ends with the call"
    );
}

#[test]
fn the_docs_example_lesson_can_be_done() {
    let page = include_str!("../docs/lessons.md");
    let section = page
        .split("## Writing a lesson")
        .nth(1)
        .expect("docs/lessons.md has a Writing a lesson section");
    let example = section
        .split("```")
        .nth(1)
        .expect("the section starts with an example");
    let lesson =
        Lesson::parse("docs/lessons.md", example, None).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(lesson.steps.len(), 3);
    assert!(check(&lesson, example).solvable());
}

/// Lines a lesson file is made of, right and wrong, for the parser's property test.
fn lesson_line() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        Just("lesson \"T\"".to_string()),
        Just("description \"d\"".to_string()),
        Just("seed 4".to_string()),
        Just("seed -1".to_string()),
        Just("roles-file \"missing.toml\"".to_string()),
        Just("step \"Do it\"".to_string()),
        Just("step".to_string()),
        Just("hint \"h\"".to_string()),
        Just("hint".to_string()),
        Just("stpe \"x\"".to_string()),
        Just("login agent \"Dana\"".to_string()),
        Just("get-record".to_string()),
        Just("click reschedule".to_string()),
        Just("expect allowed".to_string()),
        Just("expect denied".to_string()),
        Just("dial".to_string()),
        Just("# a comment".to_string()),
        Just("\"unclosed".to_string()),
        "[a-z\" #-]{0,12}",
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

    /// Whatever the lines, parsing gives a lesson or errors placed in the file, never a panic;
    /// a lesson that parses has steps that each give the trainee something to do, and its
    /// check runs without panicking.
    #[test]
    fn any_lesson_text_parses_or_says_where(lines in proptest::collection::vec(lesson_line(), 0..14)) {
        let text = lines.join("\n");
        match Lesson::parse("p.lesson", &text, None) {
            Ok(lesson) => {
                proptest::prop_assert!(!lesson.steps.is_empty());
                for s in &lesson.steps {
                    proptest::prop_assert!(lesson.script.steps[s.lines.clone()]
                        .iter()
                        .any(|l| agentdesk::training::lesson::is_trainee_line(&l.command)));
                }
                let _ = check(&lesson, &text);
            }
            Err(errors) => {
                proptest::prop_assert!(!errors.is_empty());
                for e in &errors {
                    if e.file == "p.lesson" && let Some(p) = e.position {
                        proptest::prop_assert!(p.line <= lines.len().max(1), "{e}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_lesson_of_many_empty_steps_costs_what_the_file_costs() {
    // 40,000 steps without a line for the trainee: one error each, capped (and grouped with
    // a binary search: a quadratic parse of this file would take minutes).
    let mut text = String::from("lesson \"Many\"\n");
    for _ in 0..40_000 {
        text.push_str("step \"x\"\nadvance 1m\n");
    }
    let errors = Lesson::parse("many.lesson", &text, None).unwrap_err();
    assert_eq!(errors.len(), 101, "100 errors and one \"and N more\" line");
    assert_eq!(errors[100].hidden, 39_900);
    assert!(
        errors[0]
            .to_string()
            .starts_with("many.lesson:2:1: error: this step gives")
    );
}
