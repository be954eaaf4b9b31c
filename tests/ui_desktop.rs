//! Desktop behaviour through egui_kittest: buttons follow the authorization function, the
//! workflows click through, roles switch live, and disabled buttons explain themselves.

use crate::common::{app_for, get_record, harness};

use agentdesk::engine::{Args, Target};
use agentdesk::policy::{Action, Stage};
use agentdesk::qa::matrix::{self, Decision};
use agentdesk::ui::{DesktopApp, UiCommand};
use agentdesk::world::CallResult;
use chrono::Duration;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn is_enabled(h: &Harness<'_, DesktopApp>, label: &str) -> bool {
    !h.get_by_label(label).accesskit_node().is_disabled()
}

fn selected_stage(h: &Harness<'_, DesktopApp>) -> Stage {
    let d = &h.state().desktop;
    d.session
        .engine
        .interaction(d.view.selected.unwrap())
        .unwrap()
        .stage
}

/// Every toolbar button of the selected interaction is enabled exactly when the matrix (the
/// privilege-only view of the same authorization function) allows the action in this stage.
fn assert_toolbar_matches_matrix(h: &mut Harness<'_, DesktopApp>) {
    h.run();
    let d = &h.state().desktop;
    let it = d
        .session
        .engine
        .interaction(d.view.selected.unwrap())
        .unwrap()
        .clone();
    let granted = d.session.engine.agent(d.session.agent).unwrap().granted;
    for &action in it.channel.actions() {
        if action == Action::GetRecord {
            continue;
        }
        let expected = matrix::decide(granted, it.channel, action, it.stage).decision;
        let enabled = is_enabled(h, action.label());
        assert_eq!(
            enabled,
            expected == Decision::Allowed,
            "{} in {} for {:?}",
            action,
            it.stage,
            granted
        );
    }
}

fn walk_stages_checking_toolbar(mut app: DesktopApp, roles: Option<&str>) {
    if let Some(role) = roles {
        let r = app.desktop.session.engine.roles().find_role(role).unwrap();
        app.desktop.apply(UiCommand::SetRoles(vec![r]));
    }
    let mut h = harness(app);
    h.run();
    get_record(&mut h);
    assert_eq!(selected_stage(&h), Stage::Preview);
    assert_toolbar_matches_matrix(&mut h);
    let id = h.state().desktop.view.selected.unwrap();
    // Dial through the engine directly so roles without the button still reach later stages.
    let d = &mut h.state_mut().desktop;
    d.session.engine.force_next_outcome(CallResult::Answer);
    let mut granted_dial = d
        .session
        .check(Target::Interaction(id), Action::Dial)
        .is_ok();
    if granted_dial {
        granted_dial = d.act(Target::Interaction(id), Action::Dial, Args::None);
    }
    // Every role walked here may dial: one that could not would leave the later stages
    // untested, so it is a failure rather than an early return.
    assert!(
        granted_dial,
        "{roles:?} could not dial: the later stages go untested"
    );
    assert_eq!(selected_stage(&h), Stage::Dialing);
    assert_toolbar_matches_matrix(&mut h);
    h.state_mut()
        .desktop
        .session
        .engine
        .advance(Duration::seconds(20));
    assert_eq!(selected_stage(&h), Stage::Connected);
    assert_toolbar_matches_matrix(&mut h);
    h.state_mut()
        .desktop
        .act(Target::Interaction(id), Action::HangUp, Args::None);
    assert_eq!(selected_stage(&h), Stage::AfterCall);
    assert_toolbar_matches_matrix(&mut h);
}

#[test]
fn toolbar_follows_the_matrix_for_several_roles_and_stages() {
    walk_stages_checking_toolbar(app_for("Sam"), None);
    walk_stages_checking_toolbar(app_for("Dana"), None);
    walk_stages_checking_toolbar(app_for("Tom"), None);
    walk_stages_checking_toolbar(
        app_for("Dana"),
        Some("Demo: Outbound Before Call without Reschedule"),
    );
    walk_stages_checking_toolbar(
        app_for("Dana"),
        Some("Outbound Rescheduler (after call only)"),
    );
}

#[test]
fn disabled_button_hover_names_the_missing_privilege() {
    let mut h = harness(app_for("Dana"));
    h.run();
    get_record(&mut h);
    assert!(!is_enabled(&h, "Reschedule"));
    assert!(!is_enabled(&h, "Cancel"));
    h.get_by_label("Reschedule").hover();
    h.run();
    assert!(
        h.query_by_label_contains("missing Outbound - Can Reschedule Before Call")
            .is_some(),
        "hover text names the missing privilege"
    );
}

#[test]
fn preview_workflow_by_clicking() {
    let mut h = harness(app_for("Sam"));
    h.run();
    let first = get_record(&mut h);
    h.state_mut()
        .desktop
        .session
        .engine
        .force_next_outcome(CallResult::Busy);
    h.get_by_label("Dial").click();
    h.run();
    assert_eq!(selected_stage(&h), Stage::Dialing);
    h.state_mut()
        .desktop
        .session
        .engine
        .advance(Duration::seconds(20));
    h.run();
    assert_eq!(selected_stage(&h), Stage::AfterCall);
    h.get_by_label("Set Call Result").click();
    h.run();
    h.get_by_label("Busy (6)").click();
    h.get_by_label("OK").click();
    h.run();
    let d = &h.state().desktop;
    let chain = d
        .session
        .engine
        .chain_of(d.session.engine.interaction(first).unwrap())
        .unwrap();
    assert_eq!(chain.records[chain.selected].call_result, CallResult::Busy);
    h.get_by_label("Done and Get Next").click();
    h.run();
    let second = h.state().desktop.view.selected.unwrap();
    assert_ne!(second, first);
    assert_eq!(
        h.state()
            .desktop
            .session
            .engine
            .interaction(first)
            .unwrap()
            .stage,
        Stage::Closed
    );
    assert_eq!(selected_stage(&h), Stage::Preview);
    // Reschedule the next record before calling it (the supervisor has Before Call).
    h.get_by_label("Reschedule").click();
    h.run();
    h.get_by_label("OK").click();
    h.run();
    let d = &h.state().desktop;
    assert_eq!(
        d.session.engine.interaction(second).unwrap().completion,
        Some(agentdesk::world::Completion::Rescheduled)
    );
    d.session.engine.check_invariants().unwrap();
}

#[test]
fn web_callback_workflow_by_clicking() {
    let mut h = harness(app_for("Wes"));
    h.run();
    // The web callback agent is offered a waiting callback as soon as it logs in.
    h.get_all_by_label("Accept").next().unwrap().click();
    h.run();
    let id = h.state().desktop.view.selected.unwrap();
    assert_eq!(selected_stage(&h), Stage::Preview);
    h.state_mut()
        .desktop
        .session
        .engine
        .force_next_outcome(CallResult::Answer);
    h.get_by_label("Dial").click();
    h.run();
    h.state_mut()
        .desktop
        .session
        .engine
        .advance(Duration::seconds(20));
    h.run();
    assert_eq!(selected_stage(&h), Stage::Connected);
    h.get_by_label("Hang Up").click();
    h.run();
    h.get_by_label("Set Disposition").click();
    h.run();
    h.get_by_label("Resolved").click();
    h.get_by_label("OK").click();
    h.run();
    h.get_by_label("Mark Done").click();
    h.run();
    let it = h.state().desktop.session.engine.interaction(id).unwrap();
    assert_eq!(it.stage, Stage::Closed);
    match &it.payload {
        agentdesk::world::Payload::WebCallback(cb) => {
            assert_eq!(cb.disposition.as_deref(), Some("Resolved"))
        }
        other => panic!("unexpected payload {other:?}"),
    }
}

#[test]
fn switching_roles_live_changes_the_buttons() {
    let mut h = harness(app_for("Dana"));
    h.run();
    get_record(&mut h);
    assert!(!is_enabled(&h, "Reschedule"));
    h.get_by_label_contains("Roles: Outbound Preview Agent")
        .click();
    h.run();
    h.get_by_label("Push Preview Agent").click();
    h.run();
    let d = &h.state().desktop;
    assert_eq!(
        d.session.engine.agent(d.session.agent).unwrap().roles.len(),
        2
    );
    assert!(
        is_enabled(&h, "Reschedule"),
        "Before Call now comes from the second role"
    );
}

#[test]
fn a_denied_shortcut_shows_a_notice_and_is_audited() {
    let mut h = harness(app_for("Dana"));
    h.run();
    get_record(&mut h);
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::C);
    h.run();
    let d = &h.state().desktop;
    let last = d.session.engine.audit().entries().last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.decision().as_str()),
        ("cancel", "denied")
    );
    assert_eq!(last.missing().names(), vec!["Outbound - Can Cancel Record"]);
    assert!(
        h.query_by_label_contains("Cancel: Your role does not allow you to cancel this record.")
            .is_some(),
        "a notice explains the denial in plain words"
    );
}

#[test]
fn the_why_overlay_shows_reasons_next_to_disabled_buttons() {
    let mut h = harness(app_for("Dana"));
    h.run();
    get_record(&mut h);
    h.get_by_label("Why disabled?").click();
    h.run();
    assert!(
        h.query_by_label("Your role does not allow you to cancel this record.")
            .is_some()
    );
    assert!(
        h.query_by_label("Your role has \"Can Reschedule\", but it works only together with \"Can Use\", which your role does not have.").is_none(),
        "only reasons that apply are listed"
    );
    // The detail is one click away: the exact privilege, by its vendor name.
    assert!(
        h.query_by_label_contains("missing Outbound - Can Cancel Record")
            .is_none()
    );
    h.get_by_label("Your role does not allow you to cancel this record.")
        .click();
    h.run();
    assert!(
        h.query_by_label_contains("missing Outbound - Can Cancel Record")
            .is_some()
    );
}

/// The record view asks the engine field by field: a text field exactly where the edit of that
/// field is allowed now, "(read-only)" on the fields the campaign does not let anyone edit, and
/// "not editable for you" on the others while editing is not available (dialing).
#[test]
fn record_fields_are_editable_exactly_where_the_engine_allows_the_edit() {
    let mut h = harness(app_for("Dana"));
    h.run();
    let id = get_record(&mut h);
    let d = &h.state().desktop;
    let engine = &d.session.engine;
    let fields = engine
        .chain_of(engine.interaction(id).unwrap())
        .unwrap()
        .fields
        .clone();
    assert!(fields.iter().any(|f| f.editable()) && fields.iter().any(|f| !f.editable()));
    for f in fields.iter() {
        let edit = Args::Edit {
            field: f.name.to_string(),
            value: f.value.to_string(),
        };
        let allowed = engine
            .check_with(
                d.session.agent,
                Target::Interaction(id),
                Action::EditRecordData,
                &edit,
            )
            .is_ok();
        assert_eq!(allowed, f.editable(), "{} in preview", f.name);
        let text_field = h
            .query_by_role_and_label(egui::accesskit::Role::TextInput, f.name)
            .is_some();
        assert_eq!(text_field, allowed, "{}", f.name);
        if !allowed {
            assert!(
                h.query_by_label(&format!("{}  (read-only)", f.value))
                    .is_some(),
                "{} is marked read-only",
                f.name
            );
        }
    }
    h.get_by_label("Dial").click();
    h.run();
    assert_eq!(selected_stage(&h), Stage::Dialing);
    assert_eq!(
        h.query_all_by_label("not editable for you").count(),
        fields.iter().filter(|f| f.editable()).count()
    );
    assert_eq!(
        h.query_all_by_role(egui::accesskit::Role::TextInput)
            .count(),
        0
    );
}

/// The UI never decides privileges: no file under src/ui (desk and workbench included) names a
/// privilege or calls `authorize`; enabling goes through `Session::check`, which is
/// `Engine::check`.
#[test]
fn ui_code_has_no_privilege_logic() {
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui")];
    let mut checked = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for forbidden in [
                "Privilege::",
                "PrivilegeSet",
                "authorize(",
                "GATING_TABLE",
                ".granted",
            ] {
                assert!(
                    !text.contains(forbidden),
                    "{} mentions {forbidden}",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 2);
}
