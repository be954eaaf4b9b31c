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
}

impl<'a> LineIndex<'a> {
    pub fn new(source: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { source, starts }
    }

    /// Same answer as [`Position::of`], found by binary search.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        let column = self.source[line_start..offset].chars().count() + 1;
        Position { line, column }
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
}

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
    /// The offending source line and the span's columns on it, for a caret display.
    pub snippet: Option<(String, Range<usize>)>,
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
        }
    }

    pub fn error(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, file, message)
    }

    /// Places the diagnostic at byte span `span` of `source`.
    pub fn at(self, source: &str, span: Range<usize>) -> Diagnostic {
        self.at_indexed(&LineIndex::new(source), span)
    }

    /// [`Diagnostic::at`] for callers placing many diagnostics in one source.
    pub fn at_indexed(mut self, index: &LineIndex, span: Range<usize>) -> Diagnostic {
        let start = index.position(span.start);
        self.position = Some(start);
        let line_text = index.line_text(start.line).to_string();
        let end = index.position(span.end.max(span.start));
        let width = if end.line == start.line {
            end.column.saturating_sub(start.column).max(1)
        } else {
            1
        };
        let from = start.column - 1;
        self.snippet = Some((line_text, from..from + width));
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
