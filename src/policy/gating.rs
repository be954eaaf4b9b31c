//! The one authorization path: channels, actions, stages, the gating table, and [`authorize`].
//!
//! Every "may this agent do X to this interaction now?" question, from the engine, the CLI or a
//! button in the desktop, is answered by [`authorize`] and nothing else. The table below is the
//! only place that says which privileges an action needs in which stage.

use std::fmt;
use std::str::FromStr;

use crate::policy::{EdgeKind, Privilege, PrivilegeSet, dependency_path};

/// The media an interaction arrives on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    WebCallback,
    Preview,
    PushPreview,
}

/// Something an agent can try to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Accept,
    Decline,
    GetRecord,
    Dial,
    DialAlternative,
    HangUp,
    Reject,
    Cancel,
    Reschedule,
    RescheduleNewNumber,
    MarkDoNotCall,
    SetCallResult,
    SetDisposition,
    EditRecordData,
    MarkDone,
    DoneAndGetNext,
}

/// Where an interaction is in its life. `Campaign` is the pseudo-stage of pulling a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Campaign,
    Offered,
    Preview,
    Dialing,
    Connected,
    AfterCall,
    Closed,
}

macro_rules! keyword_enum {
    ($ty:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The keyword used in the CLI, scripts, exports and the audit log.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownKeyword;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownKeyword {
                        what: $what,
                        given: s.to_string(),
                        suggestions: crate::policy::suggest(
                            s,
                            $ty::ALL.iter().map(|v| v.as_str()),
                        ),
                        expected: $ty::ALL.iter().map(|v| v.as_str()).collect(),
                    })
            }
        }
    };
}

keyword_enum!(Channel, "channel", {
    WebCallback => "web-callback",
    Preview => "preview",
    PushPreview => "push-preview",
});

keyword_enum!(Action, "action", {
    Accept => "accept",
    Decline => "decline",
    GetRecord => "get-record",
    Dial => "dial",
    DialAlternative => "dial-alternative",
    HangUp => "hang-up",
    Reject => "reject",
    Cancel => "cancel",
    Reschedule => "reschedule",
    RescheduleNewNumber => "reschedule-new-number",
    MarkDoNotCall => "mark-do-not-call",
    SetCallResult => "set-call-result",
    SetDisposition => "set-disposition",
    EditRecordData => "edit-record-data",
    MarkDone => "mark-done",
    DoneAndGetNext => "done-and-get-next",
});

keyword_enum!(Stage, "stage", {
    Campaign => "campaign",
    Offered => "offered",
    Preview => "preview",
    Dialing => "dialing",
    Connected => "connected",
    AfterCall => "after-call",
    Closed => "closed",
});

/// A keyword that is not one of the known ones.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{given}\"{}; expected one of: {}", did_you_mean(suggestions), expected.join(", "))]
pub struct UnknownKeyword {
    pub what: &'static str,
    pub given: String,
    pub suggestions: Vec<&'static str>,
    pub expected: Vec<&'static str>,
}

/// `" (did you mean \"x\"?)"`, or nothing when there is no close name.
pub fn did_you_mean(suggestions: &[&str]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean \"{one}\"?)"),
        many => format!(
            " (did you mean {}?)",
            many.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

impl Channel {
    /// The actions that exist on this channel, in matrix order (SPEC §5).
    pub fn actions(self) -> &'static [Action] {
        use Action::*;
        match self {
            Channel::WebCallback => &[
                Accept,
                Decline,
                Dial,
                HangUp,
                Reject,
                Cancel,
                Reschedule,
                RescheduleNewNumber,
                SetDisposition,
                MarkDone,
            ],
            Channel::Preview => &[
                GetRecord,
                Dial,
                DialAlternative,
                HangUp,
                Reject,
                Cancel,
                Reschedule,
                RescheduleNewNumber,
                MarkDoNotCall,
                SetCallResult,
                EditRecordData,
                MarkDone,
                DoneAndGetNext,
            ],
            Channel::PushPreview => &[
                Accept,
                Decline,
                Dial,
                DialAlternative,
                HangUp,
                Reject,
                Cancel,
                Reschedule,
                RescheduleNewNumber,
                MarkDoNotCall,
                SetCallResult,
                EditRecordData,
                MarkDone,
            ],
        }
    }

    /// The privilege without which nothing on this channel works.
    pub fn root(self) -> Privilege {
        match self {
            Channel::WebCallback => Privilege::WcbUse,
            Channel::Preview | Channel::PushPreview => Privilege::ObUse,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Channel::WebCallback => "Web Callback",
            Channel::Preview => "Outbound Preview",
            Channel::PushPreview => "Outbound Push Preview",
        }
    }
}

impl Action {
    /// The stages a matrix lists for this action.
    pub fn matrix_stages(self) -> &'static [Stage] {
        if self == Action::GetRecord {
            &[Stage::Campaign]
        } else {
            &Stage::INTERACTION
        }
    }

    /// A human label for buttons and reports.
    pub fn label(self) -> &'static str {
        match self {
            Action::Accept => "Accept",
            Action::Decline => "Decline",
            Action::GetRecord => "Get Record",
            Action::Dial => "Dial",
            Action::DialAlternative => "Dial Alternative",
            Action::HangUp => "Hang Up",
            Action::Reject => "Reject",
            Action::Cancel => "Cancel",
            Action::Reschedule => "Reschedule",
            Action::RescheduleNewNumber => "Reschedule on New Number",
            Action::MarkDoNotCall => "Mark Do Not Call",
            Action::SetCallResult => "Set Call Result",
            Action::SetDisposition => "Set Disposition",
            Action::EditRecordData => "Edit Record Data",
            Action::MarkDone => "Mark Done",
            Action::DoneAndGetNext => "Done and Get Next",
        }
    }
}

impl Stage {
    /// The five stages of an open interaction, in matrix order.
    pub const INTERACTION: [Stage; 5] = [
        Stage::Offered,
        Stage::Preview,
        Stage::Dialing,
        Stage::Connected,
        Stage::AfterCall,
    ];
}

/// One cell of the gating table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// The action does not exist in this stage.
    NotAvailable,
    /// The privileges that must be effective.
    Needs(PrivilegeSet),
}

/// One row of the gating table: an action on a channel, a cell per stage (in `Stage` order,
/// `Closed` excluded: nothing is possible on a closed interaction).
#[derive(Clone, Copy, Debug)]
pub struct GateRow {
    pub channel: Channel,
    pub action: Action,
    pub cells: [Cell; 6],
}

use Privilege as P;

const NA: Cell = Cell::NotAvailable;

const fn needs(privileges: &[Privilege]) -> Cell {
    Cell::Needs(PrivilegeSet::of(privileges))
}

const fn row(channel: Channel, action: Action, cells: [Cell; 6]) -> GateRow {
    GateRow {
        channel,
        action,
        cells,
    }
}

use Action as A;
use Channel::{Preview as PV, PushPreview as PP, WebCallback as WCB};

/// The gating table (SPEC §4). Columns: campaign, offered, preview, dialing, connected,
/// after-call. Push-preview rows carry `ob.push_preview` in every cell, as the spec requires.
#[rustfmt::skip]
pub const GATING_TABLE: &[GateRow] = &[
    // web callback
    row(WCB, A::Accept,              [NA, needs(&[P::WcbUse]), NA, NA, NA, NA]),
    row(WCB, A::Decline,             [NA, needs(&[P::WcbDecline]), NA, NA, NA, NA]),
    row(WCB, A::Dial,                [NA, NA, needs(&[P::WcbUse]), NA, NA, needs(&[P::WcbUse])]),
    row(WCB, A::HangUp,              [NA, NA, NA, needs(&[P::WcbUse]), needs(&[P::WcbUse]), NA]),
    row(WCB, A::Reject,              [NA, NA, needs(&[P::WcbReject]), NA, NA, NA]),
    row(WCB, A::Cancel,              [NA, NA, needs(&[P::WcbCancel]), NA, NA, NA]),
    row(WCB, A::Reschedule,          [NA, NA, needs(&[P::WcbRescheduleBeforeCall]), NA, needs(&[P::WcbReschedule]), needs(&[P::WcbReschedule])]),
    row(WCB, A::RescheduleNewNumber, [NA, NA, needs(&[P::WcbRescheduleBeforeCall, P::WcbRescheduleNewNumber]), NA, needs(&[P::WcbRescheduleNewNumber]), needs(&[P::WcbRescheduleNewNumber])]),
    row(WCB, A::SetDisposition,      [NA, NA, needs(&[P::WcbSetDisposition]), NA, needs(&[P::WcbSetDisposition]), needs(&[P::WcbSetDisposition])]),
    row(WCB, A::MarkDone,            [NA, NA, needs(&[P::WcbMarkDone]), NA, NA, needs(&[P::WcbUse])]),
    // outbound preview (pull)
    row(PV, A::GetRecord,            [needs(&[P::ObUse]), NA, NA, NA, NA, NA]),
    row(PV, A::Dial,                 [NA, NA, needs(&[P::ObUse]), NA, NA, needs(&[P::ObUse])]),
    row(PV, A::DialAlternative,      [NA, NA, needs(&[P::ObDialAlternative]), NA, NA, needs(&[P::ObDialAlternative])]),
    row(PV, A::HangUp,               [NA, NA, NA, needs(&[P::ObUse]), needs(&[P::ObUse]), NA]),
    row(PV, A::Reject,               [NA, NA, needs(&[P::ObReject]), NA, NA, NA]),
    row(PV, A::Cancel,               [NA, NA, needs(&[P::ObCancel]), NA, NA, NA]),
    row(PV, A::Reschedule,           [NA, NA, needs(&[P::ObRescheduleBeforeCall]), NA, needs(&[P::ObReschedule]), needs(&[P::ObReschedule])]),
    row(PV, A::RescheduleNewNumber,  [NA, NA, needs(&[P::ObRescheduleBeforeCall, P::ObRescheduleNewNumber]), NA, needs(&[P::ObRescheduleNewNumber]), needs(&[P::ObRescheduleNewNumber])]),
    row(PV, A::MarkDoNotCall,        [NA, NA, needs(&[P::ObMarkDnc]), NA, needs(&[P::ObMarkDnc]), needs(&[P::ObMarkDnc])]),
    row(PV, A::SetCallResult,        [NA, NA, needs(&[P::ObSetCallResult]), NA, needs(&[P::ObSetCallResult]), needs(&[P::ObSetCallResult])]),
    row(PV, A::EditRecordData,       [NA, NA, needs(&[P::ObEditRecord]), NA, needs(&[P::ObEditRecord]), needs(&[P::ObEditRecord])]),
    row(PV, A::MarkDone,             [NA, NA, NA, NA, NA, needs(&[P::ObUse])]),
    row(PV, A::DoneAndGetNext,       [NA, NA, NA, NA, NA, needs(&[P::ObGetNext])]),
    // outbound push preview
    row(PP, A::Accept,               [NA, needs(&[P::ObPushPreview]), NA, NA, NA, NA]),
    row(PP, A::Decline,              [NA, needs(&[P::ObPushDecline, P::ObPushPreview]), NA, NA, NA, NA]),
    row(PP, A::Dial,                 [NA, NA, needs(&[P::ObUse, P::ObPushPreview]), NA, NA, needs(&[P::ObUse, P::ObPushPreview])]),
    row(PP, A::DialAlternative,      [NA, NA, needs(&[P::ObDialAlternative, P::ObPushPreview]), NA, NA, needs(&[P::ObDialAlternative, P::ObPushPreview])]),
    row(PP, A::HangUp,               [NA, NA, NA, needs(&[P::ObUse, P::ObPushPreview]), needs(&[P::ObUse, P::ObPushPreview]), NA]),
    row(PP, A::Reject,               [NA, NA, needs(&[P::ObReject, P::ObPushPreview]), NA, NA, NA]),
    row(PP, A::Cancel,               [NA, NA, needs(&[P::ObCancel, P::ObPushPreview]), NA, NA, NA]),
    row(PP, A::Reschedule,           [NA, NA, needs(&[P::ObRescheduleBeforeCall, P::ObPushPreview]), NA, needs(&[P::ObReschedule, P::ObPushPreview]), needs(&[P::ObReschedule, P::ObPushPreview])]),
    row(PP, A::RescheduleNewNumber,  [NA, NA, needs(&[P::ObRescheduleBeforeCall, P::ObRescheduleNewNumber, P::ObPushPreview]), NA, needs(&[P::ObRescheduleNewNumber, P::ObPushPreview]), needs(&[P::ObRescheduleNewNumber, P::ObPushPreview])]),
    row(PP, A::MarkDoNotCall,        [NA, NA, needs(&[P::ObMarkDnc, P::ObPushPreview]), NA, needs(&[P::ObMarkDnc, P::ObPushPreview]), needs(&[P::ObMarkDnc, P::ObPushPreview])]),
    row(PP, A::SetCallResult,        [NA, NA, needs(&[P::ObSetCallResult, P::ObPushPreview]), NA, needs(&[P::ObSetCallResult, P::ObPushPreview]), needs(&[P::ObSetCallResult, P::ObPushPreview])]),
    row(PP, A::EditRecordData,       [NA, NA, needs(&[P::ObEditRecord, P::ObPushPreview]), NA, needs(&[P::ObEditRecord, P::ObPushPreview]), needs(&[P::ObEditRecord, P::ObPushPreview])]),
    row(PP, A::MarkDone,             [NA, NA, NA, NA, NA, needs(&[P::ObUse, P::ObPushPreview])]),
];

const CHANNELS: usize = 3;
const ACTIONS: usize = 16;
const STAGES: usize = 7;

/// What authorization checks at run time: per (channel, action, stage), the directly required
/// privileges and the same set closed over prerequisites, or `None` for "not available".
/// Derived from [`GATING_TABLE`] at compile time so a decision is a lookup and one mask test.
#[derive(Clone, Copy)]
struct Compiled {
    required: u32,
    needed: u32,
}

const COMPILED: [[[Option<Compiled>; STAGES]; ACTIONS]; CHANNELS] = {
    let mut out = [[[None; STAGES]; ACTIONS]; CHANNELS];
    let mut i = 0;
    while i < GATING_TABLE.len() {
        let row = &GATING_TABLE[i];
        let mut s = 0;
        while s < 6 {
            if let Cell::Needs(set) = row.cells[s] {
                out[row.channel as usize][row.action as usize][s] = Some(Compiled {
                    required: set.bits(),
                    needed: set.with_prerequisites().bits(),
                });
            }
            s += 1;
        }
        i += 1;
    }
    out
};

/// Facts about the world that some decisions depend on beyond privileges. The engine fills in
/// what it knows; the matrix leaves everything unset and so sees privileges and stages only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// For `dial` / `dial-alternative`: why the target number may not be dialed now.
    pub dial_block: Option<ComplianceReason>,
    /// For `edit-record-data`: the read-only field the agent tried to change.
    pub read_only_field: Option<String>,
    /// For `get-record`: why the campaign cannot hand out a record now.
    pub campaign_block: Option<CampaignBlock>,
}

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

/// The one authorization function: may an agent holding `granted` do `action` on an interaction
/// of `channel` in `stage`, given the world `facts`?
///
/// Checks run in this order: the stage (does the action exist here?), privileges (all required
/// privileges effective, transitively), then the campaign, field and compliance facts.
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
    let Some(cell) = COMPILED[channel as usize][action as usize][stage as usize] else {
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
        Action::Dial | Action::DialAlternative => {
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
        _ => {}
    }
    Ok(())
}

/// The table cell for a (channel, action, stage), for views that show requirements.
pub fn cell(channel: Channel, action: Action, stage: Stage) -> Cell {
    match COMPILED[channel as usize][action as usize][stage as usize] {
        Some(c) => Cell::Needs(PrivilegeSet::from_bits(c.required)),
        None => Cell::NotAvailable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ps: &[Privilege]) -> PrivilegeSet {
        PrivilegeSet::of(ps)
    }

    fn check(granted: &[Privilege], ch: Channel, a: Action, s: Stage) -> Result<(), Denial> {
        authorize(set(granted), ch, a, s, &Facts::default())
    }

    #[test]
    fn table_rows_are_unique_and_cover_exactly_the_channel_action_lists() {
        for &ch in Channel::ALL {
            let rows: Vec<Action> = GATING_TABLE
                .iter()
                .filter(|r| r.channel == ch)
                .map(|r| r.action)
                .collect();
            assert_eq!(rows, ch.actions(), "{ch}");
        }
    }

    #[test]
    fn vendor_fact_reschedule_without_before_call_is_denied_in_preview_allowed_after_call() {
        let g = [P::ObUse, P::ObReschedule];
        let d = check(&g, PV, A::Reschedule, Stage::Preview).unwrap_err();
        assert_eq!(d.kind, DenialKind::Privilege);
        assert_eq!(d.missing, set(&[P::ObRescheduleBeforeCall]));
        assert!(check(&g, PV, A::Reschedule, Stage::AfterCall).is_ok());
        assert!(check(&g, PV, A::Reschedule, Stage::Connected).is_ok());

        let g = [P::WcbUse, P::WcbReschedule];
        assert!(check(&g, WCB, A::Reschedule, Stage::Preview).is_err());
        assert!(check(&g, WCB, A::Reschedule, Stage::AfterCall).is_ok());
    }

    #[test]
    fn before_call_without_reschedule_is_granted_but_inactive() {
        let g = [P::ObUse, P::ObRescheduleBeforeCall];
        let d = check(&g, PV, A::Reschedule, Stage::Preview).unwrap_err();
        assert_eq!(d.missing, set(&[P::ObReschedule]));
        let text = d.explain();
        assert!(
            text.contains(
                "Outbound - Can Reschedule Before Call is granted, but inactive: requires \
                 Outbound - Can Reschedule (documented dependency)"
            ),
            "{text}"
        );
        let g = [P::WcbUse, P::WcbRescheduleBeforeCall];
        let d = check(&g, WCB, A::Reschedule, Stage::Preview).unwrap_err();
        assert_eq!(d.missing, set(&[P::WcbReschedule]));
    }

    #[test]
    fn each_documented_dependency_blocks_its_dependent_action() {
        // wcb.reject, wcb.cancel, wcb.reschedule each depend on wcb.use.
        for (p, action, stage) in [
            (P::WcbReject, A::Reject, Stage::Preview),
            (P::WcbCancel, A::Cancel, Stage::Preview),
            (P::WcbReschedule, A::Reschedule, Stage::AfterCall),
        ] {
            let d = check(&[p], WCB, action, stage).unwrap_err();
            assert_eq!(d.missing, set(&[P::WcbUse]), "{action}");
            assert!(
                check(&[p, P::WcbUse], WCB, action, stage).is_ok(),
                "{action}"
            );
        }
        // ob.reschedule depends on ob.use.
        let d = check(&[P::ObReschedule], PV, A::Reschedule, Stage::AfterCall).unwrap_err();
        assert_eq!(d.missing, set(&[P::ObUse]));
    }

    #[test]
    fn missing_lists_the_whole_unmet_chain_in_catalogue_order() {
        let d = check(&[], PV, A::Reschedule, Stage::Preview).unwrap_err();
        assert_eq!(
            d.missing.names(),
            vec![
                "Outbound - Can Use",
                "Outbound - Can Reschedule",
                "Outbound - Can Reschedule Before Call"
            ]
        );
        let paths = d.unmet_paths();
        assert_eq!(paths[0].missing, P::ObUse);
        assert_eq!(paths[0].from, P::ObRescheduleBeforeCall);
        assert_eq!(paths[0].steps.len(), 2);
        assert!(paths[2].steps.is_empty());
        let text = d.explain();
        assert!(text.contains("required by this action"), "{text}");
        assert!(text.contains("(documented dependency)"), "{text}");
    }

    #[test]
    fn implied_edges_are_labelled_implied() {
        let d = check(&[P::ObUse], PV, A::RescheduleNewNumber, Stage::AfterCall).unwrap_err();
        let text = d.explain();
        assert!(
            text.contains("Outbound - Can Reschedule On New Number requires Outbound - Can Reschedule (implied dependency)"),
            "{text}"
        );
    }

    #[test]
    fn push_preview_needs_push_privilege_for_everything() {
        let d = check(&[P::ObUse], PP, A::Dial, Stage::Preview).unwrap_err();
        assert_eq!(d.missing, set(&[P::ObPushPreview]));
        assert!(check(&[P::ObUse, P::ObPushPreview], PP, A::Dial, Stage::Preview).is_ok());
        let d = check(
            &[P::ObUse, P::ObPushPreview],
            PP,
            A::Decline,
            Stage::Offered,
        )
        .unwrap_err();
        assert_eq!(d.missing, set(&[P::ObPushDecline]));
    }

    #[test]
    fn stage_denial_is_distinct_from_privilege_denial() {
        let d = check(&Privilege::ALL, PV, A::Accept, Stage::Offered).unwrap_err();
        assert_eq!(d.kind, DenialKind::Stage { campaign: None });
        assert!(d.missing.is_empty());
        let d = check(&Privilege::ALL, WCB, A::Reject, Stage::Closed).unwrap_err();
        assert_eq!(d.kind.as_str(), "stage");
        let d = check(&Privilege::ALL, WCB, A::MarkDone, Stage::Dialing).unwrap_err();
        assert_eq!(d.kind.as_str(), "stage");
    }

    #[test]
    fn compliance_field_and_campaign_facts_deny_with_their_kind() {
        let all = PrivilegeSet::ALL;
        let facts = Facts {
            dial_block: Some(ComplianceReason::DoNotCall {
                number: "+1 555 0100".into(),
            }),
            ..Facts::default()
        };
        let d = authorize(all, PV, A::Dial, Stage::Preview, &facts).unwrap_err();
        assert_eq!(d.kind.as_str(), "compliance");
        assert!(d.summary().contains("Do Not Call"));

        let facts = Facts {
            read_only_field: Some("Account".into()),
            ..Facts::default()
        };
        let d = authorize(all, PV, A::EditRecordData, Stage::Preview, &facts).unwrap_err();
        assert_eq!(
            d.kind,
            DenialKind::Field {
                field: "Account".into()
            }
        );

        let facts = Facts {
            campaign_block: Some(CampaignBlock::RecordAlreadyOpen),
            ..Facts::default()
        };
        let d = authorize(all, PV, A::GetRecord, Stage::Campaign, &facts).unwrap_err();
        assert_eq!(d.kind.as_str(), "stage");

        // Privileges are checked before facts: a trainee is told what to grant first.
        let d = authorize(
            PrivilegeSet::EMPTY,
            PV,
            A::Dial,
            Stage::Preview,
            &Facts {
                dial_block: Some(ComplianceReason::DoNotCall { number: "1".into() }),
                ..Facts::default()
            },
        )
        .unwrap_err();
        assert_eq!(d.kind, DenialKind::Privilege);
    }

    #[test]
    fn keywords_round_trip_and_near_misses_suggest() {
        for &a in Action::ALL {
            assert_eq!(a.as_str().parse::<Action>().unwrap(), a);
        }
        let err = "reschedul".parse::<Action>().unwrap_err();
        assert_eq!(err.suggestions.first(), Some(&"reschedule"));
        assert!(err.to_string().contains("did you mean"));
        assert!(
            "after_call"
                .parse::<Stage>()
                .unwrap_err()
                .to_string()
                .contains("after-call")
        );
    }
}
