//! The words of a denial, in two tiers from one place: a plain sentence a class understands
//! ("You can reschedule only after you have called this customer"), and the exact detail a
//! trainer or QA tester checks (missing privileges by vendor name, each unmet dependency path
//! with its edges marked documented or implied, and "granted, but inactive" notes).
//!
//! The desktop's hover, overlay and notices, the matrix `reason` column, the audit log and the
//! CLI all take their words from here.

use crate::policy::gating::compiled;
use crate::policy::{
    Action, CampaignBlock, Channel, ComplianceReason, Denial, DenialKind, EdgeKind, MandatoryItem,
    Privilege, ProductVersion, Stage, UnmetPath,
};

impl Denial {
    /// One sentence in plain words: what the agent cannot do, and when they could.
    pub fn plain(&self) -> String {
        match &self.kind {
            DenialKind::Privilege => self.plain_privilege(),
            DenialKind::Stage {
                campaign: Some(block),
            } => campaign_plain(block).to_string(),
            DenialKind::Stage { campaign: None } => self.stage_plain(),
            DenialKind::Field { field } => {
                format!("The field \"{field}\" is read-only in this campaign.")
            }
            DenialKind::Compliance(reason) => compliance_plain(reason),
            DenialKind::NotInVersion { version, since } => {
                not_in_version_plain(self.action, *version, *since)
            }
            DenialKind::MandatoryMissing(items) => mandatory_plain(items),
        }
    }

    /// The exact detail on one line: the missing privileges with their unmet dependency paths
    /// and the granted-but-inactive notes, or why the action does not exist here, or the field
    /// or compliance fact. No line repeats another.
    pub fn detail(&self) -> String {
        self.detail_lines().join("; ")
    }

    /// [`Denial::detail`] as separate lines, for hover text and reports.
    pub fn detail_lines(&self) -> Vec<String> {
        match &self.kind {
            DenialKind::Privilege => {
                let mut lines: Vec<String> = self.unmet_paths().iter().map(describe_path).collect();
                for (p, waits_on) in self.inactive_grants() {
                    let reqs: Vec<String> = waits_on
                        .iter()
                        .map(|(d, k)| format!("{} ({} dependency)", d.name(), k.as_str()))
                        .collect();
                    lines.push(format!(
                        "{} is granted, but inactive: requires {}",
                        p.name(),
                        reqs.join(" and ")
                    ));
                }
                lines
            }
            DenialKind::Stage { campaign: Some(b) } => vec![campaign_text(b).to_string()],
            DenialKind::Stage { campaign: None } => vec![self.stage_detail()],
            DenialKind::Field { field } => {
                vec![format!("field \"{field}\" is read-only in this campaign")]
            }
            DenialKind::Compliance(reason) => vec![compliance_text(reason)],
            DenialKind::NotInVersion { version, since } => {
                vec![not_in_version_text(self.action, *version, *since)]
            }
            DenialKind::MandatoryMissing(items) => items.iter().map(mandatory_text).collect(),
        }
    }

    // `summary` and `explain` keep the wording of the first desktop until every view and
    // report has moved to `plain` and `detail`.

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
            DenialKind::NotInVersion { version, since } => format!(
                "{what} not possible: {}",
                not_in_version_text(self.action, *version, *since)
            ),
            DenialKind::MandatoryMissing(items) => {
                let texts: Vec<String> = items.iter().map(mandatory_text).collect();
                format!("{what} refused: {}", texts.join(", "))
            }
        }
    }

    /// The full human explanation: the summary, then one line per missing privilege with its
    /// dependency chain, then the granted-but-inactive privileges.
    pub fn explain(&self) -> String {
        let mut out = self.summary();
        for path in self.unmet_paths() {
            out.push_str("\n  - ");
            out.push_str(&describe_path_v1(&path));
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

    fn plain_privilege(&self) -> String {
        let verb = verb(self.channel, self.action);
        // The same grant may allow the action in another stage: that is the usual lesson
        // ("only after the call"), worth saying before anything about privileges.
        let other_stages: Vec<Stage> = Stage::INTERACTION
            .iter()
            .copied()
            .filter(|&s| s != self.stage)
            .filter(|&s| {
                compiled(self.channel, self.action, s)
                    .is_some_and(|c| c.needed & !self.granted.bits() == 0)
            })
            .collect();
        if !other_stages.is_empty() {
            return format!("You can {verb} only {}.", when(&other_stages));
        }
        if let Some((p, waits_on)) = self.inactive_grants().into_iter().next() {
            let deps: Vec<&str> = waits_on.iter().map(|(d, _)| short_name(*d)).collect();
            return format!(
                "Your role has \"{}\", but it works only together with \"{}\", which your role \
                 does not have.",
                short_name(p),
                deps.join("\" and \"")
            );
        }
        format!("Your role does not allow you to {verb}.")
    }
}

/// A privilege's name without its section prefix, as people say it in class.
fn short_name(p: Privilege) -> &'static str {
    let name = p.name();
    name.split_once(" - ").map_or(name, |(_, rest)| rest)
}

/// What the agent would be doing, as the end of "You can ..." and "... allow you to ...".
fn verb(channel: Channel, action: Action) -> &'static str {
    let spec = action.spec();
    match (channel, spec.callback_words) {
        (Channel::WebCallback, Some(words)) => words,
        _ => spec.words,
    }
}

/// What an agent would be doing, in the desk's plain words ("reschedule this customer"), for
/// sentences outside a denial such as the role comparison's "Priya may ...".
pub fn action_words(channel: Channel, action: Action) -> &'static str {
    verb(channel, action)
}

/// The moments of the call in which an action is possible, said about someone else ("before
/// the call", "during or after the call"): [`when`] without the agent's "you".
pub fn moment_words(stages: &[Stage]) -> String {
    when(stages)
        .replace("before you call", "before the call")
        .replace(
            "while you are talking to the customer",
            "while talking to the customer",
        )
}

/// "before you call", "after the call"...: the stages in which an action is possible.
fn when(stages: &[Stage]) -> String {
    let phrase = |s: &Stage| match s {
        Stage::Offered => "while the invitation is shown",
        Stage::Preview => "before you call",
        Stage::Dialing => "while the call is ringing",
        Stage::Connected => "while you are talking to the customer",
        Stage::AfterCall => "after the call",
        Stage::Campaign => "from the campaign list",
        Stage::Closed => "on a closed interaction",
    };
    // Two stages that read as one moment are said as one.
    match stages {
        [Stage::Connected, Stage::AfterCall] => return "during or after the call".into(),
        [Stage::Dialing, Stage::Connected] => return "during the call".into(),
        [Stage::Preview, Stage::AfterCall] => {
            return "before you call or after the call".into();
        }
        [Stage::Preview, Stage::Connected, Stage::AfterCall] => {
            return "before, during or after the call".into();
        }
        _ => {}
    }
    let phrases: Vec<&str> = stages.iter().map(phrase).collect();
    phrases.join(" or ")
}

impl Denial {
    /// The action does not exist in this stage: say what has to happen first. On an invitation
    /// that is accepting it; elsewhere, when this agent could act, or when the action exists at
    /// all. Never "your role does not allow": that is a privilege denial's sentence, and the
    /// detail of a stage denial names the stage.
    fn stage_plain(&self) -> String {
        let (channel, action) = (self.channel, self.action);
        let exists = stages_where_exists(channel, action);
        if exists.is_empty() {
            return format!(
                "There is no {} on {} interactions.",
                action.label(),
                channel.title()
            );
        }
        if self.stage == Stage::Offered {
            return format!(
                "Accept the invitation first: you cannot {} while it waits.",
                verb(channel, action)
            );
        }
        let granted: Vec<Stage> = exists
            .iter()
            .copied()
            .filter(|&s| {
                compiled(channel, action, s).is_some_and(|c| c.needed & !self.granted.bits() == 0)
            })
            .collect();
        if granted.is_empty() {
            return format!(
                "{} is possible only {}, not {}.",
                action.label(),
                when(&exists),
                when(&[self.stage])
            );
        }
        format!("You can {} only {}.", verb(channel, action), when(&granted))
    }

    /// The exact detail of a stage denial in the words of the desk (button labels, moments of
    /// the call), with no identifiers of the gating table.
    fn stage_detail(&self) -> String {
        let (channel, action) = (self.channel, self.action);
        let exists = stages_where_exists(channel, action);
        if exists.is_empty() {
            return format!(
                "{} does not exist on {} interactions",
                action.label(),
                channel.title()
            );
        }
        if self.stage == Stage::Offered {
            return format!(
                "accept the invitation first: {} is not possible while the invitation is shown",
                action.label()
            );
        }
        format!(
            "{} is not possible {}; it exists only {}",
            action.label(),
            when(&[self.stage]),
            when(&exists)
        )
    }
}

/// The interaction stages in which `action` exists on `channel` (for some grant).
fn stages_where_exists(channel: Channel, action: Action) -> Vec<Stage> {
    Stage::INTERACTION
        .iter()
        .copied()
        .filter(|&s| compiled(channel, action, s).is_some())
        .collect()
}

fn campaign_plain(block: &CampaignBlock) -> &'static str {
    match block {
        CampaignBlock::NoRunningPreviewCampaign => "This campaign is not running at the moment.",
        CampaignBlock::RecordAlreadyOpen => {
            "Finish the record you have open before you get another one."
        }
        CampaignBlock::NoRecordsLeft => "This campaign has no records left for you.",
    }
}

fn compliance_plain(reason: &ComplianceReason) -> String {
    match reason {
        ComplianceReason::DoNotCall { number } => {
            format!("{number} is on the Do Not Call list: nobody may call it.")
        }
        ComplianceReason::DoNotCallContact { contact, .. } => do_not_call_contact_plain(contact),
        ComplianceReason::OutsideCallingWindow {
            window, local_time, ..
        } => format!(
            "This customer may be called only {window} their time, and it is {local_time} \
             there now."
        ),
        ComplianceReason::NoOtherNumber { contact, .. } => no_other_number_plain(contact),
    }
}

fn describe_path(path: &UnmetPath) -> String {
    if path.steps.is_empty() {
        return format!("missing {}", path.missing.name());
    }
    let mut chain = path.from.name().to_string();
    for (p, kind) in &path.steps {
        chain.push_str(&format!(" requires {} ({})", p.name(), edge_text(*kind)));
    }
    format!("missing {}, because {chain}", path.missing.name())
}

fn edge_text(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Documented => "documented dependency",
        EdgeKind::Implied => "implied dependency",
    }
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
            format!("{number} is on the Do Not Call list (entry: this number)")
        }
        ComplianceReason::DoNotCallContact { number, contact } => {
            do_not_call_contact_text(number, contact)
        }
        ComplianceReason::OutsideCallingWindow {
            number,
            window,
            local_time,
        } => format!("{number} may only be called {window} contact time; it is {local_time} there"),
        ComplianceReason::NoOtherNumber { number, contact } => {
            no_other_number_text(number, contact)
        }
    }
}

fn describe_path_v1(path: &UnmetPath) -> String {
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

// The words of the product-version, mandatory-item and whole-contact Do Not Call facts, each
// in a function of its own.

fn not_in_version_plain(action: Action, version: ProductVersion, since: ProductVersion) -> String {
    format!(
        "{} is not part of product version {version}; it came with {since}.",
        action.label()
    )
}

fn not_in_version_text(action: Action, version: ProductVersion, since: ProductVersion) -> String {
    format!("{action} does not exist in product version {version} (added in {since})")
}

fn mandatory_plain(items: &[MandatoryItem]) -> String {
    let todo: Vec<String> = items
        .iter()
        .map(|item| match item {
            MandatoryItem::Disposition => "set a disposition".to_string(),
            MandatoryItem::Field(f) => format!("fill in \"{f}\""),
        })
        .collect();
    format!("Before you mark this done, {}.", todo.join(" and "))
}

fn mandatory_text(item: &MandatoryItem) -> String {
    match item {
        MandatoryItem::Disposition => "the disposition is mandatory and not set".to_string(),
        MandatoryItem::Field(f) => format!("field \"{f}\" is mandatory and empty"),
    }
}

fn do_not_call_contact_plain(contact: &str) -> String {
    format!(
        "{contact} is on the Do Not Call list as a whole contact: none of their numbers may be called."
    )
}

fn no_other_number_plain(contact: &str) -> String {
    format!("{contact} has no other number to dial.")
}

fn no_other_number_text(number: &str, contact: &str) -> String {
    format!("the record chain of {contact} has no number other than {number}")
}

fn do_not_call_contact_text(number: &str, contact: &str) -> String {
    format!(
        "{contact} is on the Do Not Call list (entry: the whole contact): {number} may not be \
         called"
    )
}
#[cfg(test)]
mod tests;
