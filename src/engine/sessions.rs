//! Logged-in agents: logging in, their roles (changed live, or remapped when the role book
//! is replaced) and the privileges those roles grant, and Ready / Not Ready.

use std::sync::Arc;

use smallvec::SmallVec;

use crate::engine::Engine;
use crate::engine::audit::Attempter;
use crate::engine::transcript::Note;
use crate::policy::{PrivilegeSet, Stage};
use crate::world::roles::{RoleBook, RoleEdit, RoleEditError, RoleNames};
use crate::world::{AgentId, Completion, InteractionId};

/// A logged-in agent.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentSession {
    pub id: AgentId,
    pub name: String,
    /// Indexes into the engine's role book.
    pub roles: Vec<usize>,
    pub granted: PrivilegeSet,
    pub ready: bool,
    /// Open interactions, oldest (lowest id) first. A handful at most (routing stops at
    /// [`crate::engine::MAX_OPEN_PER_AGENT`]), held in the session itself.
    pub open: SmallVec<[InteractionId; 4]>,
    /// How many of `open` are invitations (stage `offered`): an agent with one takes no other,
    /// and routing asks after every change, so it is counted here rather than looked up.
    pub(super) offered: u8,
    /// `name` and the names of `roles`, shared by every audit entry made while they hold.
    attempter: Arc<Attempter>,
}

impl Engine {
    /// Logs an agent in with the given roles (indexes into the role book). Agents start Ready.
    pub fn login(&mut self, name: &str, roles: Vec<usize>) -> AgentId {
        let id = AgentId(self.agents.len() as u32 + 1);
        let granted = self.roles.grant_of(&roles);
        let attempter = self.attempter_of(name, &roles);
        self.agents.push(AgentSession {
            id,
            name: name.to_string(),
            roles,
            granted,
            ready: true,
            open: SmallVec::new(),
            offered: 0,
            attempter,
        });
        self.note(Note::Text(format!("{name} logged in").into()));
        self.touch(id);
        self.route();
        id
    }

    pub fn agent(&self, id: AgentId) -> Option<&AgentSession> {
        self.agents.get((id.0 as usize).wrapping_sub(1))
    }

    pub(super) fn agent_mut(&mut self, id: AgentId) -> Option<&mut AgentSession> {
        self.agents.get_mut((id.0 as usize).wrapping_sub(1))
    }

    /// Changes an agent's roles live; every later decision uses the new grant.
    pub fn set_roles(&mut self, id: AgentId, roles: Vec<usize>) {
        let granted = self.roles.grant_of(&roles);
        let attempter = self.agent(id).map(|a| self.attempter_of(&a.name, &roles));
        if let Some(attempter) = attempter {
            let line = format!(
                "{} now has roles: {}",
                attempter.agent,
                attempter.roles.join(", ")
            );
            if let Some(a) = self.agent_mut(id) {
                a.roles = roles;
                a.granted = granted;
                a.attempter = attempter;
            }
            self.note(Note::Text(line.into()));
        }
        self.touch(id);
        self.withdraw_lost_invitations();
        // A new role may put the agent into a channel's group: offer waiting work at once.
        self.route();
    }

    /// Applies one step of a role-book edit (the role editor's, or a script's `define`,
    /// `rename` and `remove` lines): the book changes, and logged-in sessions keep their
    /// roles by name (a removed role is dropped; an agent assigned new roles takes them).
    pub fn edit_roles(&mut self, edit: &RoleEdit) -> Result<(), RoleEditError> {
        // Edited in place, not on a clone: a script of 20,000 `define role` lines would copy
        // the whole book for each. `apply_edit` checks everything before it changes anything,
        // so a refused edit gives the book back untouched.
        // Its name index is kept in step with it, so a new role costs no scan of the book.
        let mut book = std::mem::take(&mut self.roles);
        let effect = match book.apply_edit_indexed(edit, &mut self.role_names) {
            Ok(effect) => effect,
            Err(e) => {
                self.roles = book;
                return Err(e);
            }
        };
        self.install_roles(book, |name, roles| effect.session_roles(name, roles));
        Ok(())
    }

    /// Takes back the invitations of agents whose roles no longer put them in the
    /// invitation's channel: an invitation nobody on the desk can answer leads nowhere.
    fn withdraw_lost_invitations(&mut self) {
        let mut lost = Vec::new();
        for a in &self.agents {
            for id in &a.open {
                if let Some(it) = self.interaction(*id)
                    && it.stage == Stage::Offered
                    && !self.in_group(a, it.channel)
                {
                    lost.push((*id, a.name.clone(), it.channel));
                }
            }
        }
        for (id, name, channel) in lost {
            let Some(i) = self.index_of(id) else { continue };
            self.note(Note::Text(
                format!(
                    "{id}: invitation withdrawn from {name}, whose roles no longer take {} work",
                    channel.title()
                )
                .into(),
            ));
            self.return_to_pool(i, Completion::Withdrawn, false);
        }
    }

    /// Replaces the role book (after an edit) and recomputes every agent's grant. Sessions hold
    /// roles by index, so `session_roles` maps a session's agent name and its role indexes in
    /// the old book to those in the new one (`None`: keep them, dropping any out of range).
    pub fn replace_roles(
        &mut self,
        book: RoleBook,
        session_roles: impl Fn(&str, &[usize]) -> Option<Vec<usize>>,
    ) {
        self.role_names = RoleNames::of(&book);
        self.install_roles(book, session_roles);
    }

    /// [`Engine::replace_roles`] with `role_names` already in step with `book`.
    fn install_roles(
        &mut self,
        book: RoleBook,
        session_roles: impl Fn(&str, &[usize]) -> Option<Vec<usize>>,
    ) {
        for a in &mut self.agents {
            if let Some(roles) = session_roles(&a.name, &a.roles) {
                a.roles = roles;
            }
        }
        self.roles = book;
        for i in 0..self.agents.len() {
            let roles: Vec<usize> = self.agents[i]
                .roles
                .iter()
                .copied()
                .filter(|&r| r < self.roles.roles.len())
                .collect();
            self.agents[i].granted = self.roles.grant_of(&roles);
            self.agents[i].attempter = self.attempter_of(&self.agents[i].name, &roles);
            self.agents[i].roles = roles;
            self.touch(self.agents[i].id);
        }
        self.revision += 1;
        self.withdraw_lost_invitations();
        self.route();
    }

    pub fn set_ready(&mut self, id: AgentId, ready: bool) {
        if let Some(a) = self.agent_mut(id) {
            a.ready = ready;
            let name = a.name.clone();
            self.note(Note::Text(
                format!("{name} is {}", if ready { "Ready" } else { "Not Ready" }).into(),
            ));
        }
        self.touch(id);
        self.route();
    }

    /// The agent's name and the names of its roles now (shared, not copied).
    pub(super) fn attempter(&self, agent: &AgentSession) -> Arc<Attempter> {
        agent.attempter.clone()
    }

    fn attempter_of(&self, name: &str, roles: &[usize]) -> Arc<Attempter> {
        Arc::new(Attempter {
            agent: name.to_string(),
            roles: self.names_of(roles),
        })
    }

    fn names_of(&self, roles: &[usize]) -> Vec<String> {
        roles
            .iter()
            .filter_map(|&r| self.roles.roles.get(r))
            .map(|r| r.name.clone())
            .collect()
    }
}
