//! The QA and practice loops through egui_kittest: a mouse click on a disabled button is an
//! audited attempt with a notice and a way to its matrix cell; a recording made in the window
//! with a role-editor edit and a reschedule replays headless with the same interaction numbers;
//! practice starts at real time, holding the clock for invitations; Dial Alternative without
//! another number and invitations of a lost channel never lead nowhere; the role editor opens
//! on the role in use and shows who holds it.

use crate::common::open_tool;
use crate::common::{app_for, get_record, harness};

use agentdesk::engine::audit::{Decision, Source};
use agentdesk::engine::{Args, Engine, Target};
use agentdesk::policy::{Action, DenialKindName, Stage};
use agentdesk::qa::script::{Script, run};
use agentdesk::ui::theme::PRESENTER_ZOOM;
use agentdesk::ui::view_state::NoticeKind;
use agentdesk::ui::workbench::matrix_view::MatrixView;
use agentdesk::ui::workbench::practice::Practice;
use agentdesk::ui::workbench::role_editor::RoleEditor;
use agentdesk::ui::{DesktopApp, UiCommand};
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use chrono::Duration;
use egui::accesskit::{Role, Toggled};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

#[test]
fn a_mouse_click_on_a_disabled_button_is_a_denied_attempt_with_a_notice_and_an_audit_entry() {
    let mut h = harness(app_for("Dana"));
    h.run();
    let id = get_record(&mut h);
    let before = h.state().desktop.session.engine.audit().entries().len();
    let button = h.get_by_label("Reschedule");
    assert!(
        button.accesskit_node().is_disabled(),
        "Dana cannot reschedule before the call"
    );
    // A pointer click, as a tester's mouse makes it (not an accessibility action).
    button.click();
    h.run();
    let d = &h.state().desktop;
    let audit = d.session.engine.audit().entries();
    assert_eq!(audit.len(), before + 1, "the click is one attempt");
    let entry = audit.last().unwrap();
    assert_eq!(entry.decision(), Decision::Denied);
    assert_eq!(entry.action, Action::Reschedule);
    assert_eq!(entry.interaction, Some(id));
    assert_eq!(entry.source, Source::Desktop);
    assert!(d.view.dialog.is_none(), "a denied attempt opens no dialog");
    let notice = d.view.notices.back().expect("a notice");
    assert_eq!(notice.kind, NoticeKind::Denied);
    let plain = entry.denial().unwrap().plain();
    assert!(notice.text.ends_with(&plain), "{}", notice.text);
    let cell = notice
        .cell
        .clone()
        .expect("the notice leads to its matrix cell");
    assert_eq!(
        (cell.action, cell.stage),
        (Action::Reschedule, Stage::Preview)
    );
    // The audit view shows the attempt's kind and plain reason, and leads to the same cell.
    open_tool(&mut h, "Audit log");
    assert!(h.query_by_label("Kind").is_some());
    assert!(h.query_by_label("Reason").is_some());
    assert!(
        h.query_by_label(&plain).is_some(),
        "the Reason cell: {plain}"
    );
    h.get_all_by_label("Matrix")
        .last()
        .unwrap()
        .click_accesskit();
    h.run();
    assert_eq!(
        h.state().desktop.view.workbench.active,
        Some(MatrixView::NAME)
    );
}

#[test]
fn the_role_editor_opens_on_the_role_in_use_with_who_holds_it() {
    let mut h = harness(app_for("Dana"));
    h.run();
    open_tool(&mut h, "Role editor");
    let wb = &h.state().desktop.view.workbench;
    let editor = wb.get::<RoleEditor>().expect("role editor open");
    let in_use = editor
        .draft()
        .book()
        .role_index("Outbound Preview Agent")
        .unwrap();
    assert_eq!(editor.selected(), Some(in_use));
    // Dana and Alex hold it, Sam does not.
    for (agent, holds) in [("Dana", true), ("Alex", true), ("Sam", false)] {
        let node = h.get_by_role_and_label(Role::CheckBox, agent);
        let ticked = node.accesskit_node().toggled() == Some(Toggled::True);
        assert_eq!(ticked, holds, "{agent}");
    }
}

#[test]
fn a_recording_with_a_role_edit_and_a_reschedule_replays_headless_with_the_same_numbers() {
    let mut h = harness(app_for("Dana"));
    h.run();
    // Some work before the recording: it must not shift the numbers.
    get_record(&mut h);
    open_tool(&mut h, "Record and replay");
    h.get_by_label("Start recording...").click();
    h.run();
    h.get_by_label("Restart the day and record").click();
    h.run();
    assert!(h.query_by_label("REC").is_some(), "the recording badge");
    // A role-editor edit, applied live: Dana's role may now reschedule before the call.
    open_tool(&mut h, "Role editor");
    h.get_by_role_and_label(Role::CheckBox, "Outbound - Can Reschedule Before Call")
        .click_accesskit();
    h.run();
    h.state_mut().desktop.view.workbench.active = None;
    h.run();
    let id = get_record(&mut h);
    assert!(!h.get_by_label("Reschedule").accesskit_node().is_disabled());
    // Midday: inside every default contact's calling window.
    let at = h.state().desktop.session.engine.now() + Duration::hours(5);
    // What the reschedule dialog sends.
    h.state_mut().desktop.apply(UiCommand::Act {
        target: Target::Interaction(id),
        action: Action::Reschedule,
        args: Args::At { at, scope: None },
    });
    h.run();
    let d = &mut h.state_mut().desktop;
    d.apply(UiCommand::StopRecording);
    let text = d.session.recorded.clone().expect("a recording");
    assert!(
        text.contains("define role \"Outbound Preview Agent\""),
        "the edit is a script line:\n{text}"
    );
    let last = d.session.engine.audit().entries().last().unwrap();
    assert_eq!(
        last.decision(),
        Decision::Allowed,
        "{}",
        last.outcome_text()
    );
    let book = RoleBook::embedded_default();
    let scenario = Scenario::embedded_default();
    let parsed = Script::parse("recorded.script", &text, &book, &scenario)
        .unwrap_or_else(|e| panic!("{}\n{text}", e[0]));
    let mut replayed = Engine::new(book, scenario, d.session.engine.seed());
    let mut transcript = Vec::new();
    let report = run(&mut replayed, &parsed.script, &mut transcript).unwrap();
    assert!(report.all_passed(), "{text}");
    let numbers = |e: &Engine| -> Vec<_> {
        e.audit()
            .entries()
            .iter()
            .map(|a| (a.action, a.interaction, a.decision()))
            .collect()
    };
    let desk = numbers(&d.session.engine);
    assert_eq!(desk, numbers(&replayed), "{text}");
    assert!(desk.contains(&(Action::Reschedule, Some(id), Decision::Allowed)));
}

#[test]
fn practice_starts_at_real_time_holding_the_clock_for_invitations() {
    let mut h = harness(app_for("Dana"));
    h.run();
    open_tool(&mut h, "Practice shift");
    let practice = h.state().desktop.view.workbench.get::<Practice>().unwrap();
    assert_eq!(practice.speed, 1.0, "real time by default");
    assert!(practice.hold_on_invitation, "the clock waits for an answer");
    h.get_by_label("Start shift").click();
    h.run();
    h.run();
    let d = &h.state().desktop;
    assert_eq!(d.session.pace.speed, 1.0);
    assert!(d.session.practice_hold);
    // The shift opens on work Dana can do: the first record she pulls can be dialled.
    let id = get_record(&mut h);
    assert!(
        h.state()
            .desktop
            .session
            .check(Target::Interaction(id), Action::Dial)
            .is_ok(),
        "the opening record can be dialled"
    );
}

#[test]
fn dial_alternative_without_another_number_is_a_compliance_denial_that_says_so() {
    let mut h = harness(app_for("Dana"));
    h.run();
    // Pull records until one whose contact has a single number, rejecting the others.
    let id = (0..40)
        .find_map(|_| {
            let id = get_record(&mut h);
            let e = &h.state().desktop.session.engine;
            let chain = e.chain_of(e.interaction(id)?)?;
            if chain.records.len() == 1 {
                return Some(id);
            }
            let d = &mut h.state_mut().desktop;
            assert!(d.act(Target::Interaction(id), Action::Reject, Args::None));
            h.run();
            None
        })
        .expect("a contact with one number");
    let denial = h
        .state()
        .desktop
        .session
        .check(Target::Interaction(id), Action::DialAlternative)
        .expect_err("no other number to dial");
    assert_eq!(denial.kind.name(), DenialKindName::Compliance);
    assert!(
        denial.plain().contains("no other number"),
        "{}",
        denial.plain()
    );
    assert!(
        h.get_by_label("Dial Alternative")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn an_invitation_of_a_channel_the_agent_lost_is_withdrawn_with_a_notice() {
    let mut h = harness(app_for("Wes"));
    h.state_mut().desktop.session.pace.paused = true;
    let invitation = (0..240)
        .find_map(|_| {
            let d = &mut h.state_mut().desktop;
            let t = d.session.engine.now() + Duration::seconds(30);
            d.advance_to(t);
            d.session.waiting_invitation()
        })
        .expect("a web callback invitation within two hours");
    h.run();
    let outbound = {
        let e = &h.state().desktop.session.engine;
        e.roles().find_role("Outbound Preview Agent").unwrap()
    };
    h.state_mut()
        .desktop
        .apply(UiCommand::SetRoles(vec![outbound]));
    h.run();
    let d = &h.state().desktop;
    assert_eq!(d.session.waiting_invitation(), None);
    let it = d.session.engine.interaction(invitation).unwrap();
    assert!(!it.is_open(), "the invitation was taken back");
    let notice = d.view.notices.back().expect("a notice");
    assert!(notice.text.contains("withdrawn"), "{}", notice.text);
    assert!(h.query_by_label("Accept").is_none(), "no dead buttons stay");
}

/// Docked at 1024x768 and at 1280x800, normal and presenter, the role editor shows every
/// privilege's whole name: a name cut off at the dock's edge cannot be read or ticked with
/// confidence.
#[test]
fn the_docked_role_editor_shows_whole_privilege_names_on_small_screens() {
    for presenter in [false, true] {
        for pixels in [egui::vec2(1024.0, 768.0), egui::vec2(1280.0, 800.0)] {
            let zoom = if presenter { PRESENTER_ZOOM } else { 1.0 };
            let size = pixels / zoom;
            let mut app = app_for("Dana");
            app.desktop.view.workbench.presenter.on = presenter;
            let mut h = Harness::builder()
                .with_size(size)
                .build_ui_state(|ui, app: &mut DesktopApp| app.frame(ui), app);
            h.run();
            open_tool(&mut h, "Role editor");
            for name in [
                "Web Callback - Can Set Interaction Disposition",
                "Web Callback - Can Reschedule On New Number",
            ] {
                let rect = h.get_by_role_and_label(Role::CheckBox, name).rect();
                assert!(
                    rect.right() <= size.x,
                    "{name} ends at {} in a {} point window (presenter {presenter})",
                    rect.right(),
                    size.x
                );
            }
            // The role's tabs are on screen or scroll into it: not clipped to nothing.
            let tab = h.get_by_label("Agents").rect();
            assert!(
                tab.height() >= 12.0,
                "Agents tab {tab:?} (presenter {presenter})"
            );
        }
    }
}
