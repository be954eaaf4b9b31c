//! A web callback's details: who asked, when, why, and whether it is late.

use egui::{RichText, Ui};

use super::workspace::calls_view;
use crate::training::practice::{callback_wait, is_late};
use crate::ui::Session;
use crate::ui::theme;
use crate::world::{Interaction, Payload, fmt_time};

pub(super) fn show(ui: &mut Ui, s: &Session, it: &Interaction) {
    let Payload::WebCallback(cb) = &it.payload else {
        return;
    };
    ui.heading("Callback information");
    egui::Grid::new("callback_info")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let rows = [
                ("Kind", cb.kind.describe(cb.desired)),
                ("Desired time", fmt_time(cb.desired)),
                ("Expires", fmt_time(cb.expires)),
                ("Customer", cb.customer.clone()),
                ("Number", cb.number.clone()),
                ("Reason", cb.reason.clone()),
                ("State", cb.state.label()),
                (
                    "Disposition",
                    cb.disposition.clone().unwrap_or_else(|| "not set".into()),
                ),
            ];
            for (k, v) in rows {
                ui.label(RichText::new(k).strong());
                ui.label(v);
                ui.end_row();
            }
        });
    // The same measure and threshold practice scores a late callback by: the wait counts
    // from the desired time, or from when the callback reached the agent if later.
    if let Some(late) = callback_wait(it, s.engine.now())
        && is_late(late)
        && it.calls.is_empty()
        && it.is_open()
    {
        ui.label(
            RichText::new(format!(
                "{} minutes late: past the customer's desired time, counted from when it \
                 reached you",
                late.num_minutes()
            ))
            .color(theme::bad(ui.visuals())),
        );
    }
    calls_view(ui, it);
}
