//! `agentdesk run`: a QA script with expectations, or the scenario's traffic alone, headless.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{EXIT_BAD_INPUT, load_world, print_diagnostics};
use crate::output::{Claims, InputKind, LineSink, Target};

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
}

/// `agentdesk run`: loads everything (any bad file is exit 2 before the simulation starts),
/// then runs the script or the bare traffic.
pub fn run_headless(args: &RunArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let (book, scenario) = match load_world(args.roles.as_deref(), args.scenario.as_deref(), err) {
        Ok(world) => world,
        Err(code) => return code,
    };
    let parsed = match &args.script {
        None => None,
        Some(path) => {
            let name = path.display().to_string();
            crate::output::note_input(path, InputKind::Script);
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
                    let errors = crate::input::count(&diags, crate::input::Severity::Error);
                    let _ = writeln!(err, "{name}: {errors} error(s)");
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            }
        }
    };
    let (audit, junit) = match claim_outputs(args) {
        Ok(outputs) => outputs,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let mut engine = crate::engine::Engine::new(book, scenario, args.seed);
    if let Some(sink) = audit {
        engine.audit_to(sink);
    }
    // Every output that failed is named, not only the first.
    let mut failures = Vec::new();
    let code = match parsed {
        None => {
            run_traffic(&mut engine, args, out);
            ExitCode::SUCCESS
        }
        Some(script) => match crate::qa::script::run(&mut engine, &script, out) {
            Err(e) => {
                failures.push(format!("cannot write the transcript: {e}"));
                ExitCode::FAILURE
            }
            Ok(report) => {
                if let (Some(target), Some(path)) = (&junit, &args.junit) {
                    let xml = crate::qa::script::junit_xml(&script.file, &report);
                    if let Err(e) = write_report(target, xml.as_bytes()) {
                        failures.push(format!(
                            "cannot write the JUnit report {}: {e}",
                            path.display()
                        ));
                    }
                }
                if report.failed() > 0 {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
        },
    };
    if let (Some(e), Some(path)) = (engine.audit().write_error(), &args.audit) {
        failures.push(format!(
            "the audit log {} is incomplete (it holds the whole lines written before the failure): {e}",
            path.display()
        ));
    }
    for failure in &failures {
        let _ = writeln!(err, "error: {failure}");
    }
    if failures.is_empty() {
        code
    } else {
        ExitCode::from(EXIT_BAD_INPUT)
    }
}

/// The scenario's traffic alone for `args.hours`, with its transcript.
fn run_traffic(engine: &mut crate::engine::Engine, args: &RunArgs, out: &mut dyn Write) {
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
}

/// Checks the run's output paths before anything runs (see `crate::output::paths`): neither
/// may be an input, a link or a special file, nor the same file as the other or as standard
/// output. The audit log is opened now; the JUnit report is written at the end.
fn claim_outputs(args: &RunArgs) -> Result<(Option<LineSink>, Option<Target>), String> {
    let mut claims = Claims::new();
    let audit_refused = |e| format!("cannot write the audit log: {e}");
    if let Some(path) = &args.audit {
        claims.claim(path, "the audit log").map_err(audit_refused)?;
    }
    let junit = match &args.junit {
        None => None,
        Some(path) => Some(
            claims
                .claim(path, "the JUnit report")
                .map_err(|e| format!("cannot write the JUnit report: {e}"))?,
        ),
    };
    let audit = match &args.audit {
        None => None,
        Some(path) => Some(LineSink::open(path).map_err(audit_refused)?),
    };
    Ok((audit, junit))
}

/// Writes a report atomically to its file, or to standard output.
fn write_report(target: &Target, bytes: &[u8]) -> std::io::Result<()> {
    match target {
        Target::Stdout => crate::output::write_atomic(std::path::Path::new("-"), bytes),
        Target::File(path) => crate::output::write_atomic(path, bytes),
    }
}
