//! Speed changes no outcome: for the same seed, the transcript and the audit log of every
//! example script, and of autopiloted floors, hash to the digests recorded here, byte for byte.
//!
//! The digests below were recorded on main as it was before the engine's speed-ups were merged
//! into it (the autopilot asking every agent after every event, routing scanning every
//! callback), with the same floors built by hand: the faster engine reproduces them exactly.
//! They were re-recorded on purpose when web callbacks became the eServices kinds (as soon
//! as possible / scheduled) with the reschedule queue's transcript line. `day-100/transcript`
//! was re-recorded when the floor's generated contacts began to follow the scenario's sharing
//! of lists (`floor::with_generated_contacts`): the campaign that has not started takes 10 rows
//! of the renewals list, so the web callbacks whose customer is drawn from its list name one of
//! those 10 contacts. Every other line, and the audit log, stayed the same.
//!
//! A change of behaviour made on purpose (new wording, a new routing rule) updates the digests
//! in the same commit: run `AGENTDESK_PRINT_DIGESTS=1 cargo test --test integration digest --
//! --nocapture` and paste the table it prints. A failing digest writes what it hashed to
//! `agentdesk-digests` in the temporary directory, so the difference can be read with `diff`.

use std::path::{Path, PathBuf};

use agentdesk::engine::Engine;
use agentdesk::training::{autopilot, floor};
use agentdesk::world::AgentId;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use chrono::Duration;

/// The recorded digests: (name, bytes, FNV-1a 64 of the bytes).
#[rustfmt::skip]
const DIGESTS: &[(&str, usize, u64)] = &[
    ("call-results-offered.script/transcript", 11437, 0x9c1287a249ec3450),
    ("call-results-offered.script/audit", 1527, 0xd3b52bc8685805e4),
    ("dependencies-unmet.script/transcript", 94246, 0x464fc1b57fc0c102),
    ("dependencies-unmet.script/audit", 4981, 0x383322979c4e8cc8),
    ("dial-new-number.script/transcript", 15471, 0x8ad14e90fe4af945),
    ("dial-new-number.script/audit", 3181, 0x86b82de4c08a4dcf),
    ("do-not-call-contact.script/transcript", 14397, 0x45c756a852e135b5),
    ("do-not-call-contact.script/audit", 2338, 0x144b7d981e9b71a6),
    ("mandatory-disposition.script/transcript", 79408, 0xc088efb030933bdb),
    ("mandatory-disposition.script/audit", 4120, 0x69f5b4015b2e31ae),
    ("mandatory-field.script/transcript", 13771, 0xe0923e5e7c66d2dc),
    ("mandatory-field.script/audit", 1833, 0x28b182c952e9100d),
    ("personal-and-campaign-callbacks.script/transcript", 28432, 0xf13a0094053d2ad7),
    ("personal-and-campaign-callbacks.script/audit", 4766, 0x518cd58a4050e66a),
    ("preview-compliance-and-fields.script/transcript", 15007, 0x23d6d0da3603db25),
    ("preview-compliance-and-fields.script/audit", 3136, 0x72f418f0545e1b0b),
    ("preview-record-lifecycle.script/transcript", 20983, 0xfc1839f1714f1952),
    ("preview-record-lifecycle.script/audit", 4238, 0xd9b017a3a79767f1),
    ("preview-reschedule-after-call.script/transcript", 9197, 0xaab16095a3c66d2f),
    ("preview-reschedule-after-call.script/audit", 2396, 0x64c6e76e6f508735),
    ("product-version-8-1.script/transcript", 12794, 0x2b8392cbfb97168b),
    ("product-version-8-1.script/audit", 856, 0x070e1c128cfe6dc4),
    ("push-preview.script/transcript", 14113, 0xd9de861da28d7bd3),
    ("push-preview.script/audit", 3046, 0xb82adfc6686298b8),
    ("recorded-desktop-session.script/transcript", 4336, 0xa7707caff3d73db3),
    ("recorded-desktop-session.script/audit", 867, 0xfe801f89017175e1),
    ("reschedule-during-call.script/transcript", 24445, 0xc1813636193dfe82),
    ("reschedule-during-call.script/audit", 2654, 0x7e49923f4751edc5),
    ("web-callback-reschedule-after-call.script/transcript", 5024, 0x0d8c908b4f9819d1),
    ("web-callback-reschedule-after-call.script/audit", 2073, 0xce449cc38535be6e),
    ("web-callback.script/transcript", 6906, 0xa8508a5d32282299),
    ("web-callback.script/audit", 2683, 0x0d09578c56750fe6),
    ("day-100/transcript", 13256778, 0x1649a520d88723ff),
    ("day-100/audit", 33938411, 0xf012ec9720f7f02a),
    ("morning-all-roles/transcript", 147034, 0xdbe2d2e14880dc26),
    ("morning-all-roles/audit", 330344, 0xe5e47a560f2c000d),
    ("traffic-24h/transcript", 69942, 0xc2ff16064a6f391c),
    ("traffic-24h/audit", 0, 0xcbf29ce484222325),
];

/// The audit lines without their `run` key (issue 25), which names when the run started: the
/// behaviour hashed is the rest of each line, as recorded before the key was added.
fn without_run(audit: &str) -> String {
    audit
        .lines()
        .map(|l| match l.split_once(",\"seq\":") {
            Some((run, rest)) if run.starts_with("{\"run\":") => format!("{{\"seq\":{rest}\n"),
            _ => format!("{l}\n"),
        })
        .collect()
}

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

/// The file names of the shipped example scripts, in name order.
fn example_scripts() -> Vec<String> {
    crate::common::shipped("scripts", "script")
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The `--roles` and `--scenario` a script's `# Run:` line names, as relative paths (so the
/// transcript does not depend on the checkout either).
fn run_options(script: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/scripts")
        .join(script);
    crate::common::run_line_options(&path)
        .into_iter()
        .flat_map(|(option, path)| [option, path])
        .collect()
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
        let (options, path) = (run_options(script), format!("assets/scripts/{script}"));
        let audit_arg = audit.display().to_string();
        let mut args = vec!["run", "--seed", "1"];
        args.extend(options.iter().map(String::as_str));
        args.extend(["--script", &path, "--audit", &audit_arg]);
        let out = crate::common::Ran::with(&args, |c| {
            c.current_dir(env!("CARGO_MANIFEST_DIR"));
        });
        assert_eq!(out.code, Some(0), "{script}: {out}");
        let transcript = format!("{script}/transcript");
        let log = format!("{script}/audit");
        digests.add(&transcript, out.stdout.as_bytes());
        let audit = std::fs::read_to_string(&audit).expect("the audit log was written");
        digests.add(&log, without_run(&audit).as_bytes());
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
    digests.add(&format!("{name}/audit"), without_run(&audit).as_bytes());
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
