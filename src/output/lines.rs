//! An output written one line at a time as things happen (the audit log's JSON lines): each
//! line goes out in one write call, so a killed process leaves whole lines; a write that fails
//! (a full disk) is undone, so the file never ends in half a line; and after the first failure
//! nothing more is written, so the file holds exactly the lines before it.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use super::paths::{self, PathError, Target};

/// A line-by-line output: a regular file or standard output.
#[derive(Debug)]
pub struct LineSink {
    out: Out,
    /// Bytes of whole lines written so far: where a failed line is cut back to.
    written: u64,
    error: Option<io::Error>,
}

#[derive(Debug)]
enum Out {
    File(File),
    Stdout,
}

impl LineSink {
    /// Opens the output at `path`, which has been claimed (see [`paths::Claims`]) or at least
    /// checked; a file is opened with [`paths::open_stream`] and truncated.
    pub fn open(path: &Path) -> Result<LineSink, PathError> {
        let out = match paths::check(path)? {
            Target::Stdout => Out::Stdout,
            Target::File(p) => Out::File(paths::open_stream(&p)?),
        };
        Ok(LineSink {
            out,
            written: 0,
            error: None,
        })
    }

    /// A sink over an already open file (tests use a file whose writes fail).
    pub fn from_file(file: File) -> LineSink {
        LineSink {
            out: Out::File(file),
            written: 0,
            error: None,
        }
    }

    /// Writes one line, its line end included. Returns whether it was written; after a failure
    /// nothing is written any more.
    pub fn write_line(&mut self, line: &[u8]) -> bool {
        if self.error.is_some() {
            return false;
        }
        let result = match &mut self.out {
            Out::File(f) => f.write_all(line),
            Out::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(line).and_then(|()| out.flush())
            }
        };
        match result {
            Ok(()) => {
                self.written += line.len() as u64;
                true
            }
            Err(e) => {
                // Cut off what part of the line did reach the file. A pipe cannot be cut.
                if let Out::File(f) = &self.out
                    && let Err(cut) = f.set_len(self.written)
                {
                    self.error = Some(io::Error::new(
                        e.kind(),
                        format!("{e}; and removing the partial line failed: {cut}"),
                    ));
                    return false;
                }
                self.error = Some(e);
                false
            }
        }
    }

    /// The failure that stopped the output, if any.
    pub fn error(&self) -> Option<&io::Error> {
        self.error.as_ref()
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_only_whole_lines_and_stops_the_log() {
        // /dev/full accepts the open and fails every write with "no space left on device".
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
        let Ok(full) = full else {
            eprintln!("skipped: no /dev/full here");
            return;
        };
        let mut sink = LineSink::from_file(full);
        assert!(!sink.write_line(b"{\"seq\":1}\n"));
        assert_eq!(
            sink.error().unwrap().kind(),
            io::ErrorKind::StorageFull,
            "{:?}",
            sink.error()
        );
        assert!(
            !sink.write_line(b"{\"seq\":2}\n"),
            "nothing after a failure"
        );
    }
}
