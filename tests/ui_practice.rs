//! Practice mode through egui_kittest: a short shift on a known seed and its score card.

use agentdesk::engine::{Args, Engine, Target};
use agentdesk::policy::{Action, Stage};
use agentdesk::training::practice::points;
use agentdesk::ui::workbench::practice::Practice;
use agentdesk::ui::{Desktop, DesktopApp};
use agentdesk::world::CallResult;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use chrono::Duration;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Pulls a record, dials with a known real outcome, sets `chosen` and marks it done, all
/// through the desktop (so every step is authorized and audited like a click).
fn work_record(d: &mut Desktop, truth: CallResult, chosen: CallResult) {
    let campaign = d.session.engine.campaigns()[0].id;
    assert!(d.act(Target::Campaign(campaign), Action::GetRecord, Args::None));
    let id = d.view.selected.unwrap();
    d.session.engine.force_next_outcome(truth);
    assert!(d.act(Target::Interaction(id), Action::Dial, Args::None));
    let t = d.session.engine.now() + Duration::seconds(20);
    d.advance_to(t);
    if d.session.engine.interaction(id).unwrap().stage == Stage::Connected {
        assert!(d.act(Target::Interaction(id), Action::HangUp, Args::None));
    }
    assert!(d.act(
        Target::Interaction(id),
        Action::SetCallResult,
        Args::CallResult(chosen)
    ));
    assert!(d.act(Target::Interaction(id), Action::MarkDone, Args::None));
}

#[test]
fn a_short_practice_shift_on_a_known_seed_scores_as_expected() {
    let engine = Engine::new(
        RoleBook::embedded_default(),
        Scenario::embedded_default(),
        1,
    );
    let dana = engine.roles().find_agent("Dana").unwrap();
    let mut desktop = Desktop::new(engine, dana);
    desktop.session.pace.paused = true;
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 900.0))
        .build_ui_state(
            |ui, app: &mut DesktopApp| app.frame(ui),
            DesktopApp::new(desktop),
        );
    h.run();
    crate::common::open_tool(&mut h, "Practice shift");
    // A five-hour shift from 08:30, so the Pacific contacts' calling windows open during it.
    crate::common::tool_mut::<Practice>(&mut h).minutes = 300;
    h.get_by_label("Start shift").click();
    h.run();
    let d = &mut h.state_mut().desktop;
    assert_eq!(
        d.session.engine.audit().entries().len(),
        0,
        "the restart starts a fresh day"
    );
    d.session.pace.paused = true;
    let noon = d.session.engine.now().date().and_hms_opt(12, 0, 0).unwrap();
    d.advance_to(noon);
    work_record(d, CallResult::Busy, CallResult::Busy);
    work_record(d, CallResult::NoAnswer, CallResult::Answer);
    // Feedback appears while the shift runs.
    h.run();
    assert!(
        h.query_by_label(&format!(
            "  {} you set Answer, but the call was No Answer",
            points::WRONG_RESULT
        ))
        .is_some()
    );
    // Run to the end of the shift: the clock pauses and the score card shows.
    let end = crate::common::tool::<Practice>(&h).end_time().unwrap();
    h.state_mut().desktop.advance_to(end);
    h.run();
    assert!(h.state().desktop.session.pace.paused);
    let expected = 2 * points::HANDLED + points::CORRECT_RESULT + points::WRONG_RESULT;
    assert!(h.query_by_label(&format!("Score: {expected}")).is_some());
    assert!(h.query_by_label("1 of 2").is_some(), "correct call results");
    assert!(h.query_by_label("Average handling time").is_some());
}
