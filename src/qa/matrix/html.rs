//! The HTML matrix report a QA lead sends around: one self-contained file (inline CSS and
//! script, no network), a header naming the roles file and versions, a legend, a per-role
//! summary, and the decisions with their reasons as a printable column. Scripts add filters,
//! a search box and sortable columns; without them it is a plain table whose not-applicable
//! rows a checkbox shows and hides.
//!
//! Rows are written as they come, in two passes over the same iterator (the summary, then the
//! table), so the page's size in memory is one row.

use std::io::{self, Write};

use super::export::{COLUMNS, ReportInfo};
use super::{Decision, MatrixRow, STAGES, reason};
use crate::output::escape::html as esc;
use crate::policy::{Action, Channel};
use crate::world::roles::RoleBook;

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// Writes the report page.
pub(super) fn write(
    out: &mut dyn Write,
    book: &RoleBook,
    rows: impl Iterator<Item = MatrixRow> + Clone,
    info: &ReportInfo,
) -> io::Result<()> {
    header(out, info)?;
    // The page's one `main` landmark: everything after the header (axe's "landmark-one-main").
    writeln!(out, "<main>")?;
    legend(out)?;
    let total = summary(out, book, rows.clone())?;
    filters(out)?;
    writeln!(
        out,
        "<input type=\"checkbox\" id=\"show-na\"> \
         <label for=\"show-na\">Show not-applicable rows</label>\n\
         <p id=\"count\">{total} rows; not-applicable rows are hidden until the box above is \
         ticked.</p>"
    )?;
    table(out, book, rows)?;
    writeln!(
        out,
        "</section>\n</main>\n<script>\n{SCRIPT}</script>\n</body>\n</html>"
    )
}

fn header(out: &mut dyn Write, info: &ReportInfo) -> io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Authorization matrix: {roles}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <header>\n<h1>Authorization matrix</h1>\n<dl class=\"meta\">\n\
         <dt>Roles file</dt><dd id=\"roles-file\">{roles}</dd>\n\
         <dt>Product version</dt><dd id=\"product-version\">{product}</dd>\n\
         <dt>agentdesk version</dt><dd id=\"agentdesk-version\">{agentdesk}</dd>\n\
         <dt>Generated</dt><dd><time id=\"generated\" datetime=\"{generated}\">{generated}</time></dd>\n\
         {scope}</dl>\n</header>",
        roles = esc(&info.roles_file),
        product = esc(&info.product_version),
        agentdesk = esc(info.agentdesk_version),
        generated = esc(&info.generated),
        scope = info.scope.as_deref().map_or(String::new(), |s| format!(
            "<dt>Rows</dt><dd id=\"scope\">{}</dd>\n",
            esc(s)
        )),
    )
}

fn legend(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<section class=\"legend\" aria-labelledby=\"legend-title\">\n\
         <h2 id=\"legend-title\">Legend</h2>\n<ul>\n\
         <li><span class=\"badge allowed\">allowed</span> the role's privileges allow the action \
         in that stage.</li>\n\
         <li><span class=\"badge denied\">denied</span> privileges are missing: <em>missing</em> \
         names what must still be granted, and <em>reason</em> says why, with each unmet \
         dependency (documented or implied) and any privilege granted but inactive.</li>\n\
         <li><span class=\"badge not-applicable\">not-applicable</span> the action does not \
         exist in that stage, whatever the role (hidden unless shown below).</li>\n\
         </ul>\n<p>Only privileges and stages decide these cells. The desktop can also refuse an \
         action for one interaction (a number on the Do Not Call list or outside its calling \
         window, a read-only field); those refusals are not part of the matrix.</p>\n</section>"
    )
}

/// The per-role summary; rows come role by role, so each run of one role is one line.
/// Returns the number of rows.
fn summary(
    out: &mut dyn Write,
    book: &RoleBook,
    rows: impl Iterator<Item = MatrixRow>,
) -> io::Result<usize> {
    writeln!(
        out,
        "<section class=\"summary\" aria-labelledby=\"summary-title\">\n\
         <h2 id=\"summary-title\">Summary by role</h2>\n<table id=\"summary\">\n\
         <thead><tr><th>role</th><th>allowed</th><th>denied</th><th>not-applicable</th></tr></thead>\n<tbody>"
    )?;
    let mut all = [0usize; 3];
    let mut current: Option<(usize, [usize; 3])> = None;
    let line = |out: &mut dyn Write, role: usize, c: [usize; 3]| {
        let name = book.roles.get(role).map_or("", |r| r.name.as_str());
        writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(name),
            c[0],
            c[1],
            c[2]
        )
    };
    for r in rows {
        let i = decision_index(r.decision);
        all[i] += 1;
        match &mut current {
            Some((role, counts)) if *role == r.role => counts[i] += 1,
            _ => {
                if let Some((role, counts)) = current.take() {
                    line(out, role, counts)?;
                }
                let mut counts = [0; 3];
                counts[i] = 1;
                current = Some((r.role, counts));
            }
        }
    }
    if let Some((role, counts)) = current {
        line(out, role, counts)?;
    }
    writeln!(
        out,
        "</tbody>\n<tfoot><tr><th>all roles</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr></tfoot>\n</table>\n</section>",
        all[0], all[1], all[2]
    )?;
    Ok(all.iter().sum())
}

fn decision_index(d: Decision) -> usize {
    Decision::ALL.iter().position(|&x| x == d).unwrap_or(0)
}

fn options(out: &mut dyn Write, id: &str, label: &str, values: &[&str]) -> io::Result<()> {
    write!(
        out,
        "<label>{label} <select id=\"{id}\"><option value=\"\">all</option>"
    )?;
    for v in values {
        write!(out, "<option value=\"{0}\">{0}</option>", esc(v))?;
    }
    writeln!(out, "</select></label>")
}

/// The filter bar: hidden until the script shows it, since it needs the script to work.
fn filters(out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "<section class=\"matrix\" aria-labelledby=\"matrix-title\">\n\
         <h2 id=\"matrix-title\">Decisions</h2>\n\
         <form id=\"filters\" class=\"filters\" hidden>"
    )?;
    options(out, "f-role", "Role", &[])?;
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    options(out, "f-channel", "Channel", &channels)?;
    let actions: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
    options(out, "f-action", "Action", &actions)?;
    let stages: Vec<&str> = STAGES.iter().map(|s| s.as_str()).collect();
    options(out, "f-stage", "Stage", &stages)?;
    let decisions: Vec<&str> = Decision::ALL.iter().map(|d| d.as_str()).collect();
    options(out, "f-decision", "Decision", &decisions)?;
    writeln!(
        out,
        "<label>Search <input type=\"search\" id=\"f-search\" \
         placeholder=\"any text, e.g. before call\"></label>\n\
         <button type=\"reset\">Clear filters</button>\n</form>"
    )
}

fn table(
    out: &mut dyn Write,
    book: &RoleBook,
    rows: impl Iterator<Item = MatrixRow>,
) -> io::Result<()> {
    write!(out, "<table id=\"matrix\">\n<thead><tr>")?;
    for c in COLUMNS {
        write!(out, "<th scope=\"col\">{c}</th>")?;
    }
    writeln!(out, "</tr></thead>\n<tbody>")?;
    // Sort keys: the contract's order of channels, actions and stages, not the alphabet's.
    fn key<T: PartialEq>(list: &[T], x: &T) -> usize {
        list.iter().position(|v| v == x).unwrap_or(0)
    }
    for r in rows {
        let role = book.roles.get(r.role).map_or("", |x| x.name.as_str());
        let decision = r.decision.as_str();
        writeln!(
            out,
            "<tr class=\"{decision}\"><td>{}</td><td data-k=\"{}\">{}</td><td data-k=\"{}\">{}</td>\
             <td data-k=\"{}\">{}</td><td class=\"decision\" data-k=\"{}\">{decision}</td>\
             <td>{}</td><td class=\"reason\">{}</td></tr>",
            esc(role),
            key(Channel::ALL, &r.channel),
            r.channel,
            key(Action::ALL, &r.action),
            r.action,
            key(&STAGES, &r.stage),
            r.stage,
            decision_index(r.decision),
            esc(&r.missing.names().join("; ")),
            esc(&reason(book, &r)),
        )?;
    }
    writeln!(out, "</tbody>\n</table>")
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
        assert!(html.contains("<td>&lt;Preview&gt; &amp; &#39;Co&#39;</td>"));
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
        assert!(html.contains("</section>\n</main>\n<script>"));
    }
}
