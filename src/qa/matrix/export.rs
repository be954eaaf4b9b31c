//! The matrix in CSV, JSON and Markdown, written row by row as the rows are computed, and the
//! dispatch to the HTML report. Memory stays bounded by one row whatever the number of roles.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{MatrixRow, html, reason};
use crate::output::escape;
use crate::world::roles::RoleBook;

/// The columns of every tabular format, in order.
pub const COLUMNS: [&str; 7] = [
    "role", "channel", "action", "stage", "decision", "missing", "reason",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Markdown,
    /// A self-contained report page: filters, search, sorting, a per-role summary.
    Html,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Csv, Format::Json, Format::Markdown, Format::Html];

    /// The usual file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Json => "JSON",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
        }
    }
}

/// What an export says about itself: the JSON metadata and the HTML report's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportInfo {
    /// The roles file's path as given, or `embedded` for the built-in defaults.
    pub roles_file: String,
    pub product_version: String,
    pub agentdesk_version: &'static str,
    /// When the export was made: ISO 8601 with the machine's UTC offset (HTML header only, so
    /// the other formats stay byte-for-byte reproducible).
    pub generated: String,
    /// Which rows the file holds when not every row: the filter and the rows left out
    /// (the desktop's filtered export). Written by JSON, HTML and Markdown when set.
    pub scope: Option<String>,
}

impl ReportInfo {
    /// The information of an export made now of `book`, read from `roles_file` (`None`: the
    /// embedded roles).
    pub fn new(book: &RoleBook, roles_file: Option<&Path>) -> ReportInfo {
        ReportInfo {
            roles_file: roles_file
                .map_or_else(|| "embedded".to_string(), |p| p.display().to_string()),
            product_version: book.product_version().to_string(),
            agentdesk_version: env!("CARGO_PKG_VERSION"),
            // UTC: the local zone would be read from TZ, which may name a FIFO or a device.
            generated: chrono::Utc::now()
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
            scope: None,
        }
    }
}

/// Writes `rows` of `book` in `format`, each row as it comes. `rows` is cloned, not collected,
/// where a format needs two passes (the HTML report's per-role summary), so it should be
/// cheap to clone: [`super::rows`] or an iterator over rows kept elsewhere.
pub fn write(
    out: &mut dyn Write,
    book: &RoleBook,
    rows: impl Iterator<Item = MatrixRow> + Clone,
    format: Format,
    info: &ReportInfo,
) -> io::Result<()> {
    match format {
        Format::Csv => write_csv(out, book, rows),
        Format::Json => write_json(out, book, rows, info),
        Format::Markdown => {
            if let Some(scope) = &info.scope {
                writeln!(out, "Roles file: {}. Rows: {scope}.\n", info.roles_file)?;
            }
            write_markdown(out, book, rows)
        }
        Format::Html => html::write(out, book, rows, info),
    }
}

/// [`write`] into a string, for rows already in memory (the desktop's export, tests).
pub fn render(book: &RoleBook, rows: &[MatrixRow], format: Format, info: &ReportInfo) -> String {
    let mut out = Vec::new();
    match write(&mut out, book, rows.iter().cloned(), format, info) {
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        Err(e) => format!("error writing the matrix: {e}\n"),
    }
}

fn role_name<'b>(book: &'b RoleBook, row: &MatrixRow) -> &'b str {
    book.roles.get(row.role).map_or("", |r| r.name.as_str())
}

fn write_csv(
    out: &mut dyn Write,
    book: &RoleBook,
    rows: impl Iterator<Item = MatrixRow>,
) -> io::Result<()> {
    let mut writer = escape::csv_writer(out);
    writer.write_record(COLUMNS)?;
    for r in rows {
        let missing = r.missing.names().join(";");
        let reason = reason(book, &r);
        writer.write_record([
            escape::spreadsheet_safe(role_name(book, &r)).as_ref(),
            r.channel.as_str(),
            r.action.as_str(),
            r.stage.as_str(),
            r.decision.as_str(),
            escape::spreadsheet_safe(&missing).as_ref(),
            escape::spreadsheet_safe(&reason).as_ref(),
        ])?;
    }
    writer.flush()
}

#[derive(Serialize)]
struct JsonRow<'a> {
    role: &'a str,
    channel: &'static str,
    action: &'static str,
    stage: &'static str,
    decision: &'static str,
    missing: Vec<&'static str>,
    reason: String,
}

/// One object: the metadata, then `rows`, one row object a line.
fn write_json(
    out: &mut dyn Write,
    book: &RoleBook,
    rows: impl Iterator<Item = MatrixRow>,
    info: &ReportInfo,
) -> io::Result<()> {
    let string = |s: &str| serde_json::to_string(s).map_err(io::Error::other);
    writeln!(out, "{{")?;
    writeln!(
        out,
        "  \"agentdesk_version\": {},",
        string(info.agentdesk_version)?
    )?;
    writeln!(
        out,
        "  \"product_version\": {},",
        string(&info.product_version)?
    )?;
    writeln!(out, "  \"roles_file\": {},", string(&info.roles_file)?)?;
    if let Some(scope) = &info.scope {
        writeln!(out, "  \"scope\": {},", string(scope)?)?;
    }
    write!(out, "  \"rows\": [")?;
    for (i, r) in rows.enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        let row = JsonRow {
            role: role_name(book, &r),
            channel: r.channel.as_str(),
            action: r.action.as_str(),
            stage: r.stage.as_str(),
            decision: r.decision.as_str(),
            missing: r.missing.names(),
            reason: reason(book, &r),
        };
        serde_json::to_writer(&mut *out, &row).map_err(io::Error::other)?;
    }
    writeln!(out, "\n  ]\n}}")
}

fn write_markdown(
    out: &mut dyn Write,
    book: &RoleBook,
    rows: impl Iterator<Item = MatrixRow>,
) -> io::Result<()> {
    writeln!(out, "| {} |", COLUMNS.join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(COLUMNS.len()))?;
    for r in rows {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            escape::markdown_cell(role_name(book, &r)),
            r.channel,
            r.action,
            r.stage,
            r.decision.as_str(),
            escape::markdown_cell(&r.missing.names().join("; ")),
            escape::markdown_cell(&reason(book, &r)),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::matrix::{build, cells, rows};

    fn book(toml: &str) -> RoleBook {
        RoleBook::parse("t", toml).unwrap().book
    }

    fn info() -> ReportInfo {
        ReportInfo {
            roles_file: "roles/floor.toml".into(),
            product_version: "8.5.115.17".into(),
            agentdesk_version: "0.1.0",
            generated: "2026-11-23T08:30:00-05:00".into(),
            scope: None,
        }
    }

    fn preview_agent() -> RoleBook {
        book(
            "[[role]]\nname = \"Outbound Preview Agent\"\nprivileges = [\"Outbound - Can Use\", \"Outbound - Can Set Call Result\"]\n",
        )
    }

    #[test]
    fn csv_has_the_v2_header_and_the_spec_example_rows() {
        let book = preview_agent();
        let csv = render(&book, &build(&book), Format::Csv, &info());
        assert_eq!(
            csv.lines().next(),
            Some("role,channel,action,stage,decision,missing,reason")
        );
        assert!(csv.contains(
            "Outbound Preview Agent,preview,reschedule,preview,denied,Outbound - Can Reschedule;Outbound - Can Reschedule Before Call,\"missing Outbound - Can Reschedule, because Outbound - Can Reschedule Before Call requires Outbound - Can Reschedule (documented dependency); missing Outbound - Can Reschedule Before Call\"\n"
        ), "{csv}");
        assert!(csv.contains("Outbound Preview Agent,preview,get-record,campaign,allowed,,\n"));
        assert!(csv.contains(
            "Outbound Preview Agent,web-callback,hang-up,preview,not-applicable,,Hang Up is not possible before you call; it exists only during the call\n"
        ));
        assert!(!csv.contains("n/a"));
        assert_eq!(csv.lines().count(), cells().count() + 1);
    }

    #[test]
    fn csv_quotes_per_rfc_4180_and_defuses_formulas() {
        let book = book(
            "[[role]]\nname = 'A, \"B\"'\n\n[[role]]\nname = '=HYPERLINK(\"http://x\",\"y\")'\n\n[[role]]\nname = '-1+2'\n",
        );
        let csv = render(&book, &build(&book), Format::Csv, &info());
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let roles: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect();
        assert!(roles.contains(&"A, \"B\"".to_string()));
        assert!(roles.contains(&"'=HYPERLINK(\"http://x\",\"y\")".to_string()));
        assert!(roles.contains(&"'-1+2".to_string()));
        assert!(
            !roles
                .iter()
                .any(|r| r.starts_with('=') || r.starts_with('-'))
        );
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("\"A, \"\"B\"\"\",web-callback,accept")
        );
    }

    #[test]
    fn json_is_one_object_with_metadata_and_the_exact_names() {
        let book = book("[[role]]\nname = '=1+1'\nprivileges = [\"Outbound - Can Use\"]\n");
        let rows = build(&book);
        let v: serde_json::Value =
            serde_json::from_str(&render(&book, &rows, Format::Json, &info())).unwrap();
        assert_eq!(v["agentdesk_version"], "0.1.0");
        assert_eq!(v["product_version"], "8.5.115.17");
        assert_eq!(v["roles_file"], "roles/floor.toml");
        let json_rows = v["rows"].as_array().unwrap();
        assert_eq!(json_rows.len(), rows.len());
        assert_eq!(json_rows[0]["role"], "=1+1", "JSON keeps the exact text");
        for (j, r) in json_rows.iter().zip(&rows) {
            assert_eq!(j["decision"], r.decision.as_str());
            assert_eq!(j["missing"], serde_json::json!(r.missing.names()));
            assert_eq!(j["reason"], reason(&book, r));
        }
        let empty = render(&book, &[], Format::Json, &info());
        let v: serde_json::Value = serde_json::from_str(&empty).unwrap();
        assert_eq!(v["rows"], serde_json::json!([]));
    }

    #[test]
    fn markdown_cells_cannot_break_a_row_or_inject_markup() {
        let book = book(
            "[[role]]\nname = \"Night | shift\\n<script>x</script> *bold* [link](http://x)\"\n",
        );
        let rows = build(&book);
        let md = render(&book, &rows, Format::Markdown, &info());
        let mut lines = md.lines();
        assert_eq!(
            lines.next(),
            Some("| role | channel | action | stage | decision | missing | reason |")
        );
        assert_eq!(lines.next(), Some("|---|---|---|---|---|---|---|"));
        assert_eq!(md.lines().count(), rows.len() + 2);
        let first = md.lines().nth(2).unwrap();
        assert!(
            first.starts_with(
                "| Night \\| shift<br>&lt;script&gt;x&lt;/script&gt; \\*bold\\* \\[link\\](http://x) | web-callback |"
            ),
            "{first}"
        );
        // Every row has exactly the 8 unescaped pipes of 7 cells.
        for line in md.lines() {
            let pipes = line.replace("\\|", "").matches('|').count();
            assert_eq!(pipes, 8, "{line}");
        }
    }

    #[test]
    fn every_format_streams_the_lazy_rows_like_the_collected_ones() {
        let book = RoleBook::embedded_default();
        for format in Format::ALL {
            let mut streamed = Vec::new();
            write(&mut streamed, &book, rows(&book), format, &info()).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                render(&book, &build(&book), format, &info()),
                "{format:?}"
            );
        }
    }
}
