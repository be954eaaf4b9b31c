//! How fast the simulation runs with autopiloted agents: simulated events per second on the
//! default morning, and an 8-hour working day for 10, 100 and 1,000 agents on the floor
//! `agentdesk run --autopilot N --generated-contacts` builds (`training::floor`: the five roles
//! below, 200 preview and 100 push-preview contacts and 1.4 web callbacks an hour per agent).
//! Building the world is setup, not measured. Run: `cargo bench --bench engine`.

use std::hint::black_box;
use std::time::Duration as WallDuration;

use agentdesk::engine::Engine;
use agentdesk::training::{autopilot, floor};
use agentdesk::world::AgentId;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use chrono::Duration;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn build(scenario: Scenario, agents: usize, seed: u64) -> (Engine, Vec<AgentId>) {
    let mut engine = Engine::new(RoleBook::embedded_default(), scenario, seed);
    let roles: Vec<usize> = floor::BENCH_ROLES
        .iter()
        .map(|name| {
            engine
                .roles()
                .role_index(name)
                .unwrap_or_else(|| panic!("default role {name} is missing"))
        })
        .collect();
    let ids = floor::log_in(&mut engine, &roles, agents);
    (engine, ids)
}

fn simulate(engine: &mut Engine, agents: &[AgentId], hours: i64) -> u64 {
    let until = engine.now() + Duration::hours(hours);
    let stats = autopilot::drive(engine, agents, until);
    // The autopilot checks before it acts; a refusal would mean the benchmark measures a
    // disagreement between check and execute rather than work.
    assert_eq!(stats.refused, 0, "{stats:?}");
    engine.events_handled()
}

/// `cargo bench` passes `--bench`; `cargo test --all-targets` runs each benchmark once
/// without it, only to see that it works, so there a short day for few agents is enough.
fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn events_per_second(c: &mut Criterion) {
    let agents = 10;
    // Counted once outside the timing: the run is deterministic, so every iteration handles
    // the same events.
    let events = {
        let (mut e, ids) = build(Scenario::embedded_default(), agents, 1);
        simulate(&mut e, &ids, 1)
    };
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function(
        "default morning, 10 autopilot agents, 1 simulated hour",
        |b| {
            b.iter_batched(
                || build(Scenario::embedded_default(), agents, 1),
                |(mut e, ids)| {
                    let events = black_box(simulate(&mut e, &ids, 1));
                    (e, events)
                },
                BatchSize::LargeInput,
            )
        },
    );
    group.finish();
}

fn working_day(c: &mut Criterion) {
    let (floors, hours): (&[usize], i64) = if measuring() {
        (&[10, 100, 1_000], 8)
    } else {
        (&[10], 1)
    };
    let mut group = c.benchmark_group("working day");
    group.sample_size(10);
    group.measurement_time(WallDuration::from_secs(30));
    for &agents in floors {
        let scenario = floor::with_generated_contacts(Scenario::embedded_default(), agents);
        let events = {
            let (mut e, ids) = build(scenario.clone(), agents, 1);
            let events = simulate(&mut e, &ids, hours);
            eprintln!(
                "{hours}-hour day, {agents} agents: {events} events, {} interactions, {} audit \
                 entries",
                e.interactions().len(),
                e.audit().entries().len()
            );
            events
        };
        group.throughput(Throughput::Elements(events));
        group.bench_with_input(
            BenchmarkId::new(format!("{hours} h, autopilot agents"), agents),
            &agents,
            |b, &agents| {
                b.iter_batched(
                    || build(scenario.clone(), agents, 1),
                    // The world is handed back so that freeing it is not timed either.
                    |(mut e, ids)| {
                        let events = black_box(simulate(&mut e, &ids, hours));
                        (e, events)
                    },
                    BatchSize::PerIteration,
                )
            },
        );
    }
    group.finish();
}

criterion_group!(benches, events_per_second, working_day);
criterion_main!(benches);
