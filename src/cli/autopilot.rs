//! `agentdesk run --autopilot N`: a floor of N autopiloted agents for `--hours`, and a summary
//! of what they did and how fast it ran (for demos, load and soak runs, and the benchmarks).

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use super::{EXIT_BAD_INPUT, RunArgs};
use crate::engine::Engine;
use crate::training::{autopilot, floor};
use crate::world::roles::RoleBook;
use crate::world::scenario::Scenario;
use crate::world::{Completion, fmt_time};

/// What `--autopilot` was asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct FloorArgs {
    pub agents: usize,
    /// Role names to rotate through; every role of the roles file when empty.
    pub roles: Vec<String>,
    /// Replace the campaigns' contacts with generated ones and scale the traffic to the floor.
    pub generated_contacts: bool,
}

/// Runs the floor `args` asks for on the loaded files, mirroring the audit log to `audit` if
/// given. `started` is when loading them began, so the wall time printed is the whole run's.
pub(super) fn run_floor(
    run: &RunArgs,
    args: &FloorArgs,
    (book, scenario): (RoleBook, Scenario),
    audit: Option<super::run::AuditOut>,
    started: Instant,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let (seed, hours) = (run.seed, run.hours);
    let roles: Result<Vec<usize>, String> = if args.roles.is_empty() {
        Ok((0..book.roles.len()).collect())
    } else {
        args.roles
            .iter()
            .map(|r| book.find_role(r.trim()).map_err(|e| e.to_string()))
            .collect()
    };
    let roles = match roles {
        Ok(r) if !r.is_empty() => r,
        Ok(_) => {
            let _ = writeln!(
                err,
                "error: the roles file has no role for the agents to hold"
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        Err(e) => {
            let _ = writeln!(err, "error: --autopilot-roles: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let role_names: Vec<&str> = roles.iter().map(|&r| book.roles[r].name.as_str()).collect();
    let header = format!(
        "floor: {} autopilot agent(s) rotating through {}",
        args.agents,
        role_names.join(", ")
    );
    let scenario = if args.generated_contacts {
        floor::with_generated_contacts(scenario, args.agents)
    } else {
        scenario
    };
    let mut engine = Engine::new(book, scenario, seed);
    // A floor's outputs are this summary and the audit file, both written as it goes: nothing
    // is read back, so nothing is kept to be (a third of a 1,000-agent day's memory).
    engine.keep_counts_only();
    if let Some(audit) = audit {
        audit.attach(&mut engine);
    }
    let agents = floor::log_in(&mut engine, &roles, args.agents);
    let start = engine.now();
    let until = start + chrono::Duration::seconds((hours * 3600.0) as i64);
    let loaded = started.elapsed();
    let stats = autopilot::drive(&mut engine, &agents, until);
    let simulated = started.elapsed() - loaded;
    let _ = writeln!(out, "{header}");
    let _ = writeln!(
        out,
        "scenario \"{}\"{}, seed {seed}, {hours} simulated hour(s) from {} to {}",
        engine.scenario().name,
        if args.generated_contacts {
            " with generated contacts"
        } else {
            ""
        },
        fmt_time(start),
        fmt_time(engine.now())
    );
    print_summary(&engine, stats, out);
    let secs = simulated.as_secs_f64();
    let _ = writeln!(
        out,
        "wall time: {:.3} s ({:.3} s loading, {:.3} s simulating), {:.0} events per second",
        started.elapsed().as_secs_f64(),
        loaded.as_secs_f64(),
        secs,
        engine.events_handled() as f64 / secs.max(1e-9)
    );
    if let (Some(e), Some(path)) = (engine.audit().write_error(), &run.audit) {
        let _ = writeln!(
            err,
            "error: the audit log {} is incomplete (it holds the whole lines written before \
             the failure): {e}",
            path.display()
        );
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    if stats.refused > 0 {
        let _ = writeln!(
            err,
            "error: {} command(s) the autopilot checked were refused: the engine's check and \
             its execution disagree",
            stats.refused
        );
        return ExitCode::FAILURE;
    }
    // A day's world is millions of small allocations; the process is about to end, and
    // letting it go is faster than freeing them one by one.
    std::mem::forget(engine);
    ExitCode::SUCCESS
}

fn print_summary(engine: &Engine, stats: autopilot::DriveStats, out: &mut dyn Write) {
    let tally = engine.audit().tally();
    let its = engine.interactions();
    let closed = its.iter().filter(|it| it.completion.is_some()).count();
    let done = its
        .iter()
        .filter(|it| it.completion == Some(Completion::Done))
        .count();
    let calls: usize = its.iter().map(|it| it.calls.len()).sum();
    let _ = writeln!(out, "events: {}", engine.events_handled());
    let _ = writeln!(
        out,
        "commands: {} ({} audited attempts: {} allowed, {} denied, {} invalid)",
        stats.commands,
        tally.total(),
        tally.allowed,
        tally.denied,
        tally.invalid
    );
    let _ = writeln!(
        out,
        "interactions: {} opened, {closed} closed ({done} done)",
        its.len()
    );
    let _ = writeln!(out, "calls: {calls}");
}
