//! The foot of the desktop: the latest notices (denials, errors, hints) and the engine's
//! latest log lines, in a panel of fixed height so nothing above it moves when one arrives.
//!
//! A denial's notice says what was refused in plain words; its exact detail is one click away
//! (the "Details" button) and on hover.

use egui::{RichText, Ui};

use crate::ui::theme;
use crate::ui::view_state::{Notice, NoticeKind};
use crate::ui::{Session, UiCommand, ViewState};

/// Rows under the heading: the newest notices first (at most [`SHOWN_NOTICES`]), then the
/// engine's latest log lines in the rows left.
const ROWS: usize = 5;
const SHOWN_NOTICES: usize = 3;

/// The panel's height: a heading, the notice rows and the log rows, whatever is in them.
pub(super) fn height(ui: &Ui) -> f32 {
    let row = ui.text_style_height(&egui::TextStyle::Button)
        + 2.0 * ui.spacing().button_padding.y
        + ui.spacing().item_spacing.y;
    row * (1 + ROWS) as f32 + 2.0 * ui.spacing().item_spacing.y
}

pub(super) fn show(ui: &mut Ui, s: &Session, v: &ViewState, out: &mut Vec<UiCommand>) {
    ui.horizontal(|ui| {
        ui.strong("Notices");
        ui.weak(format!(
            "· {} audit entries",
            s.engine.audit().entries().len()
        ));
    });
    let shown = v.notices.len().min(SHOWN_NOTICES);
    for (i, n) in v.notices.iter().enumerate().rev().take(shown) {
        notice_row(ui, i, n, out);
    }
    // The agent's view has no notices of a channel the role cannot use.
    let lines: Vec<_> = s
        .engine
        .log()
        .iter()
        .rev()
        .filter(|line| {
            line.channel
                .is_none_or(|c| super::toolbar::channel_shown(s, v, c))
        })
        .take(ROWS - shown)
        .collect();
    for line in lines.into_iter().rev() {
        ui.add(
            egui::Label::new(
                RichText::new(format!("{}  {}", line.time.format("%H:%M:%S"), line.text)).weak(),
            )
            .truncate(),
        );
    }
}

/// One notice on one line (cut with an ellipsis, whole on hover), with its detail behind a
/// button and a dismiss button, both at the left so they never move.
fn notice_row(ui: &mut Ui, index: usize, n: &Notice, out: &mut Vec<UiCommand>) {
    ui.horizontal(|ui| {
        if ui.small_button("×").on_hover_text("Dismiss").clicked() {
            out.push(UiCommand::DismissNotice(index));
        }
        if let Some(detail) = &n.detail {
            let button = ui
                .small_button("Details")
                .on_hover_text("The exact privileges and dependencies");
            egui::Popup::from_toggle_button_response(&button).show(|ui| {
                ui.set_max_width(ui.spacing().tooltip_width * 1.5);
                ui.label(RichText::new(&n.text).strong());
                for line in detail {
                    ui.label(format!("• {line}"));
                }
            });
        }
        if let Some(cell) = &n.cell
            && ui
                .small_button("Matrix")
                .on_hover_text(format!(
                    "Open the authorization matrix on this cell: {} / {} / {}",
                    cell.channel, cell.action, cell.stage
                ))
                .clicked()
        {
            out.push(UiCommand::ShowMatrixCell(cell.clone()));
        }
        let color = match n.kind {
            NoticeKind::Denied => theme::bad(ui.visuals()),
            NoticeKind::Error => theme::warning(ui.visuals()),
            NoticeKind::Info => ui.visuals().text_color(),
        };
        let text = format!("{}  {}", n.time.format("%H:%M:%S"), n.text);
        ui.add(egui::Label::new(RichText::new(text).color(color)).truncate());
    });
}
