//! The invitation: an interaction offered to the agent, with Accept and Decline (the
//! toolbar's own action buttons) until the offer is withdrawn. Drawn at the top of the
//! sidebar, framed and coloured like a toast, where it covers nothing.

use egui::{RichText, Ui};

use super::toolbar::{action_button, channel_shown, drawn, reasons};
use crate::engine::Target;
use crate::policy::{Action, Stage};
use crate::ui::{Session, UiCommand, ViewState};
use crate::world::{Interaction, Payload};

/// The invitation the sidebar shows (the first one offered), which Alt+A and Alt+X answer.
pub(super) fn shown_invitation<'a>(s: &'a Session, v: &ViewState) -> Option<&'a Interaction> {
    s.engine
        .open_interactions(s.agent)
        .into_iter()
        .find(|it| it.stage == Stage::Offered && channel_shown(s, v, it.channel))
}

pub(super) fn show(ui: &mut Ui, s: &Session, v: &ViewState, out: &mut Vec<UiCommand>) {
    let now = s.engine.now();
    // The card keeps one height, invitation or not, so the campaigns below never jump.
    let height = card_height(ui);
    let Some(it) = shown_invitation(s, v) else {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.set_min_height(height);
            ui.label(RichText::new("No invitation").heading());
            ui.label("Invitations appear here while you are Ready.");
        });
        ui.add_space(4.0);
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
        ui.set_min_height(height);
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
            // One line each (whole on hover), so the card's buttons never move.
            ui.add(egui::Label::new(format!("{} · {}", cb.customer, cb.number)).truncate());
            ui.add(
                egui::Label::new(format!(
                    "Callback {}: {}",
                    cb.kind.describe(cb.desired),
                    cb.reason
                ))
                .truncate(),
            );
        }
        Payload::Outbound { .. } => {
            if let Some(chain) = s.engine.chain_of(it) {
                let campaign = s
                    .engine
                    .campaign(chain.campaign)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                ui.add(egui::Label::new(&*chain.contact_name).truncate());
                ui.add(egui::Label::new(campaign).truncate());
            }
        }
    }
}

/// The height of the invitation card: a heading, four lines and the row of buttons.
fn card_height(ui: &Ui) -> f32 {
    let gap = ui.spacing().item_spacing.y;
    let line = ui.text_style_height(&egui::TextStyle::Body) + gap;
    ui.text_style_height(&egui::TextStyle::Heading)
        + gap
        + 4.0 * line
        + ui.spacing().interact_size.y
}
