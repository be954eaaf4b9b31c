//! Diagnostics for user files: positions (`file:line:column`), severities, snippets and help.
//!
//! Every parser of a user file (roles, scenarios, scripts) reports through [`Diagnostic`], so a
//! QA tester sees the same shape of message whatever file was wrong.

use std::fmt;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing, never fails a check (e.g. an alias spelling).
    Note,
    /// Legal but probably not meant (e.g. a granted privilege that cannot take effect).
    Warning,
    /// The file cannot be used.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `source` (clamped to the end, and to a char boundary).
    pub fn of(source: &str, offset: usize) -> Position {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..offset].chars().count() + 1;
        Position { line, column }
    }
}

/// The line starts of one source text. A file with many diagnostics (a generated roles file
/// where every role has a warning) would otherwise rescan the text from the top for each one,
/// which is quadratic in the file size.
pub struct LineIndex<'a> {
    source: &'a str,
    /// Byte offset of the first character of each line; the first is always 0.
    starts: Vec<usize>,
    /// The last position answered and its byte offset: parsers ask in file order, so the next
    /// column on the same line is counted from there, not from the line start. Without it, a
    /// single long line with an error every few bytes costs its length for each error.
    last: std::cell::Cell<Option<(usize, Position)>>,
}

impl<'a> LineIndex<'a> {
    pub fn new(source: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            source,
            starts,
            last: std::cell::Cell::new(None),
        }
    }

    /// Same answer as [`Position::of`], found by binary search.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.boundary(offset);
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        let (from, column) = match self.last.get() {
            Some((at, p)) if p.line == line && at <= offset => (at, p.column),
            _ => (line_start, 1),
        };
        let column = column + self.source[from..offset].chars().count();
        let position = Position { line, column };
        self.last.set(Some((offset, position)));
        position
    }

    /// `offset` clamped to the text and moved back to a character boundary.
    fn boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The text of 1-based line `line` without its line ending, as `str::lines` gives it.
    pub fn line_text(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .starts
            .get(line)
            .map_or(self.source.len(), |&next| next - 1);
        let text = &self.source[start..end];
        text.strip_suffix('\r').unwrap_or(text)
    }

    /// The part of the line around byte span `span` that a diagnostic shows: at most
    /// [`SNIPPET_CONTEXT`] characters before it, the span itself up to [`SNIPPET_SPAN`]
    /// characters, and as many after; `...` marks what was cut. Control characters are shown
    /// as `\u{fffd}` and tabs as spaces, one character each, so the caret stays under the span.
    /// Returns the text and the span's character columns within it.
    pub fn snippet(&self, span: Range<usize>) -> (String, Range<usize>) {
        let start = self.boundary(span.start);
        let line = self.starts.partition_point(|&s| s <= start);
        let line_start = self.starts[line - 1];
        let text = self.line_text(line);
        let line_end = line_start + text.len();
        let start = start.min(line_end);
        let end = self.boundary(span.end.max(start)).min(line_end);
        let before: Vec<(usize, char)> = text[..start - line_start]
            .char_indices()
            .rev()
            .take(SNIPPET_CONTEXT + 1)
            .collect();
        let cut_before = before.len() > SNIPPET_CONTEXT;
        let from = if cut_before {
            line_start + before[SNIPPET_CONTEXT - 1].0
        } else {
            line_start
        };
        let span_chars = self.source[start..end].chars().take(SNIPPET_SPAN).count();
        let mut shown = String::new();
        if cut_before {
            shown.push_str("...");
        }
        let mut chars = self.source[from..line_end].chars();
        let lead = self.source[from..start].chars().count();
        for c in chars.by_ref().take(lead + span_chars + SNIPPET_CONTEXT) {
            shown.push(match c {
                '\t' => ' ',
                c if c.is_control() => '\u{fffd}',
                c => c,
            });
        }
        if chars.next().is_some() {
            shown.push_str("...");
        }
        let caret = usize::from(cut_before) * 3 + lead;
        (shown, caret..caret + span_chars.max(1))
    }
}

/// Characters of context a snippet shows on each side of its span.
pub const SNIPPET_CONTEXT: usize = 60;
/// The most characters of the span itself a snippet shows.
pub const SNIPPET_SPAN: usize = 80;

/// One message about a user file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    pub position: Option<Position>,
    pub message: String,
    /// What the parser expected at this place.
    pub expected: Option<String>,
    /// A hint such as "did you mean ...".
    pub help: Option<String>,
    /// The part of the offending line around the span (see [`LineIndex::snippet`]) and the
    /// span's character columns within it, for a caret display.
    pub snippet: Option<(String, Range<usize>)>,
    /// For the "and N more" line that ends a capped list (see [`Collector`]): how many
    /// diagnostics of this severity it stands for. 0 on every other diagnostic.
    pub hidden: usize,
}

impl Diagnostic {
    pub fn new(severity: Severity, file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            file: file.to_string(),
            position: None,
            message: message.into(),
            expected: None,
            help: None,
            snippet: None,
            hidden: 0,
        }
    }

    pub fn error(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, file, message)
    }

    /// Places the diagnostic at byte span `span` of `source`.
    pub fn at(self, source: &str, span: Range<usize>) -> Diagnostic {
        self.at_indexed(&LineIndex::new(source), span)
    }

    /// [`Diagnostic::at`] for callers placing many diagnostics in one source. The diagnostic
    /// keeps the position and a bounded snippet of the line, never the whole line: a file with
    /// thousands of errors on one long line costs thousands of small snippets.
    pub fn at_indexed(mut self, index: &LineIndex, span: Range<usize>) -> Diagnostic {
        let start = index.position(span.start);
        self.position = Some(start);
        let (text, mut cols) = index.snippet(span.clone());
        let end = index.position(span.end.max(span.start));
        if end.line != start.line {
            cols.end = cols.start + 1;
        }
        self.snippet = Some((text, cols));
        self
    }

    pub fn at_position(mut self, position: Position) -> Diagnostic {
        self.position = Some(position);
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Diagnostic {
        self.expected = Some(expected.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a "did you mean ..." help line when there are close names; none leaves it as is.
    pub fn did_you_mean(self, suggestions: &[&str]) -> Diagnostic {
        if suggestions.is_empty() {
            return self;
        }
        let text = crate::input::did_you_mean(suggestions);
        self.help(text.trim().trim_matches(['(', ')']).to_string())
    }

    /// `file:line:column` (or just `file`).
    pub fn location(&self) -> String {
        match self.position {
            Some(p) => format!("{}:{}:{}", self.file, p.line, p.column),
            None => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            self.severity.as_str(),
            self.message
        )?;
        if let (Some((text, cols)), Some(pos)) = (&self.snippet, self.position) {
            let gutter = pos.line.to_string().len();
            let shown: String = text.chars().take(200).collect();
            writeln!(f)?;
            writeln!(f, "{:gutter$} |", "")?;
            writeln!(f, "{} | {}", pos.line, shown)?;
            write!(
                f,
                "{:gutter$} | {}{}",
                "",
                " ".repeat(cols.start.min(200)),
                "^".repeat(cols.len().min(200))
            )?;
        }
        if let Some(expected) = &self.expected {
            write!(f, "\n  expected: {expected}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// The most diagnostics of one severity a parser keeps for one file. The rest are counted and
/// stand behind one "and N more" line: nobody reads the 40,000th copy of the same mistake, and
/// keeping them all would cost memory in proportion to the errors, not to the file.
pub const MAX_REPORTED: usize = 100;

/// The diagnostics of one file as a parser finds them, capped at [`MAX_REPORTED`] per
/// severity.
#[derive(Debug)]
pub struct Collector {
    file: String,
    kept: Vec<Diagnostic>,
    /// Diagnostics kept and past the cap, by severity (note, warning, error).
    kept_of: [usize; 3],
    hidden: [usize; 3],
}

impl Collector {
    pub fn new(file: &str) -> Collector {
        Collector {
            file: file.to_string(),
            kept: Vec::new(),
            kept_of: [0; 3],
            hidden: [0; 3],
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        if self.has_room(d.severity) {
            self.kept_of[d.severity as usize] += 1;
            self.kept.push(d);
        } else {
            self.hidden[d.severity as usize] += 1;
        }
    }

    /// Whether a diagnostic of `severity` would still be kept. A parser asks before building
    /// an expensive one (with a "did you mean" over thousands of names) and calls
    /// [`Collector::count_hidden`] instead when not.
    pub fn has_room(&self, severity: Severity) -> bool {
        self.kept_of[severity as usize] < MAX_REPORTED
    }

    /// Counts a diagnostic that was not built because there is no room for it.
    pub fn count_hidden(&mut self, severity: Severity) {
        self.hidden[severity as usize] += 1;
    }

    /// Nothing collected, kept or hidden.
    pub fn is_empty(&self) -> bool {
        self.kept.is_empty() && self.hidden.iter().all(|&n| n == 0)
    }

    /// The kept diagnostics, then one "and N more" line per severity that went over the cap.
    pub fn finish(self) -> Vec<Diagnostic> {
        let mut all = self.kept;
        for severity in [Severity::Error, Severity::Warning, Severity::Note] {
            let n = self.hidden[severity as usize];
            if n > 0 {
                let mut more = Diagnostic::new(
                    severity,
                    &self.file,
                    format!(
                        "and {n} more {}(s) not shown (the first {MAX_REPORTED} are)",
                        severity.as_str()
                    ),
                );
                more.hidden = n;
                all.push(more);
            }
        }
        all
    }
}

/// How many diagnostics of `severity` a list stands for, counting those behind an "and N more"
/// line.
pub fn count(diags: &[Diagnostic], severity: Severity) -> usize {
    diags
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| d.hidden.max(1))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = "ab\ncé d\n";
        assert_eq!(Position::of(src, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::of(src, 3), Position { line: 2, column: 1 });
        // 'é' is two bytes; 'd' is the 4th character of line 2.
        assert_eq!(Position::of(src, 7), Position { line: 2, column: 4 });
        assert_eq!(Position::of(src, 999), Position { line: 3, column: 1 });
    }

    #[test]
    fn line_index_agrees_with_a_scan_from_the_top() {
        let src = "ab\r\ncé d\n\nlast";
        let index = LineIndex::new(src);
        for offset in 0..=src.len() + 2 {
            assert_eq!(
                index.position(offset),
                Position::of(src, offset),
                "{offset}"
            );
        }
        let lines: Vec<&str> = src.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            assert_eq!(index.line_text(i + 1), *line);
        }
        assert_eq!(index.line_text(0), "");
        assert_eq!(index.line_text(lines.len() + 1), "");
    }

    #[test]
    fn display_shows_location_caret_and_help() {
        let src = "name = 1\nprivileges = [\"Oops\"]\n";
        let d = Diagnostic::error("r.toml", "unknown privilege")
            .at(src, 23..29)
            .help("did you mean \"X\"?");
        let text = d.to_string();
        assert!(
            text.starts_with("r.toml:2:15: error: unknown privilege"),
            "{text}"
        );
        assert!(text.contains("^^^^^^"), "{text}");
        assert!(text.contains("help: did you mean"), "{text}");
    }
}
