//! Standard output and standard error as the commands write to them. A write error is kept, so
//! a command whose output was lost (`> /dev/full`, a closed pipe) exits non-zero instead of
//! claiming success; and text bound for a terminal has its control characters written out
//! (`\x1b`), so a role name, disposition or source line holding an escape sequence cannot
//! recolour, retitle or otherwise drive the user's terminal.

use std::io::{self, Write};

/// A writer that remembers its first error and, when asked, makes control characters visible.
pub struct Checked<W: Write> {
    inner: W,
    sanitize: bool,
    /// The first write error; every write after it fails at once with the same words.
    error: Option<(io::ErrorKind, String)>,
    /// A 0xC2 byte held back: with the next byte it may be a C1 control character (U+0080 to
    /// U+009F), which terminals also obey.
    pending: Option<u8>,
}

impl<W: Write> Checked<W> {
    /// `sanitize`: write control characters out as text (for a terminal, or for messages).
    pub fn new(inner: W, sanitize: bool) -> Checked<W> {
        Checked {
            inner,
            sanitize,
            error: None,
            pending: None,
        }
    }

    /// The first write error, in words.
    pub fn error(&self) -> Option<&str> {
        self.error.as_ref().map(|(_, text)| text.as_str())
    }

    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        if let Some((kind, text)) = &self.error {
            return Err(io::Error::new(*kind, text.clone()));
        }
        self.inner.write_all(bytes).inspect_err(|e| {
            self.error = Some((e.kind(), e.to_string()));
        })
    }
}

/// `bytes` with C0 controls (but newline and tab), DEL and C1 controls written as `\xNN` or
/// `\u{NN}`; `pending` carries a trailing 0xC2 from one call to the next.
pub fn sanitize(bytes: &[u8], pending: &mut Option<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for &b in bytes {
        if let Some(lead) = pending.take() {
            if (0x80..=0x9f).contains(&b) {
                out.extend_from_slice(format!("\\u{{{b:x}}}").as_bytes());
                continue;
            }
            out.push(lead);
        }
        match b {
            b'\n' | b'\t' => out.push(b),
            0xc2 => *pending = Some(b),
            b if b < 0x20 || b == 0x7f => out.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
            b => out.push(b),
        }
    }
    out
}

impl<W: Write> Write for Checked<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.sanitize {
            let clean = sanitize(buf, &mut self.pending);
            self.send(&clean)?;
        } else {
            self.send(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(lead) = self.pending.take() {
            self.send(&[lead])?;
        }
        if let Some((kind, text)) = &self.error {
            return Err(io::Error::new(*kind, text.clone()));
        }
        self.inner.flush().inspect_err(|e| {
            self.error = Some((e.kind(), e.to_string()));
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_bell_delete_and_c1_controls_are_written_out() {
        let mut out = Checked::new(Vec::new(), true);
        // The 0xC2 0x9B (CSI) pair is split across two writes.
        out.write_all(b"Evil\x1b[31mRED\x07 tab\there\r\x7f \xc2")
            .unwrap();
        out.write_all(b"\x9b2J caf\xc3\xa9 \xc2\xa9\n").unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "Evil\\x1b[31mRED\\x07 tab\there\\x0d\\x7f \\u{9b}2J café ©\n"
        );
    }

    #[test]
    fn the_first_error_is_kept_and_later_writes_fail_at_once() {
        struct Full(usize);
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                self.0 += 1;
                Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Checked::new(Full(0), false);
        assert!(out.write_all(b"a").is_err());
        assert!(out.write_all(b"b").is_err());
        assert!(out.flush().is_err());
        assert_eq!(out.inner.0, 1, "no second attempt");
        assert_eq!(out.error(), Some("no space left"));
    }
}
