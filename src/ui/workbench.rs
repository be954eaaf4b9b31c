//! The trainer and QA workbench: the tool windows around the desktop (role editor, role
//! comparison, matrix, audit log, practice) and presenter mode.
//!
//! Each tool keeps its own state here (`None` while its window is closed) and draws itself
//! from its own module; like the desktop, tools change the world only through `UiCommand`s.

use egui::Ui;

use super::state::{Desktop, UiCommand};

/// Which tool windows are open, and their state.
#[derive(Default)]
pub struct Workbench {
    /// Larger text and a high-contrast theme for a projector.
    pub presenter: bool,
    presenter_applied: bool,
}

/// The "Workbench" menu of the top bar.
pub fn menu(ui: &mut Ui, d: &mut Desktop, _out: &mut Vec<UiCommand>) {
    ui.menu_button("Workbench", |ui| {
        ui.checkbox(&mut d.workbench.presenter, "Presenter mode")
            .on_hover_text("Larger text and high contrast, for a projector");
    });
}

/// Draws every open tool window.
pub fn windows(_ui: &mut Ui, _d: &mut Desktop, _out: &mut Vec<UiCommand>) {}

/// Applies presenter mode to the context when it changed since the last frame.
pub fn apply_theme(ctx: &egui::Context, wb: &mut Workbench) {
    if wb.presenter == wb.presenter_applied {
        return;
    }
    wb.presenter_applied = wb.presenter;
    let (zoom, dark, light) = if wb.presenter {
        (1.35, high_contrast(), high_contrast())
    } else {
        (1.0, egui::Visuals::dark(), egui::Visuals::light())
    };
    ctx.set_zoom_factor(zoom);
    ctx.set_visuals_of(egui::Theme::Dark, dark);
    ctx.set_visuals_of(egui::Theme::Light, light);
}

fn high_contrast() -> egui::Visuals {
    let mut v = egui::Visuals::light();
    v.override_text_color = Some(egui::Color32::BLACK);
    v.panel_fill = egui::Color32::WHITE;
    v.window_fill = egui::Color32::WHITE;
    v.widgets.noninteractive.bg_stroke = egui::Stroke::new(1.5, egui::Color32::BLACK);
    v.widgets.inactive.bg_stroke = egui::Stroke::new(1.5, egui::Color32::BLACK);
    v
}
