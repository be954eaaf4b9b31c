//! The role editor window: roles, their privileges by section with dependencies and version
//! notes, agents' roles, live apply to the desktop, and an atomic, conflict-checked save.
//!
//! Every question about privileges goes to `role_edit::RoleDraft`; this file only lays out
//! its answers and turns clicks into calls on it. Open and Save return commands the desk
//! carries out (`ui/exports.rs`), which hands the outcome back to [`RoleEditor::opened`] and
//! [`RoleEditor::saved`].

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::Tool;
use agents::{agents_view, role_agents};
use bars::header;

mod agents;
mod bars;
use crate::input::Diagnostic;
use crate::policy::{KNOWN_VERSIONS, ProductVersion};
use crate::training::role_edit::{
    Edge, GrantState, PrivilegeEntry, RoleDraft, ToggleOutcome, privileges_by_section,
};
use crate::ui::exports::{OpenRequest, RolesSave};
use crate::ui::{Session, UiCommand};
use crate::world::roles::{Expected, FileStamp, Loaded, RoleBook, SaveError};

/// Where a new roles file goes when the desktop was started from the embedded defaults.
const DEFAULT_SAVE_PATH: &str = "roles.toml";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Privileges,
    Agents,
}

/// A one-line outcome of a file operation.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Message {
    error: bool,
    text: String,
}

/// State of the role editor window.
pub struct RoleEditor {
    /// The roles file the draft was opened from or last saved to; `None` while it is the
    /// book the desktop started with (the embedded defaults, or a file it did not name).
    pub roles_path: Option<PathBuf>,
    /// What `roles_path` held when opened or last saved: Save refuses if it changed since.
    stamp: Option<FileStamp>,
    /// `roles_path` is the file the desktop started from, whose stamp the desk is yet to read.
    stamp_wanted: bool,
    /// The path field.
    path_text: String,
    draft: RoleDraft,
    /// The book as last opened or saved, to tell whether there is anything to save.
    saved: RoleBook,
    selected: Option<usize>,
    tab: Tab,
    name_text: String,
    name_error: Option<String>,
    description_text: String,
    /// Apply every change to the desktop as it is made (on by default: trainers tick a box
    /// and watch the agent's buttons change).
    pub live: bool,
    /// The privilege just ticked whose prerequisites are missing: (role, privilege id).
    offer: Option<(usize, &'static str)>,
    /// What the last untick left inactive, until the next change: (role, privilege id, text).
    note: Option<(usize, &'static str, String)>,
    /// What the editor waits for the trainer to confirm (one thing at a time).
    pending: Pending,
    message: Option<Message>,
    /// Errors, warnings and notes of the last file opened.
    diagnostics: Vec<String>,
}

/// What the role editor waits for the trainer to confirm. The four questions it can ask are
/// exclusive: a new one replaces the one shown.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    Nothing,
    /// The role awaiting a second click on Delete.
    Delete(usize),
    /// Open was clicked with unsaved changes in the draft.
    Open,
    /// Why Save refused (the file changed on disk, or exists); offers "Overwrite anyway".
    SaveConflict(String),
    /// A product version picked that lacks privileges some roles grant.
    Version(ProductVersion),
}

impl Pending {
    /// Drops the question when it is of the kind `which` accepts (answered or moot).
    fn end_if(&mut self, which: impl Fn(&Pending) -> bool) {
        if which(self) {
            *self = Pending::Nothing;
        }
    }

    /// Drops a save conflict (saved, opened, or the path changed).
    fn end_conflict(&mut self) {
        self.end_if(|p| matches!(p, Pending::SaveConflict(_)));
    }
}

impl RoleEditor {
    pub const NAME: &'static str = "Role editor";

    pub fn new(s: &Session) -> RoleEditor {
        let draft = RoleDraft::new(s.engine.roles());
        let mut editor = RoleEditor {
            roles_path: None,
            stamp: None,
            stamp_wanted: false,
            path_text: DEFAULT_SAVE_PATH.to_string(),
            saved: draft.book().clone(),
            draft,
            selected: None,
            tab: Tab::Privileges,
            name_text: String::new(),
            name_error: None,
            description_text: String::new(),
            live: true,
            offer: None,
            note: None,
            pending: Pending::Nothing,
            message: None,
            diagnostics: Vec::new(),
        };
        // Open on the role the desk's agent works with, not on the first of the file.
        let in_use = s
            .engine
            .agent(s.agent)
            .and_then(|a| a.roles.first().copied());
        editor.select(in_use.or(Some(0)));
        editor
    }

    /// The editor for a desktop started from the roles file at `path`: Save goes back there,
    /// and refuses if the file changes on disk from now on (the desk reads its stamp when the
    /// editor is first drawn: `OpenRequest::RolesStamp`).
    pub fn with_roles_path(mut self, path: PathBuf) -> RoleEditor {
        self.path_text = path.display().to_string();
        self.roles_path = Some(path);
        self.stamp_wanted = true;
        self
    }

    /// The stamp of `roles_path` as the desk read it (`None`: no file there).
    pub fn stamped(&mut self, stamp: Option<FileStamp>) {
        self.stamp = stamp;
    }

    /// The book being edited.
    pub fn draft(&self) -> &RoleDraft {
        &self.draft
    }

    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// Selects a role (`None` or out of range: the first, if any) and resets its fields.
    pub fn select(&mut self, role: Option<usize>) {
        let count = self.draft.role_count();
        self.selected = match role {
            Some(i) if i < count => Some(i),
            _ if count > 0 => Some(0),
            _ => None,
        };
        let sel = self.selected.unwrap_or(usize::MAX);
        self.name_text = self.draft.role_name(sel).unwrap_or_default().to_string();
        self.description_text = self.draft.description(sel).unwrap_or_default().to_string();
        self.name_error = None;
        self.offer = None;
        self.note = None;
        self.pending.end_if(|p| matches!(p, Pending::Delete(_)));
    }

    fn has_unsaved_changes(&self) -> bool {
        self.draft.book() != &self.saved
    }

    /// Applies the draft to the desktop: the new book, with every logged-in session's roles
    /// re-indexed (agents keep roles by index).
    fn apply(&mut self, out: &mut Vec<UiCommand>) {
        out.push(UiCommand::ReplaceRoles(Box::new(self.draft.apply())));
    }

    fn path(&self) -> Option<PathBuf> {
        let text = self.path_text.trim();
        (!text.is_empty()).then(|| PathBuf::from(text))
    }

    /// Asks the desk to write the draft to the path typed (`confirmed`: over whatever is
    /// there).
    fn save(&mut self, confirmed: bool, out: &mut Vec<UiCommand>) {
        let Some(path) = self.path() else {
            self.message = Some(Message {
                error: true,
                text: "Type the path of the roles file to save to.".into(),
            });
            return;
        };
        let expected = if confirmed {
            Expected::Anything
        } else {
            match (&self.roles_path, self.stamp) {
                (Some(p), Some(stamp)) if *p == path => Expected::Unchanged(stamp),
                _ => Expected::NoFile,
            }
        };
        out.push(UiCommand::SaveRoles(Box::new(RolesSave {
            path,
            book: self.draft.book().clone(),
            expected,
        })));
    }

    /// How the save of `book` to `path` went.
    pub fn saved(&mut self, path: &Path, book: &RoleBook, result: Result<FileStamp, SaveError>) {
        match result {
            Ok(stamp) => {
                self.stamp = Some(stamp);
                self.saved = book.clone();
                self.pending.end_conflict();
                self.message = Some(Message {
                    error: false,
                    text: format!(
                        "Saved {} roles and {} agents to {}",
                        book.roles.len(),
                        book.agents.len(),
                        path.display()
                    ),
                });
                self.roles_path = Some(path.to_path_buf());
            }
            Err(e) if e.is_conflict() => {
                self.message = None;
                self.pending = Pending::SaveConflict(e.to_string());
            }
            Err(e) => {
                self.pending.end_conflict();
                self.message = Some(Message {
                    error: true,
                    text: format!("Not saved: {e}. The file on disk is unchanged."),
                });
            }
        }
    }

    /// Asks the desk to read the roles file at the path typed.
    fn open(&mut self, out: &mut Vec<UiCommand>) {
        self.pending.end_if(|p| *p == Pending::Open);
        let Some(path) = self.path() else {
            self.message = Some(Message {
                error: true,
                text: "Type the path of a roles file to open.".into(),
            });
            return;
        };
        out.push(UiCommand::Open(OpenRequest::Roles { path }));
    }

    /// The roles file at `path` as read (`running`: the book the desktop runs on, whose
    /// roles the draft keeps by name).
    pub fn opened(
        &mut self,
        path: PathBuf,
        read: Result<(Loaded, FileStamp), Vec<Diagnostic>>,
        running: &RoleBook,
    ) {
        match read {
            Ok((loaded, stamp)) => {
                self.draft = RoleDraft::replacing(loaded.book.clone(), running);
                self.saved = loaded.book;
                self.stamp = Some(stamp);
                self.diagnostics = loaded.diagnostics.iter().map(|x| x.to_string()).collect();
                self.pending.end_conflict();
                self.message = Some(Message {
                    error: false,
                    text: format!(
                        "Opened {}: {} roles, {} agents, {} warning(s) or note(s)",
                        path.display(),
                        self.draft.role_count(),
                        self.draft.agent_count(),
                        self.diagnostics.len()
                    ),
                });
                self.roles_path = Some(path);
                self.select(Some(0));
            }
            Err(errors) => {
                self.diagnostics = errors.iter().map(|x| x.to_string()).collect();
                self.message = Some(Message {
                    error: true,
                    text: format!(
                        "Could not open {}: {} error(s) below. The draft is unchanged.",
                        path.display(),
                        errors.len()
                    ),
                });
            }
        }
    }
}

impl Tool for RoleEditor {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn own_scroll(&self) -> bool {
        true
    }

    fn ui(&mut self, ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
        let state = self;
        let apply_now;
        // Open and Save go after the draft reaches the desktop, as they did when the editor
        // wrote the file itself: a saved file then names the roles the desk runs on.
        let mut files = Vec::new();
        if state.stamp_wanted
            && let Some(path) = state.roles_path.clone()
        {
            state.stamp_wanted = false;
            files.push(UiCommand::Open(OpenRequest::RolesStamp { path }));
        }
        // A dock narrower than the list and a privilege row side by side (1024 px screens)
        // puts the list above the role, and the whole tool scrolls as one: the file and
        // version bars would otherwise leave the role no height at all in presenter mode.
        if ui.available_width() < 620.0 {
            // One scroll for everything: the role list inside is not a second scroll area, so
            // the wheel over it moves the tool and the outbound privileges are one scroll away.
            let scrolled = egui::ScrollArea::vertical()
                .id_salt("role_editor_narrow")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    let apply_now = header(ui, state, &mut files);
                    role_list(ui, state, None);
                    ui.separator();
                    role_tabs(ui, state);
                    role_content(ui, state, s);
                    apply_now
                });
            apply_now = scrolled.inner;
        } else {
            apply_now = header(ui, state, &mut files);
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(250.0);
                    let height = (ui.available_height() - 70.0).max(120.0);
                    role_list(ui, state, Some(height));
                });
                ui.separator();
                ui.vertical(|ui| {
                    role_tabs(ui, state);
                    // Vertical only: a privilege row wraps its name and carries its version
                    // and dependencies under it, so nothing lies to the side.
                    egui::ScrollArea::vertical()
                        .id_salt("role_editor_body")
                        .auto_shrink([false, false])
                        .show(ui, |ui| role_content(ui, state, s));
                });
            });
        }
        if apply_now || (state.live && state.draft.has_unapplied_changes()) {
            state.apply(out);
        }
        out.append(&mut files);
    }
}

/// The selected role's tabs: its privileges, or who holds which role.
fn role_tabs(ui: &mut Ui, state: &mut RoleEditor) {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut state.tab, Tab::Privileges, "Role");
        ui.selectable_value(&mut state.tab, Tab::Agents, "Agents");
    });
    ui.separator();
}

fn role_content(ui: &mut Ui, state: &mut RoleEditor, s: &Session) {
    match state.tab {
        Tab::Privileges => role_view(ui, state, s),
        Tab::Agents => agents_view(ui, state, s),
    }
}

/// The roles, in a scroll area of `max_height` beside the role, or all of them in the tool's
/// one scroll (`None`) when the list sits above it.
fn role_list(ui: &mut Ui, state: &mut RoleEditor, max_height: Option<f32>) {
    ui.strong("Roles");
    let clicked = match max_height {
        Some(height) => {
            egui::ScrollArea::vertical()
                .id_salt("role_editor_roles")
                .max_height(height)
                .auto_shrink([false, true])
                .show(ui, |ui| role_names(ui, state))
                .inner
        }
        None => role_names(ui, state),
    };
    if let Some(i) = clicked {
        state.select(Some(i));
    }
    role_list_buttons(ui, state);
}

/// One selectable line per role; the index of the one clicked.
fn role_names(ui: &mut Ui, state: &RoleEditor) -> Option<usize> {
    let mut clicked = None;
    for i in 0..state.draft.role_count() {
        let name = state.draft.role_name(i).unwrap_or_default().to_string();
        let (granted, effective) = state.draft.grant_counts(i);
        let counts = if granted == effective {
            format!("{granted} granted")
        } else {
            format!("{granted} granted, {} inactive", granted - effective)
        };
        let response = ui
            .selectable_label(state.selected == Some(i), name)
            .on_hover_text(format!(
                "{counts}\n{}",
                state.draft.description(i).unwrap_or_default()
            ));
        if response.clicked() {
            clicked = Some(i);
        }
    }
    clicked
}

fn role_list_buttons(ui: &mut Ui, state: &mut RoleEditor) {
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        if ui.button("New role").clicked() {
            let name = state.draft.unused_name("New role");
            if let Ok(i) = state.draft.create_role(&name) {
                state.select(Some(i));
            }
        }
        let sel = state.selected;
        if ui
            .add_enabled(sel.is_some(), egui::Button::new("Duplicate"))
            .clicked()
            && let Some(i) = sel.and_then(|i| state.draft.duplicate_role(i))
        {
            state.select(Some(i));
        }
        if ui
            .add_enabled(sel.is_some(), egui::Button::new("Delete"))
            .clicked()
            && let Some(i) = sel
        {
            state.pending = Pending::Delete(i);
        }
    });
    if let Pending::Delete(i) = state.pending {
        let holders = (0..state.draft.agent_count())
            .filter(|&a| state.draft.agent_has_role(a, i))
            .count();
        ui.label(
            RichText::new(format!(
                "Delete \"{}\"? {holders} agent(s) hold it.",
                state.draft.role_name(i).unwrap_or_default()
            ))
            .color(ui.visuals().warn_fg_color),
        );
        ui.horizontal(|ui| {
            if ui.button("Delete role").clicked() {
                state.draft.delete_role(i);
                state.select(Some(i.saturating_sub(1)));
            }
            if ui.button("Keep").clicked() {
                state.pending.end_if(|p| matches!(p, Pending::Delete(_)));
            }
        });
    }
}

fn role_view(ui: &mut Ui, state: &mut RoleEditor, s: &Session) {
    let Some(role) = state.selected else {
        ui.label("No roles yet: press New role.");
        return;
    };
    // The fields fit the tool's width: it scrolls only vertically.
    let field_width = (ui.available_width() - 110.0).clamp(160.0, 420.0);
    egui::Grid::new("role_editor_fields")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("Name");
            let edit = ui
                .add(egui::TextEdit::singleline(&mut state.name_text).desired_width(field_width))
                .labelled_by(label.id);
            if edit.changed() {
                // The draft only ever holds valid names; the field may hold an invalid one
                // while the user types, shown with the reason.
                state.name_error = state
                    .draft
                    .rename_role(role, &state.name_text)
                    .err()
                    .map(|e| format!("Name not changed: {e}"));
            }
            ui.end_row();
            if let Some(error) = &state.name_error {
                ui.label("");
                ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
                ui.end_row();
            }
            let label = ui.label("Description");
            let edit = ui
                .add(
                    egui::TextEdit::multiline(&mut state.description_text)
                        .desired_width(field_width)
                        .desired_rows(2),
                )
                .labelled_by(label.id);
            if edit.changed() {
                state.draft.set_description(role, &state.description_text);
            }
            ui.end_row();
        });
    privilege_sections(ui, state, role);
    role_agents(ui, state, role, s);
}

/// Every privilege of the catalogue by section, ticked where the role grants it.
fn privilege_sections(ui: &mut Ui, state: &mut RoleEditor, role: usize) {
    let sections = privileges_by_section();
    let total = state.draft.privilege_count();
    let (granted, effective) = state.draft.grant_counts(role);
    ui.label(format!(
        "{granted} of {total} privileges granted, {effective} in effect"
    ));
    ui.add_space(4.0);
    for section in sections {
        ui.add_space(6.0);
        ui.heading(section.title);
        for entry in &section.privileges {
            privilege_row(ui, state, role, entry);
        }
    }
}

/// One privilege: its checkbox, version note and dependencies, and under it what is
/// inactive, what the last untick left inactive, or the offer of missing prerequisites.
fn privilege_row(ui: &mut Ui, state: &mut RoleEditor, role: usize, entry: &PrivilegeEntry) {
    let warn = ui.visuals().warn_fg_color;
    let weak = ui.visuals().weak_text_color();
    let mut on = state.draft.is_granted(role, entry.id);
    let exists = state.draft.privilege_exists(entry.id);
    // The exact vendor name wraps in the tool's width (a vertical layout wraps); under it,
    // its version and what it depends on, so a privilege and its dependency are seen together.
    let changed = ui
        .add_enabled(exists, egui::Checkbox::new(&mut on, entry.name))
        .on_hover_text(entry.summary)
        .on_disabled_hover_text(format!(
            "Not in product version {}: {}",
            state.draft.product_version(),
            entry.version_note.unwrap_or("added later")
        ))
        .changed();
    if changed {
        toggled(state, role, entry.id, entry.name, on);
    }
    ui.indent(("role_editor_dependencies", entry.id), |ui| {
        ui.horizontal_wrapped(|ui| {
            if let Some(note) = entry.version_note {
                ui.label(RichText::new(note).color(weak));
                ui.label(RichText::new("\u{b7}").color(weak));
            }
            if entry.depends_on.is_empty() {
                ui.label(RichText::new("depends on nothing").color(weak));
            } else {
                ui.label(RichText::new("depends on").color(weak));
            }
            for edge in &entry.depends_on {
                dependency(ui, edge, weak);
            }
        });
    });
    let grant_state = state.draft.state(role, entry.id);
    let inactive = matches!(grant_state, GrantState::Inactive { .. });
    let noted = state
        .note
        .as_ref()
        .is_some_and(|n| n.0 == role && n.1 == entry.id);
    let offered = state.offer == Some((role, entry.id));
    if inactive || noted || offered {
        ui.indent(entry.id, |ui| {
            if inactive {
                ui.label(RichText::new(grant_state.describe()).color(warn));
            }
            if let Some((_, _, text)) = state.note.as_ref().filter(|_| noted) {
                ui.label(RichText::new(text).color(warn));
            }
            if offered {
                offer_prerequisites(ui, state, role, entry.id);
            }
        });
    }
}

/// One dependency of a privilege: documented ones upright, implied ones in italics, each
/// with its kind on hover.
fn dependency(ui: &mut Ui, edge: &Edge, weak: egui::Color32) {
    let (text, hover) = if edge.kind == "documented" {
        (
            RichText::new(edge.describe()),
            "Documented: the vendor page states this dependency.",
        )
    } else {
        (
            RichText::new(edge.describe()).italics().color(weak),
            "Implied: the vendor page is silent; agentdesk assumes it, because the privilege \
             makes no sense without its channel or parent.",
        )
    };
    ui.label(text).on_hover_text(hover);
}

/// Applies a tick or untick and remembers what to tell the user about it.
fn toggled(state: &mut RoleEditor, role: usize, id: &'static str, name: &str, on: bool) {
    state.note = None;
    state.offer = None;
    match state.draft.set_granted(role, id, on) {
        ToggleOutcome::Granted { missing } if !missing.is_empty() => {
            state.offer = Some((role, id));
        }
        ToggleOutcome::Revoked { now_inactive } if !now_inactive.is_empty() => {
            state.note = Some((
                role,
                id,
                format!(
                    "Unticking {name} left inactive: {}",
                    now_inactive.join(", ")
                ),
            ));
        }
        _ => {}
    }
}

/// The inline "Also grant ...?" offer under a privilege just ticked without its
/// prerequisites. It disappears once they are granted or the privilege is unticked.
fn offer_prerequisites(ui: &mut Ui, state: &mut RoleEditor, role: usize, id: &'static str) {
    let missing = state.draft.missing_prerequisites(role, id);
    if missing.is_empty() || !state.draft.is_granted(role, id) {
        state.offer = None;
        return;
    }
    let names: Vec<&str> = missing.iter().map(|e| e.name).collect();
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(format!(
                    "It takes effect only with {}. Also grant {}?",
                    missing
                        .iter()
                        .map(|e| e.describe())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if names.len() == 1 { "it" } else { "them" }
                ));
                if ui
                    .button(format!("Also grant {}", names.join(" and ")))
                    .clicked()
                {
                    state.draft.grant_with_prerequisites(role, id);
                    state.offer = None;
                }
                if ui.button("Not now").clicked() {
                    state.offer = None;
                }
            });
        });
}
