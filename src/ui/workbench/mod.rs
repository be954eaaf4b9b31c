//! The trainer and QA workbench: the tool windows around the desktop (role editor, role
//! comparison, record and replay, authorization matrix, audit log, practice) and their menu.
//!
//! Each tool is a [`Tool`]: its own state (`None` while its window is closed) and a window
//! drawn from a read-only [`Session`]. Like the desk, tools change the world only through
//! `UiCommand`s.

pub mod audit_view;
pub mod compare;
pub mod matrix_view;
pub mod practice;
pub mod record_replay;
pub mod role_editor;
mod widgets;

use egui::Ui;

use super::theme::Presenter;
use super::{Session, UiCommand, ViewState};
use audit_view::AuditView;
use compare::Compare;
use matrix_view::MatrixView;
use practice::Practice;
use record_replay::RecordReplay;
use role_editor::RoleEditor;

/// One workbench window, in the spirit of egui_demo_lib's `Demo`.
pub trait Tool {
    /// The window's title, which is also the tool's entry in the Workbench menu.
    fn name(&self) -> &'static str;

    /// Draws the tool's window (with `.open(open)`, so its close button clears `open`). The
    /// world is read-only here: what the tool wants done to it goes to `out`.
    fn show(&mut self, ui: &mut Ui, open: &mut bool, session: &Session, out: &mut Vec<UiCommand>);
}

/// Which tool windows are open, and their state.
#[derive(Default)]
pub struct Workbench {
    pub presenter: Presenter,
    pub role_editor: Option<RoleEditor>,
    pub compare: Option<Compare>,
    pub matrix: Option<MatrixView>,
    pub audit: Option<AuditView>,
    pub practice: Option<Practice>,
    pub record_replay: Option<RecordReplay>,
}

/// The "Workbench" menu of the top bar: opening a tool (again) starts it afresh.
pub fn menu(ui: &mut Ui, s: &Session, v: &mut ViewState) {
    let ViewState {
        workbench: wb,
        explain_all,
        ..
    } = v;
    ui.menu_button("Workbench", |ui| {
        ui.label(egui::RichText::new("Trainers").strong());
        if ui.button(RoleEditor::NAME).clicked() {
            let editor = RoleEditor::new(s);
            wb.role_editor = Some(match s.roles_path.clone() {
                Some(path) => editor.with_roles_path(path),
                None => editor,
            });
        }
        if ui.button(Compare::NAME).clicked() {
            wb.compare = Some(Compare::new(s));
        }
        if ui.button(RecordReplay::NAME).clicked() {
            wb.record_replay = Some(RecordReplay::new(s));
        }
        ui.checkbox(&mut wb.presenter.on, "Presenter mode")
            .on_hover_text("Larger text and high contrast, for a projector");
        ui.checkbox(explain_all, "Why disabled? overlay")
            .on_hover_text("Show the reason beside every disabled action");
        ui.separator();
        ui.label(egui::RichText::new("QA").strong());
        if ui.button(MatrixView::NAME).clicked() {
            wb.matrix = Some(MatrixView::new(s));
        }
        if ui.button(AuditView::NAME).clicked() {
            wb.audit = Some(AuditView::new(s));
        }
        ui.separator();
        ui.label(egui::RichText::new("Agents").strong());
        if ui.button(Practice::NAME).clicked() {
            wb.practice = Some(Practice::new(s));
        }
    });
}

/// Draws every open tool window, and forgets the ones closed this frame.
pub fn windows(ui: &mut Ui, s: &Session, wb: &mut Workbench, out: &mut Vec<UiCommand>) {
    host(ui, &mut wb.role_editor, s, out);
    host(ui, &mut wb.compare, s, out);
    host(ui, &mut wb.matrix, s, out);
    host(ui, &mut wb.audit, s, out);
    host(ui, &mut wb.record_replay, s, out);
    host(ui, &mut wb.practice, s, out);
}

fn host(ui: &mut Ui, slot: &mut Option<impl Tool>, s: &Session, out: &mut Vec<UiCommand>) {
    if let Some(tool) = slot {
        let mut open = true;
        tool.show(ui, &mut open, s, out);
        if !open {
            *slot = None;
        }
    }
}
