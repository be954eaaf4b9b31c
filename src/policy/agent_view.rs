//! The agent's view (docs/agent-view.md): what the real desktop draws for a role. The vendor's desktop
//! renders toolbar buttons, menu items and a channel's views only when the role grants the
//! privilege behind them; agentdesk's explained view draws every action and greys the denied
//! ones with their reason. Which actions the agent's view leaves out is read from the one
//! authorization function's decision (its denial kind), never from a second list.

use crate::policy::{Channel, Denial, DenialKind, Privilege, PrivilegeSet};

/// How the desk is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DeskView {
    /// Every action in place; a denied one greyed, with its reason (the teaching aid).
    #[default]
    Explained,
    /// As the agent will meet it: what the role does not grant is not drawn.
    Agent,
}

impl DeskView {
    pub fn label(self) -> &'static str {
        match self {
            DeskView::Explained => "explained view",
            DeskView::Agent => "agent's view",
        }
    }
}

/// Whether an action's button is drawn in `view`, given [`crate::policy::authorize`]'s decision
/// for it now. In the agent's view a privilege denial (not granted, or granted but inactive
/// through an unmet dependency) hides the button; a stage, field or compliance denial leaves it
/// drawn and greyed [decided: the vendor pages do not say how those look].
pub fn is_drawn(view: DeskView, decision: &Result<(), Denial>) -> bool {
    match (view, decision) {
        (DeskView::Agent, Err(denial)) => !matches!(denial.kind, DenialKind::Privilege),
        _ => true,
    }
}

/// The privileges without which a channel has no view at all: its root, and for push preview
/// Can Use Push Preview too (every push-preview action needs it).
pub fn channel_roots(channel: Channel) -> PrivilegeSet {
    match channel {
        Channel::PushPreview => PrivilegeSet::of(&[Privilege::ObUse, Privilege::ObPushPreview]),
        other => PrivilegeSet::of(&[other.root()]),
    }
}

/// Whether a channel is shown in `view` to an agent holding `granted`: always in the explained
/// view; in the agent's view only when its roots are effective (granted, with every
/// dependency), so a channel the role cannot use shows no view, invitations, campaigns or
/// notices of its traffic.
pub fn channel_shown(view: DeskView, granted: PrivilegeSet, channel: Channel) -> bool {
    view == DeskView::Explained || channel_roots(channel).is_subset(granted.effective())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Action, Facts, Stage, authorize};

    #[test]
    fn privilege_denials_hide_and_stage_denials_stay_in_the_agents_view() {
        let granted = PrivilegeSet::of(&[Privilege::ObUse]);
        let cancel = authorize(
            granted,
            Channel::Preview,
            Action::Cancel,
            Stage::Preview,
            &Facts::default(),
        );
        let hang_up = authorize(
            granted,
            Channel::Preview,
            Action::HangUp,
            Stage::Preview,
            &Facts::default(),
        );
        assert!(!is_drawn(DeskView::Agent, &cancel));
        assert!(is_drawn(DeskView::Explained, &cancel));
        assert!(
            is_drawn(DeskView::Agent, &hang_up),
            "a stage denial stays drawn"
        );
        assert!(is_drawn(DeskView::Agent, &Ok(())));
    }

    #[test]
    fn a_channel_is_shown_only_with_its_roots_effective() {
        let trainee = PrivilegeSet::of(&[Privilege::WcbUse, Privilege::ObUse]);
        assert!(channel_shown(
            DeskView::Agent,
            trainee,
            Channel::WebCallback
        ));
        assert!(channel_shown(DeskView::Agent, trainee, Channel::Preview));
        assert!(!channel_shown(
            DeskView::Agent,
            trainee,
            Channel::PushPreview
        ));
        assert!(channel_shown(
            DeskView::Explained,
            trainee,
            Channel::PushPreview
        ));
        // Granted but inactive: Can Use Push Preview without Can Use.
        let inactive = PrivilegeSet::of(&[Privilege::ObPushPreview]);
        assert!(!channel_shown(
            DeskView::Agent,
            inactive,
            Channel::PushPreview
        ));
    }
}
