//! Properties of authorization over every matrix cell, for random grants.
//!
//! The matrix is checked against a re-computation written here from the catalogue and the
//! gating table alone, so a mistake in the compiled masks of `authorize` cannot hide behind
//! a test that calls `authorize` to compute its own expectation.

use agentdesk::policy::{Action, Cell, Channel, DenialKind, Facts, GATING_TABLE, Stage, authorize};
use agentdesk::policy::{CATALOGUE, Privilege, PrivilegeSet, ProductVersion};
use agentdesk::qa::matrix::{self, Decision};
use agentdesk::world::roles::{Role, RoleBook};
use proptest::prelude::*;

/// Any grant, including the bits above the 23 privileges (which `from_bits` must ignore).
fn any_grant() -> impl Strategy<Value = PrivilegeSet> {
    any::<u32>().prop_map(PrivilegeSet::from_bits)
}

fn all_cells() -> Vec<(Channel, Action, Stage)> {
    matrix::cells().collect()
}

/// The column of a stage in a gating-table row. Spelled out rather than taken from the enum
/// discriminant, so a reordered `Stage` enum shows up here as a failure.
fn column(stage: Stage) -> Option<usize> {
    match stage {
        Stage::Campaign => Some(0),
        Stage::Offered => Some(1),
        Stage::Preview => Some(2),
        Stage::Dialing => Some(3),
        Stage::Connected => Some(4),
        Stage::AfterCall => Some(5),
        Stage::Closed => None,
    }
}

/// The privileges a cell names directly, or `None` when the action does not exist there.
fn table_requirement(channel: Channel, action: Action, stage: Stage) -> Option<Vec<Privilege>> {
    let row = GATING_TABLE
        .iter()
        .find(|r| r.channel == channel && r.action == action)?;
    match row.cells[column(stage)?] {
        Cell::NotAvailable => None,
        Cell::Needs(set) => Some(
            Privilege::ALL
                .iter()
                .copied()
                .filter(|p| set.contains(*p))
                .collect(),
        ),
    }
}

/// Effective, straight from "Privileges" in `docs/roles-and-scenarios.md`: granted, and every dependency effective, recursively.
fn naive_effective(granted: PrivilegeSet, p: Privilege) -> bool {
    let info = CATALOGUE
        .iter()
        .find(|i| i.privilege == p)
        .expect("every privilege has a catalogue entry");
    granted.contains(p)
        && info
            .depends_on
            .iter()
            .all(|d| naive_effective(granted, d.on))
}

/// `p` and everything reachable from it over dependency edges.
fn naive_closure(p: Privilege, into: &mut Vec<Privilege>) {
    if into.contains(&p) {
        return;
    }
    into.push(p);
    let info = CATALOGUE
        .iter()
        .find(|i| i.privilege == p)
        .expect("every privilege has a catalogue entry");
    for d in info.depends_on {
        naive_closure(d.on, into);
    }
}

/// The matrix decision and missing names of one cell, without `authorize`.
fn naive_decision(
    granted: PrivilegeSet,
    channel: Channel,
    action: Action,
    stage: Stage,
) -> (&'static str, Vec<&'static str>) {
    let Some(required) = table_requirement(channel, action, stage) else {
        return ("not-applicable", Vec::new());
    };
    let mut closure = Vec::new();
    for &p in &required {
        naive_closure(p, &mut closure);
    }
    // Names in catalogue order, as the contract asks.
    let missing: Vec<&'static str> = CATALOGUE
        .iter()
        .filter(|i| closure.contains(&i.privilege) && !granted.contains(i.privilege))
        .map(|i| i.name)
        .collect();
    let allowed = required.iter().all(|&p| naive_effective(granted, p));
    // Two readings of the spec that must agree: "all required effective" and "nothing to grant".
    assert_eq!(
        allowed,
        missing.is_empty(),
        "{channel} {action} {stage} with {granted:?}"
    );
    (if allowed { "allowed" } else { "denied" }, missing)
}

fn decide(granted: PrivilegeSet, channel: Channel, action: Action, stage: Stage) -> Decision {
    matrix::decide(granted, channel, action, stage).decision
}

proptest! {
    #[test]
    fn granting_the_reported_missing_set_turns_a_privilege_denial_into_ok(granted in any_grant()) {
        let facts = Facts::default();
        for (channel, action, stage) in all_cells() {
            if let Err(denial) = authorize(granted, channel, action, stage, &facts) {
                if denial.kind == DenialKind::Privilege {
                    prop_assert!(!denial.missing.is_empty());
                    prop_assert!(denial.missing.minus(granted) == denial.missing,
                        "missing {:?} overlaps the grant {:?}", denial.missing, granted);
                    let fixed = granted.union(denial.missing);
                    prop_assert!(
                        authorize(fixed, channel, action, stage, &facts).is_ok(),
                        "{channel} {action} {stage}: granting {:?} on top of {:?} did not help",
                        denial.missing, granted
                    );
                } else {
                    prop_assert!(denial.missing.is_empty());
                }
            }
        }
    }

    #[test]
    fn adding_privileges_never_turns_an_allowed_cell_into_denied(
        granted in any_grant(),
        extra in any_grant(),
    ) {
        let more = granted.union(extra);
        for (channel, action, stage) in all_cells() {
            let before = matrix::decide(granted, channel, action, stage);
            let after = matrix::decide(more, channel, action, stage);
            if before.decision == Decision::Allowed {
                prop_assert_eq!(after.decision, Decision::Allowed, "{} {} {}", channel, action, stage);
            }
            // Whether an action exists in a stage has nothing to do with the grant.
            prop_assert_eq!(
                before.decision == Decision::NotApplicable,
                after.decision == Decision::NotApplicable
            );
            prop_assert!(after.missing.is_subset(before.missing));
        }
    }

    #[test]
    fn matrix_equals_a_naive_recomputation_from_the_catalogue(
        grants in prop::collection::vec(any_grant(), 1..6),
    ) {
        let book = RoleBook {
            roles: grants
                .iter()
                .enumerate()
                .map(|(i, &granted)| Role {
                    name: format!("Role {i}"),
                    description: String::new(),
                    granted,
                })
                .collect(),
            agents: Vec::new(),
            product_version: Default::default(),
        };
        let rows = matrix::build(&book);
        let cells = all_cells();
        prop_assert_eq!(rows.len(), grants.len() * cells.len());
        for (row, (role, &(channel, action, stage))) in rows.iter().zip(
            (0..grants.len()).flat_map(|r| cells.iter().map(move |c| (r, c))),
        ) {
            prop_assert_eq!(row.role, role);
            prop_assert_eq!((row.channel, row.action, row.stage), (channel, action, stage));
            let (decision, missing) = naive_decision(grants[role], channel, action, stage);
            prop_assert_eq!(row.decision.as_str(), decision, "{} {} {}", channel, action, stage);
            prop_assert_eq!(row.missing.names(), missing, "{} {} {}", channel, action, stage);
        }
    }

    /// A roles file of an older product version has the same matrix, less the rows of the
    /// actions whose privileges that version lacks; and no role of it may grant them.
    #[test]
    fn an_8_1_matrix_is_the_newest_one_without_dial_new_number(
        grants in prop::collection::vec(any_grant(), 1..4),
    ) {
        let v81 = ProductVersion::parse("8.1.401.05").expect("a version");
        let book = |version: ProductVersion| RoleBook {
            roles: grants
                .iter()
                .enumerate()
                .map(|(i, &granted)| Role {
                    name: format!("Role {i}"),
                    description: String::new(),
                    granted: granted.existing_in(version),
                })
                .collect(),
            agents: Vec::new(),
            product_version: version,
        };
        let old = matrix::build(&book(v81));
        let new = matrix::build(&book(ProductVersion::NEWEST));
        prop_assert_eq!(old.len(), grants.len() * 176);
        prop_assert_eq!(new.len(), grants.len() * 186);
        // Nothing depends on the new privilege, so every other decision is the same.
        let without: Vec<_> = new
            .into_iter()
            .filter(|r| r.action != Action::DialNewNumber)
            .collect();
        prop_assert_eq!(&old, &without);
        for r in &old {
            prop_assert!(!r.missing.contains(Privilege::ObDialNewNumber));
        }
    }

    #[test]
    fn effective_is_idempotent_and_within_the_grant(granted in any_grant()) {
        let effective = granted.effective();
        prop_assert_eq!(effective.effective(), effective);
        prop_assert!(effective.is_subset(granted));
        for p in Privilege::ALL {
            prop_assert_eq!(effective.contains(p), naive_effective(granted, p), "{}", p);
        }
    }

    #[test]
    fn a_cell_allows_exactly_when_its_required_privileges_are_effective(granted in any_grant()) {
        for (channel, action, stage) in all_cells() {
            let decision = decide(granted, channel, action, stage);
            match table_requirement(channel, action, stage) {
                None => prop_assert_eq!(decision, Decision::NotApplicable),
                Some(required) => {
                    let all_effective = required.iter().all(|&p| granted.effective().contains(p));
                    prop_assert_eq!(decision == Decision::Allowed, all_effective);
                }
            }
        }
    }
}

/// The cell order of "Matrix columns" in `docs/matrix.md`, copied from its text rather than from the code.
#[test]
fn cells_follow_the_contract_order() {
    let spec: [(&str, &[&str]); 3] = [
        (
            "web-callback",
            &[
                "accept",
                "decline",
                "dial",
                "hang-up",
                "reject",
                "cancel",
                "reschedule",
                "reschedule-new-number",
                "set-disposition",
                "mark-done",
            ],
        ),
        (
            "preview",
            &[
                "get-record",
                "dial",
                "dial-alternative",
                "dial-new-number",
                "hang-up",
                "reject",
                "cancel",
                "reschedule",
                "reschedule-new-number",
                "mark-do-not-call",
                "set-call-result",
                "edit-record-data",
                "mark-done",
                "done-and-get-next",
            ],
        ),
        (
            "push-preview",
            &[
                "accept",
                "decline",
                "dial",
                "dial-alternative",
                "dial-new-number",
                "hang-up",
                "reject",
                "cancel",
                "reschedule",
                "reschedule-new-number",
                "mark-do-not-call",
                "set-call-result",
                "edit-record-data",
                "mark-done",
            ],
        ),
    ];
    let stages = ["offered", "preview", "dialing", "connected", "after-call"];
    let mut expected = Vec::new();
    for (channel, actions) in spec {
        for &action in actions {
            if action == "get-record" {
                expected.push(format!("{channel},{action},campaign"));
            } else {
                for stage in stages {
                    expected.push(format!("{channel},{action},{stage}"));
                }
            }
        }
    }
    let actual: Vec<String> = matrix::cells()
        .map(|(c, a, s)| format!("{c},{a},{s}"))
        .collect();
    assert_eq!(actual, expected);
}

/// Every privilege is named by some cell, so the properties above exercise the whole catalogue
/// rather than a corner of it; and nothing is free: an empty grant is allowed nowhere.
#[test]
fn every_privilege_is_required_somewhere_and_an_empty_grant_is_allowed_nowhere() {
    let mut seen = PrivilegeSet::EMPTY;
    for (channel, action, stage) in all_cells() {
        if let Some(required) = table_requirement(channel, action, stage) {
            for p in required {
                seen.insert(p);
            }
        }
        assert_ne!(
            decide(PrivilegeSet::EMPTY, channel, action, stage),
            Decision::Allowed,
            "{channel} {action} {stage}"
        );
    }
    assert_eq!(
        seen,
        PrivilegeSet::ALL,
        "privileges never required: {seen:?}"
    );
}
