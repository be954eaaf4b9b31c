//! Loading the files a command needs, the embedded defaults when none is given, with every
//! diagnostic printed before anything starts.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::EXIT_BAD_INPUT;
use crate::input::Diagnostic;
use crate::world::roles::{DEFAULT_ROLES_NAME, DEFAULT_ROLES_TOML, Loaded, RoleBook};
use crate::world::scenario::{DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO_TOML, Scenario};

/// Reads the roles file, or the embedded defaults: the book and its warnings and notes, or
/// every error.
pub fn read_roles(path: Option<&Path>) -> Result<Loaded, Vec<Diagnostic>> {
    match path {
        Some(p) => RoleBook::load(p),
        None => RoleBook::parse(DEFAULT_ROLES_NAME, DEFAULT_ROLES_TOML),
    }
}

/// Reads the scenario file, or the embedded default morning (its warnings travel with it).
pub fn read_scenario(path: Option<&Path>) -> Result<Scenario, Vec<Diagnostic>> {
    match path {
        Some(p) => Scenario::load(p),
        None => Scenario::parse(DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO_TOML, None),
    }
}

/// Loads the roles file, or the embedded defaults; prints its errors and gives the exit code
/// on failure. Its warnings are `roles check`'s to print: the embedded roles grant inactive
/// privileges on purpose, to show them.
pub fn load_roles(path: Option<&Path>, err: &mut dyn Write) -> Result<RoleBook, ExitCode> {
    match read_roles(path) {
        Ok(loaded) => Ok(loaded.book),
        Err(diags) => {
            print_diagnostics(&diags, err);
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
    }
}

/// Loads the roles and the scenario a simulation needs (the desktop); any bad file stops with
/// its diagnostics printed before anything starts.
pub fn load_world(
    roles: Option<&Path>,
    scenario: Option<&Path>,
    err: &mut dyn Write,
) -> Result<(RoleBook, Scenario), ExitCode> {
    let book = load_roles(roles, err)?;
    let scenario = load_scenario(scenario, err)?;
    Ok((book, scenario))
}

/// Loads the scenario file, or the embedded default; prints its warnings, or its errors and
/// gives the exit code.
pub fn load_scenario(path: Option<&Path>, err: &mut dyn Write) -> Result<Scenario, ExitCode> {
    match read_scenario(path) {
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

/// Prints `diags`, the first [`crate::input::MAX_REPORTED`] of them (a parser already keeps
/// no more per file; `lesson check` may find one problem per step) and then how many more
/// there are, so a file built to fail everywhere cannot flood the terminal.
pub fn print_diagnostics(diags: &[Diagnostic], err: &mut dyn Write) {
    // A parser's capped list (its kept diagnostics and up to one "and N more" line per
    // severity) is printed whole.
    let shown = crate::input::MAX_REPORTED + 3;
    for d in diags.iter().take(shown) {
        let _ = writeln!(err, "{d}");
    }
    if diags.len() > shown {
        let _ = writeln!(
            err,
            "and {} more problem(s) not shown (the first {shown} are)",
            diags.len() - shown
        );
    }
}
