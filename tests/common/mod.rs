//! What the desktop's kittest suites share: a desktop at midday on the default world, and a
//! harness that drives it the way eframe does.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use agentdesk::engine::Engine;
use agentdesk::ui::{Desktop, DesktopApp};
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use egui_kittest::Harness;

/// The desktop of `agent` (from `book`) on the default scenario, seed 1, paused at 13:00.
pub fn app_with(book: RoleBook, agent: &str) -> DesktopApp {
    let engine = Engine::new(book, Scenario::embedded_default(), 1);
    let index = engine.roles().find_agent(agent).expect("agent in the book");
    let mut desktop = Desktop::new(engine, index);
    // Midday: every default contact's calling window is open, so only privileges decide.
    let noon = desktop
        .session
        .engine
        .now()
        .date()
        .and_hms_opt(13, 0, 0)
        .unwrap();
    desktop.advance_to(noon);
    desktop.session.pace.paused = true;
    DesktopApp::new(desktop)
}

/// [`app_with`] on the embedded default roles.
pub fn app_for(agent: &str) -> DesktopApp {
    app_with(RoleBook::embedded_default(), agent)
}

pub fn harness(app: DesktopApp) -> Harness<'static, DesktopApp> {
    Harness::builder()
        .with_size(egui::Vec2::new(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut DesktopApp| app.frame(ui), app)
}
