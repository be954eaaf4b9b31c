//! [`authorize`]: the one answer to "may this agent do this action on this interaction now?".
//!
//! Every such question, from the engine, the CLI or a button in the desktop, is answered here
//! and nothing else decides.

use crate::policy::gating::compiled;
use crate::policy::{
    Action, CampaignBlock, Channel, ComplianceReason, Denial, DenialKind, MandatoryItem,
    PrivilegeSet, ProductVersion, Stage, action_since,
};

/// Facts about the world that some decisions depend on beyond privileges. The engine fills in
/// what it knows; the matrix leaves everything unset and so sees privileges and stages only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The product version the roles file configures: an action whose privileges it lacks does
    /// not exist. The default is the newest modelled version, where every action exists.
    pub version: ProductVersion,
    /// For `dial`, `dial-alternative` and `dial-new-number`: why the target number may not be
    /// dialed now.
    pub dial_block: Option<ComplianceReason>,
    /// For `edit-record-data`: the read-only field the agent tried to change.
    pub read_only_field: Option<String>,
    /// For `get-record`: why the campaign cannot hand out a record now.
    pub campaign_block: Option<CampaignBlock>,
    /// For `mark-done` and `done-and-get-next`: what is mandatory and still empty.
    pub mandatory_missing: Vec<MandatoryItem>,
}

/// The one authorization function: may an agent holding `granted` do `action` on an interaction
/// of `channel` in `stage`, given the world `facts`?
///
/// Checks run in this order: the product version and the stage (does the action exist here?),
/// privileges (all required privileges effective, transitively), then the campaign, field and
/// compliance facts.
pub fn authorize(
    granted: PrivilegeSet,
    channel: Channel,
    action: Action,
    stage: Stage,
    facts: &Facts,
) -> Result<(), Denial> {
    let deny = |kind: DenialKind, missing: PrivilegeSet, required: PrivilegeSet| Denial {
        channel,
        action,
        stage,
        kind,
        missing,
        required,
        granted,
    };
    // Only versions before the newest lack anything, so the usual decision skips the lookup.
    if facts.version < ProductVersion::NEWEST
        && let Some(since) = action_since(channel, action)
        && facts.version < since
    {
        return Err(deny(
            DenialKind::NotInVersion {
                version: facts.version,
                since,
            },
            PrivilegeSet::EMPTY,
            PrivilegeSet::EMPTY,
        ));
    }
    let Some(cell) = compiled(channel, action, stage) else {
        return Err(deny(
            DenialKind::Stage { campaign: None },
            PrivilegeSet::EMPTY,
            PrivilegeSet::EMPTY,
        ));
    };
    let missing = cell.needed & !granted.bits();
    if missing != 0 {
        return Err(deny(
            DenialKind::Privilege,
            PrivilegeSet::from_bits(missing),
            PrivilegeSet::from_bits(cell.required),
        ));
    }
    let required = PrivilegeSet::from_bits(cell.required);
    match action {
        Action::GetRecord => {
            if let Some(block) = &facts.campaign_block {
                return Err(deny(
                    DenialKind::Stage {
                        campaign: Some(block.clone()),
                    },
                    PrivilegeSet::EMPTY,
                    required,
                ));
            }
        }
        Action::Dial | Action::DialAlternative | Action::DialNewNumber => {
            if let Some(reason) = &facts.dial_block {
                return Err(deny(
                    DenialKind::Compliance(reason.clone()),
                    PrivilegeSet::EMPTY,
                    required,
                ));
            }
        }
        Action::EditRecordData => {
            if let Some(field) = &facts.read_only_field {
                return Err(deny(
                    DenialKind::Field {
                        field: field.clone(),
                    },
                    PrivilegeSet::EMPTY,
                    required,
                ));
            }
        }
        Action::MarkDone | Action::DoneAndGetNext if !facts.mandatory_missing.is_empty() => {
            return Err(deny(
                DenialKind::MandatoryMissing(facts.mandatory_missing.clone()),
                PrivilegeSet::EMPTY,
                required,
            ));
        }
        _ => {}
    }
    Ok(())
}
