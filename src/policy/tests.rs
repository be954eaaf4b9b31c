//! Unit tests of the gating table, `authorize` and denials.

use crate::policy::*;
use Action as A;
use Channel::{Preview as PV, PushPreview as PP, WebCallback as WCB};
use Privilege as P;

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

#[test]
fn an_action_whose_privilege_the_version_lacks_does_not_exist_there() {
    let v81 = ProductVersion::parse("8.1.401.05").unwrap();
    let facts = Facts {
        version: v81,
        ..Facts::default()
    };
    for ch in [PV, PP] {
        let d = authorize(
            PrivilegeSet::ALL,
            ch,
            A::DialNewNumber,
            Stage::Preview,
            &facts,
        )
        .unwrap_err();
        assert_eq!(
            d.kind,
            DenialKind::NotInVersion {
                version: v81,
                since: ProductVersion::NEWEST
            }
        );
        assert_eq!(d.kind.name(), DenialKindName::Stage);
        assert!(d.missing.is_empty());
        assert_eq!(
            d.detail(),
            "dial-new-number does not exist in product version 8.1.401.05 (added in 8.5.115.17)"
        );
        assert!(d.plain().contains("not part of product version 8.1.401.05"));
        // Every other action is decided as in the newest version.
        assert!(
            authorize(
                PrivilegeSet::ALL,
                ch,
                A::DialAlternative,
                Stage::Preview,
                &facts
            )
            .is_ok()
        );
    }
    assert!(!action_exists_in(PV, A::DialNewNumber, v81));
    assert!(action_exists_in(
        PV,
        A::DialNewNumber,
        ProductVersion::NEWEST
    ));
    assert!(!action_exists_in(
        WCB,
        A::DialNewNumber,
        ProductVersion::NEWEST
    ));
    assert_eq!(PV.actions_in(v81).count(), PV.actions().len() - 1);
}

#[test]
fn dial_new_number_needs_its_privilege_and_its_documented_dependencies() {
    let d = check(
        &[P::ObUse, P::ObDialNewNumber],
        PV,
        A::DialNewNumber,
        Stage::AfterCall,
    )
    .unwrap_err();
    assert_eq!(d.missing, set(&[P::ObDialAlternative]));
    let text = d.explain();
    assert!(
        text.contains(
            "Outbound - Can Dial On New Number is granted, but inactive: requires Outbound - Can \
             Dial Alternative Chained Record (documented dependency)"
        ),
        "{text}"
    );
    let g = [P::ObUse, P::ObDialAlternative, P::ObDialNewNumber];
    assert!(check(&g, PV, A::DialNewNumber, Stage::Preview).is_ok());
    assert!(check(&g, PV, A::DialNewNumber, Stage::Connected).is_err());
    let d = check(&g, PP, A::DialNewNumber, Stage::Preview).unwrap_err();
    assert_eq!(d.missing, set(&[P::ObPushPreview]));
}

#[test]
fn mandatory_items_and_whole_contact_do_not_call_have_their_own_words() {
    let facts = Facts {
        mandatory_missing: vec![
            MandatoryItem::Disposition,
            MandatoryItem::Field("Email".into()),
        ],
        ..Facts::default()
    };
    let d = authorize(
        PrivilegeSet::ALL,
        WCB,
        A::MarkDone,
        Stage::AfterCall,
        &facts,
    )
    .unwrap_err();
    assert_eq!(d.kind.name(), DenialKindName::Field);
    assert_eq!(
        d.plain(),
        "Before you mark this done, set a disposition and fill in \"Email\"."
    );
    assert_eq!(
        d.detail_lines(),
        [
            "the disposition is mandatory and not set",
            "field \"Email\" is mandatory and empty"
        ]
    );
    // Privileges first: a role that may not mark done is told so, not about the disposition.
    let d = authorize(
        PrivilegeSet::EMPTY,
        WCB,
        A::MarkDone,
        Stage::AfterCall,
        &facts,
    )
    .unwrap_err();
    assert_eq!(d.kind, DenialKind::Privilege);
    let facts = Facts {
        dial_block: Some(ComplianceReason::DoNotCallContact {
            number: "+1 206 555 0111".into(),
            contact: "Nora Scott".into(),
        }),
        ..Facts::default()
    };
    let d = authorize(
        PrivilegeSet::ALL,
        PV,
        A::DialNewNumber,
        Stage::Preview,
        &facts,
    )
    .unwrap_err();
    assert_eq!(
        d.detail(),
        "Nora Scott is on the Do Not Call list (entry: the whole contact): +1 206 555 0111 may \
         not be called"
    );
    assert!(
        d.plain()
            .starts_with("Nora Scott is on the Do Not Call list as a whole contact")
    );
}

mod fast_path {
    use proptest::prelude::*;

    use crate::policy::*;

    fn any_facts() -> impl Strategy<Value = Facts> {
        let dial = prop_oneof![
            Just(None),
            Just(Some(ComplianceReason::DoNotCall {
                number: "+1 202 555 0100".into(),
            })),
            Just(Some(ComplianceReason::DoNotCallContact {
                number: "+1 206 555 0111".into(),
                contact: "Nora Scott".into(),
            })),
            Just(Some(ComplianceReason::OutsideCallingWindow {
                number: "+1 206 555 0157".into(),
                window: "08:00-18:00".into(),
                local_time: "07:59 Pacific".into(),
            })),
        ];
        let field = prop_oneof![Just(None), Just(Some("Account".to_string()))];
        let campaign = prop_oneof![
            Just(None),
            Just(Some(CampaignBlock::NoRunningPreviewCampaign)),
            Just(Some(CampaignBlock::RecordAlreadyOpen)),
            Just(Some(CampaignBlock::NoRecordsLeft)),
        ];
        let version = prop::sample::select(KNOWN_VERSIONS.to_vec());
        let mandatory = prop_oneof![
            Just(Vec::new()),
            Just(vec![MandatoryItem::Disposition]),
            Just(vec![MandatoryItem::Field("Account".to_string())]),
        ];
        (version, dial, field, campaign, mandatory).prop_map(
            |(version, dial_block, read_only_field, campaign_block, mandatory_missing)| Facts {
                version,
                dial_block,
                read_only_field,
                campaign_block,
                mandatory_missing,
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// `allowed` is `authorize` without the words: on any grant, cell and facts they agree.
        #[test]
        fn allowed_agrees_with_authorize(
            bits in any::<u32>(),
            channel in prop::sample::select(Channel::ALL.to_vec()),
            action in prop::sample::select(Action::ALL.to_vec()),
            stage in prop::sample::select(Stage::ALL.to_vec()),
            facts in any_facts(),
        ) {
            let granted = PrivilegeSet::from_bits(bits);
            let full = authorize(granted, channel, action, stage, &facts);
            let fast = allowed(granted, channel, action, stage, FactsPresent::from(&facts));
            prop_assert_eq!(fast, full.is_ok(), "{:?}", full);
            // Finding the facts only when asked gives the same answer, and they are asked
            // for only when the stage and the privileges allow the action.
            let asked = std::cell::Cell::new(false);
            let finding = allowed_finding(granted, channel, action, stage, facts.version, || {
                asked.set(true);
                FactsPresent::from(&facts)
            });
            prop_assert_eq!(finding, full.is_ok(), "{:?}", full);
            let decided_by_table = matches!(
                &full,
                Err(d) if matches!(
                    d.kind,
                    DenialKind::NotInVersion { .. } | DenialKind::Stage { campaign: None } | DenialKind::Privilege
                )
            );
            prop_assert!(!(asked.get() && decided_by_table), "facts found for {:?}", full);
        }
    }
}
