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
        .show(ui, |ui| notices::show(ui, s, v, &mut out));
    egui::Panel::left("sidebar")
        .resizable(true)
        .default_size(300.0)
        .show(ui, |ui| sidebar::show(ui, s, v, &mut out));
    egui::CentralPanel::default().show(ui, |ui| workspace::show(ui, s, v, &mut out));
    toast::show(ui, s, v, &mut out);
    dialogs::show(ui, s, v, &mut out);
    workbench::windows(ui, s, &mut v.workbench, &mut out);
    out
}
