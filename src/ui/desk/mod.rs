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
        stage(ui, s, v, &mut out);
    });
    dialogs::show(ui, s, v, &mut out);
    out
}

/// The narrowest the desk is drawn beside a docked tool, in points: its toolbar keeps two or
/// three rows and every reason of "Why disabled?" one or two lines (tests/ui_layout.rs).
pub const DESK_MIN: f32 = 520.0;

/// The narrowest a docked tool is drawn beside the desk, in points.
pub const DOCK_MIN: f32 = 380.0;

/// The central area with tools open: the desk and the dock side by side while both keep their
/// minimum width; on a narrower window (presenter mode, a small screen) one of them at a time,
/// full width, behind a "Desk" / "Tools" switch, so a tool never squeezes the desk.
fn stage(ui: &mut Ui, s: &Session, v: &mut ViewState, out: &mut Vec<UiCommand>) {
    let wb = &mut v.workbench;
    // A tool opened (or brought forward) from the menu comes to the front.
    if wb.active != wb.seen_active {
        wb.seen_active = wb.active;
        wb.desk_in_front = false;
    }
    let full = ui.available_rect_before_wrap();
    if full.width() >= DESK_MIN + DOCK_MIN + 12.0 {
        let split = (full.left() + full.width() * 0.45).max(full.left() + DESK_MIN + 6.0);
        let split = split.min(full.right() - DOCK_MIN - 6.0);
        let desk = egui::Rect::from_min_max(full.min, egui::pos2(split - 6.0, full.bottom()));
        let dock = egui::Rect::from_min_max(egui::pos2(split + 6.0, full.top()), full.max);
        region(ui, desk, |ui| workspace::show(ui, s, v, out));
        ui.painter().vline(
            split,
            full.y_range(),
            ui.visuals().widgets.noninteractive.bg_stroke,
        );
        region(ui, dock, |ui| workbench::dock(ui, s, &mut v.workbench, out));
        return;
    }
    let switch = ui.horizontal(|ui| {
        let wb = &mut v.workbench;
        if ui
            .selectable_label(wb.desk_in_front, "Desk")
            .on_hover_text("Show the agent's desk (the tools stay open)")
            .clicked()
        {
            wb.desk_in_front = true;
        }
        if ui
            .selectable_label(!wb.desk_in_front, "Tools")
            .on_hover_text("Show the workbench tools: the window is too narrow for both")
            .clicked()
        {
            wb.desk_in_front = false;
        }
    });
    let top = switch.response.rect.bottom() + ui.spacing().item_spacing.y;
    ui.painter().hline(
        full.x_range(),
        top,
        ui.visuals().widgets.noninteractive.bg_stroke,
    );
    let rest = egui::Rect::from_min_max(egui::pos2(full.left(), top + 4.0), full.max);
    if v.workbench.desk_in_front {
        region(ui, rest, |ui| workspace::show(ui, s, v, out));
    } else {
        region(ui, rest, |ui| workbench::dock(ui, s, &mut v.workbench, out));
    }
}

/// Draws `add` in `rect` only, clipped to it.
fn region(ui: &mut Ui, rect: egui::Rect, add: impl FnOnce(&mut Ui)) {
    ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
        ui.set_clip_rect(rect);
        add(ui);
    });
}
