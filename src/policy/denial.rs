//! A refused request and everything needed to explain it: the kind, the missing privileges
//! with their unmet dependency paths, and the texts people read.

use std::fmt;

use crate::policy::{Action, Channel, EdgeKind, Privilege, PrivilegeSet, Stage, dependency_path};

/// Why a number may not be dialed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComplianceReason {
    DoNotCall {
        number: String,
    },
    OutsideCallingWindow {
        number: String,
        window: String,
        local_time: String,
    },
}

/// Why `get-record` has nothing to give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CampaignBlock {
    NoRunningPreviewCampaign,
    RecordAlreadyOpen,
    /// Every remaining record was rejected by this agent, or the campaign is empty.
    NoRecordsLeft,
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
}

impl DenialKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            DenialKind::Privilege => "privilege",
            DenialKind::Stage { .. } => "stage",
            DenialKind::Field { .. } => "field",
            DenialKind::Compliance(_) => "compliance",
        }
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

    /// One line, for notices and the `missing`-style summaries.
    pub fn summary(&self) -> String {
        let what = format!("{} ({}, {})", self.action.label(), self.channel, self.stage);
        match &self.kind {
            DenialKind::Privilege => {
                format!("{what} denied: missing {}", self.missing.names().join(", "))
            }
            DenialKind::Stage { campaign: Some(b) } => {
                format!("{what} not possible: {}", campaign_text(b))
            }
            DenialKind::Stage { campaign: None } => {
                format!("{what} not possible: the action does not exist in this stage")
            }
            DenialKind::Field { field } => {
                format!("{what} refused: field \"{field}\" is read-only in this campaign")
            }
            DenialKind::Compliance(reason) => {
                format!("{what} refused: {}", compliance_text(reason))
            }
        }
    }

    /// The full human explanation: the summary, then one line per missing privilege with its
    /// dependency chain, then the granted-but-inactive privileges.
    pub fn explain(&self) -> String {
        let mut out = self.summary();
        for path in self.unmet_paths() {
            out.push_str("\n  - ");
            out.push_str(&describe_path(&path));
        }
        for (p, waits_on) in self.inactive_grants() {
            let reqs: Vec<String> = waits_on
                .iter()
                .map(|(d, k)| format!("{} ({} dependency)", d.name(), k.as_str()))
                .collect();
            out.push_str(&format!(
                "\n  - {} is granted, but inactive: requires {}",
                p.name(),
                reqs.join(" and ")
            ));
        }
        out
    }
}

fn describe_path(path: &UnmetPath) -> String {
    if path.steps.is_empty() {
        return format!("{}: required by this action", path.missing.name());
    }
    let mut chain = path.from.name().to_string();
    for (p, kind) in &path.steps {
        chain.push_str(&format!(
            " requires {} ({} dependency)",
            p.name(),
            kind.as_str()
        ));
        if *p != path.missing {
            chain.push(',');
        }
    }
    format!("{}: {}", path.missing.name(), chain)
}

fn campaign_text(block: &CampaignBlock) -> &'static str {
    match block {
        CampaignBlock::NoRunningPreviewCampaign => "no preview campaign is running",
        CampaignBlock::RecordAlreadyOpen => "a preview record is already open",
        CampaignBlock::NoRecordsLeft => "the campaign has no record left for this agent",
    }
}

fn compliance_text(reason: &ComplianceReason) -> String {
    match reason {
        ComplianceReason::DoNotCall { number } => {
            format!("{number} is on the campaign's Do Not Call list")
        }
        ComplianceReason::OutsideCallingWindow {
            number,
            window,
            local_time,
        } => format!("{number} may only be called {window} contact time; it is {local_time} there"),
    }
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

impl std::error::Error for Denial {}
