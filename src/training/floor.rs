//! A floor of autopiloted agents: N agents rotating through roles, and a generated scenario
//! with work enough for all of them all day. `agentdesk run --autopilot`, the engine
//! benchmarks and the behaviour digests build the same floor from here.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveTime;

use crate::engine::Engine;
use crate::world::scenario::{ContactList, ContactListBuilder, NewContact, Scenario};
use crate::world::{AgentId, CallingWindow, CampaignMode, PhoneType, TimeZone};

/// The roles of the benchmarks' floor: every channel, and a trainee who cannot reschedule or
/// reject, so stuck records are part of the load too.
pub const BENCH_ROLES: [&str; 5] = [
    "Outbound Preview Agent",
    "Push Preview Agent",
    "Web Callback Agent",
    "Supervisor",
    "Trainee",
];

/// The most agents a floor may hold: memory grows with the agents (and with their generated
/// contacts), so `run --autopilot` refuses more before it starts (see `docs/limits.md`).
pub const MAX_FLOOR_AGENTS: usize = 1_000;

/// The most agent-hours (agents times simulated hours) a floor may run: what a floor keeps
/// grows with both, so 1,000 agents may work an 8-hour day, 100 agents 80 hours.
pub const MAX_FLOOR_AGENT_HOURS: f64 = 8_000.0;

/// Generated contacts per agent on a preview campaign, and on a push-preview one.
pub const PREVIEW_CONTACTS_PER_AGENT: usize = 200;
pub const PUSH_CONTACTS_PER_AGENT: usize = 100;

/// Logs in `agents` agents named `Agent 000`, `Agent 001`, ..., giving agent `i` the role
/// `roles[i % roles.len()]` (indexes into the engine's role book). No roles: no agents.
pub fn log_in(engine: &mut Engine, roles: &[usize], agents: usize) -> Vec<AgentId> {
    if roles.is_empty() {
        return Vec::new();
    }
    (0..agents)
        .map(|i| engine.login(&format!("Agent {i:03}"), vec![roles[i % roles.len()]]))
        .collect()
}

/// `scenario` made ready for a floor of `agents`: each campaign's contacts replaced by
/// generated ones ([`PREVIEW_CONTACTS_PER_AGENT`], [`PUSH_CONTACTS_PER_AGENT`]) and the web
/// callback traffic scaled from the scenario's rate for ten agents. For 100 agents on the
/// default scenario this is the benchmarks' working day.
///
/// Campaigns that share a contact list in the scenario share one generated list, each still
/// limited by its own `max_contacts`, as their file would be: the default scenario's campaign
/// that has not started takes 10 rows of the renewals list, not a list of its own.
pub fn with_generated_contacts(mut scenario: Scenario, agents: usize) -> Scenario {
    let centre = scenario.centre_offset_minutes();
    let lists = &scenario.contact_lists;
    // The campaign whose list each campaign's is: the first naming the same rows.
    let mut first = HashMap::new();
    let owner: Vec<usize> = (0..lists.len())
        .map(|i| *first.entry(lists[i].rows_identity()).or_insert(i))
        .collect();
    let mut generated: Vec<Option<ContactList>> = vec![None; lists.len()];
    let campaigns = &scenario.campaigns;
    // Each list is its own stream, so they are generated side by side.
    std::thread::scope(|scope| {
        for (i, list) in generated.iter_mut().enumerate() {
            if owner[i] != i {
                continue;
            }
            let per_agent = match campaigns.get(i).map(|c| c.mode) {
                Some(CampaignMode::PushPreview) => PUSH_CONTACTS_PER_AGENT,
                _ => PREVIEW_CONTACTS_PER_AGENT,
            };
            scope.spawn(move || {
                *list = Some(contacts(per_agent * agents, i as u64 + 1, centre));
            });
        }
    });
    for (i, list) in scenario.contact_lists.iter_mut().enumerate() {
        if let Some(rows) = &generated[owner[i]] {
            *list = rows.limited(campaigns.get(i).and_then(|c| c.max_contacts));
        }
    }
    scenario.web_callbacks.per_hour *= agents as f64 / 10.0;
    scenario
}

/// A fixed pseudo-random stream (splitmix64), so every run generates the same contacts (and
/// the benches the same roles). Not the simulation's RNG: it only makes inputs.
pub struct Stream(pub u64);

impl Stream {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `count` contacts in three time zones (Eastern, Central, Pacific) with one to three numbers
/// each, callable 08:00-21:00 their time; `centre_minutes` is the centre's UTC offset. They are
/// written straight into the list's one text buffer, as a contact list file is read.
pub fn contacts(count: usize, seed: u64, centre_minutes: i32) -> ContactList {
    let mut stream = Stream(seed);
    let zones = [("Eastern", -300), ("Central", -360), ("Pacific", -480)]
        .map(|(name, offset)| TimeZone::new(name, offset - centre_minutes));
    let hm = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    let window = CallingWindow {
        from: hm(8),
        till: hm(21),
    };
    let names = ["Account", "Email", "Notes"].map(Arc::<str>::from);
    let mut list = ContactListBuilder::new(names.to_vec());
    list.reserve(count, count * 80);
    // Written into texts used again for every contact, the row number counted up in decimal
    // in place: formatting machinery and a string a cell would cost more than the rest of
    // the day.
    let (mut first, mut account, mut email) = (String::new(), String::new(), String::new());
    let mut numbers = [String::new(), String::new(), String::new()];
    let mut row = String::from("0");
    const KINDS: [PhoneType; 3] = [PhoneType::Home, PhoneType::Work, PhoneType::Mobile];
    for i in 0..count {
        if i > 0 {
            count_up(&mut row);
        }
        let r = stream.next_u64();
        let zone = &zones[(r % 3) as usize];
        let phones = 1 + (r >> 8) as usize % 3;
        for (k, number) in numbers.iter_mut().enumerate().take(phones) {
            number.clear();
            number.push_str("+1 212 ");
            push_digits(number, i % 1000, 3);
            number.push(' ');
            push_digits(number, (i * 3 + k) % 10_000, 4);
        }
        first.clear();
        first.push_str("Contact");
        first.push_str(&row);
        account.clear();
        account.push_str("AC-");
        for _ in row.len()..6 {
            account.push('0');
        }
        account.push_str(&row);
        email.clear();
        email.push_str("contact");
        email.push_str(&row);
        email.push_str("@example.com");
        let [home, work, mobile] = &numbers;
        let all = [
            (KINDS[0], home.as_str()),
            (KINDS[1], work.as_str()),
            (KINDS[2], mobile.as_str()),
        ];
        list.push(&NewContact {
            first_name: &first,
            last_name: "Generated",
            fields: &[&account, &email, ""],
            time_zone: zone,
            phones: &all[..phones],
            window,
        });
    }
    list.finish()
}

/// Appends the last `width` decimal digits of `n`, zero-padded.
fn push_digits(s: &mut String, n: usize, width: u32) {
    for place in (0..width).rev() {
        let digit = n / 10_usize.pow(place) % 10;
        s.push(char::from(b'0' + digit as u8));
    }
}

/// Adds one to the decimal number `digits` (digits only, at least one).
fn count_up(digits: &mut String) {
    let mut nines = 0;
    loop {
        match digits.pop() {
            Some('9') => nines += 1,
            Some(d) => {
                digits.push(char::from(d as u8 + 1));
                break;
            }
            None => {
                digits.push('1');
                break;
            }
        }
    }
    for _ in 0..nines {
        digits.push('0');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn campaigns_sharing_a_list_share_its_generated_rows_each_up_to_its_limit() {
        let scenario = with_generated_contacts(Scenario::embedded_default(), 3);
        let lists = &scenario.contact_lists;
        let limits: Vec<_> = scenario.campaigns.iter().map(|c| c.max_contacts).collect();
        // Renewals (a running preview campaign and one not started, limited to 10), survey.
        assert_eq!(limits, [None, None, Some(10)]);
        assert_eq!(lists[0].len(), 3 * PREVIEW_CONTACTS_PER_AGENT);
        assert_eq!(lists[1].len(), 3 * PUSH_CONTACTS_PER_AGENT);
        assert_eq!(lists[2].len(), 10);
        assert!(lists[2].shares_rows_with(&lists[0]));
        assert!(!lists[1].shares_rows_with(&lists[0]));
        assert_eq!(lists[2][9].first_name, lists[0][9].first_name);
        assert_eq!(lists[0][9].first_name, "Contact9");
    }

    #[test]
    fn generated_contacts_read_as_written_by_hand() {
        let rows = contacts(1_235, 1, -300);
        let row = &rows[1_234];
        assert_eq!(row.first_name, "Contact1234");
        assert_eq!(row.fields[0].1, "AC-001234");
        assert_eq!(row.fields[1].1, "contact1234@example.com");
        assert_eq!(row.phones[0].1, "+1 212 234 3702");
        assert_eq!(rows[7].phones[0].1, "+1 212 007 0021");
        let mut s = String::new();
        push_digits(&mut s, 0, 3);
        push_digits(&mut s, 1_042, 3);
        assert_eq!(s, "000042");
        let mut n = String::from("0");
        for expected in ["1", "2"] {
            count_up(&mut n);
            assert_eq!(n, expected);
        }
        let mut n = String::from("1999");
        count_up(&mut n);
        assert_eq!(n, "2000");
        let mut n = String::from("99");
        count_up(&mut n);
        assert_eq!(n, "100");
    }
}
