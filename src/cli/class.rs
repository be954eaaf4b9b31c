//! `agentdesk class report --lrs URL --lesson LESSON...`: a class's results read back from the
//! LRS, as CSV, one row per trainee and step (trainee, lesson, step, done, first_try, hints,
//! score, time). Exit 0 on a report, 1 when the LRS cannot be read, 2 on bad input.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::lesson_run::lesson_source;
use super::lrs::LrsArgs;
use super::{EXIT_BAD_INPUT, print_diagnostics};
use crate::learning::class::{LessonInfo, class_statements, progress, report_csv};
use crate::learning::convert::lesson_iri;
use crate::learning::statement::is_uuid;
use crate::training::lesson::Lesson;

/// The lessons named on the command line (files or shipped lesson names), as the class view
/// and report know them.
pub fn lesson_infos(
    lessons: &[PathBuf],
    base: &str,
    err: &mut dyn Write,
) -> Option<Vec<LessonInfo>> {
    let mut out = Vec::new();
    for path in lessons {
        let (name, source) = match lesson_source(path) {
            Ok(s) => s,
            Err(d) => {
                print_diagnostics(&[d], err);
                return None;
            }
        };
        match Lesson::parse(&name, &source, path.parent()) {
            Ok(l) => out.push(LessonInfo {
                iri: lesson_iri(base, &l.file),
                title: l.title.clone(),
                steps: l.steps.len(),
            }),
            Err(diags) => {
                print_diagnostics(&diags, err);
                return None;
            }
        }
    }
    Some(out)
}

pub(super) fn class_report(
    lessons: &[PathBuf],
    registration: Option<&str>,
    lrs: &LrsArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let bad = |err: &mut dyn Write, m: String| {
        let _ = writeln!(err, "error: {m}");
        ExitCode::from(EXIT_BAD_INPUT)
    };
    if let Some(r) = registration
        && !is_uuid(r)
    {
        return bad(
            err,
            format!("invalid --registration \"{r}\"; expected a UUID"),
        );
    }
    let (_, base) = match lrs.names() {
        Ok(n) => n,
        Err(e) => return bad(err, e),
    };
    let client = match lrs.client() {
        Ok(Some(c)) => c,
        Ok(None) => return bad(err, "class report needs --lrs URL".into()),
        Err(e) => return bad(err, e),
    };
    let Some(infos) = lesson_infos(lessons, &base, err) else {
        return ExitCode::from(EXIT_BAD_INPUT);
    };
    match class_statements(&client, &infos, registration) {
        Ok(statements) => {
            let rows = progress(&statements, &infos, &base);
            let _ = write!(out, "{}", report_csv(&rows, &infos));
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            ExitCode::FAILURE
        }
    }
}
