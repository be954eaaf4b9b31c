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
