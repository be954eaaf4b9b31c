//! The desktop's colours and the presenter theme (larger text, high contrast, for a
//! projector).

use egui::Color32;

/// Allowed actions, good outcomes, successful saves.
pub const ALLOWED: Color32 = Color32::from_rgb(40, 140, 70);
/// Denied actions, mistakes, failed saves and loads.
pub const DENIED: Color32 = Color32::from_rgb(200, 60, 50);

/// Presenter mode: whether it is on, and what the context was last set to.
#[derive(Default)]
pub struct Presenter {
    /// Larger text and a high-contrast theme for a projector.
    pub on: bool,
    applied: bool,
}

/// Applies presenter mode to the context when it changed since the last frame.
pub fn apply_presenter(ctx: &egui::Context, presenter: &mut Presenter) {
    if presenter.on == presenter.applied {
        return;
    }
    presenter.applied = presenter.on;
    let (zoom, dark, light) = if presenter.on {
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
    v.override_text_color = Some(Color32::BLACK);
    v.panel_fill = Color32::WHITE;
    v.window_fill = Color32::WHITE;
    v.widgets.noninteractive.bg_stroke = egui::Stroke::new(1.5, Color32::BLACK);
    v.widgets.inactive.bg_stroke = egui::Stroke::new(1.5, Color32::BLACK);
    v
}
