//! The trainer's workbench through egui_kittest: the role editor changes the desktop live,
//! offers missing prerequisites, validates names, saves atomically and refuses to overwrite a
//! file changed on disk; the comparison window lists what tells two roles apart.

use crate::common::{app_for, harness};

use agentdesk::engine::Target;
use agentdesk::policy::Action;
use agentdesk::training::role_compare::compare_roles;
use agentdesk::training::role_edit::GrantState;
use agentdesk::ui::DesktopApp;
use agentdesk::ui::workbench::role_editor::RoleEditor;
use agentdesk::world::roles::RoleBook;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// A harness for `agent` with the role editor opened through the Workbench menu.
fn with_role_editor(agent: &str) -> Harness<'static, DesktopApp> {
    let mut h = harness(app_for(agent));
    h.run();
    crate::common::open_tool(&mut h, "Role editor");
    assert!(
        h.state()
            .desktop
            .view
            .workbench
            .get::<RoleEditor>()
            .is_some()
    );
    h
}

fn editor<'a>(h: &'a Harness<'_, DesktopApp>) -> &'a RoleEditor {
    crate::common::tool(h)
}

fn role_index(h: &Harness<'_, DesktopApp>, name: &str) -> usize {
    editor(h)
        .draft()
        .book()
        .role_index(name)
        .expect("role exists")
}

/// Clicks a widget through accessibility, which reaches it even when scrolled out of view.
fn click(h: &mut Harness<'_, DesktopApp>, label: &str) {
    h.get_by_label(label).click_accesskit();
    h.run();
}

fn select_role(h: &mut Harness<'_, DesktopApp>, name: &str) {
    click(h, name);
    assert_eq!(editor(h).selected(), Some(role_index(h, name)));
}

/// Ticks or unticks the checkbox with this exact label.
fn tick(h: &mut Harness<'_, DesktopApp>, label: &str) {
    h.get_by_role_and_label(Role::CheckBox, label)
        .click_accesskit();
    h.run();
}

fn set_field(h: &mut Harness<'_, DesktopApp>, label: &str, text: &str) {
    let field = h
        .query_by_role_and_label(Role::TextInput, label)
        .or_else(|| h.query_by_role_and_label(Role::MultilineTextInput, label))
        .expect("a labelled text field");
    field.set_text_value_accesskit(text);
    h.run();
}

fn open_record(h: &mut Harness<'_, DesktopApp>) -> Target {
    h.get_all_by_label("Get Record").next().unwrap().click();
    h.run();
    Target::Interaction(
        h.state()
            .desktop
            .view
            .selected
            .expect("a record is selected"),
    )
}

#[test]
fn ticking_a_privilege_changes_the_draft_and_the_desktop_live() {
    let mut h = with_role_editor("Dana");
    // Get a record first: the role editor window covers part of the desktop.
    let record = {
        h.state_mut().desktop.view.workbench.close(RoleEditor::NAME);
        h.run();
        let t = open_record(&mut h);
        crate::common::open_tool(&mut h, "Role editor");
        t
    };
    assert!(
        h.state()
            .desktop
            .session
            .check(record, Action::Reschedule)
            .is_err(),
        "Dana cannot reschedule before the call"
    );
    select_role(&mut h, "Outbound Preview Agent");
    let role = role_index(&h, "Outbound Preview Agent");
    assert!(
        !editor(&h)
            .draft()
            .is_granted(role, "ob.reschedule_before_call")
    );
    tick(&mut h, "Outbound - Can Reschedule Before Call");
    assert!(
        editor(&h)
            .draft()
            .is_granted(role, "ob.reschedule_before_call")
    );
    // Applied live: the engine now allows it, and the toolbar button is enabled.
    assert!(
        h.state()
            .desktop
            .session
            .check(record, Action::Reschedule)
            .is_ok()
    );
    assert!(!h.get_by_label("Reschedule").accesskit_node().is_disabled());
    // Unticking takes it away again.
    tick(&mut h, "Outbound - Can Reschedule Before Call");
    assert!(
        h.state()
            .desktop
            .session
            .check(record, Action::Reschedule)
            .is_err()
    );
}

#[test]
fn without_live_apply_changes_wait_for_the_apply_button() {
    let mut h = with_role_editor("Dana");
    crate::common::tool_mut::<RoleEditor>(&mut h).live = false;
    select_role(&mut h, "Outbound Preview Agent");
    tick(&mut h, "Outbound - Can Cancel Record");
    let role = role_index(&h, "Outbound Preview Agent");
    assert!(editor(&h).draft().is_granted(role, "ob.cancel"));
    assert_ne!(
        h.state().desktop.session.engine.roles(),
        editor(&h).draft().book()
    );
    assert!(
        h.query_by_label("The desktop runs on an older version of these roles.")
            .is_some()
    );
    click(&mut h, "Apply to desktop");
    assert_eq!(
        h.state().desktop.session.engine.roles(),
        editor(&h).draft().book()
    );
    assert!(
        h.query_by_label("The desktop runs on these roles.")
            .is_some()
    );
}

#[test]
fn an_unmet_dependency_offers_to_grant_the_prerequisite() {
    let mut h = with_role_editor("Tom");
    select_role(&mut h, "Trainee");
    let role = role_index(&h, "Trainee");
    tick(&mut h, "Outbound - Can Reschedule Before Call");
    assert!(matches!(
        editor(&h).draft().state(role, "ob.reschedule_before_call"),
        GrantState::Inactive { .. }
    ));
    assert!(
        h.query_by_label("granted, but inactive: waits on Outbound - Can Reschedule (documented)")
            .is_some(),
        "the inactive grant says what it waits on"
    );
    assert!(
        h.query_by_label_contains(
            "It takes effect only with Outbound - Can Reschedule (documented)"
        )
        .is_some()
    );
    click(&mut h, "Also grant Outbound - Can Reschedule");
    let draft = editor(&h).draft();
    assert!(draft.is_granted(role, "ob.reschedule"));
    assert_eq!(
        draft.state(role, "ob.reschedule_before_call"),
        GrantState::Effective
    );
    assert!(
        h.query_by_label_contains("Also grant").is_none(),
        "offer gone"
    );
    assert!(
        h.query_by_label_contains("granted, but inactive").is_none(),
        "nothing inactive left"
    );
}

#[test]
fn version_notes_and_dependency_kinds_are_shown() {
    let mut h = with_role_editor("Sam");
    select_role(&mut h, "Supervisor");
    assert!(h.get_all_by_label("Added in 8.1.40x.xx").count() >= 4);
    assert_eq!(h.get_all_by_label("Modified in 8.1.40x.xx").count(), 2);
    assert!(
        h.query_by_label("Outbound - Can Reschedule (documented)")
            .is_some()
    );
    assert!(
        h.query_by_label("Outbound - Can Use Push Preview (implied)")
            .is_some()
    );
}

#[test]
fn rename_validates_inline_and_create_duplicate_delete_work() {
    let mut h = with_role_editor("Tom");
    select_role(&mut h, "Trainee");
    let role = role_index(&h, "Trainee");
    set_field(&mut h, "Name", "Supervisor");
    assert!(
        h.query_by_label("Name not changed: another role is already called \"Supervisor\"")
            .is_some()
    );
    assert_eq!(editor(&h).draft().role_name(role), Some("Trainee"));
    set_field(&mut h, "Name", "   ");
    assert!(
        h.query_by_label("Name not changed: a role needs a name")
            .is_some()
    );
    set_field(&mut h, "Name", "Junior Agent");
    assert!(h.query_by_label_contains("Name not changed").is_none());
    assert_eq!(editor(&h).draft().role_name(role), Some("Junior Agent"));
    // Live: the logged-in trainee's role is renamed on the desktop too.
    assert!(h.query_by_label("Roles: Junior Agent").is_some());
    set_field(&mut h, "Description", "Learns the ropes.");
    assert_eq!(
        editor(&h).draft().description(role),
        Some("Learns the ropes.")
    );

    let count = editor(&h).draft().role_count();
    click(&mut h, "Duplicate");
    assert_eq!(editor(&h).draft().role_count(), count + 1);
    assert_eq!(
        editor(&h).draft().role_name(count),
        Some("Junior Agent (copy)")
    );
    assert_eq!(editor(&h).selected(), Some(count));
    click(&mut h, "New role");
    assert_eq!(editor(&h).draft().role_name(count + 1), Some("New role"));
    click(&mut h, "Delete");
    assert!(h.query_by_label_contains("Delete \"New role\"?").is_some());
    click(&mut h, "Delete role");
    assert_eq!(editor(&h).draft().role_count(), count + 1);
    assert_eq!(
        h.state().desktop.session.engine.roles().roles.len(),
        count + 1
    );
}

#[test]
fn deleting_a_role_keeps_the_logged_in_agents_other_roles() {
    let mut h = with_role_editor("Alex");
    let session_names = |h: &Harness<'_, DesktopApp>| -> Vec<String> {
        let d = &h.state().desktop;
        d.session
            .engine
            .agent(d.session.agent)
            .unwrap()
            .roles
            .iter()
            .map(|&r| d.session.engine.roles().roles[r].name.clone())
            .collect()
    };
    assert_eq!(
        session_names(&h),
        ["Outbound Preview Agent", "Web Callback Agent"]
    );
    select_role(&mut h, "Supervisor");
    click(&mut h, "Delete");
    click(&mut h, "Delete role");
    // Every index after the deleted role moved; Alex still holds the same two roles.
    assert_eq!(
        session_names(&h),
        ["Outbound Preview Agent", "Web Callback Agent"]
    );
    select_role(&mut h, "Outbound Preview Agent");
    click(&mut h, "Delete");
    click(&mut h, "Delete role");
    assert_eq!(session_names(&h), ["Web Callback Agent"]);
}

#[test]
fn agents_tab_assigns_roles_and_the_logged_in_agent_gets_them() {
    let mut h = with_role_editor("Dana");
    click(&mut h, "Agents");
    h.get_by_label_contains("Dana: Outbound Preview Agent")
        .click();
    h.run();
    tick(&mut h, "Push Preview Agent");
    let d = &h.state().desktop;
    let book = d.session.engine.roles();
    let dana = &book.agents[book.agent_index("Dana").unwrap()];
    let names: Vec<&str> = dana
        .roles
        .iter()
        .map(|&r| book.roles[r].name.as_str())
        .collect();
    assert_eq!(names, ["Outbound Preview Agent", "Push Preview Agent"]);
    assert_eq!(
        d.session.engine.agent(d.session.agent).unwrap().roles,
        dana.roles
    );
    assert!(
        h.query_by_label("Roles: Outbound Preview Agent + Push Preview Agent")
            .is_some()
    );
}

#[test]
fn save_writes_a_file_that_reloads_to_the_same_book() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trainer.toml");
    let mut h = with_role_editor("Tom");
    assert!(
        h.query_by_label_contains("roles.toml in the current directory")
            .is_some()
    );
    select_role(&mut h, "Trainee");
    tick(&mut h, "Outbound - Can Set Call Result");
    assert!(h.query_by_label("unsaved changes").is_some());
    set_field(&mut h, "Roles file", &path.display().to_string());
    click(&mut h, "Save");
    assert!(
        h.query_by_label_contains(&format!(
            "Saved {} roles and 6 agents to",
            agentdesk::world::roles::RoleBook::embedded_default()
                .roles
                .len()
        ))
        .is_some()
    );
    assert!(h.query_by_label("unsaved changes").is_none());
    let reloaded = RoleBook::load(&path).expect("saved file loads").book;
    assert_eq!(&reloaded, editor(&h).draft().book());
    let role = role_index(&h, "Trainee");
    assert!(editor(&h).draft().is_granted(role, "ob.set_call_result"));
    assert_eq!(editor(&h).roles_path.as_deref(), Some(path.as_path()));
}

#[test]
fn save_refuses_a_file_changed_on_disk_until_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roles.toml");
    std::fs::write(&path, RoleBook::embedded_default().to_toml()).unwrap();
    let mut h = harness(app_for("Tom"));
    h.run();
    let editor_state = RoleEditor::new(&h.state().desktop.session).with_roles_path(path.clone());
    h.state_mut().desktop.view.workbench.open(editor_state);
    h.run();
    assert!(
        h.query_by_label(&format!("Editing {}", path.display()))
            .is_some()
    );
    // Someone else edits the file while the trainer works.
    let theirs = format!(
        "# edited elsewhere\n{}",
        RoleBook::embedded_default().to_toml()
    );
    std::fs::write(&path, &theirs).unwrap();
    select_role(&mut h, "Trainee");
    tick(&mut h, "Outbound - Can Mark Do Not Call");
    click(&mut h, "Save");
    assert!(
        h.query_by_label_contains("changed on disk since it was opened")
            .is_some(),
        "the refusal is shown"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    click(&mut h, "Overwrite anyway");
    assert!(h.query_by_label_contains("changed on disk").is_none());
    assert_eq!(
        &RoleBook::load(&path).unwrap().book,
        editor(&h).draft().book()
    );
    // A new path where a file already exists is not overwritten silently either.
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "# keep\n").unwrap();
    set_field(&mut h, "Roles file", &other.display().to_string());
    click(&mut h, "Save");
    assert!(h.query_by_label_contains("already exists").is_some());
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "# keep\n");
}

#[test]
fn a_save_that_cannot_write_says_so_and_keeps_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing").join("roles.toml");
    let mut h = with_role_editor("Tom");
    set_field(&mut h, "Roles file", &path.display().to_string());
    click(&mut h, "Save");
    assert!(
        h.query_by_label_contains("Not saved: cannot write")
            .is_some()
    );
    assert!(editor(&h).roles_path.is_none());
}

#[test]
fn open_loads_a_file_or_shows_its_diagnostics_inline() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[role]]\nname = \"A\"\nprivileges = [\"Outbound - Can Rejct Record\"]\n",
    )
    .unwrap();
    let mut h = with_role_editor("Tom");
    set_field(&mut h, "Roles file", &bad.display().to_string());
    click(&mut h, "Open...");
    assert!(h.query_by_label_contains("Could not open").is_some());
    assert!(
        h.query_by_label_contains("did you mean \"Outbound - Can Reject Record\"")
            .is_some()
    );
    assert_eq!(
        editor(&h).draft().role_count(),
        agentdesk::world::roles::RoleBook::embedded_default()
            .roles
            .len(),
        "draft unchanged"
    );

    let good = dir.path().join("good.toml");
    std::fs::write(
        &good,
        "[[role]]\nname = \"Trainee\"\nprivileges = [\"Outbound - Can Use\", \"Outbound - Can Reschedule Before Call\"]\n\n[[agent]]\nname = \"Tom\"\nroles = [\"Trainee\"]\n",
    )
    .unwrap();
    set_field(&mut h, "Roles file", &good.display().to_string());
    click(&mut h, "Open...");
    assert_eq!(editor(&h).draft().role_count(), 1);
    assert!(
        h.query_by_label_contains("1 warning(s) or note(s)")
            .is_some()
    );
    assert!(h.query_by_label_contains("but it is inactive").is_some());
    // Applied live: Tom keeps the role of the same name, now index 0 of a one-role book.
    let d = &h.state().desktop;
    assert_eq!(d.session.engine.roles().roles.len(), 1);
    assert_eq!(
        d.session.engine.agent(d.session.agent).unwrap().roles,
        vec![0]
    );
}

#[test]
fn compare_preview_and_push_agents_lists_the_differing_cells() {
    let mut h = harness(app_for("Dana"));
    h.run();
    crate::common::open_tool(&mut h, "Compare two roles");
    for (picker, role) in [
        ("Role A", "Outbound Preview Agent"),
        ("Role B", "Push Preview Agent"),
    ] {
        h.get_by_label(picker).click();
        h.run();
        h.get_all_by_label(role).last().unwrap().click();
        h.run();
    }
    let book = h.state().desktop.session.engine.roles();
    let (a, b) = (
        book.role_index("Outbound Preview Agent").unwrap(),
        book.role_index("Push Preview Agent").unwrap(),
    );
    let compare: &agentdesk::ui::workbench::compare::Compare = crate::common::tool(&h);
    assert_eq!((compare.left, compare.right), (a, b));
    let expected = compare_roles(book, a, b).unwrap();
    assert!(!expected.cells.is_empty());
    assert!(
        h.query_by_label(&format!(
            "{} of {} cells differ",
            expected.cells.len(),
            expected.cells_compared
        ))
        .is_some()
    );
    // The cells with their matrix codes are under "Cell by cell", closed at first since the
    // plain sentences came first (issue 22).
    assert!(
        h.query_by_label(
            "Push Preview Agent may reschedule this customer before the call; Outbound Preview \
             Agent may not: it lacks Outbound - Can Reschedule Before Call"
        )
        .is_some()
    );
    click(&mut h, &format!("Cell by cell ({})", expected.cells.len()));
    assert!(
        h.query_by_label("preview / reschedule / preview").is_some(),
        "the before-call reschedule cell is listed"
    );
    assert!(
        h.query_by_label("denied: missing Outbound - Can Reschedule Before Call")
            .is_some()
    );
    assert!(
        h.query_by_label("Outbound - Can Use Push Preview")
            .is_some()
    );
    // Inline reasons quote the authorization function's explanation.
    click(&mut h, "Show reasons inline");
    assert!(
        h.query_all_by_label_contains(
            "Outbound - Can Reschedule Before Call: required by this action"
        )
        .count()
            >= 1
    );
}

#[test]
fn compare_follows_live_edits_from_the_role_editor() {
    let mut h = with_role_editor("Dana");
    crate::common::open_tool(&mut h, "Compare two roles");
    // Supervisor (A) vs Outbound Preview Agent (B) by default.
    let book = h.state().desktop.session.engine.roles().clone();
    let before = compare_roles(&book, 0, 1).unwrap().cells.len();
    // Both tools are tabs of the dock: back to the editor's tab, then to the comparison's.
    h.get_by_label("Role editor").click();
    h.run();
    select_role(&mut h, "Outbound Preview Agent");
    tick(&mut h, "Outbound - Can Cancel Record");
    let book = h.state().desktop.session.engine.roles().clone();
    let after = compare_roles(&book, 0, 1).unwrap().cells.len();
    assert!(after < before);
    h.get_by_label("Compare two roles").click();
    h.run();
    assert!(
        h.query_by_label(&format!("{after} of 186 cells differ"))
            .is_some()
    );
}
