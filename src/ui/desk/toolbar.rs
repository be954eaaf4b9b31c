//! The action buttons: one per action, enabled exactly when the authorization function allows
//! it, explaining itself when not. The toolbar, the sidebar's Get Record and the invitation
//! toast all draw their actions with [`action_button`].

use egui::{Button, Color32, RichText, Ui};

use super::shortcuts::shortcut_of;
use crate::engine::Target;
use crate::policy::{Action, Denial, DenialKind};
use crate::ui::theme::DENIED;
use crate::ui::{Session, UiCommand, ViewState};
use crate::world::Interaction;

/// The toolbar of the selected interaction: every action of its channel that exists in the
/// roles file's product version, but Get Record.
pub(super) fn show(
    ui: &mut Ui,
    s: &Session,
    v: &ViewState,
    it: &Interaction,
    out: &mut Vec<UiCommand>,
) {
    ui.horizontal_wrapped(|ui| {
        for action in it.channel.actions_in(s.engine.roles().product_version()) {
            if action == Action::GetRecord {
                continue;
            }
            action_cell(ui, s, v, Target::Interaction(it.id), action, out);
        }
    });
}

/// An [`action_button`] in a row of them: with the "why disabled?" overlay on, its reason
/// goes under it rather than beside it.
pub(super) fn action_cell(
    ui: &mut Ui,
    s: &Session,
    v: &ViewState,
    target: Target,
    action: Action,
    out: &mut Vec<UiCommand>,
) {
    if v.explain_all {
        ui.vertical(|ui| action_button(ui, s, v, target, action, out));
    } else {
        action_button(ui, s, v, target, action, out);
    }
}

/// A button for one action, enabled exactly when the authorization function allows it, with
/// the denial's explanation as its hover text.
pub(super) fn action_button(
    ui: &mut Ui,
    s: &Session,
    v: &ViewState,
    target: Target,
    action: Action,
    out: &mut Vec<UiCommand>,
) {
    let decision = s.check(target, action);
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
    if v.explain_all
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
        _ => denial.detail(),
    }
}

fn reason_color(denial: &Denial) -> Color32 {
    match denial.kind {
        DenialKind::Privilege => DENIED,
        _ => Color32::GRAY,
    }
}
