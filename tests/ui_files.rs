//! Files the tools read go through the desk (`UiCommand::Open`, `UiCommand::FollowClass`,
//! carried out in `ui/exports.rs`): a click names the file, the desk reads it and hands the
//! outcome back to the tool, which shows it.

use crate::common::{app_for, click_in, harness, open_tool, set_text, tool};

use agentdesk::ui::DesktopApp;
use agentdesk::ui::workbench::class_view::ClassView;
use agentdesk::ui::workbench::lessons::Lessons;
use agentdesk::ui::workbench::record_replay::RecordReplay;
use egui_kittest::Harness;

/// The desk with tool `window` open.
fn desk_with(window: &str) -> Harness<'static, DesktopApp> {
    let mut h = harness(app_for("Alex"));
    h.run();
    open_tool(&mut h, window);
    h
}

/// Types `path` into the field `field` of tool `window` and clicks `button`.
fn open(h: &mut Harness<'_, DesktopApp>, window: &str, field: &str, path: &str, button: &str) {
    set_text(h, window, field, path);
    click_in(h, window, button);
    h.run();
}

/// A path to a file `name` in a folder that is gone.
fn missing(name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    dir.path().join(name).display().to_string()
}

/// The tool's message says the file could not be read, naming it.
fn says_not_read(message: Option<(bool, String)>, name: &str) {
    let (ok, text) = message.expect("a message");
    assert!(!ok, "{text}");
    assert!(text.contains(name), "{text}");
}

#[test]
fn a_lesson_file_opened_in_the_lessons_tool_starts_or_says_why_not() {
    let (window, field) = (Lessons::NAME, "Lesson file");
    let mut h = desk_with(window);
    open(&mut h, window, field, &missing("absent.lesson"), "Open");
    says_not_read(tool::<Lessons>(&h).message.clone(), "absent.lesson");
    assert!(h.state().desktop.session.lesson.is_none());

    open(
        &mut h,
        window,
        field,
        "assets/lessons/new-number.lesson",
        "Open",
    );
    let session = &h.state().desktop.session;
    let lesson = session.lesson.as_ref().expect("a lesson runs");
    assert_eq!(lesson.run.step(), 0);
    assert!(session.lesson_errors.is_none());
}

#[test]
fn a_script_loaded_in_record_and_replay_is_read_by_the_desk() {
    let (window, field) = (RecordReplay::NAME, "Script");
    let load = "Load and restart the day";
    let mut h = desk_with(window);
    open(&mut h, window, field, &missing("absent.script"), load);
    says_not_read(tool::<RecordReplay>(&h).message.clone(), "absent.script");
    assert!(h.state().desktop.session.replay.is_none());

    open(
        &mut h,
        window,
        field,
        "assets/scripts/dial-new-number.script",
        load,
    );
    let s = &h.state().desktop.session;
    assert!(s.replay_errors.is_none(), "{:?}", s.replay_errors);
    let run = s.replay.as_ref().expect("the script is loaded");
    assert!(!run.script.steps.is_empty());
}

#[test]
fn following_the_class_with_a_missing_credentials_file_says_why() {
    let mut h = desk_with(ClassView::NAME);
    let credentials = missing("absent-credentials");
    let follow = "Follow the class";
    open(
        &mut h,
        ClassView::NAME,
        "Credentials file",
        &credentials,
        follow,
    );
    let view = tool::<ClassView>(&h);
    assert!(!view.following());
    let note = view.note.clone().expect("a note");
    assert!(note.contains("absent-credentials"), "{note}");
}
