//! The `agentdesk` binary as QA scripts run it: real process, real exit codes, real streams.

use std::path::Path;

use crate::common::{Ran, temp_file};
use agentdesk::qa::matrix;
use agentdesk::world::roles::RoleBook;
use tempfile::NamedTempFile;

fn roles_file(text: &str) -> NamedTempFile {
    temp_file(".toml", text)
}

fn path_arg(file: &NamedTempFile) -> &str {
    file.path().to_str().expect("temp paths are UTF-8")
}

/// Cells per role, from the contract: 10 web-callback actions x 5 stages, 1 + 12 x 5 preview
/// rows, 13 x 5 push-preview rows.
const CELLS_PER_ROLE: usize = 10 * 5 + 1 + 13 * 5 + 14 * 5;

fn default_role_count() -> usize {
    RoleBook::embedded_default().roles.len()
}

fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("CSV header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("CSV row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn matrix_csv_has_the_contract_header_one_row_per_cell_and_the_spec_example() {
    let out = Ran::of(&["matrix", "--format", "csv"]);
    assert!(out.code == Some(0), "{out}");
    let text = out.stdout.clone();
    assert_eq!(
        text.lines().next(),
        Some("role,channel,action,stage,decision,missing,reason")
    );
    assert_eq!(CELLS_PER_ROLE, matrix::cells().count());
    assert_eq!(CELLS_PER_ROLE, 186);
    assert_eq!(
        text.lines().count(),
        default_role_count() * CELLS_PER_ROLE + 1
    );

    // The default preview agent has Can Reschedule but not Before Call: the vendor's own
    // example of a privilege that works after the call and not before it.
    assert!(
        text.lines().any(|l| l
            == "Outbound Preview Agent,preview,reschedule,preview,denied,Outbound - Can Reschedule Before Call,missing Outbound - Can Reschedule Before Call"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l == "Outbound Preview Agent,preview,reschedule,after-call,allowed,,")
    );
    assert!(
        text.lines()
            .any(|l| l == "Outbound Preview Agent,preview,get-record,campaign,allowed,,")
    );

    let (header, rows) = parse_csv(&text);
    assert_eq!(header.len(), 7);
    for row in &rows {
        assert!(
            ["allowed", "denied", "not-applicable"].contains(&row[4].as_str()),
            "{row:?}"
        );
        assert_eq!(row[4] == "denied", !row[5].is_empty(), "{row:?}");
        assert_eq!(row[4] == "allowed", row[6].is_empty(), "{row:?}");
    }
}

#[test]
fn csv_is_the_default_format_and_csv_quoting_follows_rfc_4180() {
    let file = roles_file(
        "[[role]]\nname = 'Night shift, \"Tier 2\"'\nprivileges = [\"Outbound - Can Use\"]\n",
    );
    let out = Ran::of(&["matrix", "--roles", path_arg(&file)]);
    assert!(out.code == Some(0), "{out}");
    let text = out.stdout.clone();
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("\"Night shift, \"\"Tier 2\"\"\",web-callback,accept,")),
        "{text}"
    );
    let (_, rows) = parse_csv(&text);
    assert_eq!(rows.len(), CELLS_PER_ROLE);
    assert!(rows.iter().all(|r| r[0] == "Night shift, \"Tier 2\""));
    // Several missing privileges share one field, joined with ';' in catalogue order.
    let row = rows
        .iter()
        .find(|r| r[1] == "preview" && r[2] == "reschedule" && r[3] == "preview")
        .expect("reschedule row");
    assert_eq!(
        row[5],
        "Outbound - Can Reschedule;Outbound - Can Reschedule Before Call"
    );
}

#[test]
fn matrix_json_carries_the_same_rows_as_csv() {
    let csv_out = Ran::of(&["matrix", "--format", "csv"]);
    let json_out = Ran::of(&["matrix", "--format", "json"]);
    assert!(json_out.code == Some(0), "{json_out}");
    let doc: serde_json::Value =
        serde_json::from_str(&json_out.stdout.clone()).expect("matrix --format json is JSON");
    assert_eq!(doc["roles_file"], "embedded");
    assert_eq!(
        doc["product_version"],
        agentdesk::policy::ProductVersion::NEWEST.to_string()
    );
    assert_eq!(doc["agentdesk_version"], env!("CARGO_PKG_VERSION"));
    let json = doc["rows"].as_array().expect("rows is an array");
    let (_, csv_rows) = parse_csv(&csv_out.stdout.clone());
    assert_eq!(json.len(), default_role_count() * CELLS_PER_ROLE);
    assert_eq!(json.len(), csv_rows.len());
    for (j, c) in json.iter().zip(&csv_rows) {
        for (i, key) in ["role", "channel", "action", "stage", "decision"]
            .iter()
            .enumerate()
        {
            assert_eq!(j[key].as_str(), Some(c[i].as_str()), "{j}");
        }
        let missing: Vec<&str> = j["missing"]
            .as_array()
            .expect("missing is an array")
            .iter()
            .map(|v| v.as_str().expect("names are strings"))
            .collect();
        assert_eq!(missing.join(";"), c[5], "{j}");
        assert_eq!(j["reason"].as_str(), Some(c[6].as_str()), "{j}");
    }
}

#[test]
fn matrix_markdown_is_a_table_with_one_line_per_row() {
    let out = Ran::of(&["matrix", "--format", "markdown"]);
    assert!(out.code == Some(0), "{out}");
    let text = out.stdout.clone();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("| role | channel | action | stage | decision | missing | reason |")
    );
    assert_eq!(lines.next(), Some("|---|---|---|---|---|---|---|"));
    assert_eq!(lines.count(), default_role_count() * CELLS_PER_ROLE);
    assert!(text.contains(
        "| Outbound Preview Agent | preview | reschedule | preview | denied | Outbound - Can Reschedule Before Call | missing Outbound - Can Reschedule Before Call |"
    ));
}

#[test]
fn matrix_with_a_broken_roles_file_exits_2_and_says_where() {
    let file = roles_file("[[role]]\nname = \"A\"\nprivileges = [\"Outbound - Can Usee\"]\n");
    let out = Ran::of(&["matrix", "--roles", path_arg(&file)]);
    assert_eq!(out.code, Some(2));
    assert!(out.stdout.is_empty(), "no partial matrix on stdout");
    let err = out.stderr.clone();
    assert!(
        err.contains(&format!("{}:3:15: error", file.path().display())),
        "{err}"
    );
}

#[test]
fn roles_check_exits_0_on_a_clean_file() {
    let file = roles_file(
        "[[role]]\nname = \"Dialer\"\nprivileges = [\"Outbound - Can Use\", \"Outbound - Can Set Call Result\"]\n\n[[agent]]\nname = \"Kim\"\nroles = [\"Dialer\"]\n",
    );
    for extra in [&[][..], &["--deny-warnings"][..]] {
        let mut args = vec!["roles", "check", path_arg(&file)];
        args.extend_from_slice(extra);
        let out = Ran::of(&args);
        assert_eq!(out.code, Some(0), "{out}");
        assert_eq!(
            out.stdout.clone(),
            format!(
                "{}: 1 roles, 1 agents, 0 warning(s), 0 note(s)\n",
                file.path().display()
            )
        );
        assert!(out.stderr.is_empty(), "{out}");
    }
}

#[test]
fn roles_check_warnings_fail_only_with_deny_warnings() {
    let roles = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/roles.toml");
    let roles = roles.to_str().expect("UTF-8 path");

    let out = Ran::of(&["roles", "check", roles]);
    assert_eq!(out.code, Some(0), "{out}");
    let summary = out.stdout.clone();
    assert!(
        summary.contains(&format!("{} roles", default_role_count())),
        "{summary}"
    );

    let out = Ran::of(&["roles", "check", roles, "--deny-warnings"]);
    let err = out.says(1, &[]);
    // One warning per inactive grant, each at the line of the grant, all in the demo section
    // at the end of the file (the everyday roles above it are clean).
    let text = std::fs::read_to_string(roles).expect("read assets/roles.toml");
    let demo_section = text
        .lines()
        .position(|l| l.starts_with("# The roles below are deliberately incomplete"))
        .expect("assets mark the demo section")
        + 1;
    let warned_lines: Vec<usize> = err
        .lines()
        .filter(|l| l.contains(": warning: "))
        .filter_map(|l| l.strip_prefix(&format!("{roles}:")))
        .filter_map(|rest| rest.split(':').next()?.parse().ok())
        .collect();
    let inactive_grants: usize = RoleBook::embedded_default()
        .roles
        .iter()
        .map(|r| r.granted.minus(r.granted.effective()).len())
        .sum();
    assert!(inactive_grants > 0);
    assert_eq!(warned_lines.len(), inactive_grants, "{err}");
    assert!(
        warned_lines.iter().all(|&l| l > demo_section),
        "{warned_lines:?}"
    );
    for l in warned_lines {
        let granted = text.lines().nth(l - 1).expect("line exists").trim();
        assert!(granted.starts_with('"'), "line {l}: {granted}");
    }
}

#[test]
fn roles_check_exits_2_on_errors_with_file_line_column() {
    let file = roles_file(
        "[[role]]\nname = \"A\"\nprivileges = [\"Can Reschedule Before Call\"]\n\n[[agent]]\nname = \"Z\"\nroles = [\"B\"]\n",
    );
    let out = Ran::of(&["roles", "check", path_arg(&file)]);
    let err = out.says(2, &[]);
    let path = file.path().display();
    assert!(
        err.contains(&format!("{path}:3:15: error: ambiguous privilege")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{path}:7:10: error: agent \"Z\" refers to unknown role \"B\""
        )),
        "{err}"
    );
    assert!(err.contains(&format!("{path}: 2 error(s)")), "{err}");

    let out = Ran::of(&["roles", "check", "/nonexistent/roles.toml"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .clone()
            .contains("/nonexistent/roles.toml: error: cannot open file"),
        "{}",
        out.stderr.clone()
    );
}

/// `agentdesk explain` of `action` on `channel` at `stage` for `role` (the embedded roles).
fn explain(role: &str, channel: &str, action: &str, stage: &str) -> Ran {
    Ran::of(&[
        "explain",
        "--role",
        role,
        "--channel",
        channel,
        "--action",
        action,
        "--stage",
        stage,
    ])
}

#[test]
fn explain_an_allowed_decision_names_what_it_relies_on() {
    let out = explain(
        "Outbound Preview Agent",
        "preview",
        "reschedule",
        "after-call",
    );
    assert_eq!(out.code, Some(0), "{out}");
    assert_eq!(
        out.stdout.clone(),
        "role: Outbound Preview Agent\n\
         decision: allowed\n\
         Reschedule (preview, after-call) is allowed: requires Outbound - Can Reschedule, all effective\n"
    );
}

#[test]
fn explain_a_denial_shows_the_unmet_chain_and_the_inactive_grant() {
    let out = explain(
        "Demo: Outbound Before Call without Reschedule",
        "preview",
        "reschedule",
        "preview",
    );
    assert_eq!(out.code, Some(0), "{out}");
    let text = out.stdout.clone();
    assert!(text.contains("decision: denied (privilege)"), "{text}");
    assert!(
        text.contains("denied: missing Outbound - Can Reschedule\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "Outbound - Can Reschedule Before Call is granted, but inactive: requires \
             Outbound - Can Reschedule (documented dependency)"
        ),
        "{text}"
    );
}

#[test]
fn explain_a_stage_denial_is_not_available() {
    let out = explain("Supervisor", "preview", "hang-up", "offered");
    assert_eq!(out.code, Some(0));
    let text = out.stdout.clone();
    assert!(text.contains("decision: not-applicable (stage)"), "{text}");
    assert!(
        text.contains("the action does not exist in this stage"),
        "{text}"
    );
}

#[test]
fn explain_an_unknown_role_or_keyword_exits_2_with_did_you_mean() {
    let base = [
        "explain",
        "--channel",
        "preview",
        "--action",
        "reschedule",
        "--stage",
        "preview",
    ];
    let mut args = base.to_vec();
    args.extend(["--role", "Outbound Preview Agnet"]);
    let out = Ran::of(&args);
    assert_eq!(out.code, Some(2));
    assert!(out.stdout.is_empty());
    assert_eq!(
        out.stderr.clone(),
        "error: unknown role \"Outbound Preview Agnet\" (did you mean \"Outbound Preview Agent\"?)\n"
    );

    let out = explain("Supervisor", "preview", "reschedule", "after_call");
    out.says(
        2,
        &[
            "unknown stage \"after_call\"",
            "did you mean \"after-call\"",
        ],
    );
}

/// The shipped 8.1 example roles file, relative to the repository.
fn roles_8_1() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/roles-8.1.toml")
        .display()
        .to_string()
}

#[test]
fn matrix_of_an_8_1_roles_file_has_176_rows_a_role_and_no_dial_new_number() {
    let out = Ran::of(&["matrix", "--roles", &roles_8_1()]);
    assert!(out.code == Some(0), "{out}");
    let text = out.stdout.clone();
    let roles = RoleBook::load(Path::new(&roles_8_1()))
        .expect("loads")
        .book
        .roles
        .len();
    assert_eq!(text.lines().count(), roles * 176 + 1);
    assert!(!text.contains("dial-new-number"), "{text}");
    // The default roles, at the newest version, have the rows docs/matrix.md states: 186 a role.
    let text = Ran::of(&["matrix"]).stdout;
    assert_eq!(text.lines().count(), default_role_count() * 186 + 1);
    assert!(text.contains("Supervisor,preview,dial-new-number,after-call,allowed,,\n"));
    assert!(text.contains(
        "Demo: Outbound Dial On New Number without Dial Alternative,push-preview,dial-new-number,preview,denied,Outbound - Can Dial Alternative Chained Record;Outbound - Can Use Push Preview,\"missing Outbound - Can Dial Alternative Chained Record, because Outbound - Can Dial On New Number requires Outbound - Can Dial Alternative Chained Record (documented dependency); missing Outbound - Can Use Push Preview; Outbound - Can Dial On New Number is granted, but inactive: requires Outbound - Can Dial Alternative Chained Record (documented dependency)\"\n"
    ));
}

#[test]
fn roles_check_of_an_8_1_file_granting_dial_on_new_number_names_the_version() {
    let file = roles_file(
        "product_version = \"8.1.401.05\"\n\n[[role]]\nname = \"A\"\nprivileges = [\n    \"Outbound - Can Use\",\n    \"Outbound - Can Dial On New Number\",\n]\n",
    );
    let out = Ran::of(&["roles", "check", path_arg(&file)]);
    assert_eq!(out.code, Some(2));
    let text = out.stderr.clone() + &out.stdout.clone();
    assert!(
        text.contains(":7:5: error: \"Outbound - Can Dial On New Number\" does not exist in product version 8.1.401.05: it was added in 8.5.115.17"),
        "{text}"
    );
    let file = roles_file("product_version = \"8.0.200.01\"\n");
    let out = Ran::of(&["matrix", "--roles", path_arg(&file)]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .clone()
            .contains("older than 8.1.400, the first version agentdesk models"),
        "{}",
        out.stderr.clone()
    );
}

#[test]
fn explain_dial_new_number_in_8_1_says_the_action_does_not_exist_there() {
    let out = Ran::of(&[
        "explain",
        "--roles",
        &roles_8_1(),
        "--role",
        "Supervisor",
        "--channel",
        "preview",
        "--action",
        "dial-new-number",
        "--stage",
        "preview",
    ]);
    assert_eq!(out.code, Some(0), "{out}");
    let text = out.stdout.clone();
    assert!(text.contains("decision: not-applicable (stage)"), "{text}");
    assert!(
        text.contains(
            "dial-new-number does not exist in product version 8.1.401.05 (added in 8.5.115.17)"
        ),
        "{text}"
    );
}

/// A floor keeps counts only (`Engine::keep_counts_only`), yet its audit file is, line for
/// line, the log the same floor keeps in memory when it keeps everything, and its summary
/// counts every attempt.
#[test]
fn a_floors_audit_file_is_the_whole_log_though_the_floor_keeps_only_counts() {
    use agentdesk::engine::Engine;
    use agentdesk::training::{autopilot, floor};
    use agentdesk::world::scenario::Scenario;

    // The run's identity (a start time and process id) is the one thing that differs.
    let without_run = |line: &str| {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        v.as_object_mut().unwrap().remove("run");
        v
    };
    let d = tempfile::tempdir().unwrap();
    let args = [
        "run",
        "--autopilot",
        "10",
        "--generated-contacts",
        "--hours",
        "2",
    ];
    let r = Ran::in_dir(
        d.path(),
        &[&args[..], &["--seed", "5", "--audit", "floor.jsonl"]].concat(),
    );
    assert_eq!(r.code, Some(0), "{r}");
    let text = std::fs::read_to_string(d.path().join("floor.jsonl")).unwrap();
    let written: Vec<_> = text.lines().map(without_run).collect();

    let scenario = floor::with_generated_contacts(Scenario::embedded_default(), 10);
    let mut e = Engine::new(RoleBook::embedded_default(), scenario, 5);
    let roles: Vec<usize> = (0..e.roles().roles.len()).collect();
    let agents = floor::log_in(&mut e, &roles, 10);
    let until = e.now() + chrono::Duration::hours(2);
    autopilot::drive(&mut e, &agents, until);
    let log = e.audit();
    let kept: Vec<_> = log
        .entries()
        .iter()
        .map(|entry| without_run(&log.json_line(entry)))
        .collect();
    assert!(kept.len() > 100, "{} entries", kept.len());
    assert_eq!(written.len(), kept.len());
    assert!(
        written == kept,
        "the floor's audit file differs from the log kept in memory"
    );
    let summary = format!("({} audited attempts: {} allowed", kept.len(), kept.len());
    assert!(
        r.stdout.contains(&summary),
        "{summary:?} not in:\n{}",
        r.stdout
    );
}
