//! Comparing two roles: the privileges whose state differs, and every matrix cell whose
//! decision differs, with each side's reason in the words of the authorization function.
//!
//! The comparison window only renders this; deciding what differs is domain work.

use crate::policy::{Action, Cell, Channel, Facts, Stage, authorize, cell};
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
}
