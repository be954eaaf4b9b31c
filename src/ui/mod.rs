//! Everything egui: the desktop window, a thin view over the engine.
//!
//! The [`Desktop`] is a [`Session`] (the simulated world and what drives it) and a
//! [`ViewState`] (what is shown of it). Views in `desk/` and the tools in `workbench/` get
//! `&Session` and `&mut ViewState` and return [`UiCommand`]s, which `Desktop::apply` (in
//! `apply.rs`) carries out; neither decides privileges: they ask the engine, which asks
//! `policy::authorize`.

mod activities;
mod apply;
pub mod desk;
pub mod exports;
pub mod launch;
pub mod lesson;
mod recording;
pub mod session;
mod shift;
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

/// How the desktop starts: what a trainer sets up before a class.
#[derive(Clone, Debug, Default)]
pub struct LaunchOptions {
    /// The roles file the desktop was started from (the role editor saves there).
    pub roles_path: Option<std::path::PathBuf>,
    /// The scenario file the desktop was started from (a recording names it).
    pub scenario_path: Option<std::path::PathBuf>,
    /// Larger text and the high-contrast theme from the first frame.
    pub presenter: bool,
    /// "Why disabled?" on from the first frame.
    pub why_disabled: bool,
    /// The agent's view from the first frame (`--agent-view`).
    pub agent_view: bool,
    /// The simulated clock starts paused.
    pub paused: bool,
    /// A lesson to start on (it brings its own roles, scenario and seed).
    pub lesson: Option<crate::training::lesson::Lesson>,
    /// Record lessons as xAPI statements (`--trainee`), to the outbox and the LRS.
    pub records: Option<crate::learning::desk::RecordConfig>,
}

impl Desktop {
    /// Applies the launch options to a new desktop.
    pub fn with_options(mut self, options: &LaunchOptions) -> Desktop {
        self.session.roles_path = options.roles_path.clone();
        self.session.base_roles_path = options.roles_path.clone();
        self.session.scenario_path = options.scenario_path.clone();
        self.session.pace.paused = options.paused;
        self.view.explain_all = options.why_disabled;
        if options.agent_view {
            self.view.desk_view = crate::policy::DeskView::Agent;
        }
        self.view.workbench.presenter.on = options.presenter;
        if let Some(config) = &options.records {
            match crate::learning::desk::DeskRecords::start(config.clone()) {
                Ok(r) => self.session.records = Some(std::sync::Arc::new(r)),
                Err(e) => self.notify(
                    view_state::NoticeKind::Info,
                    format!("Lessons are not recorded: the outbox cannot be opened: {e}"),
                    None,
                ),
            }
        }
        if let Some(lesson) = &options.lesson {
            self.start_lesson(lesson.clone());
        }
        self
    }
}

/// The smallest window (in pixels) at which every action of the toolbar and every reason of
/// "Why disabled?" stays visible, presenter mode included (tests/ui_layout.rs checks it).
pub const MIN_WINDOW: [f32; 2] = [960.0, 700.0];

/// The window's settings: its size and the OpenGL renderer. System fonts come from
/// [`font_provider`], installed when the window is created.
pub fn native_options() -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("agentdesk")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size(MIN_WINDOW),
        renderer: eframe::Renderer::Glow,
        system_font_fallback: false,
        ..Default::default()
    }
}

/// Where text in scripts egui's own fonts lack (東京, Ελένη, محمد...) and emoji find a font:
/// the system's fonts, looked up through fontconfig the first time such a character is drawn
/// and memory-mapped, so nothing is bundled into the binary. On a machine without such a font
/// the character is drawn as an empty box, as any program would.
pub fn font_provider() -> std::sync::Arc<dyn egui::FontProvider> {
    std::sync::Arc::new(egui_system_font_provider::SystemFontProvider::new())
}

/// Opens the desktop window and blocks until it is closed. Checks first that a window can
/// open here at all, and says what is missing when not.
pub fn run_desktop(
    engine: Engine,
    agent: usize,
    options: &LaunchOptions,
) -> Result<(), launch::LaunchProblem> {
    launch::check()?;
    let desktop = Desktop::new(engine, agent).with_options(options);
    eframe::run_native(
        "agentdesk",
        native_options(),
        Box::new(move |cc| {
            cc.egui_ctx.add_font_provider(font_provider());
            Ok(Box::new(DesktopApp::new(desktop)))
        }),
    )
    .map_err(|e| launch::window_error(&e))
}
