//! The authorization matrix: every role x channel x action x stage decision, and its exports.
//!
//! The exports are an interface contract (`docs/matrix.md`): QA tools parse their
//! header and values, so they change only with the spec. Rows are computed as they are
//! written (`rows` is lazy and every format streams), so an export's memory does not grow with
//! roles x cells.
//!
//! - `export`: CSV, JSON and Markdown, written row by row;
//! - `html`: the self-contained HTML report.

mod export;
mod html;

pub use export::{Format, ReportInfo, render, write};

use crate::policy::PrivilegeSet;
use crate::policy::{
    Action, Cell, Channel, Denial, DenialKind, Facts, ProductVersion, Stage, authorize, cell,
};
use crate::world::roles::RoleBook;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    Allowed,
    Denied,
    /// The action does not exist in that stage. Spelled out: data tools read `n/a` as missing.
    NotApplicable,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Allowed, Decision::Denied, Decision::NotApplicable];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::Denied => "denied",
            Decision::NotApplicable => "not-applicable",
        }
    }

    /// The matrix decision for an authorization result with no world facts.
    pub fn of(result: &Result<(), Denial>) -> Decision {
        match result {
            Ok(()) => Decision::Allowed,
            Err(Denial {
                kind: DenialKind::Stage { .. } | DenialKind::NotInVersion { .. },
                ..
            }) => Decision::NotApplicable,
            Err(_) => Decision::Denied,
        }
    }
}

/// One cell of the matrix, for one role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    pub role: usize,
    pub channel: Channel,
    pub action: Action,
    pub stage: Stage,
    pub decision: Decision,
    pub missing: PrivilegeSet,
}

/// Every (channel, action, stage) cell of the matrix at the newest product version, in
/// contract order.
pub fn cells() -> impl Iterator<Item = (Channel, Action, Stage)> + Clone {
    cells_in(ProductVersion::NEWEST)
}

/// The cells of the matrix of a roles file of product version `v`, in contract order: the
/// channels, each channel's actions that exist in `v` and each action's stages as the policy
/// lists them, so a new action gets rows in every format without a change here.
pub fn cells_in(v: ProductVersion) -> impl Iterator<Item = (Channel, Action, Stage)> + Clone {
    Channel::ALL.iter().flat_map(move |&channel| {
        channel.actions_in(v).flat_map(move |action| {
            action
                .matrix_stages()
                .iter()
                .map(move |&stage| (channel, action, stage))
        })
    })
}

/// The decision of one grant in one cell.
pub fn decide(granted: PrivilegeSet, channel: Channel, action: Action, stage: Stage) -> MatrixRow {
    let result = authorize(granted, channel, action, stage, &Facts::default());
    let missing = match &result {
        Err(d) => d.missing,
        Ok(()) => PrivilegeSet::EMPTY,
    };
    MatrixRow {
        role: 0,
        channel,
        action,
        stage,
        decision: Decision::of(&result),
        missing,
    }
}

/// The full matrix for every role of the book, role by role in file order, computed one row
/// at a time as the iterator is advanced.
pub fn rows(book: &RoleBook) -> impl Iterator<Item = MatrixRow> + Clone + '_ {
    let version = book.product_version();
    book.roles.iter().enumerate().flat_map(move |(i, role)| {
        let granted = role.granted;
        cells_in(version).map(move |(c, a, s)| MatrixRow {
            role: i,
            ..decide(granted, c, a, s)
        })
    })
}

/// [`rows`], collected (the desktop's matrix window keeps them to filter and draw).
pub fn build(book: &RoleBook) -> Vec<MatrixRow> {
    let mut all = Vec::with_capacity(book.roles.len() * cells_in(book.product_version()).count());
    all.extend(rows(book));
    all
}

/// The `reason` column: empty when allowed; otherwise the detail tier of the denial (the
/// missing privileges with their unmet dependency paths and "granted, but inactive" notes, or
/// why the action does not exist in that stage), the same words the desktop gives.
pub fn reason(book: &RoleBook, row: &MatrixRow) -> String {
    if row.decision == Decision::Allowed {
        return String::new();
    }
    let granted = book
        .roles
        .get(row.role)
        .map_or(PrivilegeSet::EMPTY, |r| r.granted);
    match authorize(
        granted,
        row.channel,
        row.action,
        row.stage,
        &Facts::default(),
    ) {
        Err(denial) => denial.detail(),
        Ok(()) => String::new(),
    }
}

/// The stages that have matrix rows, in contract order: the pull pseudo-stage, then the five
/// interaction stages (nothing is possible on a closed interaction, so it has no rows).
pub const STAGES: [Stage; 6] = [
    Stage::Campaign,
    Stage::Offered,
    Stage::Preview,
    Stage::Dialing,
    Stage::Connected,
    Stage::AfterCall,
];

/// Why a cell has its decision, in words, from the same [`authorize`] call the matrix makes:
/// the denial's full explanation, or for an allowed cell what it requires.
pub fn explain_cell(
    granted: PrivilegeSet,
    channel: Channel,
    action: Action,
    stage: Stage,
) -> String {
    match authorize(granted, channel, action, stage, &Facts::default()) {
        Err(denial) => denial.explain(),
        Ok(()) => {
            let needs = match cell(channel, action, stage) {
                Cell::Needs(set) if !set.is_empty() => set.names().join(", "),
                _ => "no privilege".to_string(),
            };
            format!(
                "{} ({channel}, {stage}) allowed: requires {needs}, all effective",
                action.label()
            )
        }
    }
}

/// [`explain_cell`] for a row of [`build`], with the grant of the row's role in `book`.
pub fn explain_row(book: &RoleBook, row: &MatrixRow) -> String {
    let granted = book
        .roles
        .get(row.role)
        .map_or(PrivilegeSet::EMPTY, |r| r.granted);
    explain_cell(granted, row.channel, row.action, row.stage)
}

/// A selection of matrix rows; `None` and an empty text match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Index of the role in the book.
    pub role: Option<usize>,
    pub channel: Option<Channel>,
    pub action: Option<Action>,
    pub stage: Option<Stage>,
    pub decision: Option<Decision>,
    /// Case-insensitive part of the name of a missing privilege.
    pub missing: String,
}

impl Filter {
    pub fn matches(&self, row: &MatrixRow) -> bool {
        let needle = self.missing.trim().to_lowercase();
        self.role.is_none_or(|r| r == row.role)
            && self.channel.is_none_or(|c| c == row.channel)
            && self.action.is_none_or(|a| a == row.action)
            && self.stage.is_none_or(|s| s == row.stage)
            && self.decision.is_none_or(|d| d == row.decision)
            && (needle.is_empty()
                || row
                    .missing
                    .names()
                    .iter()
                    .any(|n| n.to_lowercase().contains(&needle)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Privilege;

    #[test]
    fn cell_count_matches_the_contract() {
        // web-callback 10 actions x 5, preview 1 + 12 x 5, push-preview 13 x 5.
        // web-callback 10 actions x 5, preview 1 + 13 x 5, push-preview 14 x 5.
        assert_eq!(cells().count(), 50 + 66 + 70);
        assert_eq!(cells().count(), 186);
        // Before 8.5.115.17 there is no dial-new-number: two actions x 5 stages fewer.
        let v = ProductVersion::parse("8.1.401.05").unwrap();
        assert_eq!(cells_in(v).count(), 176);
        assert!(cells_in(v).all(|(_, a, _)| a != Action::DialNewNumber));
    }

    #[test]
    fn rows_are_lazy_and_the_same_as_build() {
        let book = RoleBook::embedded_default();
        let built = build(&book);
        assert_eq!(rows(&book).count(), book.roles.len() * cells().count());
        assert!(rows(&book).eq(built.iter().cloned()));
        let supervisor_denied = built
            .iter()
            .filter(|r| r.role == 0 && r.decision == Decision::Denied)
            .count();
        assert_eq!(supervisor_denied, 0);
        assert_eq!(book.roles[0].granted.len(), Privilege::COUNT);
    }

    #[test]
    fn the_reason_is_the_denials_detail_and_empty_when_allowed() {
        let book = preview_agent();
        for row in rows(&book) {
            let r = reason(&book, &row);
            let result = authorize(
                book.roles[0].granted,
                row.channel,
                row.action,
                row.stage,
                &Facts::default(),
            );
            match result {
                Ok(()) => assert_eq!(r, "", "{row:?}"),
                Err(d) => assert_eq!(r, d.detail(), "{row:?}"),
            }
        }
        let na = rows(&book)
            .find(|r| r.decision == Decision::NotApplicable)
            .unwrap();
        assert!(reason(&book, &na).contains("is not possible"));
    }

    fn preview_agent() -> RoleBook {
        RoleBook::parse(
            "t",
            "[[role]]\nname = \"<Preview> & 'Co'\"\nprivileges = [\"Outbound - Can Use\", \"Outbound - Can Set Call Result\"]\n",
        )
        .unwrap()
        .book
    }

    #[test]
    fn explain_cell_gives_the_denial_or_what_an_allowed_cell_requires() {
        let granted = preview_agent().roles[0].granted;
        let denied = explain_cell(
            granted,
            Channel::Preview,
            Action::Reschedule,
            Stage::Preview,
        );
        let denial = authorize(
            granted,
            Channel::Preview,
            Action::Reschedule,
            Stage::Preview,
            &Facts::default(),
        )
        .unwrap_err();
        assert_eq!(denied, denial.explain());
        assert!(denied.contains("Outbound - Can Reschedule Before Call"));
        let allowed = explain_cell(granted, Channel::Preview, Action::Dial, Stage::Preview);
        assert_eq!(
            allowed,
            "Dial (preview, preview) allowed: requires Outbound - Can Use, all effective"
        );
        let na = explain_cell(granted, Channel::Preview, Action::HangUp, Stage::Preview);
        assert!(na.contains("does not exist in this stage"), "{na}");
    }

    #[test]
    fn filter_selects_by_every_field_and_missing_text() {
        let book = RoleBook::embedded_default();
        let rows = build(&book);
        assert_eq!(
            rows.iter().filter(|r| Filter::default().matches(r)).count(),
            rows.len()
        );
        let f = Filter {
            decision: Some(Decision::Denied),
            missing: "before call".into(),
            ..Filter::default()
        };
        let picked: Vec<_> = rows.iter().filter(|r| f.matches(r)).collect();
        assert!(!picked.is_empty());
        assert!(picked.iter().all(|r| {
            r.decision == Decision::Denied
                && r.missing.names().iter().any(|n| n.ends_with("Before Call"))
        }));
        // Every row the filter left out is either not denied or misses no Before Call.
        assert_eq!(
            rows.iter()
                .filter(|r| r.decision == Decision::Denied
                    && r.missing.names().iter().any(|n| n.ends_with("Before Call")))
                .count(),
            picked.len()
        );
        let f = Filter {
            role: Some(1),
            channel: Some(Channel::Preview),
            action: Some(Action::GetRecord),
            stage: Some(Stage::Campaign),
            ..Filter::default()
        };
        assert_eq!(rows.iter().filter(|r| f.matches(r)).count(), 1);
    }
}
