//! The audit log window: a filterable table of every attempt, with exports.

use egui::Ui;

use super::state::{Desktop, UiCommand};

/// State of the audit log window.
pub struct AuditView {}

impl AuditView {
    pub fn new(_d: &Desktop) -> AuditView {
        AuditView {}
    }
}

/// Draws the window; returns false once the user closed it.
pub fn show(ui: &mut Ui, _state: &mut AuditView, _d: &Desktop, _out: &mut Vec<UiCommand>) -> bool {
    let mut open = true;
    egui::Window::new("Audit log")
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            ui.label("Audit log");
        });
    open
}
