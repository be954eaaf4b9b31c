//! Options given before a subcommand (`agentdesk --roles X matrix`): the desktop's options.
//! Each applies to the subcommand when it has that option, and is refused otherwise, so
//! that no option is silently ignored (exit 2 with the reason).

use super::{Cli, Command};

/// Moves the options given before the subcommand into it, or says why one cannot be used.
pub(super) fn reconcile(cli: &mut Cli) -> Result<(), String> {
    let Some(command) = &mut cli.command else {
        return desktop(cli);
    };
    let name = command_name(command);
    let (roles, scenario, seed) = match command {
        Command::Matrix { roles, .. } | Command::Explain { roles, .. } => (Some(roles), None, None),
        Command::Run {
            roles,
            scenario,
            seed,
            ..
        } => (Some(roles), Some(scenario), Some(seed)),
        Command::Roles { .. }
        | Command::Lesson { .. }
        | Command::Lrs { .. }
        | Command::Class { .. }
        | Command::Help { .. } => (None, None, None),
    };
    merge("--roles", cli.roles.take(), roles, name)?;
    merge("--scenario", cli.scenario.take(), scenario, name)?;
    merge("--seed", cli.seed.take(), seed, name)?;
    let desktop_only = [
        ("--agent", cli.agent.is_some()),
        ("--presenter", cli.presenter),
        ("--why-disabled", cli.why_disabled),
        ("--paused", cli.paused),
        ("--lesson", cli.lesson.is_some()),
        ("--agent-view", cli.agent_view),
        ("--trainee", cli.trainee.is_some()),
        ("--outbox", cli.outbox.is_some()),
        ("--lrs", cli.learning.lrs.is_some()),
        ("--lrs-credentials", cli.learning.lrs_credentials.is_some()),
    ];
    match desktop_only.iter().find(|(_, given)| *given) {
        Some((option, _)) => Err(format!(
            "{option} is an option of the desktop window; it has no effect on `agentdesk {name}` (give it without a command)"
        )),
        None => Ok(()),
    }
}

/// The desktop: a lesson brings its own roles, scenario and seed, so those are refused next to it.
fn desktop(cli: &Cli) -> Result<(), String> {
    if cli.lesson.is_none() {
        return Ok(());
    }
    let given = [
        ("--roles", cli.roles.is_some()),
        ("--scenario", cli.scenario.is_some()),
        ("--seed", cli.seed.is_some()),
        ("--agent", cli.agent.is_some()),
    ];
    match given.iter().find(|(_, g)| *g) {
        Some((option, _)) => Err(format!(
            "{option} has no effect with --lesson: the lesson file names its own roles, scenario, seed and trainee"
        )),
        None => Ok(()),
    }
}

/// Puts an option given before the subcommand into the subcommand's own, when it has one and
/// it is not given there too (with another value).
fn merge<T: PartialEq + std::fmt::Debug>(
    option: &str,
    before: Option<T>,
    into: Option<&mut Option<T>>,
    command: &str,
) -> Result<(), String> {
    let Some(value) = before else { return Ok(()) };
    match into {
        None => Err(format!(
            "`agentdesk {command}` has no {option} option; it cannot be given before the command"
        )),
        Some(slot) => match slot {
            Some(own) if *own != value => Err(format!(
                "{option} is given twice, before and after `{command}`, with different values; give it once"
            )),
            _ => {
                *slot = Some(value);
                Ok(())
            }
        },
    }
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Matrix { .. } => "matrix",
        Command::Explain { .. } => "explain",
        Command::Run { .. } => "run",
        Command::Roles { .. } => "roles",
        Command::Lesson { .. } => "lesson",
        Command::Lrs { .. } => "lrs",
        Command::Class { .. } => "class",
        Command::Help { .. } => "help",
    }
}
