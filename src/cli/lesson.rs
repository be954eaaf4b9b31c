//! `agentdesk lesson check FILE...`: every lesson parsed with positioned errors, and its
//! reference solution run headless on its own seed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{EXIT_BAD_INPUT, print_diagnostics};
use crate::training::lesson::{Lesson, check};

/// Checks each file; 0 when every lesson is solvable, 1 when one is not, 2 when a file cannot
/// be used (that wins over 1).
pub(super) fn lesson_check(
    files: &[PathBuf],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let mut unusable = false;
    let mut unsolvable = false;
    for path in files {
        let name = path.display().to_string();
        let source = match crate::input::read_text(path) {
            Ok(s) => s,
            Err(d) => {
                print_diagnostics(&[d], err);
                unusable = true;
                continue;
            }
        };
        let lesson = match Lesson::parse(&name, &source, path.parent()) {
            Ok(l) => l,
            Err(diags) => {
                print_diagnostics(&diags, err);
                let _ = writeln!(err, "{name}: {} error(s)", diags.len());
                unusable = true;
                continue;
            }
        };
        let outcome = check(&lesson, &source);
        if outcome.solvable() {
            let _ = writeln!(
                out,
                "{name}: \"{}\": {} step(s), solvable ({})",
                lesson.title,
                lesson.steps.len(),
                outcome.report.tally()
            );
        } else {
            print_diagnostics(&outcome.problems, err);
            let _ = writeln!(
                err,
                "{name}: \"{}\" cannot be done as written ({})",
                lesson.title,
                outcome.report.tally()
            );
            unsolvable = true;
        }
    }
    if unusable {
        ExitCode::from(EXIT_BAD_INPUT)
    } else if unsolvable {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
