//! The desktop's pieces for the rules of product version 8.5 through egui_kittest: the Dial on
//! New Number button and its dialog, which exist only where the roles file's product version
//! has the privilege; Mark Do Not Call's scope; a reschedule during the call that leaves the
//! interaction open; and the role editor's product version switch.

use std::path::Path;

use crate::common::{app_for, app_with, get_record, harness};

use agentdesk::engine::{Args, Target};
use agentdesk::policy::{Action, Stage};
use agentdesk::ui::DesktopApp;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::{CallResult, DoNotCallScope, InteractionId};
use chrono::Duration;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

fn stage(h: &Harness<'_, DesktopApp>, id: InteractionId) -> Stage {
    h.state()
        .desktop
        .session
        .engine
        .interaction(id)
        .expect("interaction")
        .stage
}

fn type_into(h: &mut Harness<'_, DesktopApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label)
        .set_text_value_accesskit(text);
    h.run();
}

/// Dials through the engine with a known outcome and lets the call resolve.
fn call(h: &mut Harness<'_, DesktopApp>, id: InteractionId, outcome: CallResult) {
    let d = &mut h.state_mut().desktop;
    d.session.engine.force_next_outcome(outcome);
    assert!(d.act(Target::Interaction(id), Action::Dial, Args::None));
    d.session.engine.advance(Duration::seconds(20));
    h.run();
}

#[test]
fn dial_on_new_number_checks_the_number_before_it_dials() {
    let mut h = harness(app_for("Sam"));
    h.run();
    let id = get_record(&mut h);
    h.get_by_label("Dial on New Number").click();
    h.run();
    type_into(&mut h, "New number", "+1 206 555 01x1");
    assert!(
        h.get_by_label("Dial this number")
            .accesskit_node()
            .is_disabled()
    );
    assert!(h.query_by_label_contains("contains 'x'").is_some());
    type_into(&mut h, "New number", "+1 206 555 0111");
    h.state_mut()
        .desktop
        .session
        .engine
        .force_next_outcome(CallResult::NoAnswer);
    h.get_by_label("Dial this number").click();
    h.run();
    assert_eq!(stage(&h, id), Stage::Dialing);
    let d = &h.state().desktop;
    let it = d.session.engine.interaction(id).unwrap();
    let chain = d.session.engine.chain_of(it).unwrap();
    assert_eq!(&*chain.records.last().unwrap().phone, "+1 206 555 0111");
    assert!(d.view.dialog.is_none());
}

#[test]
fn an_8_1_roles_file_has_no_dial_on_new_number_button() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/roles-8.1.toml");
    let book = RoleBook::load(&path).expect("loads").book;
    let mut h = harness(app_with(book, "Sam"));
    h.run();
    get_record(&mut h);
    assert!(h.query_by_label("Dial Alternative").is_some());
    assert!(h.query_by_label("Dial on New Number").is_none());
    // The newest version shows it.
    let mut h = harness(app_for("Sam"));
    h.run();
    get_record(&mut h);
    assert!(h.query_by_label("Dial on New Number").is_some());
}

#[test]
fn mark_do_not_call_asks_for_the_number_or_the_whole_contact() {
    let mut h = harness(app_for("Sam"));
    h.run();
    get_record(&mut h);
    h.get_by_label("Mark Do Not Call").click();
    h.run();
    h.get_by_label_contains("The whole contact (Nora Scott")
        .click();
    h.run();
    h.get_by_label("OK").click();
    h.run();
    let entries = h.state().desktop.session.engine.do_not_call().entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].scope, entries[0].shown.as_str()),
        (DoNotCallScope::Contact, "Nora Scott")
    );
    assert!(h.get_by_label("Dial").accesskit_node().is_disabled());
    assert!(
        h.get_by_label("Dial on New Number")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn a_reschedule_after_the_call_keeps_the_record_open_as_a_personal_callback() {
    let mut h = harness(app_for("Dana"));
    h.run();
    let id = get_record(&mut h);
    call(&mut h, id, CallResult::NoAnswer);
    assert_eq!(stage(&h, id), Stage::AfterCall);
    h.get_by_label("Reschedule").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Personal callback")
        .click();
    h.run();
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(stage(&h, id), Stage::AfterCall, "open until Mark Done");
    assert!(
        h.query_by_label_contains("(personal callback): finish with Mark Done")
            .is_some()
    );
    h.get_by_label("Mark Done").click();
    h.run();
    assert_eq!(stage(&h, id), Stage::Closed);
    let d = &h.state().desktop;
    let chain = d
        .session
        .engine
        .chain_of(d.session.engine.interaction(id).unwrap())
        .unwrap();
    assert_eq!(chain.owner, Some(d.session.agent));
}

#[test]
fn the_role_editor_switches_the_product_version_and_the_desktop_follows() {
    let mut h = harness(app_for("Sam"));
    h.run();
    get_record(&mut h);
    assert!(h.query_by_label("Dial on New Number").is_some());
    crate::common::open_tool(&mut h, "Role editor");
    assert!(
        h.query_by_label("23 privileges exist in this version")
            .is_some()
    );
    h.get_by_role_and_label(Role::ComboBox, "Product version")
        .click();
    h.run();
    h.get_by_label("8.1.401.05").click();
    h.run();
    // The Supervisor and two demo roles grant the privilege 8.1 lacks: asked first.
    assert!(
        h.query_by_label_contains(
            "does not have: Outbound - Can Dial On New Number (granted by Supervisor, Demo:"
        )
        .is_some()
    );
    h.get_by_label("Switch to 8.1.401.05 and revoke them")
        .click();
    h.run();
    h.run();
    let d = &h.state().desktop;
    assert_eq!(
        d.session.engine.roles().product_version().to_string(),
        "8.1.401.05"
    );
    assert!(h.query_by_label("Dial on New Number").is_none());
    assert!(
        h.query_by_label("22 privileges exist in this version")
            .is_some()
    );
}
