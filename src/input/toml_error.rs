//! TOML syntax errors as diagnostics, placed at the error's span; the one error the toml crate
//! reports without a span (a dotted key with too many parts) is placed at that key.

use std::ops::Range;

use crate::input::{Diagnostic, LineIndex};

/// The number of parts from which the toml crate refuses a dotted key ("recursion limit").
const TOML_KEY_PARTS: usize = 80;

/// The diagnostic for a file that is not TOML (or not of the expected shape).
pub fn toml_error(file: &str, source: &str, err: &toml::de::Error) -> Diagnostic {
    let message = err.message().trim_end().to_string();
    match err.span() {
        Some(span) => Diagnostic::error(file, message).at(source, span),
        None => match long_dotted_key(source) {
            Some(span) => Diagnostic::error(
                file,
                format!(
                    "{message}: this key has more than {} dotted parts",
                    TOML_KEY_PARTS - 1
                ),
            )
            .at_indexed(&LineIndex::new(source), span),
            None => Diagnostic::error(file, message),
        },
    }
}

/// The first run of text outside strings and comments with [`TOML_KEY_PARTS`] or more
/// dot-separated parts: a key, since no TOML value outside a string has more than one dot.
fn long_dotted_key(source: &str) -> Option<Range<usize>> {
    let bytes = source.as_bytes();
    let mut i = 0;
    let mut run_start = 0;
    let mut dots = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                i += bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap_or(bytes.len() - i);
                continue;
            }
            quote @ (b'"' | b'\'') => {
                let triple = bytes[i..].starts_with(&[quote; 3]);
                i = string_end(bytes, i, quote, triple);
                continue;
            }
            b'.' => {
                dots += 1;
                if dots + 1 >= TOML_KEY_PARTS {
                    let end = bytes[i..]
                        .iter()
                        .position(|&b| matches!(b, b'=' | b']' | b'\n'))
                        .map_or(bytes.len(), |n| i + n);
                    let start = run_start
                        + bytes[run_start..i]
                            .iter()
                            .position(|b| !b.is_ascii_whitespace())
                            .unwrap_or(0);
                    return Some(start..end);
                }
            }
            b'=' | b'{' | b'}' | b',' | b'[' | b']' | b'\n' => {
                dots = 0;
                run_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset just past the string that opens at `start` (or the end of the text).
fn string_end(bytes: &[u8], start: usize, quote: u8, triple: bool) -> usize {
    let mut i = start + if triple { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\n' if !triple => return i,
            b if b == quote && (!triple || bytes[i..].starts_with(&[quote; 3])) => {
                return i + if triple { 3 } else { 1 };
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_of_too_many_parts_is_placed_at_the_key() {
        let key = vec!["a"; 100_000].join(".");
        let source = format!("# a.b.c\nname = \"x.y\"\n  {key} = 1\n");
        let err = toml::from_str::<toml::Table>(&source).unwrap_err();
        let d = toml_error("t.toml", &source, &err);
        assert_eq!(d.location(), "t.toml:3:3", "{d}");
        assert!(d.message.contains("dotted parts"), "{d}");
        assert!(d.snippet.as_ref().unwrap().0.len() < 300);
    }

    #[test]
    fn dots_in_strings_comments_and_values_are_not_a_key() {
        let dots = ".".repeat(200);
        let source = format!("a = \"{dots}\"\nb = '''{dots}\n{dots}'''\n# {dots}\nc = 1.5\n");
        assert_eq!(long_dotted_key(&source), None);
    }
}
