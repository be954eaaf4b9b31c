//! The yardstick for the desktop's start-up, idle and memory figures: a bare eframe window with
//! one label, built from the same eframe/egui version, renderer and window size as `agentdesk`.
//!
//! `benches/desktop-perf.sh` runs it beside the desktop so each figure can be quoted as a ratio,
//! which holds on a noisy machine where absolute numbers do not.
//! Run: `cargo run --release --example minimal_window`.

/// One label, drawn only when egui asks: the cheapest eframe app there is.
struct Minimal;

impl eframe::App for Minimal {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("Hello from a minimal eframe window");
        });
    }
}

fn main() -> eframe::Result {
    // The same viewport and renderer as `agentdesk::ui::run_desktop`, so only the app differs.
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("minimal_window")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 600.0]),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "minimal_window",
        options,
        Box::new(|_cc| Ok(Box::new(Minimal))),
    )
}
