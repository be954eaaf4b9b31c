//! Activities through egui_kittest (docs/activities.md): a lesson started during a practice shift asks
//! first and leaves the shift's card intact; a role unticked after a penalty leaves the penalty;
//! a call under way goes on while an invitation waits, and a timeout can still be practised.

use crate::common::{app_for, click_in, harness, pick, set_text};

use agentdesk::engine::{Args, Target};
use agentdesk::policy::{Action, Stage};
use agentdesk::training::activity::ActivityKind;
use agentdesk::training::practice::points;
use agentdesk::training::role_edit::RoleDraft;
use agentdesk::ui::workbench::practice::Practice;
use agentdesk::ui::{DesktopApp, UiCommand};
use agentdesk::world::{CallResult, CampaignId};
use chrono::Duration;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const LESSON: &str = "Reschedule: before or after the call";

fn open_tool(h: &mut Harness<'_, DesktopApp>, name: &str) {
    h.get_by_label("Workbench").click();
    h.run();
    h.get_by_label(name).click();
    h.run();
}

/// Opens the Practice tool and starts a shift, the clock then paused for the test to drive.
fn start_shift(h: &mut Harness<'_, DesktopApp>, hold: bool) {
    h.run();
    open_tool(h, "Practice shift");
    if !hold {
        h.get_by_label("Stop the clock while an invitation waits for my answer")
            .click();
        h.run();
    }
    h.get_by_label("Start shift").click();
    h.run();
    h.run();
    h.state_mut().desktop.session.pace.paused = true;
    assert_eq!(
        h.state().desktop.session.activities.current.kind,
        ActivityKind::PracticeShift
    );
}

fn campaign(h: &Harness<'_, DesktopApp>, name: &str) -> CampaignId {
    h.state()
        .desktop
        .session
        .engine
        .campaigns()
        .iter()
        .find(|c| c.name == name)
        .expect("a default campaign")
        .id
}

/// Gets a record, dials it (the customer does not answer), sets `chosen` and marks it done.
fn work_record(h: &mut Harness<'_, DesktopApp>, chosen: CallResult) {
    let renewals = campaign(h, "Winter Renewals");
    let d = &mut h.state_mut().desktop;
    assert!(d.act(Target::Campaign(renewals), Action::GetRecord, Args::None));
    let id = d.view.selected.expect("the record");
    d.session.engine.force_next_outcome(CallResult::NoAnswer);
    assert!(d.act(Target::Interaction(id), Action::Dial, Args::None));
    let t = d.session.engine.now() + Duration::seconds(40);
    d.advance_to(t);
    assert!(d.act(
        Target::Interaction(id),
        Action::SetCallResult,
        Args::CallResult(chosen)
    ));
    assert!(d.act(Target::Interaction(id), Action::MarkDone, Args::None));
}

#[test]
fn a_lesson_started_during_a_shift_asks_and_keeps_the_shifts_card() {
    let mut h = harness(app_for("Dana"));
    start_shift(&mut h, true);
    work_record(&mut h, CallResult::Answer); // wrong: nobody answered
    h.run();
    open_tool(&mut h, "Lessons");
    h.get_by_label(LESSON).click();
    h.run();
    // Asked first, in words that say what happens to the shift.
    assert!(h.state().desktop.session.lesson.is_none());
    assert!(
        h.query_by_label_contains("practice shift (seed 7, 30 minutes) is running")
            .is_some()
    );
    h.get_by_label("Stay").click();
    h.run();
    assert!(h.state().desktop.session.lesson.is_none(), "stayed");
    assert_eq!(
        h.state().desktop.session.activities.current.kind,
        ActivityKind::PracticeShift
    );
    h.get_by_label(LESSON).click();
    h.run();
    h.get_by_label("End it and start").click();
    h.run();
    h.run();
    let s = &h.state().desktop.session;
    assert!(s.lesson.is_some(), "the lesson runs");
    assert_eq!(s.activities.current.kind, ActivityKind::Lesson);
    assert_eq!(s.activities.finished.len(), 1);
    let shift = &s.activities.finished[0];
    assert_eq!(shift.activity.kind, ActivityKind::PracticeShift);
    let expected = points::HANDLED + points::WRONG_RESULT;
    assert!(
        shift
            .card
            .rows
            .contains(&("Score".to_string(), expected.to_string()))
    );
    // The Practice tab shows the shift's own card, not the lesson's work.
    h.state_mut().desktop.view.workbench.active = Some(Practice::NAME);
    h.run();
    assert!(h.query_by_label(&format!("Score: {expected}")).is_some());
    assert!(h.query_by_label("0 of 1").is_some(), "correct call results");
    // Doing lesson work does not move the shift's card.
    h.get_all_by_label("Get Record").next().unwrap().click();
    h.run();
    h.run();
    assert!(h.query_by_label(&format!("Score: {expected}")).is_some());
    assert!(
        h.query_by_label_contains("Finished activities (1)")
            .is_some()
    );
}

#[test]
fn unticking_a_role_after_a_penalty_keeps_the_penalty_on_the_card() {
    let mut h = harness(app_for("Priya"));
    start_shift(&mut h, false);
    let survey = campaign(&h, "Customer Survey");
    {
        let d = &mut h.state_mut().desktop;
        let agent = d.session.agent;
        d.session.engine.set_ready(agent, false);
        d.session
            .engine
            .offer_push(agent, survey)
            .expect("an invitation");
        let t = d.session.engine.now() + Duration::minutes(5);
        d.advance_to(t);
    }
    h.run();
    let penalty = format!("  {} the invitation timed out unanswered", points::MISSED);
    assert!(h.query_by_label(&penalty).is_some());
    h.state_mut()
        .desktop
        .apply_all(vec![UiCommand::SetRoles(Vec::new())]);
    h.run();
    assert!(h.state().desktop.session.agent_role_names().is_empty());
    assert!(h.query_by_label(&penalty).is_some(), "the penalty stays");
    assert!(
        h.query_by_label_contains("could not accept it").is_none(),
        "not turned into 'not counted'"
    );
    assert!(
        h.query_by_label_contains(&format!("score {}", points::MISSED))
            .is_some()
    );
}

#[test]
fn a_call_under_way_goes_on_while_an_invitation_waits_and_a_timeout_can_be_practised() {
    let mut h = harness(app_for("Sam"));
    start_shift(&mut h, true);
    let survey = campaign(&h, "Customer Survey");
    let renewals = campaign(&h, "Winter Renewals");
    let (dialled, _pushed) = {
        let d = &mut h.state_mut().desktop;
        let agent = d.session.agent;
        d.session.engine.set_ready(agent, false);
        assert!(d.act(Target::Campaign(renewals), Action::GetRecord, Args::None));
        let id = d.view.selected.expect("a record");
        d.session.engine.force_next_outcome(CallResult::Answer);
        assert!(d.act(Target::Interaction(id), Action::Dial, Args::None));
        let inv = d
            .session
            .engine
            .offer_push(agent, survey)
            .expect("an invitation");
        (id, inv)
    };
    h.run();
    let s = &h.state().desktop.session;
    let invitation = s.waiting_invitation().expect("an invitation waits");
    assert!(s.call_under_way());
    assert!(
        !s.held(),
        "the hold stops new work only, not the ringing call"
    );
    // The clock moves the call on.
    h.state_mut().desktop.session.pace.paused = false;
    for _ in 0..60 {
        h.state_mut().desktop.tick(1.0);
    }
    let stage = |h: &Harness<'_, DesktopApp>, id| {
        h.state()
            .desktop
            .session
            .engine
            .interaction(id)
            .map(|it| it.stage)
    };
    assert_ne!(stage(&h, dialled), Some(Stage::Dialing), "the call went on");
    // Once the call is over, the clock waits for the answer, and the trainee may let it run.
    {
        let d = &mut h.state_mut().desktop;
        d.session.pace.paused = true;
        if stage_is_connected(d, dialled) {
            assert!(d.act(Target::Interaction(dialled), Action::HangUp, Args::None));
        }
        d.session.pace.paused = false;
    }
    if stage(&h, invitation) == Some(Stage::Offered) {
        assert!(h.state().desktop.session.held());
        h.state_mut().desktop.view.workbench.active = Some(Practice::NAME);
        h.run();
        h.get_by_label("Let it time out").click();
        h.run();
        assert!(!h.state().desktop.session.held());
        for _ in 0..120 {
            h.state_mut().desktop.tick(1.0);
        }
        assert_eq!(stage(&h, invitation), Some(Stage::Closed), "timed out");
    } else {
        // It timed out while the call went on: the hold kept nothing from timing out.
        assert_eq!(stage(&h, invitation), Some(Stage::Closed));
    }
}

fn stage_is_connected(d: &agentdesk::ui::Desktop, id: agentdesk::world::InteractionId) -> bool {
    d.session
        .engine
        .interaction(id)
        .is_some_and(|it| it.stage == Stage::Connected)
}

const MATRIX: &str = "Authorization matrix";
const PREVIEW_AGENT: &str = "Outbound Preview Agent";

#[test]
fn a_matrix_export_with_unsaved_edits_and_a_filter_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(app_for("Dana"));
    h.run();
    // An edit made in the role editor and applied, but not saved to the roles file.
    {
        let d = &mut h.state_mut().desktop;
        let mut draft = RoleDraft::new(d.session.engine.roles());
        let role = draft.book().role_index(PREVIEW_AGENT).unwrap();
        draft.set_granted(role, "ob.cancel", true);
        let applied = draft.apply();
        d.apply_all(vec![UiCommand::ReplaceRoles(Box::new(applied))]);
    }
    let provenance = h.state().desktop.session.roles_provenance();
    assert!(
        provenance.starts_with("embedded with unsaved edits (1 edit(s), digest "),
        "{provenance}"
    );
    open_tool(&mut h, MATRIX);
    pick(&mut h, MATRIX, "Role", PREVIEW_AGENT);
    pick(&mut h, MATRIX, "Decision", "denied");
    let path = dir.path().join("matrix.json");
    set_text(&mut h, MATRIX, "File", path.to_str().unwrap());
    click_in(&mut h, MATRIX, "JSON");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(json["roles_file"], provenance.as_str());
    let scope = json["scope"].as_str().expect("a filtered export says so");
    assert!(scope.contains(&format!("role {PREVIEW_AGENT}")), "{scope}");
    assert!(scope.contains("decision denied"), "{scope}");
    assert!(scope.contains("rows left out"), "{scope}");
    let written = json["rows"].as_array().unwrap().len();
    assert!(scope.starts_with(&format!("{written} of ")), "{scope}");
    // The HTML report names the same provenance in its header.
    let html_path = dir.path().join("matrix.html");
    click_in(&mut h, MATRIX, "HTML");
    let html = std::fs::read_to_string(html_path).unwrap();
    assert!(html.contains("with unsaved edits"), "roles file line");
    assert!(html.contains("<dd id=\"scope\">"), "rows line");
}

#[test]
fn a_second_save_to_the_same_path_asks_before_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(app_for("Dana"));
    h.run();
    open_tool(&mut h, MATRIX);
    let path = dir.path().join("same.csv");
    set_text(&mut h, MATRIX, "File", path.to_str().unwrap());
    click_in(&mut h, MATRIX, "CSV");
    let first = std::fs::read_to_string(&path).unwrap();
    let full = std::path::absolute(&path).unwrap();
    assert!(
        h.query_by_label_contains(&format!("to {}", full.display()))
            .is_some(),
        "the message gives the full path"
    );
    // The second export, of fewer rows, asks first; keeping the old file writes nothing.
    pick(&mut h, MATRIX, "Decision", "denied");
    click_in(&mut h, MATRIX, "CSV");
    assert!(
        h.query_by_label_contains("already exists. Replace it")
            .is_some()
    );
    h.get_by_label("Keep the old file").click();
    h.run();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    click_in(&mut h, MATRIX, "CSV");
    h.get_by_label("Replace").click();
    h.run();
    assert_ne!(std::fs::read_to_string(&path).unwrap(), first);
    assert!(
        h.query_by_label_contains("Replace it").is_none(),
        "dialog closed"
    );
}

#[test]
fn the_web_callback_lesson_done_by_following_its_hint_counts_as_first_try() {
    let mut h = harness(app_for("Wes"));
    h.run();
    open_tool(&mut h, "Lessons");
    h.get_by_label("A web callback from start to finish")
        .click();
    h.run();
    h.run();
    let s = &h.state().desktop.session;
    let open = s.engine.open_interactions(s.agent);
    assert_eq!(open.len(), 1, "only the lesson's callback is on the desk");
    let title = s.title_of(open[0].id);
    // The step names the interaction it is about.
    assert!(
        h.query_by_label(&format!("This step is about {title}"))
            .is_some()
    );
    h.get_by_label_contains("Show a hint (").click();
    h.run();
    assert!(
        h.query_by_label_contains("the only invitation on your desk")
            .is_some()
    );
    h.get_all_by_label("Accept").next().unwrap().click();
    h.run();
    h.run();
    let l = h.state().desktop.session.lesson.as_ref().unwrap();
    assert_eq!(l.run.step(), 1, "step 1 done");
    let card = l.score(&h.state().desktop.session);
    assert!(
        card.steps[0].first_try(),
        "following the hint is a first try"
    );
    assert_eq!(card.steps[0].hints, 1);
    // Invitations do not time out in the background: nothing else was offered.
    let s = &h.state().desktop.session;
    assert_eq!(s.engine.interactions().len(), 1);
}
