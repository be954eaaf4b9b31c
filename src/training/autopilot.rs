//! Autopilot: a simulated agent that works its desktop sensibly (accepts offers, dials, records
//! what really happened, reschedules some failed calls, finishes and pulls the next record).
//!
//! It asks [`Engine::check_with`] before every command, so it never tries an action its roles
//! deny; benchmarks and busy practice floors use it to animate many agents at once.

use chrono::Duration;

use crate::engine::audit::Source;
use crate::engine::{Args, Command, CommandError, Engine, Outcome, Target};
use crate::policy::{Action, Channel, Stage};
use crate::world::{
    AgentId, CallResult, CampaignId, CampaignMode, Interaction, InteractionId, RecordChain, SimTime,
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
    pub result: Result<Outcome, CommandError>,
}

/// Picks and executes one sensible next action for `agent`, or returns `None` when the agent
/// has nothing to do right now (waiting for a call to resolve, or idle with no work).
pub fn act(engine: &mut Engine, agent: AgentId) -> Option<Acted> {
    let session = engine.agent(agent)?;
    let open: Vec<InteractionId> = session.open.iter().copied().collect();
    let ready = session.ready;
    for id in &open {
        if let Some((action, args)) = choose(engine, agent, *id) {
            return Some(run(engine, agent, Target::Interaction(*id), action, args));
        }
    }
    if !open.is_empty() || !ready {
        return None;
    }
    let campaign = engine.running_campaigns(CampaignMode::Preview).find(|c| {
        engine
            .check(agent, Target::Campaign(*c), Action::GetRecord)
            .is_ok()
    })?;
    Some(run(
        engine,
        agent,
        Target::Campaign(campaign),
        Action::GetRecord,
        Args::None,
    ))
}

fn run(engine: &mut Engine, agent: AgentId, target: Target, action: Action, args: Args) -> Acted {
    let result = engine.execute(Command {
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
    let allowed =
        |action: Action, args: &Args| engine.check_with(agent, target, action, args).is_ok();
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
                && engine.reschedule_time_problem(id, at).is_none()
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
                && let Some(p) = pick(Action::Reschedule, reschedule_at(now + Duration::hours(1)))
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
                let later = now + Duration::hours(1);
                let at = if engine.reschedule_time_problem(it.id, later).is_none() {
                    Some(later)
                } else {
                    window_opens(engine, it)
                        .filter(|at| engine.reschedule_time_problem(it.id, *at).is_none())
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
    chain.fields.iter().filter(|f| f.missing()).find_map(|f| {
        pick(
            Action::EditRecordData,
            Args::Edit {
                field: f.name.clone(),
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
                .any(|id| engine.chain_available_to(*id, agent))
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
    let mut opening = local_now.date().and_time(record.window.from) + Duration::minutes(1);
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
/// each event, agents act (in order) until none has anything left to do at that instant.
pub fn drive(engine: &mut Engine, agents: &[AgentId], until: SimTime) -> DriveStats {
    let mut stats = DriveStats::default();
    loop {
        for _ in 0..MAX_ACTIONS_PER_INSTANT {
            let mut any = false;
            for &agent in agents {
                if let Some(acted) = act(engine, agent) {
                    any = true;
                    stats.commands += 1;
                    stats.refused += u64::from(acted.result.is_err());
                }
            }
            if !any {
                break;
            }
        }
        match engine.next_event_time() {
            Some(next) if next <= until => {
                engine.step();
            }
            _ => {
                engine.advance_to(until);
                return stats;
            }
        }
    }
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
            assert_ne!(entry.decision.as_str(), "denied", "{entry:?}");
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
        let id = acted.result.unwrap().opened.unwrap();
        let it = e.interaction(id).unwrap();
        let at = window_opens(&e, it).unwrap();
        assert!(at > e.now());
        assert_eq!(e.reschedule_time_problem(id, at), None);
    }
}
