//! Speed changes no outcome: for the same seed, the transcript and the audit log of every
//! example script, and of autopiloted floors, hash to the digests recorded here, byte for byte.
//!
//! A change of behaviour made on purpose (new wording, a new routing rule) updates the digests
//! in the same commit: run `AGENTDESK_PRINT_DIGESTS=1 cargo test --test integration digest --
//! --nocapture` and paste the table it prints. A failing digest writes what it hashed to the
//! target directory, so the difference can be read with `diff`.

use std::path::{Path, PathBuf};
use std::process::Command;

use agentdesk::engine::Engine;
use agentdesk::training::{autopilot, floor};
use agentdesk::world::AgentId;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use chrono::Duration;

/// The recorded digests: (name, bytes, FNV-1a 64 of the bytes).
#[rustfmt::skip]
const DIGESTS: &[(&str, usize, u64)] = &[
    ("dependencies-unmet.script/transcript", 98231, 0x2d5a7c8e5c7a140d),
    ("dependencies-unmet.script/audit", 4981, 0xa5efb8e874a01ccb),
    ("preview-compliance-and-fields.script/transcript", 18907, 0x85d460a06e436231),
    ("preview-compliance-and-fields.script/audit", 3106, 0x8f53176fe8955e2d),
    ("preview-record-lifecycle.script/transcript", 24892, 0xc4be6f8b908e0655),
    ("preview-record-lifecycle.script/audit", 3982, 0x146b71d2b1c9ed50),
    ("preview-reschedule-after-call.script/transcript", 10537, 0x95c74ba340dd021a),
    ("preview-reschedule-after-call.script/audit", 2128, 0x83b9382d788775cd),
    ("push-preview.script/transcript", 16179, 0xe4c2b3b53d9fb6b9),
    ("push-preview.script/audit", 3046, 0xe619d57a68453f05),
    ("web-callback-reschedule-after-call.script/transcript", 4019, 0xd8f7245a6e697984),
    ("web-callback-reschedule-after-call.script/audit", 1405, 0x3830794787052f9b),
    ("web-callback.script/transcript", 6560, 0xcf444291f46b70cc),
    ("web-callback.script/audit", 2650, 0xd957a799d643c0ec),
    ("day-100/transcript", 11880543, 0x941ad23e47ce58d9),
    ("day-100/audit", 31364881, 0xf8acf0ff03ab3aa8),
    ("morning-all-roles/transcript", 137279, 0xb2fd489f890832dc),
    ("morning-all-roles/audit", 316248, 0x665925e4342abc72),
    ("traffic-24h/transcript", 68703, 0xdc023fe1779602b3),
    ("traffic-24h/audit", 0, 0xcbf29ce484222325),
];

/// FNV-1a, 64 bits: stable across platforms and Rust versions, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Everything hashed in one run, checked together so one failure shows every difference.
#[derive(Default)]
struct Digests {
    got: Vec<(String, usize, u64)>,
    bytes: Vec<Vec<u8>>,
}

impl Digests {
    fn add(&mut self, name: &str, bytes: &[u8]) {
        self.got.push((name.to_string(), bytes.len(), fnv1a(bytes)));
        self.bytes.push(bytes.to_vec());
    }

    fn check(&self, names: &[&str]) {
        if std::env::var_os("AGENTDESK_PRINT_DIGESTS").is_some() {
            for (name, len, hash) in &self.got {
                println!("    (\"{name}\", {len}, 0x{hash:016x}),");
            }
        }
        let mut wrong = Vec::new();
        for name in names {
            let got = self.got.iter().position(|(n, ..)| n == name);
            let want = DIGESTS.iter().find(|(n, ..)| n == name);
            match (got.map(|i| &self.got[i]), want) {
                (Some((_, len, hash)), Some((_, want_len, want_hash)))
                    if len == want_len && hash == want_hash => {}
                (found, want) => {
                    wrong.push(format!("{name}: got {found:?}, recorded {want:?}"));
                    if let Some(i) = got {
                        let dir = dump_dir();
                        let _ = std::fs::create_dir_all(&dir);
                        let _ = std::fs::write(dir.join(name.replace('/', "_")), &self.bytes[i]);
                    }
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "behaviour changed (what was hashed is in {}):\n{}",
            dump_dir().display(),
            wrong.join("\n")
        );
    }
}

fn dump_dir() -> PathBuf {
    std::env::temp_dir().join("agentdesk-digests")
}

fn example_scripts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scripts");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("assets/scripts exists")
        .map(|e| {
            e.expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into()
        })
        .filter(|n: &String| n.ends_with(".script"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_example_script_gives_the_recorded_transcript_and_audit_log() {
    let scripts = example_scripts();
    assert!(scripts.len() >= 7, "{scripts:?}");
    let mut digests = Digests::default();
    let mut names = Vec::new();
    let audit_dir = tempfile::tempdir().expect("a temporary directory");
    for script in &scripts {
        let audit = audit_dir.path().join(format!("{script}.jsonl"));
        // A relative script path, so the transcript's header does not depend on the checkout.
        let out = Command::new(env!("CARGO_BIN_EXE_agentdesk"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["run", "--seed", "1", "--script"])
            .arg(format!("assets/scripts/{script}"))
            .arg("--audit")
            .arg(&audit)
            .output()
            .expect("the agentdesk binary runs");
        assert_eq!(out.status.code(), Some(0), "{script}");
        let transcript = format!("{script}/transcript");
        let log = format!("{script}/audit");
        digests.add(&transcript, &out.stdout);
        digests.add(
            &log,
            &std::fs::read(&audit).expect("the audit log was written"),
        );
        names.push(transcript);
        names.push(log);
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    digests.check(&names);
}

/// Agents `Agent 000`, ... rotating through `roles` (names of the default roles file).
fn floor(scenario: Scenario, roles: &[&str], agents: usize, seed: u64) -> (Engine, Vec<AgentId>) {
    let mut engine = Engine::new(RoleBook::embedded_default(), scenario, seed);
    let roles: Vec<usize> = roles
        .iter()
        .map(|r| engine.roles().role_index(r).expect("a default role"))
        .collect();
    let ids = floor::log_in(&mut engine, &roles, agents);
    (engine, ids)
}

/// Drives the floor for `hours` and hashes its transcript and audit log.
fn drive_and_hash(
    digests: &mut Digests,
    name: &str,
    (mut engine, agents): (Engine, Vec<AgentId>),
    hours: i64,
) {
    let until = engine.now() + Duration::hours(hours);
    let stats = autopilot::drive(&mut engine, &agents, until);
    assert_eq!(stats.refused, 0, "{name}: {stats:?}");
    engine.check_invariants().expect("the bookkeeping holds");
    let transcript: String = engine
        .log()
        .iter()
        .map(|l| format!("[{}] {}\n", agentdesk::world::fmt_time(l.time), l.text))
        .collect();
    let audit = engine.audit().to_json_lines(engine.audit().entries());
    digests.add(&format!("{name}/transcript"), transcript.as_bytes());
    digests.add(&format!("{name}/audit"), audit.as_bytes());
}

#[test]
fn autopiloted_floors_give_the_recorded_transcript_and_audit_log() {
    let mut digests = Digests::default();
    // The benchmark's floor: 100 agents, a whole working day.
    drive_and_hash(
        &mut digests,
        "day-100",
        floor(
            floor::with_generated_contacts(Scenario::embedded_default(), 100),
            &floor::BENCH_ROLES,
            100,
            1,
        ),
        8,
    );
    // Every role of the default roles file on the default morning, whose small contact lists
    // run dry: idle agents, roles whose privileges do not take effect, offers nobody can take.
    let book = RoleBook::embedded_default();
    let all_roles: Vec<&str> = book.roles.iter().map(|r| r.name.as_str()).collect();
    drive_and_hash(
        &mut digests,
        "morning-all-roles",
        floor(
            Scenario::embedded_default(),
            &all_roles,
            2 * all_roles.len(),
            3,
        ),
        6,
    );
    // The scenario's traffic alone for a day: no agent, so every callback expires unanswered.
    drive_and_hash(
        &mut digests,
        "traffic-24h",
        floor(Scenario::embedded_default(), &floor::BENCH_ROLES, 0, 5),
        24,
    );
    digests.check(&[
        "traffic-24h/transcript",
        "traffic-24h/audit",
        "day-100/transcript",
        "day-100/audit",
        "morning-all-roles/transcript",
        "morning-all-roles/audit",
    ]);
}
