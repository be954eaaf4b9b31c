//! `agentdesk lesson run LESSON --trainee NAME --attempts FILE`: a trainee's attempts graded
//! headless, as the desk matches them; the score card printed; the statements recorded in the
//! outbox (and sent when `--lrs` names an LRS). Exit 0 when every step was done, 1 when not, 2
//! on a bad file or option. An LRS that cannot be reached does not change the exit code: the
//! run says how many statements wait, and why.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::lrs::{LrsArgs, SEND_PAUSE, SEND_TRIES, say_sent};
use super::{EXIT_BAD_INPUT, print_diagnostics};
use crate::learning::attempts::play;
use crate::learning::send::{SendReport, send_once, send_with_retries};
use crate::learning::statement::is_uuid;
use crate::learning::{LessonRecorder, Outbox, RecordContext};
use crate::qa::script::Script;
use crate::training::lesson::{Lesson, LessonRun, SHIPPED};

/// What `agentdesk lesson run` is given.
#[derive(clap::Args, Debug)]
pub struct LessonRunArgs {
    /// A lesson file, or a shipped lesson's name (e.g. reject-or-cancel).
    pub lesson: PathBuf,
    /// The trainee's name (their xAPI account name).
    #[arg(long)]
    pub trainee: String,
    /// The trainee's action lines, in order (a script; `expect` lines are ignored).
    #[arg(long)]
    pub attempts: PathBuf,
    /// The outbox directory (default: the user's data directory).
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
    /// The run's xAPI registration (default: a new one per run).
    #[arg(long, value_name = "UUID")]
    pub registration: Option<String>,
    #[command(flatten)]
    pub lrs: LrsArgs,
}

/// A lesson file, or the name of a shipped lesson (`reject-or-cancel`): its name as reports
/// give it and its text.
pub fn lesson_source(path: &Path) -> Result<(String, String), crate::input::Diagnostic> {
    if !path.exists()
        && let Some((file, text)) = SHIPPED
            .iter()
            .find(|(file, _)| Path::new(file).file_stem() == Some(path.as_os_str()))
    {
        return Ok((file.to_string(), text.to_string()));
    }
    crate::input::read_text(path).map(|t| (path.display().to_string(), t))
}

pub(super) fn lesson_run(
    args: &LessonRunArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let bad = |err: &mut dyn Write, message: String| {
        let _ = writeln!(err, "error: {message}");
        ExitCode::from(EXIT_BAD_INPUT)
    };
    if args.trainee.trim().is_empty() {
        return bad(
            err,
            "the trainee's name is empty; expected --trainee NAME".into(),
        );
    }
    if let Some(r) = &args.registration
        && !is_uuid(r)
    {
        return bad(
            err,
            format!("invalid --registration \"{r}\"; expected a UUID"),
        );
    }
    let (home_page, base) = match args.lrs.names() {
        Ok(n) => n,
        Err(e) => return bad(err, e),
    };
    let client = match args.lrs.client() {
        Ok(c) => c,
        Err(e) => return bad(err, e),
    };
    let Some((lesson, attempts)) = read_inputs(args, err) else {
        return ExitCode::from(EXIT_BAD_INPUT);
    };
    let dir = args.outbox.clone().unwrap_or_else(Outbox::default_dir);
    let outbox = match Outbox::open(&dir) {
        Ok(o) => o,
        Err(e) => {
            return bad(
                err,
                format!("cannot open the outbox {}: {e}", dir.display()),
            );
        }
    };
    let (engine, run) = LessonRun::start(lesson.clone());
    let context = record_context(args, &engine, &run, home_page, base);
    let mut recorder = LessonRecorder::new(context, &lesson.file);
    let now = || chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
    // While the LRS answers, statements go as they are made; after a failure they wait for
    // the end of the run.
    let mut live = SendReport::default();
    let mut lrs_down = false;
    let mut record = |statements: Vec<crate::learning::Statement>| -> std::io::Result<()> {
        outbox.append(&statements)?;
        if let (Some(c), false) = (&client, lrs_down) {
            let r = send_once(&outbox, c)?;
            live.sent += r.sent;
            live.rejected += r.rejected;
            lrs_down = r.error.is_some();
        }
        Ok(())
    };
    let played = match play(engine, run, &attempts, &mut recorder, &now, &mut record) {
        Ok(p) => p,
        Err(e) => {
            return bad(
                err,
                format!(
                    "cannot record statements in the outbox {}: {e}",
                    dir.display()
                ),
            );
        }
    };
    for l in &played.lines {
        let _ = writeln!(
            out,
            "{}:{}: {}: {}",
            args.attempts.display(),
            l.line,
            l.text,
            l.verdict
        );
    }
    let _ = writeln!(out, "trainee: {}", args.trainee);
    for l in played.card.summary() {
        let _ = writeln!(out, "{l}");
    }
    let _ = writeln!(
        out,
        "statements: {} recorded (registration {})",
        played.statements, recorder.context.registration
    );
    say_outbox(client.as_ref(), &outbox, live, out, err);
    if played.card.done() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Who the run's statements are about, under which names, with the lesson's roles, version
/// and seed.
fn record_context(
    args: &LessonRunArgs,
    engine: &crate::engine::Engine,
    run: &LessonRun,
    home_page: String,
    base: String,
) -> RecordContext {
    let lesson = &run.lesson;
    let started = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, false);
    let mut context = RecordContext::new(&args.trainee, &lesson.file, &started);
    context.home_page = home_page;
    context.activity_base = base;
    if let Some(r) = &args.registration {
        context.registration = r.to_lowercase();
    }
    context.roles = run
        .agent()
        .and_then(|a| engine.agent(a))
        .map(|a| {
            a.roles
                .iter()
                .filter_map(|&r| engine.roles().roles.get(r).map(|r| r.name.clone()))
                .collect()
        })
        .unwrap_or_default();
    context.product_version = lesson.book.product_version().to_string();
    context.seed = lesson.seed;
    context
}

/// The final send (when an LRS is named) and what waits.
fn say_outbox(
    client: Option<&crate::learning::LrsClient>,
    outbox: &Outbox,
    live: SendReport,
    out: &mut dyn Write,
    err: &mut dyn Write,
) {
    let Some(client) = client else {
        let waiting = outbox.pending().map_or(0, |p| p.len());
        let _ = writeln!(
            out,
            "lrs: none named; {waiting} statement(s) wait in {} (agentdesk lrs send)",
            outbox.dir().display()
        );
        return;
    };
    match send_with_retries(outbox, client, SEND_TRIES, SEND_PAUSE) {
        Ok(mut report) => {
            report.sent += live.sent;
            report.rejected += live.rejected;
            say_sent(&report, outbox, out, err);
        }
        Err(e) => {
            let _ = writeln!(err, "warning: the outbox {}: {e}", outbox.dir().display());
        }
    }
}

fn read_inputs(args: &LessonRunArgs, err: &mut dyn Write) -> Option<(Lesson, Script)> {
    let (name, source) = match lesson_source(&args.lesson) {
        Ok(s) => s,
        Err(d) => {
            print_diagnostics(&[d], err);
            return None;
        }
    };
    let lesson = match Lesson::parse(&name, &source, args.lesson.parent()) {
        Ok(l) => l,
        Err(diags) => {
            print_diagnostics(&diags, err);
            return None;
        }
    };
    let file = args.attempts.display().to_string();
    let text = match crate::input::read_text(&args.attempts) {
        Ok(t) => t,
        Err(d) => {
            print_diagnostics(&[d], err);
            return None;
        }
    };
    match crate::learning::attempts::parse_attempts(&file, &text, &lesson) {
        Ok(script) => Some((lesson, script)),
        Err(diags) => {
            print_diagnostics(&diags, err);
            None
        }
    }
}
