//! The desk: the agent's desktop itself (top bar, campaigns and interaction list, the selected
//! interaction with its action toolbar, dialogs, the invitation toast and notices).
//!
//! Every view here reads the [`Session`] and returns [`UiCommand`]s; the only state it changes
//! in place is the [`ViewState`] (dialog input, field edits, the overlay toggle). Every
//! button's enabled state and hover text come from `Session::check`, i.e. the one
//! authorization function.

mod callback_view;
mod dialogs;
mod notices;
mod record_view;
pub mod shortcuts;
mod sidebar;
mod toast;
mod toolbar;
mod top_bar;
mod workspace;

use egui::Ui;

use super::{Session, UiCommand, ViewState, workbench};

/// Draws the whole desktop and returns what the user asked for this frame.
pub fn show(ui: &mut Ui, s: &Session, v: &mut ViewState) -> Vec<UiCommand> {
    let mut out = Vec::new();
    shortcuts::handle(ui, s, v, &mut out);
    egui::Panel::top("top_bar").show(ui, |ui| top_bar::show(ui, s, v, &mut out));
    egui::Panel::bottom("notices")
        .resizable(false)
        .exact_size(notices::height(ui))
        .show(ui, |ui| notices::show(ui, s, v, &mut out));
    // The sidebar gives way first on a narrow window, so the toolbar keeps its width.
    let sidebar = (ui.available_width() * 0.24).clamp(200.0, 300.0);
    egui::Panel::left("sidebar")
        .resizable(true)
        .default_size(sidebar)
        .size_range(180.0..=420.0)
        .show(ui, |ui| sidebar::show(ui, s, v, &mut out));
    workbench::dock(ui, s, &mut v.workbench, &mut out);
    egui::CentralPanel::default().show(ui, |ui| workspace::show(ui, s, v, &mut out));
    dialogs::show(ui, s, v, &mut out);
    out
}
