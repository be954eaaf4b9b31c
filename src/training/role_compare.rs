//! Comparing two roles: the privileges whose state differs, and every matrix cell whose
//! decision differs, with each side's reason in the words of the authorization function.
//!
//! The comparison window only renders this; deciding what differs is domain work.

use crate::policy::moment_words;
use crate::policy::{Action, Cell, Channel, Facts, Stage, action_words, authorize, cell};
use crate::policy::{CATALOGUE, PrivilegeSet};
use crate::qa::matrix::{Decision, cells_in};
use crate::training::role_edit::GrantState;
use crate::world::roles::RoleBook;

/// One privilege whose state is not the same in both roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivilegeDifference {
    pub id: &'static str,
    pub name: &'static str,
    pub left: GrantState,
    pub right: GrantState,
}

/// One role's decision in one cell, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideDecision {
    pub decision: Decision,
    /// One line: `allowed`, `not-applicable`, or `denied: missing ...` with the exact names.
    pub summary: String,
    /// The full explanation: for a denial, [`crate::policy::Denial::explain`].
    pub reason: String,
    /// The privileges still missing for a denial, by vendor name (empty when allowed).
    pub missing: Vec<&'static str>,
    /// A denial's plain sentence ([`crate::policy::Denial::plain`]); empty when allowed.
    pub plain: String,
}

/// One (channel, action, stage) cell where the two roles get different decisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellDifference {
    pub channel: Channel,
    pub action: Action,
    pub stage: Stage,
    pub left: SideDecision,
    pub right: SideDecision,
}

impl CellDifference {
    /// `preview / reschedule / preview`, as in the matrix export.
    pub fn label(&self) -> String {
        format!("{} / {} / {}", self.channel, self.action, self.stage)
    }
}

/// Everything that tells two roles apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleComparison {
    pub left: String,
    pub right: String,
    /// Catalogue order.
    pub privileges: Vec<PrivilegeDifference>,
    /// Matrix order (`docs/matrix.md`).
    pub cells: Vec<CellDifference>,
    /// How many cells were compared (the whole matrix for one role).
    pub cells_compared: usize,
}

/// One sentence of what one role may do that the other may not: one action on one channel,
/// its differing stages merged when they differ the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlainDifference {
    pub action: Action,
    /// Matrix order; said together as one moment ("during or after the call").
    pub stages: Vec<Stage>,
    pub sentence: String,
}

/// The plain differences of one channel, in matrix order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelDifferences {
    pub channel: Channel,
    pub differences: Vec<PlainDifference>,
}

impl RoleComparison {
    /// The differing cells in words, grouped by channel: "Push Preview Agent may reschedule
    /// this customer before the call; Outbound Preview Agent may not: it lacks Outbound - Can
    /// Reschedule Before Call". Cells of one action that differ the same way (same side
    /// allowed, same privileges missing) become one sentence.
    pub fn in_words(&self) -> Vec<ChannelDifferences> {
        let mut out: Vec<ChannelDifferences> = Vec::new();
        // (channel, action, left, right) of each sentence so far, to merge stages into it.
        let mut keys: Vec<(Channel, Action, &SideDecision, &SideDecision)> = Vec::new();
        let mut stages: Vec<Vec<Stage>> = Vec::new();
        for d in &self.cells {
            let same = |k: &(Channel, Action, &SideDecision, &SideDecision)| {
                k.0 == d.channel
                    && k.1 == d.action
                    && same_way(k.2, &d.left)
                    && same_way(k.3, &d.right)
            };
            match keys.iter().position(same) {
                Some(i) => stages[i].push(d.stage),
                None => {
                    keys.push((d.channel, d.action, &d.left, &d.right));
                    stages.push(vec![d.stage]);
                }
            }
        }
        for ((channel, action, left, right), stages) in keys.into_iter().zip(stages) {
            let sentence = self.sentence(channel, action, &stages, left, right);
            let difference = PlainDifference {
                action,
                stages,
                sentence,
            };
            match out.iter_mut().find(|c| c.channel == channel) {
                Some(c) => c.differences.push(difference),
                None => out.push(ChannelDifferences {
                    channel,
                    differences: vec![difference],
                }),
            }
        }
        out
    }

    fn sentence(
        &self,
        channel: Channel,
        action: Action,
        stages: &[Stage],
        left: &SideDecision,
        right: &SideDecision,
    ) -> String {
        let doing = format!("{} {}", action_words(channel, action), moment_words(stages));
        let (may, may_not, denied) = match (left.decision, right.decision) {
            (Decision::Allowed, _) => (&self.left, &self.right, right),
            (_, Decision::Allowed) => (&self.right, &self.left, left),
            // Neither may (one denied, one not applicable): say each side's own words.
            _ => {
                return format!(
                    "Neither may {doing}: {} ({}); {} ({})",
                    self.left, left.plain, self.right, right.plain
                );
            }
        };
        if denied.missing.is_empty() {
            format!("{may} may {doing}; {may_not} may not: {}", denied.plain)
        } else {
            format!(
                "{may} may {doing}; {may_not} may not: it lacks {}",
                and_list(&denied.missing)
            )
        }
    }
}

/// "A", "A and B", "A, B and C".
fn and_list(names: &[&str]) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// Two decisions of one side that read as the same sentence.
fn same_way(a: &SideDecision, b: &SideDecision) -> bool {
    a.decision == b.decision && a.missing == b.missing
}

/// How role `role` of the book the desk runs on (`desk`) differs from the roles file
/// (`file`): the role editor's edits not saved yet. `None` when it is as in the file.
pub fn unsaved_change(desk: &RoleBook, file: &RoleBook, role: usize) -> Option<&'static str> {
    let r = desk.roles.get(role)?;
    match file.role_index(&r.name) {
        None => Some("new or renamed, not saved to the roles file"),
        Some(i) if file.roles[i].granted != r.granted => {
            Some("edited, not saved to the roles file")
        }
        Some(_) if file.product_version != desk.product_version => {
            Some("under another product version than the roles file's")
        }
        Some(_) => None,
    }
}

/// Compares roles `a` and `b` of `book`; `None` when either index is out of range.
pub fn compare_roles(book: &RoleBook, a: usize, b: usize) -> Option<RoleComparison> {
    let left = book.roles.get(a)?;
    let right = book.roles.get(b)?;
    let privileges = CATALOGUE
        .iter()
        .filter_map(|info| {
            let l = GrantState::of(left.granted, info.privilege);
            let r = GrantState::of(right.granted, info.privilege);
            (!l.same_kind(&r)).then_some(PrivilegeDifference {
                id: info.id,
                name: info.name,
                left: l,
                right: r,
            })
        })
        .collect();
    let mut compared = 0;
    let cells = cells_in(book.product_version())
        .filter_map(|(channel, action, stage)| {
            compared += 1;
            let l = side(left.granted, channel, action, stage);
            let r = side(right.granted, channel, action, stage);
            (l.decision != r.decision).then_some(CellDifference {
                channel,
                action,
                stage,
                left: l,
                right: r,
            })
        })
        .collect();
    Some(RoleComparison {
        left: left.name.clone(),
        right: right.name.clone(),
        privileges,
        cells,
        cells_compared: compared,
    })
}

fn side(granted: PrivilegeSet, channel: Channel, action: Action, stage: Stage) -> SideDecision {
    // The matrix view of the world: privileges and stages only, no campaign or compliance facts.
    let result = authorize(granted, channel, action, stage, &Facts::default());
    let decision = Decision::of(&result);
    match result {
        Ok(()) => {
            let reason = match cell(channel, action, stage) {
                Cell::Needs(required) if !required.is_empty() => {
                    format!("allowed: {} in effect", required.names().join(", "))
                }
                _ => "allowed".to_string(),
            };
            SideDecision {
                decision,
                summary: "allowed".into(),
                reason,
                missing: Vec::new(),
                plain: String::new(),
            }
        }
        Err(denial) => SideDecision {
            decision,
            summary: match decision {
                Decision::NotApplicable => "not-applicable".into(),
                _ if denial.missing.is_empty() => "denied".into(),
                _ => format!("denied: missing {}", denial.missing.names().join(", ")),
            },
            reason: denial.explain(),
            missing: denial.missing.names(),
            plain: denial.plain(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::matrix::build;

    fn compare(a: &str, b: &str) -> RoleComparison {
        let book = RoleBook::embedded_default();
        let (a, b) = (book.find_role(a).unwrap(), book.find_role(b).unwrap());
        compare_roles(&book, a, b).unwrap()
    }

    #[test]
    fn preview_vs_push_lists_the_known_differences() {
        let c = compare("Outbound Preview Agent", "Push Preview Agent");
        assert_eq!(c.cells_compared, 186);
        let cell = c
            .cells
            .iter()
            .find(|d| d.label() == "preview / reschedule / preview")
            .expect("reschedule before the call differs");
        assert_eq!(cell.left.decision, Decision::Denied);
        assert_eq!(cell.right.decision, Decision::Allowed);
        assert!(
            cell.left
                .reason
                .contains("Outbound - Can Reschedule Before Call: required by this action"),
            "{}",
            cell.left.reason
        );
        assert!(
            cell.right
                .reason
                .contains("Outbound - Can Reschedule Before Call"),
            "{}",
            cell.right.reason
        );
        let ids: Vec<_> = c.privileges.iter().map(|p| p.id).collect();
        assert!(!ids.contains(&"ob.cancel"), "neither grants it");
        assert!(ids.contains(&"ob.reject"));
        assert!(ids.contains(&"ob.push_preview"));
        assert!(!ids.contains(&"ob.use"), "both grant it");
    }

    #[test]
    fn differing_cells_are_exactly_the_matrix_rows_that_differ_in_order() {
        let book = RoleBook::embedded_default();
        let rows = build(&book);
        let per_role = rows.len() / book.roles.len();
        for a in 0..book.roles.len() {
            for b in 0..book.roles.len() {
                let c = compare_roles(&book, a, b).unwrap();
                let expected: Vec<_> = (0..per_role)
                    .filter(|&i| rows[a * per_role + i].decision != rows[b * per_role + i].decision)
                    .map(|i| {
                        let r = &rows[a * per_role + i];
                        (r.channel, r.action, r.stage)
                    })
                    .collect();
                let got: Vec<_> = c
                    .cells
                    .iter()
                    .map(|d| (d.channel, d.action, d.stage))
                    .collect();
                assert_eq!(got, expected, "{} vs {}", c.left, c.right);
                if a == b {
                    assert!(c.cells.is_empty() && c.privileges.is_empty());
                }
            }
        }
    }

    #[test]
    fn effective_versus_inactive_is_a_difference_even_when_both_grant() {
        let c = compare(
            "Demo: Outbound Before Call without Reschedule",
            "Push Preview Agent",
        );
        let before_call = c
            .privileges
            .iter()
            .find(|p| p.id == "ob.reschedule_before_call")
            .expect("inactive on the left, effective on the right");
        assert!(matches!(before_call.left, GrantState::Inactive { .. }));
        assert_eq!(before_call.right, GrantState::Effective);
        assert!(compare_roles(&RoleBook::embedded_default(), 0, 99).is_none());
    }

    #[test]
    fn differences_in_words_name_who_may_and_what_the_other_lacks() {
        let c = compare("Outbound Preview Agent", "Push Preview Agent");
        let words = c.in_words();
        for ch in &words {
            for d in &ch.differences {
                println!("{}: {}", ch.channel.title(), d.sentence);
            }
        }
        let preview = words
            .iter()
            .find(|c| c.channel == Channel::Preview)
            .expect("the preview channel differs");
        let reschedule = preview
            .differences
            .iter()
            .find(|d| d.action == Action::Reschedule)
            .expect("rescheduling differs");
        assert_eq!(reschedule.stages, vec![Stage::Preview]);
        assert_eq!(
            reschedule.sentence,
            "Push Preview Agent may reschedule this customer before the call; Outbound \
             Preview Agent may not: it lacks Outbound - Can Reschedule Before Call"
        );
        // No keywords of the gating table in any sentence.
        for d in words.iter().flat_map(|c| &c.differences) {
            for code in [
                "preview /",
                "reschedule-new-number",
                "connected",
                "after-call",
            ] {
                assert!(!d.sentence.contains(code), "{}", d.sentence);
            }
        }
        // Every differing cell is said exactly once.
        let said: usize = words
            .iter()
            .flat_map(|c| &c.differences)
            .map(|d| d.stages.len())
            .sum();
        assert_eq!(said, c.cells.len());
    }

    #[test]
    fn stages_that_differ_the_same_way_are_one_sentence() {
        let book = RoleBook::embedded_default();
        for a in 0..book.roles.len() {
            for b in 0..book.roles.len() {
                let c = compare_roles(&book, a, b).unwrap();
                let words = c.in_words();
                let mut seen = std::collections::HashSet::new();
                for ch in &words {
                    for d in &ch.differences {
                        assert!(!d.stages.is_empty());
                        assert!(seen.insert((ch.channel, d.action, d.sentence.clone())));
                        assert!(d.sentence.contains(" may "), "{}", d.sentence);
                    }
                }
                let sentences: usize = words.iter().map(|c| c.differences.len()).sum();
                assert!(sentences <= c.cells.len());
                assert_eq!(words.is_empty(), c.cells.is_empty());
            }
        }
        // The two moments of one call merge: a role that may reschedule on a new number
        // during and after the call against one that may not at all.
        let merged = book.roles.iter().enumerate().any(|(a, _)| {
            (0..book.roles.len()).any(|b| {
                compare_roles(&book, a, b)
                    .unwrap()
                    .in_words()
                    .iter()
                    .flat_map(|c| &c.differences)
                    .any(|d| d.sentence.contains("during or after the call"))
            })
        });
        assert!(
            merged,
            "some pair of roles differs during or after the call"
        );
    }
}
