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
            DenialKind::Stage { campaign: None } => vec![format!(
                "{} does not exist in stage {} on {}",
                self.action, self.stage, self.channel
            )],
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
    let callback = channel == Channel::WebCallback;
    match action {
        Action::Accept if callback => "accept this callback",
        Action::Accept => "accept this record",
        Action::Decline if callback => "decline this callback",
        Action::Decline => "decline this record",
        Action::GetRecord => "get records from this campaign",
        Action::Dial => "dial this customer",
        Action::DialAlternative => "dial another number of this contact",
        Action::DialNewNumber => "dial this contact on a new number",
        Action::HangUp => "hang up",
        Action::Reject if callback => "reject this callback and pass it to another agent",
        Action::Reject => "reject this record and pass it to another agent",
        Action::Cancel if callback => "cancel this callback",
        Action::Cancel => "cancel this record",
        Action::Reschedule => "reschedule this customer",
        Action::RescheduleNewNumber => "reschedule this customer on a new number",
        Action::MarkDoNotCall => "put this number on the Do Not Call list",
        Action::SetCallResult => "set the call result",
        Action::SetDisposition => "set the disposition",
        Action::EditRecordData => "change the customer's details",
        Action::MarkDone if callback => "mark this callback done",
        Action::MarkDone => "mark this record done",
        Action::DoneAndGetNext => "finish this record and get the next one",
    }
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
    /// The action does not exist in this stage: say when this agent could do it, or that
    /// their role does not allow it at all.
    fn stage_plain(&self) -> String {
        let (channel, action) = (self.channel, self.action);
        let exists: Vec<Stage> = Stage::INTERACTION
            .iter()
            .copied()
            .filter(|&s| compiled(channel, action, s).is_some())
            .collect();
        if exists.is_empty() {
            return format!(
                "There is no {} on {} interactions.",
                action.label(),
                channel.title()
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
            return format!("Your role does not allow you to {}.", verb(channel, action));
        }
        format!("You can {} only {}.", verb(channel, action), when(&granted))
    }
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
mod tests {
    //! The plain tier is what a class reads: each sentence is pinned here, for every kind of
    //! denial and for each vendor fact the gating table encodes.

    use crate::policy::*;
    use Action as A;
    use Channel::{Preview as PV, PushPreview as PP, WebCallback as WCB};
    use Privilege as P;

    fn denial(granted: &[Privilege], ch: Channel, a: Action, s: Stage) -> Denial {
        authorize(PrivilegeSet::of(granted), ch, a, s, &Facts::default())
            .expect_err("the case is a denial")
    }

    fn with_facts(facts: Facts, a: Action, s: Stage) -> Denial {
        authorize(PrivilegeSet::ALL, PV, a, s, &facts).expect_err("the case is a denial")
    }

    /// Neither tier may leak the words of the old one-line summary or repeat a line.
    fn assert_clean(d: &Denial) {
        let plain = d.plain();
        for keyword in [
            "(preview, preview)",
            "denied:",
            "missing",
            "required by this action",
        ] {
            assert!(!plain.contains(keyword), "{plain}");
        }
        assert!(plain.ends_with('.'), "{plain}");
        let lines = d.detail_lines();
        let mut unique = lines.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), lines.len(), "{lines:?}");
    }

    #[test]
    fn vendor_fact_reschedule_without_before_call_is_only_during_or_after_the_call() {
        for (ch, grant) in [
            (PV, [P::ObUse, P::ObReschedule]),
            (WCB, [P::WcbUse, P::WcbReschedule]),
        ] {
            let d = denial(&grant, ch, A::Reschedule, Stage::Preview);
            assert_eq!(
                d.plain(),
                "You can reschedule this customer only during or after the call."
            );
            assert_clean(&d);
        }
        let d = denial(
            &[P::ObUse, P::ObReschedule],
            PV,
            A::Reschedule,
            Stage::Preview,
        );
        assert_eq!(d.detail(), "missing Outbound - Can Reschedule Before Call");
    }

    #[test]
    fn vendor_fact_before_call_without_reschedule_is_granted_but_inactive() {
        let d = denial(
            &[P::ObUse, P::ObRescheduleBeforeCall],
            PV,
            A::Reschedule,
            Stage::Preview,
        );
        assert_eq!(
            d.plain(),
            "Your role has \"Can Reschedule Before Call\", but it works only together with \
             \"Can Reschedule\", which your role does not have."
        );
        assert_eq!(
            d.detail_lines(),
            vec![
                "missing Outbound - Can Reschedule, because Outbound - Can Reschedule Before Call \
                 requires Outbound - Can Reschedule (documented dependency)",
                "Outbound - Can Reschedule Before Call is granted, but inactive: requires \
                 Outbound - Can Reschedule (documented dependency)",
            ]
        );
        assert_clean(&d);
    }

    #[test]
    fn vendor_fact_documented_dependencies_on_the_channel_root() {
        // wcb.reject, wcb.cancel and wcb.reschedule depend on wcb.use (documented): granted
        // alone, each is inactive, and the plain sentence names what it waits for.
        for (p, a, s, name) in [
            (P::WcbReject, A::Reject, Stage::Preview, "Can Reject"),
            (P::WcbCancel, A::Cancel, Stage::Preview, "Can Cancel"),
            (
                P::WcbReschedule,
                A::Reschedule,
                Stage::AfterCall,
                "Can Reschedule",
            ),
        ] {
            let d = denial(&[p], WCB, a, s);
            assert_eq!(
                d.plain(),
                format!(
                    "Your role has \"{name}\", but it works only together with \"Can Use \
                     Callback Channel\", which your role does not have."
                )
            );
            assert!(
                d.detail().contains("(documented dependency)"),
                "{}",
                d.detail()
            );
            assert_clean(&d);
        }
        let d = denial(&[P::ObReschedule], PV, A::Reschedule, Stage::AfterCall);
        assert_eq!(
            d.plain(),
            "Your role has \"Can Reschedule\", but it works only together with \"Can Use\", \
             which your role does not have."
        );
    }

    #[test]
    fn vendor_fact_the_whole_unmet_chain_is_in_the_detail_not_the_sentence() {
        let d = denial(&[], PV, A::Reschedule, Stage::Preview);
        assert_eq!(
            d.plain(),
            "Your role does not allow you to reschedule this customer."
        );
        assert_eq!(
            d.detail_lines(),
            vec![
                "missing Outbound - Can Use, because Outbound - Can Reschedule Before Call \
                 requires Outbound - Can Reschedule (documented dependency) requires Outbound - \
                 Can Use (documented dependency)",
                "missing Outbound - Can Reschedule, because Outbound - Can Reschedule Before Call \
                 requires Outbound - Can Reschedule (documented dependency)",
                "missing Outbound - Can Reschedule Before Call",
            ]
        );
        assert_clean(&d);
    }

    #[test]
    fn implied_edges_are_marked_implied_in_the_detail() {
        let d = denial(&[P::ObUse], PV, A::RescheduleNewNumber, Stage::AfterCall);
        assert_eq!(
            d.plain(),
            "Your role does not allow you to reschedule this customer on a new number."
        );
        assert!(
            d.detail().contains(
                "Outbound - Can Reschedule On New Number requires Outbound - Can Reschedule \
                 (implied dependency)"
            ),
            "{}",
            d.detail()
        );
    }

    #[test]
    fn vendor_fact_push_preview_needs_its_own_privilege_for_everything() {
        let d = denial(&[P::ObUse], PP, A::Dial, Stage::Preview);
        assert_eq!(
            d.plain(),
            "Your role does not allow you to dial this customer."
        );
        assert_eq!(d.detail(), "missing Outbound - Can Use Push Preview");
        let d = denial(&[P::ObUse], PP, A::Accept, Stage::Offered);
        assert_eq!(
            d.plain(),
            "Your role does not allow you to accept this record."
        );
        let d = denial(
            &[P::ObUse, P::ObPushPreview],
            PP,
            A::Decline,
            Stage::Offered,
        );
        assert_eq!(
            d.plain(),
            "Your role does not allow you to decline this record."
        );
        assert_eq!(d.detail(), "missing Outbound - Push Preview Can Decline");
        let d = denial(&[P::WcbUse], WCB, A::Decline, Stage::Offered);
        assert_eq!(
            d.plain(),
            "Your role does not allow you to decline this callback."
        );
    }

    #[test]
    fn every_privilege_gated_action_has_a_plain_refusal() {
        for (ch, a, s, text) in [
            (PV, A::Dial, Stage::Preview, "dial this customer"),
            (
                PV,
                A::DialAlternative,
                Stage::Preview,
                "dial another number of this contact",
            ),
            (PV, A::HangUp, Stage::Dialing, "hang up"),
            (
                PV,
                A::Reject,
                Stage::Preview,
                "reject this record and pass it to another agent",
            ),
            (
                WCB,
                A::Reject,
                Stage::Preview,
                "reject this callback and pass it to another agent",
            ),
            (PV, A::Cancel, Stage::Preview, "cancel this record"),
            (WCB, A::Cancel, Stage::Preview, "cancel this callback"),
            (
                PV,
                A::MarkDoNotCall,
                Stage::Preview,
                "put this number on the Do Not Call list",
            ),
            (PV, A::SetCallResult, Stage::Preview, "set the call result"),
            (
                WCB,
                A::SetDisposition,
                Stage::Preview,
                "set the disposition",
            ),
            (
                PV,
                A::EditRecordData,
                Stage::Preview,
                "change the customer's details",
            ),
            (WCB, A::MarkDone, Stage::Preview, "mark this callback done"),
            (
                PV,
                A::DoneAndGetNext,
                Stage::AfterCall,
                "finish this record and get the next one",
            ),
            (
                PV,
                A::GetRecord,
                Stage::Campaign,
                "get records from this campaign",
            ),
        ] {
            let d = denial(&[], ch, a, s);
            assert_eq!(d.kind, DenialKind::Privilege);
            assert_eq!(
                d.plain(),
                format!("Your role does not allow you to {text}."),
                "{a}"
            );
            assert_clean(&d);
        }
    }

    #[test]
    fn a_grant_that_works_in_another_stage_says_when() {
        let ob = [P::ObUse, P::ObReschedule, P::ObRescheduleNewNumber];
        // On a new number: before the call needs Before Call too.
        let d = denial(&ob, PV, A::RescheduleNewNumber, Stage::Preview);
        assert_eq!(
            d.plain(),
            "You can reschedule this customer on a new number only during or after the call."
        );
    }

    #[test]
    fn stage_denials_say_when_the_action_exists() {
        let all = &Privilege::ALL;
        for (ch, a, s, text) in [
            (
                PV,
                A::HangUp,
                Stage::Preview,
                "You can hang up only during the call.",
            ),
            (
                PV,
                A::MarkDone,
                Stage::Preview,
                "You can mark this record done only after the call.",
            ),
            (
                WCB,
                A::MarkDone,
                Stage::Dialing,
                "You can mark this callback done only before you call or after the call.",
            ),
            (
                PV,
                A::DoneAndGetNext,
                Stage::Connected,
                "You can finish this record and get the next one only after the call.",
            ),
            (
                WCB,
                A::Accept,
                Stage::Preview,
                "You can accept this callback only while the invitation is shown.",
            ),
            (
                PV,
                A::Dial,
                Stage::Connected,
                "You can dial this customer only before you call or after the call.",
            ),
            (
                PV,
                A::Reschedule,
                Stage::Dialing,
                "You can reschedule this customer only before, during or after the call.",
            ),
            (
                PV,
                A::Accept,
                Stage::Offered,
                "There is no Accept on Outbound Preview interactions.",
            ),
        ] {
            let d = denial(all, ch, a, s);
            assert_eq!(d.kind, DenialKind::Stage { campaign: None }, "{a} {s}");
            assert_eq!(d.plain(), text, "{a} {s}");
            assert_clean(&d);
        }
    }

    #[test]
    fn a_stage_denial_says_when_this_agent_could_act() {
        let wcb = [P::WcbUse, P::WcbReschedule];
        let d = denial(&wcb, WCB, A::Reschedule, Stage::Offered);
        assert_eq!(d.kind, DenialKind::Stage { campaign: None });
        assert_eq!(
            d.plain(),
            "You can reschedule this customer only during or after the call."
        );
        let d = denial(&[P::WcbUse], WCB, A::Cancel, Stage::Connected);
        assert_eq!(
            d.plain(),
            "Your role does not allow you to cancel this callback."
        );
    }

    #[test]
    fn campaign_field_and_compliance_facts_have_plain_sentences() {
        for (block, text, detail) in [
            (
                CampaignBlock::NoRunningPreviewCampaign,
                "This campaign is not running at the moment.",
                "no preview campaign is running",
            ),
            (
                CampaignBlock::RecordAlreadyOpen,
                "Finish the record you have open before you get another one.",
                "a preview record is already open",
            ),
            (
                CampaignBlock::NoRecordsLeft,
                "This campaign has no records left for you.",
                "the campaign has no record left for this agent",
            ),
        ] {
            let facts = Facts {
                campaign_block: Some(block),
                ..Facts::default()
            };
            let d = with_facts(facts, A::GetRecord, Stage::Campaign);
            assert_eq!((d.plain().as_str(), d.detail().as_str()), (text, detail));
            assert_clean(&d);
        }

        let facts = Facts {
            read_only_field: Some("Account".into()),
            ..Facts::default()
        };
        let d = with_facts(facts, A::EditRecordData, Stage::Preview);
        assert_eq!(
            d.plain(),
            "The field \"Account\" is read-only in this campaign."
        );
        assert_eq!(
            d.detail(),
            "field \"Account\" is read-only in this campaign"
        );

        let facts = Facts {
            dial_block: Some(ComplianceReason::DoNotCall {
                number: "+1 212 555 0100".into(),
            }),
            ..Facts::default()
        };
        let d = with_facts(facts, A::Dial, Stage::Preview);
        assert_eq!(
            d.plain(),
            "+1 212 555 0100 is on the Do Not Call list: nobody may call it."
        );
        assert_clean(&d);

        let facts = Facts {
            dial_block: Some(ComplianceReason::OutsideCallingWindow {
                number: "+1 212 555 0100".into(),
                window: "08:00-21:00".into(),
                local_time: "07:12 Eastern".into(),
            }),
            ..Facts::default()
        };
        let d = with_facts(facts, A::Dial, Stage::Preview);
        assert_eq!(
            d.plain(),
            "This customer may be called only 08:00-21:00 their time, and it is 07:12 Eastern \
             there now."
        );
        assert_eq!(
            d.detail(),
            "+1 212 555 0100 may only be called 08:00-21:00 contact time; it is 07:12 Eastern there"
        );
        assert_clean(&d);
    }

    /// Every denial the gating table can produce has a sentence, whatever the grant.
    #[test]
    fn every_cell_of_every_single_privilege_grant_has_a_clean_sentence() {
        let grants: Vec<Vec<Privilege>> = std::iter::once(Vec::new())
            .chain(Privilege::ALL.iter().map(|&p| vec![p]))
            .collect();
        for grant in &grants {
            for &ch in Channel::ALL {
                for &a in ch.actions() {
                    for &s in a.matrix_stages() {
                        let set = PrivilegeSet::of(grant);
                        if let Err(d) = authorize(set, ch, a, s, &Facts::default()) {
                            assert_clean(&d);
                        }
                    }
                }
            }
        }
    }
}
