//! The sidebar: the invitation being offered (if any), the campaigns (with Get Record on
//! preview ones) and the agent's open interactions.
//!
//! The invitation sits at the top of the sidebar rather than floating over the desk, so it
//! never covers the toolbar, its reasons or the current interaction. The campaigns scroll in
//! at most half of the sidebar; the interaction list takes the rest.

use egui::{RichText, Ui};

use super::toolbar::{action_button, channel_shown, drawn, reasons};
use crate::engine::Target;
use crate::policy::{Action, Channel};
use crate::ui::theme;
use crate::ui::{Session, UiCommand, ViewState};
use crate::world::CampaignMode;

pub(super) fn show(ui: &mut Ui, s: &Session, v: &ViewState, out: &mut Vec<UiCommand>) {
    super::toast::show(ui, s, v, out);
    let half = ui.available_height() * 0.5;
    egui::ScrollArea::vertical()
        .id_salt("campaign_list")
        .max_height(half)
        .show(ui, |ui| campaigns(ui, s, v, out));
    ui.separator();
    interactions(ui, s, v, out);
}

fn campaigns(ui: &mut Ui, s: &Session, v: &ViewState, out: &mut Vec<UiCommand>) {
    let shown: Vec<_> = s
        .engine
        .campaigns()
        .iter()
        .filter(|c| channel_shown(s, v, c.mode.channel()))
        .collect();
    // The agent's view of a role without outbound has no campaigns, not an empty heading.
    if shown.is_empty() && !s.engine.campaigns().is_empty() {
        return;
    }
    ui.heading("Campaigns");
    for c in shown {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(&c.name).strong());
                if c.running {
                    ui.label(RichText::new("running").color(theme::good(ui.visuals())));
                } else {
                    ui.weak("stopped");
                }
            });
            let mode = match c.mode {
                CampaignMode::Preview => "Preview (pull)",
                CampaignMode::PushPreview => "Push Preview",
            };
            ui.label(format!("{mode} · {} waiting", c.queue.len()))
                .on_hover_text(format!(
                    "{} entries on the Do Not Call list (one list for every campaign)",
                    s.engine.do_not_call().entries().len()
                ));
            let target = Target::Campaign(c.id);
            if c.mode == CampaignMode::Preview && drawn(s, v, target, Action::GetRecord) {
                let rect = action_button(ui, s, target, Action::GetRecord, out).rect;
                if v.explain_all {
                    reasons(ui, s, target, &[(Action::GetRecord, rect)]);
                }
            }
        });
    }
}

fn interactions(ui: &mut Ui, s: &Session, v: &ViewState, out: &mut Vec<UiCommand>) {
    let mut open = s.engine.open_interactions(s.agent);
    open.retain(|it| channel_shown(s, v, it.channel));
    ui.heading(format!("My interactions ({})", open.len()));
    if channel_shown(s, v, Channel::WebCallback) {
        let waiting = s.engine.waiting_callbacks().count();
        ui.label(format!("{waiting} web callbacks waiting in the service"));
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("interaction_list")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, open.len(), |ui, range| {
            // One line per interaction, cut with an ellipsis: the rows have a fixed height.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            for it in &open[range] {
                let selected = v.selected == Some(it.id);
                let text = format!("{}  [{}]", s.title_of(it.id), it.stage);
                if ui.selectable_label(selected, text).clicked() {
                    out.push(UiCommand::Select(it.id));
                }
            }
        });
}
