//! Everything egui: the desktop window, a thin view over the engine.
//!
//! `state` owns what the desktop shows and applies commands; `view` draws it. Neither decides
//! privileges: they ask the engine, which asks `authorization::authorize`.

pub mod audit_view;
pub mod compare;
pub mod matrix_view;
pub mod practice;
pub mod record_replay;
pub mod role_editor;
pub mod state;
pub mod view;
pub mod workbench;

use std::time::{Duration, Instant};

pub use state::{Desktop, UiCommand};

use crate::engine::Engine;

/// The eframe application: a [`Desktop`] plus the wall clock that drives simulated time.
pub struct DesktopApp {
    pub desktop: Desktop,
    last_tick: Option<Instant>,
}

impl DesktopApp {
    pub fn new(desktop: Desktop) -> DesktopApp {
        DesktopApp {
            desktop,
            last_tick: None,
        }
    }

    /// One frame's worth of drawing and command handling, without eframe (tests use this).
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        workbench::apply_theme(ui.ctx(), &mut self.desktop.workbench);
        let commands = view::desktop(ui, &mut self.desktop);
        if !commands.is_empty() {
            self.desktop.apply_all(commands);
            ui.ctx().request_repaint();
        }
    }
}

impl eframe::App for DesktopApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        let now = Instant::now();
        if let Some(last) = self.last_tick {
            self.desktop.tick((now - last).as_secs_f64());
        }
        self.last_tick = Some(now);
        // Repaint for the next simulated event or clock second, and not otherwise: an idle,
        // paused desktop costs nothing.
        if let Some(seconds) = self.desktop.next_wake() {
            ctx.request_repaint_after(Duration::from_secs_f64(seconds));
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }
}

/// Opens the desktop window and blocks until it is closed.
pub fn run_desktop(
    engine: Engine,
    agent: usize,
    roles_path: Option<std::path::PathBuf>,
) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("agentdesk")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([900.0, 600.0]),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    let mut desktop = Desktop::new(engine, agent);
    desktop.roles_path = roles_path;
    eframe::run_native(
        "agentdesk",
        options,
        Box::new(move |_cc| Ok(Box::new(DesktopApp::new(desktop)))),
    )
    .map_err(|e| e.to_string())
}
