//! The script runner: drives an [`Engine`] through a parsed script line by line, writes the
//! transcript, and keeps the verdicts and the privilege coverage in a [`Report`].

mod expect;

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::ast::{
    ArgSpec, MAX_RUN_SPAN, MAX_SPAN, Script, ScriptAction, ScriptCommand, Selection, Step, When,
    too_long,
};
use super::report::{Case, Report, Verdict, write_summary};
use crate::engine::audit::{AuditEntry, Decided, Source};
use crate::engine::{Args, Command, CommandError, Engine, Target};
use crate::policy::{Action, Channel, Denial, Stage, action_exists_in};
use crate::qa::matrix::{self, Decision};
use crate::world::scenario::{MAX_RUN_CALLBACKS, expected_callbacks};
use crate::world::{
    AgentId, CallResult, CampaignId, CampaignMode, InteractionId, SimTime, fmt_time,
};

/// What one action line produced, as `expect` sees it.
#[derive(Clone, Debug, PartialEq)]
enum ActionResult {
    Allowed(String),
    Denied(Box<Denial>),
    Invalid(String),
}

/// Why a line could not run at all; the rest of the script is skipped.
struct Abort(String);

struct Runner<'e, 'w> {
    engine: &'e mut Engine,
    out: &'w mut dyn Write,
    agent: Option<AgentId>,
    current: Option<InteractionId>,
    last: Option<(usize, Action, ActionResult)>,
    /// Agents this run logged in, by name, so a second `login` switches back to the session.
    sessions: BTreeMap<String, AgentId>,
    report: Report,
    /// Each case's name, by line, and when the previous case's verdict was known.
    names: BTreeMap<usize, String>,
    since: std::time::Instant,
}

/// A script run that stops between lines: the desktop replays a script one step at a time with
/// it, and [`run`] is a loop over it.
#[derive(Clone, Default)]
pub struct Replay {
    agent: Option<AgentId>,
    current: Option<InteractionId>,
    last: Option<(usize, Action, ActionResult)>,
    sessions: BTreeMap<String, AgentId>,
    report: Report,
    /// Index of the next step to run.
    next: usize,
    /// The line that stopped the script, once one has.
    aborted: Option<usize>,
    /// Each case's name, by line (computed from the script on the first step).
    names: Option<BTreeMap<usize, String>>,
    /// When the previous case's verdict was known (or the run started), wall clock.
    since: Option<std::time::Instant>,
}

impl Replay {
    /// The agent the script is acting as, once it has logged in.
    pub fn agent(&self) -> Option<AgentId> {
        self.agent
    }

    /// The interaction the script's actions go to.
    pub fn current(&self) -> Option<InteractionId> {
        self.current
    }

    /// Index into `script.steps` of the next step to run.
    pub fn next_step(&self) -> usize {
        self.next
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The next line, an action, was made at the desk instead of run here (a lesson's
    /// trainee did it): `entry` is that attempt as the audit log has it, and `opened` the
    /// interaction it opened. The `expect` lines after it check it as if the line had run.
    pub fn observe(&mut self, line: usize, entry: &AuditEntry, opened: Option<InteractionId>) {
        self.next += 1;
        let result = match &entry.decided {
            // A desktop attempt is replayed without its words, as it always was (a scripted
            // line carries `Outcome::message`): a failed expectation shows `allowed ()`.
            Decided::Allowed(_) => ActionResult::Allowed(String::new()),
            Decided::Denied(d) => ActionResult::Denied(d.clone()),
            Decided::Invalid(why) => ActionResult::Invalid(why.to_string()),
        };
        self.last = Some((line, entry.action, result));
        if opened.is_some() {
            self.current = opened;
        }
    }

    /// Moves past the next line without running it: its effect was made at the desk (a
    /// role-book edit a lesson's trainee made in the role editor).
    pub fn skip(&mut self) {
        self.next += 1;
    }

    /// Writes the header line a transcript starts with.
    pub fn start(
        &mut self,
        engine: &mut Engine,
        script: &Script,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.report.start = engine.now();
        self.since = Some(std::time::Instant::now());
        writeln!(
            out,
            "script {}: scenario \"{}\", starts {}",
            script.file,
            engine.scenario().name,
            fmt_time(engine.now())
        )?;
        write_log(engine, out)
    }

    /// Runs the next step of `script`; false when every step has run.
    pub fn step(
        &mut self,
        engine: &mut Engine,
        script: &Script,
        out: &mut dyn Write,
    ) -> io::Result<bool> {
        let Some(step) = script.steps.get(self.next) else {
            return Ok(false);
        };
        self.next += 1;
        self.report.version = engine.roles().product_version();
        let mut runner = Runner {
            engine,
            out,
            agent: self.agent,
            current: self.current,
            last: self.last.take(),
            sessions: std::mem::take(&mut self.sessions),
            report: std::mem::take(&mut self.report),
            names: self
                .names
                .take()
                .unwrap_or_else(|| super::identity::case_names(script)),
            since: *self.since.get_or_insert_with(std::time::Instant::now),
        };
        let result = runner.run_step(step, self.aborted);
        self.agent = runner.agent;
        self.current = runner.current;
        self.last = runner.last.take();
        self.sessions = std::mem::take(&mut runner.sessions);
        self.report = std::mem::take(&mut runner.report);
        self.names = Some(std::mem::take(&mut runner.names));
        self.since = Some(runner.since);
        if result? {
            self.aborted = Some(step.line);
        }
        Ok(true)
    }
}

/// Writes the engine's new transcript lines.
fn write_log(engine: &mut Engine, out: &mut dyn Write) -> io::Result<()> {
    for l in engine.take_log() {
        writeln!(out, "    log [{}] {}", fmt_time(l.time), l.text)?;
    }
    Ok(())
}

/// Runs a parsed script against `engine`, writing the transcript to `out`.
pub fn run(engine: &mut Engine, script: &Script, out: &mut dyn Write) -> io::Result<Report> {
    let started = std::time::Instant::now();
    let mut replay = Replay::default();
    replay.start(engine, script, out)?;
    while replay.step(engine, script, out)? {}
    let mut report = std::mem::take(&mut replay.report);
    report.end = engine.now();
    report.wall = started.elapsed();
    write_summary(out, &report)?;
    Ok(report)
}

impl Runner<'_, '_> {
    /// Runs one step, or records it as skipped after an abort (at `aborted`, the line that
    /// stopped the script); true when this step aborted the run.
    fn run_step(&mut self, step: &Step, aborted: Option<usize>) -> io::Result<bool> {
        let is_case = matches!(
            step.command,
            ScriptCommand::Expect(_)
                | ScriptCommand::WaitOffer { .. }
                | ScriptCommand::WaitStage { .. }
        );
        if let Some(stopped_at) = aborted {
            if is_case {
                self.case(step, Verdict::Skipped { stopped_at });
            }
            return Ok(false);
        }
        writeln!(
            self.out,
            "[{}] line {}: {}",
            fmt_time(self.engine.now()),
            step.line,
            step.text
        )?;
        let result = self.step(step);
        self.flush_log()?;
        match result {
            Ok(Some(text)) => {
                writeln!(self.out, "    => {text}")?;
                if is_case {
                    self.pass(step)?;
                }
            }
            Ok(None) => self.pass(step)?,
            Err(StepError::Failed(why)) => self.fail(step, why)?,
            Err(StepError::Abort(Abort(why))) => {
                writeln!(self.out, "    FAILED (line {}): {why}", step.line)?;
                writeln!(self.out, "    the rest of the script is skipped")?;
                self.case(step, Verdict::Error(why));
                return Ok(true);
            }
        }
        Ok(false)
    }
}

enum StepError {
    /// An expectation did not hold; the script goes on.
    Failed(String),
    Abort(Abort),
}

impl From<Abort> for StepError {
    fn from(a: Abort) -> StepError {
        StepError::Abort(a)
    }
}

impl Runner<'_, '_> {
    /// Records the verdict on a case, with its name and the wall time it took.
    fn case(&mut self, step: &Step, verdict: Verdict) {
        let now = std::time::Instant::now();
        let name = self
            .names
            .get(&step.line)
            .cloned()
            .unwrap_or_else(|| step.text.clone());
        self.report.cases.push(Case {
            line: step.line,
            text: step.text.clone(),
            name,
            verdict,
            at: self.engine.now(),
            wall: now.duration_since(self.since),
        });
        self.since = now;
    }

    fn flush_log(&mut self) -> io::Result<()> {
        write_log(self.engine, self.out)
    }

    fn pass(&mut self, step: &Step) -> io::Result<()> {
        if matches!(step.command, ScriptCommand::Expect(_)) {
            writeln!(self.out, "    ok")?;
        }
        self.case(step, Verdict::Passed);
        Ok(())
    }

    fn fail(&mut self, step: &Step, why: String) -> io::Result<()> {
        writeln!(self.out, "    FAILED (line {}): {why}", step.line)?;
        self.case(step, Verdict::Failed(why));
        Ok(())
    }

    fn agent(&self) -> Result<AgentId, Abort> {
        self.agent
            .ok_or_else(|| Abort("no agent is logged in".into()))
    }

    fn interaction(&self) -> Result<InteractionId, Abort> {
        self.current.ok_or_else(|| {
            Abort("there is no current interaction (use `wait offer`, `get-record`, `offer` or `select`)".into())
        })
    }

    /// Runs one line. `Ok(Some(text))` is a result to show; `Ok(None)` a passed expectation.
    /// Runs one line. `Ok(Some(text))` is a result to show; `Ok(None)` a passed expectation.
    fn step(&mut self, step: &Step) -> Result<Option<String>, StepError> {
        let now = self.engine.now();
        let shown = match &step.command {
            ScriptCommand::Login { name, roles } => self.login(name, roles),
            ScriptCommand::Roles(roles) => {
                let agent = self.agent()?;
                self.engine.set_roles(agent, roles.clone());
                format!("roles now: {}", self.role_names(roles))
            }
            ScriptCommand::EditRoles(edit) => {
                self.engine
                    .edit_roles(edit)
                    .map_err(|e| Abort(format!("the roles cannot be edited so: {e}")))?;
                format!("roles edited: {}", super::record::edit_line(edit))
            }
            ScriptCommand::Ready(ready) => {
                let agent = self.agent()?;
                self.engine.set_ready(agent, *ready);
                if *ready { "Ready" } else { "Not Ready" }.to_string()
            }
            ScriptCommand::Advance(d) => {
                self.within_run(now + *d)?;
                self.engine.advance(*d);
                format!("now {}", fmt_time(self.engine.now()))
            }
            ScriptCommand::AdvanceToClock(t) => self.advance_to(now.date().and_time(*t))?,
            ScriptCommand::AdvanceTo(at) => self.advance_to(*at)?,
            ScriptCommand::NextEvent => match self.engine.step() {
                Some(t) => format!("now {}", fmt_time(t)),
                None => return Err(Abort("no event is scheduled".into()).into()),
            },
            ScriptCommand::WaitOffer { within } => {
                self.within_run(now + *within)?;
                self.wait_offer(now + *within)?
            }
            ScriptCommand::WaitStage { stage, within } => {
                self.within_run(now + *within)?;
                self.wait_stage(*stage, now + *within)?
            }
            ScriptCommand::OfferCallback => self.offer_callback()?,
            ScriptCommand::OfferPush(campaign) => self.offer_push(*campaign)?,
            ScriptCommand::Outcome(result) => self.outcome(*result),
            ScriptCommand::Select(selection) => self.select(*selection)?,
            ScriptCommand::Act(act) => self.act(step.line, act)?,
            ScriptCommand::Expect(expectation) => {
                self.expect(expectation).map_err(StepError::Failed)?;
                return Ok(None);
            }
        };
        Ok(Some(shown))
    }

    fn login(&mut self, name: &str, roles: &[usize]) -> String {
        let id = match self.sessions.get(name) {
            Some(&id) => id,
            None => {
                let id = self.engine.login(name, roles.to_vec());
                self.sessions.insert(name.to_string(), id);
                id
            }
        };
        self.agent = Some(id);
        // The previous agent's interaction is not this agent's to act on.
        self.current = None;
        format!(
            "current agent: {name} ({id}), roles: {}",
            self.role_names(roles)
        )
    }

    fn wait_offer(&mut self, deadline: chrono::NaiveDateTime) -> Result<String, Abort> {
        let agent = self.agent()?;
        let found = self.wait_until(deadline, |e| {
            e.open_interactions(agent)
                .iter()
                .filter(|it| it.stage == Stage::Offered)
                .map(|it| it.id)
                .max()
        });
        let Some(id) = found else {
            return Err(Abort(format!(
                "no offer reached the agent by {}",
                fmt_time(deadline)
            )));
        };
        self.current = Some(id);
        Ok(format!(
            "{id} is offered ({}); it is current",
            self.channel_of(id)
        ))
    }

    fn wait_stage(
        &mut self,
        stage: Stage,
        deadline: chrono::NaiveDateTime,
    ) -> Result<String, Abort> {
        let id = self.interaction()?;
        let found = self.wait_until(deadline, |e| {
            e.interaction(id)
                .and_then(|it| (it.stage == stage).then_some(()))
        });
        if found.is_some() {
            return Ok(format!("{id} is in stage {stage}"));
        }
        let at = self
            .engine
            .interaction(id)
            .map_or(Stage::Closed, |it| it.stage);
        Err(Abort(format!(
            "{id} did not reach stage {stage} by {} (it is {at})",
            fmt_time(self.engine.now())
        )))
    }

    fn offer_callback(&mut self) -> Result<String, Abort> {
        let agent = self.agent()?;
        let id = self.engine.offer_callback(agent);
        if self.engine.interaction(id).is_none() {
            return Err(Abort("the web callback service made no invitation".into()));
        }
        self.current = Some(id);
        Ok(format!("{id} is offered (web-callback); it is current"))
    }

    fn offer_push(&mut self, campaign: Option<CampaignId>) -> Result<String, Abort> {
        let agent = self.agent()?;
        let campaign = match campaign {
            Some(c) => c,
            None => self
                .engine
                .first_running_campaign(CampaignMode::PushPreview)
                .ok_or_else(|| Abort("the scenario has no running push-preview campaign".into()))?,
        };
        let name = self.campaign_name(campaign);
        let Some(id) = self.engine.offer_push(agent, campaign) else {
            return Err(Abort(format!("\"{name}\" has no record left to push")));
        };
        self.current = Some(id);
        Ok(format!(
            "{id} is offered (push-preview, {name}); it is current"
        ))
    }

    fn outcome(&mut self, result: CallResult) -> String {
        self.engine.force_next_outcome(result);
        format!("the next dial will end: {result}")
    }

    fn select(&mut self, selection: Selection) -> Result<String, Abort> {
        let id = match selection {
            Selection::Id(id) => {
                self.engine
                    .interaction(id)
                    .ok_or_else(|| Abort(format!("there is no interaction {id}")))?
                    .id
            }
            Selection::Latest => {
                let agent = self.agent()?;
                self.engine
                    .interactions()
                    .iter()
                    .rev()
                    .find(|it| it.agent == agent)
                    .ok_or_else(|| Abort("the agent has no interaction yet".into()))?
                    .id
            }
        };
        self.current = Some(id);
        let stage = self
            .engine
            .interaction(id)
            .map_or(Stage::Closed, |it| it.stage);
        Ok(format!(
            "{id} ({}, {stage}) is current",
            self.channel_of(id)
        ))
    }

    fn advance_to(&mut self, at: chrono::NaiveDateTime) -> Result<String, Abort> {
        let now = self.engine.now();
        if at < now {
            return Err(Abort(format!(
                "{} is before the simulated now, {}; time never goes backwards",
                fmt_time(at),
                fmt_time(now)
            )));
        }
        if at - now > MAX_SPAN {
            return Err(Abort(format!("{} is {}", fmt_time(at), too_long())));
        }
        self.within_run(at)?;
        self.engine.advance_to(at);
        Ok(format!("now {}", fmt_time(self.engine.now())))
    }

    /// Refuses to move the clock to `at` when that is more than [`MAX_RUN_SPAN`] after the
    /// script's start (what a run costs grows with the simulated time it covers, so the whole
    /// run is bounded, not only each line), or past the last year an RFC 3339 time can carry.
    fn within_run(&self, at: chrono::NaiveDateTime) -> Result<(), Abort> {
        use chrono::Datelike as _;
        if at - self.report.start > MAX_RUN_SPAN {
            return Err(Abort(format!(
                "{} is more than the {} days a script may run in all (it started {})",
                fmt_time(at),
                MAX_RUN_SPAN.num_days(),
                fmt_time(self.report.start)
            )));
        }
        let per_hour = self.engine.scenario().web_callbacks.per_hour;
        let expected = expected_callbacks(per_hour, at - self.report.start);
        if expected > MAX_RUN_CALLBACKS {
            return Err(Abort(format!(
                "{} would bring about {expected:.0} web callback requests ({per_hour} per hour \
                 since {}), more than the {MAX_RUN_CALLBACKS} a run may expect",
                fmt_time(at),
                fmt_time(self.report.start)
            )));
        }
        if at.year() > 9999 {
            return Err(Abort(format!(
                "{} is past the year 9999, which the audit log's RFC 3339 times cannot carry",
                fmt_time(at)
            )));
        }
        Ok(())
    }

    /// Runs the engine event by event until `found` gives something or the next event is past
    /// `deadline` (then the clock stops at the deadline).
    fn wait_until<T>(
        &mut self,
        deadline: chrono::NaiveDateTime,
        found: impl Fn(&Engine) -> Option<T>,
    ) -> Option<T> {
        loop {
            if let Some(t) = found(&*self.engine) {
                return Some(t);
            }
            match self.engine.next_event_time() {
                Some(next) if next <= deadline => {
                    self.engine.step();
                }
                _ => {
                    self.engine.advance_to(deadline);
                    return found(&*self.engine);
                }
            }
        }
    }

    fn role_names(&self, roles: &[usize]) -> String {
        roles
            .iter()
            .filter_map(|&r| self.engine.roles().roles.get(r))
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn channel_of(&self, id: InteractionId) -> String {
        self.engine
            .interaction(id)
            .map_or_else(String::new, |it| it.channel.to_string())
    }

    fn campaign_name(&self, id: CampaignId) -> String {
        self.engine
            .campaign(id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    /// What an attempt acts on: the campaign for an action on a campaign (`get-record`; the
    /// first running preview campaign when the line names none), else the current interaction.
    fn target_of(
        &mut self,
        agent: AgentId,
        act: &ScriptAction,
        source: Source,
    ) -> Result<Target, StepError> {
        if !act.action.acts_on_campaign() {
            return Ok(Target::Interaction(self.interaction()?));
        }
        if let Some(c) = act
            .campaign
            .or_else(|| self.engine.first_running_campaign(CampaignMode::Preview))
        {
            return Ok(Target::Campaign(c));
        }
        let why = "the scenario has no running preview campaign".to_string();
        self.engine.audit_invalid(
            agent,
            Channel::Preview,
            act.action,
            Stage::Campaign,
            None,
            source,
            why.clone(),
        );
        Err(Abort(why).into())
    }

    fn act(&mut self, line: usize, act: &ScriptAction) -> Result<String, StepError> {
        let agent = self.agent()?;
        let now = self.engine.now();
        let source = Source::Script {
            line: u32::try_from(line).unwrap_or(u32::MAX),
        };
        let target = self.target_of(agent, act, source)?;
        let args = args_at(&act.args, now);
        // The matrix decision of this attempt, taken before the command changes the stage.
        let cell = self.cell_of(agent, target, act.action);
        let result = self.engine.execute(Command {
            agent,
            target,
            action: act.action,
            args,
            source,
        });
        // The engine refuses another agent's interaction before authorizing (no audit line of
        // its own); it is still this agent's attempt, so it is logged as invalid.
        if let (Err(e @ CommandError::NotYours(id)), Target::Interaction(_)) = (&result, target)
            && let Some(it) = self.engine.interaction(*id)
        {
            let (channel, stage) = (it.channel, it.stage);
            self.engine.audit_invalid(
                agent,
                channel,
                act.action,
                stage,
                Some(*id),
                source,
                e.to_string(),
            );
        }
        let reached_authorization = !matches!(
            result,
            Err(CommandError::NotYours(_)
                | CommandError::NoSuchInteraction(_)
                | CommandError::NoSuchAgent(_)
                | CommandError::NoSuchCampaign(_))
        );
        if reached_authorization && let Some((key, decision)) = cell {
            match decision {
                Decision::Allowed => self.report.coverage.entry(key).or_default().allowed += 1,
                Decision::Denied => self.report.coverage.entry(key).or_default().denied += 1,
                Decision::NotApplicable => self.report.not_available += 1,
            }
        }
        let (shown, kept) = match result {
            Ok(outcome) => {
                if let Some(opened) = outcome.opened {
                    self.current = Some(opened);
                }
                let message = outcome.message();
                (
                    format!("allowed: {message}"),
                    ActionResult::Allowed(message),
                )
            }
            Err(CommandError::Denied(denial)) => (
                format!("denied ({}): {}", denial.kind.as_str(), denial.summary()),
                ActionResult::Denied(denial),
            ),
            Err(other) => {
                let message = other.to_string();
                (
                    format!("invalid: {message}"),
                    ActionResult::Invalid(message),
                )
            }
        };
        self.last = Some((line, act.action, kept));
        Ok(shown)
    }

    /// The (channel, action, stage) of an attempt and its privilege decision.
    fn cell_of(
        &self,
        agent: AgentId,
        target: Target,
        action: Action,
    ) -> Option<((Channel, Action, Stage), Decision)> {
        let granted = self.engine.agent(agent)?.granted;
        let (channel, stage) = match target {
            Target::Campaign(c) => (self.engine.campaign(c)?.mode.channel(), Stage::Campaign),
            Target::Interaction(id) => {
                let it = self.engine.interaction(id)?;
                (it.channel, it.stage)
            }
        };
        if !action_exists_in(channel, action, self.engine.roles().product_version()) {
            return Some(((channel, action, stage), Decision::NotApplicable));
        }
        let decision = matrix::decide(granted, channel, action, stage).decision;
        Some(((channel, action, stage), decision))
    }
}

/// A line's arguments as the engine takes them, with times relative to `now` resolved.
pub fn args_at(spec: &ArgSpec, now: SimTime) -> Args {
    spec.map_time(|w| match w {
        When::At(t) => *t,
        When::In(d) => now + *d,
    })
}
