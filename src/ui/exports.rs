//! Files the desk writes (the matrix and audit exports, a saved script or lesson draft, a
//! lesson's score card, a finished activity's card, the role editor's roles file) and reads (a
//! lesson, a script to replay, a roles file to edit), carried out in one place: views return a
//! [`SaveRequest`] in a `UiCommand::Save`, a [`RolesSave`] in a `UiCommand::SaveRoles` or an
//! [`OpenRequest`] in a `UiCommand::Open`; [`Desktop::save`], [`Desktop::save_roles`] and
//! [`Desktop::open`] do the I/O and hand the outcome back to the tool that asked.
//!
//! A file that exists is never replaced without asking (docs/activities.md): the request comes back as a
//! dialog naming the file, and only "Replace" writes it. The message names the full path.

use std::path::{Path, PathBuf};

use super::Desktop;
use super::UiCommand;
use super::view_state::Dialog;
use super::workbench::{
    audit_view::AuditView, class_view::ClassView, lessons::Lessons, matrix_view::MatrixView,
    practice::Practice, record_replay::RecordReplay, role_editor::RoleEditor,
};
use crate::output::paths;
use crate::output::write_atomic;
use crate::world::roles::{Expected, FileStamp, RoleBook, save_atomic};

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

/// The command that writes `text` for tool `from` to the path the user `typed` (with
/// `extension`), saying `what` it wrote; an existing file is replaced only when they agree.
pub fn save(
    from: SaveFrom,
    typed: &str,
    extension: Option<&'static str>,
    text: String,
    what: String,
) -> UiCommand {
    UiCommand::Save(Box::new(SaveRequest {
        from,
        typed: typed.to_string(),
        extension,
        bytes: text.into_bytes(),
        what,
        replace: false,
    }))
}

/// A file a tool asked to read; what it holds decides where it goes.
#[derive(Clone, Debug, PartialEq)]
pub enum OpenRequest {
    /// A lesson file for the Lessons tool: started on its own day once read.
    Lesson { typed: String },
    /// A script for Record and replay: loaded on `seed` once read.
    Script { typed: String, seed: u64 },
    /// A roles file for the role editor's draft.
    Roles { path: PathBuf },
    /// What the roles file the desktop started from holds now, for the role editor to tell a
    /// change made on disk from then on.
    RolesStamp { path: PathBuf },
}

/// The role editor's draft to write to its roles file, refused if the file is not as
/// `expected` (changed on disk since it was opened, or someone else's).
#[derive(Clone, Debug, PartialEq)]
pub struct RolesSave {
    pub path: PathBuf,
    pub book: RoleBook,
    pub expected: Expected,
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

    /// Reads the file `request` names and hands it to the tool that asked: a lesson or a
    /// script goes on as the command that starts it, a roles file into the role editor.
    pub(super) fn open(&mut self, request: OpenRequest) {
        let wb = &mut self.view.workbench;
        match request {
            OpenRequest::Lesson { typed } => match crate::input::read_text(Path::new(&typed)) {
                Ok(text) => self.apply(UiCommand::LoadLesson { file: typed, text }),
                Err(e) => {
                    if let Some(l) = wb.get_mut::<Lessons>() {
                        l.message = Some((false, e.to_string()));
                    }
                }
            },
            OpenRequest::Script { typed, seed } => {
                let path = Path::new(&typed);
                crate::output::note_input(path, crate::output::InputKind::Script);
                match crate::input::read_text(path) {
                    Ok(text) => self.apply(UiCommand::LoadReplay {
                        file: typed,
                        text,
                        seed,
                    }),
                    Err(e) => {
                        if let Some(r) = wb.get_mut::<RecordReplay>() {
                            r.message = Some((false, e.to_string()));
                        }
                    }
                }
            }
            OpenRequest::Roles { path } => {
                let loaded = RoleBook::load_stamped(&path);
                if let Some(editor) = wb.get_mut::<RoleEditor>() {
                    editor.opened(path, loaded, self.session.engine.roles());
                }
            }
            OpenRequest::RolesStamp { path } => {
                let stamp = FileStamp::of_file(&path).ok().flatten();
                if let Some(editor) = wb.get_mut::<RoleEditor>() {
                    editor.stamped(stamp);
                }
            }
        }
    }

    /// Writes the role editor's draft; once saved, it is the roles file a recording starts
    /// from.
    pub(super) fn save_roles(&mut self, request: RolesSave) {
        let RolesSave {
            path,
            book,
            expected,
        } = request;
        let result = save_atomic(&path, &book, expected);
        let saved = result.is_ok();
        if let Some(editor) = self.view.workbench.get_mut::<RoleEditor>() {
            editor.saved(&path, &book, result);
        }
        if saved {
            self.roles_saved(path, book);
        }
    }

    /// Reads the class view's credentials and starts its reader of the LRS.
    pub(super) fn follow_class(&mut self) {
        if let Some(c) = self.view.workbench.get_mut::<ClassView>() {
            c.start_following();
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
