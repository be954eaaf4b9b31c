use agentdesk::engine::Engine;
use agentdesk::training::autopilot;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::{ContactRow, Scenario};
use agentdesk::world::{AgentId, CallingWindow, CampaignMode, PhoneType, TimeZone};
use chrono::{Duration, NaiveTime};
/// The roles of the benchmark's floor: every channel, and a trainee who cannot reschedule or
/// reject, so stuck records are part of the load too.
const FLOOR_ROLES: [&str; 5] = [
    "Outbound Preview Agent",
    "Push Preview Agent",
    "Web Callback Agent",
    "Supervisor",
    "Trainee",
];

fn floor(scenario: Scenario, roles: &[&str], agents: usize, seed: u64) -> (Engine, Vec<AgentId>) {
    let mut engine = Engine::new(RoleBook::embedded_default(), scenario, seed);
    let ids = (0..agents)
        .map(|i| {
            let name = roles[i % roles.len()];
            let role = engine.roles().role_index(name).expect("a default role");
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

/// The benchmark's generated contacts: three time zones, one to three numbers each.
fn contacts(count: usize, seed: u64, centre_minutes: i32) -> Vec<ContactRow> {
    let mut stream = Stream(seed);
    let zones = [("Eastern", -300), ("Central", -360), ("Pacific", -480)];
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("a time");
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

/// The benchmark's scenario: the default one with 20,000 preview contacts, 10,000 push-preview
/// contacts and ten times the web callback traffic.
fn big_scenario() -> Scenario {
    let mut s = Scenario::embedded_default();
    let centre = s.centre_offset_minutes();
    for (i, list) in s.contact_lists.iter_mut().enumerate() {
        let size = match s.campaigns[i].mode {
            CampaignMode::Preview => 20_000,
            CampaignMode::PushPreview => 10_000,
        };
        *list = contacts(size, i as u64 + 1, centre);
    }
    s.web_callbacks.per_hour *= 10.0;
    s
}

fn dump(name: &str, e: &Engine) {
    let transcript: String = e
        .log()
        .iter()
        .map(|l| format!("[{}] {}\n", agentdesk::world::fmt_time(l.time), l.text))
        .collect();
    let audit = e.audit().to_json_lines(e.audit().entries());
    std::fs::write(format!("{name}.transcript"), transcript).unwrap();
    std::fs::write(format!("{name}.audit"), audit).unwrap();
}

fn main() {
    if let Ok(prefix) = std::env::var("DUMP_MORNING") {
        let book = RoleBook::embedded_default();
        let all_roles: Vec<&str> = book.roles.iter().map(|r| r.name.as_str()).collect();
        let (mut e, ids) = floor(
            Scenario::embedded_default(),
            &all_roles,
            2 * all_roles.len(),
            3,
        );
        let until = e.now() + Duration::hours(6);
        autopilot::drive(&mut e, &ids, until);
        dump(&prefix, &e);
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    let agents: usize = args.get(1).map_or(100, |a| a.parse().unwrap());
    let hours: i64 = args.get(2).map_or(8, |a| a.parse().unwrap());
    let t0 = std::time::Instant::now();
    let mut s = big_scenario();
    let f = agents as f64 / 100.0;
    for (i, list) in s.contact_lists.iter_mut().enumerate() {
        let n = (list.len() as f64 * f).ceil() as usize;
        *list = contacts(n, i as u64 + 1, -300);
    }
    s.web_callbacks.per_hour *= f;
    let (mut e, ids) = floor(s, &FLOOR_ROLES, agents, 1);
    let until = e.now() + Duration::hours(hours);
    let stats = autopilot::drive(&mut e, &ids, until);
    let wall = t0.elapsed();
    println!(
        "agents {agents} hours {hours}: events {} commands {} interactions {} audit {} wall {:?}",
        e.events_handled(),
        stats.commands,
        e.interactions().len(),
        e.audit().entries().len(),
        wall
    );
}
