//! Autopilot: a simulated agent that works its desktop sensibly (accepts offers, dials, records
//! what really happened, reschedules some failed calls, finishes and pulls the next record).
//!
//! It asks [`Engine::allowed`] (the engine's decision without the words of a denial) before
//! every command, so it never tries an action its roles deny; benchmarks and busy practice
//! floors use it to animate many agents at once.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::Duration;

use crate::engine::audit::Source;
use crate::engine::{Args, Command, CommandError, Engine, Opened, Target};
use crate::policy::{self, Action, Channel, FactsPresent, Stage};
use crate::world::{
    AgentId, CallResult, CampaignId, CampaignMode, Interaction, InteractionId, PreviewRecord,
    RecordChain, SimTime, plus,
};

/// At most this many commands per agent at one simulated instant, so a command that keeps
/// being chosen (an engine bug, or a world the autopilot misreads) cannot stall the clock.
pub const MAX_ACTIONS_PER_INSTANT: usize = 8;

/// A failed call is retried this many times before the autopilot stops rescheduling it.
const MAX_ATTEMPTS: u32 = 3;

/// One command the autopilot executed, and what the engine said.
#[derive(Clone, Debug, PartialEq)]
pub struct Acted {
    pub target: Target,
    pub action: Action,
    pub result: Result<Opened, CommandError>,
}

/// Picks and executes one sensible next action for `agent`, or returns `None` when the agent
/// has nothing to do right now (waiting for a call to resolve, or idle with no work).
pub fn act(engine: &mut Engine, agent: AgentId) -> Option<Acted> {
    let session = engine.agent(agent)?;
    let choice = session
        .open
        .iter()
        .find_map(|id| choose(engine, agent, *id).map(|(action, args)| (*id, action, args)));
    if let Some((id, action, args)) = choice {
        return Some(run(engine, agent, Target::Interaction(id), action, args));
    }
    if !session.open.is_empty() || !session.ready {
        return None;
    }
    let campaign = engine
        .running_campaigns(CampaignMode::Preview)
        .find(|c| engine.allowed(agent, Target::Campaign(*c), Action::GetRecord, &Args::None))?;
    Some(run(
        engine,
        agent,
        Target::Campaign(campaign),
        Action::GetRecord,
        Args::None,
    ))
}

fn run(engine: &mut Engine, agent: AgentId, target: Target, action: Action, args: Args) -> Acted {
    let result = engine.execute_quietly(Command {
        agent,
        target,
        action,
        args,
        source: Source::Autopilot,
    });
    Acted {
        target,
        action,
        result,
    }
}

/// The next command for one open interaction, if any is allowed and useful now.
fn choose(engine: &Engine, agent: AgentId, id: InteractionId) -> Option<(Action, Args)> {
    let it = engine.interaction(id)?;
    let target = Target::Interaction(id);
    let allowed = |action: Action, args: &Args| engine.allowed(agent, target, action, args);
    let pick = |action: Action, args: Args| allowed(action, &args).then_some((action, args));
    match it.stage {
        Stage::Offered => {
            pick(Action::Accept, Args::None).or_else(|| pick(Action::Decline, Args::None))
        }
        Stage::Preview => {
            if let Some(p) = pick(Action::Dial, Args::None) {
                return Some(p);
            }
            // The selected number is blocked (Do Not Call, calling window): try another one.
            if let Some(chain) = engine.chain_of(it) {
                for r in (0..chain.records.len()).filter(|&r| r != chain.selected) {
                    if let Some(p) = pick(Action::DialAlternative, Args::Record(r)) {
                        return Some(p);
                    }
                }
            }
            if let Some(at) = window_opens(engine, it)
                && engine.reschedule_time_fits(id, at)
                && let Some(p) = pick(Action::Reschedule, reschedule_at(at))
            {
                return Some(p);
            }
            pick(Action::Reject, Args::None)
        }
        // The customer decides: the dial resolves, or the customer hangs up.
        Stage::Dialing | Stage::Connected => None,
        Stage::AfterCall => after_call(engine, it, &pick),
        Stage::Campaign | Stage::Closed => None,
    }
}

fn after_call(
    engine: &Engine,
    it: &Interaction,
    pick: &dyn Fn(Action, Args) -> Option<(Action, Args)>,
) -> Option<(Action, Args)> {
    let call = it.current_call()?;
    let truth = call.truth.unwrap_or(CallResult::NoAnswer);
    let failed = matches!(
        truth,
        CallResult::NoAnswer | CallResult::Busy | CallResult::AnsweringMachineDetected
    );
    let now = engine.now();
    match it.channel {
        Channel::WebCallback => {
            let undecided = matches!(
                &it.payload,
                crate::world::Payload::WebCallback(cb) if cb.disposition.is_none()
            );
            if undecided
                && let Some(d) = disposition_for(engine, truth)
                && let Some(p) = pick(Action::SetDisposition, Args::Disposition(d))
            {
                return Some(p);
            }
            // A reschedule keeps the interaction open: once made, finish with Mark Done.
            if failed
                && it.reschedule.is_none()
                && let Some(p) = pick(
                    Action::Reschedule,
                    reschedule_at(plus(now, Duration::hours(1))),
                )
            {
                return Some(p);
            }
            pick(Action::MarkDone, Args::None)
        }
        Channel::Preview | Channel::PushPreview => {
            let chain = engine.chain_of(it)?;
            let record = chain.records.get(call.record.unwrap_or(chain.selected))?;
            let offered = engine
                .campaign(chain.campaign)
                .is_some_and(|c| c.call_results.contains(&truth));
            if record.call_result != truth
                && offered
                && let Some(p) = pick(Action::SetCallResult, Args::CallResult(truth))
            {
                return Some(p);
            }
            if let Some(p) = fill_mandatory(chain, pick) {
                return Some(p);
            }
            if failed && record.attempts < MAX_ATTEMPTS && it.reschedule.is_none() {
                let later = plus(now, Duration::hours(1));
                let at = if engine.reschedule_time_fits(it.id, later) {
                    Some(later)
                } else {
                    window_opens(engine, it).filter(|at| engine.reschedule_time_fits(it.id, *at))
                };
                if let Some(p) = at.and_then(|at| pick(Action::Reschedule, reschedule_at(at))) {
                    return Some(p);
                }
            }
            // Done-and-get-next audits its own get-record; pull only when one is there.
            if it.channel == Channel::Preview
                && has_record_for(engine, chain.campaign, it.agent)
                && let Some(p) = pick(Action::DoneAndGetNext, Args::None)
            {
                return Some(p);
            }
            pick(Action::MarkDone, Args::None)
        }
    }
}

/// A reschedule at `at`, leaving personal or campaign callback to the campaign's treatment.
fn reschedule_at(at: SimTime) -> Args {
    Args::At { at, scope: None }
}

/// An edit that fills in a mandatory field left empty, so Mark Done can go through.
fn fill_mandatory(
    chain: &RecordChain,
    pick: &dyn Fn(Action, Args) -> Option<(Action, Args)>,
) -> Option<(Action, Args)> {
    chain.fields.missing().find_map(|f| {
        pick(
            Action::EditRecordData,
            Args::Edit {
                field: f.name.to_string(),
                value: "confirmed on the call".into(),
            },
        )
    })
}

/// Whether the campaign still holds a record this agent may take.
fn has_record_for(engine: &Engine, campaign: CampaignId, agent: AgentId) -> bool {
    engine.campaign(campaign).is_some_and(|c| {
        c.running
            && c.queue
                .iter()
                .any(|id| engine.chain_available_to(id, agent))
    })
}

/// A disposition of the scenario that fits what happened on the call.
fn disposition_for(engine: &Engine, truth: CallResult) -> Option<String> {
    let list = &engine.scenario().dispositions;
    let wanted = if truth == CallResult::Answer {
        "resolved"
    } else {
        "later"
    };
    list.iter()
        .find(|d| d.to_lowercase().contains(wanted))
        .or_else(|| list.first())
        .cloned()
}

/// The next time (centre time) the selected number's calling window opens, one minute in.
pub fn window_opens(engine: &Engine, it: &Interaction) -> Option<SimTime> {
    let chain = engine.chain_of(it)?;
    let record = chain.records.get(chain.selected)?;
    let local_now = record.time_zone.local(engine.now());
    let mut opening = plus(
        local_now.date().and_time(record.window.from),
        Duration::minutes(1),
    );
    if opening <= local_now {
        opening += Duration::days(1);
    }
    Some(record.time_zone.to_centre(opening))
}

/// What a stretch of autopiloted simulation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DriveStats {
    pub commands: u64,
    /// Commands the engine refused or found invalid (the autopilot checks first, so a
    /// non-zero count points at a disagreement between `check_with` and `execute`).
    pub refused: u64,
}

/// Runs the world until `until`, letting every agent in `agents` act whenever it can: after
/// each event, agents act (in order, one command each per round, at most
/// [`MAX_ACTIONS_PER_INSTANT`] rounds) until none has anything left to do at that instant.
///
/// Only agents whose situation changed are asked (see [`Floor`]); the others would find
/// nothing to do, so the commands, and so the world, are the same as if every agent were
/// asked after every event.
pub fn drive(engine: &mut Engine, agents: &[AgentId], until: SimTime) -> DriveStats {
    let mut floor = Floor::new(engine, agents);
    let mut stats = DriveStats::default();
    loop {
        floor.instant(engine, &mut stats);
        // Agents look at their desks after every event, and at every push tick (an idle tick
        // is no event, but it used to be one): one waiting for a calling window acts at the
        // first such moment after it opens.
        let wake = floor
            .next_wake(engine.now())
            .and_then(|at| engine.push_tick_at_or_after(at));
        let next = match (engine.next_event_time(), wake) {
            (Some(event), Some(wake)) => Some(event.min(wake)),
            (event, wake) => event.or(wake),
        };
        match next {
            Some(next) if next <= until => {
                engine.advance_to(next.max(engine.now()));
                floor.after_events(engine);
            }
            _ => {
                engine.advance_to(until);
                return stats;
            }
        }
    }
}

/// Which of the driven agents may have something to do, so `drive` asks only those.
///
/// An agent that found nothing to do finds nothing again until something it looked at
/// changes: its session or one of its interactions (the engine reports these agents), a
/// record back in a campaign (for one with no work, or finishing a call), a Do Not Call list
/// or a calling window (for one whose outbound record waits), or the clock reaching a calling
/// window's edge. `Floor` files each such agent under what it waits for.
struct Floor<'a> {
    agents: &'a [AgentId],
    /// The positions in `agents` of each agent, by agent id.
    positions: Vec<Vec<usize>>,
    /// Positions to ask in this round, and in the next.
    this_round: Positions,
    next_round: Positions,
    /// What each position waits for while it has nothing to do.
    waits: Vec<Waits>,
    queue_waiters: Positions,
    do_not_call_waiters: Positions,
    /// Calling window edges, earliest first; an entry whose position no longer waits for it
    /// (`waits`) is skipped.
    wakes: BinaryHeap<Reverse<(SimTime, usize)>>,
    queue_revision: u64,
    do_not_call_revision: u64,
    touched: Vec<AgentId>,
}

#[derive(Clone, Copy, Debug, Default)]
struct Waits {
    queue: bool,
    do_not_call: bool,
    wake: Option<SimTime>,
}

impl<'a> Floor<'a> {
    fn new(engine: &mut Engine, agents: &'a [AgentId]) -> Floor<'a> {
        let mut positions: Vec<Vec<usize>> = Vec::new();
        for (p, a) in agents.iter().enumerate() {
            if engine.agent(*a).is_some() {
                let i = a.0 as usize - 1;
                if positions.len() <= i {
                    positions.resize(i + 1, Vec::new());
                }
                positions[i].push(p);
            }
        }
        // Whatever happened before is unknown here: everyone is asked first.
        let mut touched = Vec::new();
        engine.take_touched_agents(&mut touched);
        touched.clear();
        let n = agents.len();
        let mut this_round = Positions::new(n);
        (0..n).for_each(|p| this_round.insert(p));
        Floor {
            agents,
            positions,
            this_round,
            next_round: Positions::new(n),
            waits: vec![Waits::default(); n],
            queue_waiters: Positions::new(n),
            do_not_call_waiters: Positions::new(n),
            wakes: BinaryHeap::new(),
            queue_revision: engine.queue_revision(),
            do_not_call_revision: engine.do_not_call_revision(),
            touched,
        }
    }

    /// The rounds of one simulated instant.
    fn instant(&mut self, engine: &mut Engine, stats: &mut DriveStats) {
        for _ in 0..MAX_ACTIONS_PER_INSTANT {
            let mut any = false;
            while let Some(p) = self.this_round.pop_first() {
                self.forget_waits(p);
                match act(engine, self.agents[p]) {
                    Some(acted) => {
                        any = true;
                        stats.commands += 1;
                        stats.refused += u64::from(acted.result.is_err());
                        self.next_round.insert(p);
                    }
                    None => self.file_waits(engine, p),
                }
                self.absorb(engine, Some(p));
            }
            if !any {
                break;
            }
            std::mem::swap(&mut self.this_round, &mut self.next_round);
        }
        // Agents still busy when the rounds ran out go first at the next instant.
        while let Some(p) = self.next_round.pop_first() {
            self.this_round.insert(p);
        }
    }

    /// After the clock moved: agents the events touched, and those whose window edge came.
    fn after_events(&mut self, engine: &mut Engine) {
        self.absorb(engine, None);
        let now = engine.now();
        while let Some(&Reverse((at, p))) = self.wakes.peek()
            && at <= now
        {
            self.wakes.pop();
            if self.waits[p].wake == Some(at) {
                self.this_round.insert(p);
            }
        }
    }

    /// When the next agent needs asking without an event: at once for one still busy when
    /// the rounds ran out, else at its calling window's edge.
    fn next_wake(&mut self, now: SimTime) -> Option<SimTime> {
        if !self.this_round.is_empty() {
            return Some(now);
        }
        while let Some(&Reverse((at, p))) = self.wakes.peek() {
            if self.waits[p].wake == Some(at) {
                return Some(at);
            }
            self.wakes.pop();
        }
        None
    }

    /// Files what changed since the last look: an agent after `asked` in order is asked in
    /// this round, as it would have been; one at or before it in the next.
    fn absorb(&mut self, engine: &mut Engine, asked: Option<usize>) {
        if !engine.has_touched_agents()
            && engine.queue_revision() == self.queue_revision
            && engine.do_not_call_revision() == self.do_not_call_revision
        {
            return;
        }
        engine.take_touched_agents(&mut self.touched);
        for k in 0..self.touched.len() {
            let i = (self.touched[k].0 as usize).wrapping_sub(1);
            for j in 0..self.positions.get(i).map_or(0, Vec::len) {
                let p = self.positions[i][j];
                self.mark(p, asked);
            }
        }
        self.touched.clear();
        if engine.queue_revision() != self.queue_revision {
            self.queue_revision = engine.queue_revision();
            while let Some(p) = self.queue_waiters.pop_first() {
                self.mark(p, asked);
            }
        }
        if engine.do_not_call_revision() != self.do_not_call_revision {
            self.do_not_call_revision = engine.do_not_call_revision();
            while let Some(p) = self.do_not_call_waiters.pop_first() {
                self.mark(p, asked);
            }
        }
    }

    fn mark(&mut self, p: usize, asked: Option<usize>) {
        if asked.is_some_and(|asked| p <= asked) {
            self.next_round.insert(p);
        } else {
            self.this_round.insert(p);
        }
    }

    fn forget_waits(&mut self, p: usize) {
        let waits = std::mem::take(&mut self.waits[p]);
        if waits.queue {
            self.queue_waiters.remove(p);
        }
        if waits.do_not_call {
            self.do_not_call_waiters.remove(p);
        }
    }

    /// Files an agent that has nothing to do under what could give it something.
    fn file_waits(&mut self, engine: &Engine, p: usize) {
        let waits = waits_of(engine, self.agents[p]);
        if waits.queue {
            self.queue_waiters.insert(p);
        }
        if waits.do_not_call {
            self.do_not_call_waiters.insert(p);
        }
        if let Some(at) = waits.wake {
            self.wakes.push(Reverse((at, p)));
        }
        self.waits[p] = waits;
    }
}

/// A set of positions in the floor's list of agents, as bits: inserting, removing and taking
/// the smallest allocate nothing.
#[derive(Clone, Debug)]
struct Positions {
    words: Vec<u64>,
    len: usize,
    /// No position below `64 * low` is in the set.
    low: usize,
}

impl Positions {
    fn new(n: usize) -> Positions {
        Positions {
            words: vec![0; n.div_ceil(64)],
            len: 0,
            low: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn insert(&mut self, p: usize) {
        let (w, bit) = (p / 64, 1u64 << (p % 64));
        if self.words[w] & bit == 0 {
            self.words[w] |= bit;
            self.len += 1;
            self.low = self.low.min(w);
        }
    }

    fn remove(&mut self, p: usize) {
        let (w, bit) = (p / 64, 1u64 << (p % 64));
        if self.words[w] & bit != 0 {
            self.words[w] &= !bit;
            self.len -= 1;
        }
    }

    fn pop_first(&mut self) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        while self.words[self.low] == 0 {
            self.low += 1;
        }
        let bit = self.words[self.low].trailing_zeros() as usize;
        self.words[self.low] &= !(1u64 << bit);
        self.len -= 1;
        Some(self.low * 64 + bit)
    }
}

/// What an agent with nothing to do waits for, beyond a change to its own session or
/// interactions: a record in a campaign (no work, or a finished outbound call whose next
/// step depends on one), a Do Not Call list or the clock reaching a calling window's edge
/// (an outbound record it cannot dial, or a call it may reschedule an hour on).
fn waits_of(engine: &Engine, agent: AgentId) -> Waits {
    let mut waits = Waits::default();
    let Some(session) = engine.agent(agent) else {
        return waits;
    };
    if session.open.is_empty() {
        // Only an agent whose roles let it pull records waits for one (the same gating table
        // `act` asks, with a record assumed there).
        waits.queue = session.ready
            && policy::allowed(
                session.granted,
                Channel::Preview,
                Action::GetRecord,
                Stage::Campaign,
                FactsPresent {
                    version: engine.roles().product_version(),
                    ..FactsPresent::default()
                },
            );
        return waits;
    }
    let now = engine.now();
    for it in session.open.iter().filter_map(|id| engine.interaction(*id)) {
        let (Some(chain), Stage::Preview | Stage::AfterCall) = (engine.chain_of(it), it.stage)
        else {
            continue;
        };
        waits.queue |= it.stage == Stage::AfterCall;
        waits.do_not_call = true;
        for record in &chain.records {
            let edge = window_edge_after(record, now);
            waits.wake = Some(waits.wake.map_or(edge, |w| w.min(edge)));
        }
    }
    waits
}

/// The first centre time after `now` at which the record's calling window opens or shuts,
/// now or an hour on (the autopilot reschedules failed calls an hour later).
fn window_edge_after(record: &PreviewRecord, now: SimTime) -> SimTime {
    let mut first: Option<SimTime> = None;
    for ahead in [Duration::zero(), Duration::hours(1)] {
        let local = record.time_zone.local(now) + ahead;
        for edge in [record.window.from, record.window.till] {
            let mut at = local.date().and_time(edge);
            if at <= local {
                at += Duration::days(1);
            }
            let centre = record.time_zone.to_centre(at - ahead);
            first = Some(first.map_or(centre, |f| f.min(centre)));
        }
    }
    first.unwrap_or(now + Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::roles::RoleBook;
    use crate::world::scenario::Scenario;

    fn floor(roles: &[&str], seed: u64) -> (Engine, Vec<AgentId>) {
        let mut e = Engine::new(
            RoleBook::embedded_default(),
            Scenario::embedded_default(),
            seed,
        );
        let agents = roles
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let role = e.roles().role_index(r).unwrap_or(0);
                e.login(&format!("Auto {i}"), vec![role])
            })
            .collect();
        (e, agents)
    }

    #[test]
    fn autopilot_works_records_through_without_refusals() {
        let roles = [
            "Supervisor",
            "Outbound Preview Agent",
            "Push Preview Agent",
            "Web Callback Agent",
            "Trainee",
        ];
        let (mut e, agents) = floor(&roles, 4);
        let end = e.now() + Duration::hours(4);
        let stats = drive(&mut e, &agents, end);
        assert_eq!(e.now(), end);
        assert!(stats.commands > 50, "{stats:?}");
        assert_eq!(stats.refused, 0, "{stats:?}");
        e.check_invariants().unwrap();
        let done = e
            .interactions()
            .iter()
            .filter(|it| it.completion == Some(crate::world::Completion::Done))
            .count();
        assert!(done > 10, "only {done} interactions done");
        for channel in [Channel::WebCallback, Channel::Preview, Channel::PushPreview] {
            assert!(
                e.interactions()
                    .iter()
                    .any(|it| it.channel == channel && !it.calls.is_empty()),
                "no call on {channel}"
            );
        }
        // Checking first means the audit log holds no denial at all.
        for entry in e.audit().entries() {
            assert_ne!(entry.decision().as_str(), "denied", "{entry:?}");
        }
    }

    #[test]
    fn an_agent_without_privileges_does_nothing() {
        let mut e = Engine::new(
            RoleBook::embedded_default(),
            Scenario::embedded_default(),
            1,
        );
        let a = e.login("Nobody", vec![]);
        assert!(act(&mut e, a).is_none());
        assert!(e.audit().entries().is_empty());
    }

    #[test]
    fn window_opening_is_in_the_future_and_inside_the_window() {
        // Outside the web callback and push groups, so no invitation comes first.
        let (mut e, agents) = floor(&["Outbound Preview Agent"], 2);
        let acted = act(&mut e, agents[0]).unwrap();
        assert_eq!(acted.action, Action::GetRecord);
        let id = acted.result.unwrap().0.unwrap();
        let it = e.interaction(id).unwrap();
        let at = window_opens(&e, it).unwrap();
        assert!(at > e.now());
        assert_eq!(e.reschedule_time_problem(id, at), None);
    }

    /// The autopilot as it was before agents were asked only when something concerned them:
    /// every agent after every event and at every push tick. `drive` must do exactly what
    /// this does.
    fn drive_asking_everyone(engine: &mut Engine, agents: &[AgentId], until: SimTime) {
        loop {
            for _ in 0..MAX_ACTIONS_PER_INSTANT {
                let mut any = false;
                for &agent in agents {
                    any |= act(engine, agent).is_some();
                }
                if !any {
                    break;
                }
            }
            let tick = engine.push_tick_at_or_after(engine.now());
            let next = match (engine.next_event_time(), tick) {
                (Some(event), Some(tick)) => Some(event.min(tick)),
                (event, tick) => event.or(tick),
            };
            match next {
                Some(next) if next <= until => engine.advance_to(next.max(engine.now())),
                _ => {
                    engine.advance_to(until);
                    return;
                }
            }
        }
    }

    fn transcript(e: &Engine) -> Vec<String> {
        let log = e.log().iter().map(|l| format!("{} {}", l.time, l.text));
        let audit = e.audit().entries().iter().map(|a| e.audit().json_line(a));
        log.chain(audit).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// Asking only the agents something concerned gives the same day, command for
        /// command, as asking everyone: any roles (with unmet dependencies, offers nobody can
        /// take), Not Ready agents, contact lists that run dry, calling windows that open and
        /// shut during the run.
        #[test]
        fn asking_only_concerned_agents_changes_nothing(
            seed in 0u64..1_000,
            roles in proptest::collection::vec((0usize..64, proptest::prelude::any::<bool>()), 1..12),
            start_minutes in 0i64..14 * 60,
            minutes in 30i64..150,
        ) {
            let run = |everyone: bool| {
                let book = RoleBook::embedded_default();
                let count = book.roles.len();
                let mut e = Engine::new(book, Scenario::embedded_default(), seed);
                e.advance(Duration::minutes(start_minutes));
                let agents: Vec<AgentId> = roles
                    .iter()
                    .enumerate()
                    .map(|(i, &(r, ready))| {
                        let id = e.login(&format!("Auto {i}"), vec![r % count]);
                        if !ready {
                            e.set_ready(id, false);
                        }
                        id
                    })
                    .collect();
                let until = e.now() + Duration::minutes(minutes);
                if everyone {
                    drive_asking_everyone(&mut e, &agents, until);
                } else {
                    drive(&mut e, &agents, until);
                }
                transcript(&e)
            };
            let asked_everyone = run(true);
            let asked_concerned = run(false);
            // The first line that differs, with what led to it on both sides.
            let differs = asked_everyone.iter().zip(&asked_concerned).position(|(a, b)| a != b);
            if let Some(i) = differs {
                let around = |lines: &[String]| lines[i.saturating_sub(8)..=i].join("\n");
                proptest::prop_assert!(
                    false,
                    "asking everyone:\n{}\nasking the concerned:\n{}",
                    around(&asked_everyone),
                    around(&asked_concerned)
                );
            }
            proptest::prop_assert_eq!(asked_everyone.len(), asked_concerned.len());
        }
    }
}
