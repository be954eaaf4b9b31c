//! Saving a roles file from the role editor: atomically, and never over a change made on disk
//! since the file was opened.

use std::path::Path;

use super::{Loaded, RoleBook};
use crate::input::{Diagnostic, read_text};
use crate::output::InputKind;

/// What a file held when the editor opened or last saved it: its length and a content hash.
/// Content, not mtime, because a touch that changes nothing is no conflict, and because mtime
/// resolution on some filesystems is too coarse to see two writes in one second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    hash: u64,
}

impl FileStamp {
    pub fn of_bytes(bytes: &[u8]) -> FileStamp {
        // FNV-1a: stable across Rust versions and runs, unlike `DefaultHasher`.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        FileStamp {
            len: bytes.len() as u64,
            hash,
        }
    }

    /// The stamp of the file at `path` now, or `None` when there is no file.
    pub fn of_file(path: &Path) -> std::io::Result<Option<FileStamp>> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(FileStamp::of_bytes(&bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// What a save expects to find at its target, so that it never overwrites a change it has not
/// seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// No file yet (a new roles file); a file that exists there is someone else's.
    NoFile,
    /// The file exactly as it was opened or last saved.
    Unchanged(FileStamp),
    /// Whatever is there: the user confirmed overwriting it.
    Anything,
}

/// Why a save did not happen. In every case the file on disk is as it was before.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{} changed on disk since it was opened or last saved; not overwritten", .path.display())]
    Changed { path: std::path::PathBuf },
    #[error("{} was deleted or moved since it was opened; not saved", .path.display())]
    Vanished { path: std::path::PathBuf },
    #[error("{} already exists and was not opened here; not overwritten", .path.display())]
    Exists { path: std::path::PathBuf },
    #[error("cannot {what} {}: {source}", .path.display())]
    Io {
        what: &'static str,
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl SaveError {
    /// A conflict the user may override ("Overwrite anyway"), as opposed to an I/O failure.
    pub fn is_conflict(&self) -> bool {
        !matches!(self, SaveError::Io { .. })
    }
}

impl RoleBook {
    /// [`RoleBook::load`], plus the stamp of exactly the text that was parsed, for a later
    /// [`save_atomic`] to detect changes made on disk in between.
    pub fn load_stamped(path: &Path) -> Result<(Loaded, FileStamp), Vec<Diagnostic>> {
        crate::output::note_input(path, InputKind::Roles);
        let source = read_text(path).map_err(|d| vec![d])?;
        let stamp = FileStamp::of_bytes(source.as_bytes());
        RoleBook::parse(&path.display().to_string(), &source).map(|loaded| (loaded, stamp))
    }
}

/// Writes `book` to `path` as a roles file, atomically (through [`crate::output`]: a temporary
/// file in the same directory, flushed and renamed over the target), so a reader or a crash
/// sees the old file or the new one, never half of one. Refuses when the target is not what
/// `expected` says, and whatever `crate::output::paths` refuses (a device, a FIFO, another
/// input such as the scenario); a roles file this process read may be replaced, and a link
/// is saved through: the editor opened the file it points to. Returns the stamp of what was
/// written.
pub fn save_atomic(
    path: &Path,
    book: &RoleBook,
    expected: Expected,
) -> Result<FileStamp, SaveError> {
    let text = book.to_toml();
    write_checked(path, text.as_bytes(), expected, |file, bytes| {
        std::io::Write::write_all(file, bytes)
    })
}

/// The body of [`save_atomic`], with the write step passed in so tests can make it fail
/// half-way and check that nothing is lost.
pub(super) fn write_checked(
    path: &Path,
    bytes: &[u8],
    expected: Expected,
    write: impl FnOnce(&mut std::fs::File, &[u8]) -> std::io::Result<()>,
) -> Result<FileStamp, SaveError> {
    // Through a symlink, replace the file it points to, not the link itself.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).map_err(|source| SaveError::Io {
                what: "resolve the link",
                path: path.to_path_buf(),
                source,
            })?
        }
        _ => path.to_path_buf(),
    };
    // Before the stamp reads it: reading a FIFO would wait for a writer.
    crate::output::paths::check_as(&target, Some(InputKind::Roles)).map_err(|e| SaveError::Io {
        what: "write",
        path: path.to_path_buf(),
        source: e.into(),
    })?;
    check_expected(&target, path, expected)?;
    let mut conflict = None;
    crate::output::write_atomic_as(&target, Some(InputKind::Roles), |file| {
        write(file, bytes)?;
        // Check again just before the rename, to narrow the window for a concurrent edit.
        check_expected(&target, path, expected).map_err(|c| {
            conflict = Some(c);
            std::io::Error::other("the file changed while saving")
        })
    })
    .map_err(|source| {
        conflict.take().unwrap_or_else(|| SaveError::Io {
            what: "write",
            path: path.to_path_buf(),
            source,
        })
    })?;
    Ok(FileStamp::of_bytes(bytes))
}

fn check_expected(target: &Path, shown: &Path, expected: Expected) -> Result<(), SaveError> {
    let now = FileStamp::of_file(target).map_err(|source| SaveError::Io {
        what: "read",
        path: shown.to_path_buf(),
        source,
    })?;
    let path = shown.to_path_buf();
    match (expected, now) {
        (Expected::Anything, _) | (Expected::NoFile, None) => Ok(()),
        (Expected::NoFile, Some(_)) => Err(SaveError::Exists { path }),
        (Expected::Unchanged(_), None) => Err(SaveError::Vanished { path }),
        (Expected::Unchanged(was), Some(is)) if was == is => Ok(()),
        (Expected::Unchanged(_), Some(_)) => Err(SaveError::Changed { path }),
    }
}
