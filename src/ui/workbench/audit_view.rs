//! The audit log window: every attempted command, newest last, filterable by agent, role,
//! action, decision, missing privilege and simulated time of day, with CSV and JSON-lines
//! exports of the rows shown.

use egui::{Align, Color32, Layout, RichText, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use super::Tool;
use super::widgets::{
    ALLOWED_BG, DENIED_BG, TOOLTIP_WIDTH, action_choice, cell_text, coloured_cell, decision_choice,
    export_row, labelled_combo, report_line,
};
use crate::engine::audit::{AuditEntry, AuditFilter, AuditLog, Decided, Decision, parse_hhmm};
use crate::policy::Action;
use crate::ui::exports::{SaveFrom, save};
use crate::ui::theme::DENIED as ERROR_TEXT;
use crate::ui::view_state::MatrixCell;
use crate::ui::{Session, UiCommand};
use crate::world::fmt_time;

const INVALID_BG: Color32 = Color32::from_rgb(180, 120, 20);

/// What the shown rows were computed from: the filter, and enough of the log to notice that it
/// grew or was replaced (a practice restart starts a new log).
type ShownKey = (AuditFilter, usize, Option<AuditEntry>);

/// State of the audit log window.
pub struct AuditView {
    /// The filter in force; its time bounds come from the two text fields when they parse.
    pub filter: AuditFilter,
    pub from_text: String,
    pub to_text: String,
    shown: Vec<usize>,
    shown_for: Option<ShownKey>,
    /// Agents and roles seen in the log, first seen first: the values a filter can match.
    agents: Vec<String>,
    roles: Vec<String>,
    /// The export file as typed; an export sets its extension to the format's.
    pub path: String,
    pub(crate) report: Option<Result<String, String>>,
}

#[derive(Clone, Copy)]
enum AuditFormat {
    Csv,
    JsonLines,
}

impl AuditFormat {
    fn label(self) -> &'static str {
        match self {
            AuditFormat::Csv => "CSV",
            AuditFormat::JsonLines => "JSON lines",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            AuditFormat::Csv => "csv",
            AuditFormat::JsonLines => "jsonl",
        }
    }
}

impl AuditView {
    pub const NAME: &'static str = "Audit log";

    pub fn new(_s: &Session) -> AuditView {
        AuditView {
            filter: AuditFilter::default(),
            from_text: String::new(),
            to_text: String::new(),
            shown: Vec::new(),
            shown_for: None,
            agents: Vec::new(),
            roles: Vec::new(),
            path: "agentdesk-audit.csv".to_string(),
            report: None,
        }
    }

    fn sync(&mut self, entries: &[AuditEntry]) {
        let key = (self.filter.clone(), entries.len(), entries.last().cloned());
        if self.shown_for.as_ref() == Some(&key) {
            return;
        }
        self.shown = (0..entries.len())
            .filter(|&i| self.filter.matches(&entries[i]))
            .collect();
        self.agents.clear();
        self.roles.clear();
        for e in entries {
            if !self.agents.iter().any(|a| **a == *e.agent()) {
                self.agents.push(e.agent().to_string());
            }
            for r in e.roles().iter() {
                if !self.roles.contains(r) {
                    self.roles.push(r.clone());
                }
            }
        }
        self.shown_for = Some(key);
    }

    /// The entries shown, in `format`; the message says how many the filter left out.
    fn export(&self, log: &AuditLog, format: AuditFormat) -> UiCommand {
        let entries = log.entries();
        let rows: Vec<AuditEntry> = self.shown.iter().map(|&i| entries[i].clone()).collect();
        let text = match format {
            AuditFormat::Csv => log.to_csv(&rows),
            AuditFormat::JsonLines => log.to_json_lines(&rows),
        };
        let left_out = entries.len() - rows.len();
        let filtered = if left_out > 0 {
            format!(" (the filter left out {left_out} of {})", entries.len())
        } else {
            String::new()
        };
        save(
            SaveFrom::Audit,
            &self.path,
            Some(format.extension()),
            text,
            format!("{} entries as {}{filtered}", rows.len(), format.label()),
        )
    }
}

impl Tool for AuditView {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn own_scroll(&self) -> bool {
        true
    }

    fn ui(&mut self, ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
        let entries = s.engine.audit().entries();
        filters(ui, self);
        self.sync(entries);
        ui.separator();
        export_controls(ui, self, s.engine.audit(), out);
        ui.separator();
        ui.label(format!(
            "Showing {} of {} entries",
            self.shown.len(),
            entries.len()
        ));
        table(ui, self, entries, out);
    }
}

fn filters(ui: &mut Ui, state: &mut AuditView) {
    ui.horizontal_wrapped(|ui| {
        let f = &mut state.filter;
        text_choice(ui, "Agent", 90.0, &mut f.agent, &state.agents);
        text_choice(ui, "Role", 220.0, &mut f.role, &state.roles);
        action_choice(ui, &mut f.action, Action::ALL);
        decision_choice(ui, &mut f.decision, &Decision::ALL, Decision::as_str);
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Missing privilege");
        ui.add(
            TextEdit::singleline(&mut state.filter.missing)
                .hint_text("any part of a privilege name")
                .desired_width(220.0),
        )
        .labelled_by(label.id);
        ui.separator();
        ui.label("Simulated time");
        let from = time_field(ui, "From", &mut state.from_text);
        let to = time_field(ui, "To", &mut state.to_text);
        // A bound that does not parse is left out, and said so, rather than emptying the table.
        state.filter.from = from.as_ref().ok().copied().flatten();
        state.filter.to = to.as_ref().ok().copied().flatten();
        let empty_range = matches!((&from, &to), (Ok(Some(f)), Ok(Some(t))) if f > t);
        for e in [from.err(), to.err()].into_iter().flatten() {
            ui.label(RichText::new(format!("{e} (ignored)")).color(ERROR_TEXT));
        }
        if empty_range {
            ui.label(RichText::new("'From' is after 'To': nothing matches").color(ERROR_TEXT));
        }
        let cleared = AuditFilter::default();
        if ui
            .add_enabled(
                state.filter != cleared || !state.from_text.is_empty() || !state.to_text.is_empty(),
                egui::Button::new("Clear filters"),
            )
            .clicked()
        {
            state.filter = cleared;
            state.from_text.clear();
            state.to_text.clear();
        }
    });
}

/// A combo over the values seen in the log, with "all" for `None`.
fn text_choice(
    ui: &mut Ui,
    label: &str,
    width: f32,
    value: &mut Option<String>,
    options: &[String],
) {
    let selected = value.clone().unwrap_or_else(|| "all".to_string());
    labelled_combo(ui, label, width, selected, |ui| {
        ui.selectable_value(value, None, "all");
        for o in options {
            ui.selectable_value(value, Some(o.clone()), o);
        }
    });
}

/// An HH:MM field, red-framed while its text does not parse.
fn time_field(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
) -> Result<Option<chrono::NaiveTime>, String> {
    let parsed = parse_hhmm(text);
    let name = label;
    let label = ui.label(name);
    let mut edit = TextEdit::singleline(text)
        .hint_text("HH:MM")
        .desired_width(64.0);
    if parsed.is_err() {
        edit = edit.text_color(ERROR_TEXT);
    }
    ui.add(edit).labelled_by(label.id);
    // Parse again: the edit above may have changed the text this frame.
    parse_hhmm(text).map_err(|e| format!("{name}: {e}"))
}

fn export_controls(ui: &mut Ui, state: &mut AuditView, log: &AuditLog, out: &mut Vec<UiCommand>) {
    let formats = [AuditFormat::Csv, AuditFormat::JsonLines].map(|f| (f, f.label(), f.extension()));
    let lead = "Export the entries shown as";
    if let Some(format) = export_row(ui, &mut state.path, lead, "the entries shown", &formats) {
        out.push(state.export(log, format));
    }
    report_line(ui, &state.report);
}

fn table(ui: &mut Ui, state: &AuditView, entries: &[AuditEntry], out: &mut Vec<UiCommand>) {
    // See the matrix window: a table drawn in the sizing pass keeps squeezed columns.
    if ui.is_sizing_pass() {
        return;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    // Eleven columns are wider than a docked tool: the table scrolls sideways, so Kind,
    // Reason and the way to the matrix are never out of reach.
    egui::ScrollArea::horizontal()
        .id_salt("audit_table_sideways")
        .show(ui, |ui| rows(ui, state, entries, row_height, out));
}

fn rows(
    ui: &mut Ui,
    state: &AuditView,
    entries: &[AuditEntry],
    row_height: f32,
    out: &mut Vec<UiCommand>,
) {
    TableBuilder::new(ui)
        .id_salt("audit_table")
        .striped(true)
        .resizable(true)
        .stick_to_bottom(true)
        .auto_shrink([false, false])
        .min_scrolled_height(0.0)
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(Column::initial(34.0).at_least(26.0).clip(true))
        .column(Column::initial(62.0).at_least(50.0).clip(true))
        .column(Column::initial(60.0).at_least(40.0).clip(true))
        .column(Column::initial(90.0).at_least(40.0).clip(true))
        .column(Column::initial(100.0).at_least(50.0).clip(true))
        .column(Column::initial(120.0).at_least(60.0).clip(true))
        .column(Column::exact(70.0))
        .column(Column::initial(84.0).at_least(50.0).clip(true))
        .column(Column::initial(140.0).at_least(60.0).clip(true))
        .column(Column::initial(240.0).at_least(120.0).clip(true))
        .column(Column::exact(60.0))
        .header(row_height, |mut header| {
            for title in [
                "#",
                "Time",
                "Agent",
                "Roles",
                "Target, stage",
                "Action",
                "Decision",
                "Kind",
                "Missing",
                "Reason",
                "Cell",
            ] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, state.shown.len(), |mut row| {
                let e = &entries[state.shown[row.index()]];
                cell_text(&mut row, &e.seq.to_string());
                cell_text(&mut row, &e.time.format("%H:%M:%S").to_string());
                cell_text(&mut row, e.agent());
                cell_text(&mut row, &e.roles().join(" + "));
                cell_text(&mut row, &format!("{} {}", e.target(), e.stage));
                cell_text(&mut row, e.action.as_str());
                let bg = match e.decision() {
                    Decision::Allowed => ALLOWED_BG,
                    Decision::Denied => DENIED_BG,
                    Decision::Invalid => INVALID_BG,
                };
                row.col(|ui| coloured_cell(ui, e.decision().as_str(), bg));
                cell_text(&mut row, e.kind().map_or("", |k| k.as_str()));
                cell_text(&mut row, &e.missing().names().join("; "));
                cell_text(&mut row, &reason_text(e));
                row.col(|ui| {
                    if ui
                        .small_button("Matrix")
                        .on_hover_text(
                            "Open the authorization matrix on this attempt's cell, for the \
                             roles the agent held",
                        )
                        .clicked()
                    {
                        out.push(UiCommand::ShowMatrixCell(MatrixCell {
                            roles: e.roles().to_vec(),
                            channel: e.channel,
                            action: e.action,
                            stage: e.stage,
                            from: format!("audit entry #{}", e.seq),
                        }));
                    }
                });
                row.response().on_hover_ui(|ui| entry_details(ui, e));
            });
        });
}

/// The Reason cell: a denial's plain sentence (its detail is on hover), or why the attempt
/// was invalid.
fn reason_text(e: &AuditEntry) -> String {
    match &e.decided {
        Decided::Denied(d) => d.plain(),
        Decided::Invalid(why) => why.to_string(),
        Decided::Allowed(_) => String::new(),
    }
}

/// Everything an entry records, for the row's tooltip.
fn entry_details(ui: &mut Ui, e: &AuditEntry) {
    ui.set_max_width(TOOLTIP_WIDTH);
    ui.strong(format!("#{} at {}", e.seq, fmt_time(e.time)));
    ui.label(format!(
        "{} ({}) tried {} on {} {} in stage {}: {}",
        e.agent(),
        e.roles().join(" + "),
        e.action,
        e.channel,
        e.target(),
        e.stage,
        e.decision()
    ));
    if let Some(kind) = e.kind() {
        ui.label(format!("kind: {kind}"));
    }
    if !e.missing().is_empty() {
        ui.label(format!("missing: {}", e.missing().names().join(", ")));
    }
    let outcome = e.outcome_text();
    if !outcome.is_empty() {
        ui.label(outcome);
    }
    if let Some(d) = e.denial() {
        ui.label(egui::RichText::new(d.plain()).strong());
        for line in d.detail_lines() {
            ui.label(format!("• {line}"));
        }
    }
}
