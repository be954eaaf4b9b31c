//! `agentdesk run`: a QA script with expectations, the scenario's traffic alone, or a floor of
//! autopiloted agents (`autopilot`), headless.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::autopilot::FloorArgs;
use super::{EXIT_BAD_INPUT, print_diagnostics, read_roles, read_scenario};
use crate::engine::Engine;
use crate::engine::audit::{FileFormat, RunIdentity};
use crate::input::{Diagnostic, Severity};
use crate::output::{Claims, InputKind, LineSink, Target};
use crate::qa::script::{Script, Suite, junit_unusable_xml, junit_xml};
use crate::training::floor;
use crate::world::roles::RoleBook;
use crate::world::scenario::{MAX_RUN_CALLBACKS, Scenario, expected_callbacks};

/// The options of `agentdesk run`.
#[derive(Clone, Debug)]
pub struct RunArgs {
    pub roles: Option<PathBuf>,
    pub scenario: Option<PathBuf>,
    pub seed: u64,
    pub script: Option<PathBuf>,
    pub audit: Option<PathBuf>,
    /// The audit log's format when its name does not say (or to override it).
    pub audit_format: Option<FileFormat>,
    pub junit: Option<PathBuf>,
    pub hours: f64,
    /// Without a script: a floor of autopiloted agents instead of the traffic alone.
    pub autopilot: Option<FloorArgs>,
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
    // The scenario's warnings are printed as they come (the roles file's are `roles check`'s);
    // errors of both files are listed together.
    let book = match read_roles(args.roles.as_deref()) {
        Ok(loaded) => Some(loaded.book),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let scenario = match read_scenario(args.scenario.as_deref()) {
        Ok(scenario) => {
            print_diagnostics(&scenario.warnings, err);
            Some(scenario)
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let (Some(book), Some(scenario)) = (book, scenario) else {
        print_diagnostics(&diags, err);
        return Err(diags.iter().map(problem).collect());
    };
    let Some(path) = &args.script else {
        return Ok((book, scenario, None));
    };
    let name = path.display().to_string();
    crate::output::note_input(path, InputKind::Script);
    let parsed = crate::input::read_text(path)
        .map_err(|d| vec![d])
        .and_then(|source| Script::parse(&name, &source, &book, &scenario));
    match parsed {
        // A script with no step checks nothing, so it cannot pass (an empty file, or
        // `/dev/stdin` read after standard input was closed).
        Ok(p) if p.script.steps.is_empty() => {
            let d = Diagnostic::error(&name, "the script has no steps: it checks nothing")
                .expected("at least one line: a command or an expect line");
            print_diagnostics(std::slice::from_ref(&d), err);
            Err(vec![problem(&d)])
        }
        Ok(p) => {
            print_diagnostics(&p.notes, err);
            Ok((book, scenario, Some(p.script)))
        }
        Err(diags) => {
            print_diagnostics(&diags, err);
            let errors = crate::input::count(&diags, Severity::Error);
            let _ = writeln!(err, "{name}: {errors} error(s)");
            Err(diags.iter().map(problem).collect())
        }
    }
}

/// `agentdesk run`: loads everything (any bad file is exit 2 before the simulation starts,
/// with a JUnit report of `<error>` cases when one was asked for), then runs the script or
/// the bare traffic.
pub fn run_headless(args: &RunArgs, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let started = std::time::Instant::now();
    let mut suite = suite_of(args);
    let junit = match claim_outputs(args) {
        Ok(junit) => junit,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let unusable = |suite: &Suite, problems: &[Problem], err: &mut dyn Write| {
        if let Some(target) = &junit {
            write_junit(target, &junit_unusable_xml(suite, problems), err);
        }
        ExitCode::from(EXIT_BAD_INPUT)
    };
    let (book, scenario, script) = match load(args, err) {
        Ok(world) => world,
        Err(problems) => return unusable(&suite, &problems, err),
    };
    if let Err(message) = check_size(args, &scenario) {
        let _ = writeln!(err, "error: {message}");
        return unusable(&suite, &[(message.clone(), message)], err);
    }
    // Only now are the run's inputs known, so the report's path is checked against them too.
    if let (Some(path), Some(_)) = (&args.junit, &junit)
        && let Err(e) = crate::output::paths::check(path)
    {
        let _ = writeln!(err, "error: cannot write the JUnit report: {e}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    if let Some(Err(message)) = junit.as_ref().map(remove_stale_report) {
        let _ = writeln!(err, "error: {message}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let audit = match &args.audit {
        None => None,
        Some(path) => match audit_format(path, args.audit_format).and_then(|format| {
            LineSink::open(path)
                .map(|sink| (sink, format))
                .map_err(|e| format!("cannot write the audit log: {e}"))
        }) {
            Ok((sink, format)) => Some(AuditOut {
                sink,
                format,
                run: RunIdentity::new(args.seed, &roles_bytes(args.roles.as_deref())),
            }),
            Err(message) => {
                let _ = writeln!(err, "error: {message}");
                return unusable(&suite, &[(message.clone(), message)], err);
            }
        },
    };
    if let Some(floor) = &args.autopilot {
        return super::autopilot::run_floor(
            args,
            floor,
            (book, scenario),
            audit,
            started,
            out,
            err,
        );
    }
    suite.product_version = book.product_version().to_string();
    let mut engine = Engine::new(book, scenario, args.seed);
    suite.simulated_start = engine.audit().iso_time(engine.now());
    if let Some(audit) = audit {
        audit.attach(&mut engine);
    }
    // Every output that failed is named, not only the first.
    let mut failures = Vec::new();
    let code = match script {
        None => run_traffic(&mut engine, args, out),
        Some(script) => run_script(&mut engine, &script, &suite, junit.as_ref(), out)
            .unwrap_or_else(|failure| {
                failures.push(failure);
                ExitCode::FAILURE
            }),
    };
    if let (Some(e), Some(path)) = (engine.audit().write_error(), &args.audit) {
        failures.push(format!(
            "the audit log {} is incomplete (it holds the whole lines written before the \
             failure): {e}",
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

/// Refuses, before anything starts, a run without a script that would not fit the limits of
/// `docs/limits.md`: a floor of more than [`floor::MAX_FLOOR_AGENTS`] agents, more web
/// callback requests than [`MAX_RUN_CALLBACKS`], or an end past the year 9999 (which the
/// audit log's RFC 3339 times cannot carry). A script is held to them as it runs.
fn check_size(args: &RunArgs, scenario: &Scenario) -> Result<(), String> {
    use chrono::Datelike as _;
    if args.script.is_some() {
        return Ok(());
    }
    let floor = args.autopilot.as_ref();
    let agents = floor.map_or(0, |f| f.agents);
    if agents > floor::MAX_FLOOR_AGENTS {
        return Err(format!(
            "--autopilot {agents}: a floor holds at most {} agents (see docs/limits.md for \
             the memory a floor needs)",
            floor::MAX_FLOOR_AGENTS
        ));
    }
    if agents as f64 * args.hours > floor::MAX_FLOOR_AGENT_HOURS {
        return Err(format!(
            "--autopilot {agents} for {} hour(s) is {:.0} agent-hours; a floor may run at most \
             {} (1,000 agents for 8 hours; see docs/limits.md)",
            args.hours,
            agents as f64 * args.hours,
            floor::MAX_FLOOR_AGENT_HOURS
        ));
    }
    let mut per_hour = scenario.web_callbacks.per_hour;
    if floor.is_some_and(|f| f.generated_contacts) {
        // As `floor::with_generated_contacts` scales it.
        per_hour *= agents as f64 / 10.0;
    }
    let span = chrono::Duration::seconds((args.hours * 3600.0) as i64);
    let expected = expected_callbacks(per_hour, span);
    if expected > MAX_RUN_CALLBACKS {
        return Err(format!(
            "{} simulated hour(s) at {per_hour} web callback request(s) per hour is about \
             {expected:.0} requests, more than the {MAX_RUN_CALLBACKS} a run may expect: run \
             fewer hours, or lower web_callbacks.per_hour",
            args.hours
        ));
    }
    let end = scenario.start_time + span;
    if end.year() > 9999 {
        return Err(format!(
            "the run would end {}, past the year 9999, which the audit log's RFC 3339 times \
             cannot carry: run fewer hours",
            crate::world::fmt_time(end)
        ));
    }
    Ok(())
}

/// The audit log's output: where, in which format, and the run every line names.
pub(super) struct AuditOut {
    sink: LineSink,
    format: FileFormat,
    run: RunIdentity,
}

impl AuditOut {
    pub(super) fn attach(self, engine: &mut Engine) {
        engine.audit_to_as(self.sink, self.format, self.run);
    }
}

/// The audit log's format: `--audit-format`, or what its name says (standard output: JSON
/// lines). Checked after the path is known to be safe, and before anything is written, so an
/// unknown name is an error, never a silent JSON file.
fn audit_format(path: &Path, given: Option<FileFormat>) -> Result<FileFormat, String> {
    let target = crate::output::paths::check(path)
        .map_err(|e| format!("cannot write the audit log: {e}"))?;
    match (given, target) {
        (Some(format), _) => Ok(format),
        (None, Target::Stdout) => Ok(FileFormat::JsonLines),
        (None, Target::File(_)) => FileFormat::of_path(path),
    }
}

/// The roles file's bytes for the run's identity (the embedded defaults' when none is given;
/// the file has been read successfully by now). Read again through the inputs' one reader, so
/// a path swapped for a FIFO or a huge file since is refused, never waited on.
fn roles_bytes(path: Option<&Path>) -> Vec<u8> {
    match path {
        None => crate::world::roles::DEFAULT_ROLES_TOML.as_bytes().to_vec(),
        Some(p) => crate::input::read_text(p)
            .map(String::into_bytes)
            .unwrap_or_default(),
    }
}

/// What the JUnit report says of the run before it starts: the script, seed and files.
fn suite_of(args: &RunArgs) -> Suite {
    Suite {
        script: args
            .script
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string()),
        title: None,
        seed: args.seed,
        roles_file: file_label(args.roles.as_deref()),
        scenario_file: file_label(args.scenario.as_deref()),
        product_version: crate::policy::ProductVersion::NEWEST.to_string(),
        // UTC: the local zone would be read from TZ, which may name a FIFO or a device.
        timestamp: chrono::Utc::now()
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        simulated_start: String::new(),
    }
}

/// Claims both outputs before anything is read or written (see `crate::output::paths`), so
/// that neither can be the other and a report about a run that cannot start never lands on
/// the audit log's file. The audit log itself is opened once the run's inputs are known.
fn claim_outputs(args: &RunArgs) -> Result<Option<Target>, String> {
    let mut claims = Claims::new();
    if let Some(path) = &args.audit {
        claims
            .claim(path, "the audit log")
            .map_err(|e| format!("cannot write the audit log: {e}"))?;
    }
    let Some(path) = &args.junit else {
        return Ok(None);
    };
    claims
        .claim(path, "the JUnit report")
        .map(Some)
        .map_err(|e| format!("cannot write the JUnit report: {e}"))
}

/// Removes the report an earlier run left at `target`, once the path is known not to be one
/// of this run's inputs: from here on, whatever stops this run, no stale (green) report stays
/// to be read as its result. (A run that stops earlier, on a bad file, replaces it with a
/// report of `<error>` cases.)
fn remove_stale_report(target: &Target) -> Result<(), String> {
    let Target::File(file) = target else {
        return Ok(());
    };
    match std::fs::remove_file(file) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!(
            "cannot write the JUnit report: cannot remove the earlier report {}: {e}",
            file.display()
        )),
    }
}

/// Runs the script, its transcript on `out` and, with a report asked for, in the report too.
/// The error is the output that could not be written.
fn run_script(
    engine: &mut Engine,
    script: &Script,
    suite: &Suite,
    junit: Option<&Target>,
    out: &mut dyn Write,
) -> Result<ExitCode, String> {
    let mut tee = Tee {
        out,
        copy: junit.map(|_| Vec::new()),
        left_out: 0,
    };
    let report = crate::qa::script::run(engine, script, &mut tee)
        .map_err(|e| format!("cannot write the transcript: {e}"))?;
    if let (Some(target), Some(copy)) = (junit, &tee.copy) {
        let mut transcript = String::from_utf8_lossy(copy).into_owned();
        if tee.left_out > 0 {
            transcript.push_str(&format!(
                "\n\u{2026} {} more bytes of the transcript not kept here (the report keeps \
                 its first {} MiB; standard output had all of it)\n",
                tee.left_out,
                MAX_REPORT_TRANSCRIPT >> 20
            ));
        }
        let xml = junit_xml(suite, &report, &transcript);
        write_report(target, xml.as_bytes())
            .map_err(|e| format!("cannot write the JUnit report: {e}"))?;
    }
    Ok(if report.all_passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Writes the report atomically; false (with the error printed) when it could not be written.
fn write_junit(target: &Target, xml: &str, err: &mut dyn Write) -> bool {
    match write_report(target, xml.as_bytes()) {
        Ok(()) => true,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write the JUnit report: {e}");
            false
        }
    }
}

/// Writes a report atomically to its file, or to standard output.
fn write_report(target: &Target, bytes: &[u8]) -> io::Result<()> {
    match target {
        Target::Stdout => crate::output::write_atomic(Path::new("-"), bytes),
        Target::File(path) => crate::output::write_atomic(path, bytes),
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

/// The most bytes of the transcript a JUnit report's `<system-out>` keeps: a run moving the
/// clock a year writes tens of megabytes, which XML readers refuse as one text node (libxml2's
/// limit is 10 MB) and which memory would hold twice.
pub const MAX_REPORT_TRANSCRIPT: usize = 1 << 20;

/// Writes the transcript to standard output and, for the JUnit report, keeps a copy of its
/// first [`MAX_REPORT_TRANSCRIPT`] bytes and counts the rest.
struct Tee<'a> {
    out: &'a mut dyn Write,
    copy: Option<Vec<u8>>,
    left_out: usize,
}

impl Write for Tee<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        if let Some(copy) = &mut self.copy {
            let room = MAX_REPORT_TRANSCRIPT.saturating_sub(copy.len()).min(n);
            copy.extend_from_slice(&buf[..room]);
            self.left_out += n - room;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
