//! Side-by-side comparison of two roles: differing privileges and differing decisions.

use egui::Ui;

use super::state::{Desktop, UiCommand};

/// State of the role comparison window.
pub struct Compare {}

impl Compare {
    pub fn new(_d: &Desktop) -> Compare {
        Compare {}
    }
}

/// Draws the window; returns false once the user closed it.
pub fn show(ui: &mut Ui, _state: &mut Compare, _d: &Desktop, _out: &mut Vec<UiCommand>) -> bool {
    let mut open = true;
    egui::Window::new("Compare two roles")
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            ui.label("Compare two roles");
        });
    open
}
