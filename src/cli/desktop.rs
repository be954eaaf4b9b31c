//! Opening the desktop window: the bare `agentdesk` command.

use std::io::Write;
use std::process::ExitCode;

use super::{Cli, EXIT_BAD_INPUT, load_world, print_diagnostics};

/// Loads the world the command line names and opens the window on it.
pub(super) fn open(cli: &Cli, err: &mut dyn Write) -> ExitCode {
    let (book, scenario) = match load_world(cli.roles.as_deref(), cli.scenario.as_deref(), err) {
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
    let lesson = match &cli.lesson {
        None => None,
        Some(path) => match crate::training::lesson::Lesson::load(path) {
            Ok(lesson) => Some(lesson),
            Err(diags) => {
                print_diagnostics(&diags, err);
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        },
    };
    let records = match records(cli) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let engine = crate::engine::Engine::new(book, scenario, cli.seed.unwrap_or(1));
    let options = crate::ui::LaunchOptions {
        lesson,
        roles_path: cli.roles.clone(),
        scenario_path: cli.scenario.clone(),
        presenter: cli.presenter,
        why_disabled: cli.why_disabled,
        agent_view: cli.agent_view,
        paused: cli.paused,
        records,
    };
    match crate::ui::run_desktop(engine, agent, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "error: cannot open the desktop window: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What the desk records lessons as (`--trainee`), and where: `None` without `--trainee`. An
/// LRS without a trainee is refused: its statements would name nobody.
fn records(cli: &Cli) -> Result<Option<crate::learning::desk::RecordConfig>, String> {
    let Some(trainee) = cli.trainee.as_deref().map(str::trim) else {
        if cli.learning.lrs.is_some() {
            return Err("--lrs needs --trainee NAME (whose results the statements are)".into());
        }
        return Ok(None);
    };
    if trainee.is_empty() {
        return Err("the trainee's name is empty; expected --trainee NAME".into());
    }
    let (home_page, activity_base) = cli.learning.names()?;
    Ok(Some(crate::learning::desk::RecordConfig {
        trainee: trainee.to_string(),
        home_page,
        activity_base,
        outbox: cli
            .outbox
            .clone()
            .unwrap_or_else(crate::learning::Outbox::default_dir),
        lrs: cli.learning.client()?,
    }))
}
