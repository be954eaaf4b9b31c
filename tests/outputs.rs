//! Each output fed to the tool its users feed it to: JUnit reports to xmllint with Jenkins
//! xunit's schema, audit logs to their JSON Schema and the pandas and DuckDB recipes of `docs/audit-log.md`,
//! the matrix CSV to pandas; and the matrix export's memory on a very large roles file.

use std::path::Path;
use std::process::{Command, Stdio};

use agentdesk::policy::{Action, CATALOGUE, Channel, Stage};
use tempfile::TempDir;

use crate::common::{Ran, example_scripts, write_file as write};
use crate::consumers::{check_audit_lines, check_junit, python, run_python};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A failed expectation, a line that cannot run (the wait times out), and what it skips; the
/// line numbers cross from one digit to two so sorting by name is tested.
const MIXED: &str = "\
login agent \"Dana\"
get-record
expect allowed
reject
expect denied \"Outbound - Can Cancel Record\"
# padding so that later lines have two digits
#
#
#
wait offer within 1m
expect stage closed
expect allowed
";

/// Runs `script` as `mixed.script` in `dir` on seed 3 (it fails: exit 1) and returns its
/// JUnit report, checked against Jenkins xunit's schema, and what the run printed.
fn failing_junit(dir: &Path, script: &str) -> (String, String) {
    write(dir, "mixed.script", script);
    let out = Ran::in_dir(
        dir,
        &[
            "run",
            "--seed",
            "3",
            "--script",
            "mixed.script",
            "--junit",
            "report.xml",
        ],
    );
    assert_eq!(out.code, Some(1));
    let report = dir.join("report.xml");
    check_junit(&report);
    (read(&report), out.stdout.clone())
}

#[test]
fn junit_of_a_failing_run_is_valid_with_failure_error_skips_and_the_transcript() {
    let dir = TempDir::new().expect("temp dir");
    let (xml, printed) = failing_junit(dir.path(), MIXED);
    assert!(
        xml.contains("<testsuite name=\"mixed\" tests=\"5\" failures=\"1\" errors=\"1\" skipped=\"2\" time=\""),
        "{xml}"
    );
    for needle in [
        " file=\"mixed.script\">",
        "<property name=\"seed\" value=\"3\"/>",
        "<property name=\"roles\" value=\"embedded\"/>",
        "<property name=\"scenario\" value=\"embedded\"/>",
        "<property name=\"product_version\" value=\"8.5.115.17\"/>",
        "<property name=\"simulated_start\" value=\"2026-11-23T08:30:00-05:00\"/>",
        "<testcase name=\"get-record is allowed\" classname=\"mixed\" time=\"0.",
        "<property name=\"simulated_seconds\" value=\"60\"/>",
        "<failure type=\"expectation\" message=\"expected reject on line 4 to be denied, but it was allowed",
        ">mixed.script:5: expected reject on line 4",
        "<testcase name=\"an offer arrives within 1m\" classname=\"mixed\" time=\"0.",
        "<error type=\"could-not-run\" message=\"no offer reached the agent by 2026-11-23 08:31:00\">mixed.script:10: ",
        "<skipped type=\"skipped\" message=\"not run: line 10 could not run, so the rest of the script was skipped\">mixed.script:11: not run: line 10",
        "<system-out>script mixed.script: scenario",
    ] {
        assert!(xml.contains(needle), "missing {needle:?} in\n{xml}");
    }
    assert!(xml.contains(" timestamp=\"") && xml.contains(" hostname=\""));
    // Names say what each case checks (docs/qa-outputs.md), not where it stands.
    assert_eq!(
        case_names(&xml),
        [
            "get-record is allowed",
            "reject is denied (Outbound - Can Cancel Record)",
            "an offer arrives within 1m",
            "stage is closed (after reject)",
            "reject is allowed",
        ]
    );
    // `time` is wall-clock seconds: the 60 simulated seconds of the wait are a property.
    let total: f64 = xml
        .split("<testcase ")
        .skip(1)
        .filter_map(|c| {
            c.split("time=\"")
                .nth(1)?
                .split('"')
                .next()?
                .parse::<f64>()
                .ok()
        })
        .sum();
    assert!(total < 5.0, "cases took {total} s of wall time?\n{xml}");
    // The run-level element carries no counts (junit-10.xsd allows no `skipped` there, and
    // readers that sum it would count the skipped cases as passed).
    assert!(
        xml.contains("<testsuites name=\"agentdesk\" time=\""),
        "{xml}"
    );
    assert_eq!(
        printed.lines().last(),
        Some("1 passed, 2 failed, 2 skipped")
    );
}

/// The `name` of every `<testcase>` of a report, in order.
fn case_names(xml: &str) -> Vec<String> {
    xml.split("<testcase name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&quot;", "\""))
        .collect()
}

/// Editing a script above its checks (a comment, a new check) renames none of the cases that
/// were there: CI tools key a case's history on suite + classname + name.
#[test]
fn a_script_edited_above_its_checks_keeps_its_case_names() {
    let dir = TempDir::new().expect("temp dir");
    let report = |script: &str| case_names(&failing_junit(dir.path(), script).0);
    let before = report(MIXED);
    let edited = MIXED.replacen(
        "get-record\n",
        "# a comment added above\nget-record\nexpect stage preview\n",
        1,
    );
    let after = report(&edited);
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    let kept: Vec<String> = after
        .iter()
        .filter(|n| n.as_str() != "stage is preview (after get-record)")
        .cloned()
        .collect();
    assert_eq!(kept, before);
}

#[test]
fn a_script_or_roles_file_that_cannot_be_used_still_writes_a_report_of_errors() {
    let dir = TempDir::new().expect("temp dir");
    write(
        dir.path(),
        "bad.script",
        "login agent \"Dana\"\ndail\nexpect allowed\nwait stage nowhere\n",
    );
    // An old, green report must not survive a broken run.
    write(
        dir.path(),
        "report.xml",
        "<testsuites tests=\"1\" failures=\"0\" errors=\"0\"/>\n",
    );
    let out = Ran::in_dir(
        dir.path(),
        &["run", "--script", "bad.script", "--junit", "report.xml"],
    );
    assert_eq!(out.code, Some(2));
    let report = dir.path().join("report.xml");
    check_junit(&report);
    let xml = read(&report);
    // Every error of the file, each its own case.
    assert!(
        xml.contains("tests=\"3\" failures=\"0\" errors=\"3\""),
        "{xml}"
    );
    assert!(xml.contains("<error type=\"unusable-input\""), "{xml}");
    assert!(
        xml.contains("<testcase name=\"bad.script:2:1: unknown command &quot;dail&quot;\" classname=\"bad\" time=\"0.000\">"),
        "{xml}"
    );
    assert!(
        xml.contains("help: did you mean \"dial\"?</error>"),
        "{xml}"
    );

    write(dir.path(), "ok.script", "login agent \"Dana\"\n");
    write(
        dir.path(),
        "roles.toml",
        "[[role]]\nname = \"A\"\nprivileges = [\"Outbound - Can Usee\"]\n",
    );
    let out = Ran::in_dir(
        dir.path(),
        &[
            "run",
            "--roles",
            "roles.toml",
            "--scenario",
            "missing.toml",
            "--script",
            "ok.script",
            "--junit",
            "report.xml",
        ],
    );
    assert_eq!(out.code, Some(2));
    check_junit(&report);
    let xml = read(&report);
    assert!(xml.contains("errors=\"2\""), "{xml}");
    assert!(
        xml.contains("<testcase name=\"roles.toml:3:15: unknown privilege"),
        "{xml}"
    );
    assert!(
        xml.contains("<testcase name=\"missing.toml: cannot open file"),
        "{xml}"
    );
    assert!(
        xml.contains("<property name=\"roles\" value=\"roles.toml\"/>"),
        "{xml}"
    );
}

#[test]
fn every_example_writes_a_valid_junit_report_and_a_valid_audit_log() {
    let dir = TempDir::new().expect("temp dir");
    for script in example_scripts() {
        let report = dir.path().join("report.xml");
        let audit = dir.path().join("audit.jsonl");
        let (report_arg, audit_arg) = (report.display().to_string(), audit.display().to_string());
        let out = Ran::example(&script, &["--junit", &report_arg, "--audit", &audit_arg]);
        assert_eq!(out.code, Some(0), "{}: {out}", script.display());
        check_junit(&report);
        let lines = check_audit_lines(&read(&audit));
        assert!(!lines.is_empty(), "{}", script.display());
        for line in &lines {
            assert_eq!(line["source"], "script");
            assert!(line["script_line"].as_u64().is_some_and(|l| l > 0));
        }
    }
}

/// A schema that lags the code would reject good lines, or accept wrong ones.
#[test]
fn the_audit_schema_lists_exactly_the_programs_keywords() {
    let schema = crate::consumers::audit_schema();
    let props = &schema["properties"];
    let enum_of = |key: &str, nested: bool| -> Vec<String> {
        let node = if nested {
            &props[key]["items"]
        } else {
            &props[key]
        };
        node["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{key} has an enum"))
            .iter()
            .map(|v| v.as_str().unwrap_or("null").to_string())
            .collect()
    };
    let strings = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    assert_eq!(
        enum_of("channel", false),
        strings(Channel::ALL.iter().map(|c| c.as_str()).collect())
    );
    assert_eq!(
        enum_of("action", false),
        strings(Action::ALL.iter().map(|a| a.as_str()).collect())
    );
    assert_eq!(
        enum_of("stage", false),
        strings(Stage::ALL.iter().map(|s| s.as_str()).collect())
    );
    assert_eq!(
        enum_of("missing", true),
        strings(CATALOGUE.iter().map(|p| p.name).collect())
    );
    assert_eq!(
        enum_of("decision", false),
        strings(
            agentdesk::engine::audit::Decision::ALL
                .iter()
                .map(|d| d.as_str())
                .collect()
        )
    );
    let mut kinds = strings(
        agentdesk::policy::DenialKindName::ALL
            .iter()
            .map(|k| k.as_str())
            .collect(),
    );
    kinds.push("null".into());
    assert_eq!(enum_of("kind", false), kinds);
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(required, agentdesk::engine::audit::CSV_HEADER.to_vec());
}

/// What counts as an attempt: an action line of a logged-in agent, whatever became of it.
const UNRUNNABLE: &str = "\
login agent \"Dana\"
get-record
expect allowed
login agent \"Priya\"
select #1
dial
expect invalid
";

#[test]
fn lines_that_never_reach_authorization_are_logged_as_invalid() {
    let dir = TempDir::new().expect("temp dir");
    write(dir.path(), "other.script", UNRUNNABLE);
    let out = Ran::in_dir(
        dir.path(),
        &["run", "--script", "other.script", "--audit", "audit.jsonl"],
    );
    assert_eq!(out.code, Some(0), "{}", &out.stdout);
    let lines = check_audit_lines(&read(&dir.path().join("audit.jsonl")));
    assert_eq!(lines.len(), 2, "{lines:?}");
    let invalid = &lines[1];
    assert_eq!(invalid["agent"], "Priya");
    assert_eq!(invalid["action"], "dial");
    assert_eq!(invalid["decision"], "invalid");
    assert_eq!(invalid["interaction"], 1);
    assert_eq!(invalid["stage"], "preview");
    assert_eq!(invalid["script_line"], 6);
    assert_eq!(invalid["reason"], "interaction #1 belongs to another agent");

    // With no preview campaign running, get-record is still the agent's attempt.
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios/default.toml");
    let text = read(&scenario).replace("running = true", "running = false");
    write(dir.path(), "default.toml", &text);
    for asset in std::fs::read_dir(scenario.parent().expect("folder")).expect("scenarios") {
        let asset = asset.expect("entry").path();
        if asset.extension().is_some_and(|x| x == "csv") {
            std::fs::copy(&asset, dir.path().join(asset.file_name().expect("name")))
                .expect("copy a contact list");
        }
    }
    write(
        dir.path(),
        "idle.script",
        "login agent \"Dana\"\nget-record\n",
    );
    let out = Ran::in_dir(
        dir.path(),
        &[
            "run",
            "--scenario",
            "default.toml",
            "--script",
            "idle.script",
            "--audit",
            "idle.jsonl",
        ],
    );
    assert_eq!(out.code, Some(1), "{}", &out.stderr);
    let lines = check_audit_lines(&read(&dir.path().join("idle.jsonl")));
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["decision"], "invalid");
    assert_eq!(lines[0]["stage"], "campaign");
    assert_eq!(lines[0]["interaction"], serde_json::Value::Null);
    assert_eq!(
        lines[0]["reason"],
        "the scenario has no running preview campaign"
    );
}

/// The fenced block that follows `<!-- tested: NAME -->` in `docs/audit-log.md`.
pub fn readme_block(name: &str) -> String {
    let readme = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/audit-log.md"));
    let marker = format!("<!-- tested: {name} -->");
    let after = readme
        .split_once(&marker)
        .unwrap_or_else(|| panic!("docs/audit-log.md has no {marker}"))
        .1;
    let body = after
        .split_once("```")
        .and_then(|(_, rest)| rest.split_once('\n'))
        .map(|(_, rest)| rest)
        .expect("a fenced block follows the marker");
    body.split_once("```")
        .expect("the block is closed")
        .0
        .to_string()
}

#[test]
fn the_readme_recipes_read_the_audit_log_in_duckdb_and_pandas() {
    let Some(python) = python() else { return };
    let dir = TempDir::new().expect("temp dir");
    // A run without a single denial: the case where data tools used to lose `kind`.
    let calm = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scripts/push-preview.script");
    let script = read(&calm);
    let allowed_only: String = script
        .lines()
        .take_while(|l| !l.starts_with("login agent \"Tom\""))
        .map(|l| format!("{l}\n"))
        .collect();
    write(dir.path(), "calm.script", &allowed_only);
    let busy = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scripts/web-callback.script");
    for (script, expect_denials) in [(dir.path().join("calm.script"), false), (busy, true)] {
        let audit = dir.path().join("audit.jsonl");
        let out = Command::new(env!("CARGO_BIN_EXE_agentdesk"))
            .arg("run")
            .arg("--script")
            .arg(&script)
            .arg("--audit")
            .arg(&audit)
            .stdout(Stdio::null())
            .status()
            .expect("agentdesk runs");
        assert!(out.success());
        let lines = check_audit_lines(&read(&audit));
        let denials = lines.iter().filter(|l| l["decision"] == "denied").count();
        assert_eq!(denials > 0, expect_denials, "{}", script.display());

        let sql = readme_block("audit-duckdb");
        let program = format!(
            "import duckdb\nq = {sql:?}\nrel = duckdb.sql(q)\nprint(rel.columns)\nfor row in rel.fetchall():\n    print(row)\n"
        );
        let shown = run_python(&python, dir.path(), &program);
        let mut lines_out = shown.lines();
        assert_eq!(
            lines_out.next(),
            Some("['privilege', 'denials']"),
            "{shown}"
        );
        assert_eq!(lines_out.count() > 0, expect_denials, "{shown}");

        let view = sql
            .split_once(';')
            .expect("the recipe starts with its view")
            .0;
        let schema = format!("{view};\nDESCRIBE audit;");
        let program = format!(
            "import duckdb\nfor row in duckdb.sql({schema:?}).fetchall():\n    print(row[0], row[1])\n"
        );
        let described = run_python(&python, dir.path(), &program);
        for column in agentdesk::engine::audit::CSV_HEADER {
            assert!(
                described
                    .lines()
                    .any(|l| l.split(' ').next() == Some(column)),
                "DuckDB lost {column}:\n{described}"
            );
        }
        assert!(
            described.contains("time TIMESTAMP WITH TIME ZONE"),
            "{described}"
        );

        let pandas = readme_block("audit-pandas");
        let shown = run_python(&python, dir.path(), &pandas);
        assert!(shown.contains("privilege"), "{shown}");
        assert_eq!(
            shown.contains("Web Callback - Can Cancel"),
            expect_denials,
            "{shown}"
        );
    }
}

#[test]
fn the_matrix_csv_reads_in_pandas_with_no_missing_decisions_and_no_formulas() {
    let Some(python) = python() else { return };
    let dir = TempDir::new().expect("temp dir");
    write(
        dir.path(),
        "roles.toml",
        "[[role]]\nname = '=HYPERLINK(\"http://example.invalid\",\"x\")'\nprivileges = [\"Outbound - Can Use\"]\n\n[[role]]\nname = \"Plain\"\n",
    );
    let out = Ran::in_dir(dir.path(), &["matrix", "--roles", "roles.toml"]);
    assert_eq!(out.code, Some(0), "{out}");
    std::fs::write(dir.path().join("matrix.csv"), &out.stdout).expect("write the matrix");
    let shown = run_python(
        &python,
        dir.path(),
        "import pandas as pd\n\
         m = pd.read_csv('matrix.csv')\n\
         print(int(m['decision'].isna().sum()))\n\
         print(sorted(m['decision'].unique()))\n\
         print(sorted(m['role'].unique()))\n\
         print(int((m['decision'] != 'allowed').sum() - m['reason'].notna().sum()))\n",
    );
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines[0], "0", "no decision read as missing");
    assert_eq!(lines[1], "['allowed', 'denied', 'not-applicable']");
    assert_eq!(
        lines[2],
        "['\\'=HYPERLINK(\"http://example.invalid\",\"x\")', 'Plain']"
    );
    assert_eq!(lines[3], "0", "every refused cell has its reason");
}

/// Peak resident memory of a finished child, from the kernel's accounting of that child.
#[cfg(target_os = "linux")]
fn run_measured(mut cmd: Command) -> (std::process::ExitStatus, u64) {
    let child = cmd.spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills; the pid is our own child, reaped once
    // here (the `Child` is forgotten so it is not waited for again).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    std::mem::forget(child);
    assert_eq!(reaped, pid, "wait4");
    let status = std::os::unix::process::ExitStatusExt::from_raw(status);
    (status, usage.ru_maxrss as u64 * 1024)
}

/// The high-water mark of a running process's resident memory, in bytes.
#[cfg(target_os = "linux")]
fn peak_so_far(pid: u32) -> u64 {
    let status = read(Path::new(&format!("/proc/{pid}/status")));
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/PID/status");
    kb * 1024
}

/// 100,000 roles make 17.6 million rows, gigabytes if they were collected before writing. The
/// export is read until 300,000 lines have come out (so the test stays quick on a debug
/// build); an export that collected the rows first would be at its peak by then.
#[cfg(target_os = "linux")]
#[test]
fn the_matrix_of_100000_roles_streams_in_the_memory_of_its_roles_file() {
    use std::io::{BufRead, BufReader};

    let dir = TempDir::new().expect("temp dir");
    let mut text = String::new();
    let grants = [
        "",
        "\"Outbound - Can Use\"",
        "\"Web Callback - Can Use Callback Channel\"",
    ];
    for i in 0..100_000 {
        text.push_str(&format!(
            "[[role]]\nname = \"Role {i:06}\"\nprivileges = [{}]\n",
            grants[i % grants.len()]
        ));
    }
    let roles = write(dir.path(), "roles.toml", &text);
    let bin = env!("CARGO_BIN_EXE_agentdesk");
    let mut check = Command::new(bin);
    check
        .arg("roles")
        .arg("check")
        .arg(&roles)
        .stdout(Stdio::null());
    let (status, loaded) = run_measured(check);
    assert!(status.success());
    for format in ["csv", "json", "markdown", "html"] {
        let mut child = Command::new(bin)
            .args(["matrix", "--format", format, "--roles"])
            .arg(&roles)
            .stdout(Stdio::piped())
            .spawn()
            .expect("agentdesk starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut seen = 0;
        while seen < 300_000 {
            match lines.next() {
                Some(line) => {
                    line.expect("UTF-8 output");
                    seen += 1;
                }
                None => panic!("{format}: only {seen} lines"),
            }
        }
        let peak = peak_so_far(child.id());
        child.kill().expect("stop the export");
        let _ = child.wait();
        eprintln!(
            "{format}: peak {} MB after {seen} lines; the roles file alone {} MB",
            peak >> 20,
            loaded >> 20
        );
        assert!(
            peak < loaded + (64 << 20),
            "{format}: peak {peak} bytes, loading the roles alone {loaded}"
        );
    }
}
