//! Files the desk writes (the matrix and audit exports, a saved script or lesson draft, a
//! lesson's score card, a finished activity's card), carried out in one place: views return a
//! [`SaveRequest`] in a `UiCommand::Save`, and [`Desktop::save`] writes it.
//!
//! A file that exists is never replaced without asking (docs/activities.md): the request comes back as a
//! dialog naming the file, and only "Replace" writes it. The message names the full path.

use std::path::{Path, PathBuf};

use super::Desktop;
use super::view_state::Dialog;
use super::workbench::{
    audit_view::AuditView, class_view::ClassView, lessons::Lessons, matrix_view::MatrixView,
    practice::Practice, record_replay::RecordReplay,
};
use crate::output::paths;
use crate::output::write_atomic;

/// The tool a save was asked from, which shows how it went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveFrom {
    Matrix,
    Audit,
    Recording,
    Lesson,
    Practice,
    Class,
}

/// One file to write.
#[derive(Clone, Debug, PartialEq)]
pub struct SaveRequest {
    pub from: SaveFrom,
    /// The path as the user typed it.
    pub typed: String,
    /// The extension the file gets, so its name says what is inside (`None`: as typed).
    pub extension: Option<&'static str>,
    pub bytes: Vec<u8>,
    /// What is written, for the message ("12 rows as CSV").
    pub what: String,
    /// The user has agreed to replace an existing file.
    pub replace: bool,
}

/// The path a request writes, or why it cannot be written.
pub fn target_path(typed: &str, extension: Option<&str>) -> Result<PathBuf, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("type a file name first".to_string());
    }
    let path = Path::new(typed);
    if paths::is_stdout(path) {
        return Ok(path.to_path_buf());
    }
    // `with_extension` on "out/" would quietly write "out.csv" next to the directory.
    if typed.ends_with('/') || typed.ends_with(std::path::MAIN_SEPARATOR) || path.is_dir() {
        return Err(format!(
            "{typed} is a directory: add a file name, e.g. {}",
            path.join(Path::new("export").with_extension(extension.unwrap_or("txt")))
                .display()
        ));
    }
    Ok(match extension {
        Some(ext) => path.with_extension(ext),
        None => path.to_path_buf(),
    })
}

impl Desktop {
    /// Writes `request`, or asks first when its file exists.
    pub(super) fn save(&mut self, request: SaveRequest) {
        let path = match target_path(&request.typed, request.extension) {
            Ok(p) => p,
            Err(e) => return self.report_save(request.from, Err(e)),
        };
        let shown = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
        if !request.replace && !paths::is_stdout(&path) && path.exists() {
            self.view.dialog = Some(Dialog::Replace {
                path: shown.display().to_string(),
                request: Box::new(request),
            });
            return;
        }
        let result = write_atomic(&path, &request.bytes)
            .map(|()| format!("Wrote {} to {}", request.what, shown.display()))
            .map_err(|e| format!("could not write {}: {e}", shown.display()));
        self.report_save(request.from, result);
    }

    /// Shows how a save went in the tool that asked for it.
    fn report_save(&mut self, from: SaveFrom, result: Result<String, String>) {
        let wb = &mut self.view.workbench;
        let pair = || match &result {
            Ok(t) => (true, t.clone()),
            Err(e) => (false, e.clone()),
        };
        match from {
            SaveFrom::Matrix => {
                if let Some(m) = wb.get_mut::<MatrixView>() {
                    m.report = Some(result);
                }
            }
            SaveFrom::Audit => {
                if let Some(a) = wb.get_mut::<AuditView>() {
                    a.report = Some(result);
                }
            }
            SaveFrom::Recording => {
                if let Some(r) = wb.get_mut::<RecordReplay>() {
                    r.message = Some(pair());
                }
            }
            SaveFrom::Lesson => {
                if let Some(l) = wb.get_mut::<Lessons>() {
                    l.message = Some(pair());
                }
            }
            SaveFrom::Practice => {
                if let Some(p) = wb.get_mut::<Practice>() {
                    p.message = Some(pair());
                }
            }
            SaveFrom::Class => {
                if let Some(c) = wb.get_mut::<ClassView>() {
                    c.note = Some(pair().1);
                }
            }
        }
    }

    /// Forgets the messages of the tools about the old day (a restart).
    pub(super) fn clear_tool_messages(&mut self) {
        let wb = &mut self.view.workbench;
        if let Some(m) = wb.get_mut::<MatrixView>() {
            m.report = None;
            // "The cell of audit entry #4" names an entry of the old day.
            m.focus = None;
        }
        if let Some(a) = wb.get_mut::<AuditView>() {
            a.report = None;
        }
        if let Some(r) = wb.get_mut::<RecordReplay>() {
            r.message = None;
        }
        if let Some(l) = wb.get_mut::<Lessons>() {
            l.message = None;
        }
        if let Some(p) = wb.get_mut::<Practice>() {
            p.message = None;
        }
    }
}
