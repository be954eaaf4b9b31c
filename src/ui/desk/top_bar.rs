//! The top bar: who is logged in and with which roles, ready state, the simulated clock and
//! its pace, the "why disabled?" overlay and the Workbench menu.

use egui::{RichText, Ui};

use crate::ui::session::SPEEDS;
use crate::ui::{Session, UiCommand, ViewState, workbench};

pub(super) fn show(ui: &mut Ui, s: &Session, v: &mut ViewState, out: &mut Vec<UiCommand>) {
    ui.horizontal_wrapped(|ui| {
        ui.heading("agentdesk");
        ui.separator();
        agent_picker(ui, s, out);
        roles_menu(ui, s, out);
        ready_toggle(ui, s, out);
        ui.separator();
        clock(ui, s, out);
        ui.separator();
        ui.checkbox(&mut v.explain_all, "Why disabled?")
            .on_hover_text("Show the reason beside every disabled action");
        ui.separator();
        workbench::menu(ui, s, v);
    });
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
    egui::ComboBox::from_label("Agent")
        .selected_text(current.clone())
        .show_ui(ui, |ui| {
            for (i, name) in agents.iter().enumerate() {
                if ui.selectable_label(*name == current, name).clicked() {
                    out.push(UiCommand::SwitchAgent(i));
                }
            }
        });
}

/// The agent's roles, switchable live.
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
    ui.menu_button(summary, |ui| {
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
}

fn ready_toggle(ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
    let ready = s.engine.agent(s.agent).is_some_and(|a| a.ready);
    if ui.selectable_label(ready, "Ready").clicked() && !ready {
        out.push(UiCommand::SetReady(true));
    }
    if ui.selectable_label(!ready, "Not Ready").clicked() && ready {
        out.push(UiCommand::SetReady(false));
    }
}

/// The simulated clock, run/pause, step and speed.
fn clock(ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
    ui.label(RichText::new(s.clock_text()).monospace().strong())
        .on_hover_text("Simulated centre time");
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
    egui::ComboBox::from_label("Speed")
        .selected_text(format!("{}x", s.pace.speed))
        .show_ui(ui, |ui| {
            for speed in SPEEDS {
                if ui
                    .selectable_label(s.pace.speed == speed, format!("{speed}x"))
                    .clicked()
                {
                    out.push(UiCommand::Speed(speed));
                }
            }
        });
}
