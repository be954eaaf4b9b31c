//! `agentdesk run`: a QA script with expectations, or the scenario's traffic alone, headless.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{EXIT_BAD_INPUT, print_diagnostics};
use crate::engine::Engine;
use crate::input::Diagnostic;
use crate::qa::script::{Script, Suite, junit_unusable_xml, junit_xml};
use crate::world::roles::{DEFAULT_ROLES_NAME, DEFAULT_ROLES_TOML, RoleBook};
use crate::world::scenario::{DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO_TOML, Scenario};

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

/// A problem that stops the run before it starts, as a JUnit error case: the location and
/// message, and the full text.
type Problem = (String, String);

fn problem(d: &Diagnostic) -> Problem {
    (format!("{}: {}", d.location(), d.message), d.to_string())
}

/// The path as given, or `embedded` for the built-in file.
fn file_label(path: Option<&Path>) -> String {
    path.map_or_else(|| "embedded".to_string(), |p| p.display().to_string())
}

/// Everything a run needs, loaded before anything starts; every error of every file is
/// printed and returned.
fn load(
    args: &RunArgs,
    err: &mut dyn Write,
) -> Result<(RoleBook, Scenario, Option<Script>), Vec<Problem>> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let book = match &args.roles {
        Some(p) => RoleBook::load(p),
        None => RoleBook::parse(DEFAULT_ROLES_NAME, DEFAULT_ROLES_TOML),
    }
    .map(|l| l.book)
    .map_err(|d| diags.extend(d))
    .ok();
    let scenario = match &args.scenario {
        Some(p) => Scenario::load(p),
        None => Scenario::parse(DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO_TOML, None),
    }
    .map_err(|d| diags.extend(d))
    .ok();
    let (Some(book), Some(scenario)) = (book, scenario) else {
        print_diagnostics(&diags, err);
        return Err(diags.iter().map(problem).collect());
    };
    let Some(path) = &args.script else {
        return Ok((book, scenario, None));
    };
    let name = path.display().to_string();
    let parsed = crate::input::read_text(path)
        .map_err(|d| vec![d])
        .and_then(|source| Script::parse(&name, &source, &book, &scenario));
    match parsed {
        Ok(p) => {
            print_diagnostics(&p.notes, err);
            Ok((book, scenario, Some(p.script)))
        }
        Err(diags) => {
            print_diagnostics(&diags, err);
            let _ = writeln!(err, "{name}: {} error(s)", diags.len());
            Err(diags.iter().map(problem).collect())
        }
    }
}

/// `agentdesk run`: loads everything (any bad file is exit 2 before the simulation starts,
/// with a JUnit report of `<error>` cases when one was asked for), then runs the script or
/// the bare traffic.
pub fn run_headless(args: &RunArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let mut suite = Suite {
        script: args
            .script
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string()),
        seed: args.seed,
        roles_file: file_label(args.roles.as_deref()),
        scenario_file: file_label(args.scenario.as_deref()),
        product_version: crate::policy::ProductVersion::NEWEST.to_string(),
        timestamp: chrono::Local::now()
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        simulated_start: String::new(),
    };
    let unusable = |suite: &Suite, problems: &[Problem], err: &mut dyn Write| {
        if let Some(path) = &args.junit {
            write_junit(path, &junit_unusable_xml(suite, problems), err);
        }
        ExitCode::from(EXIT_BAD_INPUT)
    };
    let (book, scenario, script) = match load(args, err) {
        Ok(world) => world,
        Err(problems) => return unusable(&suite, &problems, err),
    };
    suite.product_version = book.product_version().to_string();
    let mut engine = Engine::new(book, scenario, args.seed);
    suite.simulated_start = engine.audit().iso_time(engine.now());
    if let Some(path) = &args.audit
        && let Err(e) = engine.audit_to_file(path)
    {
        let message = format!("cannot write the audit log {}: {e}", path.display());
        let _ = writeln!(err, "error: {message}");
        return unusable(&suite, &[(message.clone(), message)], err);
    }
    let code = match script {
        None => run_traffic(&mut engine, args, out),
        Some(script) => {
            let mut tee = Tee {
                out,
                copy: args.junit.as_ref().map(|_| Vec::new()),
            };
            let report = match crate::qa::script::run(&mut engine, &script, &mut tee) {
                Ok(r) => r,
                Err(e) => {
                    let _ = writeln!(err, "error: cannot write the transcript: {e}");
                    return ExitCode::FAILURE;
                }
            };
            if let (Some(path), Some(copy)) = (&args.junit, &tee.copy) {
                let transcript = String::from_utf8_lossy(copy);
                if !write_junit(path, &junit_xml(&suite, &report, &transcript), err) {
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            }
            if report.all_passed() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    };
    if let Some(e) = engine.audit().write_error() {
        let _ = writeln!(err, "error: the audit log file is incomplete: {e}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    code
}

/// Writes the report atomically; false (with the error printed) when it could not be written.
fn write_junit(path: &Path, xml: &str, err: &mut dyn Write) -> bool {
    match crate::output::write_atomic(path, xml.as_bytes()) {
        Ok(()) => true,
        Err(e) => {
            let _ = writeln!(
                err,
                "error: cannot write the JUnit report {}: {e}",
                path.display()
            );
            false
        }
    }
}

/// No script: the scenario's traffic alone for `--hours`.
fn run_traffic(engine: &mut Engine, args: &RunArgs, out: &mut dyn Write) -> ExitCode {
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

/// Writes the transcript to standard output and, for the JUnit report, keeps a copy.
struct Tee<'a> {
    out: &'a mut dyn Write,
    copy: Option<Vec<u8>>,
}

impl Write for Tee<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        if let Some(copy) = &mut self.copy {
            copy.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
