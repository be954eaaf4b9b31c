//! The authorization matrix: every role x channel x action x stage decision, and its exports.
//!
//! The CSV form is an interface contract (SPEC §5): QA tools parse its header and values, so
//! they change only with the spec.

use serde::Serialize;

use crate::authorization::{Action, Channel, Denial, DenialKind, Facts, Stage, authorize};
use crate::privilege::PrivilegeSet;
use crate::roles::RoleBook;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Decision {
    #[serde(rename = "allowed")]
    Allowed,
    #[serde(rename = "denied")]
    Denied,
    #[serde(rename = "n/a")]
    NotAvailable,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::Denied => "denied",
            Decision::NotAvailable => "n/a",
        }
    }

    /// The matrix decision for an authorization result with no world facts.
    pub fn of(result: &Result<(), Denial>) -> Decision {
        match result {
            Ok(()) => Decision::Allowed,
            Err(Denial {
                kind: DenialKind::Stage { .. },
                ..
            }) => Decision::NotAvailable,
            Err(_) => Decision::Denied,
        }
    }
}

/// One cell of the matrix, for one role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    pub role: usize,
    pub channel: Channel,
    pub action: Action,
    pub stage: Stage,
    pub decision: Decision,
    pub missing: PrivilegeSet,
}

/// Every (channel, action, stage) cell of the matrix, in contract order.
pub fn cells() -> impl Iterator<Item = (Channel, Action, Stage)> {
    Channel::ALL.iter().flat_map(|&channel| {
        channel.actions().iter().flat_map(move |&action| {
            action
                .matrix_stages()
                .iter()
                .map(move |&stage| (channel, action, stage))
        })
    })
}

/// The decision of one grant in one cell.
pub fn decide(granted: PrivilegeSet, channel: Channel, action: Action, stage: Stage) -> MatrixRow {
    let result = authorize(granted, channel, action, stage, &Facts::default());
    let missing = match &result {
        Err(d) => d.missing,
        Ok(()) => PrivilegeSet::EMPTY,
    };
    MatrixRow {
        role: 0,
        channel,
        action,
        stage,
        decision: Decision::of(&result),
        missing,
    }
}

/// The full matrix for every role of the book, role by role in file order.
pub fn build(book: &RoleBook) -> Vec<MatrixRow> {
    let cells: Vec<_> = cells().collect();
    let mut rows = Vec::with_capacity(book.roles.len() * cells.len());
    for (i, role) in book.roles.iter().enumerate() {
        rows.extend(cells.iter().map(|&(c, a, s)| MatrixRow {
            role: i,
            ..decide(role.granted, c, a, s)
        }));
    }
    rows
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Markdown,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    role: &'a str,
    channel: &'static str,
    action: &'static str,
    stage: &'static str,
    decision: Decision,
    missing: Vec<&'static str>,
}

/// Renders rows in one of the export formats.
pub fn render(book: &RoleBook, rows: &[MatrixRow], format: Format) -> String {
    match format {
        Format::Csv => to_csv(book, rows),
        Format::Json => {
            let json: Vec<JsonRow> = rows
                .iter()
                .map(|r| JsonRow {
                    role: &book.roles[r.role].name,
                    channel: r.channel.as_str(),
                    action: r.action.as_str(),
                    stage: r.stage.as_str(),
                    decision: r.decision,
                    missing: r.missing.names(),
                })
                .collect();
            let mut out = serde_json::to_string_pretty(&json).unwrap_or_else(|e| e.to_string());
            out.push('\n');
            out
        }
        Format::Markdown => {
            let mut out = String::from(
                "| role | channel | action | stage | decision | missing |\n|---|---|---|---|---|---|\n",
            );
            for r in rows {
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} |\n",
                    md_escape(&book.roles[r.role].name),
                    r.channel,
                    r.action,
                    r.stage,
                    r.decision.as_str(),
                    r.missing.names().join("; ")
                ));
            }
            out
        }
    }
}

fn to_csv(book: &RoleBook, rows: &[MatrixRow]) -> String {
    let writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let write = |mut writer: csv::Writer<Vec<u8>>| -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        writer.write_record(["role", "channel", "action", "stage", "decision", "missing"])?;
        for r in rows {
            writer.write_record([
                book.roles[r.role].name.as_str(),
                r.channel.as_str(),
                r.action.as_str(),
                r.stage.as_str(),
                r.decision.as_str(),
                &r.missing.names().join(";"),
            ])?;
        }
        Ok(writer.into_inner().map_err(|e| e.to_string())?)
    };
    match write(writer) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => format!("error writing CSV: {e}\n"),
    }
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privilege::Privilege;

    #[test]
    fn cell_count_matches_the_contract() {
        // web-callback 10 actions x 5, preview 1 + 12 x 5, push-preview 13 x 5.
        assert_eq!(cells().count(), 50 + 61 + 65);
    }

    #[test]
    fn csv_header_and_spec_example_row() {
        let book = RoleBook::parse(
            "t",
            "[[role]]\nname = \"Outbound Preview Agent\"\nprivileges = [\"Outbound - Can Use\", \"Outbound - Can Set Call Result\"]\n",
        )
        .unwrap()
        .book;
        let csv = render(&book, &build(&book), Format::Csv);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("role,channel,action,stage,decision,missing")
        );
        assert!(csv.contains(
            "Outbound Preview Agent,preview,reschedule,preview,denied,Outbound - Can Reschedule;Outbound - Can Reschedule Before Call\n"
        ));
        assert!(csv.contains("Outbound Preview Agent,preview,get-record,campaign,allowed,\n"));
        assert!(!csv.contains("Outbound Preview Agent,preview,accept,offered,n/a,\n"));
        assert!(csv.contains("Outbound Preview Agent,push-preview,accept,offered,denied,Outbound - Can Use Push Preview\n"));
        assert!(csv.contains("Outbound Preview Agent,web-callback,hang-up,preview,n/a,\n"));
    }

    #[test]
    fn names_with_commas_and_quotes_are_quoted() {
        let book = RoleBook::parse("t", "[[role]]\nname = 'A, \"B\"'\n")
            .unwrap()
            .book;
        let csv = render(&book, &build(&book), Format::Csv);
        assert!(
            csv.lines()
                .nth(1)
                .unwrap()
                .starts_with("\"A, \"\"B\"\"\",web-callback,accept")
        );
    }

    #[test]
    fn json_and_markdown_carry_the_same_rows() {
        let book = RoleBook::embedded_default();
        let rows = build(&book);
        let json: Vec<serde_json::Value> =
            serde_json::from_str(&render(&book, &rows, Format::Json)).unwrap();
        assert_eq!(json.len(), rows.len());
        let md = render(&book, &rows, Format::Markdown);
        assert_eq!(md.lines().count(), rows.len() + 2);
        let supervisor_denied = rows
            .iter()
            .filter(|r| r.role == 0 && r.decision == Decision::Denied)
            .count();
        assert_eq!(supervisor_denied, 0);
        assert_eq!(book.roles[0].granted.len(), Privilege::COUNT);
    }
}
