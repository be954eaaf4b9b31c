//! The Lessons tool through egui_kittest: a lesson picked from the Workbench menu and done by
//! clicking the real desk ends with full marks; a wrong attempt shows the plain reason and does
//! not advance; a hint is counted.

use crate::common::{app_for, harness};

use agentdesk::ui::DesktopApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const TITLE: &str = "Reschedule: before or after the call";

fn open_lesson(h: &mut Harness<'_, DesktopApp>) {
    h.run();
    crate::common::open_tool(h, "Lessons");
    h.get_by_label(TITLE).click();
    h.run();
    h.run();
}

fn step(h: &Harness<'_, DesktopApp>) -> usize {
    h.state()
        .desktop
        .session
        .lesson
        .as_ref()
        .expect("a lesson runs")
        .run
        .step()
}

fn click(h: &mut Harness<'_, DesktopApp>, label: &str) {
    h.get_all_by_label(label)
        .next()
        .unwrap_or_else(|| panic!("no {label:?} on screen"))
        .click();
    h.run();
    h.run();
}

#[test]
fn a_lesson_done_right_in_the_window_ends_with_full_marks() {
    let mut h = harness(app_for("Alex"));
    open_lesson(&mut h);
    assert!(h.query_by_label("Step 1").is_some());
    assert!(h.query_by_label("0 of 5 steps done").is_some());
    assert!(
        h.query_by_label("Not yet: The desk carries out Get Record")
            .is_some()
    );
    click(&mut h, "Get Record");
    assert_eq!(step(&h), 1);
    assert!(h.query_by_label("1 of 5 steps done").is_some());
    click(&mut h, "Reschedule"); // greyed out: seeing it refused is the step
    assert_eq!(step(&h), 2);
    click(&mut h, "Dial");
    assert_eq!(step(&h), 3);
    click(&mut h, "Reschedule");
    click(&mut h, "OK");
    assert_eq!(step(&h), 4);
    // The step's first check is green before the second is.
    assert!(
        h.query_by_label("Not yet: The desk carries out Set Call Result")
            .is_some()
    );
    click(&mut h, "Set Call Result");
    click(&mut h, "No Answer (7)");
    click(&mut h, "OK");
    assert!(
        h.query_by_label("Done: The desk carries out Set Call Result")
            .is_some()
    );
    assert!(
        h.query_by_label("Not yet: The desk carries out Mark Done")
            .is_some()
    );
    click(&mut h, "Mark Done");
    assert!(h.query_by_label("Lesson finished").is_some());
    assert!(h.query_by_label("Full marks.").is_some());
    assert!(
        h.query_by_label(&format!("{TITLE}: 5 of 5 step(s) at the first try"))
            .is_some()
    );
    assert!(h.query_by_label("Hints used: 0").is_some());
    assert!(h.query_by_label("Denials met: 1").is_some());
}

#[test]
fn a_wrong_attempt_shows_the_plain_reason_and_does_not_advance() {
    let mut h = harness(app_for("Alex"));
    open_lesson(&mut h);
    click(&mut h, "Get Record");
    click(&mut h, "Reschedule");
    assert_eq!(step(&h), 2);
    // Step 3 asks for Dial; Dana's role may not cancel.
    click(&mut h, "Cancel");
    assert_eq!(step(&h), 2);
    assert!(h.query_by_label("Step 3").is_some());
    assert!(h.query_by_label("Not what this step asks:").is_some());
    // The desk's plain words for the denial, in the lesson panel.
    let reason = "Cancel: Your role does not allow you to cancel this record.";
    assert!(h.query_by_label(reason).is_some());
    let run = &h.state().desktop.session.lesson.as_ref().unwrap().run;
    assert_eq!(run.wrong.as_ref().map(|w| w.reason.as_str()), Some(reason));
    click(&mut h, "Dial");
    assert_eq!(step(&h), 3);
    assert!(h.query_by_label("Not what this step asks:").is_none());
}

#[test]
fn a_hint_is_counted() {
    let mut h = harness(app_for("Alex"));
    open_lesson(&mut h);
    click(&mut h, "Show a hint (2 left)");
    assert!(
        h.query_by_label(
            "Hint 1: Get Record is in the left-hand column, under the campaign's name."
        )
        .is_some()
    );
    assert!(h.query_by_label("Show a hint (1 left)").is_some());
    let l = h.state().desktop.session.lesson.as_ref().unwrap();
    let card = l.score(&h.state().desktop.session);
    assert_eq!(card.hints_used(), 1);
    assert!(!card.full_marks());
}
