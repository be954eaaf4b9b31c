//! The invitation: an interaction offered to the agent, with Accept and Decline (the
//! toolbar's own action buttons) until the offer is withdrawn. Drawn at the top of the
//! sidebar, framed and coloured like a toast, where it covers nothing.

use egui::{RichText, Ui};

use super::toolbar::{action_button, channel_shown, drawn, reasons};
use crate::engine::Target;
use crate::policy::{Action, Stage};
use crate::ui::{Session, UiCommand, ViewState};
use crate::world::{Interaction, Payload};

pub(super) fn show(ui: &mut Ui, s: &Session, v: &ViewState, out: &mut Vec<UiCommand>) {
    let now = s.engine.now();
    let Some(it) = s
        .engine
        .open_interactions(s.agent)
        .into_iter()
        .find(|it| it.stage == Stage::Offered && channel_shown(s, v, it.channel))
    else {
        return;
    };
    let left = it
        .offer_expires
        .map(|t| (t - now).num_seconds().max(0))
        .unwrap_or(0);
    let frame = egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .stroke(egui::Stroke::new(
            2.0,
            crate::ui::theme::stage_badge(Stage::Offered),
        ));
    frame.show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new(format!("Invitation {}", it.id)).heading());
        ui.label(RichText::new(it.channel.title()).strong());
        offer_summary(ui, s, it);
        if s.practice_hold {
            ui.label("The clock waits for your answer (practice)");
        } else {
            ui.label(format!("Withdraws in {left} s"));
        }
        let target = Target::Interaction(it.id);
        let buttons = ui
            .horizontal(|ui| {
                let buttons: Vec<_> = [Action::Accept, Action::Decline]
                    .into_iter()
                    .filter(|&a| drawn(s, v, target, a))
                    .map(|a| (a, action_button(ui, s, target, a, out).rect))
                    .collect();
                if ui.button("Show").clicked() {
                    out.push(UiCommand::Select(it.id));
                }
                buttons
            })
            .inner;
        if v.explain_all {
            reasons(ui, s, target, &buttons);
        }
    });
    ui.add_space(4.0);
}

/// Who is offered: the callback's customer and reason, or the record's contact and campaign.
fn offer_summary(ui: &mut Ui, s: &Session, it: &Interaction) {
    match &it.payload {
        Payload::WebCallback(cb) => {
            ui.add(egui::Label::new(format!("{} · {}", cb.customer, cb.number)).wrap());
            ui.add(
                egui::Label::new(format!(
                    "Callback {}: {}",
                    cb.kind.describe(cb.desired),
                    cb.reason
                ))
                .wrap(),
            );
        }
        Payload::Outbound { .. } => {
            if let Some(chain) = s.engine.chain_of(it) {
                let campaign = s
                    .engine
                    .campaign(chain.campaign)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                ui.add(egui::Label::new(format!("{} · {campaign}", chain.contact_name)).wrap());
            }
        }
    }
}
