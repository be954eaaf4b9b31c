//! The QA windows through egui_kittest: the authorization matrix (filters, counts, hover
//! reasons, exports) and the audit log (filters, time range validation, exports).
//!
//! Expected values are computed here from `matrix::build` and the engine's audit log with plain
//! iterator filters, not with the filter types the windows use, so the two can disagree.

use crate::common::{app_for, app_with, harness};
use crate::common::{click_in, open_tool, pick, set_text};

use agentdesk::engine::{Args, Target};
use agentdesk::policy::{Action, Channel, Stage};
use agentdesk::qa::matrix::{self, Decision, Format, MatrixRow, ReportInfo};
use agentdesk::ui::{Desktop, DesktopApp, UiCommand};
use agentdesk::world::roles::RoleBook;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const PREVIEW_AGENT: &str = "Outbound Preview Agent";

fn has_label(h: &Harness<'_, DesktopApp>, text: &str) -> bool {
    h.query_by_label(text).is_some()
}

fn counts_line(rows: &[&MatrixRow], total: usize) -> String {
    let count = |d: Decision| rows.iter().filter(|r| r.decision == d).count();
    format!(
        "Showing {} of {total} rows: {} allowed, {} denied, {} not-applicable",
        rows.len(),
        count(Decision::Allowed),
        count(Decision::Denied),
        count(Decision::NotApplicable)
    )
}

const MATRIX: &str = "Authorization matrix";
const AUDIT: &str = "Audit log";

#[test]
fn matrix_filters_show_the_rows_matrix_build_gives() {
    let mut h = harness(app_for("Dana"));
    h.run();
    open_tool(&mut h, MATRIX);
    let book = h.state().desktop.session.engine.roles().clone();
    let rows = matrix::build(&book);
    let all: Vec<&MatrixRow> = rows.iter().collect();
    assert!(has_label(&h, &counts_line(&all, rows.len())));

    pick(&mut h, MATRIX, "Role", PREVIEW_AGENT);
    pick(&mut h, MATRIX, "Decision", "denied");
    let role = book.role_index(PREVIEW_AGENT).unwrap();
    let denied: Vec<&MatrixRow> = rows
        .iter()
        .filter(|r| r.role == role && r.decision == Decision::Denied)
        .collect();
    assert!(!denied.is_empty());
    let line = counts_line(&denied, rows.len());
    assert!(has_label(&h, &line), "expected {line:?}");

    // The free-text filter matches any part of a missing privilege's name, in any case.
    set_text(&mut h, MATRIX, "Missing privilege", "before CALL");
    let before_call: Vec<&MatrixRow> = denied
        .iter()
        .copied()
        .filter(|r| r.missing.names().iter().any(|n| n.contains("Before Call")))
        .collect();
    assert!(!before_call.is_empty() && before_call.len() < denied.len());
    assert!(has_label(&h, &counts_line(&before_call, rows.len())));

    pick(&mut h, MATRIX, "Channel", "web-callback");
    let web: Vec<&MatrixRow> = before_call
        .iter()
        .copied()
        .filter(|r| r.channel == Channel::WebCallback)
        .collect();
    assert!(has_label(&h, &counts_line(&web, rows.len())));
    click_in(&mut h, MATRIX, "Clear filters");
    assert!(has_label(&h, &counts_line(&all, rows.len())));
}

#[test]
fn hovering_a_row_shows_the_explanation_of_its_decision() {
    let mut h = harness(app_for("Dana"));
    h.run();
    open_tool(&mut h, MATRIX);
    pick(&mut h, MATRIX, "Role", PREVIEW_AGENT);
    pick(&mut h, MATRIX, "Channel", "preview");
    pick(&mut h, MATRIX, "Action", "reschedule");
    pick(&mut h, MATRIX, "Stage", "preview");
    let book = h.state().desktop.session.engine.roles().clone();
    let row = matrix::build(&book)
        .into_iter()
        .find(|r| {
            book.roles[r.role].name == PREVIEW_AGENT
                && r.channel == Channel::Preview
                && r.action == Action::Reschedule
                && r.stage == Stage::Preview
        })
        .unwrap();
    assert_eq!(row.decision, Decision::Denied);
    let missing = row.missing.names().join("; ");
    // Hover the row by its decision: beside the desk's minimum width the Missing column
    // runs past the window's edge (the table scrolls sideways); the whole row has the tooltip.
    assert!(has_label(&h, &missing));
    h.get_by_label("denied").hover();
    h.run();
    let reason = matrix::explain_row(&book, &row);
    assert!(reason.contains("Outbound - Can Reschedule Before Call"));
    assert!(has_label(&h, &reason), "tooltip shows {reason:?}");
}

#[test]
fn matrix_csv_export_is_the_render_of_the_filtered_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(app_for("Dana"));
    h.run();
    open_tool(&mut h, MATRIX);
    pick(&mut h, MATRIX, "Role", PREVIEW_AGENT);
    pick(&mut h, MATRIX, "Decision", "denied");
    let path = dir.path().join("matrix.csv");
    set_text(&mut h, MATRIX, "File", path.to_str().unwrap());
    click_in(&mut h, MATRIX, "CSV");

    let book = h.state().desktop.session.engine.roles().clone();
    let role = book.role_index(PREVIEW_AGENT).unwrap();
    let filtered: Vec<MatrixRow> = matrix::build(&book)
        .into_iter()
        .filter(|r| r.role == role && r.decision == Decision::Denied)
        .collect();
    let written = std::fs::read_to_string(&path).unwrap();
    // The window's session has no roles file: the embedded roles.
    let info = ReportInfo::new(&book, None);
    assert_eq!(
        written,
        matrix::render(&book, &filtered, Format::Csv, &info)
    );
    assert!(
        h.query_by_label_contains(&format!("Wrote {} rows as CSV to", filtered.len()))
            .is_some()
    );

    // Every row, as Markdown: the extension follows the format.
    h.get_by_label("Only the rows shown").click();
    h.run();
    click_in(&mut h, MATRIX, "Markdown");
    let md = std::fs::read_to_string(dir.path().join("matrix.md")).unwrap();
    assert_eq!(
        md,
        matrix::render(&book, &matrix::build(&book), Format::Markdown, &info)
    );
    let listed: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed.len(), 2, "no temporary files left: {listed:?}");
}

#[test]
fn matrix_html_export_is_the_report_with_escaped_role_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = RoleBook::embedded_default();
    let role = book.role_index(PREVIEW_AGENT).unwrap();
    book.roles[role].name = "Preview <Agent> & \"Co\"".to_string();
    let mut h = harness(app_with(book, "Dana"));
    h.run();
    open_tool(&mut h, MATRIX);
    pick(&mut h, MATRIX, "Role", "Preview <Agent> & \"Co\"");
    set_text(
        &mut h,
        MATRIX,
        "File",
        dir.path().join("matrix").to_str().unwrap(),
    );
    click_in(&mut h, MATRIX, "HTML");
    let html = std::fs::read_to_string(dir.path().join("matrix.html")).unwrap();
    assert!(html.contains("<table id=\"matrix\">"));
    assert!(html.contains("<dd id=\"roles-file\">embedded</dd>"));
    assert!(html.contains("<td>Preview &lt;Agent&gt; &amp; &quot;Co&quot;</td>"));
    assert!(!html.contains("<Agent>"));
    // The rows shown (one role's) and that role's one summary line.
    assert_eq!(
        html.matches("<tr class=\"").count(),
        matrix::cells().count()
    );
    assert_eq!(html.matches("<tr><td>").count(), 1);
}

#[test]
fn a_failed_export_is_reported_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(app_for("Dana"));
    h.run();
    open_tool(&mut h, MATRIX);
    let path = dir.path().join("missing-dir").join("matrix.csv");
    set_text(&mut h, MATRIX, "File", path.to_str().unwrap());
    click_in(&mut h, MATRIX, "JSON");
    assert!(
        h.query_by_label_contains("Export failed: could not write")
            .is_some()
    );
    assert!(!dir.path().join("missing-dir").exists());
}

#[test]
fn the_matrix_follows_a_changed_role_book() {
    let mut h = harness(app_for("Dana"));
    h.run();
    open_tool(&mut h, MATRIX);
    pick(&mut h, MATRIX, "Role", PREVIEW_AGENT);
    let mut book = h.state().desktop.session.engine.roles().clone();
    // A new role in front shifts every index: the filter must stay on the same role by name.
    let mut extra = book.roles[0].clone();
    extra.name = "Trainer".to_string();
    book.roles.insert(0, extra);
    for agent in &mut book.agents {
        for r in &mut agent.roles {
            *r += 1;
        }
    }
    let remap = (0..book.roles.len() - 1).map(|i| Some(i + 1)).collect();
    h.state_mut()
        .desktop
        .apply(UiCommand::ReplaceRoles(Box::new(
            agentdesk::training::role_edit::Applied {
                book: book.clone(),
                remap,
                agents_changed: Vec::new(),
            },
        )));
    h.run();
    let rows = matrix::build(&book);
    let role = book.role_index(PREVIEW_AGENT).unwrap();
    let shown: Vec<&MatrixRow> = rows.iter().filter(|r| r.role == role).collect();
    assert!(has_label(&h, &counts_line(&shown, rows.len())));
}

/// Dana (Outbound Preview Agent) pulls a record, then tries a mix of allowed and denied
/// actions on it through the desktop, so each attempt is authorized and audited.
fn audited_attempts(d: &mut Desktop) {
    let campaign = d
        .session
        .engine
        .campaigns()
        .iter()
        .find(|c| c.running && c.mode.channel() == Channel::Preview)
        .unwrap()
        .id;
    assert!(d.act(Target::Campaign(campaign), Action::GetRecord, Args::None));
    let id = Target::Interaction(d.view.selected.unwrap());
    assert!(!d.act(id, Action::Cancel, Args::None));
    assert!(!d.act(id, Action::Reschedule, Args::None));
    assert!(!d.act(id, Action::RescheduleNewNumber, Args::None));
    assert!(d.act(id, Action::Dial, Args::None));
}

#[test]
fn audit_view_filters_by_decision_and_exports_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for("Dana");
    audited_attempts(&mut app.desktop);
    let entries = app.desktop.session.engine.audit().entries().to_vec();
    let denied: Vec<_> = entries
        .iter()
        .filter(|e| e.decision().as_str() == "denied")
        .collect();
    assert_eq!(denied.len(), 3);
    assert!(entries.len() > denied.len());

    let mut h = harness(app);
    h.run();
    open_tool(&mut h, AUDIT);
    assert!(has_label(
        &h,
        &format!("Showing {0} of {0} entries", entries.len())
    ));
    pick(&mut h, AUDIT, "Decision", "denied");
    assert!(has_label(
        &h,
        &format!("Showing {} of {} entries", denied.len(), entries.len())
    ));

    set_text(
        &mut h,
        AUDIT,
        "File",
        dir.path().join("audit.csv").to_str().unwrap(),
    );
    click_in(&mut h, AUDIT, "JSON lines");
    let text = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines.len(), denied.len());
    for (line, entry) in lines.iter().zip(&denied) {
        assert_eq!(line["decision"], "denied");
        assert_eq!(line["action"], entry.action.as_str());
        assert_eq!(line["seq"], entry.seq);
    }

    // The same rows as CSV: a header and one record per entry.
    click_in(&mut h, AUDIT, "CSV");
    let csv = std::fs::read_to_string(dir.path().join("audit.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.records().count(), denied.len());
}

#[test]
fn audit_view_filters_by_agent_action_and_missing_privilege() {
    let mut app = app_for("Dana");
    audited_attempts(&mut app.desktop);
    let total = app.desktop.session.engine.audit().entries().len();
    let mut h = harness(app);
    h.run();
    open_tool(&mut h, AUDIT);
    pick(&mut h, AUDIT, "Agent", "Dana");
    assert!(has_label(
        &h,
        &format!("Showing {total} of {total} entries")
    ));
    pick(&mut h, AUDIT, "Action", "cancel");
    assert!(has_label(&h, &format!("Showing 1 of {total} entries")));
    pick(&mut h, AUDIT, "Action", "all");
    set_text(&mut h, AUDIT, "Missing privilege", "on new number");
    assert!(has_label(&h, &format!("Showing 1 of {total} entries")));
}

#[test]
fn audit_time_range_is_validated_inline() {
    let mut app = app_for("Dana");
    audited_attempts(&mut app.desktop);
    let total = app.desktop.session.engine.audit().entries().len();
    let mut h = harness(app);
    h.run();
    open_tool(&mut h, AUDIT);
    // The attempts were made at 13:00 simulated time.
    set_text(&mut h, AUDIT, "From", "13:00");
    set_text(&mut h, AUDIT, "To", "13:00");
    assert!(has_label(
        &h,
        &format!("Showing {total} of {total} entries")
    ));
    set_text(&mut h, AUDIT, "From", "13:01");
    assert!(has_label(&h, &format!("Showing 0 of {total} entries")));
    // A malformed bound is named and ignored, not silently treated as empty.
    set_text(&mut h, AUDIT, "From", "1pm");
    assert!(
        h.query_by_label_contains("From: \"1pm\" is not a time: use HH:MM")
            .is_some()
    );
    assert!(has_label(
        &h,
        &format!("Showing {total} of {total} entries")
    ));
    set_text(&mut h, AUDIT, "From", "14:00");
    assert!(has_label(&h, "'From' is after 'To': nothing matches"));
    assert!(has_label(&h, &format!("Showing 0 of {total} entries")));
}
