//! The invitation toast: an interaction offered to the agent, with Accept and Decline (the
//! toolbar's own action buttons) until the offer is withdrawn.

use egui::{Align2, RichText, Ui};

use super::toolbar::{action_button, reasons};
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
        .find(|it| it.stage == Stage::Offered)
    else {
        return;
    };
    let left = it
        .offer_expires
        .map(|t| (t - now).num_seconds().max(0))
        .unwrap_or(0);
    // Narrow enough to leave the toolbar's row free on a 1024-pixel projector, and never
    // taller than a third of the window (its reasons scroll inside it).
    let width = (ui.ctx().content_rect().width() * 0.32).clamp(240.0, 360.0);
    egui::Window::new(format!("Invitation {}", it.id))
        .id(egui::Id::unique("invitation_toast"))
        .anchor(
            Align2::RIGHT_BOTTOM,
            [-16.0, -(super::notices::height(ui) + 12.0)],
        )
        .collapsible(false)
        .resizable(false)
        .default_width(width)
        .max_width(width)
        .show(ui.ctx(), |ui| {
            ui.label(RichText::new(it.channel.title()).strong());
            offer_summary(ui, s, it);
            ui.label(format!("Withdraws in {left} s"));
            let target = Target::Interaction(it.id);
            let buttons = ui
                .horizontal(|ui| {
                    let buttons: Vec<_> = [Action::Accept, Action::Decline]
                        .into_iter()
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
}

/// Who is offered: the callback's customer and reason, or the record's contact and campaign.
fn offer_summary(ui: &mut Ui, s: &Session, it: &Interaction) {
    match &it.payload {
        Payload::WebCallback(cb) => {
            ui.add(egui::Label::new(format!("{} · {}", cb.customer, cb.number)).wrap());
            ui.add(egui::Label::new(format!("{} callback: {}", cb.kind.label(), cb.reason)).wrap());
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
