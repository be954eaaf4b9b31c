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
    let file = std::fs::File::open(path)
        .map_err(|e| Diagnostic::error(&name, format!("cannot open file: {e}")))?;
    // A regular file knows its size: refuse a big one before reading a byte of it. Pipes and
    // special files report no useful size, so the `take` below still bounds what is read.
    let known_size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
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

    #[test]
    fn non_utf8_is_reported_at_the_bad_byte() {
        let d = decode_text("x.toml", b"a = 1\nb = \"\xff\"\n".to_vec()).unwrap_err();
        assert_eq!(d.location(), "x.toml:2:6");
        assert!(d.to_string().contains("UTF-8"));
    }
}
