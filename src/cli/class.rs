//! `agentdesk class report --lrs URL --lesson LESSON...`: a class's results read back from the
//! LRS, as CSV, one row per trainee and step (trainee, lesson, step, done, first_try, hints,
//! score, time). Exit 0 on a report, 1 when the LRS cannot be read, 2 on bad input.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::lesson_run::lesson_source;
use super::lrs::LrsArgs;
use super::{EXIT_BAD_INPUT, print_diagnostics};
use crate::learning::class::{LessonInfo, progress, report_csv};
use crate::learning::convert::lesson_iri;
use crate::learning::statement::is_uuid;
use crate::learning::{LrsClient, LrsError, Statement};
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

/// The statements of a class: each lesson's (and its steps', through `related_activities`),
/// or one registration's; filtered again here, since not every LRS applies every filter
/// (the class view and report keep only what is about their lessons).
pub fn class_statements(
    client: &LrsClient,
    lessons: &[LessonInfo],
    registration: Option<&str>,
) -> Result<Vec<Statement>, LrsError> {
    let mut raw = Vec::new();
    match registration {
        Some(r) => raw.extend(client.get(&[("registration", r.to_string())])?),
        None => {
            for l in lessons {
                raw.extend(client.get(&[
                    ("activity", l.iri.clone()),
                    ("related_activities", "true".to_string()),
                ])?);
            }
        }
    }
    // Some LRSs ignore these filters and answer nothing (Ralph's file-system backend): then
    // everything is read and filtered here.
    if raw.is_empty() {
        raw = client.get(&[("limit", "1000".to_string())])?;
    }
    let mut seen = std::collections::HashSet::new();
    Ok(raw
        .into_iter()
        .filter_map(|v| serde_json::from_value::<Statement>(v).ok())
        .filter(|s| registration.is_none_or(|r| s.registration() == Some(r)))
        .filter(|s| seen.insert(s.id.clone()))
        .collect())
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
