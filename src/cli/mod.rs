//! The command line: `matrix`, `roles check`, `roles import`, `explain`, `run`, `lesson check`,
//! `lesson run`, `lrs send`, `class report`, `help`, and the desktop when no command is given.

mod autopilot;
mod class;
mod desktop;
mod explain;
mod help;
mod lesson;
mod lesson_run;
mod load;
mod lrs;
mod matrix;
mod options;
mod roles;
mod run;

pub use autopilot::FloorArgs;
pub use class::lesson_infos;
pub use load::{
    load_roles, load_scenario, load_world, print_diagnostics, read_roles, read_scenario,
};
pub use lrs::LrsArgs;
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
    /// Seed of the desktop's simulated traffic: the same seed gives the same day (1 when
    /// absent).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Agent to log in as (the first agent of the roles file when absent).
    #[arg(long)]
    pub agent: Option<String>,
    /// Start the desktop in presenter mode: larger text, high contrast, for a projector.
    #[arg(long)]
    pub presenter: bool,
    /// Start the desktop with "Why disabled?" on: every disabled action's reason is listed.
    #[arg(long)]
    pub why_disabled: bool,
    /// Start the desktop in the agent's view: actions the role does not grant are not drawn,
    /// as on the real desktop (the "Agent's view" toggle switches back).
    #[arg(long)]
    pub agent_view: bool,
    /// Start the desktop with the simulated clock paused.
    #[arg(long)]
    pub paused: bool,
    /// Open the desktop on a lesson: its roles, scenario and seed, the Lessons tool docked.
    #[arg(long)]
    pub lesson: Option<PathBuf>,
    /// Record lessons done at the desk as xAPI statements for this trainee (docs/lrs.md).
    #[arg(long, value_name = "NAME")]
    pub trainee: Option<String>,
    /// The outbox of the desk's statements (default: the user's data directory).
    #[arg(long, value_name = "DIR", requires = "trainee")]
    pub outbox: Option<PathBuf>,
    #[command(flatten)]
    pub learning: LrsArgs,
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
    /// Statements waiting for the Learning Record Store (docs/lrs.md).
    Lrs {
        #[command(subcommand)]
        command: LrsCommand,
    },
    /// A class's results, read back from the Learning Record Store.
    Class {
        #[command(subcommand)]
        command: ClassCommand,
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
        /// Seed of the simulated traffic: the same seed and script give the same transcript
        /// (1 when absent).
        #[arg(long)]
        seed: Option<u64>,
        /// Script to run (`agentdesk help scripts` describes the format).
        #[arg(long)]
        script: Option<PathBuf>,
        /// Mirror the audit log to this file, one line per attempted command: JSON lines for a
        /// name ending in .jsonl or .json, CSV for .csv (docs/qa-outputs.md).
        #[arg(long)]
        audit: Option<PathBuf>,
        /// The audit log's format, whatever its name says.
        #[arg(long, value_enum, requires = "audit")]
        audit_format: Option<crate::engine::audit::FileFormat>,
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
    /// Grade a trainee's attempts headless, as the desk matches them: exit 0 when every step
    /// was done, 1 when not, 2 on a bad file. Statements go to the outbox (and the LRS).
    Run(lesson_run::LessonRunArgs),
}

#[derive(Subcommand, Debug)]
pub enum LrsCommand {
    /// Send what waits in the outbox: exit 0 when it is empty afterwards, 1 when statements
    /// still wait (the count and the reason are printed).
    Send {
        #[arg(long, value_name = "DIR")]
        outbox: Option<PathBuf>,
        #[command(flatten)]
        lrs: LrsArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum ClassCommand {
    /// CSV, one row per trainee and step: trainee, lesson, step, done, first_try, hints,
    /// score, time.
    Report {
        /// Lesson files or shipped lesson names (one or more).
        #[arg(long, required = true)]
        lesson: Vec<PathBuf>,
        /// Only this registration's statements.
        #[arg(long, value_name = "UUID")]
        registration: Option<String>,
        #[command(flatten)]
        lrs: LrsArgs,
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
    /// Read a deployment's privilege options (INI-style `[interaction-workspace]` option
    /// lists, or JSON configuration exports with `userProperties`) into a roles file, one
    /// role per input: exit 0 (warnings name every key not imported), 2 on a bad file.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write the roles file here, atomically (standard output when absent).
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

/// Exit code for a file or argument the program could not use.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Which standard streams the program was started with closed (see `src/main.rs`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StandardStreams {
    pub stdin_closed: bool,
    pub stdout_closed: bool,
}

impl StandardStreams {
    /// Notes which of descriptors 0 to 2 are closed, then opens `/dev/null` on each of them,
    /// so that no file the program opens later becomes its standard output by accident.
    #[cfg(unix)]
    pub fn take_over() -> StandardStreams {
        // SAFETY: F_GETFD only asks whether the descriptor is open.
        let closed = |fd| unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1;
        let streams = StandardStreams {
            stdin_closed: closed(0),
            stdout_closed: closed(1),
        };
        for fd in 0..3 {
            if closed(fd) {
                // `open` gives the lowest free descriptor: this one, the lower ones being open.
                // SAFETY: a valid NUL-terminated path and plain flags.
                unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) };
            }
        }
        streams
    }
}

/// Entry point of the binary on platforms without its own C `main`.
pub fn main() -> ExitCode {
    ExitCode::from(main_with(StandardStreams::default()))
}

/// Entry point of the binary, given which standard streams it was started with closed.
/// Standard output is checked: a command whose output could not be written (`> /dev/full`, a
/// closed pipe, a closed descriptor) says so and exits with 2, whatever it computed.
/// Control characters are written out as text on a terminal and always in messages, so a name
/// in a user's file cannot drive the terminal.
pub fn main_with(streams: StandardStreams) -> u8 {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = crate::output::Checked::new(stdout.lock(), terminal);
    let mut err = crate::output::Checked::new(std::io::stderr().lock(), true)
        .with_line_limit(crate::output::stream::MAX_MESSAGE_LINE_BYTES);
    let code = match Cli::try_parse() {
        // The desktop writes nothing there; every command's output would be lost, so nothing
        // is run (no audit log is written for a run nobody sees).
        Ok(cli) if streams.stdout_closed && cli.command.is_some() => {
            let _ = writeln!(
                err,
                "error: standard output is closed: what this command prints would be lost \
                 (redirect it to a file, or to /dev/null to discard it)"
            );
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Ok(cli) => run(cli, &mut out, &mut err),
        // --help and --version go to standard output and succeed; usage errors do not.
        Err(e) if e.use_stderr() => {
            let _ = write!(err, "{}", e.render());
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Err(e) if streams.stdout_closed => {
            let _ = write!(err, "{}", e.render());
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Err(e) => {
            let _ = write!(out, "{}", e.render());
            ExitCode::SUCCESS
        }
    };
    let _ = out.flush();
    if let Some(e) = out.error() {
        let _ = writeln!(err, "error: cannot write standard output: {e}");
        return EXIT_BAD_INPUT;
    }
    code_of(code)
}

/// The number an exit code stands for (every code here is made with `ExitCode::from(u8)`).
fn code_of(code: ExitCode) -> u8 {
    (0..=u8::MAX)
        .find(|&n| ExitCode::from(n) == code)
        .unwrap_or(1)
}

/// Runs a parsed command line, writing to the given streams (tests pass buffers).
pub fn run(mut cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    // An option with no effect where it is given is refused, never silently ignored.
    if let Err(why) = options::reconcile(&mut cli) {
        let _ = writeln!(err, "error: {why}");
        return ExitCode::from(EXIT_BAD_INPUT);
    }
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
        Some(Command::Roles {
            command: RolesCommand::Import { files, output },
        }) => roles::roles_import(&files, output.as_deref(), out, err),
        Some(Command::Lesson {
            command: LessonCommand::Check { files },
        }) => lesson::lesson_check(&files, out, err),
        Some(Command::Lesson {
            command: LessonCommand::Run(args),
        }) => lesson_run::lesson_run(&args, out, err),
        Some(Command::Lrs {
            command: LrsCommand::Send { outbox, lrs },
        }) => lrs::lrs_send(outbox.as_deref(), &lrs, out, err),
        Some(Command::Class {
            command:
                ClassCommand::Report {
                    lesson,
                    registration,
                    lrs,
                },
        }) => class::class_report(&lesson, registration.as_deref(), &lrs, out, err),
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
            audit_format,
            junit,
            hours,
            autopilot,
            autopilot_roles,
            generated_contacts,
        }) => run_headless(
            &RunArgs {
                roles,
                scenario,
                seed: seed.unwrap_or(1),
                script,
                audit,
                audit_format,
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
