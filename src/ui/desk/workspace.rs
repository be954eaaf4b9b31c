//! The central panel: the selected interaction's header, its action toolbar and its body (a
//! web callback's details or a preview record), with the calls placed so far.

use egui::{Color32, RichText, Ui};

use super::{callback_view, record_view, toolbar};
use crate::engine::Target;
use crate::policy::{Channel, Stage};
use crate::ui::theme;
use crate::ui::{Session, UiCommand, ViewState};
use crate::world::{CallResult, Interaction, Payload, fmt_time};

pub(super) fn show(ui: &mut Ui, s: &Session, v: &mut ViewState, out: &mut Vec<UiCommand>) {
    let Some(id) = v.selected else {
        ui.vertical_centered(|ui| {
            ui.add_space(80.0);
            ui.heading("No open interaction");
            ui.label("Get a record from a preview campaign, or wait for an invitation.");
        });
        return;
    };
    let Some(it) = s.engine.interaction(id) else {
        return;
    };
    // The agent's view has no view of a channel the role cannot use.
    if !toolbar::channel_shown(s, v, it.channel) {
        return;
    }
    ui.horizontal(|ui| {
        stage_badge(ui, it.stage);
        ui.add(egui::Label::new(RichText::new(s.title_of(id)).heading()).truncate());
    });
    // One line, whether rescheduled or not, so the toolbar below never moves.
    let rescheduled = it.reschedule.as_ref().map(|r| {
        let on = r
            .new_number
            .as_ref()
            .map_or_else(String::new, |n| format!(" on {n}"));
        format!(
            "Rescheduled for {}{on} ({}): finish with Mark Done",
            fmt_time(r.at),
            r.scope.label()
        )
    });
    let line = match rescheduled {
        Some(text) => RichText::new(text).color(theme::good(ui.visuals())),
        None => RichText::new(format!(
            "Opened {} · {}",
            fmt_time(it.opened_at),
            channel_hint(it.channel)
        )),
    };
    ui.add(egui::Label::new(line).truncate());
    ui.separator();
    let buttons = toolbar::show(ui, s, v, it, out);
    ui.separator();
    // The reasons and the record scroll as one: however many reasons a narrow desk wraps, the
    // contact's fields and chain stay one scroll away. Each interaction keeps its own scroll.
    egui::ScrollArea::vertical()
        .id_salt(("interaction_body", id.0))
        .show(ui, |ui| {
            if v.explain_all {
                toolbar::reasons(ui, s, Target::Interaction(id), &buttons);
                ui.separator();
            }
            match &it.payload {
                Payload::WebCallback(_) => callback_view::show(ui, s, it),
                Payload::Outbound { .. } => record_view::show(ui, s, v, it, out),
            }
        });
}

fn channel_hint(channel: Channel) -> &'static str {
    match channel {
        Channel::WebCallback => "the customer asked to be called back",
        Channel::Preview => "a record pulled from a preview campaign",
        Channel::PushPreview => "a record pushed by a push-preview campaign",
    }
}

fn stage_badge(ui: &mut Ui, stage: Stage) {
    let color = theme::stage_badge(stage);
    ui.label(
        RichText::new(format!(" {} ", stage.as_str()))
            .color(Color32::WHITE)
            .background_color(color)
            .strong(),
    );
}

/// The calls placed for an interaction, oldest first.
pub(super) fn calls_view(ui: &mut Ui, it: &Interaction) {
    if it.calls.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.heading("Calls");
    for c in &it.calls {
        let what = match (c.truth, c.connected_at, c.ended_at) {
            (None, _, _) => "ringing".to_string(),
            (Some(CallResult::Answer), Some(_), None) => "connected".to_string(),
            (Some(r), _, _) => r.label().to_string(),
        };
        ui.label(format!("{} · {} · {what}", fmt_time(c.started), c.number));
    }
}
