//! Everything egui: the desktop window, a thin view over the engine.
//!
//! The [`Desktop`] is a [`Session`] (the simulated world and what drives it) and a
//! [`ViewState`] (what is shown of it). Views in `desk/` and the tools in `workbench/` get
//! `&Session` and `&mut ViewState` and return [`UiCommand`]s, which `Desktop::apply` (in
//! `apply.rs`) carries out; neither decides privileges: they ask the engine, which asks
//! `policy::authorize`.

mod apply;
pub mod desk;
pub mod session;
pub mod theme;
pub mod view_state;
pub mod workbench;

use std::time::{Duration, Instant};

pub use apply::UiCommand;
pub use session::Session;
pub use view_state::ViewState;

use crate::engine::Engine;
use crate::world::SimTime;

/// The desktop: one session and the view of it.
pub struct Desktop {
    pub session: Session,
    pub view: ViewState,
}

impl Desktop {
    /// A desktop logged in as agent `agent` (an index into the role book's agents).
    pub fn new(engine: Engine, agent: usize) -> Desktop {
        let mut desktop = Desktop {
            session: Session::new(engine, agent),
            view: ViewState::default(),
        };
        desktop.fix_selection();
        desktop
    }

    /// Advances simulated time by `real_seconds` of wall time at the current pace.
    pub fn tick(&mut self, real_seconds: f64) {
        if self.session.tick(real_seconds) {
            self.after_change();
        }
    }

    /// Runs the simulation to `until` (tests, replays) and keeps the selection valid.
    pub fn advance_to(&mut self, until: SimTime) {
        self.session.engine.advance_to(until);
        self.after_change();
    }
}

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
        let Desktop { session, view } = &mut self.desktop;
        theme::apply_presenter(ui.ctx(), &mut view.workbench.presenter);
        let commands = desk::show(ui, session, view);
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
        if let Some(seconds) = self.desktop.session.next_wake() {
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
    desktop.session.roles_path = roles_path;
    eframe::run_native(
        "agentdesk",
        options,
        Box::new(move |_cc| Ok(Box::new(DesktopApp::new(desktop)))),
    )
    .map_err(|e| e.to_string())
}
