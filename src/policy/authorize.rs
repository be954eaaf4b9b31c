//! [`authorize`]: the one answer to "may this agent do this action on this interaction now?".
//!
//! Every such question, from the engine, the CLI or a button in the desktop, is answered here
//! and nothing else decides.

use crate::policy::gating::compiled;
use crate::policy::{
    Action, Blocker, CampaignBlock, Channel, ComplianceReason, Denial, DenialKind, MandatoryItem,
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

/// Which of the [`Facts`] hold, without their details: all a yes-or-no answer needs, so the
/// engine can ask [`allowed`] without formatting numbers, windows and times it will not show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FactsPresent {
    /// The product version itself (a value, not a yes or no: it costs nothing to copy).
    pub version: ProductVersion,
    pub dial_block: bool,
    pub read_only_field: bool,
    pub campaign_block: bool,
    pub mandatory_missing: bool,
}

impl FactsPresent {
    /// Whether the fact `blocker` names holds.
    fn holds(&self, blocker: Blocker) -> bool {
        match blocker {
            Blocker::Campaign => self.campaign_block,
            Blocker::Dial => self.dial_block,
            Blocker::ReadOnlyField => self.read_only_field,
            Blocker::MandatoryMissing => self.mandatory_missing,
            Blocker::Nothing => false,
        }
    }
}

impl From<&Facts> for FactsPresent {
    fn from(facts: &Facts) -> FactsPresent {
        FactsPresent {
            version: facts.version,
            dial_block: facts.dial_block.is_some(),
            read_only_field: facts.read_only_field.is_some(),
            campaign_block: facts.campaign_block.is_some(),
            mandatory_missing: !facts.mandatory_missing.is_empty(),
        }
    }
}

/// The decision without its words: what [`authorize`] and [`allowed`] both read, so the two
/// cannot disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ruling {
    Allowed,
    /// The action does not exist in the roles file's product version.
    NotInVersion {
        since: ProductVersion,
    },
    /// The action does not exist in this stage.
    NotAvailable,
    /// Privileges are missing (bits of the closure that are not granted).
    Missing {
        missing: u32,
        required: u32,
    },
    /// A fact refuses it; which one follows from the action.
    Blocked {
        required: u32,
    },
}

/// Checks run in this order: the product version and the stage (does the action exist here?),
/// privileges (all required privileges effective, transitively), then the campaign, field,
/// compliance and mandatory-item facts. `blocked` is asked only at that last step, and only
/// about the fact the action names: whether that fact holds.
fn rule(
    granted: PrivilegeSet,
    channel: Channel,
    action: Action,
    stage: Stage,
    version: ProductVersion,
    blocked: impl FnOnce(Blocker) -> bool,
) -> Ruling {
    // Only versions before the newest lack anything, so the usual decision skips the lookup.
    if version < ProductVersion::NEWEST
        && let Some(since) = action_since(channel, action)
        && version < since
    {
        return Ruling::NotInVersion { since };
    }
    let Some(cell) = compiled(channel, action, stage) else {
        return Ruling::NotAvailable;
    };
    let missing = cell.needed & !granted.bits();
    if missing != 0 {
        return Ruling::Missing {
            missing,
            required: cell.required,
        };
    }
    // The world is asked last, and only about the one fact that can refuse this action.
    match action.spec().blocked_by {
        Blocker::Nothing => Ruling::Allowed,
        blocker if blocked(blocker) => Ruling::Blocked {
            required: cell.required,
        },
        _ => Ruling::Allowed,
    }
}

/// [`authorize`]'s yes or no, without building the denial: the same gating table and the same
/// facts (only whether each holds), for callers that act on the answer and explain nothing,
/// such as the autopilot asking before every command.
pub fn allowed(
    granted: PrivilegeSet,
    channel: Channel,
    action: Action,
    stage: Stage,
    facts: FactsPresent,
) -> bool {
    allowed_finding(granted, channel, action, stage, facts.version, || facts)
}

/// [`allowed`], finding the facts only when the stage and the privileges leave them to decide:
/// the engine's facts look at records, numbers and lists, and most of the autopilot's
/// questions are settled by the gating table alone. `version` is the roles file's product
/// version ([`FactsPresent::version`]); `find`'s own is not read.
pub fn allowed_finding(
    granted: PrivilegeSet,
    channel: Channel,
    action: Action,
    stage: Stage,
    version: ProductVersion,
    find: impl FnOnce() -> FactsPresent,
) -> bool {
    rule(granted, channel, action, stage, version, |b| {
        find().holds(b)
    }) == Ruling::Allowed
}

/// The one authorization function: may an agent holding `granted` do `action` on an interaction
/// of `channel` in `stage`, given the world `facts`?
///
/// Checks run in this order: the product version and the stage (does the action exist here?),
/// privileges (all required privileges effective, transitively), then the campaign, field,
/// compliance and mandatory-item facts.
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
    let ruling = rule(granted, channel, action, stage, facts.version, |b| {
        FactsPresent::from(facts).holds(b)
    });
    let (kind, missing, required) = match ruling {
        Ruling::Allowed => return Ok(()),
        Ruling::NotInVersion { since } => (
            DenialKind::NotInVersion {
                version: facts.version,
                since,
            },
            PrivilegeSet::EMPTY,
            PrivilegeSet::EMPTY,
        ),
        Ruling::NotAvailable => (
            DenialKind::Stage { campaign: None },
            PrivilegeSet::EMPTY,
            PrivilegeSet::EMPTY,
        ),
        Ruling::Missing { missing, required } => (
            DenialKind::Privilege,
            PrivilegeSet::from_bits(missing),
            PrivilegeSet::from_bits(required),
        ),
        Ruling::Blocked { required } => (
            blocked_kind(action, facts),
            PrivilegeSet::EMPTY,
            PrivilegeSet::from_bits(required),
        ),
    };
    Err(deny(kind, missing, required))
}

/// The denial of an action `rule` found blocked: the fact the action depends on, in words.
fn blocked_kind(action: Action, facts: &Facts) -> DenialKind {
    match action.spec().blocked_by {
        Blocker::Campaign => DenialKind::Stage {
            campaign: facts.campaign_block.clone(),
        },
        Blocker::ReadOnlyField => DenialKind::Field {
            field: facts.read_only_field.clone().unwrap_or_default(),
        },
        Blocker::MandatoryMissing => DenialKind::MandatoryMissing(facts.mandatory_missing.clone()),
        Blocker::Dial | Blocker::Nothing => match &facts.dial_block {
            Some(reason) => DenialKind::Compliance(reason.clone()),
            None => DenialKind::Stage { campaign: None },
        },
    }
}
