//! Side-by-side comparison of two roles: differing privileges and differing decisions.
//!
//! What differs, and why, comes from `role_compare::compare_roles`; this window picks the two
//! roles of the desktop's current book and renders the answer.

use egui::{RichText, Ui};

use super::Tool;
use crate::qa::matrix::Decision;
use crate::training::role_compare::{RoleComparison, SideDecision, compare_roles, unsaved_change};
use crate::training::role_edit::GrantState;
use crate::ui::{Session, UiCommand};

/// Width of each role's column in the cell list; a decision's text wraps inside it.
const SIDE_WIDTH: f32 = 300.0;

/// State of the role comparison window: the two roles, by index into the desktop's book.
pub struct Compare {
    pub left: usize,
    pub right: usize,
    /// Show each side's full reason under its decision, not only on hover.
    pub reasons_inline: bool,
}

impl Compare {
    pub const NAME: &'static str = "Compare two roles";

    pub fn new(s: &Session) -> Compare {
        let count = s.engine.roles().roles.len();
        Compare {
            left: 0,
            right: if count > 1 { 1 } else { 0 },
            reasons_inline: false,
        }
    }
}

impl Tool for Compare {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn ui(&mut self, ui: &mut Ui, s: &Session, _out: &mut Vec<UiCommand>) {
        body(ui, self, s);
    }
}

fn body(ui: &mut Ui, state: &mut Compare, s: &Session) {
    let names: Vec<&str> = s
        .engine
        .roles()
        .roles
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    if names.is_empty() {
        ui.label("The desktop has no roles to compare.");
        return;
    }
    // Roles may have been deleted in the editor since the picks were made.
    state.left = state.left.min(names.len() - 1);
    state.right = state.right.min(names.len() - 1);
    // Both pickers and Swap on one line in a docked tool at its narrowest; a long role name
    // is truncated in the box and whole in its list and in the sentences below.
    let width = ((ui.available_width() - 150.0) / 2.0).clamp(120.0, 300.0);
    ui.horizontal_wrapped(|ui| {
        role_picker(ui, "Role A", &mut state.left, &names, width);
        if ui
            .button("Swap")
            .on_hover_text("Exchange role A and role B")
            .clicked()
        {
            std::mem::swap(&mut state.left, &mut state.right);
        }
        role_picker(ui, "Role B", &mut state.right, &names, width);
    });
    unsaved_banner(ui, s, &[state.left, state.right]);
    let Some(c) = compare_roles(s.engine.roles(), state.left, state.right) else {
        return;
    };
    ui.separator();
    ui.heading(format!(
        "{} of {} cells differ",
        c.cells.len(),
        c.cells_compared
    ));
    egui::ScrollArea::vertical()
        .id_salt("compare_body")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            in_words(ui, &c);
            ui.add_space(8.0);
            egui::CollapsingHeader::new(
                RichText::new(format!("Privileges that differ ({})", c.privileges.len())).strong(),
            )
            .id_salt("compare_privileges_header")
            .default_open(true)
            .show(ui, |ui| privileges(ui, &c));
            ui.add_space(8.0);
            // The codes of the matrix, for QA: closed so the sentences come first in class.
            egui::CollapsingHeader::new(
                RichText::new(format!("Cell by cell ({})", c.cells.len())).strong(),
            )
            .id_salt("compare_cells_header")
            .default_open(false)
            .show(ui, |ui| {
                ui.checkbox(&mut state.reasons_inline, "Show reasons inline")
                    .on_hover_text("Otherwise hover a decision to read its reason");
                cells(ui, &c, state.reasons_inline);
            });
        });
}

/// What one role may do that the other may not, one sentence per action and moment, under a
/// heading per channel.
fn in_words(ui: &mut Ui, c: &RoleComparison) {
    let words = c.in_words();
    if words.is_empty() {
        ui.label(format!(
            "{} and {} may do the same things at the same moments.",
            c.left, c.right
        ));
        return;
    }
    for channel in &words {
        ui.label(RichText::new(channel.channel.title()).strong());
        for d in &channel.differences {
            ui.horizontal_top(|ui| {
                ui.label("\u{2022}");
                ui.add(egui::Label::new(&d.sentence).wrap());
            });
        }
        ui.add_space(4.0);
    }
}

/// Says so when a compared role carries unsaved edits: the comparison is of the roles the
/// desk runs on now, not of the roles file.
fn unsaved_banner(ui: &mut Ui, s: &Session, roles: &[usize]) {
    let mut marked: Vec<String> = Vec::new();
    for &role in roles {
        if let (Some(why), Some(r)) = (
            unsaved_change(s.engine.roles(), &s.base_roles, role),
            s.engine.roles().roles.get(role),
        ) && !marked
            .iter()
            .any(|m| m.starts_with(&format!("\"{}\"", r.name)))
        {
            marked.push(format!("\"{}\" ({why})", r.name));
        }
    }
    if marked.is_empty() {
        return;
    }
    ui.label(
        RichText::new(format!(
            "Unsaved edits: this compares the roles as the desk runs them now. {}.",
            marked.join("; ")
        ))
        .color(ui.visuals().warn_fg_color),
    );
}

fn role_picker(ui: &mut Ui, label: &str, index: &mut usize, names: &[&str], width: f32) {
    egui::ComboBox::from_label(label)
        .selected_text(names.get(*index).copied().unwrap_or_default())
        .width(width)
        .truncate()
        .show_ui(ui, |ui| {
            for (i, name) in names.iter().enumerate() {
                ui.selectable_value(index, i, *name);
            }
        });
}

fn grant_text(ui: &Ui, state: &GrantState) -> RichText {
    match state {
        GrantState::NotGranted => {
            RichText::new("not granted").color(ui.visuals().weak_text_color())
        }
        GrantState::Effective => {
            RichText::new("granted").color(crate::ui::theme::good(ui.visuals()))
        }
        GrantState::Inactive { .. } => {
            RichText::new("granted, inactive").color(ui.visuals().warn_fg_color)
        }
    }
}

fn privileges(ui: &mut Ui, c: &RoleComparison) {
    if c.privileges.is_empty() {
        ui.weak("Both roles grant the same privileges, in the same state.");
        return;
    }
    egui::Grid::new("compare_privileges")
        .striped(true)
        .num_columns(3)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Privilege").strong());
            ui.label(RichText::new(format!("A: {}", c.left)).strong());
            ui.label(RichText::new(format!("B: {}", c.right)).strong());
            ui.end_row();
            for p in &c.privileges {
                ui.label(p.name);
                for side in [&p.left, &p.right] {
                    ui.label(grant_text(ui, side))
                        .on_hover_text(side.describe());
                }
                ui.end_row();
            }
        });
}

fn decision_text(ui: &Ui, side: &SideDecision) -> RichText {
    let color = match side.decision {
        Decision::Allowed => crate::ui::theme::good(ui.visuals()),
        Decision::Denied => crate::ui::theme::bad(ui.visuals()),
        Decision::NotApplicable => ui.visuals().weak_text_color(),
    };
    RichText::new(&side.summary).color(color)
}

fn cells(ui: &mut Ui, c: &RoleComparison, inline: bool) {
    ui.strong(format!(
        "Cells whose decision differs ({}), in matrix order: channel / action / stage",
        c.cells.len()
    ));
    if c.cells.is_empty() {
        ui.weak("Both roles get the same decision in every cell.");
        return;
    }
    egui::Grid::new("compare_cells")
        .striped(true)
        .max_col_width(SIDE_WIDTH)
        .num_columns(3)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Cell").strong());
            ui.label(RichText::new(format!("A: {}", c.left)).strong());
            ui.label(RichText::new(format!("B: {}", c.right)).strong());
            ui.end_row();
            for cell in &c.cells {
                // Top-aligned like the decisions beside it, which may wrap to two lines.
                ui.vertical(|ui| ui.label(cell.label()));
                for side in [&cell.left, &cell.right] {
                    // Long "missing" lists wrap inside the column instead of widening the
                    // window past the screen.
                    ui.vertical(|ui| {
                        ui.set_max_width(SIDE_WIDTH);
                        let decision = ui.add(egui::Label::new(decision_text(ui, side)).wrap());
                        if inline {
                            ui.add(egui::Label::new(RichText::new(&side.reason).small()).wrap());
                        } else {
                            decision.on_hover_text(&side.reason);
                        }
                    });
                }
                ui.end_row();
            }
        });
}
