//! The simulation engine: one seeded RNG, one simulated clock, the event queue, routing, and
//! the single place where agents' commands are authorized and applied.
//!
//! Every command goes through [`Engine::execute`], which asks
//! [`authorize`](crate::policy::authorize) (with the world facts it knows: Do Not Call
//! lists, calling windows, editable fields, campaign state), records the attempt in the audit
//! log, and only then changes the world. A refused command changes nothing but the audit log.

pub mod audit;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDateTime};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::engine::audit::{AuditEntry, AuditLog};
use crate::policy::{
    Action, CampaignBlock, Channel, ComplianceReason, Denial, Facts, Stage, authorize, did_you_mean,
};
use crate::policy::{Privilege, PrivilegeSet, suggest};
use crate::world::roles::RoleBook;
use crate::world::scenario::Scenario;
use crate::world::{
    AgentId, Call, CallEvent, CallResult, CallbackState, CallbackType, Campaign, CampaignId,
    CampaignMode, ChainId, ChainPlace, Completion, ContactField, Interaction, InteractionId,
    Payload, PhoneType, PreviewRecord, RecordChain, RecordStatus, SimTime, TransitionError,
    WebCallback, call_event, fmt_time, next_stage, phone_key, validate_phone,
};

/// At most this many open interactions per agent before routing stops offering more.
pub const MAX_OPEN_PER_AGENT: usize = 4;

/// A logged-in agent.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentSession {
    pub id: AgentId,
    pub name: String,
    /// Indexes into the engine's role book.
    pub roles: Vec<usize>,
    pub granted: PrivilegeSet,
    pub ready: bool,
    /// Open interactions, oldest first.
    pub open: BTreeSet<InteractionId>,
}

/// What a command acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Interaction(InteractionId),
    Campaign(CampaignId),
}

/// The arguments an action takes.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Args {
    #[default]
    None,
    /// Reschedule time (centre time).
    At(SimTime),
    NewNumber {
        number: String,
        at: SimTime,
    },
    /// Dial-alternative: index of the record in the chain.
    Record(usize),
    CallResult(CallResult),
    Disposition(String),
    Edit {
        field: String,
        value: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub agent: AgentId,
    pub target: Target,
    pub action: Action,
    pub args: Args,
}

/// Why a command did nothing.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Denied(Box<Denial>),
    #[error("{action}: {message}")]
    Argument { action: Action, message: String },
    #[error("no interaction {0}")]
    NoSuchInteraction(InteractionId),
    #[error("interaction {0} belongs to another agent")]
    NotYours(InteractionId),
    #[error("no agent {0}")]
    NoSuchAgent(AgentId),
    #[error("no campaign {0}")]
    NoSuchCampaign(CampaignId),
    #[error("{0}")]
    Transition(#[from] TransitionError),
}

impl CommandError {
    pub fn denial(&self) -> Option<&Denial> {
        match self {
            CommandError::Denied(d) => Some(d),
            _ => None,
        }
    }
}

/// What a successful command did.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub message: String,
    /// An interaction the command opened (get-record, done-and-get-next).
    pub opened: Option<InteractionId>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    CallbackArrival,
    CallbackDue(usize),
    ChainDue(ChainId),
    PushTick,
    DialResolved(InteractionId, usize),
    CustomerHangsUp(InteractionId, usize),
    OfferExpires(InteractionId),
}

/// A line of the engine's transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub time: SimTime,
    pub text: String,
}

/// The simulated world.
pub struct Engine {
    /// The seed the world was built from; the same seed and commands give the same world.
    seed: u64,
    pub roles: RoleBook,
    pub scenario: Scenario,
    now: SimTime,
    rng: ChaCha8Rng,
    events: BTreeMap<(SimTime, u64), Event>,
    event_seq: u64,
    pub agents: Vec<AgentSession>,
    pub campaigns: Vec<Campaign>,
    pub chains: Vec<RecordChain>,
    interactions: Vec<Interaction>,
    /// Callbacks waiting in the service, by a stable id that `CallbackDue` events refer to.
    callbacks: BTreeMap<usize, WebCallback>,
    next_callback: usize,
    pub audit: AuditLog,
    log: Vec<LogLine>,
    log_read: usize,
    forced_outcome: Option<CallResult>,
    /// The real outcome of each call in progress, revealed when the dial resolves.
    pending_truth: BTreeMap<(InteractionId, usize), CallResult>,
    /// Counts changes, so views know when to redraw.
    revision: u64,
    /// Events handled since the start, for throughput measurements.
    events_handled: u64,
}

impl Engine {
    /// Builds the world of a scenario at its start time. All randomness flows from `seed`.
    pub fn new(roles: RoleBook, scenario: Scenario, seed: u64) -> Engine {
        let now = scenario.start_time;
        let mut engine = Engine {
            seed,
            roles,
            now,
            rng: ChaCha8Rng::seed_from_u64(seed),
            events: BTreeMap::new(),
            event_seq: 0,
            agents: Vec::new(),
            campaigns: Vec::new(),
            chains: Vec::new(),
            interactions: Vec::new(),
            callbacks: BTreeMap::new(),
            next_callback: 0,
            audit: AuditLog::default(),
            log: Vec::new(),
            log_read: 0,
            forced_outcome: None,
            pending_truth: BTreeMap::new(),
            revision: 0,
            events_handled: 0,
            scenario,
        };
        engine.build_campaigns();
        for _ in 0..engine.scenario.web_callbacks.initial {
            engine.new_callback(Some(CallbackType::Immediate));
        }
        engine.schedule_next_arrival();
        let first_push = now + Duration::seconds(10);
        engine.schedule(first_push, Event::PushTick);
        engine
    }

    fn build_campaigns(&mut self) {
        let specs = self.scenario.campaigns.clone();
        for (ci, spec) in specs.iter().enumerate() {
            let id = CampaignId(ci as u32 + 1);
            let mut campaign = Campaign {
                id,
                name: spec.name.clone(),
                mode: spec.mode,
                running: spec.running,
                queue: Default::default(),
                do_not_call: Default::default(),
            };
            let rows = self
                .scenario
                .contact_lists
                .get(ci)
                .cloned()
                .unwrap_or_default();
            for row in rows {
                let chain_id = ChainId(self.chains.len() as u32 + 1);
                let mut fields = vec![
                    ContactField {
                        name: "First Name".into(),
                        value: row.first_name.clone(),
                        editable: spec.editable_fields.iter().any(|f| f == "First Name"),
                    },
                    ContactField {
                        name: "Last Name".into(),
                        value: row.last_name.clone(),
                        editable: spec.editable_fields.iter().any(|f| f == "Last Name"),
                    },
                ];
                fields.extend(row.fields.iter().map(|(name, value)| ContactField {
                    name: name.clone(),
                    value: value.clone(),
                    editable: spec.editable_fields.iter().any(|f| f == name),
                }));
                let records = row
                    .phones
                    .iter()
                    .map(|(phone_type, phone)| PreviewRecord {
                        phone: phone.clone(),
                        phone_type: *phone_type,
                        time_zone: row.time_zone.clone(),
                        window: row.window,
                        attempts: 0,
                        call_result: CallResult::UnknownCallResult,
                        status: RecordStatus::Ready,
                    })
                    .collect();
                self.chains.push(RecordChain {
                    id: chain_id,
                    campaign: id,
                    contact_name: format!("{} {}", row.first_name, row.last_name),
                    fields,
                    records,
                    selected: 0,
                    place: ChainPlace::InCampaign,
                    rejected_by: BTreeSet::new(),
                    behaviour: spec.behaviour,
                });
                campaign.queue.push_back(chain_id);
            }
            self.campaigns.push(campaign);
        }
    }

    // ----- clock and events -------------------------------------------------------------

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Increases whenever anything visible changes.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// How many simulation events have run since the world was built.
    pub fn events_handled(&self) -> u64 {
        self.events_handled
    }

    /// The time of the next scheduled event.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.events.keys().next().map(|(t, _)| *t)
    }

    fn schedule(&mut self, at: SimTime, event: Event) {
        self.event_seq += 1;
        self.events.insert((at, self.event_seq), event);
    }

    /// Runs every event up to `until` and sets the clock there. Time never goes backwards: an
    /// earlier `until` does nothing.
    pub fn advance_to(&mut self, until: SimTime) {
        while let Some((&(at, seq), _)) = self.events.iter().next() {
            if at > until {
                break;
            }
            let Some(event) = self.events.remove(&(at, seq)) else {
                break;
            };
            if at > self.now {
                self.now = at;
            }
            self.handle(event);
        }
        if until > self.now {
            self.now = until;
            self.revision += 1;
        }
    }

    pub fn advance(&mut self, by: Duration) {
        self.advance_to(self.now + by);
    }

    /// Jumps to the next event and runs it (and any others at the same time).
    pub fn step(&mut self) -> Option<SimTime> {
        let next = self.next_event_time()?;
        self.advance_to(next.max(self.now));
        Some(self.now)
    }

    /// Makes the next dial's real outcome `result` instead of drawing it (for scripted tests).
    pub fn force_next_outcome(&mut self, result: CallResult) {
        self.forced_outcome = Some(result);
    }

    fn note(&mut self, text: String) {
        self.revision += 1;
        self.log.push(LogLine {
            time: self.now,
            text,
        });
    }

    /// Transcript lines not yet taken.
    pub fn take_log(&mut self) -> Vec<LogLine> {
        let lines = self.log[self.log_read..].to_vec();
        self.log_read = self.log.len();
        lines
    }

    /// The whole transcript so far.
    pub fn log(&self) -> &[LogLine] {
        &self.log
    }

    fn handle(&mut self, event: Event) {
        self.events_handled += 1;
        match event {
            Event::CallbackArrival => {
                self.new_callback(None);
                self.schedule_next_arrival();
                self.route();
            }
            Event::CallbackDue(i) => {
                if let Some(cb) = self.callbacks.get_mut(&i)
                    && cb.state == CallbackState::Scheduled
                {
                    cb.state = CallbackState::Queued;
                    let text = format!("web callback for {} is due", cb.customer);
                    self.note(text);
                }
                self.route();
            }
            Event::ChainDue(chain) => {
                let c = &mut self.chains[chain.0 as usize - 1];
                if matches!(c.place, ChainPlace::Scheduled(_)) {
                    c.place = ChainPlace::InCampaign;
                    let campaign = c.campaign;
                    let name = c.contact_name.clone();
                    self.campaigns[campaign.0 as usize - 1]
                        .queue
                        .push_front(chain);
                    self.note(format!(
                        "rescheduled record for {name} is back in its campaign"
                    ));
                }
            }
            Event::PushTick => {
                self.push_records();
                let next = self.now
                    + Duration::seconds(i64::from(self.scenario.push_interval_seconds.max(5)));
                self.schedule(next, Event::PushTick);
            }
            Event::DialResolved(id, call) => self.resolve_dial(id, call),
            Event::CustomerHangsUp(id, call) => {
                let Some(i) = self.index_of(id) else { return };
                let it = &self.interactions[i];
                if it.calls.len() != call + 1 {
                    return;
                }
                if let Some(stage) = call_event(it.stage, CallEvent::CustomerHungUp) {
                    let now = self.now;
                    let it = &mut self.interactions[i];
                    it.stage = stage;
                    if let Some(c) = it.calls.last_mut() {
                        c.ended_at = Some(now);
                    }
                    self.note(format!("{id}: the customer hung up"));
                }
            }
            Event::OfferExpires(id) => {
                let Some(i) = self.index_of(id) else { return };
                if self.interactions[i].stage == Stage::Offered {
                    self.note(format!("{id}: invitation timed out"));
                    self.return_to_pool(i, Completion::TimedOut, false);
                    self.route();
                }
            }
        }
    }

    fn schedule_next_arrival(&mut self) {
        let rate = self.scenario.web_callbacks.per_hour;
        if rate <= 0.0 {
            return;
        }
        // Exponential inter-arrival times give Poisson arrivals.
        let u: f64 = self.rng.random::<f64>().max(1e-12);
        let secs = (-u.ln() / rate * 3600.0).clamp(1.0, 24.0 * 3600.0);
        let at = self.now + Duration::seconds(secs as i64);
        self.schedule(at, Event::CallbackArrival);
    }

    fn add_pending(&mut self, callback: WebCallback) -> usize {
        let index = self.next_callback;
        self.next_callback += 1;
        self.callbacks.insert(index, callback);
        index
    }

    fn pick_customer(&mut self) -> (String, String) {
        let lists: Vec<_> = self
            .scenario
            .contact_lists
            .iter()
            .filter(|l| !l.is_empty())
            .collect();
        if lists.is_empty() {
            return ("Web customer".into(), "+1 202 555 0100".into());
        }
        let list = lists[self.rng.random_range(0..lists.len())];
        let row = &list[self.rng.random_range(0..list.len())];
        (
            format!("{} {}", row.first_name, row.last_name),
            row.phones[0].1.clone(),
        )
    }

    fn new_callback(&mut self, kind: Option<CallbackType>) -> usize {
        let mix = self.scenario.web_callbacks.mix.clone();
        let kind = kind.unwrap_or_else(|| {
            let weights = [
                mix.immediate,
                mix.delayed,
                mix.scheduled,
                mix.delayed_with_agent_preview,
            ];
            let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
            let mut draw = self.rng.random::<f64>() * total.max(f64::MIN_POSITIVE);
            let mut kind = CallbackType::Immediate;
            for (w, k) in weights.iter().zip(CallbackType::ALL) {
                if draw < w.max(0.0) {
                    kind = k;
                    break;
                }
                draw -= w.max(0.0);
            }
            kind
        });
        let delay_minutes = match kind {
            CallbackType::Immediate => 0,
            CallbackType::Delayed | CallbackType::DelayedWithAgentPreview => {
                self.rng.random_range(5..30)
            }
            CallbackType::Scheduled => self.rng.random_range(30..180),
        };
        let desired = self.now + Duration::minutes(delay_minutes);
        let (customer, number) = self.pick_customer();
        let reasons = &self.scenario.web_callbacks.reasons;
        let reason = if reasons.is_empty() {
            "Callback request".to_string()
        } else {
            reasons[self.rng.random_range(0..reasons.len())].clone()
        };
        let callback = WebCallback {
            kind,
            desired,
            expires: desired
                + Duration::minutes(i64::from(self.scenario.web_callbacks.expires_after_minutes)),
            customer: customer.clone(),
            number,
            reason,
            notes: String::new(),
            state: if delay_minutes == 0 {
                CallbackState::Queued
            } else {
                CallbackState::Scheduled
            },
            disposition: None,
            rejected_by: BTreeSet::new(),
            behaviour: self.scenario.web_callbacks.behaviour,
        };
        let index = self.add_pending(callback);
        if delay_minutes > 0 {
            self.schedule(desired, Event::CallbackDue(index));
        }
        self.note(format!(
            "new {} web callback request from {customer}, desired {}",
            kind.label().to_lowercase(),
            fmt_time(desired)
        ));
        index
    }

    // ----- agents -----------------------------------------------------------------------

    /// Logs an agent in with the given roles (indexes into the role book). Agents start Ready.
    pub fn login(&mut self, name: &str, roles: Vec<usize>) -> AgentId {
        let id = AgentId(self.agents.len() as u32 + 1);
        let granted = self.roles.grant_of(&roles);
        self.agents.push(AgentSession {
            id,
            name: name.to_string(),
            roles,
            granted,
            ready: true,
            open: BTreeSet::new(),
        });
        self.note(format!("{name} logged in"));
        self.route();
        id
    }

    pub fn agent(&self, id: AgentId) -> Option<&AgentSession> {
        self.agents.get((id.0 as usize).wrapping_sub(1))
    }

    fn agent_mut(&mut self, id: AgentId) -> Option<&mut AgentSession> {
        self.agents.get_mut((id.0 as usize).wrapping_sub(1))
    }

    /// Changes an agent's roles live; every later decision uses the new grant.
    pub fn set_roles(&mut self, id: AgentId, roles: Vec<usize>) {
        let granted = self.roles.grant_of(&roles);
        let names: Vec<String> = roles
            .iter()
            .filter_map(|&r| self.roles.roles.get(r))
            .map(|r| r.name.clone())
            .collect();
        if let Some(a) = self.agent_mut(id) {
            a.roles = roles;
            a.granted = granted;
            let name = a.name.clone();
            self.note(format!("{name} now has roles: {}", names.join(", ")));
        }
        // A new role may put the agent into a channel's group: offer waiting work at once.
        self.route();
    }

    /// Replaces the role book (after an edit) and recomputes every agent's grant. Sessions hold
    /// roles by index, so `session_roles` maps a session's agent name and its role indexes in
    /// the old book to those in the new one (`None`: keep them, dropping any out of range).
    pub fn replace_roles(
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
            self.agents[i].roles = roles;
        }
        self.revision += 1;
        self.route();
    }

    pub fn set_ready(&mut self, id: AgentId, ready: bool) {
        if let Some(a) = self.agent_mut(id) {
            a.ready = ready;
            let name = a.name.clone();
            self.note(format!(
                "{name} is {}",
                if ready { "Ready" } else { "Not Ready" }
            ));
        }
        self.route();
    }

    fn role_names(&self, agent: &AgentSession) -> Vec<String> {
        agent
            .roles
            .iter()
            .filter_map(|&r| self.roles.roles.get(r))
            .map(|r| r.name.clone())
            .collect()
    }

    // ----- queries ----------------------------------------------------------------------

    pub fn interaction(&self, id: InteractionId) -> Option<&Interaction> {
        self.index_of(id).map(|i| &self.interactions[i])
    }

    pub fn interactions(&self) -> &[Interaction] {
        &self.interactions
    }

    fn index_of(&self, id: InteractionId) -> Option<usize> {
        let i = (id.0 as usize).checked_sub(1)?;
        (i < self.interactions.len()).then_some(i)
    }

    pub fn chain(&self, id: ChainId) -> Option<&RecordChain> {
        self.chains.get((id.0 as usize).wrapping_sub(1))
    }

    pub fn campaign(&self, id: CampaignId) -> Option<&Campaign> {
        self.campaigns.get((id.0 as usize).wrapping_sub(1))
    }

    /// The chain an outbound interaction works on.
    pub fn chain_of(&self, it: &Interaction) -> Option<&RecordChain> {
        match &it.payload {
            Payload::Outbound { chain } => self.chain(*chain),
            Payload::WebCallback(_) => None,
        }
    }

    /// An agent's open interactions, oldest first.
    pub fn open_interactions(&self, agent: AgentId) -> Vec<&Interaction> {
        self.agent(agent)
            .map(|a| {
                a.open
                    .iter()
                    .filter_map(|id| self.interaction(*id))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Web callbacks waiting in the service (scheduled or queued), for overview panels.
    pub fn waiting_callbacks(&self) -> impl Iterator<Item = &WebCallback> {
        self.callbacks.values()
    }

    /// The facts the authorization of `action` on `target` depends on, given `args`.
    pub fn facts(&self, agent: AgentId, target: Target, action: Action, args: &Args) -> Facts {
        let mut facts = Facts::default();
        match target {
            Target::Campaign(cid) => {
                if let Some(c) = self.campaign(cid) {
                    facts.campaign_block = self.campaign_block(agent, c);
                }
            }
            Target::Interaction(id) => {
                let Some(it) = self.interaction(id) else {
                    return facts;
                };
                match action {
                    Action::Dial | Action::DialAlternative => {
                        facts.dial_block = match (action, args) {
                            (Action::DialAlternative, Args::Record(r)) => {
                                self.dial_block(it, Some(*r))
                            }
                            // No record chosen yet: blocked only when every alternative is.
                            (Action::DialAlternative, _) => self.chain_of(it).and_then(|c| {
                                let blocks: Vec<_> = (0..c.records.len())
                                    .filter(|&r| r != c.selected)
                                    .map(|r| self.dial_block(it, Some(r)))
                                    .collect();
                                if blocks.iter().all(Option::is_some) {
                                    blocks.into_iter().flatten().next()
                                } else {
                                    None
                                }
                            }),
                            _ => self.dial_block(it, self.chain_of(it).map(|c| c.selected)),
                        };
                    }
                    Action::EditRecordData => {
                        if let (Some(chain), Args::Edit { field, .. }) = (self.chain_of(it), args)
                            && let Some(f) = chain.fields.iter().find(|f| &f.name == field)
                            && !f.editable
                        {
                            facts.read_only_field = Some(f.name.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        facts
    }

    fn campaign_block(&self, agent: AgentId, c: &Campaign) -> Option<CampaignBlock> {
        if c.mode != CampaignMode::Preview || !c.running {
            return Some(CampaignBlock::NoRunningPreviewCampaign);
        }
        let has_open = self
            .open_interactions(agent)
            .iter()
            .any(|it| it.channel == Channel::Preview && it.is_open());
        if has_open {
            return Some(CampaignBlock::RecordAlreadyOpen);
        }
        let available = c.queue.iter().any(|id| {
            self.chain(*id)
                .is_some_and(|ch| !ch.rejected_by.contains(&agent))
        });
        if !available {
            return Some(CampaignBlock::NoRecordsLeft);
        }
        None
    }

    fn dial_block(&self, it: &Interaction, record: Option<usize>) -> Option<ComplianceReason> {
        let chain = self.chain_of(it)?;
        let record = chain.records.get(record?)?;
        let campaign = self.campaign(chain.campaign)?;
        if campaign.do_not_call.contains(&phone_key(&record.phone)) {
            return Some(ComplianceReason::DoNotCall {
                number: record.phone.clone(),
            });
        }
        let local = record.time_zone.local(self.now);
        if !record.window.contains(local.time()) {
            return Some(ComplianceReason::OutsideCallingWindow {
                number: record.phone.clone(),
                window: record.window.to_string(),
                local_time: format!("{} {}", local.format("%H:%M"), record.time_zone.name),
            });
        }
        None
    }

    /// The interaction's stage, or `Campaign` for a campaign target.
    fn stage_of(&self, target: Target) -> Option<(Channel, Stage)> {
        match target {
            Target::Campaign(c) => self
                .campaign(c)
                .map(|c| (c.mode.channel(), Stage::Campaign)),
            Target::Interaction(id) => self.interaction(id).map(|it| (it.channel, it.stage)),
        }
    }

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

    // ----- commands ---------------------------------------------------------------------

    /// Authorizes, audits and applies one command.
    pub fn execute(&mut self, cmd: Command) -> Result<Outcome, CommandError> {
        let agent = self
            .agent(cmd.agent)
            .cloned()
            .ok_or(CommandError::NoSuchAgent(cmd.agent))?;
        let (channel, stage, target_name) = match cmd.target {
            Target::Campaign(c) => {
                let campaign = self.campaign(c).ok_or(CommandError::NoSuchCampaign(c))?;
                (
                    campaign.mode.channel(),
                    Stage::Campaign,
                    campaign.name.clone(),
                )
            }
            Target::Interaction(id) => {
                let it = self
                    .interaction(id)
                    .ok_or(CommandError::NoSuchInteraction(id))?;
                if it.agent != cmd.agent {
                    return Err(CommandError::NotYours(id));
                }
                (it.channel, it.stage, id.to_string())
            }
        };
        let mut entry = AuditEntry {
            seq: 0,
            time: fmt_time(self.now),
            agent: agent.name.clone(),
            roles: self.role_names(&agent),
            channel: channel.to_string(),
            target: target_name,
            stage: stage.to_string(),
            action: cmd.action.to_string(),
            decision: String::new(),
            kind: None,
            missing: Vec::new(),
            detail: String::new(),
        };
        if let Err(denial) = self.check_with(cmd.agent, cmd.target, cmd.action, &cmd.args) {
            entry.decision = "denied".into();
            entry.kind = Some(denial.kind.as_str().into());
            entry.missing = denial
                .missing
                .names()
                .iter()
                .map(|s| s.to_string())
                .collect();
            entry.detail = denial.summary();
            self.audit.record(entry);
            self.revision += 1;
            return Err(CommandError::Denied(Box::new(denial)));
        }
        let result = self.apply(&cmd);
        match &result {
            Ok(outcome) => {
                entry.decision = "allowed".into();
                entry.detail = outcome.message.clone();
            }
            Err(e) => {
                entry.decision = "invalid".into();
                entry.detail = e.to_string();
            }
        }
        self.audit.record(entry);
        if let Ok(outcome) = &result {
            self.note(format!("{}: {}", agent.name, outcome.message));
        }
        let opened = match &result {
            Ok(o) => o.opened,
            Err(_) => None,
        };
        if cmd.action == Action::DoneAndGetNext && result.is_ok() && opened.is_none() {
            // The record is done; fetching the next one is its own, audited, attempt.
            if let Some(Payload::Outbound { chain }) = self.interaction_payload(cmd.target).cloned()
            {
                let campaign = self.chains[chain.0 as usize - 1].campaign;
                let next = self.execute(Command {
                    agent: cmd.agent,
                    target: Target::Campaign(campaign),
                    action: Action::GetRecord,
                    args: Args::None,
                });
                let mut outcome = result?;
                match next {
                    Ok(n) => {
                        outcome.opened = n.opened;
                        outcome.message = format!("{}; {}", outcome.message, n.message);
                    }
                    Err(e) => outcome.message = format!("{}; no next record: {e}", outcome.message),
                }
                self.route();
                return Ok(outcome);
            }
        }
        // Only a command that changed the world can free an agent for new work; an invalid
        // one must leave everything as it was, routing included.
        if result.is_ok() {
            self.route();
        }
        result
    }

    fn interaction_payload(&self, target: Target) -> Option<&Payload> {
        match target {
            Target::Interaction(id) => self.interaction(id).map(|it| &it.payload),
            Target::Campaign(_) => None,
        }
    }

    fn arg_error(action: Action, message: impl Into<String>) -> CommandError {
        CommandError::Argument {
            action,
            message: message.into(),
        }
    }

    fn apply(&mut self, cmd: &Command) -> Result<Outcome, CommandError> {
        let done = |message: String| {
            Ok(Outcome {
                message,
                opened: None,
            })
        };
        let id = match cmd.target {
            Target::Campaign(c) => return self.get_record(cmd.agent, c),
            Target::Interaction(id) => id,
        };
        let i = self
            .index_of(id)
            .ok_or(CommandError::NoSuchInteraction(id))?;
        let from = self.interactions[i].stage;
        let to = next_stage(from, cmd.action)?;
        let action = cmd.action;
        // Validate arguments before changing anything, so an invalid command changes nothing.
        match (action, &cmd.args) {
            (Action::Reschedule, Args::At(at)) => self.validate_reschedule(i, *at, action)?,
            (Action::Reschedule, _) => {
                return Err(Self::arg_error(action, "needs a date and time"));
            }
            (Action::RescheduleNewNumber, Args::NewNumber { number, at }) => {
                validate_phone(number).map_err(|m| Self::arg_error(action, m))?;
                self.validate_reschedule(i, *at, action)?;
            }
            (Action::RescheduleNewNumber, _) => {
                return Err(Self::arg_error(
                    action,
                    "needs a new number and a date and time",
                ));
            }
            (Action::SetCallResult, Args::CallResult(_)) => {}
            (Action::SetCallResult, _) => {
                return Err(Self::arg_error(action, "needs a call result"));
            }
            (Action::SetDisposition, Args::Disposition(d)) => {
                self.resolve_disposition(d)
                    .map_err(|m| Self::arg_error(action, m))?;
            }
            (Action::SetDisposition, _) => {
                return Err(Self::arg_error(action, "needs a disposition"));
            }
            (Action::EditRecordData, Args::Edit { field, .. }) => {
                let chain = self.chain_of(&self.interactions[i]);
                let names: Vec<&str> = chain
                    .map(|c| c.fields.iter().map(|f| f.name.as_str()).collect())
                    .unwrap_or_default();
                if !names.contains(&field.as_str()) {
                    let s = suggest(field, names.iter().copied());
                    return Err(Self::arg_error(
                        action,
                        format!("no field \"{field}\"{}", did_you_mean(&s)),
                    ));
                }
            }
            (Action::EditRecordData, _) => {
                return Err(Self::arg_error(action, "needs a field and a value"));
            }
            (Action::DialAlternative, args) => {
                let chain = self
                    .chain_of(&self.interactions[i])
                    .ok_or_else(|| Self::arg_error(action, "no record chain"))?;
                match args {
                    Args::Record(r) if *r < chain.records.len() && *r != chain.selected => {}
                    Args::Record(r) if *r == chain.selected => {
                        return Err(Self::arg_error(
                            action,
                            "that is the number the system selected; use dial",
                        ));
                    }
                    Args::Record(r) => {
                        return Err(Self::arg_error(
                            action,
                            format!(
                                "the chain has {} records; record {} does not exist",
                                chain.records.len(),
                                r + 1
                            ),
                        ));
                    }
                    _ => return Err(Self::arg_error(action, "needs the record to dial")),
                }
            }
            _ => {}
        }

        let now = self.now;
        let message = match action {
            Action::Accept => {
                let it = &mut self.interactions[i];
                it.stage = to;
                it.offer_expires = None;
                if let Payload::WebCallback(cb) = &mut it.payload {
                    cb.state = CallbackState::Processing;
                }
                format!("accepted {id}")
            }
            Action::Decline => {
                self.return_to_pool(i, Completion::Declined, true);
                format!("declined {id}")
            }
            Action::Dial | Action::DialAlternative => {
                // Only dial-alternative picks a record (checked above); a plain dial always
                // calls the selected number, the one its compliance facts were checked for.
                let record = match (action, &cmd.args) {
                    (Action::DialAlternative, Args::Record(r)) => Some(*r),
                    _ => self.chain_of(&self.interactions[i]).map(|c| c.selected),
                };
                self.start_call(i, record)
            }
            Action::HangUp => {
                let it = &mut self.interactions[i];
                it.stage = to;
                if let Some(c) = it.calls.last_mut() {
                    c.ended_at = Some(now);
                    if c.truth.is_none() {
                        // Hung up while it was still ringing.
                        c.truth = Some(CallResult::NoAnswer);
                    }
                }
                format!("hung up {id}")
            }
            Action::Reject => {
                self.return_to_pool(i, Completion::Rejected, true);
                format!("rejected {id}; it goes back for another agent")
            }
            Action::Cancel => {
                self.close(i, Completion::Cancelled);
                match &self.interactions[i].payload {
                    Payload::Outbound { chain } => {
                        let chain = *chain;
                        let c = &mut self.chains[chain.0 as usize - 1];
                        c.place = ChainPlace::Closed(Completion::Cancelled);
                        let sel = c.selected;
                        c.records[sel].status = RecordStatus::Cancelled;
                    }
                    Payload::WebCallback(_) => {}
                }
                format!("cancelled {id}; it will not be processed")
            }
            Action::Reschedule | Action::RescheduleNewNumber => {
                let (at, number) = match &cmd.args {
                    Args::At(at) => (*at, None),
                    Args::NewNumber { number, at } => (*at, validate_phone(number).ok()),
                    _ => return Err(Self::arg_error(action, "needs a date and time")),
                };
                self.reschedule(i, at, number)
            }
            Action::MarkDoNotCall => {
                let it = &self.interactions[i];
                let record = it
                    .current_call()
                    .and_then(|c| c.record)
                    .or_else(|| self.chain_of(it).map(|c| c.selected));
                let Payload::Outbound { chain } = it.payload else {
                    return Err(Self::arg_error(
                        action,
                        "only outbound records have numbers to block",
                    ));
                };
                let c = &mut self.chains[chain.0 as usize - 1];
                let r = record.unwrap_or(c.selected);
                c.records[r].status = RecordStatus::DoNotCall;
                let number = c.records[r].phone.clone();
                let campaign = c.campaign;
                self.campaigns[campaign.0 as usize - 1]
                    .do_not_call
                    .insert(phone_key(&number));
                format!("{number} is on the Do Not Call list")
            }
            Action::SetCallResult => {
                let Args::CallResult(result) = cmd.args else {
                    return Err(Self::arg_error(action, "needs a call result"));
                };
                let it = &self.interactions[i];
                let record = it.current_call().and_then(|c| c.record);
                if let Payload::Outbound { chain } = it.payload {
                    let c = &mut self.chains[chain.0 as usize - 1];
                    let r = record.unwrap_or(c.selected);
                    c.records[r].call_result = result;
                }
                format!("call result of {id} set to {result}")
            }
            Action::SetDisposition => {
                let Args::Disposition(d) = &cmd.args else {
                    return Err(Self::arg_error(action, "needs a disposition"));
                };
                let d = self
                    .resolve_disposition(d)
                    .map_err(|m| Self::arg_error(action, m))?;
                if let Payload::WebCallback(cb) = &mut self.interactions[i].payload {
                    cb.disposition = Some(d.clone());
                }
                format!("disposition of {id} set to \"{d}\"")
            }
            Action::EditRecordData => {
                let Args::Edit { field, value } = &cmd.args else {
                    return Err(Self::arg_error(action, "needs a field and a value"));
                };
                if let Payload::Outbound { chain } = self.interactions[i].payload {
                    let c = &mut self.chains[chain.0 as usize - 1];
                    if let Some(f) = c.fields.iter_mut().find(|f| &f.name == field) {
                        f.value = value.clone();
                    }
                }
                format!("{field} of {id} set to \"{value}\"")
            }
            Action::MarkDone | Action::DoneAndGetNext => {
                self.close(i, Completion::Done);
                match &mut self.interactions[i].payload {
                    Payload::Outbound { chain } => {
                        let chain = *chain;
                        let c = &mut self.chains[chain.0 as usize - 1];
                        c.place = ChainPlace::Closed(Completion::Done);
                        for r in &mut c.records {
                            if r.status == RecordStatus::Retrieved {
                                r.status = RecordStatus::Updated;
                            }
                        }
                    }
                    Payload::WebCallback(cb) => {
                        cb.state = CallbackState::Completed(Completion::Done);
                    }
                }
                format!("{id} is done")
            }
            Action::GetRecord => {
                return Err(Self::arg_error(
                    action,
                    "targets a campaign, not an interaction",
                ));
            }
        };
        self.revision += 1;
        done(message)
    }

    fn resolve_disposition(&self, given: &str) -> Result<String, String> {
        let list = &self.scenario.dispositions;
        list.iter()
            .find(|d| d.eq_ignore_ascii_case(given.trim()))
            .cloned()
            .ok_or_else(|| {
                let s = suggest(given, list.iter().map(String::as_str));
                format!(
                    "unknown disposition \"{given}\"{}; this scenario has: {}",
                    did_you_mean(&s),
                    list.join(", ")
                )
            })
    }

    /// Whether `at` is a valid reschedule time for the interaction (in the future, inside the
    /// contact's calling window). The reschedule dialog shows this before the agent confirms.
    pub fn reschedule_time_problem(&self, id: InteractionId, at: SimTime) -> Option<String> {
        let i = self.index_of(id)?;
        self.validate_reschedule(i, at, Action::Reschedule)
            .err()
            .map(|e| match e {
                CommandError::Argument { message, .. } => message,
                other => other.to_string(),
            })
    }

    fn validate_reschedule(
        &self,
        i: usize,
        at: SimTime,
        action: Action,
    ) -> Result<(), CommandError> {
        if at <= self.now {
            return Err(Self::arg_error(
                action,
                format!(
                    "{} is not in the future (it is now {})",
                    fmt_time(at),
                    fmt_time(self.now)
                ),
            ));
        }
        if let Some(chain) = self.chain_of(&self.interactions[i]) {
            let record = &chain.records[chain.selected];
            let local = record.time_zone.local(at);
            if !record.window.contains(local.time()) {
                return Err(Self::arg_error(
                    action,
                    format!(
                        "{} is {} {} for the contact, outside the calling window {}",
                        fmt_time(at),
                        local.format("%H:%M"),
                        record.time_zone.name,
                        record.window
                    ),
                ));
            }
        }
        Ok(())
    }

    fn reschedule(&mut self, i: usize, at: SimTime, number: Option<String>) -> String {
        let id = self.interactions[i].id;
        if let Some(c) = self.interactions[i].calls.last_mut()
            && c.ended_at.is_none()
        {
            c.ended_at = Some(self.now);
        }
        self.close(i, Completion::Rescheduled);
        let payload = self.interactions[i].payload.clone();
        match payload {
            Payload::Outbound { chain } => {
                let c = &mut self.chains[chain.0 as usize - 1];
                if let Some(number) = &number {
                    let template = c.records[c.selected].clone();
                    c.records.push(PreviewRecord {
                        phone: number.clone(),
                        phone_type: PhoneType::Other,
                        attempts: 0,
                        call_result: CallResult::UnknownCallResult,
                        status: RecordStatus::Ready,
                        ..template
                    });
                    c.selected = c.records.len() - 1;
                }
                let sel = c.selected;
                c.records[sel].status = RecordStatus::Rescheduled;
                c.place = ChainPlace::Scheduled(at);
                self.schedule(at, Event::ChainDue(chain));
            }
            Payload::WebCallback(cb) => {
                let mut cb = *cb;
                cb.desired = at;
                cb.expires = at
                    + Duration::minutes(i64::from(
                        self.scenario.web_callbacks.expires_after_minutes,
                    ));
                cb.state = CallbackState::Scheduled;
                if let Some(n) = &number {
                    cb.number = n.clone();
                }
                let index = self.add_pending(cb);
                self.schedule(at, Event::CallbackDue(index));
                if let Payload::WebCallback(kept) = &mut self.interactions[i].payload {
                    kept.state = CallbackState::Completed(Completion::Rescheduled);
                }
            }
        }
        match number {
            Some(n) => format!("rescheduled {id} for {} on new number {n}", fmt_time(at)),
            None => format!("rescheduled {id} for {}", fmt_time(at)),
        }
    }

    fn start_call(&mut self, i: usize, record: Option<usize>) -> String {
        let now = self.now;
        let id = self.interactions[i].id;
        let (number, behaviour) = match &self.interactions[i].payload {
            Payload::WebCallback(cb) => (cb.number.clone(), cb.behaviour),
            Payload::Outbound { chain } => {
                let c = &mut self.chains[chain.0 as usize - 1];
                let r = record.unwrap_or(c.selected);
                c.records[r].attempts += 1;
                (c.records[r].phone.clone(), c.behaviour)
            }
        };
        let truth = match self.forced_outcome.take() {
            Some(r) => r,
            None => behaviour.outcome(self.rng.random::<f64>()),
        };
        let ring = self.rng.random_range(4..15);
        let it = &mut self.interactions[i];
        it.stage = Stage::Dialing;
        it.calls.push(Call {
            number: number.clone(),
            record,
            started: now,
            truth: None,
            connected_at: None,
            ended_at: None,
        });
        let call = it.calls.len() - 1;
        self.pending_truth.insert((id, call), truth);
        self.schedule(now + Duration::seconds(ring), Event::DialResolved(id, call));
        format!("dialing {number} for {id}")
    }

    fn resolve_dial(&mut self, id: InteractionId, call: usize) {
        let Some(i) = self.index_of(id) else { return };
        let Some(truth) = self.pending_truth.remove(&(id, call)) else {
            return;
        };
        let it = &self.interactions[i];
        if it.calls.len() != call + 1 || it.stage != Stage::Dialing {
            return;
        }
        let now = self.now;
        let event = if truth == CallResult::Answer {
            CallEvent::Answered
        } else {
            CallEvent::Failed
        };
        let Some(stage) = call_event(Stage::Dialing, event) else {
            return;
        };
        let talk = self.rng.random_range(45..240);
        let it = &mut self.interactions[i];
        it.stage = stage;
        if let Some(c) = it.calls.last_mut() {
            c.truth = Some(truth);
            if truth == CallResult::Answer {
                c.connected_at = Some(now);
            } else {
                c.ended_at = Some(now);
            }
        }
        if truth == CallResult::Answer {
            self.schedule(
                now + Duration::seconds(talk),
                Event::CustomerHangsUp(id, call),
            );
            self.note(format!("{id}: the customer answered"));
        } else {
            self.note(format!("{id}: the call ended: {}", truth.label()));
        }
    }

    fn close(&mut self, i: usize, how: Completion) {
        let now = self.now;
        let it = &mut self.interactions[i];
        it.stage = Stage::Closed;
        it.completion = Some(how);
        it.closed_at = Some(now);
        it.offer_expires = None;
        let (agent, id) = (it.agent, it.id);
        if let Some(a) = self.agent_mut(agent) {
            a.open.remove(&id);
        }
    }

    /// Closes an interaction and gives its work back (reject, decline, time-out).
    fn return_to_pool(&mut self, i: usize, how: Completion, by_agent: bool) {
        self.close(i, how);
        let agent = self.interactions[i].agent;
        match &mut self.interactions[i].payload {
            Payload::Outbound { chain } => {
                let chain = *chain;
                let c = &mut self.chains[chain.0 as usize - 1];
                if by_agent {
                    c.rejected_by.insert(agent);
                }
                c.place = ChainPlace::InCampaign;
                let sel = c.selected;
                c.records[sel].status = RecordStatus::Ready;
                let campaign = c.campaign;
                self.campaigns[campaign.0 as usize - 1]
                    .queue
                    .push_back(chain);
            }
            Payload::WebCallback(cb) => {
                let mut back = (**cb).clone();
                cb.state = CallbackState::Completed(how);
                if by_agent {
                    back.rejected_by.insert(agent);
                }
                back.state = CallbackState::Queued;
                self.add_pending(back);
            }
        }
    }

    fn open_interaction(
        &mut self,
        agent: AgentId,
        channel: Channel,
        stage: Stage,
        payload: Payload,
    ) -> InteractionId {
        let id = InteractionId(self.interactions.len() as u32 + 1);
        let offer_expires = (stage == Stage::Offered).then(|| {
            self.now + Duration::seconds(i64::from(self.scenario.invitation_timeout_seconds.max(1)))
        });
        if let Some(at) = offer_expires {
            self.schedule(at, Event::OfferExpires(id));
        }
        self.interactions.push(Interaction {
            id,
            channel,
            stage,
            agent,
            payload,
            opened_at: self.now,
            offer_expires,
            calls: Vec::new(),
            completion: None,
            closed_at: None,
        });
        if let Some(a) = self.agent_mut(agent) {
            a.open.insert(id);
        }
        self.revision += 1;
        id
    }

    /// Opens an interaction for `agent` on a chain taken out of its campaign's queue, and
    /// records that the chain is now with that interaction.
    fn hand_over_chain(
        &mut self,
        agent: AgentId,
        chain: ChainId,
        channel: Channel,
        stage: Stage,
    ) -> InteractionId {
        let id = self.open_interaction(agent, channel, stage, Payload::Outbound { chain });
        let ch = &mut self.chains[chain.0 as usize - 1];
        ch.place = ChainPlace::WithAgent(id);
        let sel = ch.selected;
        ch.records[sel].status = RecordStatus::Retrieved;
        id
    }

    fn get_record(
        &mut self,
        agent: AgentId,
        campaign: CampaignId,
    ) -> Result<Outcome, CommandError> {
        let c = &mut self.campaigns[campaign.0 as usize - 1];
        let pos = c
            .queue
            .iter()
            .position(|id| !self.chains[id.0 as usize - 1].rejected_by.contains(&agent));
        let Some(chain) = pos.and_then(|p| c.queue.remove(p)) else {
            return Err(Self::arg_error(
                Action::GetRecord,
                "no record left for this agent",
            ));
        };
        let name = c.name.clone();
        let id = self.hand_over_chain(agent, chain, Channel::Preview, Stage::Preview);
        Ok(Outcome {
            message: format!(
                "got record {id} ({}) from {name}",
                self.chains[chain.0 as usize - 1].contact_name
            ),
            opened: Some(id),
        })
    }

    // ----- routing ----------------------------------------------------------------------

    /// Whether the agent is in a channel's agent group: its roles grant any privilege of that
    /// section (routing only; what the agent may do is still decided by `authorize`).
    fn in_group(&self, agent: &AgentSession, channel: Channel) -> bool {
        match channel {
            Channel::WebCallback => Privilege::ALL
                .iter()
                .take(9)
                .any(|p| agent.granted.contains(*p)),
            Channel::PushPreview => {
                agent.granted.contains(Privilege::ObPushPreview)
                    || agent.granted.contains(Privilege::ObPushDecline)
            }
            Channel::Preview => agent.granted.contains(Privilege::ObUse),
        }
    }

    /// An agent that can take an invitation on `channel` now, skipping `exclude`.
    fn free_agent(&self, channel: Channel, exclude: &BTreeSet<AgentId>) -> Option<AgentId> {
        self.agents
            .iter()
            .filter(|a| a.ready && !exclude.contains(&a.id) && self.in_group(a, channel))
            .filter(|a| a.open.len() < MAX_OPEN_PER_AGENT)
            .filter(|a| {
                !a.open
                    .iter()
                    .filter_map(|id| self.interaction(*id))
                    .any(|it| it.stage == Stage::Offered)
            })
            .min_by_key(|a| (a.open.len(), a.id))
            .map(|a| a.id)
    }

    /// Offers due web callbacks to free agents; expires the stale ones.
    fn route(&mut self) {
        let now = self.now;
        let keys: Vec<usize> = self.callbacks.keys().copied().collect();
        for index in keys {
            let cb = &self.callbacks[&index];
            if cb.expires <= now {
                let text = format!("web callback for {} expired unanswered", cb.customer);
                self.callbacks.remove(&index);
                self.note(text);
                continue;
            }
            if cb.state != CallbackState::Queued || cb.desired > now {
                continue;
            }
            let Some(agent) = self.free_agent(Channel::WebCallback, &cb.rejected_by) else {
                continue;
            };
            let Some(mut callback) = self.callbacks.remove(&index) else {
                continue;
            };
            callback.state = CallbackState::Routing;
            let customer = callback.customer.clone();
            let id = self.open_interaction(
                agent,
                Channel::WebCallback,
                Stage::Offered,
                Payload::WebCallback(Box::new(callback)),
            );
            let name = self
                .agent(agent)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            self.note(format!(
                "{id}: web callback for {customer} offered to {name}"
            ));
        }
    }

    /// Push-preview campaigns offer their next record to a free agent.
    fn push_records(&mut self) {
        for ci in 0..self.campaigns.len() {
            let c = &self.campaigns[ci];
            if c.mode != CampaignMode::PushPreview || !c.running {
                continue;
            }
            let Some(pos) = c.queue.iter().position(|id| {
                let chain = &self.chains[id.0 as usize - 1];
                self.free_agent(Channel::PushPreview, &chain.rejected_by)
                    .is_some()
            }) else {
                continue;
            };
            let Some(chain) = self.campaigns[ci].queue.remove(pos) else {
                continue;
            };
            let rejected = self.chains[chain.0 as usize - 1].rejected_by.clone();
            let Some(agent) = self.free_agent(Channel::PushPreview, &rejected) else {
                self.campaigns[ci].queue.insert(pos, chain);
                continue;
            };
            let id = self.hand_over_chain(agent, chain, Channel::PushPreview, Stage::Offered);
            let contact = self.chains[chain.0 as usize - 1].contact_name.clone();
            let text = format!(
                "{id}: {} pushed a record for {contact} to {}",
                self.campaigns[ci].name,
                self.agent(agent)
                    .map(|a| a.name.clone())
                    .unwrap_or_default()
            );
            self.note(text);
        }
    }

    /// Opens a web callback invitation for `agent` right now (scripts and practice use it to
    /// get a known piece of work without waiting for traffic).
    pub fn offer_callback(&mut self, agent: AgentId) -> InteractionId {
        let index = self.new_callback(Some(CallbackType::Immediate));
        let mut callback = match self.callbacks.remove(&index) {
            Some(cb) => cb,
            None => return InteractionId(0),
        };
        callback.state = CallbackState::Routing;
        let id = self.open_interaction(
            agent,
            Channel::WebCallback,
            Stage::Offered,
            Payload::WebCallback(Box::new(callback)),
        );
        self.note(format!("{id}: web callback offered"));
        id
    }

    /// Pushes the next record of a push-preview campaign to `agent` right now.
    pub fn offer_push(&mut self, agent: AgentId, campaign: CampaignId) -> Option<InteractionId> {
        let c = self
            .campaigns
            .get_mut((campaign.0 as usize).wrapping_sub(1))?;
        if c.mode != CampaignMode::PushPreview {
            return None;
        }
        let chain = c.queue.pop_front()?;
        let id = self.hand_over_chain(agent, chain, Channel::PushPreview, Stage::Offered);
        let name = self.chains[chain.0 as usize - 1].contact_name.clone();
        self.note(format!("{id}: pushed record for {name}"));
        Some(id)
    }

    /// Checks the world's bookkeeping: every chain is in exactly one place, and that place
    /// agrees with the campaign queues and the interactions.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut queued: BTreeMap<ChainId, usize> = BTreeMap::new();
        for c in &self.campaigns {
            for id in &c.queue {
                *queued.entry(*id).or_default() += 1;
            }
        }
        for chain in &self.chains {
            let in_queue = queued.get(&chain.id).copied().unwrap_or(0);
            match chain.place {
                ChainPlace::InCampaign if in_queue == 1 => {}
                ChainPlace::InCampaign => {
                    return Err(format!("{} is in its campaign {in_queue} times", chain.id));
                }
                _ if in_queue > 0 => {
                    return Err(format!("{} is queued while {:?}", chain.id, chain.place));
                }
                ChainPlace::WithAgent(id) => {
                    let it = self
                        .interaction(id)
                        .ok_or_else(|| format!("{} is with missing {id}", chain.id))?;
                    if !it.is_open() || it.payload != (Payload::Outbound { chain: chain.id }) {
                        return Err(format!("{} is with {id}, which does not hold it", chain.id));
                    }
                }
                ChainPlace::Scheduled(_) | ChainPlace::Closed(_) => {}
            }
        }
        for it in &self.interactions {
            if let (true, Payload::Outbound { chain }) = (it.is_open(), &it.payload)
                && self.chain(*chain).map(|c| c.place) != Some(ChainPlace::WithAgent(it.id))
            {
                return Err(format!("{} is open but its chain is elsewhere", it.id));
            }
            let listed = self
                .agent(it.agent)
                .is_some_and(|a| a.open.contains(&it.id));
            if listed != it.is_open() {
                return Err(format!(
                    "{} open={} but agent list says {listed}",
                    it.id,
                    it.is_open()
                ));
            }
        }
        Ok(())
    }
}

/// Parses a reschedule time written as `YYYY-MM-DD HH:MM` or `YYYY-MM-DDTHH:MM[:SS]`.
pub fn parse_time(text: &str) -> Result<SimTime, String> {
    let t = text.trim();
    for fmt in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        // Recorded scripts carry milliseconds, so a replay runs at the exact recorded moment.
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(v) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(v);
        }
    }
    Err(format!(
        "invalid date and time \"{t}\"; expected YYYY-MM-DD HH:MM"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(seed: u64) -> Engine {
        Engine::new(
            RoleBook::embedded_default(),
            Scenario::embedded_default(),
            seed,
        )
    }

    fn login(e: &mut Engine, role: &str) -> AgentId {
        let r = e.roles.find_role(role).unwrap();
        e.login(role, vec![r])
    }

    fn act(
        e: &mut Engine,
        agent: AgentId,
        target: Target,
        action: Action,
        args: Args,
    ) -> Result<Outcome, CommandError> {
        e.execute(Command {
            agent,
            target,
            action,
            args,
        })
    }

    fn get_record(e: &mut Engine, agent: AgentId, campaign: CampaignId) -> InteractionId {
        act(
            e,
            agent,
            Target::Campaign(campaign),
            Action::GetRecord,
            Args::None,
        )
        .unwrap()
        .opened
        .unwrap()
    }

    fn renewals(e: &Engine) -> CampaignId {
        e.campaigns
            .iter()
            .find(|c| c.name == "Winter Renewals")
            .unwrap()
            .id
    }

    /// Moves the clock to a time when every default contact's window is open.
    fn midday(e: &mut Engine) {
        let t = e.now().date().and_hms_opt(13, 0, 0).unwrap();
        e.advance_to(t);
    }

    #[test]
    fn preview_workflow_get_dial_result_done() {
        let mut e = engine(7);
        let a = login(&mut e, "Supervisor");
        midday(&mut e);
        let c = renewals(&e);
        let queued = e.campaign(c).unwrap().queue.len();
        let id = get_record(&mut e, a, c);
        assert_eq!(e.campaign(c).unwrap().queue.len(), queued - 1);
        assert_eq!(e.interaction(id).unwrap().stage, Stage::Preview);
        e.force_next_outcome(CallResult::Busy);
        act(&mut e, a, Target::Interaction(id), Action::Dial, Args::None).unwrap();
        assert_eq!(e.interaction(id).unwrap().stage, Stage::Dialing);
        e.advance(Duration::seconds(30));
        assert_eq!(e.interaction(id).unwrap().stage, Stage::AfterCall);
        assert_eq!(
            e.interaction(id).unwrap().calls[0].truth,
            Some(CallResult::Busy)
        );
        act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::SetCallResult,
            Args::CallResult(CallResult::Busy),
        )
        .unwrap();
        let next = act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::DoneAndGetNext,
            Args::None,
        )
        .unwrap();
        assert_eq!(e.interaction(id).unwrap().stage, Stage::Closed);
        assert!(next.opened.is_some());
        e.check_invariants().unwrap();
    }

    #[test]
    fn denied_command_changes_nothing_but_the_audit_log() {
        let mut e = engine(7);
        let a = login(&mut e, "Outbound Preview Agent");
        midday(&mut e);
        let c = renewals(&e);
        let id = get_record(&mut e, a, c);
        let before = (
            e.interactions().to_vec(),
            e.chains.clone(),
            e.campaigns.clone(),
        );
        let at = e.now() + Duration::hours(1);
        let err = act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::Reschedule,
            Args::At(at),
        )
        .unwrap_err();
        let d = err.denial().unwrap();
        assert_eq!(
            d.missing.names(),
            vec!["Outbound - Can Reschedule Before Call"]
        );
        assert_eq!(
            before,
            (
                e.interactions().to_vec(),
                e.chains.clone(),
                e.campaigns.clone()
            )
        );
        let last = e.audit.entries().last().unwrap();
        assert_eq!(last.decision, "denied");
        assert_eq!(last.missing, vec!["Outbound - Can Reschedule Before Call"]);
        // Cancel is not granted to this role either.
        assert!(
            act(
                &mut e,
                a,
                Target::Interaction(id),
                Action::Cancel,
                Args::None
            )
            .is_err()
        );
        // After the call, the same role may reschedule (vendor fact).
        e.force_next_outcome(CallResult::NoAnswer);
        act(&mut e, a, Target::Interaction(id), Action::Dial, Args::None).unwrap();
        e.advance(Duration::seconds(30));
        act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::Reschedule,
            Args::At(at),
        )
        .unwrap();
        let chain = e.chain_of(e.interaction(id).unwrap()).unwrap();
        assert_eq!(chain.place, ChainPlace::Scheduled(at));
        e.advance_to(at);
        assert!(e.campaign(c).unwrap().queue.contains(&chain_id(&e, id)));
        e.check_invariants().unwrap();
    }

    fn chain_id(e: &Engine, id: InteractionId) -> ChainId {
        e.chain_of(e.interaction(id).unwrap()).unwrap().id
    }

    #[test]
    fn do_not_call_blocks_later_dials_of_that_number() {
        let mut e = engine(3);
        let a = login(&mut e, "Supervisor");
        midday(&mut e);
        let c = renewals(&e);
        let id = get_record(&mut e, a, c);
        act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::MarkDoNotCall,
            Args::None,
        )
        .unwrap();
        let err = act(&mut e, a, Target::Interaction(id), Action::Dial, Args::None).unwrap_err();
        assert_eq!(err.denial().unwrap().kind.as_str(), "compliance");
        assert!(e.interaction(id).unwrap().calls.is_empty());
    }

    #[test]
    fn arguments_are_checked_and_errors_change_nothing() {
        let mut e = engine(5);
        let a = login(&mut e, "Supervisor");
        midday(&mut e);
        let c = renewals(&e);
        let id = get_record(&mut e, a, c);
        let past = e.now() - Duration::hours(1);
        let err = act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::Reschedule,
            Args::At(past),
        )
        .unwrap_err();
        assert!(err.to_string().contains("not in the future"), "{err}");
        let at = e.now() + Duration::hours(1);
        let err = act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::RescheduleNewNumber,
            Args::NewNumber {
                number: "12ab".into(),
                at,
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("'a'"), "{err}");
        let err = act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::EditRecordData,
            Args::Edit {
                field: "Emial".into(),
                value: "x".into(),
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("did you mean \"Email\""), "{err}");
        let err = act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::EditRecordData,
            Args::Edit {
                field: "Account".into(),
                value: "x".into(),
            },
        )
        .unwrap_err();
        assert_eq!(err.denial().unwrap().kind.as_str(), "field");
        assert_eq!(e.interaction(id).unwrap().stage, Stage::Preview);
        assert_eq!(
            e.audit
                .entries()
                .iter()
                .filter(|x| x.decision == "invalid")
                .count(),
            3
        );
        // Rescheduling on a new number appends a record to the chain.
        let n = e
            .chain_of(e.interaction(id).unwrap())
            .unwrap()
            .records
            .len();
        act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::RescheduleNewNumber,
            Args::NewNumber {
                number: "+1 212 555 0199".into(),
                at,
            },
        )
        .unwrap();
        let chain = e.chain_of(e.interaction(id).unwrap()).unwrap();
        assert_eq!(chain.records.len(), n + 1);
        assert_eq!(chain.selected, n);
    }

    #[test]
    fn reject_returns_the_record_for_another_agent_and_cancel_removes_it() {
        let mut e = engine(9);
        let a = login(&mut e, "Supervisor");
        midday(&mut e);
        let c = renewals(&e);
        let id = get_record(&mut e, a, c);
        let chain = chain_id(&e, id);
        act(
            &mut e,
            a,
            Target::Interaction(id),
            Action::Reject,
            Args::None,
        )
        .unwrap();
        assert!(e.campaign(c).unwrap().queue.contains(&chain));
        let id2 = get_record(&mut e, a, c);
        assert_ne!(
            chain_id(&e, id2),
            chain,
            "the rejecting agent does not get it back"
        );
        act(
            &mut e,
            a,
            Target::Interaction(id2),
            Action::Cancel,
            Args::None,
        )
        .unwrap();
        let c2 = chain_id(&e, id2);
        assert!(!e.campaign(c).unwrap().queue.contains(&c2));
        assert_eq!(
            e.chain(c2).unwrap().place,
            ChainPlace::Closed(Completion::Cancelled)
        );
        e.check_invariants().unwrap();
    }

    #[test]
    fn web_callbacks_arrive_and_are_offered_and_time_out() {
        let mut e = engine(11);
        let a = login(&mut e, "Web Callback Agent");
        let offered: Vec<_> = e.open_interactions(a).iter().map(|it| it.id).collect();
        assert_eq!(offered.len(), 1, "one invitation at a time");
        let id = offered[0];
        assert_eq!(e.interaction(id).unwrap().stage, Stage::Offered);
        e.advance(Duration::seconds(31));
        assert_eq!(
            e.interaction(id).unwrap().completion,
            Some(Completion::TimedOut)
        );
        // The next invitation follows.
        assert!(
            e.open_interactions(a)
                .iter()
                .any(|it| it.stage == Stage::Offered)
        );
    }

    #[test]
    fn replacing_roles_reindexes_every_session() {
        let mut e = engine(1);
        let dana = login(&mut e, "Outbound Preview Agent");
        let wes = login(&mut e, "Web Callback Agent");
        let (dana_grant, wes_grant) = (
            e.agent(dana).unwrap().granted,
            e.agent(wes).unwrap().granted,
        );
        // Delete the first role (the supervisor): every later index moves down by one.
        let mut book = e.roles.clone();
        book.roles.remove(0);
        let remap: Vec<Option<usize>> =
            (0..e.roles.roles.len()).map(|i| i.checked_sub(1)).collect();
        e.replace_roles(book, |_, roles| {
            Some(roles.iter().filter_map(|&r| remap[r]).collect())
        });
        assert_eq!(e.agent(dana).unwrap().granted, dana_grant);
        assert_eq!(e.agent(wes).unwrap().granted, wes_grant);
        let names: Vec<_> = e
            .agent(wes)
            .unwrap()
            .roles
            .iter()
            .map(|&r| e.roles.roles[r].name.clone())
            .collect();
        assert_eq!(names, vec!["Web Callback Agent"]);
    }

    #[test]
    fn same_seed_same_world_different_seed_different_traffic() {
        let run = |seed| {
            let mut e = engine(seed);
            login(&mut e, "Supervisor");
            e.advance(Duration::hours(3));
            e.log()
                .iter()
                .map(|l| format!("{} {}", fmt_time(l.time), l.text))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
    }
}
