//! The top bar: who is logged in and with which roles, ready state, the simulated clock and
//! its pace, the "why disabled?" overlay and the Workbench menu.

use egui::{RichText, Ui};

use crate::ui::session::SPEEDS;
use crate::ui::{Session, UiCommand, ViewState, workbench};

pub(super) fn show(ui: &mut Ui, s: &Session, v: &mut ViewState, out: &mut Vec<UiCommand>) {
    // One row that never wraps: the toggles sit at the right edge, so a longer role list
    // never moves them under the mouse; the role list takes what is left and truncates.
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            workbench::menu(ui, s, v);
            ui.checkbox(&mut v.explain_all, "Why disabled?")
                .on_hover_text("List the reason of every disabled action under its row");
            recording_badge(ui, s, v);
            ui.separator();
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                agent_picker(ui, s, out);
                ready_toggle(ui, s, out);
                ui.separator();
                clock(ui, s, out);
                ui.separator();
                roles_menu(ui, s, out);
            });
        });
    });
}

/// While a recording runs: a badge that says so, and opens the Record and replay tool.
fn recording_badge(ui: &mut Ui, s: &Session, v: &mut ViewState) {
    let Some(r) = &s.recorder else {
        return;
    };
    let text = RichText::new("REC").strong().color(egui::Color32::WHITE);
    let badge = egui::Button::new(text).fill(crate::ui::theme::DENIED);
    if ui
        .add(badge)
        .on_hover_text(format!(
            "Recording: {} script lines so far. Click to open Record and replay, to stop and \
             save it.",
            r.len()
        ))
        .clicked()
    {
        v.workbench
            .show(|| workbench::record_replay::RecordReplay::new(s));
    }
}

fn agent_picker(ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
    let agents: Vec<String> = s
        .engine
        .roles()
        .agents
        .iter()
        .map(|a| a.name.clone())
        .collect();
    let current = s.agent_name();
    egui::ComboBox::from_id_salt("agent_picker")
        .selected_text(current.clone())
        .width(90.0)
        .show_ui(ui, |ui| {
            for (i, name) in agents.iter().enumerate() {
                if ui.selectable_label(*name == current, name).clicked() {
                    out.push(UiCommand::SwitchAgent(i));
                }
            }
        })
        .response
        .on_hover_text("Log in as another agent of the roles file");
}

/// The agent's roles, switchable live; the button shows as much of their names as fits.
fn roles_menu(ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
    let session_roles = s
        .engine
        .agent(s.agent)
        .map(|a| a.roles.clone())
        .unwrap_or_default();
    let role_names: Vec<&str> = session_roles
        .iter()
        .filter_map(|&r| s.engine.roles().roles.get(r))
        .map(|r| r.name.as_str())
        .collect();
    let summary = if role_names.is_empty() {
        "Roles: none".to_string()
    } else {
        format!("Roles: {}", role_names.join(" + "))
    };
    let button = egui::Button::new(summary.as_str()).truncate();
    let (response, _) = egui::containers::menu::MenuButton::from_button(button).ui(ui, |ui| {
        ui.label(RichText::new("Switch roles live").strong());
        for (i, role) in s.engine.roles().roles.iter().enumerate() {
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
    response.on_hover_text(summary);
}

/// Ready / Not Ready as one toggle: it says the state, a click flips it.
fn ready_toggle(ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
    let ready = s.engine.agent(s.agent).is_some_and(|a| a.ready);
    let text = if ready { "Ready" } else { "Not Ready" };
    if ui
        .selectable_label(ready, text)
        .on_hover_text("Ready agents are offered work; click to switch")
        .clicked()
    {
        out.push(UiCommand::SetReady(!ready));
    }
}

/// The simulated clock, run/pause, step and speed.
fn clock(ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
    ui.label(RichText::new(s.engine.now().format("%H:%M:%S").to_string()).strong())
        .on_hover_text(format!("Simulated centre time: {}", s.clock_text()));
    let label = if s.pace.paused { "Run" } else { "Pause" };
    if ui.button(label).clicked() {
        out.push(UiCommand::Pause(!s.pace.paused));
    }
    if ui
        .button("Step")
        .on_hover_text("Jump to the next simulated event")
        .clicked()
    {
        out.push(UiCommand::Step);
    }
    egui::ComboBox::from_id_salt("speed")
        .selected_text(format!("{}x", s.pace.speed))
        .width(50.0)
        .show_ui(ui, |ui| {
            for speed in SPEEDS {
                if ui
                    .selectable_label(s.pace.speed == speed, format!("{speed}x"))
                    .clicked()
                {
                    out.push(UiCommand::Speed(speed));
                }
            }
        })
        .response
        .on_hover_text("Speed of the simulated clock");
}
