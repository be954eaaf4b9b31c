//! Escaping text for the report formats: XML (JUnit), HTML (the matrix page), Markdown table
//! cells and spreadsheet-safe CSV fields. The markup functions make text safe both as element
//! content and inside a double-quoted attribute, and keep a multi-line text on one line of
//! the output.

use std::borrow::Cow;

/// Escapes text for an XML element or attribute; characters XML 1.0 cannot carry at all become
/// U+FFFD, and tab and carriage return become references so an attribute keeps them.
pub fn xml(text: &str) -> String {
    markup(text, Dialect::Xml)
}

/// Escapes text for XML element content (a JUnit `<system-out>`, a failure's body): like
/// [`xml`], but line breaks and tabs stay as they are, so a transcript reads as one.
pub fn xml_text(text: &str) -> String {
    markup(text, Dialect::XmlText)
}

/// Escapes text for an HTML element or a double-quoted attribute; newlines become character
/// references so a multi-line explanation stays one line of the file and one tooltip.
pub fn html(text: &str) -> String {
    markup(text, Dialect::Html)
}

/// Escapes text for one cell of a Markdown table: `|` would end the cell and a newline the
/// row; `<`, `>` and `&` would be read as inline HTML or entities by most renderers; and the
/// inline markers (emphasis, code, links, strikethrough) are backslash-escaped so a name shows
/// as written instead of as formatting; so is `@`, which pandoc's default reader takes for a
/// citation (`@SUM(A1)`). A line break becomes `<br>`, the one piece of markup a cell needs to
/// keep it.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '!' | '@' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A CSV field a spreadsheet will not run as a formula: text starting with `=`, `+`, `-`, `@`,
/// tab or carriage return gets a leading `'` (OWASP's advice for CSV injection), which
/// spreadsheets show as text. The fullwidth forms (`＝`, `＋`, `－`, `＠`, which some
/// spreadsheets fold to their ASCII forms) count too, and so does any of them behind
/// invisible characters (a zero-width space, a byte order mark). Quoting for commas and quotes
/// is the CSV writer's job.
pub fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    if matches!(text.chars().next(), Some('\t' | '\r')) {
        return Cow::Owned(format!("'{text}"));
    }
    let first = text
        .chars()
        .find(|&c| !crate::output::stream::is_invisible_format(c));
    match first {
        Some('=' | '+' | '-' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}') => {
            Cow::Owned(format!("'{text}"))
        }
        _ => Cow::Borrowed(text),
    }
}

/// The most characters of a user's text (a name, a step) a message or a command's output
/// repeats; see [`echo`].
pub const MAX_ECHO_CHARS: usize = 200;

/// A user's text as a message repeats it: control and invisible characters written out (see
/// [`super::stream::sanitize`]), and a text longer than [`MAX_ECHO_CHARS`] cut with `…` and
/// its length, so a megabyte-long name costs a line, not a megabyte, and cannot drive the
/// terminal even on a stream that is not one.
pub fn echo(text: &str) -> String {
    let total = text.chars().count();
    let shown: String = text.chars().take(MAX_ECHO_CHARS).collect();
    let visible = super::stream::sanitize(shown.as_bytes(), &mut Vec::new());
    let mut out = String::from_utf8_lossy(&visible).into_owned();
    if total > MAX_ECHO_CHARS {
        out.push_str(&format!("\u{2026} ({total} characters)"));
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    /// XML, element or attribute.
    Xml,
    /// XML element content only: quotes, line breaks and tabs stay as written.
    XmlText,
    Html,
}

fn markup(text: &str, dialect: Dialect) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' | '\'' | '\n' | '\t' if dialect == Dialect::XmlText => out.push(c),
            '"' => out.push_str("&quot;"),
            // `&apos;` is not an HTML 4 entity; the numeric reference works in both.
            '\'' if dialect == Dialect::Xml => out.push_str("&apos;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            // A raw carriage return would be read back as a line break.
            '\t' | '\r' if dialect != Dialect::Html => out.push_str(&format!("&#{};", c as u32)),
            c if dialect != Dialect::Html && not_xml_char(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Characters outside XML 1.0's `Char` production (other than the references above).
fn not_xml_char(c: char) -> bool {
    (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// A CSV writer as every export of agentdesk writes: RFC 4180 quoting and `\n` line ends.
pub fn csv_writer<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// The CSV text `write` puts through a [`csv_writer`]; should writing fail, the text is the
/// error instead, so an export never passes off part of a table as the whole.
pub fn csv_text(write: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> String {
    let mut writer = csv_writer(Vec::new());
    let result = write(&mut writer);
    match (result, writer.into_inner()) {
        (Ok(()), Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        (Err(e), _) => format!("error writing CSV: {e}\n"),
        (_, Err(e)) => format!("error writing CSV: {e}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_text_is_capped_with_its_length_and_its_controls_written_out() {
        assert_eq!(echo("Dana\x1b[31m\u{202E}"), "Dana\\x1b[31m\\u{202e}");
        let long = "n".repeat(MAX_ECHO_CHARS + 50);
        let shown = echo(&long);
        assert!(shown.starts_with(&"n".repeat(MAX_ECHO_CHARS)));
        assert!(shown.ends_with("\u{2026} (250 characters)"), "{shown}");
    }

    #[test]
    fn fullwidth_and_hidden_formula_signs_are_defused_too() {
        for text in [
            "\u{FF1D}1+1",
            "\u{200B}=1+1",
            "\u{FEFF}=1+1",
            "\u{FF20}SUM(A1)",
        ] {
            assert_eq!(spreadsheet_safe(text), format!("'{text}"), "{text:?}");
        }
        assert_eq!(spreadsheet_safe("a=1"), "a=1");
        assert_eq!(spreadsheet_safe("\u{200B}a"), "\u{200B}a");
    }

    #[test]
    fn a_field_a_spreadsheet_would_run_gets_a_leading_quote() {
        for risky in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_safe(risky), format!("'{risky}"));
        }
        for plain in ["", "Outbound Preview Agent", "a=b", " =x", "'quoted"] {
            assert_eq!(spreadsheet_safe(plain), plain);
        }
    }

    #[test]
    fn xml_escapes_markup_quotes_whitespace_and_invalid_characters() {
        assert_eq!(
            xml("a<b>&\"c\"'d'\ne\tf\rg"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;e&#9;f&#13;g"
        );
        assert_eq!(xml("a\u{1}b\u{FFFE}"), "a\u{FFFD}b\u{FFFD}");
    }

    #[test]
    fn xml_text_keeps_line_breaks_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            xml_text("a<b>&\"c\"\n\td\r\u{1b}[0m"),
            "a&lt;b&gt;&amp;\"c\"\n\td&#13;\u{FFFD}[0m"
        );
    }

    #[test]
    fn html_escapes_markup_quotes_and_newlines() {
        assert_eq!(
            html("a<b>&\"c\"'d'\ne"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;&#10;e"
        );
        assert_eq!(html("tab\there"), "tab\there");
    }

    #[test]
    fn a_markdown_cell_cannot_end_the_cell_or_the_row() {
        assert_eq!(markdown_cell("A | B"), "A \\| B");
        assert_eq!(markdown_cell("@SUM(A1) a@b"), "\\@SUM(A1) a\\@b");
        assert_eq!(
            markdown_cell("<b>x</b> & y\r\nz"),
            "&lt;b&gt;x&lt;/b&gt; &amp; y<br>z"
        );
        assert_eq!(
            markdown_cell("*a* _b_ `c` [d](e) ~~f~~ ![g] \\"),
            "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\~\\~f\\~\\~ \\!\\[g\\] \\\\"
        );
        assert_eq!(
            markdown_cell("Outbound Preview Agent"),
            "Outbound Preview Agent"
        );
    }
}
