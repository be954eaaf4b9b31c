//! The authorization matrix window: every role x channel x action x stage decision of the
//! current role book, filterable, coloured by decision, each row explained on hover, with
//! exports to CSV, JSON, Markdown and HTML.
//!
//! The rows come from `matrix::build` and their explanations from `matrix::explain_row`, the
//! same authorization path the CLI export uses: this window only selects and draws them.

use egui::{Align, Layout, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use super::Tool;
use super::widgets::{
    TOOLTIP_WIDTH, action_choice, cell_text, choice, decision_cell, decision_choice, export_row,
    labelled_combo, report_line,
};
use crate::policy::{Action, Channel};
use crate::qa::matrix::{self, Decision, Filter, Format, MatrixRow, ReportInfo};
use crate::ui::exports::{SaveFrom, save};
use crate::ui::view_state::MatrixCell;
use crate::ui::{Session, UiCommand};
use crate::world::roles::RoleBook;

/// The matrix opened on an attempt's cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellFocus {
    /// Indexes of the roles the agent held, in the current book.
    pub roles: Vec<usize>,
    /// The agent's roles that the book no longer has (renamed or removed since).
    pub gone: Vec<String>,
    /// What the cell was opened from, and the cell, in words.
    pub label: String,
}

/// State of the authorization matrix window.
pub struct MatrixView {
    pub filter: Filter,
    /// The role book the rows were built from; a different book on the desktop (the role
    /// editor applied changes) rebuilds them.
    book: RoleBook,
    rows: Vec<MatrixRow>,
    /// Indices into `rows` of the rows the filter keeps, and the filter they were computed
    /// with: filtering a large book every frame would be wasted work.
    shown: Vec<usize>,
    shown_for: Option<(Filter, Option<CellFocus>)>,
    /// The cell an audit entry or a notice asked to see: the filter is set to its channel,
    /// action and stage, and only the roles the agent held are shown.
    pub focus: Option<CellFocus>,
    /// The export file as typed; an export sets its extension to the format's.
    pub path: String,
    /// Export only the rows the filter keeps (otherwise every row).
    pub only_shown: bool,
    /// The outcome of the last export, shown under the export buttons.
    pub(crate) report: Option<Result<String, String>>,
}

impl MatrixView {
    pub const NAME: &'static str = "Authorization matrix";

    pub fn new(s: &Session) -> MatrixView {
        let book = s.engine.roles().clone();
        MatrixView {
            filter: Filter::default(),
            rows: matrix::build(&book),
            book,
            shown: Vec::new(),
            shown_for: None,
            focus: None,
            path: "agentdesk-matrix.csv".to_string(),
            only_shown: true,
            report: None,
        }
    }

    /// Rebuilds the rows when the desktop's role book changed, keeping the role filter on the
    /// same role (by name) if it still exists.
    fn sync(&mut self, book: &RoleBook) {
        if *book != self.book {
            let role_name = self
                .filter
                .role
                .and_then(|r| self.book.roles.get(r))
                .map(|r| r.name.clone());
            self.filter.role = role_name.and_then(|n| book.role_index(&n));
            self.book = book.clone();
            self.rows = matrix::build(&self.book);
            self.shown_for = None;
        }
        let key = (self.filter.clone(), self.focus.clone());
        if self.shown_for.as_ref() != Some(&key) {
            let roles = self.focus.as_ref().map(|f| &f.roles);
            self.shown = (0..self.rows.len())
                .filter(|&i| self.filter.matches(&self.rows[i]))
                .filter(|&i| roles.is_none_or(|r| r.contains(&self.rows[i].role)))
                .collect();
            self.shown_for = Some(key);
        }
    }

    /// Shows the cell an attempt concerns: its channel, action and stage, for the roles the
    /// agent held (each role's row: an agent holds the union of its roles).
    pub fn focus_on(&mut self, cell: &MatrixCell, book: &RoleBook) {
        self.filter = Filter {
            channel: Some(cell.channel),
            action: Some(cell.action),
            stage: Some(cell.stage),
            ..Filter::default()
        };
        let roles: Vec<usize> = cell
            .roles
            .iter()
            .filter_map(|r| book.role_index(r))
            .collect();
        let gone = cell
            .roles
            .iter()
            .filter(|r| book.role_index(r).is_none())
            .cloned()
            .collect();
        if let [one] = roles[..] {
            self.filter.role = Some(one);
        }
        self.focus = Some(CellFocus {
            roles,
            gone,
            label: format!(
                "The cell of {}: {} / {} / {}",
                cell.from, cell.channel, cell.action, cell.stage
            ),
        });
        self.shown_for = None;
    }

    /// The shown (or all) rows in `format`, with where they came from: the roles file (and
    /// whether the desk holds unsaved edits of it) and, for the rows shown, the filter and how
    /// many rows it left out.
    fn export(&self, s: &Session, format: Format) -> UiCommand {
        let rows: Vec<MatrixRow> = if self.only_shown {
            self.shown.iter().map(|&i| self.rows[i].clone()).collect()
        } else {
            self.rows.clone()
        };
        let mut info = ReportInfo::new(&self.book, None);
        info.roles_file = s.roles_provenance();
        if rows.len() < self.rows.len() {
            info.scope = Some(format!(
                "{} of {} rows, filtered by {}; {} rows left out, and the per-role summaries \
                 count only the rows written",
                rows.len(),
                self.rows.len(),
                self.filter_words(),
                self.rows.len() - rows.len()
            ));
        }
        let text = matrix::render(&self.book, &rows, format, &info);
        save(
            SaveFrom::Matrix,
            &self.path,
            Some(format.extension()),
            text,
            format!("{} rows as {}", rows.len(), format.label()),
        )
    }

    /// The filter in words, for an export's provenance.
    fn filter_words(&self) -> String {
        let mut parts = Vec::new();
        let f = &self.filter;
        if let Some(r) = f.role.and_then(|r| self.book.roles.get(r)) {
            parts.push(format!("role {}", r.name));
        }
        if let Some(focus) = &self.focus {
            parts.push(focus.label.clone());
        }
        if let Some(c) = f.channel {
            parts.push(format!("channel {c}"));
        }
        if let Some(a) = f.action {
            parts.push(format!("action {a}"));
        }
        if let Some(st) = f.stage {
            parts.push(format!("stage {st}"));
        }
        if let Some(d) = f.decision {
            parts.push(format!("decision {}", d.as_str()));
        }
        if !f.missing.trim().is_empty() {
            parts.push(format!(
                "missing privilege containing \"{}\"",
                f.missing.trim()
            ));
        }
        parts.join(", ")
    }
}

impl Tool for MatrixView {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn own_scroll(&self) -> bool {
        true
    }

    fn ui(&mut self, ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
        self.sync(s.engine.roles());
        focus_banner(ui, self);
        filters(ui, self);
        ui.separator();
        export_controls(ui, self, s, out);
        ui.separator();
        counts(ui, self);
        table(ui, self);
    }
}

/// Which cell and roles the matrix was opened on, with the way back to every row.
fn focus_banner(ui: &mut Ui, state: &mut MatrixView) {
    let Some(focus) = &state.focus else {
        return;
    };
    let names: Vec<&str> = focus
        .roles
        .iter()
        .filter_map(|&r| state.book.roles.get(r))
        .map(|r| r.name.as_str())
        .collect();
    let mut clear = false;
    ui.horizontal_wrapped(|ui| {
        ui.strong(&focus.label);
        let held = if names.is_empty() {
            "for no role (the agent held none)".to_string()
        } else {
            format!("for the roles the agent held: {}", names.join(", "))
        };
        ui.label(held);
        if !focus.gone.is_empty() {
            ui.weak(format!(
                "(no longer in the roles: {})",
                focus.gone.join(", ")
            ));
        }
        if state.filter.stage == Some(crate::policy::Stage::Closed) {
            ui.weak("The matrix has no closed stage: no action exists on a closed interaction.");
        }
        clear = ui.button("Show every role").clicked();
    });
    if clear {
        state.focus = None;
        state.filter = Filter::default();
    }
    ui.separator();
}

fn filters(ui: &mut Ui, state: &mut MatrixView) {
    ui.horizontal_wrapped(|ui| {
        let f = &mut state.filter;
        let role_text = f
            .role
            .and_then(|r| state.book.roles.get(r))
            .map_or("all".to_string(), |r| r.name.clone());
        labelled_combo(ui, "Role", 220.0, role_text, |ui| {
            ui.selectable_value(&mut f.role, None, "all");
            for (i, role) in state.book.roles.iter().enumerate() {
                ui.selectable_value(&mut f.role, Some(i), &role.name);
            }
        });
        choice(
            ui,
            "Channel",
            110.0,
            &mut f.channel,
            Channel::ALL.iter().map(|&c| (c, c.as_str())),
        );
        // Offer only the actions the chosen channel has; a channel change drops an action
        // that does not exist there rather than silently showing nothing.
        let actions: &[Action] = f.channel.map_or(Action::ALL, |c| c.actions());
        if f.action.is_some_and(|a| !actions.contains(&a)) {
            f.action = None;
        }
        action_choice(ui, &mut f.action, actions);
        choice(
            ui,
            "Stage",
            95.0,
            &mut f.stage,
            matrix::STAGES.iter().map(|&s| (s, s.as_str())),
        );
        decision_choice(ui, &mut f.decision, &Decision::ALL, Decision::as_str);
    });
    ui.horizontal_wrapped(|ui| {
        let f = &mut state.filter;
        let label = ui.label("Missing privilege");
        ui.add(
            TextEdit::singleline(&mut f.missing)
                .hint_text("any part of a privilege name, e.g. before call")
                .desired_width(320.0),
        )
        .labelled_by(label.id);
        if ui
            .add_enabled(
                *f != Filter::default() || state.focus.is_some(),
                egui::Button::new("Clear filters"),
            )
            .clicked()
        {
            *f = Filter::default();
            state.focus = None;
        }
    });
}

fn export_controls(ui: &mut Ui, state: &mut MatrixView, s: &Session, out: &mut Vec<UiCommand>) {
    ui.checkbox(&mut state.only_shown, "Only the rows shown")
        .on_hover_text("Otherwise every row of every role");
    let which = if state.only_shown {
        "the rows shown"
    } else {
        "every row"
    };
    let formats = Format::ALL.map(|f| (f, f.label(), f.extension()));
    if let Some(format) = export_row(ui, &mut state.path, "Export as", which, &formats) {
        out.push(state.export(s, format));
    }
    report_line(ui, &state.report);
}

fn counts(ui: &mut Ui, state: &MatrixView) {
    let rows = &state.rows;
    let count = |d: Decision| {
        state
            .shown
            .iter()
            .filter(|&&i| rows[i].decision == d)
            .count()
    };
    ui.label(format!(
        "Showing {} of {} rows: {} allowed, {} denied, {} not-applicable",
        state.shown.len(),
        rows.len(),
        count(Decision::Allowed),
        count(Decision::Denied),
        count(Decision::NotApplicable)
    ))
    .on_hover_text("Hover a row for the reason of its decision");
}

fn table(ui: &mut Ui, state: &MatrixView) {
    // A new window first lays itself out in an invisible, narrow sizing pass; a table drawn
    // then would remember the squeezed widths of its resizable columns.
    if ui.is_sizing_pass() {
        return;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    // Wider than a docked tool: the table scrolls sideways rather than hide Missing.
    egui::ScrollArea::horizontal()
        .id_salt("matrix_table_sideways")
        .show(ui, |ui| rows(ui, state, row_height));
}

fn rows(ui: &mut Ui, state: &MatrixView, row_height: f32) {
    TableBuilder::new(ui)
        .id_salt("matrix_table")
        .striped(true)
        .resizable(true)
        .auto_shrink([false, false])
        .min_scrolled_height(0.0)
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(Column::initial(100.0).at_least(70.0).clip(true))
        .column(Column::initial(80.0).at_least(60.0).clip(true))
        .column(Column::initial(120.0).at_least(60.0).clip(true))
        .column(Column::initial(80.0).at_least(50.0).clip(true))
        .column(Column::exact(100.0))
        .column(Column::remainder().at_least(120.0).clip(true))
        .header(row_height, |mut header| {
            for title in ["Role", "Channel", "Action", "Stage", "Decision", "Missing"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, state.shown.len(), |mut row| {
                let r = &state.rows[state.shown[row.index()]];
                let role = state.book.roles.get(r.role).map_or("", |r| r.name.as_str());
                cell_text(&mut row, role);
                cell_text(&mut row, r.channel.as_str());
                cell_text(&mut row, r.action.as_str());
                cell_text(&mut row, r.stage.as_str());
                row.col(|ui| decision_cell(ui, r.decision));
                cell_text(&mut row, &r.missing.names().join("; "));
                // Computed only while hovered: a thousand-role book has 176,000 rows.
                row.response().on_hover_ui(|ui| {
                    // Wider than egui's default tooltip: a dependency chain is one long line.
                    ui.set_max_width(TOOLTIP_WIDTH);
                    ui.strong(role);
                    ui.label(matrix::explain_row(&state.book, r));
                });
            });
        });
}
