//! The role editor's bars above the roles: the roles file (open, save, conflicts,
//! diagnostics), the product version, and live apply.

use egui::{RichText, Ui};

use super::*;

/// The file and version bars and the live-apply switch; true when *Apply to desktop* was
/// pressed.
pub(super) fn header(ui: &mut Ui, state: &mut RoleEditor, out: &mut Vec<UiCommand>) -> bool {
    let mut apply_now = false;
    file_bar(ui, state, out);
    version_bar(ui, state);
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut state.live, "Apply changes live")
            .on_hover_text("Every change reaches the desktop as it is made");
        let pending = state.draft.has_unapplied_changes();
        if ui
            .add_enabled(pending, egui::Button::new("Apply to desktop"))
            .on_hover_text("Run the desktop on this draft now")
            .on_disabled_hover_text("The desktop already runs on this draft")
            .clicked()
        {
            apply_now = true;
        }
        let text = if pending {
            "The desktop runs on an older version of these roles."
        } else {
            "The desktop runs on these roles."
        };
        ui.weak(text);
    });
    ui.separator();
    apply_now
}

fn file_bar(ui: &mut Ui, state: &mut RoleEditor, out: &mut Vec<UiCommand>) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Roles file");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut state.path_text)
                    .desired_width((ui.available_width() - 150.0).clamp(120.0, 340.0)),
            )
            .labelled_by(label.id);
        if edit.changed() {
            state.pending.end_conflict();
            state.pending.end_if(|p| *p == Pending::Open);
        }
        if ui
            .button("Open...")
            .on_hover_text("Load the roles file at this path into the editor")
            .clicked()
        {
            if state.has_unsaved_changes() {
                state.pending = Pending::Open;
            } else {
                state.open(out);
            }
        }
        if ui
            .button("Save")
            .on_hover_text("Write the roles to this path (atomically: all or nothing)")
            .clicked()
        {
            state.save(false, out);
        }
        if state.has_unsaved_changes() {
            ui.label(RichText::new("unsaved changes").color(ui.visuals().warn_fg_color));
        }
    });
    let source = match &state.roles_path {
        Some(p) => format!("Editing {}", p.display()),
        None => format!(
            "Editing the roles the desktop started with; Save writes a new file ({DEFAULT_SAVE_PATH} in the current directory unless you type another path)."
        ),
    };
    ui.weak(source);
    if state.pending == Pending::Open {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new("Opening a file discards the unsaved changes of this draft.")
                    .color(ui.visuals().warn_fg_color),
            );
            if ui.button("Open anyway").clicked() {
                state.open(out);
            }
            if ui.button("Keep editing").clicked() {
                state.pending.end_if(|p| *p == Pending::Open);
            }
        });
    }
    if let Pending::SaveConflict(conflict) = state.pending.clone() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(conflict).color(ui.visuals().error_fg_color));
            if ui
                .button("Overwrite anyway")
                .on_hover_text("Replace the file on disk with this draft")
                .clicked()
            {
                state.save(true, out);
            }
            if ui.button("Cancel").clicked() {
                state.pending.end_conflict();
            }
        });
    }
    if let Some(m) = &state.message {
        let color = if m.error {
            ui.visuals().error_fg_color
        } else {
            ui.visuals().weak_text_color()
        };
        ui.label(RichText::new(&m.text).color(color));
    }
    if !state.diagnostics.is_empty() {
        egui::CollapsingHeader::new(format!(
            "Diagnostics of the last file opened ({})",
            state.diagnostics.len()
        ))
        .id_salt("role_editor_diagnostics")
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("role_editor_diagnostics_scroll")
                .max_height(140.0)
                .show(ui, |ui| {
                    for text in &state.diagnostics {
                        ui.label(RichText::new(text).monospace().small());
                    }
                });
        });
    }
}

/// The product version the roles file configures, with a switch. A version that lacks
/// privileges some roles grant asks first, naming them: switching revokes them.
fn version_bar(ui: &mut Ui, state: &mut RoleEditor) {
    let current = state.draft.product_version();
    let mut picked = None;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Product version");
        egui::ComboBox::from_id_salt("role_editor_version")
            .selected_text(current.to_string())
            .show_ui(ui, |ui| {
                for v in KNOWN_VERSIONS {
                    if ui.selectable_label(v == current, v.to_string()).clicked() && v != current {
                        picked = Some(v);
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(
                "Which privileges exist depends on the product version: Outbound - Can Dial \
                 On New Number came with 8.5.115.17.",
            );
        ui.weak(format!(
            "{} privileges exist in this version",
            state.draft.privilege_count()
        ));
    });
    if let Some(v) = picked {
        if state.draft.grants_missing_in(v).is_empty() {
            state.draft.set_product_version(v);
            state.pending.end_if(|p| matches!(p, Pending::Version(_)));
        } else {
            state.pending = Pending::Version(v);
        }
    }
    let Pending::Version(v) = state.pending else {
        return;
    };
    // One entry per privilege, with the roles that grant it.
    let mut by_privilege: Vec<(&str, Vec<String>)> = Vec::new();
    for (role, p) in state.draft.grants_missing_in(v) {
        match by_privilege.iter_mut().find(|(q, _)| *q == p) {
            Some((_, roles)) => roles.push(role),
            None => by_privilege.push((p, vec![role])),
        }
    }
    let grants: Vec<String> = by_privilege
        .iter()
        .map(|(p, roles)| format!("{p} (granted by {})", roles.join(", ")))
        .collect();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "Product version {v} does not have: {}.",
                grants.join(", ")
            ))
            .color(ui.visuals().warn_fg_color),
        );
        if ui
            .button(format!("Switch to {v} and revoke them"))
            .clicked()
        {
            state.draft.set_product_version(v);
            state.pending.end_if(|p| matches!(p, Pending::Version(_)));
        }
        if ui.button(format!("Keep {current}")).clicked() {
            state.pending.end_if(|p| matches!(p, Pending::Version(_)));
        }
    });
}
