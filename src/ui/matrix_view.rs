//! The authorization matrix window: every role x channel x action x stage decision of the
//! current role book, filterable, coloured by decision, each row explained on hover, with
//! exports to CSV, JSON, Markdown and HTML.
//!
//! The rows come from `matrix::build` and their explanations from `matrix::explain_row`, the
//! same authorization path the CLI export uses: this window only selects and draws them.

use egui::{Align, Color32, Layout, RichText, TextEdit, Ui};
use egui_extras::{Column, TableBuilder};

use super::state::{Desktop, UiCommand};
use crate::output::export_file;
use crate::policy::{Action, Channel};
use crate::qa::matrix::{self, Decision, Filter, Format, MatrixRow};
use crate::world::roles::RoleBook;

pub(super) const ALLOWED_BG: Color32 = Color32::from_rgb(40, 130, 65);
pub(super) const DENIED_BG: Color32 = Color32::from_rgb(190, 55, 45);
pub(super) const NA_BG: Color32 = Color32::from_rgb(115, 115, 115);
pub(super) const TOOLTIP_WIDTH: f32 = 760.0;
const REPORT_OK: Color32 = Color32::from_rgb(40, 140, 70);
const REPORT_ERR: Color32 = Color32::from_rgb(200, 60, 50);

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
    shown_for: Option<Filter>,
    /// The export file as typed; an export sets its extension to the format's.
    pub path: String,
    /// Export only the rows the filter keeps (otherwise every row).
    pub only_shown: bool,
    /// The outcome of the last export, shown under the export buttons.
    report: Option<Result<String, String>>,
}

impl MatrixView {
    pub fn new(d: &Desktop) -> MatrixView {
        let book = d.engine.roles.clone();
        MatrixView {
            filter: Filter::default(),
            rows: matrix::build(&book),
            book,
            shown: Vec::new(),
            shown_for: None,
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
        if self.shown_for.as_ref() != Some(&self.filter) {
            self.shown = (0..self.rows.len())
                .filter(|&i| self.filter.matches(&self.rows[i]))
                .collect();
            self.shown_for = Some(self.filter.clone());
        }
    }

    /// Writes the shown (or all) rows in `format` to the typed path.
    fn export(&mut self, format: Format) {
        let rows: Vec<MatrixRow> = if self.only_shown {
            self.shown.iter().map(|&i| self.rows[i].clone()).collect()
        } else {
            self.rows.clone()
        };
        let text = matrix::render(&self.book, &rows, format);
        self.report = Some(
            export_file(&self.path, format.extension(), text.as_bytes()).map(|path| {
                self.path = path.display().to_string();
                let shown = std::path::absolute(&path).unwrap_or(path);
                format!(
                    "Wrote {} rows as {} to {}",
                    rows.len(),
                    format.label(),
                    shown.display()
                )
            }),
        );
    }
}

/// Draws the window; returns false once the user closed it.
pub fn show(ui: &mut Ui, state: &mut MatrixView, d: &Desktop, _out: &mut Vec<UiCommand>) -> bool {
    state.sync(&d.engine.roles);
    let mut open = true;
    egui::Window::new("Authorization matrix")
        .open(&mut open)
        .default_pos([60.0, 70.0])
        .default_size([1150.0, 600.0])
        .min_width(700.0)
        .resizable(true)
        .show(ui.ctx(), |ui| {
            filters(ui, state);
            ui.separator();
            export_controls(ui, state);
            ui.separator();
            counts(ui, state);
            table(ui, state);
        });
    open
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
        choice(
            ui,
            "Action",
            170.0,
            &mut f.action,
            actions.iter().map(|&a| (a, a.as_str())),
        );
        choice(
            ui,
            "Stage",
            95.0,
            &mut f.stage,
            matrix::STAGES.iter().map(|&s| (s, s.as_str())),
        );
        choice(
            ui,
            "Decision",
            80.0,
            &mut f.decision,
            Decision::ALL.iter().map(|&d| (d, d.as_str())),
        );
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
            .add_enabled(*f != Filter::default(), egui::Button::new("Clear filters"))
            .clicked()
        {
            *f = Filter::default();
        }
    });
}

/// A combo box over `options` with an "all" entry for `None`.
pub(super) fn choice<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    width: f32,
    value: &mut Option<T>,
    options: impl Iterator<Item = (T, &'static str)> + Clone,
) {
    let current = value
        .and_then(|v| options.clone().find(|(o, _)| *o == v))
        .map_or("all", |(_, text)| text);
    labelled_combo(ui, label, width, current, |ui| {
        ui.selectable_value(value, None, "all");
        for (option, text) in options {
            ui.selectable_value(value, Some(option), text);
        }
    });
}

/// A combo box with its label in front, as a filter reads ("Role: all"); `from_label` would
/// put the label after the box, where it reads as the caption of the next one.
pub(super) fn labelled_combo(
    ui: &mut Ui,
    label: &str,
    width: f32,
    selected: impl Into<egui::WidgetText>,
    add_contents: impl FnOnce(&mut Ui),
) {
    let label_response = ui.label(label);
    egui::ComboBox::from_id_salt(label)
        .width(width)
        .selected_text(selected)
        .show_ui(ui, add_contents)
        .response
        .labelled_by(label_response.id);
}

fn export_controls(ui: &mut Ui, state: &mut MatrixView) {
    ui.horizontal_wrapped(|ui| {
        path_field(ui, &mut state.path);
        ui.checkbox(&mut state.only_shown, "Only the rows shown")
            .on_hover_text("Otherwise every row of every role");
        ui.label("Export as");
        for format in Format::ALL {
            let which = if state.only_shown {
                "the rows shown"
            } else {
                "every row"
            };
            let hover = format!(
                "Write {which} as {} to the file above, with the extension .{}",
                format.label(),
                format.extension()
            );
            if ui.button(format.label()).on_hover_text(hover).clicked() {
                state.export(format);
            }
        }
    });
    report_line(ui, &state.report);
}

/// The labelled file path field shared by the QA windows.
pub(super) fn path_field(ui: &mut Ui, path: &mut String) {
    let label = ui.label("File");
    ui.add(TextEdit::singleline(path).desired_width(260.0))
        .labelled_by(label.id)
        .on_hover_text("Relative to the folder agentdesk was started in");
}

/// The outcome of the last export, in green or red.
pub(super) fn report_line(ui: &mut Ui, report: &Option<Result<String, String>>) {
    match report {
        Some(Ok(text)) => {
            ui.label(RichText::new(text).color(REPORT_OK));
        }
        Some(Err(text)) => {
            ui.label(RichText::new(format!("Export failed: {text}")).color(REPORT_ERR));
        }
        None => {}
    }
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
        "Showing {} of {} rows: {} allowed, {} denied, {} n/a",
        state.shown.len(),
        rows.len(),
        count(Decision::Allowed),
        count(Decision::Denied),
        count(Decision::NotAvailable)
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
    TableBuilder::new(ui)
        .id_salt("matrix_table")
        .striped(true)
        .resizable(true)
        .auto_shrink([false, false])
        .min_scrolled_height(0.0)
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(Column::initial(230.0).at_least(80.0).clip(true))
        .column(Column::initial(100.0).at_least(60.0).clip(true))
        .column(Column::initial(150.0).at_least(60.0).clip(true))
        .column(Column::initial(80.0).at_least(50.0).clip(true))
        .column(Column::exact(70.0))
        .column(Column::remainder().at_least(100.0).clip(true))
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

/// A plain cell, cut with an ellipsis when too long. Not selectable and without its own
/// tooltip: hovering anywhere on a row shows the row's tooltip, which has the full text.
pub(super) fn cell_text(row: &mut egui_extras::TableRow<'_, '_>, text: &str) {
    row.col(|ui| {
        ui.add(
            egui::Label::new(text)
                .selectable(false)
                .truncate()
                .show_tooltip_when_elided(false),
        );
    });
}

/// The decision, white on its colour over the whole cell so a column reads at a glance.
pub(super) fn decision_cell(ui: &mut Ui, decision: Decision) {
    let bg = match decision {
        Decision::Allowed => ALLOWED_BG,
        Decision::Denied => DENIED_BG,
        Decision::NotAvailable => NA_BG,
    };
    coloured_cell(ui, decision.as_str(), bg);
}

pub(super) fn coloured_cell(ui: &mut Ui, text: &str, bg: Color32) {
    let rect = ui.max_rect().shrink2(egui::vec2(0.0, 1.0));
    ui.painter().rect_filled(rect, 2.0, bg);
    ui.add_space(4.0);
    ui.add(egui::Label::new(RichText::new(text).color(Color32::WHITE).strong()).selectable(false));
}
