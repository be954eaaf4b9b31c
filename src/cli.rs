//! The command line: `matrix`, `roles check`, `explain`, `run`, and the desktop when no command
//! is given.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::input::{Diagnostic, Severity};
use crate::policy::{Action, Cell, Channel, Facts, Stage, authorize, cell};
use crate::qa::matrix::{self, Format};
use crate::world::roles::{DEFAULT_ROLES_NAME, DEFAULT_ROLES_TOML, RoleBook};

#[derive(Parser, Debug)]
#[command(
    name = "agentdesk",
    version,
    about = "A contact-centre agent desktop simulator with enforced role privileges",
    long_about = "Run with no command to open the desktop on the default roles and demo traffic. \
                  The commands below work headless, for QA and scripting."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Roles file for the desktop (the embedded defaults when absent).
    #[arg(long)]
    pub roles: Option<PathBuf>,
    /// Scenario file for the desktop (the embedded default morning when absent).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Seed of the desktop's simulated traffic: the same seed gives the same day.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Agent to log in as (the first agent of the roles file when absent).
    #[arg(long)]
    pub agent: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print every role x channel x action x stage decision.
    Matrix {
        /// Roles file (the embedded defaults when absent).
        #[arg(long)]
        roles: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
    },
    /// Work with roles files.
    Roles {
        #[command(subcommand)]
        command: RolesCommand,
    },
    /// Explain one decision: may this role do this action on this channel in this stage?
    Explain {
        #[arg(long)]
        roles: Option<PathBuf>,
        /// Role name, exactly as in the roles file.
        #[arg(long)]
        role: String,
        /// web-callback, preview or push-preview.
        #[arg(long)]
        channel: String,
        /// e.g. reschedule, dial, set-call-result.
        #[arg(long)]
        action: String,
        /// campaign, offered, preview, dialing, connected, after-call or closed.
        #[arg(long)]
        stage: String,
    },
    /// Run the simulation headless: a QA script (exit 0 when every expectation holds, 1 when
    /// one fails, 2 on a bad file), or the scenario's traffic alone for --hours.
    Run {
        /// Roles file (the embedded defaults when absent).
        #[arg(long)]
        roles: Option<PathBuf>,
        /// Scenario file (the embedded default morning when absent).
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Seed of the simulated traffic: the same seed and script give the same transcript.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Script to run (see docs/scripts.md).
        #[arg(long)]
        script: Option<PathBuf>,
        /// Mirror the audit log to this JSON-lines file, one line per attempted command.
        #[arg(long)]
        audit: Option<PathBuf>,
        /// Write a JUnit XML report, one test case per expectation.
        #[arg(long, requires = "script")]
        junit: Option<PathBuf>,
        /// Simulated hours to run without a script.
        #[arg(long, value_parser = parse_hours, conflicts_with = "script")]
        hours: Option<f64>,
    },
}

/// Simulated hours for `run`: positive, and at most a year so the clock stays in range.
fn parse_hours(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(h) if h.is_finite() && h > 0.0 && h <= 24.0 * 366.0 => Ok(h),
        _ => Err(format!(
            "invalid number of hours \"{text}\"; expected a number greater than 0 and at most 8784"
        )),
    }
}

#[derive(Subcommand, Debug)]
pub enum RolesCommand {
    /// Lint a roles file: exit 0 when clean, 1 on warnings with --deny-warnings, 2 on errors.
    Check {
        file: PathBuf,
        /// Treat warnings as failures (exit 1).
        #[arg(long)]
        deny_warnings: bool,
    },
}

/// Exit code for a file or argument the program could not use.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    run(cli, &mut out, &mut err)
}

/// Runs a parsed command line, writing to the given streams (tests pass buffers).
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    // Write errors (a closed pipe) are not worth a panic; the exit code still tells.
    match cli.command {
        None => {
            let (book, scenario) =
                match load_world(cli.roles.as_deref(), cli.scenario.as_deref(), err) {
                    Ok(world) => world,
                    Err(code) => return code,
                };
            let agent = match cli.agent.as_deref().map(|name| book.find_agent(name)) {
                None => 0,
                Some(Ok(i)) => i,
                Some(Err(e)) => {
                    let _ = writeln!(err, "error: {e}");
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
            };
            let engine = crate::engine::Engine::new(book, scenario, cli.seed);
            match crate::ui::run_desktop(engine, agent, cli.roles.clone()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    let _ = writeln!(err, "error: cannot open the desktop window: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Command::Matrix { roles, format }) => {
            let book = match load_roles(roles.as_deref(), err) {
                Ok(b) => b,
                Err(code) => return code,
            };
            let rows = matrix::build(&book);
            let _ = out.write_all(matrix::render(&book, &rows, format).as_bytes());
            ExitCode::SUCCESS
        }
        Some(Command::Roles {
            command:
                RolesCommand::Check {
                    file,
                    deny_warnings,
                },
        }) => roles_check(&file, deny_warnings, out, err),
        Some(Command::Explain {
            roles,
            role,
            channel,
            action,
            stage,
        }) => {
            let book = match load_roles(roles.as_deref(), err) {
                Ok(b) => b,
                Err(code) => return code,
            };
            explain(&book, &role, &channel, &action, &stage, out, err)
        }
        Some(Command::Run {
            roles,
            scenario,
            seed,
            script,
            audit,
            junit,
            hours,
        }) => run_headless(
            &RunArgs {
                roles,
                scenario,
                seed,
                script,
                audit,
                junit,
                hours: hours.unwrap_or(1.0),
            },
            out,
            err,
        ),
    }
}

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
        && let Err(e) = engine.audit.to_file(path)
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
                engine.scenario.name,
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
    if let Some(e) = engine.audit.write_error() {
        let _ = writeln!(err, "error: the audit log file is incomplete: {e}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    code
}

/// Loads the roles file, or the embedded defaults; prints diagnostics and gives the exit code
/// on failure. Warnings are printed but do not stop the command.
pub fn load_roles(path: Option<&Path>, err: &mut dyn Write) -> Result<RoleBook, ExitCode> {
    let result = match path {
        Some(p) => RoleBook::load(p),
        None => RoleBook::parse(DEFAULT_ROLES_NAME, DEFAULT_ROLES_TOML),
    };
    match result {
        Ok(loaded) => Ok(loaded.book),
        Err(diags) => {
            print_diagnostics(&diags, err);
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
    }
}

/// Loads the roles and the scenario a simulation needs (the desktop, `run`); any bad file
/// stops with its diagnostics printed before anything starts.
pub fn load_world(
    roles: Option<&Path>,
    scenario: Option<&Path>,
    err: &mut dyn Write,
) -> Result<(RoleBook, crate::world::scenario::Scenario), ExitCode> {
    let book = load_roles(roles, err)?;
    let scenario = load_scenario(scenario, err)?;
    Ok((book, scenario))
}

/// Loads the scenario file, or the embedded default; prints diagnostics on failure.
pub fn load_scenario(
    path: Option<&Path>,
    err: &mut dyn Write,
) -> Result<crate::world::scenario::Scenario, ExitCode> {
    let result = match path {
        Some(p) => crate::world::scenario::Scenario::load(p),
        None => crate::world::scenario::Scenario::parse(
            crate::world::scenario::DEFAULT_SCENARIO_NAME,
            crate::world::scenario::DEFAULT_SCENARIO_TOML,
            None,
        ),
    };
    result.map_err(|diags| {
        print_diagnostics(&diags, err);
        ExitCode::from(EXIT_BAD_INPUT)
    })
}

pub fn print_diagnostics(diags: &[Diagnostic], err: &mut dyn Write) {
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}

fn roles_check(
    file: &Path,
    deny_warnings: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    match RoleBook::load(file) {
        Err(diags) => {
            print_diagnostics(&diags, err);
            let _ = writeln!(err, "{}: {} error(s)", file.display(), diags.len());
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Ok(loaded) => {
            print_diagnostics(&loaded.diagnostics, err);
            let warnings = loaded
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count();
            let notes = loaded.diagnostics.len() - warnings;
            let _ = writeln!(
                out,
                "{}: {} roles, {} agents, {} warning(s), {} note(s)",
                file.display(),
                loaded.book.roles.len(),
                loaded.book.agents.len(),
                warnings,
                notes
            );
            if deny_warnings && warnings > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn explain(
    book: &RoleBook,
    role: &str,
    channel: &str,
    action: &str,
    stage: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let parsed = (|| -> Result<_, String> {
        let role = book.find_role(role)?;
        let channel: Channel = channel.parse().map_err(|e| format!("{e}"))?;
        let action: Action = action.parse().map_err(|e| format!("{e}"))?;
        let stage: Stage = stage.parse().map_err(|e| format!("{e}"))?;
        Ok((role, channel, action, stage))
    })();
    let (role, channel, action, stage) = match parsed {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let role = &book.roles[role];
    let _ = writeln!(out, "role: {}", role.name);
    match authorize(role.granted, channel, action, stage, &Facts::default()) {
        Ok(()) => {
            let needs = match cell(channel, action, stage) {
                Cell::Needs(set) => set.names().join(", "),
                Cell::NotAvailable => String::new(),
            };
            let _ = writeln!(out, "decision: allowed");
            let _ = writeln!(
                out,
                "{} ({channel}, {stage}) is allowed: requires {needs}, all effective",
                action.label()
            );
        }
        Err(denial) => {
            let decision = matrix::Decision::of(&Err(denial.clone()));
            let _ = writeln!(
                out,
                "decision: {} ({})",
                decision.as_str(),
                denial.kind.as_str()
            );
            let _ = writeln!(out, "{}", denial.explain());
        }
    }
    ExitCode::SUCCESS
}
