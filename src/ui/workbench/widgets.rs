//! Widgets the QA windows share: filter combos, the export path field and its outcome line,
//! and table cells coloured by decision.

use egui::{Color32, RichText, TextEdit, Ui};

use crate::policy::Action;
use crate::qa::matrix::Decision;
use crate::ui::theme;

pub(super) const ALLOWED_BG: Color32 = Color32::from_rgb(40, 130, 65);
pub(super) const DENIED_BG: Color32 = Color32::from_rgb(190, 55, 45);
pub(super) const NA_BG: Color32 = Color32::from_rgb(115, 115, 115);
pub(super) const TOOLTIP_WIDTH: f32 = 760.0;

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
        // Tall enough for every action and "all" without scrolling.
        .height(400.0)
        .selected_text(selected)
        .show_ui(ui, add_contents)
        .response
        .labelled_by(label_response.id);
}

/// The labelled file path field shared by the QA windows.
pub(super) fn path_field(ui: &mut Ui, path: &mut String) {
    let label = ui.label("File");
    ui.add(TextEdit::singleline(path).desired_width(260.0))
        .labelled_by(label.id)
        .on_hover_text("Relative to the folder agentdesk was started in");
}

/// The Action filter of the audit and matrix views, over `actions`.
pub(super) fn action_choice(ui: &mut Ui, value: &mut Option<Action>, actions: &[Action]) {
    choice(
        ui,
        "Action",
        170.0,
        value,
        actions.iter().map(|&a| (a, a.as_str())),
    );
}

/// The Decision filter of the audit and matrix views (each its own decision type: an audit
/// entry's or a matrix cell's), over `all`.
pub(super) fn decision_choice<D: Copy + PartialEq>(
    ui: &mut Ui,
    value: &mut Option<D>,
    all: &[D],
    name: fn(D) -> &'static str,
) {
    choice(
        ui,
        "Decision",
        80.0,
        value,
        all.iter().map(|&d| (d, name(d))),
    );
}

/// The file field and one button per format, shared by the audit and matrix exports: the
/// clicked format, if any. Each format comes with its button label and file extension; a
/// button's hover says it writes `what` in that format.
pub(super) fn export_row<F: Copy>(
    ui: &mut Ui,
    path: &mut String,
    lead: &str,
    what: &str,
    formats: &[(F, &str, &str)],
) -> Option<F> {
    let mut clicked = None;
    ui.horizontal_wrapped(|ui| {
        path_field(ui, path);
        ui.label(lead);
        for &(format, label, extension) in formats {
            let hover = format!(
                "Write {what} as {label} to the file above, with the extension .{extension}"
            );
            if ui.button(label).on_hover_text(hover).clicked() {
                clicked = Some(format);
            }
        }
    });
    clicked
}

/// The outcome of the last export, in green or red, on one line that is there (empty) before
/// any export too, so the table under it never moves when a message arrives. A long message
/// is cut with an ellipsis and whole on hover.
pub(super) fn report_line(ui: &mut Ui, report: &Option<Result<String, String>>) {
    let text = match report {
        Some(Ok(text)) => RichText::new(text).color(theme::good(ui.visuals())),
        Some(Err(text)) => {
            RichText::new(format!("Export failed: {text}")).color(theme::bad(ui.visuals()))
        }
        None => RichText::new(" "),
    };
    ui.add(egui::Label::new(text).truncate());
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
        Decision::NotApplicable => NA_BG,
    };
    coloured_cell(ui, decision.as_str(), bg);
}

pub(super) fn coloured_cell(ui: &mut Ui, text: &str, bg: Color32) {
    let rect = ui.max_rect().shrink2(egui::vec2(0.0, 1.0));
    ui.painter().rect_filled(rect, 2.0, bg);
    ui.add_space(4.0);
    ui.add(egui::Label::new(RichText::new(text).color(Color32::WHITE).strong()).selectable(false));
}
