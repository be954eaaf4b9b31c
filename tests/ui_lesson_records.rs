//! A lesson done in the window with learning records on (`--trainee`): every change of the
//! score card is in the outbox (fsynced) as it happens, the top bar says how many statements
//! wait, and with an LRS (Ralph, tests/lrs/mod.rs) the desk's sender empties the outbox.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{app_for, harness};
use crate::lrs::verbs;
use agentdesk::learning::desk::{DeskRecords, RecordConfig};
use agentdesk::learning::{Credentials, LrsClient};
use agentdesk::ui::DesktopApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn click(h: &mut Harness<'_, DesktopApp>, label: &str) {
    h.get_all_by_label(label)
        .next()
        .unwrap_or_else(|| panic!("no {label:?} on screen"))
        .click();
    h.run();
    h.run();
}

fn recording_desk(outbox: &std::path::Path, lrs: Option<LrsClient>) -> DesktopApp {
    let mut app = app_for("Alex");
    let config = RecordConfig {
        trainee: "Ann".into(),
        home_page: "https://training.example.com/".into(),
        activity_base: "https://training.example.com/xapi/".into(),
        outbox: outbox.to_path_buf(),
        lrs,
    };
    app.desktop.session.records = Some(Arc::new(DeskRecords::start(config).unwrap()));
    app
}

fn open_reschedule_lesson(h: &mut Harness<'_, DesktopApp>) {
    h.run();
    h.get_by_label("Workbench").click();
    h.run();
    h.get_by_label("Lessons").click();
    h.run();
    h.get_by_label("Reschedule: before or after the call")
        .click();
    h.run();
    h.run();
}

fn pending(outbox: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(outbox.join("pending.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_lesson_at_the_desk_is_recorded_as_it_goes_and_the_top_bar_counts_what_waits() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox");
    let mut h = harness(recording_desk(&outbox, None));
    open_reschedule_lesson(&mut h);
    assert_eq!(verbs(&pending(&outbox)), ["attempted"]);
    assert!(h.query_by_label("xAPI: 1 waiting").is_some());
    click(&mut h, "Get Record");
    assert_eq!(verbs(&pending(&outbox)), ["attempted", "completed"]);
    // A wrong attempt: step 2 asks to see Reschedule refused, not to dial.
    click(&mut h, "Dial");
    let after = pending(&outbox);
    assert_eq!(verbs(&after), ["attempted", "completed", "answered"]);
    assert_eq!(after[2]["result"]["success"], false);
    assert_eq!(after[2]["actor"]["account"]["name"], "Ann");
    assert!(h.query_by_label("xAPI: 3 waiting").is_some());
}

#[test]
fn the_desk_sends_its_statements_to_the_lrs_on_its_own() {
    let Some(ralph) = crate::lrs::ralph() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox");
    let client = LrsClient::new(
        &ralph.url(),
        Credentials::new(crate::lrs::USER, crate::lrs::PASSWORD),
    )
    .unwrap();
    let mut h = harness(recording_desk(&outbox, Some(client)));
    open_reschedule_lesson(&mut h);
    click(&mut h, "Get Record");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !pending(&outbox).is_empty() || ralph.statements().len() < 2 {
        assert!(
            Instant::now() < deadline,
            "the desk never sent its statements"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    h.run();
    assert!(h.query_by_label("xAPI: all sent").is_some());
    assert_eq!(verbs(&ralph.statements()).len(), 2);
}

#[test]
fn a_practice_shift_at_the_desk_is_recorded_when_it_ends() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox");
    let mut h = harness(recording_desk(&outbox, None));
    h.run();
    crate::common::open_tool(&mut h, "Practice shift");
    h.get_by_label("Start shift").click();
    h.run();
    h.run();
    assert!(
        pending(&outbox).is_empty(),
        "nothing is recorded while the shift runs"
    );
    // The shift ends as its time running out ends it.
    h.state_mut()
        .desktop
        .apply(agentdesk::ui::UiCommand::FinishActivity);
    h.run();
    let statements = pending(&outbox);
    let shift: Vec<&serde_json::Value> = statements
        .iter()
        .filter(|s| {
            s["object"]["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("https://training.example.com/xapi/practice/"))
        })
        .collect();
    let last = shift.last().unwrap_or_else(|| panic!("{statements:#?}"));
    assert_eq!(
        last["verb"]["id"], "http://adlnet.gov/expapi/verbs/completed",
        "{last:#}"
    );
    assert!(last["result"]["score"]["raw"].is_number(), "{last:#}");
    assert_eq!(last["actor"]["account"]["name"], "Ann");
    assert!(last["context"]["registration"].is_string());
}

#[test]
fn the_learning_records_tool_starts_recording_for_a_trainee_named_at_the_desk() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox");
    let mut h = harness(crate::common::app_for("Alex"));
    h.run();
    crate::common::open_tool(&mut h, "Learning records");
    assert!(h.query_by_label_contains("Not recording").is_some());
    // No name, no recording: the statements must say whose they are.
    click(&mut h, "Record for this trainee");
    assert!(h.state().desktop.session.records.is_none());
    assert!(h.query_by_label_contains("trainee's name").is_some());
    {
        let tool =
            crate::common::tool_mut::<agentdesk::ui::workbench::records::RecordsSettings>(&mut h);
        tool.trainee = "Bo".into();
        tool.outbox = outbox.display().to_string();
    }
    click(&mut h, "Record for this trainee");
    let records = h
        .state()
        .desktop
        .session
        .records
        .clone()
        .expect("recording");
    assert_eq!(records.config.trainee, "Bo");
    assert_eq!(records.config.outbox, outbox);
    assert!(records.config.lrs.is_none());
    assert!(
        h.query_by_label_contains("Recording lessons and practice shifts for Bo")
            .is_some()
    );
    // What starts next is recorded: a lesson's first statement is in the outbox at once.
    open_reschedule_lesson(&mut h);
    assert_eq!(verbs(&pending(&outbox)), ["attempted"]);
    assert_eq!(pending(&outbox)[0]["actor"]["account"]["name"], "Bo");
}
