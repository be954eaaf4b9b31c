//! `agentdesk run`: a QA script with expectations, the scenario's traffic alone, or a floor of
//! autopiloted agents (`autopilot`), headless.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::autopilot::FloorArgs;
use super::{EXIT_BAD_INPUT, load_world, print_diagnostics};

/// The options of `agentdesk run`.
#[derive(Clone, Debug)]
pub struct RunArgs {
    pub roles: Option<PathBuf>,
    pub scenario: Option<PathBuf>,
    pub seed: u64,
    pub script: Option<PathBuf>,
    pub audit: Option<PathBuf>,
    pub junit: Option<PathBuf>,
    pub hours: f64,
    /// Without a script: a floor of autopiloted agents instead of the traffic alone.
    pub autopilot: Option<FloorArgs>,
}

/// `agentdesk run`: loads everything (any bad file is exit 2 before the simulation starts),
/// then runs the script or the bare traffic.
pub fn run_headless(args: &RunArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let started = std::time::Instant::now();
    let (book, scenario) = match load_world(args.roles.as_deref(), args.scenario.as_deref(), err) {
        Ok(world) => world,
        Err(code) => return code,
    };
    if let Some(floor) = &args.autopilot {
        return super::autopilot::run_floor(args, floor, (book, scenario), started, out, err);
    }
    let parsed = match &args.script {
        None => None,
        Some(path) => {
            let name = path.display().to_string();
            let parsed = crate::input::read_text(path)
                .map_err(|d| vec![d])
                .and_then(|source| {
                    crate::qa::script::Script::parse(&name, &source, &book, &scenario)
                });
            match parsed {
                Ok(p) => {
                    print_diagnostics(&p.notes, err);
                    Some(p.script)
                }
                Err(diags) => {
                    print_diagnostics(&diags, err);
                    let _ = writeln!(err, "{name}: {} error(s)", diags.len());
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            }
        }
    };
    let mut engine = crate::engine::Engine::new(book, scenario, args.seed);
    if let Some(path) = &args.audit
        && let Err(e) = engine.audit_to_file(path)
    {
        let _ = writeln!(
            err,
            "error: cannot write the audit log {}: {e}",
            path.display()
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let code = match parsed {
        None => {
            let _ = writeln!(
                out,
                "scenario \"{}\", seed {}, {} simulated hour(s) from {}, no agent",
                engine.scenario().name,
                args.seed,
                args.hours,
                crate::world::fmt_time(engine.now())
            );
            let until = engine.now() + chrono::Duration::seconds((args.hours * 3600.0) as i64);
            engine.advance_to(until);
            for line in engine.take_log() {
                let _ = writeln!(out, "[{}] {}", crate::world::fmt_time(line.time), line.text);
            }
            let _ = writeln!(
                out,
                "{} events, {} transcript lines, ends {}",
                engine.events_handled(),
                engine.log().len(),
                crate::world::fmt_time(engine.now())
            );
            ExitCode::SUCCESS
        }
        Some(script) => {
            let report = match crate::qa::script::run(&mut engine, &script, out) {
                Ok(r) => r,
                Err(e) => {
                    let _ = writeln!(err, "error: cannot write the transcript: {e}");
                    return ExitCode::FAILURE;
                }
            };
            if let Some(path) = &args.junit {
                let suite = script.file.clone();
                let xml = crate::qa::script::junit_xml(&suite, &report);
                if let Err(e) = crate::output::write_atomic(path, xml.as_bytes()) {
                    let _ = writeln!(
                        err,
                        "error: cannot write the JUnit report {}: {e}",
                        path.display()
                    );
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            }
            if report.failed() > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    };
    if let Some(e) = engine.audit().write_error() {
        let _ = writeln!(err, "error: the audit log file is incomplete: {e}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    code
}
