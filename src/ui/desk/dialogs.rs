//! The dialogs that ask for an action's arguments: reschedule (on the same or a new number),
//! call result, disposition and dial-alternative. Their input lives in the view state until OK
//! sends the action or Close drops it.

use egui::{Align2, Button, RichText, Ui};

use crate::engine::{Args, Target};
use crate::policy::Action;
use crate::ui::theme;
use crate::ui::view_state::Dialog;
use crate::ui::{Session, UiCommand, ViewState};
use crate::world::{CallResult, InteractionId, SimTime, fmt_time, validate_phone};

pub(super) fn show(ui: &mut Ui, s: &Session, v: &mut ViewState, out: &mut Vec<UiCommand>) {
    let Some(dialog) = &mut v.dialog else {
        return;
    };
    let title = match dialog {
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
        .show(ui.ctx(), |ui| match dialog {
            Dialog::Reschedule { .. } => reschedule(ui, s, dialog, out),
            Dialog::CallResult { target, choice } => {
                for r in CallResult::ALL {
                    ui.radio_value(choice, r, format!("{} ({})", r.label(), r.code()));
                }
                let args = Args::CallResult(*choice);
                ok_close(ui, *target, Action::SetCallResult, args, out);
            }
            Dialog::Disposition { target, choice } => {
                for option in &s.engine.scenario().dispositions {
                    ui.radio_value(choice, option.clone(), option);
                }
                let args = Args::Disposition(choice.clone());
                ok_close(ui, *target, Action::SetDisposition, args, out);
            }
            Dialog::DialAlternative { target } => dial_alternative(ui, s, *target, out),
        });
}

/// OK (send the action with `args`) and Close.
fn ok_close(
    ui: &mut Ui,
    target: InteractionId,
    action: Action,
    args: Args,
    out: &mut Vec<UiCommand>,
) {
    ui.horizontal(|ui| {
        if ui.button("OK").clicked() {
            out.push(UiCommand::Act {
                target: Target::Interaction(target),
                action,
                args,
            });
        }
        if ui.button("Close").clicked() {
            out.push(UiCommand::CloseDialog);
        }
    });
}

fn reschedule(ui: &mut Ui, s: &Session, dialog: &mut Dialog, out: &mut Vec<UiCommand>) {
    let Dialog::Reschedule {
        target,
        new_number,
        day,
        hour,
        minute,
        number,
    } = dialog
    else {
        return;
    };
    let at = s.reschedule_time(*day, *hour, *minute);
    time_picker(ui, s, day, hour, minute);
    contact_time(ui, s, *target, at);
    let mut problem = s
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
        ui.label(RichText::new(p).color(theme::bad(ui.visuals())));
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

/// The day (the next eight on the simulated calendar), hour and minute.
fn time_picker(ui: &mut Ui, s: &Session, day: &mut i64, hour: &mut u32, minute: &mut u32) {
    ui.label("Day (simulated calendar)");
    ui.horizontal_wrapped(|ui| {
        for offset in 0..8 {
            let date = s.engine.now().date() + chrono::Duration::days(offset);
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
}

/// What the proposed time is for the contact, against their calling window.
fn contact_time(ui: &mut Ui, s: &Session, target: InteractionId, at: SimTime) {
    if let Some(it) = s.engine.interaction(target)
        && let Some(chain) = s.engine.chain_of(it)
    {
        let r = &chain.records[chain.selected];
        ui.label(format!(
            "Contact time then: {} {} · calling window {}",
            r.time_zone.local(at).format("%a %H:%M"),
            r.time_zone.name,
            r.window
        ));
    }
}

fn dial_alternative(ui: &mut Ui, s: &Session, target: InteractionId, out: &mut Vec<UiCommand>) {
    if let Some(it) = s.engine.interaction(target)
        && let Some(chain) = s.engine.chain_of(it)
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
                    target: Target::Interaction(target),
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
