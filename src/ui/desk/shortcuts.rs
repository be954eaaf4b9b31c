//! Keyboard shortcuts (Alt + key) for the frequent actions. A shortcut is a click on its
//! button: it goes through the same request, and is refused the same way. Which action has
//! which letter is written in the action table (`policy/action.rs`, `ActionSpec::shortcut`).

use egui::{Key, Modifiers, Ui};

use crate::engine::Target;
use crate::policy::{Action, Cell, Channel, Stage, cell};
use crate::ui::{Session, UiCommand, ViewState};

/// The key of `action`'s shortcut (with Alt), from its row of the action table.
pub fn shortcut_of(action: Action) -> Option<Key> {
    let letter = action.spec().shortcut?;
    Key::from_name(letter.encode_utf8(&mut [0; 4]))
}

/// Whether `action` answers an invitation: it exists in the offered stage on some channel
/// (the gating table says so), so its shortcut acts on the invitation the sidebar shows.
fn answers_invitations(action: Action) -> bool {
    Channel::ALL
        .iter()
        .any(|&c| cell(c, action, Stage::Offered) != Cell::NotAvailable)
}

/// Turns this frame's shortcut presses into requests. They act where the eye is: an action on
/// a campaign (Get Record) on the first running preview campaign, from anywhere (with no
/// interaction open, when it is wanted most), Accept and Decline on the invitation shown in
/// the sidebar, the others on the selected interaction.
pub(super) fn handle(ui: &mut Ui, s: &Session, v: &ViewState, out: &mut Vec<UiCommand>) {
    let invitation = super::toast::shown_invitation(s, v).map(|it| it.id);
    let pressed = |ui: &mut Ui, key| ui.input_mut(|i| i.consume_key(Modifiers::ALT, key));
    for &action in Action::ALL {
        let Some(key) = shortcut_of(action) else {
            continue;
        };
        if action.acts_on_campaign() {
            // Taken even when no campaign runs: the press was meant for the desk.
            if pressed(ui, key)
                && let Some(campaign) = s.first_running_preview_campaign()
            {
                out.push(UiCommand::Request {
                    target: Target::Campaign(campaign),
                    action,
                });
            }
            continue;
        }
        let on = if answers_invitations(action) {
            invitation.or(v.selected)
        } else {
            v.selected
        };
        let Some(id) = on else { continue };
        if pressed(ui, key) {
            out.push(UiCommand::Request {
                target: Target::Interaction(id),
                action,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every letter of the action table is a key, shown in the button's hover text as the
    /// table writes it, and only Accept and Decline answer invitations.
    #[test]
    fn every_shortcut_letter_is_a_key() {
        for &action in Action::ALL {
            let letter = action.spec().shortcut.map(String::from);
            assert_eq!(shortcut_of(action).map(|k| k.name().to_string()), letter);
            let invites = matches!(action, Action::Accept | Action::Decline);
            assert_eq!(answers_invitations(action), invites, "{action}");
        }
    }
}
