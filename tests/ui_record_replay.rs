//! Record and replay: a session recorded on the desktop replays with every expectation holding,
//! both headless (`agentdesk run`) and step by step in the window.

use agentdesk::engine::{Args, Engine, Target};
use agentdesk::policy::{Action, Stage};
use agentdesk::ui::UiCommand;
use agentdesk::ui::{Desktop, DesktopApp};
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use chrono::Duration;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(agent: &str) -> Harness<'static, DesktopApp> {
    let engine = Engine::new(
        RoleBook::embedded_default(),
        Scenario::embedded_default(),
        3,
    );
    let index = engine.roles().find_agent(agent).unwrap();
    let mut desktop = Desktop::new(engine, index);
    desktop.session.pace.paused = true;
    let app = DesktopApp::new(desktop);
    Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut DesktopApp| app.frame(ui), app)
}

/// A short session of allowed, denied and invalid attempts, with time passing between them.
fn work(d: &mut Desktop) {
    d.session.pace.paused = true;
    let noon = d.session.engine.now().date().and_hms_opt(12, 0, 0).unwrap();
    d.advance_to(noon);
    let campaign = d.session.engine.campaigns()[0].id;
    assert!(d.act(Target::Campaign(campaign), Action::GetRecord, Args::None));
    let id = d.view.selected.unwrap();
    assert!(!d.act(Target::Interaction(id), Action::Cancel, Args::None));
    let past = d.session.engine.now() - Duration::hours(1);
    assert!(!d.act(
        Target::Interaction(id),
        Action::Reschedule,
        Args::At {
            at: past,
            scope: None
        }
    ));
    let typo = Args::Edit {
        field: "Emial".into(),
        value: "x@example.com".into(),
    };
    assert!(!d.act(Target::Interaction(id), Action::EditRecordData, typo));
    assert!(d.act(Target::Interaction(id), Action::Dial, Args::None));
    let later = d.session.engine.now() + Duration::milliseconds(25_250);
    d.advance_to(later);
    if d.session.engine.interaction(id).unwrap().stage == Stage::Connected {
        assert!(d.act(Target::Interaction(id), Action::HangUp, Args::None));
    }
    let truth = d.session.engine.interaction(id).unwrap().calls[0]
        .truth
        .unwrap();
    assert!(d.act(
        Target::Interaction(id),
        Action::SetCallResult,
        Args::CallResult(truth)
    ));
    assert!(d.act(Target::Interaction(id), Action::DoneAndGetNext, Args::None));
}

#[test]
fn a_recorded_session_replays_headless_and_in_the_window() {
    let mut h = harness("Dana");
    h.run();
    crate::common::open_tool(&mut h, "Record and replay");
    h.get_by_label("Start recording...").click();
    h.run();
    // Starting asks first: it restarts the day.
    assert!(
        h.query_by_label_contains("interaction(s) and the")
            .is_some()
    );
    h.get_by_label("Restart the day and record").click();
    h.run();
    assert!(h.state().desktop.session.recorder.is_some());
    // The top bar says a recording runs, whichever tab is shown.
    assert!(h.query_by_label("REC").is_some());
    work(&mut h.state_mut().desktop);
    let audit_recorded = h.state().desktop.session.engine.audit().entries().to_vec();
    h.run();
    h.get_by_label("Stop recording").click();
    h.run();
    let script = h
        .state()
        .desktop
        .session
        .recorded
        .clone()
        .expect("a recording");
    assert!(script.contains("login agent \"Dana\""), "{script}");
    assert!(
        script.contains("expect denied \"Outbound - Can Cancel Record\""),
        "{script}"
    );
    assert!(script.contains("expect invalid"), "{script}");

    // Headless: the recording is a passing regression test on the same seed.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recorded.script");
    std::fs::write(&path, &script).unwrap();
    let run = crate::common::Ran::of(&["run", "--seed", "3", "--script", path.to_str().unwrap()]);
    let stdout = &run.stdout;
    assert_eq!(run.code, Some(0), "{run}");
    let expectations = script.lines().filter(|l| l.starts_with("expect")).count();
    assert!(
        stdout.contains(&format!("{expectations} passed, 0 failed")),
        "{stdout}"
    );

    // In the window, step by step: the same attempts land in the audit log.
    h.state_mut().desktop.apply(UiCommand::LoadReplay {
        file: "recorded.script".into(),
        text: script.clone(),
        seed: 3,
    });
    h.run();
    h.get_by_label("Next line").click();
    h.run();
    // Three comment lines say how to replay it; line 4 logs Dana in.
    assert!(h.query_by_label_contains("Next: line 5").is_some());
    h.get_by_label("Run to end").click();
    h.run();
    assert!(
        h.query_by_label_contains(&format!("Finished: {expectations} passed, 0 failed"))
            .is_some()
    );
    let d = &h.state().desktop;
    let replayed = d.session.engine.audit().entries();
    assert_eq!(replayed.len(), audit_recorded.len());
    for (a, b) in replayed.iter().zip(&audit_recorded) {
        assert_eq!(
            (&a.time, &a.action, &a.decision(), a.target()),
            (&b.time, &b.action, &b.decision(), b.target())
        );
    }
    assert_eq!(
        d.session.engine.agent(d.session.agent).unwrap().name,
        "Dana"
    );
}

#[test]
fn a_broken_script_is_reported_in_the_window_and_changes_nothing() {
    let mut h = harness("Dana");
    h.run();
    let before = h.state().desktop.session.engine.now();
    h.state_mut().desktop.apply(UiCommand::LoadReplay {
        file: "bad.script".into(),
        text: "login agent \"Dna\"\ndail\n".into(),
        seed: 3,
    });
    h.run();
    let d = &h.state().desktop;
    let errors = d.session.replay_errors.clone().unwrap();
    assert!(errors.contains("bad.script:1:"), "{errors}");
    assert!(errors.contains("did you mean \"Dana\""), "{errors}");
    assert!(errors.contains("bad.script:2:1"), "{errors}");
    assert!(d.session.replay.is_none());
    assert_eq!(d.session.engine.now(), before);
}
