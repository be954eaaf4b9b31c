//! Drawing the desktop: top bar, campaigns and interaction list, the selected interaction with
//! its action toolbar, dialogs, the invitation toast and notices.
//!
//! Views read the [`Desktop`] and return [`UiCommand`]s; the only state they change in place is
//! view state (dialog input, field edits). Every button's enabled state and hover text come from
//! `Desktop::check`, i.e. the one authorization function.

use egui::{Align2, Button, Color32, Key, Modifiers, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::state::{Desktop, Dialog, NoticeKind, SPEEDS, UiCommand};
use crate::engine::{Args, Target};
use crate::policy::{Action, Channel, Denial, DenialKind, Stage};
use crate::world::{CallResult, CampaignMode, Interaction, Payload, fmt_time, validate_phone};

/// Keyboard shortcuts (Alt + key) for the frequent actions.
pub const SHORTCUTS: &[(Key, Action)] = &[
    (Key::A, Action::Accept),
    (Key::X, Action::Decline),
    (Key::D, Action::Dial),
    (Key::H, Action::HangUp),
    (Key::J, Action::Reject),
    (Key::C, Action::Cancel),
    (Key::R, Action::Reschedule),
    (Key::K, Action::SetCallResult),
    (Key::S, Action::SetDisposition),
    (Key::M, Action::MarkDone),
    (Key::N, Action::DoneAndGetNext),
];

pub fn shortcut_of(action: Action) -> Option<Key> {
    SHORTCUTS
        .iter()
        .find(|(_, a)| *a == action)
        .map(|(k, _)| *k)
}

/// A callback not yet called this long after its desired time is flagged as late.
const LATE_AFTER_MINUTES: i64 = 5;

const DENIED: Color32 = Color32::from_rgb(200, 60, 50);
const ALLOWED: Color32 = Color32::from_rgb(40, 140, 70);

/// Draws the whole desktop and returns what the user asked for this frame.
pub fn desktop(ui: &mut Ui, d: &mut Desktop) -> Vec<UiCommand> {
    let mut out = Vec::new();
    shortcuts(ui, d, &mut out);
    egui::Panel::top("top_bar").show(ui, |ui| top_bar(ui, d, &mut out));
    egui::Panel::bottom("notices")
        .resizable(false)
        .show(ui, |ui| notices(ui, d, &mut out));
    egui::Panel::left("sidebar")
        .resizable(true)
        .default_size(300.0)
        .show(ui, |ui| sidebar(ui, d, &mut out));
    egui::CentralPanel::default().show(ui, |ui| workspace(ui, d, &mut out));
    invitation_toast(ui, d, &mut out);
    dialog(ui, d, &mut out);
    super::workbench::windows(ui, d, &mut out);
    out
}

fn shortcuts(ui: &mut Ui, d: &Desktop, out: &mut Vec<UiCommand>) {
    let Some(id) = d.selected else { return };
    for (key, action) in SHORTCUTS {
        if ui.input_mut(|i| i.consume_key(Modifiers::ALT, *key)) {
            out.push(UiCommand::Request {
                target: Target::Interaction(id),
                action: *action,
            });
        }
    }
    if ui.input_mut(|i| i.consume_key(Modifiers::ALT, Key::G))
        && let Some(c) = d
            .engine
            .campaigns
            .iter()
            .find(|c| c.mode == CampaignMode::Preview && c.running)
    {
        out.push(UiCommand::Request {
            target: Target::Campaign(c.id),
            action: Action::GetRecord,
        });
    }
}

fn top_bar(ui: &mut Ui, d: &mut Desktop, out: &mut Vec<UiCommand>) {
    ui.horizontal_wrapped(|ui| {
        ui.heading("agentdesk");
        ui.separator();
        let agents: Vec<String> = d
            .engine
            .roles
            .agents
            .iter()
            .map(|a| a.name.clone())
            .collect();
        let current = d.agent_name();
        egui::ComboBox::from_label("Agent")
            .selected_text(current.clone())
            .show_ui(ui, |ui| {
                for (i, name) in agents.iter().enumerate() {
                    if ui.selectable_label(*name == current, name).clicked() {
                        out.push(UiCommand::SwitchAgent(i));
                    }
                }
            });
        let session_roles = d
            .engine
            .agent(d.agent)
            .map(|a| a.roles.clone())
            .unwrap_or_default();
        let role_names: Vec<&str> = session_roles
            .iter()
            .filter_map(|&r| d.engine.roles.roles.get(r))
            .map(|r| r.name.as_str())
            .collect();
        let summary = if role_names.is_empty() {
            "Roles: none".to_string()
        } else {
            format!("Roles: {}", role_names.join(" + "))
        };
        ui.menu_button(summary, |ui| {
            ui.label(RichText::new("Switch roles live").strong());
            for (i, role) in d.engine.roles.roles.iter().enumerate() {
                let mut on = session_roles.contains(&i);
                if ui
                    .checkbox(&mut on, &role.name)
                    .on_hover_text(&role.description)
                    .changed()
                {
                    let mut roles = session_roles.clone();
                    if on {
                        roles.push(i);
                        roles.sort_unstable();
                    } else {
                        roles.retain(|&r| r != i);
                    }
                    out.push(UiCommand::SetRoles(roles));
                }
            }
        });
        let ready = d.engine.agent(d.agent).is_some_and(|a| a.ready);
        if ui.selectable_label(ready, "Ready").clicked() && !ready {
            out.push(UiCommand::SetReady(true));
        }
        if ui.selectable_label(!ready, "Not Ready").clicked() && ready {
            out.push(UiCommand::SetReady(false));
        }
        ui.separator();
        ui.label(RichText::new(d.clock_text()).monospace().strong())
            .on_hover_text("Simulated centre time");
        let label = if d.pace.paused { "Run" } else { "Pause" };
        if ui.button(label).clicked() {
            out.push(UiCommand::Pause(!d.pace.paused));
        }
        if ui
            .button("Step")
            .on_hover_text("Jump to the next simulated event")
            .clicked()
        {
            out.push(UiCommand::Step);
        }
        egui::ComboBox::from_label("Speed")
            .selected_text(format!("{}x", d.pace.speed))
            .show_ui(ui, |ui| {
                for s in SPEEDS {
                    if ui
                        .selectable_label(d.pace.speed == s, format!("{s}x"))
                        .clicked()
                    {
                        out.push(UiCommand::Speed(s));
                    }
                }
            });
        ui.separator();
        ui.checkbox(&mut d.explain_all, "Why disabled?")
            .on_hover_text("Show the reason beside every disabled action");
        ui.separator();
        super::workbench::menu(ui, d, out);
    });
}

fn sidebar(ui: &mut Ui, d: &Desktop, out: &mut Vec<UiCommand>) {
    ui.heading("Campaigns");
    for c in &d.engine.campaigns {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(&c.name).strong());
                let (text, color) = if c.running {
                    ("running", ALLOWED)
                } else {
                    ("stopped", Color32::GRAY)
                };
                ui.label(RichText::new(text).color(color).small());
            });
            let mode = match c.mode {
                CampaignMode::Preview => "Preview (pull)",
                CampaignMode::PushPreview => "Push Preview",
            };
            ui.label(format!("{mode} · {} waiting", c.queue.len()))
                .on_hover_text(format!(
                    "{} numbers on this campaign's Do Not Call list",
                    c.do_not_call.len()
                ));
            if c.mode == CampaignMode::Preview {
                action_button(ui, d, Target::Campaign(c.id), Action::GetRecord, out);
            }
        });
    }
    ui.separator();
    let open = d.engine.open_interactions(d.agent);
    ui.heading(format!("My interactions ({})", open.len()));
    let waiting = d.engine.waiting_callbacks().count();
    ui.label(RichText::new(format!("{waiting} web callbacks waiting in the service")).small());
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .id_salt("interaction_list")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, open.len(), |ui, range| {
            for it in &open[range] {
                let selected = d.selected == Some(it.id);
                let text = format!("{}  [{}]", d.title_of(it.id), it.stage);
                if ui.selectable_label(selected, text).clicked() {
                    out.push(UiCommand::Select(it.id));
                }
            }
        });
}

/// A button for one action, enabled exactly when the authorization function allows it, with
/// the denial's explanation as its hover text.
fn action_button(
    ui: &mut Ui,
    d: &Desktop,
    target: Target,
    action: Action,
    out: &mut Vec<UiCommand>,
) {
    let decision = d.check(target, action);
    let response = ui.add_enabled(decision.is_ok(), Button::new(action.label()));
    let response = match &decision {
        Ok(()) => {
            let hint = match shortcut_of(action) {
                Some(k) => format!("{} (Alt+{})", action.label(), k.name()),
                None => action.label().to_string(),
            };
            response.on_hover_text(hint)
        }
        Err(denial) => response.on_disabled_hover_text(denial.explain()),
    };
    if response.clicked() {
        out.push(UiCommand::Request { target, action });
    }
    if d.explain_all
        && let Err(denial) = &decision
    {
        ui.label(
            RichText::new(short_reason(denial))
                .small()
                .color(reason_color(denial)),
        );
    }
}

fn short_reason(denial: &Denial) -> String {
    match denial.kind {
        DenialKind::Privilege => format!("needs {}", denial.missing.names().join(" + ")),
        _ => denial
            .summary()
            .split_once(": ")
            .map(|(_, r)| r.to_string())
            .unwrap_or_default(),
    }
}

fn reason_color(denial: &Denial) -> Color32 {
    match denial.kind {
        DenialKind::Privilege => DENIED,
        _ => Color32::GRAY,
    }
}

fn workspace(ui: &mut Ui, d: &mut Desktop, out: &mut Vec<UiCommand>) {
    let Some(id) = d.selected else {
        ui.vertical_centered(|ui| {
            ui.add_space(80.0);
            ui.heading("No open interaction");
            ui.label("Get a record from a preview campaign, or wait for an invitation.");
        });
        return;
    };
    let Some(it) = d.engine.interaction(id).cloned() else {
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(d.title_of(id));
        stage_badge(ui, it.stage);
    });
    ui.label(format!(
        "Opened {} · {}",
        fmt_time(it.opened_at),
        channel_hint(it.channel)
    ));
    ui.separator();
    toolbar(ui, d, &it, out);
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("interaction_body")
        .show(ui, |ui| match &it.payload {
            Payload::WebCallback(_) => callback_view(ui, d, &it),
            Payload::Outbound { .. } => record_view(ui, d, &it, out),
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
    let color = match stage {
        Stage::Offered => Color32::from_rgb(200, 140, 20),
        Stage::Preview => Color32::from_rgb(60, 110, 190),
        Stage::Dialing => Color32::from_rgb(150, 90, 190),
        Stage::Connected => ALLOWED,
        Stage::AfterCall => Color32::from_rgb(110, 110, 110),
        Stage::Campaign | Stage::Closed => Color32::DARK_GRAY,
    };
    ui.label(
        RichText::new(format!(" {} ", stage.as_str()))
            .color(Color32::WHITE)
            .background_color(color)
            .strong(),
    );
}

fn toolbar(ui: &mut Ui, d: &Desktop, it: &Interaction, out: &mut Vec<UiCommand>) {
    ui.horizontal_wrapped(|ui| {
        for &action in it.channel.actions() {
            if action == Action::GetRecord {
                continue;
            }
            if d.explain_all {
                ui.vertical(|ui| action_button(ui, d, Target::Interaction(it.id), action, out));
            } else {
                action_button(ui, d, Target::Interaction(it.id), action, out);
            }
        }
    });
}

fn callback_view(ui: &mut Ui, d: &Desktop, it: &Interaction) {
    let Payload::WebCallback(cb) = &it.payload else {
        return;
    };
    ui.heading("Callback information");
    egui::Grid::new("callback_info")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let rows = [
                ("Type", cb.kind.label().to_string()),
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
    let late = d.engine.now() - cb.desired;
    if late > chrono::Duration::minutes(LATE_AFTER_MINUTES) && it.calls.is_empty() {
        ui.label(
            RichText::new(format!(
                "{} minutes past the customer's desired time",
                late.num_minutes()
            ))
            .color(DENIED),
        );
    }
    calls_view(ui, it);
}

fn calls_view(ui: &mut Ui, it: &Interaction) {
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

fn record_view(ui: &mut Ui, d: &mut Desktop, it: &Interaction, out: &mut Vec<UiCommand>) {
    let Some(chain) = d.engine.chain_of(it).cloned() else {
        return;
    };
    let campaign = d
        .engine
        .campaign(chain.campaign)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    ui.heading(format!("Contact · {campaign}"));
    let edit_decision = d.check(Target::Interaction(it.id), Action::EditRecordData);
    egui::Grid::new("contact_fields")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for field in &chain.fields {
                let label = ui.label(RichText::new(&field.name).strong());
                if field.editable && edit_decision.is_ok() {
                    let slot = match d.field_edits.iter().position(|(n, _)| *n == field.name) {
                        Some(i) => i,
                        None => {
                            d.field_edits
                                .push((field.name.clone(), field.value.clone()));
                            d.field_edits.len() - 1
                        }
                    };
                    ui.add(
                        egui::TextEdit::singleline(&mut d.field_edits[slot].1).desired_width(260.0),
                    )
                    .labelled_by(label.id);
                } else {
                    let suffix = if field.editable { "" } else { "  (read-only)" };
                    let shown = ui.label(format!("{}{suffix}", field.value));
                    if field.editable
                        && let Err(denial) = &edit_decision
                    {
                        ui.label(RichText::new("not editable for you").small().weak())
                            .on_hover_text(denial.explain());
                    } else if field.editable {
                        shown.on_hover_text("Editable field");
                    }
                }
                ui.end_row();
            }
        });
    let changed: Vec<(String, String)> = d
        .field_edits
        .iter()
        .filter(|(name, value)| {
            chain
                .fields
                .iter()
                .any(|f| &f.name == name && &f.value != value)
        })
        .cloned()
        .collect();
    if !changed.is_empty()
        && ui
            .add_enabled(edit_decision.is_ok(), Button::new("Save record data"))
            .clicked()
    {
        for (field, value) in changed {
            out.push(UiCommand::Act {
                target: Target::Interaction(it.id),
                action: Action::EditRecordData,
                args: Args::Edit { field, value },
            });
        }
    }
    ui.add_space(8.0);
    ui.heading("Record chain");
    let now = d.engine.now();
    let dnc = d
        .engine
        .campaign(chain.campaign)
        .map(|c| c.do_not_call.clone())
        .unwrap_or_default();
    TableBuilder::new(ui)
        .id_salt("chain_table")
        .striped(true)
        .column(Column::auto())
        .column(Column::auto().at_least(130.0))
        .column(Column::auto())
        .column(Column::auto().at_least(110.0))
        .column(Column::auto())
        .column(Column::auto())
        .column(Column::auto().at_least(175.0))
        .column(Column::remainder())
        .header(20.0, |mut h| {
            for t in [
                "",
                "Number",
                "Type",
                "Time zone",
                "Window",
                "Attempts",
                "Last result",
                "Status",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|mut body| {
            for (i, r) in chain.records.iter().enumerate() {
                body.row(20.0, |mut row| {
                    row.col(|ui| {
                        if i == chain.selected {
                            ui.label(RichText::new("system").small().strong())
                                .on_hover_text("The number the system selected for the next call");
                        }
                    });
                    row.col(|ui| {
                        let blocked = dnc.contains(&crate::world::phone_key(&r.phone));
                        let text = if blocked {
                            RichText::new(&r.phone).strikethrough().color(DENIED)
                        } else {
                            RichText::new(&r.phone)
                        };
                        ui.label(text);
                    });
                    row.col(|ui| {
                        ui.label(r.phone_type.label());
                    });
                    row.col(|ui| {
                        let local = r.time_zone.local(now);
                        ui.label(format!("{} ({})", r.time_zone.name, local.format("%H:%M")));
                    });
                    row.col(|ui| {
                        let open = r.window.contains(r.time_zone.local(now).time());
                        let text = RichText::new(r.window.to_string());
                        ui.label(if open {
                            text.color(ALLOWED)
                        } else {
                            text.color(DENIED)
                        })
                        .on_hover_text(if open {
                            "Inside the calling window now"
                        } else {
                            "Outside the calling window now"
                        });
                    });
                    row.col(|ui| {
                        ui.label(r.attempts.to_string());
                    });
                    row.col(|ui| {
                        ui.label(r.call_result.to_string());
                    });
                    row.col(|ui| {
                        ui.label(format!("{:?}", r.status));
                    });
                });
            }
        });
    calls_view(ui, it);
}

fn invitation_toast(ui: &mut Ui, d: &Desktop, out: &mut Vec<UiCommand>) {
    let now = d.engine.now();
    let Some(it) = d
        .engine
        .open_interactions(d.agent)
        .into_iter()
        .find(|it| it.stage == Stage::Offered)
        .cloned()
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
            match &it.payload {
                Payload::WebCallback(cb) => {
                    ui.label(format!("{} · {}", cb.customer, cb.number));
                    ui.label(format!("{} callback: {}", cb.kind.label(), cb.reason));
                }
                Payload::Outbound { .. } => {
                    if let Some(chain) = d.engine.chain_of(&it) {
                        let campaign = d
                            .engine
                            .campaign(chain.campaign)
                            .map(|c| c.name.clone())
                            .unwrap_or_default();
                        ui.label(format!("{} · {campaign}", chain.contact_name));
                    }
                }
            }
            ui.label(RichText::new(format!("Withdraws in {left} s")).small());
            ui.horizontal(|ui| {
                for (action, text) in [(Action::Accept, "Accept"), (Action::Decline, "Decline")] {
                    let target = Target::Interaction(it.id);
                    let decision = d.check(target, action);
                    let r = ui.add_enabled(decision.is_ok(), Button::new(text));
                    let r = match &decision {
                        Ok(()) => r,
                        Err(denial) => r.on_disabled_hover_text(denial.explain()),
                    };
                    if r.clicked() {
                        out.push(UiCommand::Request { target, action });
                    }
                }
                if ui.button("Show").clicked() {
                    out.push(UiCommand::Select(it.id));
                }
            });
        });
}

fn notices(ui: &mut Ui, d: &Desktop, out: &mut Vec<UiCommand>) {
    ui.horizontal(|ui| {
        ui.strong("Notices");
        ui.label(
            RichText::new(format!("{} audit entries", d.engine.audit.entries().len())).small(),
        );
    });
    for (i, n) in d.notices.iter().enumerate().rev().take(3) {
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
    for line in d.engine.log().iter().rev().take(3).rev() {
        ui.label(
            RichText::new(format!("{}  {}", line.time.format("%H:%M:%S"), line.text))
                .small()
                .weak(),
        );
    }
}

fn dialog(ui: &mut Ui, d: &mut Desktop, out: &mut Vec<UiCommand>) {
    let Some(mut dialog) = d.dialog.clone() else {
        return;
    };
    let title = match &dialog {
        Dialog::Reschedule {
            new_number: true, ..
        } => "Reschedule on a new number",
        Dialog::Reschedule { .. } => "Reschedule",
        Dialog::CallResult { .. } => "Set call result",
        Dialog::Disposition { .. } => "Set disposition",
        Dialog::DialAlternative { .. } => "Dial an alternative number",
    };
    egui::Window::new(title)
        .id(egui::Id::unique("action_dialog"))
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| match &mut dialog {
            Dialog::Reschedule {
                target,
                new_number,
                day,
                hour,
                minute,
                number,
            } => {
                let at = d.reschedule_time(*day, *hour, *minute);
                ui.label("Day (simulated calendar)");
                ui.horizontal_wrapped(|ui| {
                    for offset in 0..8 {
                        let date = d.engine.now().date() + chrono::Duration::days(offset);
                        let text = date.format("%a %d %b").to_string();
                        if ui.selectable_label(*day == offset, text).clicked() {
                            *day = offset;
                        }
                    }
                });
                ui.horizontal(|ui| {
                    let l = ui.label("Hour");
                    ui.add(egui::DragValue::new(hour).range(0..=23))
                        .labelled_by(l.id);
                    let l = ui.label("Minute");
                    ui.add(egui::DragValue::new(minute).range(0..=59).speed(5))
                        .labelled_by(l.id);
                });
                if let Some(it) = d.engine.interaction(*target)
                    && let Some(chain) = d.engine.chain_of(it)
                {
                    let r = &chain.records[chain.selected];
                    ui.label(format!(
                        "Contact time then: {} {} · calling window {}",
                        r.time_zone.local(at).format("%a %H:%M"),
                        r.time_zone.name,
                        r.window
                    ));
                }
                let mut problem = d
                    .engine
                    .reschedule_time_problem(*target, at)
                    .map(|p| p.to_string());
                if *new_number {
                    let l = ui.label("New number");
                    ui.add(egui::TextEdit::singleline(number).hint_text("+1 212 555 0100"))
                        .labelled_by(l.id);
                    if let Err(e) = validate_phone(number) {
                        problem.get_or_insert(e);
                    }
                }
                ui.label(format!("Reschedule to {}", fmt_time(at)));
                if let Some(p) = &problem {
                    ui.label(RichText::new(p).color(DENIED));
                }
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(problem.is_none(), Button::new("OK"))
                        .clicked()
                    {
                        let (action, args) = if *new_number {
                            (
                                Action::RescheduleNewNumber,
                                Args::NewNumber {
                                    number: number.clone(),
                                    at,
                                },
                            )
                        } else {
                            (Action::Reschedule, Args::At(at))
                        };
                        out.push(UiCommand::Act {
                            target: Target::Interaction(*target),
                            action,
                            args,
                        });
                    }
                    if ui.button("Close").clicked() {
                        out.push(UiCommand::CloseDialog);
                    }
                });
            }
            Dialog::CallResult { target, choice } => {
                for r in CallResult::ALL {
                    ui.radio_value(choice, r, format!("{} ({})", r.label(), r.code()));
                }
                ui.horizontal(|ui| {
                    if ui.button("OK").clicked() {
                        out.push(UiCommand::Act {
                            target: Target::Interaction(*target),
                            action: Action::SetCallResult,
                            args: Args::CallResult(*choice),
                        });
                    }
                    if ui.button("Close").clicked() {
                        out.push(UiCommand::CloseDialog);
                    }
                });
            }
            Dialog::Disposition { target, choice } => {
                for option in &d.engine.scenario.dispositions {
                    ui.radio_value(choice, option.clone(), option);
                }
                ui.horizontal(|ui| {
                    if ui.button("OK").clicked() {
                        out.push(UiCommand::Act {
                            target: Target::Interaction(*target),
                            action: Action::SetDisposition,
                            args: Args::Disposition(choice.clone()),
                        });
                    }
                    if ui.button("Close").clicked() {
                        out.push(UiCommand::CloseDialog);
                    }
                });
            }
            Dialog::DialAlternative { target } => {
                if let Some(it) = d.engine.interaction(*target)
                    && let Some(chain) = d.engine.chain_of(it)
                {
                    for (i, r) in chain.records.iter().enumerate() {
                        if i == chain.selected {
                            continue;
                        }
                        if ui
                            .button(format!("Dial {} ({})", r.phone, r.phone_type.label()))
                            .clicked()
                        {
                            out.push(UiCommand::Act {
                                target: Target::Interaction(*target),
                                action: Action::DialAlternative,
                                args: Args::Record(i),
                            });
                        }
                    }
                    if chain.records.len() < 2 {
                        ui.label("This contact has no other number.");
                    }
                }
                if ui.button("Close").clicked() {
                    out.push(UiCommand::CloseDialog);
                }
            }
        });
    // Keep the input unless a command closed or replaced the dialog this frame.
    if d.dialog.is_some() {
        d.dialog = Some(dialog);
    }
}
