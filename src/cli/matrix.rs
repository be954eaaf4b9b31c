//! `agentdesk matrix`: every role x channel x action x stage decision, in a chosen format.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use super::load_roles;
use crate::qa::matrix::{self, Format, ReportInfo};

/// Prints the matrix of the roles file (the embedded defaults when `roles` is `None`), row by
/// row as it is computed.
pub(super) fn print(
    roles: Option<&Path>,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let book = match load_roles(roles, err) {
        Ok(b) => b,
        Err(code) => return code,
    };
    // Standard output is line-buffered; a matrix is many short lines.
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    // A write error (a closed pipe) stops the export; there is no one left to tell.
    let _ = matrix::write(
        &mut out,
        &book,
        matrix::rows(&book),
        format,
        &ReportInfo::new(&book, roles),
    )
    .and_then(|()| out.flush());
    ExitCode::SUCCESS
}
