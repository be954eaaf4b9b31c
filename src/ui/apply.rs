//! The commands views return, and the one place they are applied.
//!
//! Views never change the world: they return [`UiCommand`] values, and [`Desktop::apply`]
//! turns each into an engine command (which the engine authorizes) or a view-state change.
//! Whether a button is enabled comes from `Session::check`, which is `Engine::check`.

use super::Desktop;
use super::session::ScriptReplay;
use super::view_state::{Dialog, NoticeKind};
use crate::engine::audit::Source;
use crate::engine::{Args, Command, CommandError, Target};
use crate::policy::Action;
use crate::qa::script::{Recorder, Replay, Script};
use crate::world::{DoNotCallScope, InteractionId};

/// A change the user asked for, produced by a view and applied by [`Desktop::apply`].
#[derive(Clone, Debug, PartialEq)]
pub enum UiCommand {
    /// Try an action. Actions that need arguments open their dialog when allowed; when not,
    /// the attempt goes to the engine anyway so the denial is explained and audited.
    Request {
        target: Target,
        action: Action,
    },
    /// Run an action with its arguments (from a dialog or an inline editor).
    Act {
        target: Target,
        action: Action,
        args: Args,
    },
    Select(InteractionId),
    SetRoles(Vec<usize>),
    /// Replace the whole role book (the role editor's "apply"), re-indexing every logged-in
    /// session's roles as the edit says.
    ReplaceRoles(Box<crate::training::role_edit::Applied>),
    SwitchAgent(usize),
    SetReady(bool),
    Pause(bool),
    Speed(f64),
    Step,
    CloseDialog,
    DismissNotice(usize),
    /// Start the day again on a new seed with the same roles, scenario and agent (practice).
    Restart {
        seed: u64,
        speed: f64,
    },
    /// Restart the day on the same seed and record what the agent does as a script.
    StartRecording,
    StopRecording,
    /// Parse a script and restart the day on `seed`, ready to replay it step by step.
    LoadReplay {
        file: String,
        text: String,
        seed: u64,
    },
    /// Run the next line of the loaded script, or every remaining line.
    ReplayStep {
        to_end: bool,
    },
}

impl Desktop {
    /// Applies every command a frame produced, in order.
    pub fn apply_all(&mut self, commands: Vec<UiCommand>) {
        for c in commands {
            self.apply(c);
        }
    }

    pub fn apply(&mut self, command: UiCommand) {
        match command {
            UiCommand::Request { target, action } => self.request(target, action),
            UiCommand::Act {
                target,
                action,
                args,
            } => {
                self.act(target, action, args);
            }
            UiCommand::Select(id) => {
                if self.view.selected != Some(id) {
                    self.view.selected = Some(id);
                    self.view.field_edits.clear();
                }
            }
            UiCommand::SetRoles(roles) => {
                let s = &mut self.session;
                if let Some(r) = &mut s.recorder {
                    r.roles(&s.engine, &roles);
                }
                s.engine.set_roles(s.agent, roles);
                self.drop_disallowed_dialog();
            }
            UiCommand::ReplaceRoles(applied) => {
                let book = applied.book.clone();
                self.session
                    .engine
                    .replace_roles(book, |name, roles| applied.session_roles(name, roles));
                self.drop_disallowed_dialog();
            }
            UiCommand::SwitchAgent(index) => self.switch_agent(index),
            UiCommand::SetReady(ready) => {
                let s = &mut self.session;
                if let Some(r) = &mut s.recorder {
                    r.ready(&s.engine, ready);
                }
                s.engine.set_ready(s.agent, ready)
            }
            UiCommand::StartRecording => {
                self.restart(self.session.engine.seed(), self.session.pace.speed);
                let s = &mut self.session;
                s.recorder = Some(Recorder::start(&s.engine, s.agent));
                s.recorded = None;
            }
            UiCommand::StopRecording => self.stop_recording(),
            UiCommand::LoadReplay { file, text, seed } => self.load_replay(&file, &text, seed),
            UiCommand::ReplayStep { to_end } => self.replay_step(to_end),
            UiCommand::Pause(paused) => self.session.pace.paused = paused,
            UiCommand::Speed(speed) => self.session.pace.speed = speed.clamp(1.0, 100.0),
            UiCommand::Step => {
                self.session.engine.step();
                self.after_change();
            }
            UiCommand::CloseDialog => self.view.dialog = None,
            UiCommand::Restart { seed, speed } => self.restart(seed, speed),
            UiCommand::DismissNotice(i) => {
                self.view.notices.remove(i);
            }
        }
    }

    fn switch_agent(&mut self, index: usize) {
        if self.session.recorder.is_some() {
            self.stop_recording();
            self.notify(
                NoticeKind::Info,
                "Recording stopped: a recording follows one agent".into(),
                None,
            );
        }
        self.session.switch_agent(index);
        self.view.selected = None;
        self.view.dialog = None;
        self.fix_selection();
    }

    fn stop_recording(&mut self) {
        if let Some(r) = self.session.recorder.take() {
            self.session.recorded = Some(r.text());
        }
    }

    fn load_replay(&mut self, file: &str, text: &str, seed: u64) {
        let s = &self.session;
        match Script::parse(file, text, s.engine.roles(), s.engine.scenario()) {
            Err(diags) => {
                self.session.replay_errors = Some(
                    diags
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
            Ok(parsed) => {
                self.session.replay_errors = None;
                self.session.recorder = None;
                self.fresh_day(seed, self.session.pace.speed);
                let s = &mut self.session;
                // The script drives the clock; the wall clock must not move it meanwhile.
                s.pace.paused = true;
                let mut replay = Replay::default();
                let mut out = Vec::new();
                let _ = replay.start(&mut s.engine, &parsed.script, &mut out);
                s.replay = Some(ScriptReplay {
                    script: parsed.script,
                    replay,
                    transcript: String::from_utf8_lossy(&out).into_owned(),
                });
            }
        }
    }

    fn replay_step(&mut self, to_end: bool) {
        let s = &mut self.session;
        let Some(run) = &mut s.replay else {
            return;
        };
        let mut out = Vec::new();
        loop {
            match run.replay.step(&mut s.engine, &run.script, &mut out) {
                Ok(true) if to_end => continue,
                _ => break,
            }
        }
        run.transcript.push_str(&String::from_utf8_lossy(&out));
        // Show the desktop of the agent the script acts as, on the interaction it works on.
        if let Some(agent) = run.replay.agent() {
            s.agent = agent;
        }
        if let Some(id) = run.replay.current() {
            self.view.selected = Some(id);
        }
        self.after_change();
    }

    /// A fresh engine on `seed`, logged in as the same agent with its current roles.
    pub fn restart(&mut self, seed: u64, speed: f64) {
        let s = &self.session;
        let (name, roles) = s
            .engine
            .agent(s.agent)
            .map(|a| (a.name.clone(), a.roles.clone()))
            .unwrap_or_default();
        self.fresh_day(seed, speed);
        self.session.agent = self.session.engine.login(&name, roles);
        self.fix_selection();
    }

    /// A new day on `seed` with nobody logged in, and nothing left of the old day on screen.
    fn fresh_day(&mut self, seed: u64, speed: f64) {
        self.session.fresh_day(seed, speed);
        let v = &mut self.view;
        v.selected = None;
        v.dialog = None;
        v.notices.clear();
        v.field_edits.clear();
    }

    fn dialog_still_allowed(&self, dialog: &Dialog) -> bool {
        let (id, action) = match dialog {
            Dialog::Reschedule {
                target, new_number, ..
            } => (
                *target,
                if *new_number {
                    Action::RescheduleNewNumber
                } else {
                    Action::Reschedule
                },
            ),
            Dialog::CallResult { target, .. } => (*target, Action::SetCallResult),
            Dialog::Disposition { target, .. } => (*target, Action::SetDisposition),
            Dialog::DialAlternative { target } => (*target, Action::DialAlternative),
            Dialog::DialNewNumber { target, .. } => (*target, Action::DialNewNumber),
            Dialog::DoNotCall { target, .. } => (*target, Action::MarkDoNotCall),
        };
        self.session.check(Target::Interaction(id), action).is_ok()
    }

    /// Closes the open dialog if its action is no longer allowed (the roles changed).
    fn drop_disallowed_dialog(&mut self) {
        self.view.dialog = self
            .view
            .dialog
            .take()
            .filter(|d| self.dialog_still_allowed(d));
    }

    fn request(&mut self, target: Target, action: Action) {
        let allowed = self.session.check(target, action).is_ok();
        let id = match target {
            Target::Interaction(id) => Some(id),
            Target::Campaign(_) => None,
        };
        let dialog = match (allowed, id, action) {
            (true, Some(_), Action::EditRecordData) => {
                self.notify(
                    NoticeKind::Info,
                    "Edit the editable fields in the record view, then press Save".into(),
                    None,
                );
                return;
            }
            (true, Some(target), action) => self.dialog_for(target, action),
            _ => None,
        };
        match dialog {
            Some(d) => self.view.dialog = Some(d),
            None => {
                self.act(target, action, Args::None);
            }
        }
    }

    /// The dialog that asks for `action`'s arguments, or `None` if it takes none.
    fn dialog_for(&self, target: InteractionId, action: Action) -> Option<Dialog> {
        let s = &self.session;
        match action {
            Action::Reschedule | Action::RescheduleNewNumber => {
                let (day, hour, minute) = s.default_reschedule_slot(target);
                Some(Dialog::Reschedule {
                    target,
                    new_number: action == Action::RescheduleNewNumber,
                    day,
                    hour,
                    minute,
                    number: String::new(),
                    personal: false,
                })
            }
            Action::SetCallResult => Some(Dialog::CallResult {
                target,
                choice: s.suggested_call_result(target),
            }),
            Action::SetDisposition => Some(Dialog::Disposition {
                target,
                choice: s
                    .engine
                    .scenario()
                    .dispositions
                    .first()
                    .cloned()
                    .unwrap_or_default(),
            }),
            Action::DialAlternative => Some(Dialog::DialAlternative { target }),
            Action::DialNewNumber => Some(Dialog::DialNewNumber {
                target,
                number: String::new(),
            }),
            Action::MarkDoNotCall => Some(Dialog::DoNotCall {
                target,
                scope: DoNotCallScope::Number,
            }),
            _ => None,
        }
    }

    /// Runs one command through the engine and reports the result as a notice.
    pub fn act(&mut self, target: Target, action: Action, args: Args) -> bool {
        let s = &mut self.session;
        let at = s.engine.now();
        let recorded_args = s.recorder.as_ref().map(|_| args.clone());
        let result = s.engine.execute(Command {
            agent: s.agent,
            target,
            action,
            args,
            source: Source::Desktop,
        });
        if let (Some(r), Some(args)) = (&mut s.recorder, recorded_args) {
            r.attempt(&s.engine, target, action, &args, &result, at);
        }
        let ok = match result {
            Ok(outcome) => {
                let v = &mut self.view;
                if let (Action::Accept, Target::Interaction(id)) = (action, target) {
                    v.selected = Some(id);
                }
                if let Some(id) = outcome.opened {
                    v.selected = Some(id);
                    v.field_edits.clear();
                }
                if action == Action::EditRecordData {
                    v.field_edits.clear();
                }
                v.dialog = None;
                true
            }
            Err(CommandError::Denied(denial)) => {
                let text = format!("{}: {}", action.label(), denial.plain());
                self.notify(NoticeKind::Denied, text, Some(denial.detail_lines()));
                false
            }
            Err(e) => {
                self.notify(NoticeKind::Error, e.to_string(), None);
                false
            }
        };
        self.after_change();
        ok
    }

    fn notify(&mut self, kind: NoticeKind, text: String, detail: Option<Vec<String>>) {
        let now = self.session.engine.now();
        self.view.notify(now, kind, text, detail);
    }

    pub(super) fn after_change(&mut self) {
        self.fix_selection();
    }

    /// Keeps the selection on an open interaction: the newest invitation when nothing is
    /// selected, the next open one when the selected one closes.
    pub(super) fn fix_selection(&mut self) {
        let s = &self.session;
        let open = s.engine.open_interactions(s.agent);
        let still_open = self
            .view
            .selected
            .is_some_and(|id| open.iter().any(|it| it.id == id));
        if !still_open {
            self.view.selected = open.last().map(|it| it.id);
            self.view.field_edits.clear();
            if let Some(d) = &self.view.dialog
                && !self.dialog_still_allowed(d)
            {
                self.view.dialog = None;
            }
        }
    }
}
