//! Keyboard shortcuts (Alt + key) for the frequent actions. A shortcut is a click on its
//! button: it goes through the same request, and is refused the same way.

use egui::{Key, Modifiers, Ui};

use crate::engine::Target;
use crate::policy::Action;
use crate::ui::{Session, UiCommand, ViewState};

/// The shortcut of each action on the selected interaction.
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

/// Get Record on the first running preview campaign.
const GET_RECORD: Key = Key::G;

pub fn shortcut_of(action: Action) -> Option<Key> {
    SHORTCUTS
        .iter()
        .find(|(_, a)| *a == action)
        .map(|(k, _)| *k)
}

/// Turns this frame's shortcut presses into requests. They act where the eye is: Get Record
/// from anywhere (with no interaction open, when it is wanted most), Accept and Decline on
/// the invitation shown in the sidebar, the others on the selected interaction.
pub(super) fn handle(ui: &mut Ui, s: &Session, v: &ViewState, out: &mut Vec<UiCommand>) {
    if ui.input_mut(|i| i.consume_key(Modifiers::ALT, GET_RECORD))
        && let Some(campaign) = s.first_running_preview_campaign()
    {
        out.push(UiCommand::Request {
            target: Target::Campaign(campaign),
            action: Action::GetRecord,
        });
    }
    let invitation = super::toast::shown_invitation(s, v).map(|it| it.id);
    for (key, action) in SHORTCUTS {
        let on = match action {
            Action::Accept | Action::Decline => invitation.or(v.selected),
            _ => v.selected,
        };
        let Some(id) = on else { continue };
        if ui.input_mut(|i| i.consume_key(Modifiers::ALT, *key)) {
            out.push(UiCommand::Request {
                target: Target::Interaction(id),
                action: *action,
            });
        }
    }
}
