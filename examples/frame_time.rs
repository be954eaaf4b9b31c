//! Frame CPU time of a busy desktop (500 open interactions), headless, beside a one-label UI
//! built from the same egui: the figure `benches/desktop-perf.sh` quotes as a median, a 99th
//! percentile and a ratio.
//!
//! Each frame is what eframe does on the CPU before handing triangles to OpenGL: the egui pass
//! (`Context::run_ui`, which calls `DesktopApp::frame`) plus tessellation. No window, no GPU.
//! The simulated clock runs at 1x and the pointer sweeps the interaction list, so every frame
//! has new text and hover state to lay out rather than replaying an identical one.
//!
//! Run: `cargo run --release --example frame_time -- [--frames N] [--interactions N]`.
//! `--pause-button` prints instead where the default desktop (agent 0, seed 1, 1280x800) draws
//! its Pause button, for the script's idle measurement, which clicks it with xdotool.

use std::process::ExitCode;
use std::time::Instant;

use agentdesk::engine::{Args, Command, Engine, Source, Target};
use agentdesk::policy::Action;
use agentdesk::ui::{Desktop, DesktopApp};
use agentdesk::world::CampaignMode;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use egui::{Pos2, Rect, Vec2};

/// The desktop's window size (`run_desktop`'s inner size).
const SCREEN: Vec2 = Vec2::new(1280.0, 800.0);
/// Frames run before timing starts: font atlas building and first layouts are start-up cost.
const WARMUP: usize = 30;
/// A 60 Hz display's frame interval, the wall time each frame advances the clock by.
const DT: f64 = 1.0 / 60.0;

struct Options {
    frames: usize,
    interactions: usize,
    pause_button: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        frames: 1000,
        interactions: 500,
        pause_button: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a whole number"))
        };
        match arg.as_str() {
            "--frames" => options.frames = number("--frames")?.max(1),
            "--interactions" => options.interactions = number("--interactions")?,
            "--pause-button" => options.pause_button = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

/// Sam (Supervisor, every privilege, so every toolbar button is live) at 13:00, when every
/// default contact may be called, with `count` open interactions: every preview and push
/// record the default scenario has, then web callback invitations, a third of them accepted.
fn busy_desktop(count: usize) -> Result<Desktop, String> {
    let engine = Engine::new(
        RoleBook::embedded_default(),
        Scenario::embedded_default(),
        1,
    );
    let sam = engine.roles().find_agent("Sam")?;
    let mut desktop = Desktop::new(engine, sam);
    let noon = desktop
        .session
        .engine
        .now()
        .date()
        .and_hms_opt(13, 0, 0)
        .ok_or("13:00 is not a time")?;
    desktop.advance_to(noon);
    let agent = desktop.session.agent;
    let open = |d: &Desktop| d.session.engine.open_interactions(d.session.agent).len();

    let campaigns: Vec<_> = desktop
        .session
        .engine
        .campaigns()
        .iter()
        .map(|c| (c.id, c.mode))
        .collect();
    for (id, mode) in campaigns {
        while open(&desktop) < count {
            let opened = match mode {
                CampaignMode::Preview => desktop
                    .session
                    .engine
                    .execute(Command {
                        agent,
                        target: Target::Campaign(id),
                        action: Action::GetRecord,
                        args: Args::None,
                        source: Source::Desktop,
                    })
                    .ok()
                    .and_then(|o| o.opened),
                CampaignMode::PushPreview => desktop.session.engine.offer_push(agent, id),
            };
            if opened.is_none() {
                break;
            }
        }
    }
    let mut callbacks = 0;
    while open(&desktop) < count {
        let id = desktop.session.engine.offer_callback(agent);
        if callbacks % 3 == 0 {
            // Accepting is refused only if the role lacks it; Sam has every privilege.
            let _ = desktop.session.engine.execute(Command {
                agent,
                target: Target::Interaction(id),
                action: Action::Accept,
                args: Args::None,
                source: Source::Desktop,
            });
        }
        callbacks += 1;
    }
    // Lets the desktop pick its selection for the new interactions.
    let now = desktop.session.engine.now();
    desktop.advance_to(now);
    // Logging in may already have routed an invitation, so there can be one more than asked.
    let got = open(&desktop);
    if got < count {
        return Err(format!("opened {got} interactions, wanted {count}"));
    }
    Ok(desktop)
}

/// Median and 99th percentile (nearest rank) of `samples`, in microseconds.
fn summary(samples: &mut [f64]) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let rank = |q: f64| {
        let i = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1;
        samples[i]
    };
    (rank(0.5), rank(0.99))
}

/// Runs `frames` timed frames of `draw` (after a warm-up) and returns each frame's CPU time
/// in microseconds: the egui pass and tessellation, as eframe runs them per frame.
fn time_frames(frames: usize, mut draw: impl FnMut(&mut egui::Ui, usize)) -> Vec<f64> {
    let ctx = egui::Context::default();
    let screen = Rect::from_min_size(Pos2::ZERO, SCREEN);
    let mut samples = Vec::with_capacity(frames);
    for frame in 0..WARMUP + frames {
        // The pointer walks down the sidebar's interaction list and back, one row a frame.
        let row = (frame % 60) as f32;
        let input = egui::RawInput {
            screen_rect: Some(screen),
            time: Some(frame as f64 * DT),
            predicted_dt: DT as f32,
            events: vec![egui::Event::PointerMoved(Pos2::new(
                120.0,
                260.0 + row * 8.0,
            ))],
            ..Default::default()
        };
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| draw(ui, frame));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = start.elapsed();
        std::hint::black_box(primitives);
        if frame >= WARMUP {
            samples.push(elapsed.as_secs_f64() * 1e6);
        }
    }
    samples
}

/// Prints where the default desktop draws its Pause button, as `x y` window coordinates.
fn print_pause_button() -> Result<(), String> {
    use egui_kittest::kittest::Queryable;
    let engine = Engine::new(
        RoleBook::embedded_default(),
        Scenario::embedded_default(),
        1,
    );
    let app = DesktopApp::new(Desktop::new(engine, 0));
    let mut harness = egui_kittest::Harness::builder()
        .with_size(SCREEN)
        .build_ui_state(|ui, app: &mut DesktopApp| app.frame(ui), app);
    // The running clock asks for repaints, so step a fixed number of frames, not until idle.
    harness.run_steps(5);
    let centre = harness
        .query_by_label("Pause")
        .ok_or("the desktop shows no Pause button")?
        .rect()
        .center();
    println!("{} {}", centre.x.round(), centre.y.round());
    Ok(())
}

fn run() -> Result<(), String> {
    let options = parse_args()?;
    if options.pause_button {
        return print_pause_button();
    }
    let mut app = DesktopApp::new(busy_desktop(options.interactions)?);
    let mut desktop = time_frames(options.frames, |ui, _| {
        // What `DesktopApp::logic` does each frame: advance the clock by the frame's wall time.
        app.desktop.tick(DT);
        app.frame(ui);
    });
    let mut minimal = time_frames(options.frames, |ui, _| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("Hello from a minimal eframe window");
        });
    });
    let (d_median, d_p99) = summary(&mut desktop);
    let (m_median, m_p99) = summary(&mut minimal);
    println!(
        "desktop frames={} interactions={} median_us={d_median:.1} p99_us={d_p99:.1}",
        options.frames,
        app.desktop
            .session
            .engine
            .open_interactions(app.desktop.session.agent)
            .len()
    );
    println!(
        "minimal frames={} median_us={m_median:.1} p99_us={m_p99:.1}",
        options.frames
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("frame_time: {e}");
            ExitCode::FAILURE
        }
    }
}
