//! The foot of the desktop: the latest notices (denials, errors, hints) and the engine's
//! latest log lines.

use egui::{Color32, RichText, Ui};

use crate::ui::theme::DENIED;
use crate::ui::view_state::NoticeKind;
use crate::ui::{Session, UiCommand, ViewState};

pub(super) fn show(ui: &mut Ui, s: &Session, v: &ViewState, out: &mut Vec<UiCommand>) {
    ui.horizontal(|ui| {
        ui.strong("Notices");
        ui.label(
            RichText::new(format!(
                "{} audit entries",
                s.engine.audit().entries().len()
            ))
            .small(),
        );
    });
    for (i, n) in v.notices.iter().enumerate().rev().take(3) {
        ui.horizontal(|ui| {
            let color = match n.kind {
                NoticeKind::Denied => DENIED,
                NoticeKind::Error => Color32::from_rgb(190, 120, 20),
                NoticeKind::Info => ui.visuals().text_color(),
            };
            let r = ui.label(
                RichText::new(format!("{}  {}", n.time.format("%H:%M:%S"), n.text)).color(color),
            );
            if let Some(detail) = &n.detail {
                r.on_hover_text(detail);
            }
            if ui.small_button("x").on_hover_text("Dismiss").clicked() {
                out.push(UiCommand::DismissNotice(i));
            }
        });
    }
    for line in s.engine.log().iter().rev().take(3).rev() {
        ui.label(
            RichText::new(format!("{}  {}", line.time.format("%H:%M:%S"), line.text))
                .small()
                .weak(),
        );
    }
}
