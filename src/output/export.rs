//! Writing export files atomically: whoever reads the file sees the old content or the new, never
//! a half-written mix, even if the process dies or the disk fills up mid-write.
//!
//! The bytes go to a temporary file in the target's own directory (a rename is only atomic
//! within one file system), are flushed to disk, and the temporary file is then renamed over
//! the target. On any failure the temporary file is removed and the target is left untouched.
//! Every target passes the checks of [`super::paths`] first (no link, device, FIFO or input is
//! replaced; `-` is standard output).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::paths::{self, InputKind, Target};

/// The most bytes of the target's name the temporary file's name repeats: a file name may
/// have 255 bytes, and the temporary name adds a dot, a dot, six random characters and `.tmp`.
const TEMP_NAME_BYTES: usize = 200;

/// Writes an export to the file the user typed, given the format's extension (so the name
/// says what is inside), and returns the path written. Errors are sentences for the user.
pub fn export_file(typed: &str, extension: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("type a file name first".to_string());
    }
    let path = Path::new(typed);
    if paths::is_stdout(path) {
        write_atomic(path, bytes).map_err(|e| format!("could not write {typed}: {e}"))?;
        return Ok(path.to_path_buf());
    }
    // `with_extension` on "out/" would quietly write "out.csv" next to the directory.
    if typed.ends_with('/') || typed.ends_with(std::path::MAIN_SEPARATOR) || path.is_dir() {
        return Err(format!(
            "{typed} is a directory: add a file name, e.g. {}",
            path.join(Path::new("export").with_extension(extension))
                .display()
        ));
    }
    let path = path.with_extension(extension);
    write_atomic(&path, bytes).map_err(|e| format!("could not write {}: {e}", path.display()))?;
    Ok(path)
}

/// Replaces (or creates) `path` with `bytes`, atomically; `-` and `/dev/stdout` write them to
/// standard output.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match paths::check(path)? {
        Target::Stdout => {
            let mut out = io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()
        }
        Target::File(p) => replace_file(&p, |file| file.write_all(bytes)),
    }
}

/// Like [`write_atomic`], for content written piece by piece: `write` fills the temporary
/// file, and an error from it abandons the export with the target untouched.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    write_atomic_as(path, None, write)
}

/// [`write_atomic_with`] for a writer that may replace an input of kind `own` (the role editor
/// saving the roles file it opened). Standard output is refused: what is written here is a
/// file to be read back.
pub fn write_atomic_as(
    path: &Path,
    own: Option<InputKind>,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    match paths::check_as(path, own)? {
        Target::Stdout => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is standard output, not a file", path.display()),
        )),
        Target::File(p) => replace_file(&p, write),
    }
}

/// The atomic replacement itself, on a path that passed the checks.
fn replace_file(path: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} does not name a file", path.display()),
        )
    })?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Declared before the temporary file, so dropped after it: a Ctrl-C or `kill` arriving
    // meanwhile waits until the temporary file is renamed or removed, never leaves it behind.
    let _held = SignalsHeld::new();
    // `.name.XXXXXX.tmp`: a fresh name (never an existing file, so two exports at once cannot
    // write into each other's), hidden, and recognisable if a crash leaves it behind. Dropping
    // `tmp` on any error below removes it.
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(temp_stem(name));
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A new file gets the usual mode (0o666 less the umask), as `File::create` would give it,
    // not the private 0o600 of a temporary file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    // Keep the permissions of the file being replaced, so an export over a shared file does
    // not quietly make it private (or public).
    if let Ok(meta) = fs::metadata(path)
        && meta.is_file()
    {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// SIGINT, SIGTERM and SIGHUP held back (blocked, so pending, not lost) while it lives; its
/// drop restores the mask the thread had, and a signal that came meanwhile is acted on then.
struct SignalsHeld {
    #[cfg(unix)]
    old: Option<libc::sigset_t>,
}

impl SignalsHeld {
    #[cfg(unix)]
    fn new() -> SignalsHeld {
        // SAFETY: the sets are plain values initialised by sigemptyset before use, and
        // pthread_sigmask only changes this thread's mask.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                libc::sigaddset(&mut set, signal);
            }
            let ok = libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old) == 0;
            SignalsHeld {
                old: ok.then_some(old),
            }
        }
    }

    #[cfg(not(unix))]
    fn new() -> SignalsHeld {
        SignalsHeld {}
    }
}

impl Drop for SignalsHeld {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(old) = self.old.take() {
            // SAFETY: restores the mask saved by `new` on this same thread.
            unsafe {
                libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
            }
        }
    }
}

/// The part of a file name the temporary name repeats: all of it, or its first
/// [`TEMP_NAME_BYTES`] bytes (cut at a character boundary when the name is text).
fn temp_stem(name: &std::ffi::OsStr) -> std::ffi::OsString {
    if name.len() <= TEMP_NAME_BYTES {
        return name.to_os_string();
    }
    match name.to_str() {
        Some(text) => {
            let mut end = TEMP_NAME_BYTES;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text[..end].into()
        }
        None => {
            #[cfg(unix)]
            {
                use std::os::unix::ffi::OsStrExt;
                std::ffi::OsStr::from_bytes(&name.as_bytes()[..TEMP_NAME_BYTES]).to_os_string()
            }
            #[cfg(not(unix))]
            {
                "export".into()
            }
        }
    }
}

/// Flushes the directory entry of the rename. Best effort: the new content is complete either
/// way, and some platforms cannot open a directory as a file.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn writes_a_new_file_and_replaces_an_existing_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomic(&path, b"first\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"first\n");
        write_atomic(&path, b"second\n").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_path_in_a_missing_directory_fails_without_creating_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-dir");
        let err = write_atomic(&missing.join("out.csv"), b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(!missing.exists());
    }

    #[test]
    fn a_failed_write_leaves_the_existing_file_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, b"precious\n").unwrap();
        let err = write_atomic_with(&path, |f| {
            f.write_all(b"half a")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(fs::read(&path).unwrap(), b"precious\n");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_directory_in_the_way_is_an_error_and_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("taken");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), b"keep").unwrap();
        assert!(write_atomic(&path, b"x").is_err());
        assert_eq!(fs::read(path.join("inside")).unwrap(), b"keep");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_directory_leaves_the_existing_file_intact() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        fs::write(&path, b"precious\n").unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o555)).unwrap();
        // Root ignores directory permissions; the failing-writer test covers that case.
        let probe = dir.path().join("probe");
        let root = fs::write(&probe, b"").is_ok();
        let result = write_atomic(&path, b"new\n");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        if root {
            return;
        }
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(fs::read(&path).unwrap(), b"precious\n");
    }

    #[test]
    fn export_file_sets_the_extension_and_explains_mistakes() {
        let dir = tempfile::tempdir().unwrap();
        let typed = dir.path().join("matrix.csv");
        let written = export_file(typed.to_str().unwrap(), "html", b"<p>").unwrap();
        assert_eq!(written, dir.path().join("matrix.html"));
        assert_eq!(fs::read(&written).unwrap(), b"<p>");
        assert!(!typed.exists());
        assert_eq!(
            export_file("  ", "csv", b"x").unwrap_err(),
            "type a file name first"
        );
        let err = export_file(dir.path().to_str().unwrap(), "csv", b"x").unwrap_err();
        assert!(err.contains("is a directory"), "{err}");
        let err = export_file(
            dir.path().join("nope/out.csv").to_str().unwrap(),
            "csv",
            b"x",
        )
        .unwrap_err();
        assert!(err.starts_with("could not write "), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_usual_mode_and_a_replaced_file_keeps_its_own() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // What `File::create` gives under this process's umask.
        let probe = dir.path().join("probe");
        fs::write(&probe, b"").unwrap();
        let fresh = dir.path().join("new.csv");
        write_atomic(&fresh, b"x").unwrap();
        assert_eq!(mode(&fresh), mode(&probe));
        let shared = dir.path().join("shared.csv");
        fs::write(&shared, b"old").unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&shared, b"new").unwrap();
        assert_eq!(mode(&shared), 0o640);
        assert_eq!(fs::read(&shared).unwrap(), b"new");
    }

    #[test]
    fn a_name_of_250_bytes_is_written_though_its_temporary_name_would_be_longer() {
        let dir = tempfile::tempdir().unwrap();
        let name = format!("{}.xml", "é".repeat(123));
        assert_eq!(name.len(), 250);
        let path = dir.path().join(&name);
        write_atomic(&path, b"<ok/>").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"<ok/>");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_or_a_special_file_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"precious").unwrap();
        let link = dir.path().join("out.xml");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let err = write_atomic(&link, b"x").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        let err = write_atomic(Path::new("/dev/null"), b"x").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        assert!(leftovers(dir.path()).is_empty());
    }

    #[test]
    fn a_path_naming_no_file_is_refused() {
        let err = write_atomic(Path::new(""), b"x").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
