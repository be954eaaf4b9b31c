//! How fast the simulation runs with autopiloted agents: simulated events per second on the
//! default morning, and one simulated 8-hour day for 100 agents on a generated, larger
//! scenario (the default contact lists would run dry long before the day ends).
//! Run: `cargo bench --bench engine`.

use std::hint::black_box;
use std::time::Duration as WallDuration;

use agentdesk::engine::Engine;
use agentdesk::training::autopilot;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::{ContactRow, Scenario};
use agentdesk::world::{AgentId, CallingWindow, PhoneType, TimeZone};
use chrono::{Duration, NaiveTime};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

/// The roles the simulated floor rotates through: every channel, and a trainee who cannot
/// reschedule or reject, so stuck records are part of the load too.
const FLOOR_ROLES: [&str; 5] = [
    "Outbound Preview Agent",
    "Push Preview Agent",
    "Web Callback Agent",
    "Supervisor",
    "Trainee",
];

fn floor(scenario: Scenario, agents: usize, seed: u64) -> (Engine, Vec<AgentId>) {
    let mut engine = Engine::new(RoleBook::embedded_default(), scenario, seed);
    let ids = (0..agents)
        .map(|i| {
            let name = FLOOR_ROLES[i % FLOOR_ROLES.len()];
            let role = engine
                .roles()
                .role_index(name)
                .unwrap_or_else(|| panic!("default role {name} is missing"));
            engine.login(&format!("Agent {i:03}"), vec![role])
        })
        .collect();
    (engine, ids)
}

/// A fixed pseudo-random stream (splitmix64), so every run generates the same contacts.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `count` contacts in three time zones with one to three numbers each.
fn contacts(count: usize, seed: u64, centre_minutes: i32) -> Vec<ContactRow> {
    let mut stream = Stream(seed);
    let zones = [("Eastern", -300), ("Central", -360), ("Pacific", -480)];
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
    (0..count)
        .map(|i| {
            let r = stream.next();
            let (zone, offset) = zones[(r % 3) as usize];
            let phones = (0..1 + (r >> 8) % 3)
                .map(|k| {
                    let kind = [PhoneType::Home, PhoneType::Work, PhoneType::Mobile][k as usize];
                    (
                        kind,
                        format!(
                            "+1 212 {:03} {:04}",
                            i % 1000,
                            (i * 3 + k as usize) % 10_000
                        ),
                    )
                })
                .collect();
            ContactRow {
                first_name: format!("Contact{i}"),
                last_name: "Generated".into(),
                fields: vec![
                    ("Account".into(), format!("AC-{i:06}")),
                    ("Email".into(), format!("contact{i}@example.com")),
                    ("Notes".into(), String::new()),
                ],
                time_zone: TimeZone {
                    name: zone.into(),
                    offset_from_centre_minutes: offset - centre_minutes,
                },
                phones,
                window: CallingWindow {
                    from: hm(8, 0),
                    till: hm(21, 0),
                },
            }
        })
        .collect()
}

/// The default scenario with enough work for 100 agents all day: 20,000 preview contacts,
/// 10,000 push-preview contacts and ten times the web callback traffic.
fn big_scenario() -> Scenario {
    let mut s = Scenario::embedded_default();
    let centre = s.centre_offset_minutes();
    for (i, list) in s.contact_lists.iter_mut().enumerate() {
        let size = match s.campaigns[i].mode {
            agentdesk::world::CampaignMode::Preview => 20_000,
            agentdesk::world::CampaignMode::PushPreview => 10_000,
        };
        *list = contacts(size, i as u64 + 1, centre).into();
    }
    s.web_callbacks.per_hour *= 10.0;
    s
}

fn simulate(engine: &mut Engine, agents: &[AgentId], hours: i64) -> u64 {
    let until = engine.now() + Duration::hours(hours);
    let stats = autopilot::drive(engine, agents, until);
    // The autopilot checks before it acts; a refusal would mean the benchmark measures a
    // disagreement between check and execute rather than work.
    assert_eq!(stats.refused, 0, "{stats:?}");
    engine.events_handled()
}

fn events_per_second(c: &mut Criterion) {
    let agents = 10;
    // Counted once outside the timing: the run is deterministic, so every iteration handles
    // the same events.
    let events = {
        let (mut e, ids) = floor(Scenario::embedded_default(), agents, 1);
        simulate(&mut e, &ids, 1)
    };
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function(
        "default morning, 10 autopilot agents, 1 simulated hour",
        |b| {
            b.iter_batched(
                || floor(Scenario::embedded_default(), agents, 1),
                |(mut e, ids)| black_box(simulate(&mut e, &ids, 1)),
                BatchSize::LargeInput,
            )
        },
    );
    group.finish();
}

/// `cargo bench` passes `--bench`; `cargo test --all-targets` runs each benchmark once
/// without it, only to see that it works, so there a shorter day is enough.
fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn working_day(c: &mut Criterion) {
    let scenario = big_scenario();
    let hours = if measuring() { 8 } else { 1 };
    let events = {
        let (mut e, ids) = floor(scenario.clone(), 100, 1);
        let events = simulate(&mut e, &ids, hours);
        let done = e
            .interactions()
            .iter()
            .filter(|it| it.completion.is_some())
            .count();
        eprintln!(
            "{hours}-hour day, 100 agents: {events} events, {} interactions ({done} closed), {} audit entries",
            e.interactions().len(),
            e.audit().entries().len()
        );
        events
    };
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.measurement_time(WallDuration::from_secs(45));
    group.throughput(Throughput::Elements(events));
    group.bench_function("8-hour day, 100 autopilot agents", |b| {
        b.iter_batched(
            || floor(scenario.clone(), 100, 1),
            |(mut e, ids)| black_box(simulate(&mut e, &ids, hours)),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, events_per_second, working_day);
criterion_main!(benches);
