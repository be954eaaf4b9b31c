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
            agent_view_toggle(ui, s, v);
            recording_badge(ui, s, v);
            records_badge(ui, s);
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

/// "Agent's view", beside "Why disabled?": the desk as the agent will meet it, without the
/// actions the role does not grant. Locked (and saying by what) when a lesson or a practice
/// shift fixes the view.
fn agent_view_toggle(ui: &mut Ui, s: &Session, v: &mut ViewState) {
    use crate::policy::DeskView;
    // The lock lasts while the lesson that set it runs, however that lesson ends.
    if s.lesson.is_none() {
        v.desk_view_fixed_by = None;
    }
    let mut on = v.desk_view == DeskView::Agent;
    let hover = match &v.desk_view_fixed_by {
        Some(by) => format!("The {} is fixed by {by}", v.desk_view.label()),
        None => "Draw the desk as the agent will meet it: actions the role does not grant are \
                 not drawn, stage and compliance denials stay greyed"
            .to_string(),
    };
    let enabled = v.desk_view_fixed_by.is_none();
    let response = ui
        .add_enabled(enabled, egui::Checkbox::new(&mut on, "Agent's view"))
        .on_hover_text(hover.clone())
        .on_disabled_hover_text(hover);
    if response.changed() {
        v.desk_view = if on {
            DeskView::Agent
        } else {
            DeskView::Explained
        };
    }
}

/// When the desk records learning statements: how many wait for the LRS, and why.
fn records_badge(ui: &mut Ui, s: &Session) {
    let Some(r) = &s.records else {
        return;
    };
    let st = r.status();
    let (text, colour) = match (&st.write_error, st.waiting) {
        (Some(_), _) => (
            "xAPI: not recorded".to_string(),
            crate::ui::theme::bad(ui.visuals()),
        ),
        (None, 0) => (
            "xAPI: all sent".to_string(),
            crate::ui::theme::good(ui.visuals()),
        ),
        (None, n) => (
            format!("xAPI: {n} waiting"),
            crate::ui::theme::bad(ui.visuals()),
        ),
    };
    let mut why = format!("Outbox {}", r.config.outbox.display());
    for line in [&st.write_error, &st.why].into_iter().flatten() {
        why.push_str(&format!("\n{line}"));
    }
    if st.rejected > 0 {
        why.push_str(&format!(
            "\n{} rejected by the LRS (rejected.jsonl)",
            st.rejected
        ));
    }
    ui.label(RichText::new(text).color(colour))
        .on_hover_text(why);
    // The sender works on its own thread: while statements wait, look again in a moment.
    if st.waiting > 0 {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs(1));
    }
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
    // The menu stays open while roles are ticked (the desk changes live beside it).
    let config = egui::containers::menu::MenuConfig::new()
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    let menu = egui::containers::menu::MenuButton::from_button(button).config(config);
    let (response, _) = menu.ui(ui, |ui| {
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
    // As wide as its longer word either way, so nothing right of it moves.
    let size = [width_of(ui, "Not Ready"), ui.spacing().interact_size.y];
    if ui
        .add_sized(size, egui::Button::selectable(ready, text))
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
    let size = [width_of(ui, "Pause"), ui.spacing().interact_size.y];
    if ui.add_sized(size, egui::Button::new(label)).clicked() {
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

/// The width of a button labelled `longest`, for a button whose label changes.
fn width_of(ui: &Ui, longest: &str) -> f32 {
    let font = egui::TextStyle::Button.resolve(ui.style());
    let galley = ui
        .painter()
        .layout_no_wrap(longest.to_string(), font, egui::Color32::PLACEHOLDER);
    galley.size().x + 2.0 * ui.spacing().button_padding.x
}
