//! The authorization matrix: every role x channel x action x stage decision, and its exports.
//!
//! The CSV form is an interface contract (the README's "Matrix columns"): QA tools parse its header and values, so
//! they change only with the spec.

use serde::Serialize;

use crate::output::escape;
use crate::policy::{Action, Cell, Channel, Denial, DenialKind, Facts, Stage, authorize, cell};
use crate::policy::{PrivilegeSet, ProductVersion};
use crate::world::roles::RoleBook;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Decision {
    #[serde(rename = "allowed")]
    Allowed,
    #[serde(rename = "denied")]
    Denied,
    #[serde(rename = "n/a")]
    NotAvailable,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Allowed, Decision::Denied, Decision::NotAvailable];

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
                kind: DenialKind::Stage { .. } | DenialKind::NotInVersion { .. },
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

/// Every (channel, action, stage) cell of the matrix at the newest product version, in
/// contract order.
pub fn cells() -> impl Iterator<Item = (Channel, Action, Stage)> {
    cells_in(ProductVersion::NEWEST)
}

/// The cells of the matrix of a roles file of product version `v`: an action that does not
/// exist in that version has none.
pub fn cells_in(v: ProductVersion) -> impl Iterator<Item = (Channel, Action, Stage)> {
    Channel::ALL.iter().flat_map(move |&channel| {
        channel.actions_in(v).flat_map(move |action| {
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

/// The full matrix for every role of the book, role by role in file order, at the book's
/// product version.
pub fn build(book: &RoleBook) -> Vec<MatrixRow> {
    let cells: Vec<_> = cells_in(book.product_version()).collect();
    let mut rows = Vec::with_capacity(book.roles.len() * cells.len());
    for (i, role) in book.roles.iter().enumerate() {
        rows.extend(cells.iter().map(|&(c, a, s)| MatrixRow {
            role: i,
            ..decide(role.granted, c, a, s)
        }));
    }
    rows
}

/// The stages that have matrix rows, in contract order: the pull pseudo-stage, then the five
/// interaction stages (nothing is possible on a closed interaction, so it has no rows).
pub const STAGES: [Stage; 6] = [
    Stage::Campaign,
    Stage::Offered,
    Stage::Preview,
    Stage::Dialing,
    Stage::Connected,
    Stage::AfterCall,
];

/// Why a cell has its decision, in words, from the same [`authorize`] call the matrix makes:
/// the denial's full explanation, or for an allowed cell what it requires.
pub fn explain_cell(
    granted: PrivilegeSet,
    channel: Channel,
    action: Action,
    stage: Stage,
) -> String {
    match authorize(granted, channel, action, stage, &Facts::default()) {
        Err(denial) => denial.explain(),
        Ok(()) => {
            let needs = match cell(channel, action, stage) {
                Cell::Needs(set) if !set.is_empty() => set.names().join(", "),
                _ => "no privilege".to_string(),
            };
            format!(
                "{} ({channel}, {stage}) allowed: requires {needs}, all effective",
                action.label()
            )
        }
    }
}

/// [`explain_cell`] for a row of [`build`], with the grant of the row's role in `book`.
pub fn explain_row(book: &RoleBook, row: &MatrixRow) -> String {
    let granted = book
        .roles
        .get(row.role)
        .map_or(PrivilegeSet::EMPTY, |r| r.granted);
    explain_cell(granted, row.channel, row.action, row.stage)
}

/// A selection of matrix rows; `None` and an empty text match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Index of the role in the book.
    pub role: Option<usize>,
    pub channel: Option<Channel>,
    pub action: Option<Action>,
    pub stage: Option<Stage>,
    pub decision: Option<Decision>,
    /// Case-insensitive part of the name of a missing privilege.
    pub missing: String,
}

impl Filter {
    pub fn matches(&self, row: &MatrixRow) -> bool {
        let needle = self.missing.trim().to_lowercase();
        self.role.is_none_or(|r| r == row.role)
            && self.channel.is_none_or(|c| c == row.channel)
            && self.action.is_none_or(|a| a == row.action)
            && self.stage.is_none_or(|s| s == row.stage)
            && self.decision.is_none_or(|d| d == row.decision)
            && (needle.is_empty()
                || row
                    .missing
                    .names()
                    .iter()
                    .any(|n| n.to_lowercase().contains(&needle)))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Markdown,
    /// A self-contained page: one table, inline CSS, no external resources.
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
                    escape::markdown_cell(&book.roles[r.role].name),
                    r.channel,
                    r.action,
                    r.stage,
                    r.decision.as_str(),
                    r.missing.names().join("; ")
                ));
            }
            out
        }
        Format::Html => render_html(book, rows),
    }
}

const HTML_HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>agentdesk authorization matrix</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #1f2328; }
h1 { font-size: 1.4em; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #c8ccd0; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef0f2; position: sticky; top: 0; }
td.allowed { background: #d5f0dc; color: #14532d; }
td.denied { background: #f9d6d2; color: #7f1d1d; font-weight: 600; }
td.na { background: #ececec; color: #6b6b6b; }
</style>
</head>
<body>
<h1>Authorization matrix</h1>
"#;

/// A self-contained HTML page of the rows: inline CSS, decision colours, and each decision's
/// explanation as its tooltip. Every piece of text is escaped (role names come from user files).
pub fn render_html(book: &RoleBook, rows: &[MatrixRow]) -> String {
    let count = |d: Decision| rows.iter().filter(|r| r.decision == d).count();
    let mut out = String::from(HTML_HEAD);
    out.push_str(&format!(
        "<p>{} rows: {} allowed, {} denied, {} n/a. Hover a decision for its reason.</p>\n",
        rows.len(),
        count(Decision::Allowed),
        count(Decision::Denied),
        count(Decision::NotAvailable)
    ));
    out.push_str("<table>\n<thead><tr><th>role</th><th>channel</th><th>action</th><th>stage</th><th>decision</th><th>missing</th></tr></thead>\n<tbody>\n");
    for r in rows {
        let role = book.roles.get(r.role).map_or("", |r| r.name.as_str());
        let class = match r.decision {
            Decision::Allowed => "allowed",
            Decision::Denied => "denied",
            Decision::NotAvailable => "na",
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"{class}\" title=\"{}\">{}</td><td>{}</td></tr>\n",
            escape::html(role),
            r.channel,
            r.action,
            r.stage,
            escape::html(&explain_row(book, r)),
            r.decision.as_str(),
            escape::html(&r.missing.names().join("; "))
        ));
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

/// The HTML escaping of the page, kept under its old name for callers of this module.
pub use crate::output::escape::html as html_escape;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Privilege;

    #[test]
    fn cell_count_matches_the_contract() {
        // web-callback 10 actions x 5, preview 1 + 13 x 5, push-preview 14 x 5.
        assert_eq!(cells().count(), 50 + 66 + 70);
        assert_eq!(cells().count(), 186);
        // Before 8.5.115.17 there is no dial-new-number: two actions x 5 stages fewer.
        let v = ProductVersion::parse("8.1.401.05").unwrap();
        assert_eq!(cells_in(v).count(), 176);
        assert!(cells_in(v).all(|(_, a, _)| a != Action::DialNewNumber));
    }

    #[test]
    fn an_8_1_roles_file_has_176_rows_a_role_and_no_dial_new_number() {
        let src =
            "product_version = \"8.1.401.05\"\n[[role]]\nname = \"A\"\n[[role]]\nname = \"B\"\n";
        let book = RoleBook::parse("t", src).unwrap().book;
        let rows = build(&book);
        assert_eq!(rows.len(), 2 * 176);
        assert!(rows.iter().all(|r| r.action != Action::DialNewNumber));
        let default_rows = build(&RoleBook::embedded_default());
        assert_eq!(
            default_rows.len(),
            RoleBook::embedded_default().roles.len() * 186
        );
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

    fn preview_agent() -> RoleBook {
        RoleBook::parse(
            "t",
            "[[role]]\nname = \"<Preview> & 'Co'\"\nprivileges = [\"Outbound - Can Use\", \"Outbound - Can Set Call Result\"]\n",
        )
        .unwrap()
        .book
    }

    #[test]
    fn explain_cell_gives_the_denial_or_what_an_allowed_cell_requires() {
        let granted = preview_agent().roles[0].granted;
        let denied = explain_cell(
            granted,
            Channel::Preview,
            Action::Reschedule,
            Stage::Preview,
        );
        let denial = authorize(
            granted,
            Channel::Preview,
            Action::Reschedule,
            Stage::Preview,
            &Facts::default(),
        )
        .unwrap_err();
        assert_eq!(denied, denial.explain());
        assert!(denied.contains("Outbound - Can Reschedule Before Call"));
        let allowed = explain_cell(granted, Channel::Preview, Action::Dial, Stage::Preview);
        assert_eq!(
            allowed,
            "Dial (preview, preview) allowed: requires Outbound - Can Use, all effective"
        );
        let na = explain_cell(granted, Channel::Preview, Action::HangUp, Stage::Preview);
        assert!(na.contains("does not exist in this stage"), "{na}");
    }

    #[test]
    fn filter_selects_by_every_field_and_missing_text() {
        let book = RoleBook::embedded_default();
        let rows = build(&book);
        assert_eq!(
            rows.iter().filter(|r| Filter::default().matches(r)).count(),
            rows.len()
        );
        let f = Filter {
            decision: Some(Decision::Denied),
            missing: "before call".into(),
            ..Filter::default()
        };
        let picked: Vec<_> = rows.iter().filter(|r| f.matches(r)).collect();
        assert!(!picked.is_empty());
        assert!(picked.iter().all(|r| {
            r.decision == Decision::Denied
                && r.missing.names().iter().any(|n| n.ends_with("Before Call"))
        }));
        // Every row the filter left out is either not denied or misses no Before Call.
        assert_eq!(
            rows.iter()
                .filter(|r| r.decision == Decision::Denied
                    && r.missing.names().iter().any(|n| n.ends_with("Before Call")))
                .count(),
            picked.len()
        );
        let f = Filter {
            role: Some(1),
            channel: Some(Channel::Preview),
            action: Some(Action::GetRecord),
            stage: Some(Stage::Campaign),
            ..Filter::default()
        };
        assert_eq!(rows.iter().filter(|r| f.matches(r)).count(), 1);
    }

    #[test]
    fn html_is_one_self_contained_escaped_table() {
        let book = preview_agent();
        let rows = build(&book);
        let html = render(&book, &rows, Format::Html);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert_eq!(html.matches("<table>").count(), 1);
        assert_eq!(html.matches("<tr>").count(), rows.len() + 1);
        assert!(html.contains("<td>&lt;Preview&gt; &amp; &#39;Co&#39;</td>"));
        assert!(!html.contains("<Preview>"));
        assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("src="));
        assert!(html.contains(
            "<td class=\"denied\" title=\"Reschedule (preview, preview) denied: missing"
        ));
        assert!(html.contains("<td class=\"na\""));
        assert!(html.contains("<td class=\"allowed\""));
    }

    #[test]
    fn html_escape_covers_markup_quotes_and_newlines() {
        assert_eq!(
            html_escape("a<b>&\"c\"'d'\ne"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;&#10;e"
        );
    }

    #[test]
    fn the_cli_prints_html_for_format_html() {
        use clap::Parser;
        let cli =
            crate::cli::Cli::try_parse_from(["agentdesk", "matrix", "--format", "html"]).unwrap();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let _ = crate::cli::run(cli, &mut out, &mut err);
        let book = RoleBook::embedded_default();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            render(&book, &build(&book), Format::Html)
        );
        assert!(err.is_empty());
    }
}
