//! The dialogs that ask for an action's arguments: reschedule (on the same or a new number,
//! personal or campaign callback), call result, disposition, dial-alternative, dial on a new
//! number and Mark Do Not Call. Their input lives in the view state until OK sends the action
//! or Close drops it.

use egui::{Align2, RichText, Ui};

use super::toolbar::attempt_button;

use crate::engine::{Args, Target};
use crate::policy::{Action, Arguments};
use crate::ui::theme;
use crate::ui::view_state::Dialog;
use crate::ui::{Session, UiCommand, ViewState};
use crate::world::scenario::{DISPOSITION_SEPARATOR, disposition_path};
use crate::world::{
    CallResult, CallbackScope, DoNotCallScope, InteractionId, SimTime, Treatment, fmt_time,
    validate_phone,
};

pub(super) fn show(ui: &mut Ui, s: &Session, v: &mut ViewState, out: &mut Vec<UiCommand>) {
    let Some(dialog) = &mut v.dialog else {
        return;
    };
    let title = match dialog {
        Dialog::Reschedule { action, .. } if takes_number(*action) => "Reschedule on a new number",
        Dialog::Reschedule { .. } => "Reschedule",
        Dialog::CallResult { .. } => "Set call result",
        Dialog::Disposition { .. } => "Set disposition",
        Dialog::DialAlternative { .. } => "Dial an alternative number",
        Dialog::DialNewNumber { .. } => "Dial on a new number",
        Dialog::DoNotCall { .. } => "Mark Do Not Call",
        Dialog::SwitchActivity { .. } => "End the running activity?",
        Dialog::Replace { .. } => "Replace the file?",
    };
    egui::Window::new(title)
        .id(egui::Id::unique("action_dialog"))
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| match dialog {
            Dialog::Reschedule { .. } => reschedule(ui, s, dialog, out),
            Dialog::CallResult {
                target,
                action,
                choice,
            } => {
                for r in offered_results(s, *target) {
                    ui.radio_value(choice, r, format!("{} ({})", r.label(), r.code()));
                }
                let args = Args::CallResult(*choice);
                ok_close(ui, *target, *action, args, out);
            }
            Dialog::Disposition {
                target,
                action,
                choice,
            } => {
                disposition_level(ui, &s.engine.scenario().dispositions, &[], choice);
                let args = Args::Disposition(choice.clone());
                ok_close(ui, *target, *action, args, out);
            }
            Dialog::DialAlternative { target, action } => {
                dial_alternative(ui, s, *target, *action, out)
            }
            Dialog::DialNewNumber {
                target,
                action,
                number,
            } => dial_new_number(ui, s, *target, *action, number, out),
            Dialog::DoNotCall {
                target,
                action,
                scope,
            } => do_not_call(ui, s, *target, *action, scope, out),
            Dialog::Replace { path, request } => {
                ui.add(
                    egui::Label::new(format!(
                        "{path} already exists. Replace it with {}?",
                        request.what
                    ))
                    .wrap(),
                );
                ui.horizontal(|ui| {
                    if ui.button("Replace").clicked() {
                        let mut request = request.clone();
                        request.replace = true;
                        out.push(UiCommand::Save(request));
                    }
                    if ui.button("Keep the old file").clicked() {
                        out.push(UiCommand::CloseDialog);
                    }
                });
            }
            Dialog::SwitchActivity { question, then } => {
                ui.add(egui::Label::new(question.as_str()).wrap());
                ui.horizontal(|ui| {
                    if ui.button("End it and start").clicked() {
                        out.push(UiCommand::Confirmed(then.clone()));
                    }
                    if ui.button("Stay").clicked() {
                        out.push(UiCommand::CloseDialog);
                    }
                });
            }
        });
}

/// Whether the reschedule dialog of `action` asks for a new number too.
fn takes_number(action: Action) -> bool {
    action.arguments() == Arguments::NumberAndTime
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
        action,
        day,
        hour,
        minute,
        number,
        personal,
    } = dialog
    else {
        return;
    };
    let at = s.reschedule_time(*day, *hour, *minute);
    time_picker(ui, s, day, hour, minute);
    contact_time(ui, s, *target, at, "then");
    let mut problem = s
        .engine
        .reschedule_time_problem(*target, at)
        .map(|p| p.to_string());
    let new_number = takes_number(*action);
    if new_number {
        let l = ui.label("New number");
        ui.add(egui::TextEdit::singleline(number).hint_text("+1 212 555 0100"))
            .labelled_by(l.id);
        if let Err(e) = validate_phone(number) {
            problem.get_or_insert(e);
        }
    }
    let scope = callback_choice(ui, s, *target, personal);
    ui.label(format!("Reschedule to {}", fmt_time(at)));
    if let Some(p) = &problem {
        ui.label(RichText::new(p).color(theme::bad(ui.visuals())));
    }
    ui.horizontal(|ui| {
        // A disabled OK still sends the attempt: the engine says what is wrong with it.
        if attempt_button(ui, "OK", problem.is_none()).clicked() {
            let args = if new_number {
                Args::NewNumber {
                    number: number.clone(),
                    at,
                    scope,
                }
            } else {
                Args::At { at, scope }
            };
            out.push(UiCommand::Act {
                target: Target::Interaction(*target),
                action: *action,
                args,
            });
        }
        if ui.button("Close").clicked() {
            out.push(UiCommand::CloseDialog);
        }
    });
}

/// The "Personal callback" choice, where the campaign (or the callback service) leaves it to
/// the agent; where it fixes the choice, what it fixes. Returns the scope to send.
fn callback_choice(
    ui: &mut Ui,
    s: &Session,
    target: InteractionId,
    personal: &mut bool,
) -> Option<CallbackScope> {
    let treatment = s
        .engine
        .interaction(target)
        .map_or(Treatment::AgentChooses, |it| s.engine.treatment_of(it));
    match treatment {
        Treatment::AgentChooses => {
            ui.checkbox(personal, "Personal callback").on_hover_text(
                "Ticked: it comes back to you at that time. Not ticked: to any agent.",
            );
            Some(if *personal {
                CallbackScope::Personal
            } else {
                CallbackScope::Campaign
            })
        }
        Treatment::Personal => {
            ui.weak("Personal callback: it comes back to you (the campaign decides).");
            None
        }
        Treatment::Campaign => {
            ui.weak("Campaign callback: it comes back to any agent (the campaign decides).");
            None
        }
    }
}

/// The call results the interaction's campaign offers (all of them for anything else).
fn offered_results(s: &Session, target: InteractionId) -> Vec<CallResult> {
    s.engine
        .interaction(target)
        .and_then(|it| s.engine.chain_of(it))
        .and_then(|c| s.engine.campaign(c.campaign))
        .map_or_else(|| CallResult::ALL.to_vec(), |c| c.call_results.clone())
}

/// The dispositions under `prefix` as a tree: a radio button for each one the scenario
/// lists, indented under its parent; a parent that is not itself a disposition is a heading.
fn disposition_level(ui: &mut Ui, options: &[String], prefix: &[&str], choice: &mut String) {
    let under = |o: &String| {
        let path = disposition_path(o);
        (path.len() > prefix.len() && path[..prefix.len()] == *prefix)
            .then(|| path[prefix.len()].to_string())
    };
    let mut names: Vec<String> = Vec::new();
    for name in options.iter().filter_map(under) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for name in names {
        let mut here: Vec<&str> = prefix.to_vec();
        here.push(&name);
        let full = here.join(DISPOSITION_SEPARATOR);
        if options.contains(&full) {
            ui.radio_value(choice, full.clone(), &name);
        } else {
            ui.label(RichText::new(&name).strong());
        }
        let has_children = options.iter().any(|o| {
            let p = disposition_path(o);
            p.len() > here.len() && p[..here.len()] == here[..]
        });
        if has_children {
            ui.indent(("disposition", full.as_str()), |ui| {
                disposition_level(ui, options, &here, choice)
            });
        }
    }
}

/// A phone number typed in: checked as typed, and the engine's decision on dialling it (the
/// Do Not Call list, the contact's calling window) before OK.
fn dial_new_number(
    ui: &mut Ui,
    s: &Session,
    target: InteractionId,
    action: Action,
    number: &mut String,
    out: &mut Vec<UiCommand>,
) {
    contact_time(ui, s, target, s.engine.now(), "now");
    let l = ui.label("New number");
    ui.add(egui::TextEdit::singleline(number).hint_text("+1 212 555 0100"))
        .labelled_by(l.id);
    let args = Args::Number(number.clone());
    let problem = match validate_phone(number) {
        Err(e) => Some(e),
        Ok(_) => s
            .check_with(Target::Interaction(target), action, &args)
            .err()
            .map(|d| d.plain()),
    };
    if let Some(p) = &problem {
        ui.label(RichText::new(p).color(theme::bad(ui.visuals())));
    }
    ui.label("A new record is added to the chain and dialled.");
    ui.horizontal(|ui| {
        if attempt_button(ui, "Dial this number", problem.is_none()).clicked() {
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

/// This number only, or the whole contact.
fn do_not_call(
    ui: &mut Ui,
    s: &Session,
    target: InteractionId,
    action: Action,
    scope: &mut DoNotCallScope,
    out: &mut Vec<UiCommand>,
) {
    let Some((number, contact)) = s.engine.interaction(target).and_then(|it| {
        let chain = s.engine.chain_of(it)?;
        let record = it
            .current_call()
            .and_then(|c| c.record)
            .unwrap_or(chain.selected);
        let number = chain.records.get(record)?.phone.clone();
        Some((number, chain.contact_name.clone()))
    }) else {
        return;
    };
    ui.label("The Do Not Call list holds for every campaign.");
    ui.radio_value(
        scope,
        DoNotCallScope::Number,
        format!("This number only ({number})"),
    );
    ui.radio_value(
        scope,
        DoNotCallScope::Contact,
        format!("The whole contact ({contact}, every number)"),
    );
    ok_close(ui, target, action, Args::DoNotCall(*scope), out);
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

/// What the time `at` is for the contact (`when`: "then" or "now"), against their calling
/// window.
fn contact_time(ui: &mut Ui, s: &Session, target: InteractionId, at: SimTime, when: &str) {
    if let Some(it) = s.engine.interaction(target)
        && let Some(chain) = s.engine.chain_of(it)
    {
        let r = &chain.records[chain.selected];
        ui.label(format!(
            "Contact time {when}: {} {} · calling window {}",
            r.time_zone.local(at).format("%a %H:%M"),
            r.time_zone.name,
            r.window
        ));
    }
}

fn dial_alternative(
    ui: &mut Ui,
    s: &Session,
    target: InteractionId,
    action: Action,
    out: &mut Vec<UiCommand>,
) {
    if let Some(it) = s.engine.interaction(target)
        && let Some(chain) = s.engine.chain_of(it)
    {
        for (i, r) in chain.records.iter().enumerate() {
            if i == chain.selected {
                continue;
            }
            let args = Args::Record(i);
            let decision = s.check_with(Target::Interaction(target), action, &args);
            let text = format!("Dial {} ({})", r.phone, r.phone_type.label());
            let button = attempt_button(ui, &text, decision.is_ok());
            let button = match &decision {
                Ok(()) => button,
                Err(d) => button.on_hover_text(d.plain()),
            };
            if button.clicked() {
                out.push(UiCommand::Act {
                    target: Target::Interaction(target),
                    action,
                    args,
                });
            }
        }
    }
    if ui.button("Close").clicked() {
        out.push(UiCommand::CloseDialog);
    }
}
