//! Practice mode: a timed, seeded shift with feedback and a score card.

use egui::Ui;

use super::state::{Desktop, UiCommand};

/// State of the practice shift window.
pub struct Practice {}

impl Practice {
    pub fn new(_d: &Desktop) -> Practice {
        Practice {}
    }
}

/// Draws the window; returns false once the user closed it.
pub fn show(ui: &mut Ui, _state: &mut Practice, _d: &Desktop, _out: &mut Vec<UiCommand>) -> bool {
    let mut open = true;
    egui::Window::new("Practice shift")
        .open(&mut open)
        .show(ui.ctx(), |ui| {
            ui.label("Practice shift");
        });
    open
}
