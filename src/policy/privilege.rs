//! The privilege catalogue: the 23 vendor privileges, their dependency edges, and grant sets.
//!
//! Names are vendor facts and match the Workspace Desktop Edition pages exactly; everything else
//! (summaries, the `implied` edges) is agentdesk's own. A [`PrivilegeSet`] is a 32-bit set, so
//! "is this granted?" and "what is still missing?" are single mask operations.

use std::fmt;

use crate::policy::ProductVersion;

/// One role privilege, in catalogue order (the order of the privilege table in `docs/roles-and-scenarios.md`, which exports also use).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Privilege {
    WcbUse,
    WcbDecline,
    WcbReject,
    WcbCancel,
    WcbReschedule,
    WcbRescheduleBeforeCall,
    WcbRescheduleNewNumber,
    WcbSetDisposition,
    WcbMarkDone,
    ObUse,
    ObReject,
    ObCancel,
    ObDialAlternative,
    ObDialNewNumber,
    ObGetNext,
    ObPushPreview,
    ObPushDecline,
    ObMarkDnc,
    ObSetCallResult,
    ObReschedule,
    ObRescheduleBeforeCall,
    ObRescheduleNewNumber,
    ObEditRecord,
}

/// The section of the role-privileges tab a privilege belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    WebCallback,
    Outbound,
}

impl Section {
    pub const ALL: [Section; 2] = [Section::WebCallback, Section::Outbound];

    pub fn title(self) -> &'static str {
        match self {
            Section::WebCallback => "Web Callback",
            Section::Outbound => "Outbound",
        }
    }
}

/// Where a dependency edge comes from: the vendor pages, or this project's reading of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// The vendor page states the dependency ("Depends on ...", "Requires ...").
    Documented,
    /// The vendor page is silent; the privilege makes no sense without its channel or parent.
    Implied,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Documented => "documented",
            EdgeKind::Implied => "implied",
        }
    }
}

/// A directed edge: the privilege this one needs before it can take effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub on: Privilege,
    pub kind: EdgeKind,
}

/// Everything the catalogue records about one privilege.
#[derive(Clone, Copy, Debug)]
pub struct PrivilegeInfo {
    pub privilege: Privilege,
    /// Short stable id used in tables and tests, e.g. `ob.reschedule`.
    pub id: &'static str,
    /// The exact vendor name.
    pub name: &'static str,
    pub section: Section,
    /// Product version note from the vendor page, when it gives one.
    pub version_note: Option<&'static str>,
    /// The first product version that has the privilege.
    pub since: ProductVersion,
    pub depends_on: &'static [Dependency],
    /// What the privilege lets an agent do, in agentdesk's words.
    pub summary: &'static str,
}

const fn doc(on: Privilege) -> Dependency {
    Dependency {
        on,
        kind: EdgeKind::Documented,
    }
}

const fn imp(on: Privilege) -> Dependency {
    Dependency {
        on,
        kind: EdgeKind::Implied,
    }
}

const ADDED: Option<&str> = Some("Added in 8.1.40x.xx");
/// Every privilege but one exists in every modelled version (an "Added in 8.1.40x.xx" one
/// from 8.1.400, the first modelled, on).
const ALWAYS: ProductVersion = ProductVersion::FIRST_MODELLED;
const MODIFIED: Option<&str> = Some("Modified in 8.1.40x.xx");

use Privilege as P;

/// The catalogue, indexed by `Privilege as usize`.
pub const CATALOGUE: [PrivilegeInfo; 23] = [
    PrivilegeInfo {
        privilege: P::WcbUse,
        id: "wcb.use",
        name: "Web Callback - Can Use Callback Channel",
        section: Section::WebCallback,
        version_note: None,
        since: ALWAYS,
        depends_on: &[],
        summary: "Work web callbacks at all; every other web callback privilege waits on this one.",
    },
    PrivilegeInfo {
        privilege: P::WcbDecline,
        id: "wcb.decline",
        name: "Web Callback - Can Decline",
        section: Section::WebCallback,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::WcbUse)],
        summary: "Turn down a web callback invitation routed to this agent.",
    },
    PrivilegeInfo {
        privilege: P::WcbReject,
        id: "wcb.reject",
        name: "Web Callback - Can Reject",
        section: Section::WebCallback,
        version_note: ADDED,
        since: ALWAYS,
        depends_on: &[doc(P::WcbUse)],
        summary: "Hand an accepted web callback back so another agent processes it.",
    },
    PrivilegeInfo {
        privilege: P::WcbCancel,
        id: "wcb.cancel",
        name: "Web Callback - Can Cancel",
        section: Section::WebCallback,
        version_note: ADDED,
        since: ALWAYS,
        depends_on: &[doc(P::WcbUse)],
        summary: "Withdraw a web callback entirely so nobody processes it.",
    },
    PrivilegeInfo {
        privilege: P::WcbReschedule,
        id: "wcb.reschedule",
        name: "Web Callback - Can Reschedule",
        section: Section::WebCallback,
        version_note: MODIFIED,
        since: ALWAYS,
        depends_on: &[doc(P::WcbUse)],
        summary: "Move a web callback to another date or time once the call has happened.",
    },
    PrivilegeInfo {
        privilege: P::WcbRescheduleBeforeCall,
        id: "wcb.reschedule_before_call",
        name: "Web Callback - Can Reschedule Before Call",
        section: Section::WebCallback,
        version_note: ADDED,
        since: ALWAYS,
        depends_on: &[doc(P::WcbReschedule)],
        summary: "Also reschedule a web callback while previewing it, before dialing.",
    },
    PrivilegeInfo {
        privilege: P::WcbRescheduleNewNumber,
        id: "wcb.reschedule_new_number",
        name: "Web Callback - Can Reschedule On New Number",
        section: Section::WebCallback,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::WcbReschedule)],
        summary: "Reschedule a web callback to a different phone number.",
    },
    PrivilegeInfo {
        privilege: P::WcbSetDisposition,
        id: "wcb.set_disposition",
        name: "Web Callback - Can Set Interaction Disposition",
        section: Section::WebCallback,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::WcbUse)],
        summary: "Record a disposition code on a web callback.",
    },
    PrivilegeInfo {
        privilege: P::WcbMarkDone,
        id: "wcb.mark_done",
        name: "Web Callback - Can Mark Done",
        section: Section::WebCallback,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::WcbUse)],
        summary: "Close a web callback as done without calling the customer.",
    },
    PrivilegeInfo {
        privilege: P::ObUse,
        id: "ob.use",
        name: "Outbound - Can Use",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[],
        summary: "Take part in outbound campaigns; every other outbound privilege waits on it.",
    },
    PrivilegeInfo {
        privilege: P::ObReject,
        id: "ob.reject",
        name: "Outbound - Can Reject Record",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::ObUse)],
        summary: "Give a preview record back to the campaign for another agent.",
    },
    PrivilegeInfo {
        privilege: P::ObCancel,
        id: "ob.cancel",
        name: "Outbound - Can Cancel Record",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::ObUse)],
        summary: "Take a preview record out of the current campaign altogether.",
    },
    PrivilegeInfo {
        privilege: P::ObDialAlternative,
        id: "ob.dial_alternative",
        name: "Outbound - Can Dial Alternative Chained Record",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::ObUse)],
        summary: "Dial another number of the record chain than the one the system picked.",
    },
    PrivilegeInfo {
        privilege: P::ObDialNewNumber,
        id: "ob.dial_new_number",
        name: "Outbound - Can Dial On New Number",
        section: Section::Outbound,
        version_note: Some("Added in 8.5.115.17"),
        since: ProductVersion::V8_5_115_17,
        depends_on: &[doc(P::ObUse), doc(P::ObDialAlternative)],
        summary: "Dial the contact on a number typed in, which adds a new record to the chain.",
    },
    PrivilegeInfo {
        privilege: P::ObGetNext,
        id: "ob.get_next",
        name: "Outbound - Can Get Next Preview Record",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::ObUse)],
        summary: "Ask for the next preview record while closing the current one.",
    },
    PrivilegeInfo {
        privilege: P::ObPushPreview,
        id: "ob.push_preview",
        name: "Outbound - Can Use Push Preview",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::ObUse)],
        summary: "Receive records pushed by push-preview campaigns.",
    },
    PrivilegeInfo {
        privilege: P::ObPushDecline,
        id: "ob.push_decline",
        name: "Outbound - Push Preview Can Decline",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::ObPushPreview)],
        summary: "Turn down a pushed preview record.",
    },
    PrivilegeInfo {
        privilege: P::ObMarkDnc,
        id: "ob.mark_dnc",
        name: "Outbound - Can Mark Do Not Call",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::ObUse)],
        summary: "Put a contact's number on the campaign's Do Not Call list.",
    },
    PrivilegeInfo {
        privilege: P::ObSetCallResult,
        id: "ob.set_call_result",
        name: "Outbound - Can Set Call Result",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::ObUse)],
        summary: "Choose the call result recorded on an outbound record.",
    },
    PrivilegeInfo {
        privilege: P::ObReschedule,
        id: "ob.reschedule",
        name: "Outbound - Can Reschedule",
        section: Section::Outbound,
        version_note: MODIFIED,
        since: ALWAYS,
        depends_on: &[doc(P::ObUse)],
        summary: "Reschedule an outbound record once the contact has been called.",
    },
    PrivilegeInfo {
        privilege: P::ObRescheduleBeforeCall,
        id: "ob.reschedule_before_call",
        name: "Outbound - Can Reschedule Before Call",
        section: Section::Outbound,
        version_note: ADDED,
        since: ALWAYS,
        depends_on: &[doc(P::ObReschedule)],
        summary: "Also reschedule an outbound record while previewing it, before dialing.",
    },
    PrivilegeInfo {
        privilege: P::ObRescheduleNewNumber,
        id: "ob.reschedule_new_number",
        name: "Outbound - Can Reschedule On New Number",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::ObReschedule)],
        summary: "Reschedule on a new number, which adds a record to the chain.",
    },
    PrivilegeInfo {
        privilege: P::ObEditRecord,
        id: "ob.edit_record",
        name: "Outbound - Can Edit Record Data",
        section: Section::Outbound,
        version_note: None,
        since: ALWAYS,
        depends_on: &[imp(P::ObUse)],
        summary: "Change the record fields that the campaign configures as editable.",
    },
];

/// The vendor's other spelling of the web callback root privilege, accepted with a note.
pub const WCB_USE_ALIAS: &str = "Web Callback - Can Use Web Callback Channel";

/// The unprefixed name one vendor table uses; it fits both sections, so it is refused.
pub const AMBIGUOUS_BEFORE_CALL: &str = "Can Reschedule Before Call";

impl Privilege {
    pub const COUNT: usize = 23;

    pub const ALL: [Privilege; 23] = [
        P::WcbUse,
        P::WcbDecline,
        P::WcbReject,
        P::WcbCancel,
        P::WcbReschedule,
        P::WcbRescheduleBeforeCall,
        P::WcbRescheduleNewNumber,
        P::WcbSetDisposition,
        P::WcbMarkDone,
        P::ObUse,
        P::ObReject,
        P::ObCancel,
        P::ObDialAlternative,
        P::ObDialNewNumber,
        P::ObGetNext,
        P::ObPushPreview,
        P::ObPushDecline,
        P::ObMarkDnc,
        P::ObSetCallResult,
        P::ObReschedule,
        P::ObRescheduleBeforeCall,
        P::ObRescheduleNewNumber,
        P::ObEditRecord,
    ];

    pub const fn info(self) -> &'static PrivilegeInfo {
        &CATALOGUE[self as usize]
    }

    pub const fn name(self) -> &'static str {
        self.info().name
    }

    pub const fn id(self) -> &'static str {
        self.info().id
    }

    pub const fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// Whether the privilege exists in product version `v` (a roles file of that version may
    /// grant it).
    pub fn exists_in(self, v: ProductVersion) -> bool {
        v >= self.info().since
    }

    /// Every privilege this one needs, transitively, not counting itself.
    pub const fn prerequisites(self) -> PrivilegeSet {
        PrivilegeSet(PREREQUISITES[self as usize])
    }

    /// Looks a privilege up by its exact vendor name or its short id.
    pub fn from_name(name: &str) -> Result<NameMatch, NameError> {
        if let Some(info) = CATALOGUE.iter().find(|i| i.name == name || i.id == name) {
            return Ok(NameMatch::Exact(info.privilege));
        }
        if name == WCB_USE_ALIAS {
            return Ok(NameMatch::Alias {
                privilege: P::WcbUse,
                alias: WCB_USE_ALIAS,
            });
        }
        if name == AMBIGUOUS_BEFORE_CALL {
            return Err(NameError::Ambiguous {
                name: name.to_string(),
                candidates: vec![P::WcbRescheduleBeforeCall, P::ObRescheduleBeforeCall],
            });
        }
        Err(NameError::Unknown {
            name: name.to_string(),
            suggestions: crate::input::suggest(name, CATALOGUE.iter().map(|i| i.name)),
        })
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a name matched the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameMatch {
    Exact(Privilege),
    /// A known alternative spelling; the caller should tell the user the canonical name.
    Alias {
        privilege: Privilege,
        alias: &'static str,
    },
}

impl NameMatch {
    pub fn privilege(self) -> Privilege {
        match self {
            NameMatch::Exact(p) | NameMatch::Alias { privilege: p, .. } => p,
        }
    }
}

/// Why a name did not resolve to one privilege.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("unknown privilege \"{name}\"")]
    Unknown {
        name: String,
        suggestions: Vec<&'static str>,
    },
    #[error(
        "ambiguous privilege \"{name}\": it could mean \"{}\" or \"{}\"",
        candidates[0].name(),
        candidates[1].name()
    )]
    Ambiguous {
        name: String,
        candidates: Vec<Privilege>,
    },
}

/// Transitive prerequisites of each privilege as bit masks, computed at compile time. Every
/// dependency points to an earlier catalogue entry, so one forward pass is enough (a unit test
/// holds the catalogue to that).
const PREREQUISITES: [u32; Privilege::COUNT] = {
    let mut masks = [0u32; Privilege::COUNT];
    let mut i = 0;
    while i < Privilege::COUNT {
        let deps = CATALOGUE[i].depends_on;
        let mut j = 0;
        while j < deps.len() {
            let on = deps[j].on as usize;
            masks[i] |= (1 << on) | masks[on];
            j += 1;
        }
        i += 1;
    }
    masks
};

/// A set of privileges, as a bit mask in catalogue order.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PrivilegeSet(u32);

impl PrivilegeSet {
    pub const EMPTY: PrivilegeSet = PrivilegeSet(0);
    pub const ALL: PrivilegeSet = PrivilegeSet((1 << Privilege::COUNT) - 1);

    pub const fn from_bits(bits: u32) -> PrivilegeSet {
        PrivilegeSet(bits & Self::ALL.0)
    }

    pub const fn bits(self) -> u32 {
        self.0
    }

    pub const fn of(privileges: &[Privilege]) -> PrivilegeSet {
        let mut bits = 0;
        let mut i = 0;
        while i < privileges.len() {
            bits |= privileges[i].bit();
            i += 1;
        }
        PrivilegeSet(bits)
    }

    /// Every privilege of `section` in the catalogue.
    pub const fn of_section(section: Section) -> PrivilegeSet {
        let mut bits = 0;
        let mut i = 0;
        while i < Privilege::ALL.len() {
            let p = Privilege::ALL[i];
            if p.info().section as u8 == section as u8 {
                bits |= p.bit();
            }
            i += 1;
        }
        PrivilegeSet(bits)
    }

    pub const fn contains(self, p: Privilege) -> bool {
        self.0 & p.bit() != 0
    }

    pub fn insert(&mut self, p: Privilege) {
        self.0 |= p.bit();
    }

    pub fn remove(&mut self, p: Privilege) {
        self.0 &= !p.bit();
    }

    pub const fn union(self, other: PrivilegeSet) -> PrivilegeSet {
        PrivilegeSet(self.0 | other.0)
    }

    pub const fn minus(self, other: PrivilegeSet) -> PrivilegeSet {
        PrivilegeSet(self.0 & !other.0)
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the two sets share a privilege.
    pub const fn intersects(self, other: PrivilegeSet) -> bool {
        self.0 & other.0 != 0
    }

    pub const fn is_subset(self, other: PrivilegeSet) -> bool {
        self.0 & !other.0 == 0
    }

    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// This set together with everything its members depend on, transitively.
    pub const fn with_prerequisites(self) -> PrivilegeSet {
        let mut bits = self.0;
        let mut i = 0;
        while i < Privilege::COUNT {
            if self.0 & (1 << i) != 0 {
                bits |= PREREQUISITES[i];
            }
            i += 1;
        }
        PrivilegeSet(bits)
    }

    /// The members of a grant that take effect: those whose prerequisites are all granted too.
    pub fn effective(self) -> PrivilegeSet {
        let mut bits = 0;
        for p in self.iter() {
            if PREREQUISITES[p as usize] & !self.0 == 0 {
                bits |= p.bit();
            }
        }
        PrivilegeSet(bits)
    }

    /// The members that exist in product version `v`.
    pub fn existing_in(self, v: ProductVersion) -> PrivilegeSet {
        self.iter().filter(|p| p.exists_in(v)).collect()
    }

    /// Members in catalogue order.
    pub fn iter(self) -> impl Iterator<Item = Privilege> {
        Privilege::ALL
            .into_iter()
            .filter(move |p| self.0 & p.bit() != 0)
    }

    /// Exact vendor names in catalogue order.
    pub fn names(self) -> Vec<&'static str> {
        self.iter().map(Privilege::name).collect()
    }
}

impl fmt::Debug for PrivilegeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(Privilege::id))
            .finish()
    }
}

impl FromIterator<Privilege> for PrivilegeSet {
    fn from_iter<I: IntoIterator<Item = Privilege>>(iter: I) -> Self {
        let mut set = PrivilegeSet::EMPTY;
        for p in iter {
            set.insert(p);
        }
        set
    }
}

/// The chain of dependency edges from `from` down to `to`, if `to` is a prerequisite of `from`.
/// Each step names the privilege reached and the kind of edge taken to reach it.
pub fn dependency_path(from: Privilege, to: Privilege) -> Option<Vec<(Privilege, EdgeKind)>> {
    if from == to {
        return Some(Vec::new());
    }
    for dep in from.info().depends_on {
        if let Some(mut rest) = dependency_path(dep.on, to) {
            rest.insert(0, (dep.on, dep.kind));
            return Some(rest);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_indexed_by_discriminant_and_names_are_unique() {
        for (i, info) in CATALOGUE.iter().enumerate() {
            assert_eq!(info.privilege as usize, i, "{}", info.name);
            assert_eq!(Privilege::ALL[i], info.privilege);
        }
        let mut names: Vec<_> = CATALOGUE.iter().map(|i| i.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 23);
    }

    #[test]
    fn every_dependency_points_backwards_so_one_pass_closure_is_complete() {
        for info in &CATALOGUE {
            for dep in info.depends_on {
                assert!(
                    (dep.on as usize) < (info.privilege as usize),
                    "{}",
                    info.name
                );
            }
        }
    }

    #[test]
    fn documented_edges_are_exactly_the_vendor_ones() {
        let documented: Vec<(&str, &str)> = CATALOGUE
            .iter()
            .flat_map(|i| {
                i.depends_on
                    .iter()
                    .filter(|d| d.kind == EdgeKind::Documented)
                    .map(move |d| (i.id, d.on.id()))
            })
            .collect();
        assert_eq!(
            documented,
            vec![
                ("wcb.reject", "wcb.use"),
                ("wcb.cancel", "wcb.use"),
                ("wcb.reschedule", "wcb.use"),
                ("wcb.reschedule_before_call", "wcb.reschedule"),
                ("ob.dial_new_number", "ob.use"),
                ("ob.dial_new_number", "ob.dial_alternative"),
                ("ob.reschedule", "ob.use"),
                ("ob.reschedule_before_call", "ob.reschedule"),
            ]
        );
    }

    #[test]
    fn before_call_needs_reschedule_and_the_channel_root_transitively() {
        let pre = Privilege::ObRescheduleBeforeCall.prerequisites();
        assert_eq!(pre, PrivilegeSet::of(&[P::ObUse, P::ObReschedule]));
        let pre = Privilege::ObPushDecline.prerequisites();
        assert_eq!(pre, PrivilegeSet::of(&[P::ObUse, P::ObPushPreview]));
    }

    #[test]
    fn dial_new_number_needs_can_use_and_dial_alternative_and_exists_from_8_5_115_17() {
        let pre = Privilege::ObDialNewNumber.prerequisites();
        assert_eq!(pre, PrivilegeSet::of(&[P::ObUse, P::ObDialAlternative]));
        let path = dependency_path(P::ObDialNewNumber, P::ObDialAlternative).unwrap();
        assert_eq!(path, vec![(P::ObDialAlternative, EdgeKind::Documented)]);
        let v = |t| ProductVersion::parse(t).unwrap();
        assert!(P::ObDialNewNumber.exists_in(v("8.5.115.17")));
        assert!(P::ObDialNewNumber.exists_in(v("8.5.200")));
        assert!(!P::ObDialNewNumber.exists_in(v("8.5.114.08")));
        assert!(!P::ObDialNewNumber.exists_in(v("8.1.401.05")));
        assert!(P::ObRescheduleBeforeCall.exists_in(v("8.1.400")));
        assert_eq!(PrivilegeSet::ALL.existing_in(v("8.1.401.05")).len(), 22);
        // Table order: right after Can Dial Alternative Chained Record, as on the vendor page.
        assert_eq!(
            P::ObDialNewNumber as usize,
            P::ObDialAlternative as usize + 1
        );
    }

    #[test]
    fn effective_drops_privileges_whose_prerequisites_are_missing() {
        let granted = PrivilegeSet::of(&[P::ObUse, P::ObRescheduleBeforeCall, P::WcbReject]);
        assert_eq!(granted.effective(), PrivilegeSet::of(&[P::ObUse]));
        let granted = PrivilegeSet::of(&[P::ObUse, P::ObReschedule, P::ObRescheduleBeforeCall]);
        assert_eq!(granted.effective(), granted);
    }

    #[test]
    fn alias_resolves_to_the_canonical_root_with_a_marker() {
        let m = Privilege::from_name(WCB_USE_ALIAS).unwrap();
        assert_eq!(m.privilege(), P::WcbUse);
        assert!(matches!(m, NameMatch::Alias { .. }));
        assert_eq!(
            Privilege::from_name("Web Callback - Can Use Callback Channel").unwrap(),
            NameMatch::Exact(P::WcbUse)
        );
    }

    #[test]
    fn bare_before_call_is_ambiguous_and_names_both_candidates() {
        let err = Privilege::from_name(AMBIGUOUS_BEFORE_CALL).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("Web Callback - Can Reschedule Before Call"),
            "{text}"
        );
        assert!(
            text.contains("Outbound - Can Reschedule Before Call"),
            "{text}"
        );
    }

    #[test]
    fn near_miss_names_get_suggestions() {
        match Privilege::from_name("Outbound - Can Rescedule") {
            Err(NameError::Unknown { suggestions, .. }) => {
                assert_eq!(suggestions[0], "Outbound - Can Reschedule")
            }
            other => panic!("unexpected {other:?}"),
        }
        match Privilege::from_name("outbound - can use") {
            Err(NameError::Unknown { suggestions, .. }) => {
                assert_eq!(suggestions[0], "Outbound - Can Use")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn dependency_path_walks_edges_with_their_kinds() {
        let path = dependency_path(P::ObRescheduleBeforeCall, P::ObUse).unwrap();
        assert_eq!(
            path,
            vec![
                (P::ObReschedule, EdgeKind::Documented),
                (P::ObUse, EdgeKind::Documented)
            ]
        );
        let path = dependency_path(P::ObRescheduleNewNumber, P::ObUse).unwrap();
        assert_eq!(
            path,
            vec![
                (P::ObReschedule, EdgeKind::Implied),
                (P::ObUse, EdgeKind::Documented)
            ]
        );
        assert!(dependency_path(P::ObUse, P::WcbUse).is_none());
    }
}
