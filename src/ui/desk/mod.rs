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
    workbench::tick(s, &mut v.workbench, &mut out);
    egui::CentralPanel::default().show(ui, |ui| {
        if !workbench::any_open(&v.workbench) {
            workspace::show(ui, s, v, &mut out);
            return;
        }
        // Open tools share the right half of the central area, so none covers the toolbar
        // or the interaction. The desk keeps at least the width its toolbar needs.
        let full = ui.available_rect_before_wrap();
        let split = (full.left() + full.width() * 0.45).max(full.left() + 420.0);
        let split = split.min(full.right() - 300.0).max(full.left());
        let desk = egui::Rect::from_min_max(full.min, egui::pos2(split - 6.0, full.bottom()));
        let dock = egui::Rect::from_min_max(egui::pos2(split + 6.0, full.top()), full.max);
        ui.scope_builder(egui::UiBuilder::new().max_rect(desk), |ui| {
            ui.set_clip_rect(desk);
            workspace::show(ui, s, v, &mut out);
        });
        ui.painter().vline(
            split,
            full.y_range(),
            ui.visuals().widgets.noninteractive.bg_stroke,
        );
        ui.scope_builder(egui::UiBuilder::new().max_rect(dock), |ui| {
            ui.set_clip_rect(dock);
            workbench::dock(ui, s, &mut v.workbench, &mut out);
        });
    });
    dialogs::show(ui, s, v, &mut out);
    out
}
