//! `agentdesk roles check`: lint a roles file.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::{EXIT_BAD_INPUT, print_diagnostics};
use crate::input::{Severity, count};
use crate::world::roles::RoleBook;

pub(super) fn roles_check(
    file: &Path,
    deny_warnings: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    match RoleBook::load(file) {
        Err(diags) => {
            print_diagnostics(&diags, err);
            let errors = count(&diags, Severity::Error);
            let _ = writeln!(err, "{}: {errors} error(s)", file.display());
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Ok(loaded) => {
            print_diagnostics(&loaded.diagnostics, err);
            let warnings = count(&loaded.diagnostics, Severity::Warning);
            let notes = count(&loaded.diagnostics, Severity::Note);
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

/// `agentdesk roles import`: a deployment's privilege options to a roles file. Warnings (every
/// key not imported, with its file:line) go to standard error; the roles file to `output` or
/// standard output.
pub(super) fn roles_import(
    files: &[std::path::PathBuf],
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let imported = match crate::world::roles::import::import_files(&paths) {
        Ok(i) => i,
        Err(diags) => {
            print_diagnostics(&diags, err);
            let _ = writeln!(
                err,
                "roles import: {} error(s); nothing written",
                diags.len()
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    print_diagnostics(&imported.diagnostics, err);
    let text = imported.book.to_toml();
    match output {
        Some(path) if !crate::output::paths::is_stdout(path) => {
            if let Err(e) = crate::output::write_atomic(path, text.as_bytes()) {
                let _ = writeln!(err, "error: cannot write {}: {e}", path.display());
                return ExitCode::from(EXIT_BAD_INPUT);
            }
        }
        _ => {
            let _ = out.write_all(text.as_bytes());
        }
    }
    let _ = writeln!(
        err,
        "roles import: {} role(s), {} warning(s)",
        imported.book.roles.len(),
        count(&imported.diagnostics, Severity::Warning)
    );
    ExitCode::SUCCESS
}
