//! `agentdesk matrix`: every role x channel x action x stage decision, in a chosen format.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::load_roles;
use crate::qa::matrix::{self, Format};

/// Prints the matrix of the roles file (the embedded defaults when `roles` is `None`).
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
    let rows = matrix::build(&book);
    let _ = out.write_all(matrix::render(&book, &rows, format).as_bytes());
    ExitCode::SUCCESS
}
