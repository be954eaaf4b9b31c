//! Recording on the desktop, and the changes a recording must capture besides attempts.
//!
//! Starting a recording begins a fresh day on the same seed from the roles as their file has
//! them, replays the role-book edits made since and logs the agent in with the roles it holds,
//! each step written as a script line, so `agentdesk run` starts exactly where the desktop
//! did: the same interactions get the same numbers. Role changes, role-editor edits and agent
//! switches are applied here as the script runner applies their lines, and written as they
//! happen.

use super::Desktop;
use super::view_state::NoticeKind;
use crate::engine::Engine;
use crate::policy::Stage;
use crate::qa::script::Recorder;
use crate::training::role_edit::Applied;
use crate::world::roles::edits_between;
use crate::world::{Completion, InteractionId};

impl Desktop {
    /// Restarts the day on the same seed and starts recording (the Record tool asks first).
    pub(super) fn start_recording(&mut self) {
        if let Some(why) = self.session.recording_refusal() {
            self.notify(NoticeKind::Error, why, None);
            return;
        }
        let s = &self.session;
        let name = s.agent_name();
        let seed = s.engine.seed();
        let speed = s.pace.speed;
        let holds = s.agent_role_names();
        let edits = edits_between(&s.base_roles, s.engine.roles(), &s.roles_origin);
        let mut engine = Engine::new(s.base_roles.clone(), s.engine.scenario().clone(), seed);
        let mut recorder = Recorder::begin(&engine, self.recording_header(&engine));
        for edit in &edits {
            if engine.edit_roles(edit).is_ok() {
                recorder.edit(&engine, edit);
            }
        }
        let book_roles = engine
            .roles()
            .agent_index(&name)
            .map(|i| engine.roles().agents[i].roles.clone())
            .unwrap_or_default();
        let agent = engine.login(&name, book_roles);
        recorder.login(&engine, &name);
        let wanted: Vec<usize> = holds
            .iter()
            .filter_map(|r| engine.roles().role_index(r))
            .collect();
        if engine.agent(agent).is_some_and(|a| a.roles != wanted) {
            engine.set_roles(agent, wanted);
            recorder.roles(&engine, &holds);
        }
        self.fresh_day_on(engine, speed);
        self.session.agent = agent;
        self.session.recorder = Some(recorder);
        self.session.recorded = None;
        self.begin_activity(
            crate::training::activity::ActivityKind::Recording,
            format!("seed {seed}"),
            Vec::new(),
        );
        self.fix_selection();
    }

    /// The comment lines a recording starts with: what it is and how to replay it.
    fn recording_header(&self, engine: &Engine) -> Vec<String> {
        let s = &self.session;
        let mut run = format!("# Run: agentdesk run --seed {}", engine.seed());
        if let Some(p) = &s.base_roles_path {
            run.push_str(&format!(" --roles {}", p.display()));
        }
        if let Some(p) = &s.scenario_path {
            run.push_str(&format!(" --scenario {}", p.display()));
        }
        run.push_str(" --script FILE");
        vec![
            format!(
                "# Recorded on the agentdesk desktop: \"{}\", seed {}, from {}.",
                engine.scenario().name,
                engine.seed(),
                crate::world::fmt_time(engine.now())
            ),
            "# Role changes and role-editor edits are part of the script; it needs only the \
             roles file it started from."
                .to_string(),
            run,
        ]
    }

    pub(super) fn stop_recording(&mut self) {
        if self.session.activities.current.kind
            == crate::training::activity::ActivityKind::Recording
        {
            self.end_activity(crate::training::activity::Ending::Completed);
        }
        if let Some(r) = self.session.recorder.take() {
            self.session.recorded = Some(r.finish(&self.session.engine));
        }
    }

    /// Stops a recording the day is about to be replaced under (a practice shift, a replay).
    pub(super) fn end_recording_for(&mut self, why: &str) {
        if self.session.recorder.is_some() {
            self.stop_recording();
            self.notify(
                NoticeKind::Info,
                format!("Recording stopped: {why} restarts the day; save the recording now"),
                None,
            );
        }
    }

    /// The agent's roles, changed live from the top bar.
    pub(super) fn set_roles(&mut self, roles: Vec<usize>) {
        let offered = self.offered();
        let s = &mut self.session;
        s.engine.set_roles(s.agent, roles);
        let names = s.agent_role_names();
        if let Some(r) = &mut s.recorder {
            r.roles(&s.engine, &names);
        }
        self.after_role_change(offered);
    }

    /// The role editor's change, applied as the steps a script replays.
    pub(super) fn replace_roles(&mut self, applied: &Applied) {
        let offered = self.offered();
        let s = &mut self.session;
        let old = s.engine.roles().clone();
        for edit in applied.edits(&old) {
            if s.engine.edit_roles(&edit).is_ok()
                && let Some(r) = &mut s.recorder
            {
                r.edit(&s.engine, &edit);
            }
        }
        if s.engine.roles() != &applied.book {
            // Not expected: the steps are made to give the applied book. Should they not, the
            // desktop still runs on what the editor shows.
            s.engine.replace_roles(applied.book.clone(), |_, _| None);
        }
        let mut origin = vec![None; applied.book.roles.len()];
        for (old_index, new_index) in applied.remap.iter().enumerate() {
            if let Some(n) = new_index
                && let Some(slot) = origin.get_mut(*n)
            {
                *slot = s.roles_origin.get(old_index).copied().flatten();
            }
        }
        s.roles_origin = origin;
        self.after_role_change(offered);
    }

    /// The roles as the file now has them, just saved by the role editor to `path`.
    pub(super) fn roles_saved(
        &mut self,
        path: std::path::PathBuf,
        book: crate::world::roles::RoleBook,
    ) {
        let s = &mut self.session;
        // The desk's roles by name in the saved book: the editor may have saved a draft it
        // has not applied yet.
        s.roles_origin = s
            .engine
            .roles()
            .roles
            .iter()
            .map(|r| book.role_index(&r.name))
            .collect();
        s.base_roles = book;
        s.base_roles_path = Some(path);
    }

    pub(super) fn switch_agent(&mut self, index: usize) {
        self.session.switch_agent(index);
        let s = &mut self.session;
        if let Some(r) = &mut s.recorder
            && let Some(a) = s.engine.agent(s.agent)
        {
            r.login(&s.engine, &a.name);
        }
        self.view.selected = None;
        self.view.dialog = None;
        self.fix_selection();
    }

    /// The desk agent's invitations now.
    fn offered(&self) -> Vec<InteractionId> {
        let s = &self.session;
        s.engine
            .open_interactions(s.agent)
            .iter()
            .filter(|it| it.stage == Stage::Offered)
            .map(|it| it.id)
            .collect()
    }

    /// Says which of the invitations `offered` had the engine took back because the agent no
    /// longer works their channel, and closes a dialog the new roles no longer allow.
    fn after_role_change(&mut self, offered: Vec<InteractionId>) {
        for id in offered {
            let Some(it) = self.session.engine.interaction(id) else {
                continue;
            };
            if it.completion == Some(Completion::Withdrawn) {
                let text = format!(
                    "Invitation {id} withdrawn: your roles no longer include the {} channel",
                    it.channel.title()
                );
                self.notify(NoticeKind::Info, text, None);
            }
        }
        self.drop_disallowed_dialog();
        self.fix_selection();
    }
}
