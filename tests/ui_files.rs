//! Files the tools read go through the desk (`UiCommand::Open`, `UiCommand::FollowClass`,
//! carried out in `ui/exports.rs`): a click names the file, the desk reads it and hands the
//! outcome back to the tool, which shows it.

use crate::common::{app_for, click_in, harness, open_tool, set_text, tool};

use agentdesk::ui::workbench::class_view::ClassView;
use agentdesk::ui::workbench::lessons::Lessons;
use agentdesk::ui::workbench::record_replay::RecordReplay;

#[test]
fn a_lesson_file_opened_in_the_lessons_tool_starts_or_says_why_not() {
    let mut h = harness(app_for("Alex"));
    h.run();
    open_tool(&mut h, Lessons::NAME);
    let missing = tempfile::tempdir().unwrap().path().join("absent.lesson");
    set_text(
        &mut h,
        Lessons::NAME,
        "Lesson file",
        missing.to_str().unwrap(),
    );
    click_in(&mut h, Lessons::NAME, "Open");
    let (ok, text) = tool::<Lessons>(&h).message.clone().expect("a message");
    assert!(!ok, "{text}");
    assert!(text.contains("absent.lesson"), "{text}");
    assert!(h.state().desktop.session.lesson.is_none());

    set_text(
        &mut h,
        Lessons::NAME,
        "Lesson file",
        "assets/lessons/new-number.lesson",
    );
    click_in(&mut h, Lessons::NAME, "Open");
    h.run();
    let lesson = h
        .state()
        .desktop
        .session
        .lesson
        .as_ref()
        .expect("a lesson runs");
    assert_eq!(lesson.run.step(), 0);
    assert!(h.state().desktop.session.lesson_errors.is_none());
}

#[test]
fn a_script_loaded_in_record_and_replay_is_read_by_the_desk() {
    let mut h = harness(app_for("Alex"));
    h.run();
    open_tool(&mut h, RecordReplay::NAME);
    let missing = tempfile::tempdir().unwrap().path().join("absent.script");
    set_text(
        &mut h,
        RecordReplay::NAME,
        "Script",
        missing.to_str().unwrap(),
    );
    click_in(&mut h, RecordReplay::NAME, "Load and restart the day");
    let (ok, text) = tool::<RecordReplay>(&h).message.clone().expect("a message");
    assert!(!ok, "{text}");
    assert!(text.contains("absent.script"), "{text}");
    assert!(h.state().desktop.session.replay.is_none());

    set_text(
        &mut h,
        RecordReplay::NAME,
        "Script",
        "assets/scripts/dial-new-number.script",
    );
    click_in(&mut h, RecordReplay::NAME, "Load and restart the day");
    h.run();
    let s = &h.state().desktop.session;
    assert!(s.replay_errors.is_none(), "{:?}", s.replay_errors);
    let run = s.replay.as_ref().expect("the script is loaded");
    assert!(!run.script.steps.is_empty());
}

#[test]
fn following_the_class_with_a_missing_credentials_file_says_why() {
    let mut h = harness(app_for("Alex"));
    h.run();
    open_tool(&mut h, ClassView::NAME);
    let missing = tempfile::tempdir()
        .unwrap()
        .path()
        .join("absent-credentials");
    set_text(
        &mut h,
        ClassView::NAME,
        "Credentials file",
        missing.to_str().unwrap(),
    );
    click_in(&mut h, ClassView::NAME, "Follow the class");
    let view = tool::<ClassView>(&h);
    assert!(!view.following());
    let note = view.note.clone().expect("a note");
    assert!(note.contains("absent-credentials"), "{note}");
}
