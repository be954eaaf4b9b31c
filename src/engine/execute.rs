//! The one path of a command: authorize it (the same decision `check` gives the desktop for
//! its buttons), record the attempt in the audit log, and only then apply it.

use std::sync::Arc;

use crate::engine::audit::{Attempter, AuditEntry, Decided, Source};
use crate::engine::{Args, Command, CommandError, Done, Engine, Outcome, Target};
use crate::policy::{self, Action, Channel, Denial, PrivilegeSet, Stage, authorize};
use crate::world::{
    AgentId, CallResult, CallbackScope, CampaignId, InteractionId, Payload, SimTime,
};

impl Engine {
    /// May `agent` do `action` on `target` now? The desktop enables buttons with this; it is
    /// the same decision [`Engine::execute`] makes (without argument-specific facts).
    pub fn check(&self, agent: AgentId, target: Target, action: Action) -> Result<(), Denial> {
        self.check_with(agent, target, action, &Args::None)
    }

    /// [`Engine::check`] with the command's arguments, so argument-specific facts (which
    /// record a dial-alternative calls, which field an edit touches) are part of the decision.
    pub fn check_with(
        &self,
        agent: AgentId,
        target: Target,
        action: Action,
        args: &Args,
    ) -> Result<(), Denial> {
        let granted = self.agent(agent).map_or(PrivilegeSet::EMPTY, |a| a.granted);
        let (channel, stage) = self
            .stage_of(target)
            .unwrap_or((Channel::WebCallback, Stage::Closed));
        let facts = self.facts(agent, target, action, args);
        authorize(granted, channel, action, stage, &facts)
    }

    /// [`Engine::check_with`]'s yes or no, without building a denial: the same gating table
    /// and the same facts, found but never put into words. The autopilot asks this before
    /// every command.
    pub fn allowed(&self, agent: AgentId, target: Target, action: Action, args: &Args) -> bool {
        let yes = self.decide(agent, target, action, args);
        if yes && let Some(args) = ArgsKey::of(args) {
            self.last_allowed
                .set(Some(self.allowed_key(agent, target, action, args)));
        }
        yes
    }

    fn decide(&self, agent: AgentId, target: Target, action: Action, args: &Args) -> bool {
        let granted = self.agent(agent).map_or(PrivilegeSet::EMPTY, |a| a.granted);
        let (channel, stage) = self
            .stage_of(target)
            .unwrap_or((Channel::WebCallback, Stage::Closed));
        policy::allowed_finding(
            granted,
            channel,
            action,
            stage,
            self.roles.product_version(),
            || self.facts_present(agent, target, action, args),
        )
    }

    /// Whether `channel` has any view for `agent` in the desk's `view` (the agent's view hides
    /// a channel whose roots are not effective): the policy's rule on the agent's grant now.
    pub fn channel_shown(&self, agent: AgentId, view: policy::DeskView, channel: Channel) -> bool {
        let granted = self.agent(agent).map_or(PrivilegeSet::EMPTY, |a| a.granted);
        policy::channel_shown(view, granted, channel)
    }

    /// Authorizes, audits and applies one command.
    pub fn execute(&mut self, cmd: Command) -> Result<Outcome, CommandError> {
        self.attempt(cmd)
    }

    /// [`Engine::execute`], telling only the interaction the command opened: what it did is
    /// in the audit log, and the autopilot, which reads nothing else, need not have a copy.
    pub fn execute_quietly(&mut self, cmd: Command) -> Result<Opened, CommandError> {
        self.attempt(cmd)
    }

    /// The one path of every command, for both answers.
    fn attempt<T: Told>(&mut self, cmd: Command) -> Result<T, CommandError> {
        let attempt = self.attempt_of(&cmd)?;
        // The yes or no first, from the typed facts; the denial is put into words only for a
        // refusal (`allowed` and `check_with` are the same decision: one gating table, one
        // finding of the facts).
        if !self.allowed_again(&cmd)
            && !self.allowed(cmd.agent, cmd.target, cmd.action, &cmd.args)
            && let Err(denial) = self.check_with(cmd.agent, cmd.target, cmd.action, &cmd.args)
        {
            self.audit_attempt(attempt, Decided::Denied(Box::new(denial.clone())));
            self.revision += 1;
            return Err(CommandError::Denied(Box::new(denial)));
        }
        let outcome = match self.apply(&cmd) {
            Ok(outcome) => outcome,
            Err(e) => {
                self.audit_attempt(attempt, Decided::Invalid(e.to_string().into()));
                return Err(e);
            }
        };
        let told = T::of(&outcome.done, outcome.opened);
        // What done-and-get-next closed, if it opened nothing yet.
        let finished = outcome.opened.is_none().then_some(match outcome.done {
            Done::Finished(id) => id,
            _ => InteractionId(0),
        });
        // The entry keeps what was done; the caller gets its own copy only if it asked.
        self.audit_attempt(attempt, Decided::Allowed(outcome.done));
        let seq = self.audit.tally().total();
        self.note_attempt(seq);
        if cmd.action == Action::DoneAndGetNext
            && let Some(id) = finished
            && let Some(Payload::Outbound { chain }) = self.interaction_payload(cmd.target).cloned()
        {
            let campaign = self.chains[chain].campaign;
            return Ok(self.get_next(cmd.agent, campaign, cmd.source, id));
        }
        // Only a command that changed the world can free an agent for new work; an invalid
        // one must leave everything as it was, routing included.
        self.route();
        Ok(told)
    }

    /// Whether `allowed` said yes to exactly this command in exactly this world (no change
    /// since, at the same simulated time): the autopilot asks, then executes at once, and the
    /// engine need not find the same facts twice. Anything else is decided afresh.
    fn allowed_again(&self, cmd: &Command) -> bool {
        let Some(args) = ArgsKey::of(&cmd.args) else {
            return false;
        };
        let again = self.last_allowed.get()
            == Some(self.allowed_key(cmd.agent, cmd.target, cmd.action, args));
        debug_assert!(
            !again || self.decide(cmd.agent, cmd.target, cmd.action, &cmd.args),
            "a remembered yes the world no longer gives: {cmd:?}"
        );
        again
    }

    fn allowed_key(
        &self,
        agent: AgentId,
        target: Target,
        action: Action,
        args: ArgsKey,
    ) -> AllowedKey {
        AllowedKey {
            revision: self.revision,
            now: self.now,
            agent,
            target,
            action,
            args,
        }
    }

    /// An attempt as it stands before it is decided (the action may change the stage); errors
    /// for a command whose agent or target does not exist (or is another agent's), which is
    /// not an attempt to audit.
    fn attempt_of(&self, cmd: &Command) -> Result<Attempt, CommandError> {
        let agent = self
            .agent(cmd.agent)
            .ok_or(CommandError::NoSuchAgent(cmd.agent))?;
        let (channel, stage, interaction, campaign) = match cmd.target {
            Target::Campaign(c) => {
                let campaign = self.campaign(c).ok_or(CommandError::NoSuchCampaign(c))?;
                (campaign.mode.channel(), Stage::Campaign, None, Some(c))
            }
            Target::Interaction(id) => {
                let it = self
                    .interaction(id)
                    .ok_or(CommandError::NoSuchInteraction(id))?;
                if it.agent != cmd.agent {
                    return Err(CommandError::NotYours(id));
                }
                (it.channel, it.stage, Some(id), None)
            }
        };
        Ok(Attempt {
            time: self.now,
            // Who the agent is, and with which roles, at the time of the attempt; only taken
            // when the audit log wants the entry.
            who: self.audit.wants_entries().then(|| self.attempter(agent)),
            channel,
            action: cmd.action,
            stage,
            interaction,
            campaign,
            source: cmd.source,
        })
    }

    /// Records a decided attempt: its whole entry when the audit log keeps or writes entries,
    /// otherwise only its number and decision.
    pub(super) fn audit_attempt(&mut self, attempt: Attempt, decided: Decided) {
        let Some(who) = attempt.who else {
            self.audit.count(decided.decision());
            return;
        };
        self.audit.record(AuditEntry {
            seq: 0,
            time: attempt.time,
            who,
            channel: attempt.channel,
            action: attempt.action,
            stage: attempt.stage,
            interaction: attempt.interaction,
            campaign: attempt.campaign.map(|c| self.campaign_names[c].clone()),
            decided,
            source: attempt.source,
        });
    }

    /// After done-and-get-next closed its record `finished`: fetching the next one is its own,
    /// audited, attempt, whose outcome joins the done one.
    fn get_next<T: Told>(
        &mut self,
        agent: AgentId,
        campaign: CampaignId,
        source: Source,
        finished: InteractionId,
    ) -> T {
        let next = self.attempt::<T>(Command {
            agent,
            target: Target::Campaign(campaign),
            action: Action::GetRecord,
            args: Args::None,
            source,
        });
        self.route();
        T::finished_and_next(finished, next)
    }

    fn interaction_payload(&self, target: Target) -> Option<&Payload> {
        match target {
            Target::Interaction(id) => self.interaction(id).map(|it| &it.payload),
            Target::Campaign(_) => None,
        }
    }
}

/// An attempt before it is decided, as [`Engine::attempt_of`] found it (or, for one that never
/// reaches authorization, `Engine::audit_invalid`).
pub(super) struct Attempt {
    pub(super) time: SimTime,
    /// `None` when the audit log wants no entry (`AuditLog::wants_entries`): the attempt is
    /// then only numbered and tallied.
    pub(super) who: Option<Arc<Attempter>>,
    pub(super) channel: Channel,
    pub(super) action: Action,
    pub(super) stage: Stage,
    pub(super) interaction: Option<InteractionId>,
    pub(super) campaign: Option<CampaignId>,
    pub(super) source: Source,
}

/// What a command tells its caller: the whole [`Outcome`], or only what it [`Opened`].
trait Told: Sized {
    fn of(done: &Done, opened: Option<InteractionId>) -> Self;
    /// Done-and-get-next: the record `finished` closed, then the fetch of the next one.
    fn finished_and_next(finished: InteractionId, next: Result<Self, CommandError>) -> Self;
}

impl Told for Outcome {
    fn of(done: &Done, opened: Option<InteractionId>) -> Outcome {
        Outcome {
            done: done.clone(),
            opened,
        }
    }

    fn finished_and_next(id: InteractionId, next: Result<Outcome, CommandError>) -> Outcome {
        let (next, opened) = match next {
            Ok(n) => (Ok(Box::new(n.done)), n.opened),
            Err(e) => (Err(e.to_string()), None),
        };
        Outcome {
            done: Done::FinishedAndNext { id, next },
            opened,
        }
    }
}

/// The interaction a command opened (get-record, done-and-get-next), if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Opened(pub Option<InteractionId>);

impl Told for Opened {
    fn of(_: &Done, opened: Option<InteractionId>) -> Opened {
        Opened(opened)
    }

    fn finished_and_next(_: InteractionId, next: Result<Opened, CommandError>) -> Opened {
        next.unwrap_or(Opened(None))
    }
}

/// A yes of [`Engine::allowed`] and the world it was given in: the engine's revision (which
/// every change to the world raises) and the simulated time (calling windows move with it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct AllowedKey {
    revision: u64,
    now: SimTime,
    agent: AgentId,
    target: Target,
    action: Action,
    args: ArgsKey,
}

/// The arguments the autopilot gives, as plain values; a command with text arguments (a
/// disposition, an edit, a number) is never remembered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ArgsKey {
    None,
    Record(usize),
    CallResult(CallResult),
    At(SimTime, Option<CallbackScope>),
}

impl ArgsKey {
    fn of(args: &Args) -> Option<ArgsKey> {
        match *args {
            Args::None => Some(ArgsKey::None),
            Args::Record(r) => Some(ArgsKey::Record(r)),
            Args::CallResult(r) => Some(ArgsKey::CallResult(r)),
            Args::At { at, scope } => Some(ArgsKey::At(at, scope)),
            _ => None,
        }
    }
}
