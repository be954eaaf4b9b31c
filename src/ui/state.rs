//! The desktop's state and the one place its commands are applied.
//!
//! Views never change the world: they return [`UiCommand`] values, and [`Desktop::apply`]
//! turns each into an engine command (which the engine authorizes) or a view-state change.
//! Whether a button is enabled comes from [`Desktop::check`], which is `Engine::check`.

use std::collections::VecDeque;

use chrono::Duration;

use crate::engine::{Args, Command, CommandError, Engine, Target};
use crate::policy::{Action, Denial};
use crate::qa::script::{Recorder, Replay, Script};
use crate::world::{AgentId, CallResult, InteractionId, Payload, SimTime, fmt_time};

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

/// A script being replayed in the window, one line at a time.
pub struct ReplaySession {
    pub script: Script,
    pub replay: Replay,
    /// The transcript so far, as `agentdesk run` would print it.
    pub transcript: String,
}

/// An open dialog and its unsaved input.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    Reschedule {
        target: InteractionId,
        new_number: bool,
        /// Days after today (simulated), hour and minute in centre time.
        day: i64,
        hour: u32,
        minute: u32,
        number: String,
    },
    CallResult {
        target: InteractionId,
        choice: CallResult,
    },
    Disposition {
        target: InteractionId,
        choice: String,
    },
    DialAlternative {
        target: InteractionId,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Denied,
    Error,
}

/// A non-modal message at the foot of the desktop.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub time: SimTime,
    pub text: String,
    /// For a denial: the full explanation, shown on hover.
    pub detail: Option<String>,
}

/// How fast simulated time runs against real time.
#[derive(Clone, Debug, PartialEq)]
pub struct Pace {
    pub paused: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Simulated milliseconds owed but not yet advanced.
    carry_ms: f64,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            paused: false,
            speed: 1.0,
            carry_ms: 0.0,
        }
    }
}

pub const SPEEDS: [f64; 5] = [1.0, 5.0, 10.0, 50.0, 100.0];

/// Everything the desktop shows, around one engine and one logged-in agent.
pub struct Desktop {
    pub engine: Engine,
    pub agent: AgentId,
    pub selected: Option<InteractionId>,
    pub pace: Pace,
    pub dialog: Option<Dialog>,
    pub notices: VecDeque<Notice>,
    /// Edits of contact fields in progress, by field name, for the selected record.
    pub field_edits: Vec<(String, String)>,
    /// When on, every disabled action shows its reason inline (presenter's "why" overlay).
    pub explain_all: bool,
    /// The trainer and QA tool windows.
    pub workbench: super::workbench::Workbench,
    /// The roles file the desktop was started from (`None`: the embedded defaults); the role
    /// editor saves there.
    pub roles_path: Option<std::path::PathBuf>,
    /// Records the agent's attempts as a script while on.
    pub recorder: Option<Recorder>,
    /// The last finished recording, for saving.
    pub recorded: Option<String>,
    pub replay: Option<ReplaySession>,
    /// Why the last script could not be loaded (every diagnostic, one per line).
    pub replay_errors: Option<String>,
}

const MAX_NOTICES: usize = 6;

/// The desktop's agent before a replayed script has logged one in: no session has this id.
const NO_AGENT: AgentId = AgentId(0);

impl Desktop {
    /// A desktop logged in as agent `agent` (an index into the role book's agents).
    pub fn new(mut engine: Engine, agent: usize) -> Desktop {
        let id = login_agent(&mut engine, agent);
        let mut desktop = Desktop {
            engine,
            agent: id,
            selected: None,
            pace: Pace::default(),
            dialog: None,
            notices: VecDeque::new(),
            field_edits: Vec::new(),
            explain_all: false,
            workbench: Default::default(),
            roles_path: None,
            recorder: None,
            recorded: None,
            replay: None,
            replay_errors: None,
        };
        desktop.fix_selection();
        desktop
    }

    /// The one question every button asks: may the agent do this now?
    pub fn check(&self, target: Target, action: Action) -> Result<(), Denial> {
        self.engine.check(self.agent, target, action)
    }

    /// Advances simulated time by `real_seconds` of wall time at the current pace.
    pub fn tick(&mut self, real_seconds: f64) {
        if self.pace.paused || real_seconds <= 0.0 {
            return;
        }
        self.pace.carry_ms += real_seconds.min(1.0) * self.pace.speed * 1000.0;
        let whole = self.pace.carry_ms.floor();
        if whole >= 1.0 {
            self.pace.carry_ms -= whole;
            self.engine.advance(Duration::milliseconds(whole as i64));
            self.after_change();
        }
    }

    /// Runs the simulation to `until` (tests, replays) and keeps the selection valid.
    pub fn advance_to(&mut self, until: SimTime) {
        self.engine.advance_to(until);
        self.after_change();
    }

    /// Real seconds until the desktop next needs redrawing on its own (the next simulated
    /// event or the next simulated second on the clock), or `None` while paused.
    pub fn next_wake(&self) -> Option<f64> {
        if self.pace.paused {
            return None;
        }
        let now = self.engine.now();
        let to_event = self
            .engine
            .next_event_time()
            .map(|t| (t - now).num_milliseconds() as f64 / 1000.0)
            .unwrap_or(f64::INFINITY);
        // The clock shows seconds: redraw at least once a real second while running.
        let sim_seconds = to_event.min(self.pace.speed.max(1.0));
        Some((sim_seconds / self.pace.speed).clamp(0.016, 1.0))
    }

    fn notify(&mut self, kind: NoticeKind, text: String, detail: Option<String>) {
        self.notices.push_back(Notice {
            kind,
            time: self.engine.now(),
            text,
            detail,
        });
        while self.notices.len() > MAX_NOTICES {
            self.notices.pop_front();
        }
    }

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
                if self.selected != Some(id) {
                    self.selected = Some(id);
                    self.field_edits.clear();
                }
            }
            UiCommand::SetRoles(roles) => {
                if let Some(r) = &mut self.recorder {
                    r.roles(&self.engine, &roles);
                }
                self.engine.set_roles(self.agent, roles);
                self.dialog = self.dialog.take().filter(|d| self.dialog_still_allowed(d));
            }
            UiCommand::ReplaceRoles(applied) => {
                let book = applied.book.clone();
                self.engine
                    .replace_roles(book, |name, roles| applied.session_roles(name, roles));
                self.dialog = self.dialog.take().filter(|d| self.dialog_still_allowed(d));
            }
            UiCommand::SwitchAgent(index) => {
                if self.recorder.is_some() {
                    self.stop_recording();
                    self.notify(
                        NoticeKind::Info,
                        "Recording stopped: a recording follows one agent".into(),
                        None,
                    );
                }
                self.agent = login_agent(&mut self.engine, index);
                self.selected = None;
                self.dialog = None;
                self.fix_selection();
            }
            UiCommand::SetReady(ready) => {
                if let Some(r) = &mut self.recorder {
                    r.ready(&self.engine, ready);
                }
                self.engine.set_ready(self.agent, ready)
            }
            UiCommand::StartRecording => {
                self.restart(self.engine.seed(), self.pace.speed);
                self.recorder = Some(Recorder::start(&self.engine, self.agent));
                self.recorded = None;
            }
            UiCommand::StopRecording => self.stop_recording(),
            UiCommand::LoadReplay { file, text, seed } => self.load_replay(&file, &text, seed),
            UiCommand::ReplayStep { to_end } => self.replay_step(to_end),
            UiCommand::Pause(paused) => self.pace.paused = paused,
            UiCommand::Speed(speed) => self.pace.speed = speed.clamp(1.0, 100.0),
            UiCommand::Step => {
                self.engine.step();
                self.after_change();
            }
            UiCommand::CloseDialog => self.dialog = None,
            UiCommand::Restart { seed, speed } => self.restart(seed, speed),
            UiCommand::DismissNotice(i) => {
                self.notices.remove(i);
            }
        }
    }

    fn stop_recording(&mut self) {
        if let Some(r) = self.recorder.take() {
            self.recorded = Some(r.text());
        }
    }

    fn load_replay(&mut self, file: &str, text: &str, seed: u64) {
        let parsed = Script::parse(file, text, &self.engine.roles, &self.engine.scenario);
        match parsed {
            Err(diags) => {
                self.replay_errors = Some(
                    diags
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
            Ok(parsed) => {
                self.replay_errors = None;
                self.recorder = None;
                self.fresh_day(seed, self.pace.speed);
                // The script drives the clock; the wall clock must not move it meanwhile.
                self.pace.paused = true;
                let replay = Replay::default();
                let mut out = Vec::new();
                let _ = replay.start(&mut self.engine, &parsed.script, &mut out);
                self.replay = Some(ReplaySession {
                    script: parsed.script,
                    replay,
                    transcript: String::from_utf8_lossy(&out).into_owned(),
                });
            }
        }
    }

    fn replay_step(&mut self, to_end: bool) {
        let Some(session) = &mut self.replay else {
            return;
        };
        let mut out = Vec::new();
        loop {
            match session
                .replay
                .step(&mut self.engine, &session.script, &mut out)
            {
                Ok(true) if to_end => continue,
                _ => break,
            }
        }
        session.transcript.push_str(&String::from_utf8_lossy(&out));
        // Show the desktop of the agent the script acts as, on the interaction it works on.
        if let Some(agent) = session.replay.agent() {
            self.agent = agent;
        }
        if let Some(id) = session.replay.current() {
            self.selected = Some(id);
        }
        self.after_change();
    }

    /// A fresh engine on `seed`, logged in as the same agent with its current roles.
    pub fn restart(&mut self, seed: u64, speed: f64) {
        let (name, roles) = self
            .engine
            .agent(self.agent)
            .map(|a| (a.name.clone(), a.roles.clone()))
            .unwrap_or_default();
        self.fresh_day(seed, speed);
        self.agent = self.engine.login(&name, roles);
        self.fix_selection();
    }

    /// A new day on `seed` with nobody logged in yet (a replayed script logs its own agent in,
    /// exactly as `agentdesk run` does).
    fn fresh_day(&mut self, seed: u64, speed: f64) {
        let roles_book = self.engine.roles.clone();
        let scenario = self.engine.scenario.clone();
        self.engine = Engine::new(roles_book, scenario, seed);
        self.agent = NO_AGENT;
        self.selected = None;
        self.dialog = None;
        self.notices.clear();
        self.field_edits.clear();
        self.pace = Pace {
            paused: false,
            speed: speed.clamp(1.0, 100.0),
            carry_ms: 0.0,
        };
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
        };
        self.check(Target::Interaction(id), action).is_ok()
    }

    fn request(&mut self, target: Target, action: Action) {
        let allowed = self.check(target, action).is_ok();
        let id = match target {
            Target::Interaction(id) => Some(id),
            Target::Campaign(_) => None,
        };
        let dialog = match (allowed, id, action) {
            (true, Some(target), Action::Reschedule | Action::RescheduleNewNumber) => {
                let (day, hour, minute) = self.default_reschedule_slot(target);
                Some(Dialog::Reschedule {
                    target,
                    new_number: action == Action::RescheduleNewNumber,
                    day,
                    hour,
                    minute,
                    number: String::new(),
                })
            }
            (true, Some(target), Action::SetCallResult) => Some(Dialog::CallResult {
                target,
                choice: self.suggested_call_result(target),
            }),
            (true, Some(target), Action::SetDisposition) => Some(Dialog::Disposition {
                target,
                choice: self
                    .engine
                    .scenario
                    .dispositions
                    .first()
                    .cloned()
                    .unwrap_or_default(),
            }),
            (true, Some(target), Action::DialAlternative) => {
                Some(Dialog::DialAlternative { target })
            }
            (true, Some(_), Action::EditRecordData) => {
                self.notify(
                    NoticeKind::Info,
                    "Edit the editable fields in the record view, then press Save".into(),
                    None,
                );
                return;
            }
            _ => None,
        };
        match dialog {
            Some(d) => self.dialog = Some(d),
            None => {
                self.act(target, action, Args::None);
            }
        }
    }

    /// Runs one command through the engine and reports the result as a notice.
    pub fn act(&mut self, target: Target, action: Action, args: Args) -> bool {
        let at = self.engine.now();
        let recorded_args = self.recorder.as_ref().map(|_| args.clone());
        let result = self.engine.execute(Command {
            agent: self.agent,
            target,
            action,
            args,
        });
        if let (Some(r), Some(args)) = (&mut self.recorder, recorded_args) {
            r.attempt(&self.engine, target, action, &args, &result, at);
        }
        let ok = match result {
            Ok(outcome) => {
                if let (Action::Accept, Target::Interaction(id)) = (action, target) {
                    self.selected = Some(id);
                }
                if let Some(id) = outcome.opened {
                    self.selected = Some(id);
                    self.field_edits.clear();
                }
                if action == Action::EditRecordData {
                    self.field_edits.clear();
                }
                self.dialog = None;
                true
            }
            Err(CommandError::Denied(denial)) => {
                self.notify(NoticeKind::Denied, denial.summary(), Some(denial.explain()));
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

    fn after_change(&mut self) {
        self.fix_selection();
    }

    /// Keeps the selection on an open interaction: the newest invitation when nothing is
    /// selected, the next open one when the selected one closes.
    fn fix_selection(&mut self) {
        let open = self.engine.open_interactions(self.agent);
        let still_open = self
            .selected
            .is_some_and(|id| open.iter().any(|it| it.id == id));
        if !still_open {
            self.selected = open.last().map(|it| it.id);
            self.field_edits.clear();
            if let Some(d) = &self.dialog
                && !self.dialog_still_allowed(d)
            {
                self.dialog = None;
            }
        }
    }

    fn default_reschedule_slot(&self, id: InteractionId) -> (i64, u32, u32) {
        // Tomorrow at the same hour is a sensible first proposal; the dialog checks it.
        let now = self.engine.now();
        let proposal = now + Duration::days(1);
        let day = 1;
        let hour = chrono::Timelike::hour(&proposal);
        if self
            .engine
            .reschedule_time_problem(id, now + Duration::days(1))
            .is_none()
        {
            return (day, hour, 0);
        }
        (day, 12, 0)
    }

    fn suggested_call_result(&self, id: InteractionId) -> CallResult {
        self.engine
            .interaction(id)
            .and_then(|it| it.current_call())
            .and_then(|c| {
                if c.connected_at.is_some() {
                    Some(CallResult::Answer)
                } else {
                    None
                }
            })
            .unwrap_or(CallResult::UnknownCallResult)
    }

    /// The simulated time a reschedule dialog's fields describe.
    pub fn reschedule_time(&self, day: i64, hour: u32, minute: u32) -> SimTime {
        let date = self.engine.now().date() + Duration::days(day);
        date.and_hms_opt(hour.min(23), minute.min(59), 0)
            .unwrap_or_else(|| self.engine.now())
    }

    pub fn agent_name(&self) -> String {
        self.engine
            .agent(self.agent)
            .map_or_else(|| "(nobody logged in)".to_string(), |a| a.name.clone())
    }

    /// The title line of an interaction for lists and headers.
    pub fn title_of(&self, id: InteractionId) -> String {
        let Some(it) = self.engine.interaction(id) else {
            return id.to_string();
        };
        let who = match &it.payload {
            Payload::WebCallback(cb) => cb.customer.clone(),
            Payload::Outbound { .. } => self
                .engine
                .chain_of(it)
                .map(|c| c.contact_name.clone())
                .unwrap_or_default(),
        };
        format!("{} {} · {}", id, it.channel.title(), who)
    }

    pub fn clock_text(&self) -> String {
        fmt_time(self.engine.now())
    }
}

/// Logs in agent `index` of the role book, or reuses its session if it has one.
fn login_agent(engine: &mut Engine, index: usize) -> AgentId {
    let Some(agent) = engine.roles.agents.get(index).cloned() else {
        return engine.login("Guest", Vec::new());
    };
    if let Some(existing) = engine.agents.iter().find(|a| a.name == agent.name) {
        return existing.id;
    }
    engine.login(&agent.name, agent.roles)
}
