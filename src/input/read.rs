//! Reading a user file safely: bounded in size, UTF-8 checked, with a positioned error.

use std::io::Read;
use std::path::Path;

use crate::input::{Diagnostic, Position};

/// Files larger than this are refused before parsing, so a runaway input cannot exhaust memory.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a user file as UTF-8 text, refusing files over [`MAX_INPUT_BYTES`] without reading
/// them whole, and pointing at the first byte that is not UTF-8.
// A diagnostic is built at most once per file read, on the failure path, so its size costs
// nothing worth boxing every caller's error for.
#[allow(clippy::result_large_err)]
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let name = path.display().to_string();
    let file = open_regular(path).map_err(|message| Diagnostic::error(&name, message))?;
    // A regular file knows its size: refuse a big one before reading a byte of it; the `take`
    // below still bounds what is read should it grow meanwhile.
    let known_size = file.metadata().ok().map(|m| m.len());
    if let Some(size) = known_size.filter(|&size| size > MAX_INPUT_BYTES) {
        return Err(too_large(&name, Some(size)));
    }
    let mut bytes = Vec::with_capacity(known_size.unwrap_or(0) as usize);
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(&name, format!("cannot read file: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        // Only the first bytes past the limit were read, so the real size is unknown.
        return Err(too_large(&name, None));
    }
    decode_text(&name, bytes)
}

/// Opens `path` for reading only if it is a regular file. The open does not wait (a FIFO
/// without a writer would block it forever), and a FIFO, a device, a socket or a directory is
/// refused before a byte is read, so an input can neither hang the program nor stream from
/// `/dev/zero`.
pub fn open_regular(path: &Path) -> Result<std::fs::File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options
        .open(path)
        .map_err(|e| format!("cannot open file: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read file: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "not a regular file (it is {}): inputs are read from regular files only, so a \
             pipe or a device cannot hang or flood the program; save it to a file first",
            kind_of(&meta)
        ));
    }
    #[cfg(unix)]
    {
        // Reads of a regular file never wait anyway; blocking mode again keeps them simple.
        use std::os::fd::AsRawFd as _;
        let fd = file.as_raw_fd();
        // SAFETY: fcntl on a descriptor this function owns, with plain integer arguments.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    Ok(file)
}

/// What kind of file a non-regular input is, in words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO or pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// The whole-file error for an input over [`MAX_INPUT_BYTES`], naming its size when known.
fn too_large(name: &str, size: Option<u64>) -> Diagnostic {
    const MIB: f64 = 1024.0 * 1024.0;
    let size = size
        .map(|bytes| format!(" ({:.1} MiB)", bytes as f64 / MIB))
        .unwrap_or_default();
    Diagnostic::error(
        name,
        format!(
            "file is larger than the {} MiB limit for input files{size}",
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
    )
    .expected("a smaller file (split it, or remove generated content)")
}

/// The checks of [`read_text`] on bytes already in memory (embedded assets, tests).
#[allow(clippy::result_large_err)]
pub fn decode_text(name: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(name, Some(bytes.len() as u64)));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        // Valid by construction: `valid_up_to` ends on a char boundary.
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        Diagnostic::error(name, "file is not valid UTF-8 text")
            .at_position(Position::of(&prefix, valid))
            .expected("UTF-8 encoded text")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_device_is_refused_without_waiting() {
        let dir = tempfile::TempDir::new().unwrap();
        let fifo = dir.path().join("p.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_text(&fifo).unwrap_err().to_string();
        assert!(
            e.contains("not a regular file (it is a FIFO or pipe)"),
            "{e}"
        );
        let e = read_text(Path::new("/dev/zero")).unwrap_err().to_string();
        assert!(e.contains("a device"), "{e}");
        let e = read_text(dir.path()).unwrap_err().to_string();
        assert!(e.contains("not a regular file"), "{e}");
    }

    #[test]
    fn non_utf8_is_reported_at_the_bad_byte() {
        let d = decode_text("x.toml", b"a = 1\nb = \"\xff\"\n".to_vec()).unwrap_err();
        assert_eq!(d.location(), "x.toml:2:6");
        assert!(d.to_string().contains("UTF-8"));
    }
}
