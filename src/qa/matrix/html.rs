//! The HTML matrix report a QA lead sends around: one self-contained file (inline CSS and
//! script, no network), a header naming the roles file and versions, a legend, a per-role
//! summary, and the decisions with their reasons as a printable column. Scripts add filters,
//! a search box and sortable columns; without them it is a plain table whose not-applicable
//! rows a checkbox shows and hides.
//!
//! The page is a maud template, so every value is escaped once, by the template, and the
//! markup is checked at compile time. maud renders into a `String`, so the page is not
//! rendered whole: the skeleton (header, legend, per-role summary, filters, the table's head)
//! is one template with a marker where the rows go; it is written up to the marker, then the
//! rows are rendered one by one into a buffer flushed every [`FLUSH_AT`] bytes, then the rest.
//! Memory is the skeleton (one summary line per role) plus one buffer, whatever the rows.

use std::io::{self, Write};

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::export::{COLUMNS, ReportInfo};
use super::{Decision, MatrixRow, STAGES, reason};
use crate::policy::{Action, Channel};
use crate::world::roles::RoleBook;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Where the rows go in the skeleton. Values are escaped (no `<` can come from them) and the
/// inlined CSS and script do not contain it (a unit test checks), so the first one is ours.
const ROWS_MARKER: &str = "<!--agentdesk:rows-->";

/// Rendered rows are written out once the buffer holds this many bytes.
const FLUSH_AT: usize = 64 * 1024;

/// Writes the report page.
pub(super) fn write(
    out: &mut dyn Write,
    book: &RoleBook,
    rows: impl Iterator<Item = MatrixRow> + Clone,
    info: &ReportInfo,
) -> io::Result<()> {
    let (lines, all) = summary_lines(rows.clone());
    let skeleton = page(book, info, &lines, all).into_string();
    let (before, after) = skeleton
        .split_once(ROWS_MARKER)
        .ok_or_else(|| io::Error::other("the report template lost its rows marker"))?;
    out.write_all(before.as_bytes())?;
    let mut buffer = String::with_capacity(FLUSH_AT + 4096);
    for r in rows {
        buffer.push_str(&row(book, &r).into_string());
        buffer.push('\n');
        if buffer.len() >= FLUSH_AT {
            out.write_all(buffer.as_bytes())?;
            buffer.clear();
        }
    }
    out.write_all(buffer.as_bytes())?;
    out.write_all(after.as_bytes())?;
    out.write_all(b"\n")
}

/// The whole page but the rows, which go where [`ROWS_MARKER`] is.
fn page(
    book: &RoleBook,
    info: &ReportInfo,
    lines: &[(usize, [usize; 3])],
    all: [usize; 3],
) -> Markup {
    let total: usize = all.iter().sum();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Authorization matrix: " (info.roles_file) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (header(info))
                // The page's one `main` landmark: everything after the header (axe's
                // "landmark-one-main").
                main {
                    (legend())
                    (summary(book, lines, all))
                    section class="matrix" aria-labelledby="matrix-title" {
                        h2 id="matrix-title" { "Decisions" }
                        (filters())
                        input type="checkbox" id="show-na";
                        " "
                        label for="show-na" { "Show not-applicable rows" }
                        p id="count" {
                            (total) " rows; not-applicable rows are hidden until the box above is ticked."
                        }
                        table id="matrix" {
                            thead { tr { @for c in COLUMNS { th scope="col" { (c) } } } }
                            tbody { (PreEscaped(ROWS_MARKER)) }
                        }
                    }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

fn header(info: &ReportInfo) -> Markup {
    html! {
        header {
            h1 { "Authorization matrix" }
            dl class="meta" {
                dt { "Roles file" } dd id="roles-file" { (info.roles_file) }
                dt { "Product version" } dd id="product-version" { (info.product_version) }
                dt { "agentdesk version" } dd id="agentdesk-version" { (info.agentdesk_version) }
                dt { "Generated" }
                dd { time id="generated" datetime=(info.generated) { (info.generated) } }
                @if let Some(scope) = &info.scope {
                    dt { "Rows" } dd id="scope" { (scope) }
                }
            }
        }
    }
}

fn legend() -> Markup {
    html! {
        section class="legend" aria-labelledby="legend-title" {
            h2 id="legend-title" { "Legend" }
            ul {
                li {
                    span class="badge allowed" { "allowed" }
                    " the role's privileges allow the action in that stage."
                }
                li {
                    span class="badge denied" { "denied" }
                    " privileges are missing: " em { "missing" } " names what must still be \
                    granted, and " em { "reason" } " says why, with each unmet dependency \
                    (documented or implied) and any privilege granted but inactive."
                }
                li {
                    span class="badge not-applicable" { "not-applicable" }
                    " the action does not exist in that stage, whatever the role (hidden unless \
                    shown below)."
                }
            }
            p {
                "Only privileges and stages decide these cells. The desktop can also refuse an \
                action for one interaction (a number on the Do Not Call list or outside its \
                calling window, a read-only field); those refusals are not part of the matrix."
            }
        }
    }
}

/// The per-role counts; rows come role by role, so each run of one role is one line.
/// Returns the lines (role index, counts by decision) and the totals.
fn summary_lines(rows: impl Iterator<Item = MatrixRow>) -> (Vec<(usize, [usize; 3])>, [usize; 3]) {
    let mut all = [0usize; 3];
    let mut lines: Vec<(usize, [usize; 3])> = Vec::new();
    for r in rows {
        let i = decision_index(r.decision);
        all[i] += 1;
        match lines.last_mut() {
            Some((role, counts)) if *role == r.role => counts[i] += 1,
            _ => {
                let mut counts = [0; 3];
                counts[i] = 1;
                lines.push((r.role, counts));
            }
        }
    }
    (lines, all)
}

fn summary(book: &RoleBook, lines: &[(usize, [usize; 3])], all: [usize; 3]) -> Markup {
    html! {
        section class="summary" aria-labelledby="summary-title" {
            h2 id="summary-title" { "Summary by role" }
            table id="summary" {
                thead { tr { th { "role" } th { "allowed" } th { "denied" } th { "not-applicable" } } }
                tbody {
                    @for (role, c) in lines {
                        tr {
                            td { (book.roles.get(*role).map_or("", |r| r.name.as_str())) }
                            @for n in c { td class="num" { (n) } }
                        }
                    }
                }
                tfoot { tr { th { "all roles" } @for n in all { td class="num" { (n) } } } }
            }
        }
    }
}

fn decision_index(d: Decision) -> usize {
    Decision::ALL.iter().position(|&x| x == d).unwrap_or(0)
}

fn options(id: &str, label: &str, values: &[&str]) -> Markup {
    html! {
        label {
            (label) " "
            select id=(id) {
                option value="" { "all" }
                @for v in values { option value=(v) { (v) } }
            }
        }
    }
}

/// The filter bar: hidden until the script shows it, since it needs the script to work.
fn filters() -> Markup {
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    let actions: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
    let stages: Vec<&str> = STAGES.iter().map(|s| s.as_str()).collect();
    let decisions: Vec<&str> = Decision::ALL.iter().map(|d| d.as_str()).collect();
    html! {
        form id="filters" class="filters" hidden {
            (options("f-role", "Role", &[]))
            (options("f-channel", "Channel", &channels))
            (options("f-action", "Action", &actions))
            (options("f-stage", "Stage", &stages))
            (options("f-decision", "Decision", &decisions))
            label {
                "Search "
                input type="search" id="f-search" placeholder="any text, e.g. before call";
            }
            button type="reset" { "Clear filters" }
        }
    }
}

/// One matrix row. Sort keys (`data-k`) follow the contract's order of channels, actions and
/// stages, not the alphabet's.
fn row(book: &RoleBook, r: &MatrixRow) -> Markup {
    fn key<T: PartialEq>(list: &[T], x: &T) -> usize {
        list.iter().position(|v| v == x).unwrap_or(0)
    }
    let role = book.roles.get(r.role).map_or("", |x| x.name.as_str());
    let decision = r.decision.as_str();
    html! {
        tr class=(decision) {
            td { (role) }
            td data-k=(key(Channel::ALL, &r.channel)) { (r.channel.as_str()) }
            td data-k=(key(Action::ALL, &r.action)) { (r.action.as_str()) }
            td data-k=(key(&STAGES, &r.stage)) { (r.stage.as_str()) }
            td class="decision" data-k=(decision_index(r.decision)) { (decision) }
            td { (r.missing.names().join("; ")) }
            td class="reason" { (reason(book, r)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::matrix::{Format, build, render};

    fn info() -> ReportInfo {
        ReportInfo {
            roles_file: "<floor> & co.toml".into(),
            product_version: "8.5.115.17".into(),
            agentdesk_version: "0.1.0",
            generated: "2026-11-23T08:30:00-05:00".into(),
            scope: None,
        }
    }

    #[test]
    fn the_report_is_self_contained_escaped_and_complete() {
        let book = RoleBook::parse(
            "t",
            "[[role]]\nname = \"<Preview> & 'Co'\"\nprivileges = [\"Outbound - Can Use\"]\n\n[[role]]\nname = \"Second\"\n",
        )
        .unwrap()
        .book;
        let rows = build(&book);
        let html = render(&book, &rows, Format::Html, &info());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("src="));
        assert!(!html.contains("<Preview>"));
        // maud escapes `&`, `<`, `>` and `"`; a quote is plain text in an element.
        assert!(html.contains("<td>&lt;Preview&gt; &amp; 'Co'</td>"));
        assert!(html.contains("<dd id=\"roles-file\">&lt;floor&gt; &amp; co.toml</dd>"));
        assert!(html.contains("<dd id=\"product-version\">8.5.115.17</dd>"));
        assert!(html.contains("datetime=\"2026-11-23T08:30:00-05:00\""));
        // One matrix row per cell, each with its reason as a visible column.
        assert_eq!(html.matches("<tr class=\"").count(), rows.len());
        let denied = rows
            .iter()
            .filter(|r| r.decision == Decision::Denied)
            .count();
        assert_eq!(html.matches("<tr class=\"denied\">").count(), denied);
        assert!(html.contains("<td class=\"reason\">missing Outbound - Can Reschedule, because Outbound - Can Reschedule Before Call requires Outbound - Can Reschedule (documented dependency); missing Outbound - Can Reschedule Before Call</td>"));
        // The summary: one line per role, with its counts, and the totals.
        let count = |role: usize, d: Decision| {
            rows.iter()
                .filter(|r| r.role == role && r.decision == d)
                .count()
        };
        assert!(html.contains(&format!(
            "<tr><td>Second</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            count(1, Decision::Allowed),
            count(1, Decision::Denied),
            count(1, Decision::NotApplicable)
        )));
        assert!(html.contains("<tfoot><tr><th>all roles</th>"));
        assert!(html.contains("<input type=\"checkbox\" id=\"show-na\">"));
        assert!(html.contains("<form id=\"filters\" class=\"filters\" hidden>"));
        assert!(html.trim_end().ends_with("</html>"));
        assert_eq!(html.matches("<main>").count(), 1);
        assert!(html.contains("</section></main><script>"));
    }

    #[test]
    fn a_hostile_role_name_is_escaped_exactly_once() {
        let name = "<script>alert(1)</script>\"&'";
        let book = RoleBook::parse("t", &format!("[[role]]\nname = {name:?}\n"))
            .unwrap()
            .book;
        let rows = build(&book);
        let info = ReportInfo {
            roles_file: name.into(),
            scope: Some(name.into()),
            ..info()
        };
        let html = render(&book, &rows, Format::Html, &info);
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;'";
        assert!(!html.contains(name));
        assert!(!html.contains("alert(1)</script>"));
        // No double escaping anywhere.
        assert!(!html.contains("&amp;lt;") && !html.contains("&amp;quot;"));
        // In the summary exactly once, in every matrix row, and in the header fields.
        assert_eq!(
            html.matches(&format!("<tr><td>{escaped}</td><td class=\"num\">"))
                .count(),
            1
        );
        assert_eq!(
            html.matches(&format!("<td>{escaped}</td><td data-k="))
                .count(),
            rows.len()
        );
        assert!(html.contains(&format!("<dd id=\"roles-file\">{escaped}</dd>")));
        assert!(html.contains(&format!("<dd id=\"scope\">{escaped}</dd>")));
        assert!(html.contains(&format!("<title>Authorization matrix: {escaped}</title>")));
        // The inlined script is the only `<script>` element.
        assert_eq!(html.matches("<script>").count(), 1);
    }

    #[test]
    fn the_rows_marker_is_not_in_the_inlined_files() {
        assert!(!STYLE.contains(ROWS_MARKER) && !SCRIPT.contains(ROWS_MARKER));
    }

    #[test]
    fn rows_are_streamed_in_chunks() {
        // A writer that records the size of each write: no write holds the whole table.
        struct Sizes(Vec<usize>);
        impl Write for Sizes {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                self.0.push(buf.len());
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let roles: String = (0..40)
            .map(|i| format!("[[role]]\nname = \"Role {i}\"\n\n"))
            .collect();
        let book = RoleBook::parse("t", &roles).unwrap().book;
        let rows = build(&book);
        let mut sizes = Sizes(Vec::new());
        write(&mut sizes, &book, rows.iter().cloned(), &info()).unwrap();
        let total: usize = sizes.0.iter().sum();
        assert!(total > 4 * FLUSH_AT, "the page is {total} bytes");
        let largest = sizes.0.iter().max().copied().unwrap_or(0);
        assert!(largest < 2 * FLUSH_AT, "a write of {largest} bytes");
    }
}
