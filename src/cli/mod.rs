//! The command line: `matrix`, `roles check`, `explain`, `run`, `lesson check`, `help`, and the
//! desktop when no command is given.

mod autopilot;
mod desktop;
mod explain;
mod help;
mod lesson;
mod load;
mod matrix;
mod roles;
mod run;

pub use autopilot::FloorArgs;
pub use load::{
    load_roles, load_scenario, load_world, print_diagnostics, read_roles, read_scenario,
};
pub use run::{RunArgs, run_headless};

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::qa::matrix::Format;

#[derive(Parser, Debug)]
#[command(
    name = "agentdesk",
    version,
    disable_help_subcommand = true,
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
    /// Start the desktop in presenter mode: larger text, high contrast, for a projector.
    #[arg(long)]
    pub presenter: bool,
    /// Start the desktop with "Why disabled?" on: every disabled action's reason is listed.
    #[arg(long)]
    pub why_disabled: bool,
    /// Start the desktop with the simulated clock paused.
    #[arg(long)]
    pub paused: bool,
    /// Open the desktop on a lesson: its roles, scenario and seed, the Lessons tool docked.
    #[arg(long)]
    pub lesson: Option<PathBuf>,
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
    /// Work with guided lessons.
    Lesson {
        #[command(subcommand)]
        command: LessonCommand,
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
        /// Script to run (`agentdesk help scripts` describes the format).
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
        /// Run a floor of this many autopiloted agents instead of the traffic alone, and print
        /// a summary (events, interactions, calls, denials, wall time).
        #[arg(long, value_name = "N", conflicts_with = "script")]
        autopilot: Option<usize>,
        /// The roles the floor's agents rotate through, comma-separated (every role of the
        /// roles file when absent).
        #[arg(long, value_name = "A,B", requires = "autopilot")]
        autopilot_roles: Option<String>,
        /// Give each campaign generated contacts, enough for the floor all day (200 preview
        /// and 100 push-preview per agent), and scale web callback traffic to the floor: the
        /// benchmarks' floor.
        #[arg(long, requires = "autopilot")]
        generated_contacts: bool,
    },
    /// Print a reference page (scripts, lessons, roles, matrix, audit-log, cli, architecture)
    /// or a command's options; without a topic, list them.
    Help {
        /// A reference page or a command.
        topic: Option<String>,
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
pub enum LessonCommand {
    /// Check lesson files: exit 0 when every lesson is solvable, 1 when one is not, 2 when a
    /// file cannot be used.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
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

/// Entry point of the binary. Standard output is checked: a command whose output could not be
/// written (`> /dev/full`, a closed pipe) says so and exits with 2, whatever it computed.
/// Control characters are written out as text on a terminal and always in messages, so a name
/// in a user's file cannot drive the terminal.
pub fn main() -> ExitCode {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = crate::output::Checked::new(stdout.lock(), terminal);
    let mut err = crate::output::Checked::new(std::io::stderr().lock(), true);
    let code = match Cli::try_parse() {
        Ok(cli) => run(cli, &mut out, &mut err),
        // --help and --version go to standard output and succeed; usage errors do not.
        Err(e) if e.use_stderr() => {
            let _ = write!(err, "{}", e.render());
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Err(e) => {
            let _ = write!(out, "{}", e.render());
            ExitCode::SUCCESS
        }
    };
    let _ = out.flush();
    match out.error() {
        Some(e) => {
            let _ = writeln!(err, "error: cannot write standard output: {e}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
        None => code,
    }
}

/// Runs a parsed command line, writing to the given streams (tests pass buffers).
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    // Write errors (a closed pipe) are not worth a panic; the exit code still tells.
    match cli.command {
        None => desktop::open(&cli, err),
        Some(Command::Help { topic }) => help::help(topic.as_deref(), out, err),
        Some(Command::Matrix { roles, format }) => {
            matrix::print(roles.as_deref(), format, out, err)
        }
        Some(Command::Roles {
            command:
                RolesCommand::Check {
                    file,
                    deny_warnings,
                },
        }) => roles::roles_check(&file, deny_warnings, out, err),
        Some(Command::Lesson {
            command: LessonCommand::Check { files },
        }) => lesson::lesson_check(&files, out, err),
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
            explain::explain(&book, &role, &channel, &action, &stage, out, err)
        }
        Some(Command::Run {
            roles,
            scenario,
            seed,
            script,
            audit,
            junit,
            hours,
            autopilot,
            autopilot_roles,
            generated_contacts,
        }) => run_headless(
            &RunArgs {
                roles,
                scenario,
                seed,
                script,
                audit,
                junit,
                hours: hours.unwrap_or(1.0),
                autopilot: autopilot.map(|agents| FloorArgs {
                    agents,
                    roles: autopilot_roles
                        .map(|r| r.split(',').map(str::to_string).collect())
                        .unwrap_or_default(),
                    generated_contacts,
                }),
            },
            out,
            err,
        ),
    }
}
