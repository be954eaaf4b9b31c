//! The trainer and QA workbench: the tool windows around the desktop (role editor, role
//! comparison, matrix, audit log, practice) and presenter mode.
//!
//! Each tool keeps its own state here (`None` while its window is closed) and draws itself
//! from its own module; like the desktop, tools change the world only through `UiCommand`s.

use egui::Ui;

use super::state::{Desktop, UiCommand};
use super::{audit_view, compare, matrix_view, practice, record_replay, role_editor};

/// Which tool windows are open, and their state.
#[derive(Default)]
pub struct Workbench {
    /// Larger text and a high-contrast theme for a projector.
    pub presenter: bool,
    presenter_applied: bool,
    pub role_editor: Option<role_editor::RoleEditor>,
    pub compare: Option<compare::Compare>,
    pub matrix: Option<matrix_view::MatrixView>,
    pub audit: Option<audit_view::AuditView>,
    pub practice: Option<practice::Practice>,
    pub record_replay: Option<record_replay::RecordReplay>,
}

/// The "Workbench" menu of the top bar.
pub fn menu(ui: &mut Ui, d: &mut Desktop, _out: &mut Vec<UiCommand>) {
    ui.menu_button("Workbench", |ui| {
        ui.label(egui::RichText::new("Trainers").strong());
        if ui.button("Role editor").clicked() {
            let editor = role_editor::RoleEditor::new(d);
            d.workbench.role_editor = Some(match d.roles_path.clone() {
                Some(path) => editor.with_roles_path(path),
                None => editor,
            });
        }
        if ui.button("Compare two roles").clicked() {
            d.workbench.compare = Some(compare::Compare::new(d));
        }
        if ui.button("Record and replay").clicked() {
            d.workbench.record_replay = Some(record_replay::RecordReplay::new(d));
        }
        ui.checkbox(&mut d.workbench.presenter, "Presenter mode")
            .on_hover_text("Larger text and high contrast, for a projector");
        ui.checkbox(&mut d.explain_all, "Why disabled? overlay")
            .on_hover_text("Show the reason beside every disabled action");
        ui.separator();
        ui.label(egui::RichText::new("QA").strong());
        if ui.button("Authorization matrix").clicked() {
            d.workbench.matrix = Some(matrix_view::MatrixView::new(d));
        }
        if ui.button("Audit log").clicked() {
            d.workbench.audit = Some(audit_view::AuditView::new(d));
        }
        ui.separator();
        ui.label(egui::RichText::new("Agents").strong());
        if ui.button("Practice shift").clicked() {
            d.workbench.practice = Some(practice::Practice::new(d));
        }
    });
}

/// Draws every open tool window. Each tool's state is taken out while it draws, so it can read
/// the desktop, and put back unless its window was closed.
pub fn windows(ui: &mut Ui, d: &mut Desktop, out: &mut Vec<UiCommand>) {
    if let Some(mut s) = d.workbench.role_editor.take()
        && role_editor::show(ui, &mut s, d, out)
    {
        d.workbench.role_editor = Some(s);
    }
    if let Some(mut s) = d.workbench.compare.take()
        && compare::show(ui, &mut s, d, out)
    {
        d.workbench.compare = Some(s);
    }
    if let Some(mut s) = d.workbench.matrix.take()
        && matrix_view::show(ui, &mut s, d, out)
    {
        d.workbench.matrix = Some(s);
    }
    if let Some(mut s) = d.workbench.audit.take()
        && audit_view::show(ui, &mut s, d, out)
    {
        d.workbench.audit = Some(s);
    }
    if let Some(mut s) = d.workbench.record_replay.take()
        && record_replay::show(ui, &mut s, d, out)
    {
        d.workbench.record_replay = Some(s);
    }
    if let Some(mut s) = d.workbench.practice.take()
        && practice::show(ui, &mut s, d, out)
    {
        d.workbench.practice = Some(s);
    }
}

/// Applies presenter mode to the context when it changed since the last frame.
pub fn apply_theme(ctx: &egui::Context, wb: &mut Workbench) {
    if wb.presenter == wb.presenter_applied {
        return;
    }
    wb.presenter_applied = wb.presenter;
    let (zoom, dark, light) = if wb.presenter {
        (1.35, high_contrast(), high_contrast())
    } else {
        (1.0, egui::Visuals::dark(), egui::Visuals::light())
    };
    ctx.set_zoom_factor(zoom);
    ctx.set_visuals_of(egui::Theme::Dark, dark);
    ctx.set_visuals_of(egui::Theme::Light, light);
}

fn high_contrast() -> egui::Visuals {
    let mut v = egui::Visuals::light();
    v.override_text_color = Some(egui::Color32::BLACK);
    v.panel_fill = egui::Color32::WHITE;
    v.window_fill = egui::Color32::WHITE;
    v.widgets.noninteractive.bg_stroke = egui::Stroke::new(1.5, egui::Color32::BLACK);
    v.widgets.inactive.bg_stroke = egui::Stroke::new(1.5, egui::Color32::BLACK);
    v
}
