//! The invitation toast: an interaction offered to the agent, with Accept and Decline (the
//! toolbar's own action buttons) until the offer is withdrawn.

use egui::{Align2, RichText, Ui};

use super::toolbar::action_cell;
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
    egui::Window::new(format!("Invitation {}", it.id))
        .id(egui::Id::unique("invitation_toast"))
        .anchor(Align2::RIGHT_BOTTOM, [-16.0, -56.0])
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| {
            ui.label(RichText::new(it.channel.title()).strong());
            offer_summary(ui, s, it);
            ui.label(RichText::new(format!("Withdraws in {left} s")).small());
            ui.horizontal(|ui| {
                for action in [Action::Accept, Action::Decline] {
                    action_cell(ui, s, v, Target::Interaction(it.id), action, out);
                }
                if ui.button("Show").clicked() {
                    out.push(UiCommand::Select(it.id));
                }
            });
        });
}

/// Who is offered: the callback's customer and reason, or the record's contact and campaign.
fn offer_summary(ui: &mut Ui, s: &Session, it: &Interaction) {
    match &it.payload {
        Payload::WebCallback(cb) => {
            ui.label(format!("{} · {}", cb.customer, cb.number));
            ui.label(format!("{} callback: {}", cb.kind.label(), cb.reason));
        }
        Payload::Outbound { .. } => {
            if let Some(chain) = s.engine.chain_of(it) {
                let campaign = s
                    .engine
                    .campaign(chain.campaign)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                ui.label(format!("{} · {campaign}", chain.contact_name));
            }
        }
    }
}
