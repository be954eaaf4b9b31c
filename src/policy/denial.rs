//! A refused request and everything needed to explain it: the kind, the missing privileges
//! with their unmet dependency paths, and the texts people read.

use std::fmt;

use super::keywords::keyword_enum;

use crate::policy::{
    Action, Channel, EdgeKind, Privilege, PrivilegeSet, ProductVersion, Stage, dependency_path,
};

/// Why a number may not be dialed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComplianceReason {
    /// The number itself is on the tenant's Do Not Call list.
    DoNotCall { number: String },
    /// The whole contact is on the Do Not Call list, so none of its numbers may be called.
    DoNotCallContact { number: String, contact: String },
    OutsideCallingWindow {
        number: String,
        window: String,
        local_time: String,
    },
    /// Dial Alternative on a record chain that has no number besides the selected one.
    NoOtherNumber { number: String, contact: String },
}

/// Why `get-record` has nothing to give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CampaignBlock {
    NoRunningPreviewCampaign,
    RecordAlreadyOpen,
    /// Every remaining record was rejected by this agent, or the campaign is empty.
    NoRecordsLeft,
}

/// Something that must be filled in before an interaction may be marked done.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MandatoryItem {
    /// The scenario makes a disposition mandatory and none is set.
    Disposition,
    /// A contact field configured editable and mandatory is empty.
    Field(String),
}

/// The kind of a denial: what the agent or trainer should fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DenialKind {
    /// Privileges are missing or inactive.
    Privilege,
    /// The action does not exist in this stage (or on this channel, or in this campaign state).
    Stage { campaign: Option<CampaignBlock> },
    /// The field is not configured editable.
    Field { field: String },
    /// Calling the number now would break a compliance rule.
    Compliance(ComplianceReason),
    /// The action does not exist in the roles file's product version (a stage denial: the
    /// action does not exist there).
    NotInVersion {
        version: ProductVersion,
        since: ProductVersion,
    },
    /// Mark Done waits for mandatory items (a field denial, naming each of them).
    MandatoryMissing(Vec<MandatoryItem>),
}

/// A [`DenialKind`] without its details: the keyword scripts (`expect denied stage`), the
/// transcript and the audit log use for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DenialKindName {
    Privilege,
    Stage,
    Field,
    Compliance,
}

keyword_enum!(DenialKindName, "denial kind", {
    Privilege => "privilege",
    Stage => "stage",
    Field => "field",
    Compliance => "compliance",
});

impl DenialKind {
    pub fn name(&self) -> DenialKindName {
        match self {
            DenialKind::Privilege => DenialKindName::Privilege,
            DenialKind::Stage { .. } => DenialKindName::Stage,
            DenialKind::Field { .. } => DenialKindName::Field,
            DenialKind::Compliance(_) => DenialKindName::Compliance,
            DenialKind::NotInVersion { .. } => DenialKindName::Stage,
            DenialKind::MandatoryMissing(_) => DenialKindName::Field,
        }
    }

    pub fn as_str(&self) -> &'static str {
        self.name().as_str()
    }
}

/// A refused request, with everything needed to explain it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    pub channel: Channel,
    pub action: Action,
    pub stage: Stage,
    pub kind: DenialKind,
    /// Privileges that must still be granted for a privilege denial to turn into `Ok`.
    pub missing: PrivilegeSet,
    /// Privileges the cell requires directly (empty for a stage denial).
    pub required: PrivilegeSet,
    /// The agent's grant at the time of the decision.
    pub granted: PrivilegeSet,
}

/// Why one missing privilege is needed: the chain from a directly required privilege to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnmetPath {
    pub missing: Privilege,
    /// The directly required privilege the chain starts from (equal to `missing` when the
    /// action requires it directly).
    pub from: Privilege,
    /// Steps from `from` to `missing`, each with the kind of edge taken.
    pub steps: Vec<(Privilege, EdgeKind)>,
}

impl Denial {
    /// For each missing privilege (catalogue order), the dependency chain that makes it needed.
    pub fn unmet_paths(&self) -> Vec<UnmetPath> {
        self.missing
            .iter()
            .map(|missing| {
                // Prefer the shortest chain, so "required directly" wins when it applies.
                self.required
                    .iter()
                    .filter_map(|from| {
                        dependency_path(from, missing).map(|steps| UnmetPath {
                            missing,
                            from,
                            steps,
                        })
                    })
                    .min_by_key(|p| p.steps.len())
                    .unwrap_or(UnmetPath {
                        missing,
                        from: missing,
                        steps: Vec::new(),
                    })
            })
            .collect()
    }

    /// Required privileges that are granted but do not take effect, with what they wait on.
    pub fn inactive_grants(&self) -> Vec<(Privilege, Vec<(Privilege, EdgeKind)>)> {
        self.required
            .iter()
            .filter(|p| self.granted.contains(*p))
            .filter_map(|p| {
                let waits_on: Vec<_> = p
                    .info()
                    .depends_on
                    .iter()
                    .filter(|d| !self.granted.effective().contains(d.on))
                    .map(|d| (d.on, d.kind))
                    .collect();
                (!waits_on.is_empty()).then_some((p, waits_on))
            })
            .collect()
    }
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

impl std::error::Error for Denial {}
