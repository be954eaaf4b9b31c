//! Everything egui: the desktop window and its views over the domain.

use crate::roles::RoleBook;

/// Opens the desktop window and blocks until it is closed.
pub fn run_desktop(book: RoleBook) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("agentdesk")
            .with_inner_size([1280.0, 800.0]),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    eframe::run_native(
        "agentdesk",
        options,
        Box::new(move |_cc| Ok(Box::new(Placeholder { book }))),
    )
    .map_err(|e| e.to_string())
}

struct Placeholder {
    book: RoleBook,
}

impl eframe::App for Placeholder {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("agentdesk");
            ui.label(format!("{} roles loaded", self.book.roles.len()));
        });
    }
}
