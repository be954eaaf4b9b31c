//! Editing a role book: grants by privilege id, dependency hints, roles and agents, and what
//! applying an edit means for agents already logged in.
//!
//! The desktop's views never decide privileges (a test holds `src/ui` to that), so every
//! question the role editor asks about them is answered here. Privileges are named by the
//! catalogue's short ids (`ob.reschedule`), so a view can hold and pass them back without
//! knowing the privilege types.

use crate::policy::{CATALOGUE, EdgeKind, Privilege, PrivilegeSet, Section, dependency_path};
use crate::world::roles::{Role, RoleBook, RoleEdit, edits_between};

mod version;

/// A dependency edge, as the editor shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub id: &'static str,
    pub name: &'static str,
    /// `documented` (the vendor page says so) or `implied` (agentdesk's reading).
    pub kind: &'static str,
}

impl Edge {
    fn new(on: Privilege, kind: EdgeKind) -> Edge {
        Edge {
            id: on.id(),
            name: on.name(),
            kind: kind.as_str(),
        }
    }

    /// `Outbound - Can Use (documented)`.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.name, self.kind)
    }
}

fn describe_all(edges: &[Edge]) -> String {
    edges
        .iter()
        .map(Edge::describe)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One privilege of the catalogue, for one checkbox row of the editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivilegeEntry {
    pub id: &'static str,
    /// The exact vendor name.
    pub name: &'static str,
    /// "Added in 8.1.40x.xx" and the like, where the vendor page gives one.
    pub version_note: Option<&'static str>,
    pub summary: &'static str,
    /// Direct dependencies, each documented or implied.
    pub depends_on: Vec<Edge>,
}

/// The privileges of one section of the role-privileges tab, in catalogue order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionEntries {
    pub title: &'static str,
    pub privileges: Vec<PrivilegeEntry>,
}

/// The whole catalogue grouped by section (Web Callback, then Outbound).
pub fn privileges_by_section() -> Vec<SectionEntries> {
    Section::ALL
        .iter()
        .map(|&section| SectionEntries {
            title: section.title(),
            privileges: CATALOGUE
                .iter()
                .filter(|info| info.section == section)
                .map(|info| PrivilegeEntry {
                    id: info.id,
                    name: info.name,
                    version_note: info.version_note,
                    summary: info.summary,
                    depends_on: info
                        .depends_on
                        .iter()
                        .map(|d| Edge::new(d.on, d.kind))
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

fn privilege_of(id: &str) -> Option<Privilege> {
    CATALOGUE
        .iter()
        .find(|info| info.id == id)
        .map(|info| info.privilege)
}

/// Whether one privilege of one role takes effect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrantState {
    NotGranted,
    /// Granted, and every dependency is effective.
    Effective,
    /// Granted, but some direct dependency is not effective, so it does nothing yet.
    Inactive {
        waits_on: Vec<Edge>,
    },
}

impl GrantState {
    /// The state of `p` in a bare grant.
    pub(crate) fn of(granted: PrivilegeSet, p: Privilege) -> GrantState {
        if !granted.contains(p) {
            return GrantState::NotGranted;
        }
        let effective = granted.effective();
        if effective.contains(p) {
            return GrantState::Effective;
        }
        GrantState::Inactive {
            waits_on: p
                .info()
                .depends_on
                .iter()
                .filter(|d| !effective.contains(d.on))
                .map(|d| Edge::new(d.on, d.kind))
                .collect(),
        }
    }

    /// `not granted`, `granted`, or `granted, but inactive: waits on ... (documented)`.
    pub fn describe(&self) -> String {
        match self {
            GrantState::NotGranted => "not granted".into(),
            GrantState::Effective => "granted".into(),
            GrantState::Inactive { waits_on } => {
                format!("granted, but inactive: waits on {}", describe_all(waits_on))
            }
        }
    }

    /// Same state, ignoring what an inactive grant waits on.
    pub fn same_kind(&self, other: &GrantState) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// A granted privilege that does not take effect, and the dependencies it waits on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InactiveGrant {
    pub id: &'static str,
    pub name: &'static str,
    pub waits_on: Vec<Edge>,
}

/// What ticking or unticking a privilege did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ToggleOutcome {
    /// Now granted. `missing` are its prerequisites (transitively, catalogue order) that are
    /// not granted, so the editor can offer to grant them too; empty when it takes effect.
    Granted { missing: Vec<Edge> },
    /// No longer granted. `now_inactive` are the role's other grants that took effect before
    /// and no longer do.
    Revoked { now_inactive: Vec<&'static str> },
    /// No such role or privilege id: nothing changed.
    Unknown,
}

/// Why a role name cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameProblem {
    #[error("a role needs a name")]
    Empty,
    #[error("another role is already called \"{0}\"")]
    Taken(String),
}

/// The role book being edited, and the book the desktop runs on, so an edit can be applied
/// live without confusing agents whose roles are kept by index.
#[derive(Clone, Debug)]
pub struct RoleDraft {
    book: RoleBook,
    /// The book the desktop had when the draft was made or last applied.
    applied: RoleBook,
    /// For each role of `book`, its index in `applied` (`None`: new since then).
    origin: Vec<Option<usize>>,
}

impl RoleDraft {
    /// A draft of the book the desktop runs on.
    pub fn new(desktop: &RoleBook) -> RoleDraft {
        RoleDraft {
            book: desktop.clone(),
            applied: desktop.clone(),
            origin: (0..desktop.roles.len()).map(Some).collect(),
        }
    }

    /// A draft of another book (a file just opened) that will replace the desktop's. Roles
    /// that keep their name keep their place in logged-in agents' sessions.
    pub fn replacing(book: RoleBook, desktop: &RoleBook) -> RoleDraft {
        let origin = book
            .roles
            .iter()
            .map(|r| desktop.role_index(&r.name))
            .collect();
        RoleDraft {
            book,
            applied: desktop.clone(),
            origin,
        }
    }

    pub fn book(&self) -> &RoleBook {
        &self.book
    }

    pub fn role_count(&self) -> usize {
        self.book.roles.len()
    }

    pub fn role_name(&self, role: usize) -> Option<&str> {
        self.book.roles.get(role).map(|r| r.name.as_str())
    }

    pub fn description(&self, role: usize) -> Option<&str> {
        self.book.roles.get(role).map(|r| r.description.as_str())
    }

    fn grant(&self, role: usize) -> Option<PrivilegeSet> {
        self.book.roles.get(role).map(|r| r.granted)
    }

    pub fn is_granted(&self, role: usize, id: &str) -> bool {
        match (self.grant(role), privilege_of(id)) {
            (Some(g), Some(p)) => g.contains(p),
            _ => false,
        }
    }

    pub fn state(&self, role: usize, id: &str) -> GrantState {
        match (self.grant(role), privilege_of(id)) {
            (Some(g), Some(p)) => GrantState::of(g, p),
            _ => GrantState::NotGranted,
        }
    }

    /// How many privileges the role grants, and how many of them take effect.
    pub fn grant_counts(&self, role: usize) -> (usize, usize) {
        self.grant(role)
            .map_or((0, 0), |g| (g.len(), g.effective().len()))
    }

    /// The role's grants that do not take effect, in catalogue order.
    pub fn inactive_privileges(&self, role: usize) -> Vec<InactiveGrant> {
        let Some(g) = self.grant(role) else {
            return Vec::new();
        };
        g.minus(g.effective())
            .iter()
            .map(|p| InactiveGrant {
                id: p.id(),
                name: p.name(),
                waits_on: match GrantState::of(g, p) {
                    GrantState::Inactive { waits_on } => waits_on,
                    _ => Vec::new(),
                },
            })
            .collect()
    }

    /// The prerequisites of privilege `id` (transitively) that the role does not grant, each
    /// with the kind of the edge that leads to it.
    pub fn missing_prerequisites(&self, role: usize, id: &str) -> Vec<Edge> {
        let (Some(g), Some(p)) = (self.grant(role), privilege_of(id)) else {
            return Vec::new();
        };
        p.prerequisites()
            .minus(g)
            .iter()
            .map(|missing| {
                let kind = dependency_path(p, missing)
                    .and_then(|path| path.last().map(|&(_, k)| k))
                    .unwrap_or(EdgeKind::Implied);
                Edge::new(missing, kind)
            })
            .collect()
    }

    /// Grants or revokes privilege `id` for `role`. A privilege the book's product version
    /// does not have cannot be granted.
    pub fn set_granted(&mut self, role: usize, id: &str, on: bool) -> ToggleOutcome {
        let Some(p) = privilege_of(id) else {
            return ToggleOutcome::Unknown;
        };
        if on && !p.exists_in(self.book.product_version) {
            return ToggleOutcome::Unknown;
        }
        let Some(r) = self.book.roles.get_mut(role) else {
            return ToggleOutcome::Unknown;
        };
        let before = r.granted.effective();
        if on {
            r.granted.insert(p);
            ToggleOutcome::Granted {
                missing: self.missing_prerequisites(role, id),
            }
        } else {
            r.granted.remove(p);
            let after = r.granted.effective();
            ToggleOutcome::Revoked {
                now_inactive: before
                    .minus(after)
                    .iter()
                    .filter(|&q| q != p)
                    .map(Privilege::name)
                    .collect(),
            }
        }
    }

    /// Flips privilege `id` for `role`.
    pub fn toggle(&mut self, role: usize, id: &str) -> ToggleOutcome {
        let on = !self.is_granted(role, id);
        self.set_granted(role, id, on)
    }

    /// Grants `id` and every prerequisite it lacks; returns the names newly granted.
    pub fn grant_with_prerequisites(&mut self, role: usize, id: &str) -> Vec<&'static str> {
        let Some(p) = privilege_of(id) else {
            return Vec::new();
        };
        let Some(r) = self.book.roles.get_mut(role) else {
            return Vec::new();
        };
        let wanted = PrivilegeSet::of(&[p]).with_prerequisites();
        let added = wanted.minus(r.granted);
        r.granted = r.granted.union(wanted);
        added.names()
    }

    /// A trimmed name for role `except` (or a new role), or why it cannot be used.
    pub fn check_name(&self, name: &str, except: Option<usize>) -> Result<String, NameProblem> {
        let name = name.trim();
        if name.is_empty() {
            return Err(NameProblem::Empty);
        }
        match self.book.role_index(name) {
            Some(i) if Some(i) != except => Err(NameProblem::Taken(name.to_string())),
            _ => Ok(name.to_string()),
        }
    }

    /// `base`, or `base 2`, `base 3`... whichever no role has yet.
    pub fn unused_name(&self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.book.role_index(&name).is_some() {
            name = format!("{base} {n}");
            n += 1;
        }
        name
    }

    /// Adds an empty role at the end; returns its index.
    pub fn create_role(&mut self, name: &str) -> Result<usize, NameProblem> {
        let name = self.check_name(name, None)?;
        self.book.roles.push(Role {
            name,
            description: String::new(),
            granted: PrivilegeSet::EMPTY,
        });
        self.origin.push(None);
        Ok(self.book.roles.len() - 1)
    }

    pub fn rename_role(&mut self, role: usize, name: &str) -> Result<(), NameProblem> {
        let name = self.check_name(name, Some(role))?;
        if let Some(r) = self.book.roles.get_mut(role) {
            r.name = name;
        }
        Ok(())
    }

    /// Copies a role (grant and description) to the end under an unused name; returns the
    /// copy's index. Agents are not given the copy.
    pub fn duplicate_role(&mut self, role: usize) -> Option<usize> {
        let original = self.book.roles.get(role)?.clone();
        let name = self.unused_name(&format!("{} (copy)", original.name));
        self.book.roles.push(Role { name, ..original });
        self.origin.push(None);
        Some(self.book.roles.len() - 1)
    }

    /// Removes a role; agents lose it and keep their other roles.
    pub fn delete_role(&mut self, role: usize) -> Option<Role> {
        if role >= self.book.roles.len() {
            return None;
        }
        let removed = self.book.roles.remove(role);
        self.origin.remove(role);
        for agent in &mut self.book.agents {
            agent.roles.retain(|&r| r != role);
            for r in &mut agent.roles {
                if *r > role {
                    *r -= 1;
                }
            }
        }
        Some(removed)
    }

    pub fn set_description(&mut self, role: usize, text: &str) {
        if let Some(r) = self.book.roles.get_mut(role) {
            r.description = text.trim().to_string();
        }
    }

    pub fn agent_count(&self) -> usize {
        self.book.agents.len()
    }

    pub fn agent_name(&self, agent: usize) -> Option<&str> {
        self.book.agents.get(agent).map(|a| a.name.as_str())
    }

    /// The names of an agent's roles, in file order.
    pub fn agent_role_names(&self, agent: usize) -> Vec<&str> {
        self.book
            .agents
            .get(agent)
            .map(|a| {
                a.roles
                    .iter()
                    .filter_map(|&r| self.book.roles.get(r))
                    .map(|r| r.name.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn agent_has_role(&self, agent: usize, role: usize) -> bool {
        self.book
            .agents
            .get(agent)
            .is_some_and(|a| a.roles.contains(&role))
    }

    /// Gives or takes a role from an agent of the book.
    pub fn set_agent_role(&mut self, agent: usize, role: usize, on: bool) {
        if role >= self.book.roles.len() {
            return;
        }
        if let Some(a) = self.book.agents.get_mut(agent) {
            a.roles.retain(|&r| r != role);
            if on {
                a.roles.push(role);
                a.roles.sort_unstable();
            }
        }
    }

    /// True when the desktop does not run on this draft yet.
    pub fn has_unapplied_changes(&self) -> bool {
        self.book != self.applied || self.origin.iter().enumerate().any(|(i, o)| *o != Some(i))
    }

    /// The draft as the desktop's new book; from now on the draft is measured against it.
    pub fn apply(&mut self) -> Applied {
        let mut remap = vec![None; self.applied.roles.len()];
        for (new, old) in self.origin.iter().enumerate() {
            if let Some(old) = *old
                && let Some(slot) = remap.get_mut(old)
            {
                *slot = Some(new);
            }
        }
        let names = |book: &RoleBook, roles: &[usize]| -> Vec<String> {
            let mut v: Vec<String> = roles
                .iter()
                .filter_map(|&r| book.roles.get(r))
                .map(|r| r.name.clone())
                .collect();
            v.sort();
            v
        };
        // An agent's assignment changed when the roles it holds, by name, changed: a rename
        // or a deletion elsewhere does not count, an added or removed role does.
        let agents_changed = self
            .book
            .agents
            .iter()
            .filter(|agent| {
                let before = self.applied.agent_index(&agent.name).map(|i| {
                    let old = &self.applied.agents[i].roles;
                    let kept: Vec<usize> = old.iter().filter_map(|&r| remap[r]).collect();
                    (kept.len() == old.len()).then(|| names(&self.book, &kept))
                });
                before.flatten() != Some(names(&self.book, &agent.roles))
            })
            .map(|agent| agent.name.clone())
            .collect();
        self.applied = self.book.clone();
        self.origin = (0..self.book.roles.len()).map(Some).collect();
        Applied {
            book: self.book.clone(),
            remap,
            agents_changed,
        }
    }
}

/// An applied draft: the desktop's new book and how old role indexes map onto it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub book: RoleBook,
    /// For each role index of the old book, its index in `book` (`None`: deleted).
    pub remap: Vec<Option<usize>>,
    /// Agents of the book whose role assignment the edit changed.
    pub agents_changed: Vec<String>,
}

impl Applied {
    /// The steps that turn `old` (the book the desktop ran on) into this one, for the engine
    /// to apply one by one and a recording to write down.
    pub fn edits(&self, old: &RoleBook) -> Vec<RoleEdit> {
        let mut origin = vec![None; self.book.roles.len()];
        for (o, n) in self.remap.iter().enumerate() {
            if let Some(n) = n
                && let Some(slot) = origin.get_mut(*n)
            {
                *slot = Some(o);
            }
        }
        edits_between(old, &self.book, &origin)
    }

    /// The roles a logged-in session of `agent`, holding `current` (indexes into the old book),
    /// should hold now; `None` when they stay as they are. A session whose agent was assigned
    /// new roles in the editor takes them; any other keeps its roles, re-indexed.
    pub fn session_roles(&self, agent: &str, current: &[usize]) -> Option<Vec<usize>> {
        if self.agents_changed.iter().any(|a| a == agent)
            && let Some(i) = self.book.agent_index(agent)
        {
            let assigned = self.book.agents[i].roles.clone();
            return (assigned != current).then_some(assigned);
        }
        let kept: Vec<usize> = current
            .iter()
            .filter_map(|&r| self.remap.get(r).copied().flatten())
            .collect();
        (kept != current).then_some(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A draft of the embedded default roles.
    pub(in crate::training::role_edit) fn draft() -> RoleDraft {
        RoleDraft::new(&RoleBook::embedded_default())
    }

    /// The index of the role named `name` in the draft.
    pub(in crate::training::role_edit) fn role(d: &RoleDraft, name: &str) -> usize {
        d.book().role_index(name).unwrap()
    }

    #[test]
    fn sections_list_all_23_with_version_notes_and_edge_kinds() {
        let sections = privileges_by_section();
        let titles: Vec<_> = sections.iter().map(|s| s.title).collect();
        assert_eq!(titles, ["Web Callback", "Outbound"]);
        assert_eq!(
            sections.iter().map(|s| s.privileges.len()).sum::<usize>(),
            23
        );
        let before_call = sections[1]
            .privileges
            .iter()
            .find(|p| p.id == "ob.reschedule_before_call")
            .unwrap();
        assert_eq!(before_call.name, "Outbound - Can Reschedule Before Call");
        assert_eq!(before_call.version_note, Some("Added in 8.1.40x.xx"));
        assert_eq!(
            before_call.depends_on,
            vec![Edge {
                id: "ob.reschedule",
                name: "Outbound - Can Reschedule",
                kind: "documented"
            }]
        );
        let decline = &sections[1]
            .privileges
            .iter()
            .find(|p| p.id == "ob.push_decline")
            .unwrap();
        assert_eq!(decline.depends_on[0].kind, "implied");
        assert_eq!(decline.version_note, None);
    }

    #[test]
    fn inactive_grants_say_what_they_wait_on_and_of_which_kind() {
        let d = draft();
        let demo = role(&d, "Demo: Outbound Before Call without Reschedule");
        let state = d.state(demo, "ob.reschedule_before_call");
        assert_eq!(
            state.describe(),
            "granted, but inactive: waits on Outbound - Can Reschedule (documented)"
        );
        assert_eq!(d.state(demo, "ob.use"), GrantState::Effective);
        assert_eq!(d.state(demo, "ob.cancel"), GrantState::NotGranted);
        let inactive = d.inactive_privileges(demo);
        assert_eq!(inactive.len(), 1);
        assert_eq!(inactive[0].id, "ob.reschedule_before_call");
        assert_eq!(d.grant_counts(demo), (2, 1));
        assert!(d.inactive_privileges(role(&d, "Supervisor")).is_empty());
    }

    #[test]
    fn ticking_reports_missing_prerequisites_and_granting_them_activates() {
        let mut d = draft();
        let trainee = role(&d, "Trainee");
        let outcome = d.toggle(trainee, "ob.reschedule_before_call");
        assert_eq!(
            outcome,
            ToggleOutcome::Granted {
                missing: vec![Edge {
                    id: "ob.reschedule",
                    name: "Outbound - Can Reschedule",
                    kind: "documented"
                }]
            }
        );
        assert!(matches!(
            d.state(trainee, "ob.reschedule_before_call"),
            GrantState::Inactive { .. }
        ));
        let added = d.grant_with_prerequisites(trainee, "ob.reschedule_before_call");
        assert_eq!(added, vec!["Outbound - Can Reschedule"]);
        assert_eq!(
            d.state(trainee, "ob.reschedule_before_call"),
            GrantState::Effective
        );
        // Taking the root away leaves everything below it inactive, and says so.
        let outcome = d.toggle(trainee, "ob.use");
        assert_eq!(
            outcome,
            ToggleOutcome::Revoked {
                now_inactive: vec![
                    "Outbound - Can Reschedule",
                    "Outbound - Can Reschedule Before Call"
                ]
            }
        );
        // A transitive chain names every missing link.
        let mut d = draft();
        let empty = d.create_role("Empty").unwrap();
        let missing = d.missing_prerequisites(empty, "ob.reschedule_new_number");
        let names: Vec<_> = missing.iter().map(|e| e.describe()).collect();
        assert_eq!(
            names,
            [
                "Outbound - Can Use (documented)",
                "Outbound - Can Reschedule (implied)"
            ]
        );
        assert_eq!(d.toggle(empty, "no.such"), ToggleOutcome::Unknown);
        assert_eq!(d.toggle(99, "ob.use"), ToggleOutcome::Unknown);
    }

    #[test]
    fn names_must_be_non_empty_and_unique() {
        let mut d = draft();
        assert_eq!(d.create_role("  "), Err(NameProblem::Empty));
        assert_eq!(
            d.create_role("Trainee"),
            Err(NameProblem::Taken("Trainee".into()))
        );
        let t = role(&d, "Trainee");
        assert_eq!(
            d.rename_role(t, "Supervisor"),
            Err(NameProblem::Taken("Supervisor".into()))
        );
        // Renaming a role to its own name (or with spaces around it) is fine.
        d.rename_role(t, " Trainee ").unwrap();
        d.rename_role(t, "Junior").unwrap();
        assert_eq!(d.role_name(t), Some("Junior"));
        assert_eq!(d.unused_name("Junior"), "Junior 2");
        let copy = d.duplicate_role(t).unwrap();
        assert_eq!(d.role_name(copy), Some("Junior (copy)"));
        assert_eq!(
            d.duplicate_role(t)
                .map(|i| d.role_name(i).map(String::from)),
            Some(Some("Junior (copy) 2".into()))
        );
    }

    #[test]
    fn deleting_a_role_remaps_agents_and_live_sessions() {
        let mut d = draft();
        let before = d.book().clone();
        let preview = role(&d, "Outbound Preview Agent");
        let callback = role(&d, "Web Callback Agent");
        let alex = d.book().agent_index("Alex").unwrap();
        assert_eq!(d.book().agents[alex].roles, vec![preview, callback]);
        d.delete_role(preview).unwrap();
        assert!(d.has_unapplied_changes());
        // Alex keeps the web callback role, now one place earlier.
        assert_eq!(d.agent_role_names(alex), vec!["Web Callback Agent"]);
        assert_eq!(d.book().agents[alex].roles, vec![callback - 1]);
        let applied = d.apply();
        assert!(!d.has_unapplied_changes());
        assert_eq!(applied.remap[preview], None);
        assert_eq!(applied.remap[callback], Some(callback - 1));
        // Dana held only the deleted role: her assignment changed, so a session takes it.
        assert!(applied.agents_changed.contains(&"Dana".to_string()));
        assert_eq!(applied.session_roles("Dana", &[preview]), Some(vec![]));
        // Alex lost a role too; Wes only moved.
        assert!(applied.agents_changed.contains(&"Alex".to_string()));
        assert!(!applied.agents_changed.contains(&"Wes".to_string()));
        assert_eq!(
            applied.session_roles("Wes", &[callback]),
            Some(vec![callback - 1])
        );
        // A session holding roles before the deleted one needs nothing.
        assert_eq!(applied.session_roles("Sam", &[0]), None);
        assert_eq!(before.roles.len(), applied.book.roles.len() + 1);
    }

    #[test]
    fn assigning_roles_to_agents_reaches_their_sessions() {
        let mut d = draft();
        let dana = d.book().agent_index("Dana").unwrap();
        let push = role(&d, "Push Preview Agent");
        let preview = role(&d, "Outbound Preview Agent");
        d.set_agent_role(dana, push, true);
        assert!(d.agent_has_role(dana, push));
        assert_eq!(
            d.agent_role_names(dana),
            vec!["Outbound Preview Agent", "Push Preview Agent"]
        );
        let applied = d.apply();
        assert_eq!(applied.agents_changed, vec!["Dana".to_string()]);
        assert_eq!(
            applied.session_roles("Dana", &[preview]),
            Some(vec![preview, push])
        );
        // A rename changes nobody's assignment.
        d.rename_role(push, "Pushed").unwrap();
        let applied = d.apply();
        assert!(applied.agents_changed.is_empty());
        assert_eq!(applied.session_roles("Dana", &[preview, push]), None);
        assert!(!d.has_unapplied_changes());
    }

    #[test]
    fn an_opened_book_keeps_sessions_on_roles_of_the_same_name() {
        let desktop = RoleBook::embedded_default();
        let opened = RoleBook::parse(
            "t",
            "[[role]]\nname = \"Trainee\"\nprivileges = [\"Outbound - Can Use\"]\n",
        )
        .unwrap()
        .book;
        let mut d = RoleDraft::replacing(opened, &desktop);
        assert!(d.has_unapplied_changes());
        let trainee = desktop.role_index("Trainee").unwrap();
        let applied = d.apply();
        assert_eq!(applied.session_roles("Tom", &[trainee]), Some(vec![0]));
        assert_eq!(applied.session_roles("Sam", &[0]), Some(vec![]));
    }
}
