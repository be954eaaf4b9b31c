//! The role editor window: privileges by section, dependencies, roles and agents, atomic save.

use egui::Ui;

use super::state::{Desktop, UiCommand};

/// State of the role editor window.
pub struct RoleEditor {}

impl RoleEditor {
    pub fn new(_d: &Desktop) -> RoleEditor {
        RoleEditor {}
    }
}

/// Draws the window; returns false once the user closed it.
pub fn show(ui: &mut Ui, _state: &mut RoleEditor, _d: &Desktop, _out: &mut Vec<UiCommand>) -> bool {
    let mut open = true;
    egui::Window::new("Role editor")
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            ui.label("Role editor");
        });
    open
}
