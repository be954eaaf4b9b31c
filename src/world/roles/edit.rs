//! Edits of a role book, one step at a time: granting (and so creating) a role, describing,
//! renaming, removing and ordering roles, assigning roles to agents, switching the product
//! version.
//!
//! The role editor's changes reach the desktop as a sequence of these steps, and a recorded
//! script replays the same steps line by line (`define`, `rename`, `remove`), so a session
//! that edited roles replays on a machine that has only the roles file it started from.

use std::collections::HashMap;

use crate::policy::{Privilege, PrivilegeSet, ProductVersion};
use crate::world::UnknownName;
use crate::world::roles::{Agent, Role, RoleBook};

/// One step of a role-book edit. Roles and agents are named, as a script names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleEdit {
    /// Switches the product version, revoking every grant the version does not have.
    Version(ProductVersion),
    /// Sets a role's privileges exactly; a role of a new name is added at the end.
    Grant {
        role: String,
        privileges: PrivilegeSet,
    },
    Describe {
        role: String,
        text: String,
    },
    Rename {
        from: String,
        to: String,
    },
    /// Removes a role; agents and logged-in sessions lose it and keep their other roles.
    Remove {
        role: String,
    },
    /// Puts the roles in this order (every role, each once).
    Order(Vec<String>),
    /// Sets an agent's roles in the book (adding the agent if new); a logged-in session of
    /// that agent takes them at once.
    Assign {
        agent: String,
        roles: Vec<String>,
    },
    RemoveAgent {
        agent: String,
    },
}

/// Why an edit cannot be made to a book.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RoleEditError {
    #[error("{0}")]
    Unknown(UnknownName),
    #[error("a role needs a name")]
    EmptyName,
    #[error("another role is already called \"{0}\"")]
    NameTaken(String),
    #[error("\"{}\" does not exist in product version {version}; it came with {}", privilege.name(), privilege.info().since)]
    NotInVersion {
        privilege: Privilege,
        version: ProductVersion,
    },
    #[error("the order must name every role once; {0}")]
    NotAnOrder(String),
}

/// What an edit did to the indexes logged-in sessions hold their roles by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditEffect {
    /// For each role index before the edit, its index after (`None`: removed); `None` when
    /// no index moved.
    pub remap: Option<Vec<Option<usize>>>,
    /// An agent whose roles the edit set, and those roles: its logged-in session takes them.
    pub assigned: Option<(String, Vec<usize>)>,
}

impl EditEffect {
    /// The roles a session of `agent` holding `current` holds after the edit, when they
    /// change.
    pub fn session_roles(&self, agent: &str, current: &[usize]) -> Option<Vec<usize>> {
        if let Some((name, roles)) = &self.assigned
            && name == agent
        {
            return (roles.as_slice() != current).then(|| roles.clone());
        }
        let remap = self.remap.as_ref()?;
        let kept: Vec<usize> = current
            .iter()
            .filter_map(|&r| remap.get(r).copied().flatten())
            .collect();
        (kept != current).then_some(kept)
    }
}

/// Where each role of one book is, by name, for a run of edits: a script of 20,000
/// `define role` lines would otherwise scan the book for each (issue 27). The holder keeps it
/// beside the book it was made [`RoleNames::of`] and edits that book only through
/// [`RoleBook::apply_edit_indexed`], which keeps both in step.
#[derive(Clone, Debug, Default)]
pub struct RoleNames(HashMap<String, usize>);

impl RoleNames {
    /// The index of `book` as it is now (the first role of a name wins, as in
    /// [`RoleBook::role_index`]).
    pub fn of(book: &RoleBook) -> RoleNames {
        let mut names = HashMap::with_capacity(book.roles.len());
        for (i, r) in book.roles.iter().enumerate() {
            names.entry(r.name.clone()).or_insert(i);
        }
        RoleNames(names)
    }
}

impl RoleBook {
    /// Applies one edit; on error the book is unchanged.
    pub fn apply_edit(&mut self, edit: &RoleEdit) -> Result<EditEffect, RoleEditError> {
        let mut names = RoleNames::of(self);
        self.apply_edit_indexed(edit, &mut names)
    }

    /// [`RoleBook::apply_edit`] with the book's name index, kept in step: one edit costs no
    /// scan of the book unless it renames, removes or reorders roles.
    pub fn apply_edit_indexed(
        &mut self,
        edit: &RoleEdit,
        names: &mut RoleNames,
    ) -> Result<EditEffect, RoleEditError> {
        let effect = self.edit_with(edit, names);
        if effect.is_ok()
            && matches!(
                edit,
                RoleEdit::Rename { .. } | RoleEdit::Remove { .. } | RoleEdit::Order(_)
            )
        {
            *names = RoleNames::of(self);
        }
        effect
    }

    /// The role called `name`, by the index; an unknown name is looked up in the book again for
    /// its error and suggestions.
    fn find_named(&self, names: &RoleNames, name: &str) -> Result<usize, UnknownName> {
        match names.0.get(name) {
            Some(&i) => Ok(i),
            None => self.find_role(name),
        }
    }

    fn edit_with(
        &mut self,
        edit: &RoleEdit,
        names: &mut RoleNames,
    ) -> Result<EditEffect, RoleEditError> {
        match edit {
            RoleEdit::Version(v) => {
                for r in &mut self.roles {
                    r.granted = r.granted.existing_in(*v);
                }
                self.product_version = *v;
            }
            RoleEdit::Grant { role, privileges } => {
                if let Some(p) = privileges
                    .iter()
                    .find(|p| !p.exists_in(self.product_version))
                {
                    return Err(RoleEditError::NotInVersion {
                        privilege: p,
                        version: self.product_version,
                    });
                }
                match names.0.get(role.as_str()) {
                    Some(&i) => self.roles[i].granted = *privileges,
                    None => {
                        let name = self.free_name(names, role, None)?;
                        names.0.entry(name.clone()).or_insert(self.roles.len());
                        self.roles.push(Role {
                            name,
                            description: String::new(),
                            granted: *privileges,
                        });
                    }
                }
            }
            RoleEdit::Describe { role, text } => {
                let i = self
                    .find_named(names, role)
                    .map_err(RoleEditError::Unknown)?;
                self.roles[i].description = text.trim().to_string();
            }
            RoleEdit::Rename { from, to } => {
                let i = self
                    .find_named(names, from)
                    .map_err(RoleEditError::Unknown)?;
                self.roles[i].name = self.free_name(names, to, Some(i))?;
            }
            RoleEdit::Remove { role } => {
                let i = self
                    .find_named(names, role)
                    .map_err(RoleEditError::Unknown)?;
                return Ok(self.remove_role(i));
            }
            RoleEdit::Order(names) => return self.order(names),
            RoleEdit::Assign { agent, roles } => {
                let indexes = roles
                    .iter()
                    .map(|r| self.find_named(names, r).map_err(RoleEditError::Unknown))
                    .collect::<Result<Vec<usize>, _>>()?;
                match self.agent_index(agent) {
                    Some(a) => self.agents[a].roles = indexes.clone(),
                    None => self.agents.push(Agent {
                        name: agent.clone(),
                        roles: indexes.clone(),
                    }),
                }
                return Ok(EditEffect {
                    remap: None,
                    assigned: Some((agent.clone(), indexes)),
                });
            }
            RoleEdit::RemoveAgent { agent } => {
                let a = self.find_agent(agent).map_err(RoleEditError::Unknown)?;
                self.agents.remove(a);
            }
        }
        Ok(EditEffect::default())
    }

    /// `name` trimmed, if no role but `except` has it.
    fn free_name(
        &self,
        names: &RoleNames,
        name: &str,
        except: Option<usize>,
    ) -> Result<String, RoleEditError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(RoleEditError::EmptyName);
        }
        match names.0.get(name).copied() {
            Some(i) if Some(i) != except => Err(RoleEditError::NameTaken(name.to_string())),
            _ => Ok(name.to_string()),
        }
    }

    fn remove_role(&mut self, role: usize) -> EditEffect {
        self.roles.remove(role);
        let remap: Vec<Option<usize>> = (0..=self.roles.len())
            .map(|r| match r.cmp(&role) {
                std::cmp::Ordering::Less => Some(r),
                std::cmp::Ordering::Equal => None,
                std::cmp::Ordering::Greater => Some(r - 1),
            })
            .collect();
        self.remap_agents(&remap);
        EditEffect {
            remap: Some(remap),
            assigned: None,
        }
    }

    fn order(&mut self, names: &[String]) -> Result<EditEffect, RoleEditError> {
        let mut from = Vec::with_capacity(names.len());
        for name in names {
            let i = self.find_role(name).map_err(RoleEditError::Unknown)?;
            if from.contains(&i) {
                return Err(RoleEditError::NotAnOrder(format!(
                    "\"{name}\" is named twice"
                )));
            }
            from.push(i);
        }
        if from.len() != self.roles.len() {
            let left: Vec<&str> = (0..self.roles.len())
                .filter(|i| !from.contains(i))
                .map(|i| self.roles[i].name.as_str())
                .collect();
            return Err(RoleEditError::NotAnOrder(format!(
                "it leaves out \"{}\"",
                left.join("\", \"")
            )));
        }
        let mut remap = vec![None; self.roles.len()];
        for (new, &old) in from.iter().enumerate() {
            remap[old] = Some(new);
        }
        self.roles = from.iter().map(|&i| self.roles[i].clone()).collect();
        self.remap_agents(&remap);
        Ok(EditEffect {
            remap: Some(remap),
            assigned: None,
        })
    }

    fn remap_agents(&mut self, remap: &[Option<usize>]) {
        for agent in &mut self.agents {
            agent.roles = agent
                .roles
                .iter()
                .filter_map(|&r| remap.get(r).copied().flatten())
                .collect();
        }
    }
}

/// The edits that turn `old` into `new`, where `origin[i]` is the index in `old` of the role
/// at `i` in `new` (`None`: a role new in `new`). Applied in order to `old`, they give `new`.
pub fn edits_between(old: &RoleBook, new: &RoleBook, origin: &[Option<usize>]) -> Vec<RoleEdit> {
    let mut edits = Vec::new();
    let mut book = old.clone();
    let mut push = |book: &mut RoleBook, edit: RoleEdit| {
        // The steps are built from two valid books, so each applies; one that did not would
        // leave the book as it was, and the check at the end of the desktop's apply says so.
        if book.apply_edit(&edit).is_ok() {
            edits.push(edit);
        }
    };
    let kept: Vec<usize> = origin.iter().flatten().copied().collect();
    for (i, r) in old.roles.iter().enumerate() {
        if !kept.contains(&i) {
            push(
                &mut book,
                RoleEdit::Remove {
                    role: r.name.clone(),
                },
            );
        }
    }
    for rename in renames(old, new, origin) {
        push(&mut book, rename);
    }
    if old.product_version != new.product_version {
        push(&mut book, RoleEdit::Version(new.product_version));
    }
    for role in &new.roles {
        let same = book
            .role_index(&role.name)
            .is_some_and(|i| book.roles[i].granted == role.granted);
        if !same {
            push(
                &mut book,
                RoleEdit::Grant {
                    role: role.name.clone(),
                    privileges: role.granted,
                },
            );
        }
    }
    let names = |b: &RoleBook| b.roles.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
    if names(&book) != names(new) {
        push(&mut book, RoleEdit::Order(names(new)));
    }
    for (i, role) in new.roles.iter().enumerate() {
        if book.roles.get(i).map(|r| &r.description) != Some(&role.description) {
            push(
                &mut book,
                RoleEdit::Describe {
                    role: role.name.clone(),
                    text: role.description.clone(),
                },
            );
        }
    }
    for agent in &new.agents {
        let wanted: Vec<String> = agent
            .roles
            .iter()
            .filter_map(|&r| new.roles.get(r))
            .map(|r| r.name.clone())
            .collect();
        let now: Option<Vec<String>> = book.agent_index(&agent.name).map(|a| {
            book.agents[a]
                .roles
                .iter()
                .filter_map(|&r| book.roles.get(r))
                .map(|r| r.name.clone())
                .collect()
        });
        if now.as_ref() != Some(&wanted) {
            push(
                &mut book,
                RoleEdit::Assign {
                    agent: agent.name.clone(),
                    roles: wanted,
                },
            );
        }
    }
    for agent in &old.agents {
        if new.agent_index(&agent.name).is_none() {
            push(
                &mut book,
                RoleEdit::RemoveAgent {
                    agent: agent.name.clone(),
                },
            );
        }
    }
    edits
}

/// The renames of the roles kept from `old`, in an order where no name is taken when it is
/// given: a role whose new name another still holds waits for it, and a cycle (two roles
/// swapping names) goes through a free temporary name.
fn renames(old: &RoleBook, new: &RoleBook, origin: &[Option<usize>]) -> Vec<RoleEdit> {
    // (current name, wanted name) of each kept role whose name changes.
    let mut pending: Vec<(String, String)> = origin
        .iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let from = &old.roles.get((*o)?)?.name;
            let to = &new.roles[i].name;
            (from != to).then(|| (from.clone(), to.clone()))
        })
        .collect();
    let mut held: Vec<String> = old
        .roles
        .iter()
        .enumerate()
        .filter(|(i, _)| origin.contains(&Some(*i)))
        .map(|(_, r)| r.name.clone())
        .collect();
    let mut out = Vec::new();
    while !pending.is_empty() {
        let free = pending.iter().position(|(_, to)| !held.contains(to));
        let (from, to) = match free {
            Some(i) => pending.remove(i),
            None => {
                let from = pending[0].0.clone();
                let mut temp = format!("{from} (renaming)");
                while held.contains(&temp) || new.role_index(&temp).is_some() {
                    temp.push('~');
                }
                pending[0].0 = temp.clone();
                (from, temp)
            }
        };
        held.retain(|h| *h != from);
        held.push(to.clone());
        out.push(RoleEdit::Rename { from, to });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> RoleBook {
        RoleBook::embedded_default()
    }

    /// Applies `edits_between` to `old` and checks it gives `new`.
    fn round_trip(old: &RoleBook, new: &RoleBook, origin: &[Option<usize>]) -> Vec<RoleEdit> {
        let edits = edits_between(old, new, origin);
        let mut b = old.clone();
        for e in &edits {
            b.apply_edit(e).unwrap_or_else(|err| panic!("{e:?}: {err}"));
        }
        assert_eq!(&b, new, "{edits:?}");
        edits
    }

    #[test]
    fn grants_renames_removals_and_assignments_round_trip() {
        let old = book();
        let mut new = old.clone();
        new.roles[4].granted = PrivilegeSet::of(&[Privilege::ObUse, Privilege::ObReschedule]);
        new.roles[4].name = "Trainee (week 1)".into();
        new.roles[4].description = "Week one".into();
        new.roles.remove(2);
        for a in &mut new.agents {
            a.roles = a
                .roles
                .iter()
                .filter(|&&r| r != 2)
                .map(|&r| if r > 2 { r - 1 } else { r })
                .collect();
        }
        new.roles.push(Role {
            name: "Night shift".into(),
            description: String::new(),
            granted: PrivilegeSet::of(&[Privilege::WcbUse]),
        });
        let night = new.roles.len() - 1;
        new.agents[0].roles.push(night);
        let mut origin: Vec<Option<usize>> =
            (0..old.roles.len()).filter(|&i| i != 2).map(Some).collect();
        origin.push(None);
        let edits = round_trip(&old, &new, &origin);
        assert!(matches!(&edits[0], RoleEdit::Remove { role } if role == "Push Preview Agent"));
        assert!(edits.contains(&RoleEdit::Rename {
            from: "Trainee".into(),
            to: "Trainee (week 1)".into()
        }));
        assert!(edits.contains(&RoleEdit::Assign {
            agent: "Alex".into(),
            roles: vec![
                "Outbound Preview Agent".into(),
                "Web Callback Agent".into(),
                "Night shift".into()
            ]
        }));
    }

    #[test]
    fn two_roles_swapping_names_go_through_a_free_name() {
        let old = book();
        let mut new = old.clone();
        new.roles.swap(0, 1);
        let (a, b) = (new.roles[0].name.clone(), new.roles[1].name.clone());
        new.roles[0].name = b;
        new.roles[1].name = a;
        new.roles.swap(0, 1);
        let origin: Vec<Option<usize>> = (0..old.roles.len()).map(Some).collect();
        let edits = round_trip(&old, &new, &origin);
        assert_eq!(edits.len(), 3, "{edits:?}");
    }

    #[test]
    fn a_reordered_book_and_a_version_switch_round_trip() {
        let old = book();
        let mut new = old.clone();
        new.roles.reverse();
        let n = new.roles.len();
        for a in &mut new.agents {
            a.roles = a.roles.iter().map(|&r| n - 1 - r).collect();
        }
        new.apply_edit(&RoleEdit::Version(ProductVersion::FIRST_MODELLED))
            .unwrap();
        new.agents.pop();
        let origin: Vec<Option<usize>> = (0..n).rev().map(Some).collect();
        let edits = round_trip(&old, &new, &origin);
        assert!(edits.iter().any(|e| matches!(e, RoleEdit::Order(_))));
        assert!(
            edits
                .iter()
                .any(|e| matches!(e, RoleEdit::RemoveAgent { .. }))
        );
    }

    #[test]
    fn edits_are_refused_with_the_reason() {
        let mut b = book();
        b.apply_edit(&RoleEdit::Version(ProductVersion::FIRST_MODELLED))
            .unwrap();
        let e = b
            .apply_edit(&RoleEdit::Grant {
                role: "Trainee".into(),
                privileges: PrivilegeSet::of(&[Privilege::ObDialNewNumber]),
            })
            .unwrap_err();
        assert!(e.to_string().contains("came with 8.5.115.17"), "{e}");
        let e = b
            .apply_edit(&RoleEdit::Rename {
                from: "Trainee".into(),
                to: "Supervisor".into(),
            })
            .unwrap_err();
        assert_eq!(e, RoleEditError::NameTaken("Supervisor".into()));
        let e = b
            .apply_edit(&RoleEdit::Remove {
                role: "Trainy".into(),
            })
            .unwrap_err();
        assert!(e.to_string().contains("unknown role \"Trainy\""), "{e}");
    }

    #[test]
    fn removing_a_role_reindexes_sessions_and_assigning_sets_them() {
        let mut b = book();
        let effect = b
            .apply_edit(&RoleEdit::Remove {
                role: "Supervisor".into(),
            })
            .unwrap();
        assert_eq!(effect.session_roles("Alex", &[0, 1, 3]), Some(vec![0, 2]));
        assert_eq!(effect.session_roles("Alex", &[1]), Some(vec![0]));
        let effect = b
            .apply_edit(&RoleEdit::Assign {
                agent: "Tom".into(),
                roles: vec!["Trainee".into(), "Push Preview Agent".into()],
            })
            .unwrap();
        assert_eq!(effect.session_roles("Tom", &[3]), Some(vec![3, 1]));
        assert_eq!(effect.session_roles("Alex", &[0]), None);
    }
}
