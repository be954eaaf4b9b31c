//! Where an output may go: the checks every file the program writes passes first (the audit
//! log, the JUnit report, the window's exports, the role editor's save, a recorded script).
//!
//! - `-` and `/dev/stdout` mean standard output.
//! - A symbolic link is refused, never followed: writing through it would clobber the file it
//!   points to, which the user did not name.
//! - An existing path that is not a regular file (a device such as `/dev/null`, a FIFO, a
//!   socket, a directory) is refused, never replaced: as root, renaming a report over
//!   `/dev/null` would replace the system's device node with a regular file.
//! - A file this process has read as an input (its roles file, scenario, contact lists, script)
//!   is refused: the loaders note each one with [`note_input`].
//! - Within one run, two outputs naming the same file (or the file standard output is
//!   redirected to) are refused; see [`Claims`].
//!
//! A streamed output is opened with `O_NOFOLLOW | O_NONBLOCK` and checked again on the open
//! descriptor before it is truncated, so a link or FIFO put in place between the check and the
//! open is refused as well, and opening never waits for a FIFO's reader.

use std::ffi::OsString;
use std::fs::{self, File, Metadata};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where an output goes once its path is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

/// What an input file is to the run that read it, for the messages that refuse to overwrite
/// it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    Roles,
    Scenario,
    ContactList,
    Script,
}

impl InputKind {
    fn describe(self) -> &'static str {
        match self {
            InputKind::Roles => "the roles file",
            InputKind::Scenario => "the scenario file",
            InputKind::ContactList => "a contact list",
            InputKind::Script => "the script",
        }
    }
}

/// Why an output path was refused. Nothing was written or truncated in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum PathError {
    #[error(
        "{} is a symbolic link; refusing to write through it (name the file it points to, or remove the link)",
        .0.display()
    )]
    Symlink(PathBuf),
    #[error(
        "{} is a {kind}, not a regular file; refusing to write to it (use - for standard output)",
        .path.display()
    )]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{} is {} this run reads; refusing to overwrite it", .path.display(), .kind.describe())]
    Input { path: PathBuf, kind: InputKind },
    #[error("{} is also {other}; two outputs of one run cannot share a file", .path.display())]
    SameAs { path: PathBuf, other: String },
    #[error("{} does not name a file", .0.display())]
    NoFileName(PathBuf),
    #[error(
        "{} cannot be written by this user (it is read-only, or another user's); refusing to replace it",
        .0.display()
    )]
    ReadOnly(PathBuf),
    #[error("the folder {} does not exist; create it first", .0.display())]
    NoFolder(PathBuf),
    #[error(
        "{} is in use by another agentdesk run (it holds a lock on it); refusing to write into it too",
        .0.display()
    )]
    Locked(PathBuf),
    #[error("cannot open {}: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

impl From<PathError> for io::Error {
    fn from(e: PathError) -> io::Error {
        let kind = match &e {
            PathError::Io { source, .. } => source.kind(),
            PathError::NoFileName(_) => io::ErrorKind::InvalidInput,
            PathError::NoFolder(_) => io::ErrorKind::NotFound,
            _ => io::ErrorKind::AlreadyExists,
        };
        io::Error::new(kind, e)
    }
}

/// The identity of an existing file: the same file under any name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    #[cfg(unix)]
    fn of(meta: &Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId {
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }

    // Without inode numbers, two names of one file are not told apart; equal paths still are
    // (see `Identity::of`).
    #[cfg(not(unix))]
    fn of(_meta: &Metadata) -> FileId {
        FileId { dev: 0, ino: 0 }
    }
}

/// One file this process has read as an input: where, which file it was, and as what.
struct Input {
    path: PathBuf,
    id: FileId,
    kind: InputKind,
}

impl Input {
    /// Whether the path still names the file that was read. A deleted input's inode number
    /// may be given to a new file, which is no input.
    fn is_live(&self) -> bool {
        fs::metadata(&self.path).is_ok_and(|m| FileId::of(&m) == self.id)
    }
}

/// The files this process has read as inputs.
static INPUTS: Mutex<Vec<Input>> = Mutex::new(Vec::new());

/// Notes that `path` was read as an input of `kind`, so no output of this process replaces it.
/// Called by the loaders of roles files, scenarios, contact lists and scripts.
pub fn note_input(path: &Path, kind: InputKind) {
    if !cfg!(unix) {
        return;
    }
    let Ok(meta) = fs::metadata(path) else {
        return;
    };
    let id = FileId::of(&meta);
    let mut inputs = INPUTS.lock().unwrap_or_else(|e| e.into_inner());
    inputs.retain(Input::is_live);
    if !inputs.iter().any(|i| i.id == id && i.kind == kind) {
        inputs.push(Input {
            path: path.to_path_buf(),
            id,
            kind,
        });
    }
}

/// The kind of input `meta` is, other than `own`, if this process read it as one.
fn input_kind(meta: &Metadata, own: Option<InputKind>) -> Option<InputKind> {
    if !cfg!(unix) {
        return None;
    }
    let id = FileId::of(meta);
    let inputs = INPUTS.lock().unwrap_or_else(|e| e.into_inner());
    inputs
        .iter()
        .find(|i| i.id == id && Some(i.kind) != own && i.is_live())
        .map(|i| i.kind)
}

/// Whether `path` names standard output.
pub fn is_stdout(path: &Path) -> bool {
    path == Path::new("-") || path == Path::new("/dev/stdout")
}

/// Checks `path` as the destination of an output: see the module's rules.
pub fn check(path: &Path) -> Result<Target, PathError> {
    check_as(path, None)
}

/// [`check`], except that an input of kind `own` may be replaced: the role editor saves the
/// roles file it opened.
pub fn check_as(path: &Path, own: Option<InputKind>) -> Result<Target, PathError> {
    if is_stdout(path) {
        return Ok(Target::Stdout);
    }
    if path.file_name().is_none() {
        return Err(PathError::NoFileName(path.to_path_buf()));
    }
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // Said before the run, not found when the output is written after it.
            let folder = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            if !folder.is_dir() {
                return Err(PathError::NoFolder(folder.to_path_buf()));
            }
            Ok(Target::File(path.to_path_buf()))
        }
        Err(source) => Err(PathError::Io {
            path: path.to_path_buf(),
            source,
        }),
        Ok(meta) => {
            check_existing(path, &meta, own)?;
            Ok(Target::File(path.to_path_buf()))
        }
    }
}

/// The rules for a path that exists, on its metadata (not followed through links).
fn check_existing(path: &Path, meta: &Metadata, own: Option<InputKind>) -> Result<(), PathError> {
    let kind = file_kind(meta);
    if kind == "symbolic link" {
        return Err(PathError::Symlink(path.to_path_buf()));
    }
    if kind != "regular file" {
        return Err(PathError::NotRegular {
            path: path.to_path_buf(),
            kind,
        });
    }
    if let Some(kind) = input_kind(meta, own) {
        return Err(PathError::Input {
            path: path.to_path_buf(),
            kind,
        });
    }
    if !writable(path) {
        return Err(PathError::ReadOnly(path.to_path_buf()));
    }
    Ok(())
}

/// Whether this user may write `path` in place: a read-only file, or another user's, is not
/// replaced by renaming a new file over it (the folder's permission would allow that).
#[cfg(unix)]
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt as _;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn writable(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// Takes an exclusive lock on a streamed output for as long as `file` is open, so two runs
/// cannot interleave their lines in one audit log: the second is refused at once.
#[cfg(unix)]
fn lock(path: &Path, file: &File) -> Result<(), PathError> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a descriptor `file` owns for the whole call.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(());
    }
    let source = io::Error::last_os_error();
    match source.raw_os_error() {
        Some(libc::EWOULDBLOCK) => Err(PathError::Locked(path.to_path_buf())),
        _ => Err(PathError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

#[cfg(not(unix))]
fn lock(_path: &Path, _file: &File) -> Result<(), PathError> {
    Ok(())
}

/// What kind of file `meta` describes, in words.
fn file_kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_symlink() {
        return "symbolic link";
    }
    if t.is_file() {
        return "regular file";
    }
    if t.is_dir() {
        return "directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return "character device";
        }
        if t.is_block_device() {
            return "block device";
        }
        if t.is_fifo() {
            return "FIFO (named pipe)";
        }
        if t.is_socket() {
            return "socket";
        }
    }
    "special file"
}

/// Opens `path` for an output written as it goes (the audit log), truncating it only once it
/// has passed every check on the open descriptor.
pub fn open_stream(path: &Path) -> Result<File, PathError> {
    check(path)?;
    let file = open_no_follow(path)?;
    let meta = file.metadata().map_err(|source| PathError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    // Again on what was opened: the path may have changed since `check` looked at it.
    check_existing(path, &meta, None)?;
    let io_err = |source| PathError::Io {
        path: path.to_path_buf(),
        source,
    };
    blocking(&file).map_err(io_err)?;
    lock(path, &file)?;
    file.set_len(0).map_err(io_err)?;
    Ok(file)
}

/// Opens for writing, creating the file, without following a link and without waiting for a
/// FIFO's reader.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> Result<File, PathError> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .mode(0o666)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|source| match source.raw_os_error() {
            Some(libc::ELOOP) => PathError::Symlink(path.to_path_buf()),
            // A FIFO with no reader: opening it for writing without blocking fails so.
            Some(libc::ENXIO) => PathError::NotRegular {
                path: path.to_path_buf(),
                kind: "FIFO (named pipe)",
            },
            _ => PathError::Io {
                path: path.to_path_buf(),
                source,
            },
        })
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> Result<File, PathError> {
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .open(path)
        .map_err(|source| PathError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Clears `O_NONBLOCK` on a file opened with it, so later writes behave as usual.
#[cfg(unix)]
fn blocking(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: `fd` is an open descriptor owned by `file` for the whole call; F_GETFL and
    // F_SETFL only read and set its status flags.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn blocking(_file: &File) -> io::Result<()> {
    Ok(())
}

/// How two outputs of one run are told to be the same file: by their directory entry (the
/// folder's identity and the name in it), or, for a file that exists, by its own identity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Identity {
    stdout: bool,
    entry: Option<(FileId, OsString)>,
    file: Option<FileId>,
    /// Where no identity can be read (not on Unix): the path as written.
    path: Option<PathBuf>,
}

impl Identity {
    fn of(target: &Target) -> Identity {
        let path = match target {
            Target::Stdout => {
                return Identity {
                    stdout: true,
                    ..Identity::default()
                };
            }
            Target::File(p) => p,
        };
        if !cfg!(unix) {
            return Identity {
                path: Some(path.clone()),
                ..Identity::default()
            };
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Identity {
            stdout: false,
            entry: fs::metadata(dir)
                .ok()
                .zip(path.file_name())
                .map(|(meta, name)| (FileId::of(&meta), name.to_os_string())),
            file: fs::symlink_metadata(path).ok().map(|m| FileId::of(&m)),
            path: None,
        }
    }

    fn same(&self, other: &Identity) -> bool {
        fn both<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
            a.is_some() && a == b
        }
        (self.stdout && other.stdout)
            || both(&self.entry, &other.entry)
            || both(&self.file, &other.file)
            || both(&self.path, &other.path)
    }
}

/// The outputs of one run, so that no two share a file. Standard output counts as one of them
/// when it is redirected to a regular file.
#[derive(Debug)]
pub struct Claims {
    taken: Vec<(Identity, String)>,
}

impl Claims {
    /// The outputs of a run that writes to standard output as well.
    pub fn new() -> Claims {
        let mut taken = Vec::new();
        if let Some(id) = stdout_file() {
            let stdout = Identity {
                file: Some(id),
                ..Identity::default()
            };
            taken.push((stdout, "standard output".to_string()));
        }
        Claims { taken }
    }

    /// Checks `path` (see [`check`]) as the output called `what` (e.g. "the audit log"), and
    /// refuses it if an earlier claim names the same file.
    pub fn claim(&mut self, path: &Path, what: &str) -> Result<Target, PathError> {
        let target = check(path)?;
        let id = Identity::of(&target);
        if let Some((_, other)) = self.taken.iter().find(|(taken, _)| taken.same(&id)) {
            return Err(PathError::SameAs {
                path: path.to_path_buf(),
                other: other.clone(),
            });
        }
        self.taken.push((id, what.to_string()));
        Ok(target)
    }
}

impl Default for Claims {
    fn default() -> Claims {
        Claims::new()
    }
}

/// The regular file standard output is redirected to, if it is one.
#[cfg(unix)]
fn stdout_file() -> Option<FileId> {
    use std::os::fd::AsFd;
    let stdout = io::stdout();
    let fd = stdout.as_fd().try_clone_to_owned().ok()?;
    let meta = File::from(fd).metadata().ok()?;
    meta.is_file().then(|| FileId::of(&meta))
}

#[cfg(not(unix))]
fn stdout_file() -> Option<FileId> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn dash_and_dev_stdout_are_standard_output() {
        assert_eq!(check(Path::new("-")).unwrap(), Target::Stdout);
        assert_eq!(check(Path::new("/dev/stdout")).unwrap(), Target::Stdout);
    }

    #[test]
    fn a_link_a_directory_and_a_fifo_are_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "keep").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert!(matches!(check(&link), Err(PathError::Symlink(_))));
        assert!(matches!(open_stream(&link), Err(PathError::Symlink(_))));
        assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
        assert!(matches!(
            check(dir.path()),
            Err(PathError::NotRegular {
                kind: "directory",
                ..
            })
        ));
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = open_stream(&fifo).unwrap_err();
        assert!(err.to_string().contains("FIFO"), "{err}");
    }

    #[test]
    fn an_input_is_refused_except_as_its_own_kind() {
        let dir = tempfile::tempdir().unwrap();
        let roles = dir.path().join("roles.toml");
        fs::write(&roles, "x").unwrap();
        note_input(&roles, InputKind::Roles);
        let err = check(&roles).unwrap_err();
        assert!(
            err.to_string().contains("is the roles file this run reads"),
            "{err}"
        );
        assert!(check_as(&roles, Some(InputKind::Roles)).is_ok());
        assert!(matches!(open_stream(&roles), Err(PathError::Input { .. })));
        assert_eq!(fs::read_to_string(&roles).unwrap(), "x", "not truncated");
    }

    #[test]
    fn two_outputs_of_one_run_cannot_share_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut claims = Claims::new();
        let a = dir.path().join("a.out");
        claims.claim(&a, "the audit log").unwrap();
        // Created after its claim: still the same file.
        fs::write(&a, "").unwrap();
        let same = dir.path().join(".").join("a.out");
        let err = claims.claim(&same, "the JUnit report").unwrap_err();
        assert!(err.to_string().contains("is also the audit log"), "{err}");
        claims.claim(Path::new("-"), "the JUnit report").unwrap();
        let err = claims.claim(Path::new("/dev/stdout"), "x").unwrap_err();
        assert!(matches!(err, PathError::SameAs { .. }));
        claims.claim(&dir.path().join("b.out"), "x").unwrap();
    }
}
