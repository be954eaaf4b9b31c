//! Standard output and standard error as the commands write to them. A write error is kept, so
//! a command whose output was lost (`> /dev/full`, a closed pipe) exits non-zero instead of
//! claiming success; and text bound for a terminal has its control characters written out
//! (`\x1b`), so a role name, disposition or source line holding an escape sequence cannot
//! recolour, retitle or otherwise drive the user's terminal.

use std::io::{self, Write};

/// The longest line of a message on standard error, in bytes; the rest is cut with a count.
pub const MAX_MESSAGE_LINE_BYTES: usize = 1000;

/// A writer that remembers its first error and, when asked, makes control characters visible.
pub struct Checked<W: Write> {
    inner: W,
    sanitize: bool,
    /// The first write error; every write after it fails at once with the same words.
    error: Option<(io::ErrorKind, String)>,
    /// The start of a UTF-8 sequence held back until its last byte: it may be a C1 control
    /// character (U+0080 to U+009F), which terminals also obey, or a bidirectional control.
    pending: Vec<u8>,
    /// The longest line written whole (in bytes); the rest of a longer line is dropped and
    /// counted. `None`: no limit.
    max_line: Option<usize>,
    /// Bytes of the current line written, and dropped past `max_line`.
    line_len: usize,
    line_dropped: usize,
}

impl<W: Write> Checked<W> {
    /// `sanitize`: write control characters out as text (for a terminal, or for messages).
    pub fn new(inner: W, sanitize: bool) -> Checked<W> {
        Checked {
            inner,
            sanitize,
            error: None,
            pending: Vec::new(),
            max_line: None,
            line_len: 0,
            line_dropped: 0,
        }
    }

    /// Cuts every line longer than `max` bytes (at a character boundary) with `…` and how many
    /// bytes were left out: a message quoting a megabyte-long name from a user's file shows
    /// its start, not the megabyte.
    pub fn with_line_limit(mut self, max: usize) -> Checked<W> {
        self.max_line = Some(max);
        self
    }

    /// `bytes` as the line limit lets them through.
    fn capped(&mut self, bytes: Vec<u8>) -> Vec<u8> {
        let Some(max) = self.max_line else {
            return bytes;
        };
        let mut out = Vec::with_capacity(bytes.len().min(max + 64));
        for b in bytes {
            if b == b'\n' {
                self.end_cut_line(&mut out);
                out.push(b);
                continue;
            }
            // Past the limit, the cut waits for the start of a character.
            let starts_char = b & 0xC0 != 0x80;
            if self.line_dropped > 0 || (self.line_len >= max && starts_char) {
                self.line_dropped += 1;
                continue;
            }
            self.line_len += 1;
            out.push(b);
        }
        out
    }

    fn end_cut_line(&mut self, out: &mut Vec<u8>) {
        if self.line_dropped > 0 {
            let note = format!(
                "\u{2026} ({} more bytes of this line not shown)",
                self.line_dropped
            );
            out.extend_from_slice(note.as_bytes());
        }
        self.line_len = 0;
        self.line_dropped = 0;
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
/// `\u{NN}`, and the invisible characters that reorder or hide text (bidirectional controls,
/// zero-width characters, the byte order mark) as `\u{NNNN}`, so a name cannot look like
/// another on a terminal. `pending` carries an unfinished UTF-8 sequence from one call to the
/// next; bytes that are not UTF-8 pass as they are.
pub fn sanitize(bytes: &[u8], pending: &mut Vec<u8>) -> Vec<u8> {
    let mut input = std::mem::take(pending);
    input.extend_from_slice(bytes);
    let mut out = Vec::with_capacity(input.len());
    let mut rest = &input[..];
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                push_visible(text, &mut out);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                // Valid by construction: `valid_up_to` ends on a char boundary.
                push_visible(std::str::from_utf8(valid).unwrap_or_default(), &mut out);
                match e.error_len() {
                    None => {
                        // An unfinished sequence at the end: wait for its next bytes.
                        pending.extend_from_slice(after);
                        break;
                    }
                    Some(n) => {
                        out.extend_from_slice(&after[..n]);
                        rest = &after[n..];
                    }
                }
            }
        }
    }
    out
}

/// Whether `c` is invisible yet changes how text around it reads: the bidirectional embedding,
/// override and isolate controls, the marks, zero-width characters and the byte order mark.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

fn push_visible(text: &str, out: &mut Vec<u8>) {
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c as u8),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.extend_from_slice(format!("\\x{:02x}", c as u32).as_bytes())
            }
            c if ('\u{80}'..='\u{9f}').contains(&c) || is_invisible_format(c) => {
                out.extend_from_slice(format!("\\u{{{:x}}}", c as u32).as_bytes())
            }
            c => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

impl<W: Write> Write for Checked<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let clean = if self.sanitize {
            sanitize(buf, &mut self.pending)
        } else {
            buf.to_vec()
        };
        let clean = self.capped(clean);
        self.send(&clean)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let lead = std::mem::take(&mut self.pending);
            let lead = self.capped(lead);
            self.send(&lead)?;
        }
        if self.line_dropped > 0 {
            let mut note = Vec::new();
            self.end_cut_line(&mut note);
            self.send(&note)?;
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
    fn bidirectional_and_zero_width_characters_are_written_out_even_split_across_writes() {
        let mut out = Checked::new(Vec::new(), true);
        let text = "a\u{202E}b\u{200B}c\u{FEFF}d\u{2067}e é";
        let bytes = text.as_bytes();
        for chunk in bytes.chunks(2) {
            out.write_all(chunk).unwrap();
        }
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "a\\u{202e}b\\u{200b}c\\u{feff}d\\u{2067}e é"
        );
    }

    #[test]
    fn a_long_line_is_cut_at_a_character_with_the_count_of_what_was_left_out() {
        let mut out = Checked::new(Vec::new(), true).with_line_limit(5);
        out.write_all("abcd\u{e9}\u{e9}xyz\nshort\n".as_bytes())
            .unwrap();
        out.write_all(b"0123456789").unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "abcd\u{e9}\u{2026} (5 more bytes of this line not shown)\nshort\n\
             01234\u{2026} (5 more bytes of this line not shown)"
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
