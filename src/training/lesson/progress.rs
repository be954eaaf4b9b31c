//! A lesson being done at the desk. The lesson runs its own lines (logins, the clock, offers,
//! the customer's outcome) through the script runner; an action line waits for the trainee,
//! whose attempts are read from the engine's audit log: the attempt the engine authorized and
//! audited is the one checked, never a second rule check. A matching attempt is handed to the
//! runner as if the line had run, so the `expect` lines after it hold or fail exactly as in
//! `agentdesk run`.

use super::{Lesson, ScoreCard, StepScore, is_trainee_line};
use crate::engine::audit::{AuditEntry, Decided, Decision, Source};
use crate::engine::{Args, Engine};
use crate::policy::Action;
use crate::qa::script::{ArgSpec, Expectation, Replay, ScriptCommand, Verdict};
use crate::world::roles::{RoleBook, RoleEdit};
use crate::world::{DoNotCallScope, InteractionId, SimTime};

/// Where one of the current step's checks stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckState {
    Pending,
    Passed,
    Failed(String),
}

/// What became of one attempt at the desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Not the trainee's (a script line, the autopilot), or the lesson is over.
    Ignored,
    /// The attempt the step asked for, with the result it expects.
    Matched,
    Wrong,
}

/// Why the last attempt was not what the step asks, in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wrong {
    pub action: Action,
    pub reason: String,
    /// The attempt went through and changed the desk: the step may have to start again.
    pub changed_desk: bool,
}

/// What one step cost the trainee so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Tally {
    done: bool,
    wrong: usize,
    hints: usize,
    denials: usize,
    restarts: usize,
    /// Wall-clock time spent on the step so far (the score card's per-step time).
    wall: std::time::Duration,
}

/// A lesson in progress on one engine (the desk's).
#[derive(Clone)]
pub struct LessonRun {
    pub lesson: Lesson,
    replay: Replay,
    step: usize,
    tally: Vec<Tally>,
    /// The last wrong attempt of the current step, until the step is done.
    pub wrong: Option<Wrong>,
    /// A line the lesson runs itself could not run or did not hold: the desk is not where the
    /// step expects it, and only starting the step again helps.
    pub stuck: Option<String>,
    /// Audit entries already looked at.
    seen: usize,
    started: SimTime,
    /// `started` as reports write it, ISO 8601 with the centre's offset.
    started_iso: String,
    finished: Option<SimTime>,
    transcript: Vec<u8>,
    /// What the desk said about the step just done: (its number, the plain words of the refusal
    /// it was meant to show, if it was one).
    pub done_says: Option<(usize, Option<String>)>,
    /// The plain words of the current step's last matched refusal.
    said: Option<String>,
    /// When the current step (or its latest restart) began, wall clock.
    step_since: std::time::Instant,
}

impl LessonRun {
    /// A fresh day for the lesson, its setup run and the first step's own lines up to the
    /// trainee's first action.
    pub fn start(lesson: Lesson) -> (Engine, LessonRun) {
        let tally = vec![Tally::default(); lesson.steps.len()];
        LessonRun::at_step(lesson, 0, tally, None)
    }

    /// The day again, with every step before the current one done by its reference solution,
    /// ready for the current step (the trainee's score so far kept, the restart counted).
    pub fn restart_step(&self) -> (Engine, LessonRun) {
        let mut tally = self.tally.clone();
        if let Some(t) = tally.get_mut(self.step) {
            t.restarts += 1;
            t.wall += self.step_since.elapsed();
        }
        let (engine, mut run) =
            LessonRun::at_step(self.lesson.clone(), self.step, tally, Some(self.started));
        run.done_says = self.done_says.clone();
        (engine, run)
    }

    fn at_step(
        lesson: Lesson,
        step: usize,
        tally: Vec<Tally>,
        started: Option<SimTime>,
    ) -> (Engine, LessonRun) {
        let mut engine = lesson.engine();
        let mut run = LessonRun {
            replay: Replay::default(),
            step,
            tally,
            wrong: None,
            stuck: None,
            seen: 0,
            started: started.unwrap_or_else(|| engine.now()),
            started_iso: String::new(),
            done_says: None,
            said: None,
            finished: None,
            transcript: Vec::new(),
            lesson,
            step_since: std::time::Instant::now(),
        };
        let _ = run
            .replay
            .start(&mut engine, &run.lesson.script, &mut run.transcript);
        let first = run
            .lesson
            .steps
            .get(step)
            .map_or(run.lesson.script.steps.len(), |s| s.lines.start);
        while run.replay.next_step() < first {
            if !run.run_line(&mut engine) {
                break;
            }
        }
        // The lesson's time starts when its setup is done (its clock may jump to midday).
        if started.is_none() {
            run.started = engine.now();
        }
        run.started_iso = engine.audit().iso_time(run.started);
        run.seen = engine.audit().entries().len();
        run.advance(&mut engine);
        (engine, run)
    }

    /// Looks at what happened at the desk since the last call: new attempts, a role edit the
    /// step waits for. True when the lesson moved on or has something new to say.
    pub fn sync(&mut self, engine: &mut Engine, args: &[(u64, Args)]) -> bool {
        let entries = engine.audit().entries();
        if entries.len() == self.seen {
            // Role edits leave no audit entry: the step may be waiting for one.
            return self.advance(engine);
        }
        let new: Vec<AuditEntry> = entries[self.seen.min(entries.len())..].to_vec();
        self.seen = entries.len();
        let mut changed = false;
        for entry in &new {
            let given = args.iter().find(|(seq, _)| *seq == entry.seq).map(|a| &a.1);
            changed |= self.attempt(engine, entry, given) != Attempt::Ignored;
        }
        changed | self.advance(engine)
    }

    /// Matches one attempt, made with `args` when the desk says, against the line the step
    /// waits for.
    pub fn attempt(
        &mut self,
        engine: &mut Engine,
        entry: &AuditEntry,
        args: Option<&Args>,
    ) -> Attempt {
        if entry.source != Source::Desktop || self.is_finished() {
            return Attempt::Ignored;
        }
        let step = self.step;
        if entry.decision() == Decision::Denied {
            self.tally[step].denials += 1;
        }
        let index = self.replay.next_step();
        let act = match self.lesson.script.steps.get(index).map(|s| &s.command) {
            Some(ScriptCommand::Act(a)) => Some(a),
            _ => None,
        };
        let wanted = act.map(|a| a.action);
        let agent = self
            .replay
            .agent()
            .and_then(|a| engine.agent(a))
            .map(|a| a.name.clone());
        if let Some(name) = agent.as_ref().filter(|n| **n != *entry.agent()) {
            return self.wrong(
                entry,
                format!("This lesson is done as {name}: switch back to {name} in the top bar."),
                false,
            );
        }
        if let (Some(current), Some(acted)) = (self.replay.current(), entry.interaction)
            && current != acted
            && wanted == Some(entry.action)
        {
            let changed = entry.decision() == Decision::Allowed;
            return self.wrong(
                entry,
                format!("This step is about {current}; that was {acted}. Select {current} in the list on the left."),
                changed,
            );
        }
        if wanted != Some(entry.action) {
            return self.wrong(
                entry,
                self.not_asked(entry),
                entry.decision() == Decision::Allowed,
            );
        }
        if let (Some(act), Some(given)) = (act, args)
            && let Some(reason) = other_arguments(&act.args, given)
        {
            return self.wrong(entry, reason, entry.decision() == Decision::Allowed);
        }
        let before = self.replay.clone();
        let line = self.lesson.script.steps[index].line;
        self.replay.observe(line, entry, opened_by(engine, entry));
        if let Err(why) = self.result_checks(engine) {
            self.replay = before;
            let reason = match entry.decision() {
                Decision::Allowed => format!(
                    "{} went through, but this step expects otherwise ({why}).",
                    entry.action.label()
                ),
                _ => self.not_asked(entry),
            };
            return self.wrong(entry, reason, entry.decision() == Decision::Allowed);
        }
        self.wrong = None;
        if let Some(d) = entry.denial() {
            self.said = Some(format!("{}: {}", entry.action.label(), d.plain()));
        }
        Attempt::Matched
    }

    /// The plain words for an attempt the step did not ask for.
    fn not_asked(&self, entry: &AuditEntry) -> String {
        let label = entry.action.label();
        match &entry.decided {
            Decided::Denied(d) => format!("{label}: {}", d.plain()),
            Decided::Invalid(why) => format!("{label}: {why}"),
            Decided::Allowed(_) => {
                format!("{label} went through, but this step asks for something else.")
            }
        }
    }

    fn wrong(&mut self, entry: &AuditEntry, reason: String, changed_desk: bool) -> Attempt {
        self.tally[self.step].wrong += 1;
        self.wrong = Some(Wrong {
            action: entry.action,
            reason,
            changed_desk,
        });
        Attempt::Wrong
    }

    /// Runs the `expect allowed / denied / invalid` lines right after an observed action.
    fn result_checks(&mut self, engine: &mut Engine) -> Result<(), String> {
        while let Some(ScriptCommand::Expect(
            Expectation::Allowed | Expectation::Denied { .. } | Expectation::Invalid,
        )) = self
            .lesson
            .script
            .steps
            .get(self.replay.next_step())
            .map(|s| &s.command)
        {
            let _ = self
                .replay
                .step(engine, &self.lesson.script, &mut self.transcript);
            if let Some(Verdict::Failed(why) | Verdict::Error(why)) =
                self.replay.report().cases.last().map(|c| &c.verdict)
            {
                return Err(why.clone());
            }
        }
        Ok(())
    }

    /// Runs the lesson's own lines until one is the trainee's, moving to the next step as one
    /// ends. True when anything ran.
    fn advance(&mut self, engine: &mut Engine) -> bool {
        let mut moved = false;
        while !self.is_finished() && self.stuck.is_none() {
            let index = self.replay.next_step();
            if self.step_ends_before(index) {
                self.tally[self.step].done = true;
                self.tally[self.step].wall += self.step_since.elapsed();
                self.step_since = std::time::Instant::now();
                self.done_says = Some((self.step, self.said.take()));
                self.step += 1;
                self.wrong = None;
                moved = true;
                if self.step >= self.lesson.steps.len() {
                    self.finished = Some(engine.now());
                }
                continue;
            }
            let Some(line) = self.lesson.script.steps.get(index) else {
                break;
            };
            match &line.command {
                ScriptCommand::EditRoles(edit) if edit_done(engine.roles(), edit) => {
                    self.replay.skip();
                }
                c if is_trainee_line(c) => break,
                _ => {
                    if !self.run_line(engine) {
                        break;
                    }
                }
            }
            moved = true;
        }
        moved
    }

    /// Whether the current step's lines all come before script line `index`.
    fn step_ends_before(&self, index: usize) -> bool {
        self.lesson
            .steps
            .get(self.step)
            .is_some_and(|s| index >= s.lines.end)
    }

    /// Runs the next line through the runner; false (and `stuck`) when it failed.
    fn run_line(&mut self, engine: &mut Engine) -> bool {
        let cases = self.replay.report().cases.len();
        let _ = self
            .replay
            .step(engine, &self.lesson.script, &mut self.transcript);
        match self.replay.report().cases.get(cases).map(|c| &c.verdict) {
            Some(Verdict::Failed(why) | Verdict::Error(why)) => {
                self.stuck = Some(why.clone());
                false
            }
            _ => true,
        }
    }

    /// Shows the next hint of the current step, counted; `None` when every hint is shown.
    pub fn hint(&mut self) -> Option<String> {
        let hints = self.hints();
        let t = self.tally.get_mut(self.step)?;
        let next = hints.get(t.hints)?.clone();
        t.hints += 1;
        Some(next)
    }

    /// The current step's hints: the lesson's own, then which button does it.
    pub fn hints(&self) -> Vec<String> {
        let Some(step) = self.lesson.steps.get(self.step) else {
            return Vec::new();
        };
        let mut hints = step.hints.clone();
        let next = self
            .lesson
            .script
            .steps
            .get(self.replay.next_step().max(step.lines.start)..step.lines.end)
            .and_then(|lines| lines.iter().find(|l| is_trainee_line(&l.command)));
        match next.map(|l| &l.command) {
            Some(ScriptCommand::Act(a)) => hints.push(format!(
                "The button for this is {} (the action toolbar, or the invitation).",
                a.action.label()
            )),
            Some(ScriptCommand::EditRoles(edit)) => {
                hints.push(format!("In Workbench > Role editor: {}.", edit_words(edit)))
            }
            _ => {}
        }
        hints
    }

    /// The hints shown so far in the current step.
    pub fn hints_shown(&self) -> Vec<String> {
        let n = self.tally.get(self.step).map_or(0, |t| t.hints);
        self.hints().into_iter().take(n).collect()
    }

    /// The current step's checks (its `expect` and `wait` lines) in plain words, with where
    /// each stands.
    pub fn checks(&self) -> Vec<(String, CheckState)> {
        let Some(step) = self.lesson.steps.get(self.step) else {
            return Vec::new();
        };
        step.lines
            .clone()
            .filter_map(|i| {
                let words = plain_check(&self.lesson, i)?;
                let line = self.lesson.script.steps[i].line;
                let state = match self
                    .replay
                    .report()
                    .cases
                    .iter()
                    .rev()
                    .find(|c| c.line == line)
                    .map(|c| &c.verdict)
                {
                    Some(Verdict::Passed) => CheckState::Passed,
                    Some(Verdict::Failed(w) | Verdict::Error(w)) => CheckState::Failed(w.clone()),
                    _ => CheckState::Pending,
                };
                Some((words, state))
            })
            .collect()
    }

    /// The index of the current step (the number of steps once finished).
    pub fn step(&self) -> usize {
        self.step
    }

    pub fn is_finished(&self) -> bool {
        self.finished.is_some()
    }

    /// The agent the lesson acts as, once its setup has logged one in.
    pub fn agent(&self) -> Option<crate::world::AgentId> {
        self.replay.agent()
    }

    /// The interaction the step is about.
    pub fn current(&self) -> Option<InteractionId> {
        self.replay.current()
    }

    /// What the lesson's own lines printed, as `agentdesk run` would.
    pub fn transcript(&self) -> String {
        String::from_utf8_lossy(&self.transcript).into_owned()
    }

    /// The score card so far; `now` ends an unfinished lesson's time, `real_seconds` is the
    /// wall-clock time the trainee took (when the caller measured it).
    pub fn score(&self, now: SimTime, trainee: &str, real_seconds: Option<f64>) -> ScoreCard {
        ScoreCard {
            title: self.lesson.title.clone(),
            file: self.lesson.file.clone(),
            trainee: trainee.to_string(),
            seed: self.lesson.seed,
            roles_file: self.lesson.roles_label(),
            scenario_file: self.lesson.scenario_label(),
            product_version: self.lesson.book.product_version().to_string(),
            start: self.started,
            simulated_start: self.started_iso.clone(),
            end: self.finished.unwrap_or(now),
            real_seconds,
            steps: self
                .lesson
                .steps
                .iter()
                .zip(&self.tally)
                .map(|(s, t)| StepScore {
                    line: s.line,
                    text: s.text.clone(),
                    done: t.done,
                    wrong: t.wrong,
                    hints: t.hints,
                    denials: t.denials,
                    restarts: t.restarts,
                    wall: t.wall,
                })
                .collect(),
        }
    }
}

/// Why the arguments given at the desk are not those the step's line asks for; `None` when
/// they are, or when the line leaves them open (a reschedule's time: any the desk allows).
fn other_arguments(wanted: &ArgSpec, given: &Args) -> Option<String> {
    let squash = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let digits = |t: &str| -> String { t.chars().filter(char::is_ascii_digit).collect() };
    match (wanted, given) {
        (ArgSpec::CallResult(w), Args::CallResult(g)) if w != g => Some(format!(
            "That was the call result {}; this step asks for {}.",
            g.label(),
            w.label()
        )),
        (ArgSpec::Disposition(w), Args::Disposition(g)) if squash(w) != squash(g) => Some(format!(
            "That was the disposition {g}; this step asks for {w}."
        )),
        (ArgSpec::DoNotCall(w), Args::DoNotCall(g)) if w != g => Some(format!(
            "That marked {}; this step asks to mark {}.",
            scope_words(*g),
            scope_words(*w)
        )),
        (ArgSpec::Record(w), Args::Record(g)) if w != g => Some(format!(
            "That called number {} of the record chain; this step asks for number {}.",
            g + 1,
            w + 1
        )),
        (ArgSpec::Number(w), Args::Number(g)) if digits(w) != digits(g) => {
            Some(format!("That was {g}; this step asks for {w}."))
        }
        (ArgSpec::Edit { field: f, value: v }, Args::Edit { field, value })
            if f != field || v != value =>
        {
            Some(format!(
                "That set {field} to \"{value}\"; this step asks to set {f} to \"{v}\"."
            ))
        }
        _ => None,
    }
}

fn scope_words(scope: DoNotCallScope) -> &'static str {
    match scope {
        DoNotCallScope::Number => "this number only",
        DoNotCallScope::Contact => "the whole contact",
    }
}

/// The interaction an allowed attempt opened: the one it accepted, or the record a Get
/// Record or Done and Get Next pulled (the agent's newest).
fn opened_by(engine: &Engine, entry: &AuditEntry) -> Option<InteractionId> {
    if entry.decision() != Decision::Allowed {
        return None;
    }
    match entry.action {
        Action::Accept => entry.interaction,
        Action::GetRecord | Action::DoneAndGetNext => {
            let agent = engine
                .agents()
                .iter()
                .find(|a| *a.name == *entry.agent())?
                .id;
            engine.open_interactions(agent).iter().map(|it| it.id).max()
        }
        _ => None,
    }
}

/// Whether the role book already has what the edit makes (the trainee made it in the role
/// editor).
fn edit_done(book: &RoleBook, edit: &RoleEdit) -> bool {
    match edit {
        RoleEdit::Rename { from, to } => {
            book.role_index(to).is_some() && book.role_index(from).is_none()
        }
        RoleEdit::Remove { role } => book.role_index(role).is_none(),
        RoleEdit::RemoveAgent { agent } => book.agent_index(agent).is_none(),
        _ => {
            let mut edited = book.clone();
            edited.apply_edit(edit).is_ok() && edited == *book
        }
    }
}

/// A role edit as the trainee would make it in the role editor.
fn edit_words(edit: &RoleEdit) -> String {
    match edit {
        RoleEdit::Grant { role, privileges } => format!(
            "select \"{role}\" and tick exactly: {}",
            privileges.names().join(", ")
        ),
        RoleEdit::Describe { role, text } => format!("describe \"{role}\" as \"{text}\""),
        RoleEdit::Rename { from, to } => format!("rename \"{from}\" to \"{to}\""),
        RoleEdit::Remove { role } => format!("delete the role \"{role}\""),
        RoleEdit::Assign { agent, roles } => {
            format!("give {agent} the roles {}", roles.join(", "))
        }
        RoleEdit::RemoveAgent { agent } => format!("remove the agent {agent}"),
        RoleEdit::Version(v) => format!("switch the product version to {v}"),
        RoleEdit::Order(_) => "put the roles in the lesson's order".to_string(),
    }
}

/// A check line (`expect`, `wait`) of the lesson in plain words; `None` for other lines.
pub fn plain_check(lesson: &Lesson, index: usize) -> Option<String> {
    let steps = &lesson.script.steps;
    let action = || {
        steps[..index]
            .iter()
            .rev()
            .find_map(|s| match &s.command {
                ScriptCommand::Act(a) => Some(a.action.label()),
                _ => None,
            })
            .unwrap_or("the action")
    };
    Some(match &steps.get(index)?.command {
        ScriptCommand::Expect(e) => match e {
            Expectation::Allowed => format!("The desk carries out {}", action()),
            // A step that asks the trainee to find what is missing must not be answered by
            // its own check line.
            Expectation::Denied { privileges, .. }
                if !privileges.is_empty() && asks_to_find(lesson, index) =>
            {
                format!(
                    "The desk refuses {}, and you name the missing privilege from its notice",
                    action()
                )
            }
            Expectation::Denied { privileges, .. } if !privileges.is_empty() => format!(
                "The desk refuses {} (missing {})",
                action(),
                privileges
                    .iter()
                    .map(|p| p.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Expectation::Denied { .. } => format!("The desk refuses {}", action()),
            Expectation::Invalid => format!("{} cannot be carried out as asked", action()),
            Expectation::Stage(s) => format!("The interaction is in stage {s}"),
            Expectation::Queue { records, .. } => {
                format!("{records} record(s) wait in the campaign")
            }
            Expectation::Records(n) => format!("The record chain has {n} record(s)"),
            Expectation::Contact(name) => format!("You are working on {name}"),
        },
        ScriptCommand::WaitOffer { .. } => "An invitation arrives".to_string(),
        ScriptCommand::WaitStage { stage, .. } => format!("The interaction reaches stage {stage}"),
        _ => return None,
    })
}

/// Whether the step of script line `index` asks the trainee to find something out (which
/// privilege is missing, why): then its check line must not say it.
pub fn asks_to_find(lesson: &Lesson, index: usize) -> bool {
    let Some(step) = lesson.step_of(index).and_then(|n| lesson.steps.get(n)) else {
        return false;
    };
    let text = step.text.to_lowercase();
    ["which", "read why", "find out", "what is missing"]
        .iter()
        .any(|w| text.contains(w))
}
