//! The commands views return, and the one place they are applied.
//!
//! Views never change the world: they return [`UiCommand`] values, and [`Desktop::apply`]
//! turns each into an engine command (which the engine authorizes) or a view-state change.
//! Whether a button is enabled comes from `Session::check`, which is `Engine::check`.

use super::Desktop;
use super::session::ScriptReplay;
use super::view_state::{Dialog, MatrixCell, NoticeKind};
use super::workbench::matrix_view::MatrixView;
use crate::engine::audit::Source;
use crate::engine::{Args, Command, CommandError, Target};
use crate::policy::{Action, Arguments, Asking};
use crate::qa::script::{Replay, Script};
use crate::training::activity::{ActivityKind, Ending};
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
    /// Replace the whole role book (the role editor's "apply"): the engine takes it as the
    /// steps a script would replay, and logged-in sessions keep their roles by name.
    ReplaceRoles(Box<crate::training::role_edit::Applied>),
    /// Write the role editor's draft to its roles file (checked for changes on disk).
    SaveRoles(Box<super::exports::RolesSave>),
    SwitchAgent(usize),
    SetReady(bool),
    Pause(bool),
    Speed(f64),
    Step,
    CloseDialog,
    DismissNotice(usize),
    /// Open the authorization matrix on the cell an audit entry or a notice concerns.
    ShowMatrixCell(MatrixCell),
    /// Start a practice shift: the day again on `seed` with the same roles, scenario and
    /// agent, from when its first records may be dialled, the clock at `speed`, waiting while
    /// an invitation waits if `hold`.
    StartPractice {
        seed: u64,
        minutes: i64,
        speed: f64,
        hold: bool,
    },
    /// Carry out a command that starts an activity, the running one's end confirmed.
    Confirmed(Box<UiCommand>),
    /// Write a file (an export or a save); an existing file is replaced only when asked.
    Save(Box<super::exports::SaveRequest>),
    /// Read a file (a lesson, a script, a roles file) for the tool that asked.
    Open(super::exports::OpenRequest),
    /// Start reading the class from the LRS (the class view's credentials file and reader).
    FollowClass,
    /// The running activity ran its course (the shift's time is up): its card is frozen.
    FinishActivity,
    /// Whether the clock waits while an invitation waits (practice).
    PracticeHold(bool),
    /// Restart the day on the same seed (from the roles file, with the edits made since) and
    /// record what happens as a script.
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
    /// Parse a lesson and start it on a day of its own.
    LoadLesson {
        file: String,
        text: String,
    },
    /// Show the current step's next hint (counted).
    LessonHint,
    /// Start the current step again from where it began.
    LessonRestartStep,
    EndLesson,
    /// While recording: a lesson step starts here (a `step` line in the lesson draft).
    MarkLessonStep,
    /// Record lessons and practice shifts for this trainee from now on (docs/lrs.md): the
    /// outbox folder, and the LRS with its credentials file (both may be empty).
    ConfigureRecords {
        trainee: String,
        outbox: String,
        lrs: String,
        credentials: String,
    },
}

impl Desktop {
    /// Applies every command a frame produced, in order.
    pub fn apply_all(&mut self, commands: Vec<UiCommand>) {
        for c in commands {
            self.apply(c);
        }
        self.lesson_sync();
    }

    /// Applies one command; one that would end a running activity asks first.
    pub fn apply(&mut self, command: UiCommand) {
        self.apply_or_ask(command);
    }

    /// Applies one command without asking.
    pub(super) fn apply_now(&mut self, command: UiCommand) {
        if let Some(next) = self.would_start(&command) {
            self.end_activity(Ending::EndedFor(next));
        }
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
            UiCommand::SetRoles(roles) => self.set_roles(roles),
            UiCommand::ReplaceRoles(applied) => self.replace_roles(&applied),
            UiCommand::SaveRoles(request) => self.save_roles(*request),
            UiCommand::SwitchAgent(index) => self.switch_agent(index),
            UiCommand::SetReady(ready) => {
                let s = &mut self.session;
                if let Some(r) = &mut s.recorder {
                    r.ready(&s.engine, ready);
                }
                s.engine.set_ready(s.agent, ready)
            }
            UiCommand::StartRecording => self.start_recording(),
            UiCommand::StopRecording => self.stop_recording(),
            UiCommand::LoadReplay { file, text, seed } => {
                self.end_recording_for("loading a script");
                self.load_replay(&file, &text, seed)
            }
            UiCommand::ReplayStep { to_end } => self.replay_step(to_end),
            UiCommand::LoadLesson { file, text } => self.load_lesson(&file, &text),
            UiCommand::ConfigureRecords {
                trainee,
                outbox,
                lrs,
                credentials,
            } => self.configure_records(&trainee, &outbox, &lrs, &credentials),
            UiCommand::LessonHint => self.lesson_hint(),
            UiCommand::LessonRestartStep => self.restart_lesson_step(),
            UiCommand::EndLesson => self.end_lesson(),
            UiCommand::MarkLessonStep => {
                let s = &mut self.session;
                if let Some(r) = &mut s.recorder {
                    r.comment(&s.engine, crate::training::lesson::PAUSE_MARK);
                }
            }
            UiCommand::Pause(paused) => self.session.pace.paused = paused,
            UiCommand::Speed(speed) => self.session.pace.speed = speed.clamp(1.0, 100.0),
            UiCommand::Step => {
                self.session.engine.step();
                self.after_change();
            }
            UiCommand::CloseDialog => self.view.dialog = None,
            UiCommand::StartPractice {
                seed,
                minutes,
                speed,
                hold,
            } => {
                self.end_recording_for("a practice shift");
                self.start_practice(seed, minutes, speed, hold)
            }
            UiCommand::Confirmed(command) => {
                self.view.dialog = None;
                self.apply_now(*command)
            }
            UiCommand::FinishActivity => self.end_activity(Ending::Completed),
            UiCommand::Save(request) => {
                self.view.dialog = None;
                self.save(*request)
            }
            UiCommand::Open(request) => self.open(request),
            UiCommand::FollowClass => self.follow_class(),
            UiCommand::PracticeHold(hold) => self.session.practice_hold = hold,
            UiCommand::ShowMatrixCell(cell) => self.show_matrix_cell(&cell),
            UiCommand::DismissNotice(i) => {
                self.view.notices.remove(i);
            }
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
                self.begin_activity(
                    ActivityKind::Replay,
                    file.to_string(),
                    vec![format!("seed {seed}")],
                );
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

    /// A new day on `seed` with nobody logged in, and nothing left of the old day on screen.
    fn fresh_day(&mut self, seed: u64, speed: f64) {
        self.session.fresh_day(seed, speed);
        self.clear_view();
    }

    /// Runs the desktop on `engine`, a new day, with nothing left of the old one on screen.
    pub(super) fn fresh_day_on(&mut self, engine: crate::engine::Engine, speed: f64) {
        self.session.install_day(engine, speed);
        self.clear_view();
    }

    fn clear_view(&mut self) {
        let v = &mut self.view;
        v.selected = None;
        v.dialog = None;
        v.notices.clear();
        v.field_edits.clear();
        self.clear_tool_messages();
    }

    fn dialog_still_allowed(&self, dialog: &Dialog) -> bool {
        match dialog.asks_for() {
            Some((id, action)) => self.session.check(Target::Interaction(id), action).is_ok(),
            // Asks about the day, not about an interaction: roles never close it.
            None => true,
        }
    }

    /// Closes the open dialog if its action is no longer allowed (the roles changed).
    pub(super) fn drop_disallowed_dialog(&mut self) {
        self.view.dialog = self
            .view
            .dialog
            .take()
            .filter(|d| self.dialog_still_allowed(d));
    }

    fn request(&mut self, target: Target, action: Action) {
        let allowed = self.session.check(target, action).is_ok();
        let dialog = match (allowed, target) {
            (true, Target::Interaction(id)) => match action.arguments().asking() {
                Asking::RecordView => {
                    self.notify(
                        NoticeKind::Info,
                        "Edit the editable fields in the record view, then press Save".into(),
                        None,
                    );
                    return;
                }
                Asking::Dialog => self.dialog_for(id, action),
                Asking::Nothing => None,
            },
            _ => None,
        };
        match dialog {
            Some(d) => self.view.dialog = Some(d),
            None => {
                self.act(target, action, Args::None);
            }
        }
    }

    /// The dialog that asks for `action`'s arguments (the one of their kind), or `None` if
    /// the desk asks for them elsewhere or not at all (`Arguments::asking`).
    fn dialog_for(&self, target: InteractionId, action: Action) -> Option<Dialog> {
        let s = &self.session;
        match action.arguments() {
            Arguments::Time | Arguments::NumberAndTime => {
                let (day, hour, minute) = s.default_reschedule_slot(target);
                Some(Dialog::Reschedule {
                    target,
                    action,
                    day,
                    hour,
                    minute,
                    number: String::new(),
                    personal: false,
                })
            }
            Arguments::CallResult => Some(Dialog::CallResult {
                target,
                action,
                choice: s.suggested_call_result(target),
            }),
            Arguments::Disposition => Some(Dialog::Disposition {
                target,
                action,
                choice: s
                    .engine
                    .scenario()
                    .dispositions
                    .first()
                    .cloned()
                    .unwrap_or_default(),
            }),
            Arguments::Record => Some(Dialog::DialAlternative { target, action }),
            Arguments::Number => Some(Dialog::DialNewNumber {
                target,
                action,
                number: String::new(),
            }),
            Arguments::DoNotCallScope => Some(Dialog::DoNotCall {
                target,
                action,
                scope: DoNotCallScope::Number,
            }),
            // Fields are edited in the record view; the rest need no arguments.
            Arguments::FieldAndValue | Arguments::None | Arguments::Campaign => None,
        }
    }

    /// Runs one command through the engine and reports the result as a notice.
    pub fn act(&mut self, target: Target, action: Action, args: Args) -> bool {
        let s = &mut self.session;
        let at = s.engine.now();
        let recorded_args = s.recorder.as_ref().map(|_| args.clone());
        let lesson_args = s.lesson.as_ref().map(|_| args.clone());
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
        if let (Some(l), Some(args)) = (&mut s.lesson, lesson_args)
            && let Some(entry) = s.engine.audit().entries().last()
        {
            l.args.push((entry.seq, args));
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
                // The record view's edits were its arguments: they are saved now.
                if action.arguments().asking() == Asking::RecordView {
                    v.field_edits.clear();
                }
                v.dialog = None;
                true
            }
            Err(CommandError::Denied(denial)) => {
                let text = format!("{}: {}", action.label(), denial.plain());
                let cell = MatrixCell {
                    roles: self.session.agent_role_names(),
                    channel: denial.channel,
                    action,
                    stage: denial.stage,
                    from: format!("the notice of {}", at.format("%H:%M:%S")),
                };
                let detail = Some(denial.detail_lines());
                self.view
                    .notify(at, NoticeKind::Denied, text, detail, Some(cell));
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

    pub(super) fn notify(&mut self, kind: NoticeKind, text: String, detail: Option<Vec<String>>) {
        let now = self.session.engine.now();
        self.view.notify(now, kind, text, detail, None);
    }

    fn show_matrix_cell(&mut self, cell: &MatrixCell) {
        let wb = &mut self.view.workbench;
        wb.show(|| MatrixView::new(&self.session));
        if let Some(matrix) = wb.get_mut::<MatrixView>() {
            matrix.focus_on(cell, self.session.engine.roles());
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::world::roles::RoleBook;
    use crate::world::scenario::Scenario;

    /// Every action the desk asks arguments for in a dialog has one, and that dialog's OK
    /// attempts that very action (the table in `policy/action.rs` and the dialogs agree).
    #[test]
    fn every_action_asked_in_a_dialog_has_its_dialog() {
        let engine = Engine::new(
            RoleBook::embedded_default(),
            Scenario::embedded_default(),
            1,
        );
        let desktop = Desktop::new(engine, 0);
        let target = InteractionId(1);
        for &action in Action::ALL {
            let dialog = desktop.dialog_for(target, action);
            match action.arguments().asking() {
                Asking::Dialog => {
                    let dialog = dialog.unwrap_or_else(|| panic!("{action} has no dialog"));
                    let asks = dialog.asks_for();
                    assert_eq!(asks, Some((target, action)), "the dialog of {action}");
                }
                Asking::RecordView | Asking::Nothing => {
                    assert_eq!(dialog, None, "{action} opens no dialog")
                }
            }
        }
    }
}
