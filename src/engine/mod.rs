//! The simulation engine: one seeded RNG, one simulated clock, the event queue, routing, and
//! the single place where agents' commands are authorized and applied.
//!
//! Every command goes through [`Engine::execute`], which asks
//! [`authorize`](crate::policy::authorize) (with the world facts it knows: Do Not Call
//! lists, calling windows, editable fields, campaign state), records the attempt in the audit
//! log, and only then changes the world. A refused command changes nothing but the audit log.
//!
//! This file owns the [`Engine`] itself, building the world from a scenario, and the read-only
//! lookups. The other `impl Engine` blocks live by concern:
//! - `command`: what a command is, its errors, and the one check of an action's arguments;
//! - `execute`: authorizing, auditing and running a command (`check`, `execute`);
//! - `actions`: one function per action, applying a checked command to the world;
//! - `facts`: the world facts an authorization depends on;
//! - `clock`: the simulated clock, the event queue, traffic arrivals and the transcript;
//! - `routing`: agent groups, offering work to agents and taking it back;
//! - `sessions`: logged-in agents, their roles and readiness;
//! - `invariants`: the bookkeeping check (every record chain in exactly one place);
//! - `transcript`: what happened, typed, and its words when read;
//! - `audit`: the audit log.

mod actions;
pub mod audit;
mod chains;
mod clock;
mod command;
mod execute;
mod facts;
mod invariants;
mod routing;
mod sessions;
#[cfg(test)]
mod tests;
mod transcript;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::Duration;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::engine::audit::AuditLog;
use crate::engine::chains::ChainStore;
use crate::engine::clock::{EventQueue, PushTimer};
use crate::engine::routing::FreeAgents;
use crate::world::roles::{RoleBook, RoleNames};
use crate::world::scenario::Scenario;
use crate::world::{
    AgentId, ById, CallResult, CallbackType, Campaign, CampaignId, CampaignMode, ChainId,
    ChainQueue, DoNotCallList, Interaction, InteractionId, Payload, RecordChain, SimTime,
    WebCallback,
};

pub use audit::Source;
pub use clock::parse_time;
pub use command::{
    Args, ArgumentError, Command, CommandError, Done, Outcome, RescheduleProblem, Target,
};
pub use execute::Opened;
pub use routing::MAX_OPEN_PER_AGENT;
pub use sessions::AgentSession;
pub use transcript::{LogLine, Transcript};

/// The simulated world.
pub struct Engine {
    /// The seed the world was built from; the same seed and commands give the same world.
    seed: u64,
    roles: RoleBook,
    /// `roles` by name, kept in step by every edit (see `sessions.rs`).
    role_names: RoleNames,
    scenario: Scenario,
    now: SimTime,
    rng: ChaCha8Rng,
    /// What is scheduled, earliest (then first scheduled) on top.
    events: EventQueue,
    event_seq: u64,
    agents: Vec<AgentSession>,
    campaigns: ById<CampaignId, Campaign>,
    /// The campaigns' names, shared by the audit entries of get-record.
    campaign_names: ById<CampaignId, audit::SharedName>,
    chains: ChainStore,
    interactions: Vec<Interaction>,
    /// The tenant's Do Not Call list, one for every campaign.
    do_not_call: DoNotCallList,
    /// Callbacks waiting in the service, by a stable id that `CallbackDue` events refer to.
    callbacks: BTreeMap<usize, WebCallback>,
    next_callback: usize,
    /// The waiting callbacks by expiry time, so routing finds the stale ones directly.
    callback_expiry: BTreeSet<(SimTime, usize)>,
    /// The waiting callbacks routing may offer (queued, not scheduled for later), in the
    /// order it looks at them: personal callbacks (`false`) first, then by arrival.
    callbacks_queued: BTreeSet<(bool, usize)>,
    /// Personal callbacks waiting in a campaign's queue, per campaign and owner, so get-record
    /// looks through a queue for an agent's own only when there is one. (A chain's owner is
    /// set only while it is scheduled and cleared when it reaches its agent.)
    personal_queued: BTreeMap<(CampaignId, AgentId), usize>,
    /// Callbacks routing has looked at, for tests that its work stays linear.
    routing_visits: u64,
    /// Agents free for an invitation, per channel.
    free: FreeAgents,
    /// The push campaigns' timer (always there; an `Option` only while the engine is being built).
    push: Option<PushTimer>,
    /// Agents whose situation changed since `take_touched_agents` was last called, each once.
    touched: Vec<AgentId>,
    touched_flags: ById<AgentId, bool>,
    queue_revision: u64,
    do_not_call_revision: u64,
    audit: AuditLog,
    /// The transcript, typed; put into words when read.
    log: transcript::Kept,
    log_read: usize,
    forced_outcome: Option<CallResult>,
    /// Counts changes, so views know when to redraw.
    revision: u64,
    /// Events handled since the start, for throughput measurements.
    events_handled: u64,
    /// The last command `allowed` said yes to, and the world it said so in (see `execute`).
    last_allowed: std::cell::Cell<Option<execute::AllowedKey>>,
}

impl Engine {
    /// The role book every decision reads grants from.
    pub fn roles(&self) -> &RoleBook {
        &self.roles
    }

    /// The scenario the world was built from.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The logged-in agents, by id order.
    pub fn agents(&self) -> &[AgentSession] {
        &self.agents
    }

    /// The outbound campaigns, by id order.
    pub fn campaigns(&self) -> &[Campaign] {
        &self.campaigns
    }

    /// The record chains of every campaign, by id order (each built from its contact row
    /// when first looked at).
    pub fn chains(&self) -> impl Iterator<Item = &RecordChain> + '_ {
        self.chains.iter()
    }

    /// How many record chains the campaigns have, without building them.
    pub fn chain_count(&self) -> usize {
        self.chains.len()
    }

    /// Every attempted command so far.
    pub fn audit(&self) -> &AuditLog {
        &self.audit
    }

    /// From now on, keeps only counts of what happens: no audit entry and no transcript line
    /// to read back (see [`audit::Retention::Counts`]). Attempts are still decided, numbered
    /// and written to the audit file the same way. One way, for a run that reads nothing back.
    pub fn keep_counts_only(&mut self) {
        self.audit.keep_counts_only();
    }

    /// Mirrors the audit log to a JSON-lines output from now on.
    pub fn audit_to(&mut self, sink: crate::output::LineSink) {
        self.audit.to_sink(sink)
    }

    /// Mirrors the audit log to an output in `format`, every line naming `run`.
    pub fn audit_to_as(
        &mut self,
        sink: crate::output::LineSink,
        format: audit::FileFormat,
        run: audit::RunIdentity,
    ) {
        self.audit.identify(run);
        self.audit.to_sink_as(sink, format)
    }
}

impl Engine {
    /// Builds the world of a scenario at its start time. All randomness flows from `seed`.
    pub fn new(roles: RoleBook, scenario: Scenario, seed: u64) -> Engine {
        let now = scenario.start_time;
        let role_names = RoleNames::of(&roles);
        let mut engine = Engine {
            seed,
            roles,
            role_names,
            now,
            rng: ChaCha8Rng::seed_from_u64(seed),
            events: EventQueue::default(),
            event_seq: 0,
            agents: Vec::new(),
            campaigns: ById::default(),
            campaign_names: ById::default(),
            chains: ChainStore::default(),
            interactions: Vec::new(),
            do_not_call: DoNotCallList::default(),
            callbacks: BTreeMap::new(),
            next_callback: 0,
            callback_expiry: BTreeSet::new(),
            callbacks_queued: BTreeSet::new(),
            personal_queued: BTreeMap::new(),
            routing_visits: 0,
            free: FreeAgents::default(),
            push: None,
            touched: Vec::new(),
            touched_flags: ById::default(),
            queue_revision: 0,
            do_not_call_revision: 0,
            audit: AuditLog::new(scenario.centre_offset_minutes()),
            log: transcript::Kept::default(),
            log_read: 0,
            forced_outcome: None,
            revision: 0,
            events_handled: 0,
            last_allowed: std::cell::Cell::new(None),
            scenario,
        };
        engine.build_campaigns();
        for _ in 0..engine.scenario.web_callbacks.initial {
            engine.new_callback(Some(CallbackType::Asap));
        }
        engine.schedule_next_arrival();
        // The first tick 10 s in, then every push interval. It takes its sequence number now
        // even though nothing can be pushed before an agent logs in. The timer keeps its grid
        // even with no push campaign running: whoever polls at every tick (the autopilot)
        // polls at the same moments either way.
        engine.event_seq += 1;
        engine.push = Some(PushTimer {
            interval: Duration::seconds(i64::from(engine.scenario.push_interval_seconds.max(5))),
            next: (now + Duration::seconds(10), engine.event_seq),
            armed: false,
        });
        engine
    }

    fn build_campaigns(&mut self) {
        // Shared, not copied: a chain is built from its row when first looked at.
        for (ci, spec) in self.scenario.campaigns.iter().enumerate() {
            let id = CampaignId(ci as u32 + 1);
            let rows = self
                .scenario
                .contact_lists
                .get(ci)
                .cloned()
                .unwrap_or_default();
            let count = rows.len();
            let first = self.chains.add_campaign(id, spec, rows);
            let campaign = Campaign {
                id,
                name: spec.name.clone(),
                mode: spec.mode,
                running: spec.running,
                queue: ChainQueue::run(first, count),
                call_results: if spec.offered_results.is_empty() {
                    CallResult::ALL.to_vec()
                } else {
                    spec.offered_results.clone()
                },
                call_result_preselected: spec.preselected_result,
                treatment: spec.treatment,
                behaviour: spec.behaviour,
            };
            self.campaign_names.push(Arc::new(campaign.name.clone()));
            self.campaigns.push(campaign);
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The tenant's Do Not Call list.
    pub fn do_not_call(&self) -> &DoNotCallList {
        &self.do_not_call
    }

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
        self.chains.get(id)
    }

    pub fn campaign(&self, id: CampaignId) -> Option<&Campaign> {
        self.campaigns.get((id.0 as usize).wrapping_sub(1))
    }

    /// The running campaigns of `mode`, in scenario order.
    pub fn running_campaigns(&self, mode: CampaignMode) -> impl Iterator<Item = CampaignId> + '_ {
        self.campaigns
            .iter()
            .filter(move |c| c.mode == mode && c.running)
            .map(|c| c.id)
    }

    /// The first running campaign of `mode`: the campaign a command or expectation that names
    /// none refers to.
    pub fn first_running_campaign(&self, mode: CampaignMode) -> Option<CampaignId> {
        self.running_campaigns(mode).next()
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
}
