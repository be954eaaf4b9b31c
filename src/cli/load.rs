//! Loading the files a command needs, the embedded defaults when none is given, with every
//! diagnostic printed before anything starts.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::EXIT_BAD_INPUT;
use crate::input::Diagnostic;
use crate::world::roles::{DEFAULT_ROLES_NAME, DEFAULT_ROLES_TOML, RoleBook};

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
    match result {
        Ok(scenario) => {
            print_diagnostics(&scenario.warnings, err);
            Ok(scenario)
        }
        Err(diags) => {
            print_diagnostics(&diags, err);
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
    }
}

pub fn print_diagnostics(diags: &[Diagnostic], err: &mut dyn Write) {
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}
