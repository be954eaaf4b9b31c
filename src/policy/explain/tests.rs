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
    // On an invitation, what has to happen first is accepting it (docs/stage.md).
    assert_eq!(
        d.plain(),
        "Accept the invitation first: you cannot reschedule this customer while it waits."
    );
    let d = denial(&wcb, WCB, A::Reschedule, Stage::Dialing);
    assert_eq!(
        d.plain(),
        "You can reschedule this customer only during or after the call."
    );
    // A stage denial never reads as a missing privilege, even when the role lacks it too.
    let d = denial(&[P::WcbUse], WCB, A::Cancel, Stage::Connected);
    assert_eq!(
        d.plain(),
        "Cancel is possible only before you call, not while you are talking to the customer."
    );
    assert_eq!(
        d.detail(),
        "Cancel is not possible while you are talking to the customer; it exists only before you call"
    );
}

/// Over every matrix cell of every single-privilege grant (and none, and all): the plain tier
/// and the detail name the same kind of denial; on an invitation every action but accept and
/// decline says to accept it first; no detail leaks an identifier of the gating table.
#[test]
fn both_tiers_name_the_same_kind_in_every_cell() {
    let grants: Vec<PrivilegeSet> = std::iter::once(PrivilegeSet::EMPTY)
        .chain(std::iter::once(PrivilegeSet::ALL))
        .chain(Privilege::ALL.iter().map(|&p| PrivilegeSet::of(&[p])))
        .collect();
    let mut ids: Vec<String> = Vec::new();
    for &ch in Channel::ALL {
        ids.push(ch.as_str().to_string());
        ids.extend(ch.actions().iter().map(|a| a.as_str().to_string()));
    }
    ids.retain(|id| id.contains('-'));
    ids.push("in stage".into());
    for &grant in &grants {
        for &ch in Channel::ALL {
            for &a in ch.actions() {
                for &s in a.matrix_stages() {
                    let Err(d) = authorize(grant, ch, a, s, &Facts::default()) else {
                        continue;
                    };
                    let (plain, detail) = (d.plain(), d.detail());
                    let cell = format!("{ch} {a} {s}: {plain} / {detail}");
                    match &d.kind {
                        DenialKind::Stage { campaign: None } => {
                            assert!(!plain.contains("role"), "{cell}");
                            assert!(!detail.contains("missing"), "{cell}");
                            let invitation = s == Stage::Offered
                                && !matches!(a, A::Accept | A::Decline)
                                && !plain.starts_with("There is no");
                            if invitation {
                                assert!(plain.starts_with("Accept the invitation first"), "{cell}");
                                assert!(
                                    detail.starts_with("accept the invitation first"),
                                    "{cell}"
                                );
                            }
                        }
                        DenialKind::Privilege => {
                            assert!(
                                detail.contains("missing") || detail.contains("inactive"),
                                "{cell}"
                            );
                            assert!(!plain.contains("not possible"), "{cell}");
                        }
                        _ => {}
                    }
                    for id in &ids {
                        assert!(!detail.contains(id.as_str()), "{cell}: {id}");
                    }
                }
            }
        }
    }
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
