//! Running scripts through the real binary: exit codes, the transcript, determinism of the
//! transcript and the audit file, the JUnit report, and the headless traffic run.

use crate::common::{Ran, temp_file};
use agentdesk::policy::{Cell, cell};
use agentdesk::qa::matrix;
use std::path::Path;
use tempfile::{NamedTempFile, TempDir};

fn script_file(text: &str) -> NamedTempFile {
    temp_file(".script", text)
}

/// `agentdesk run ARGS [--script SCRIPT]`.
fn run(args: &[&str], script: Option<&Path>) -> Ran {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    if let Some(s) = script {
        all.extend(["--script", s.to_str().expect("UTF-8 path")]);
    }
    Ran::of(&all)
}

const FAILING: &str = "\
login agent \"Dana\"
get-record
expect allowed
reject
expect denied \"Outbound - Can Cancel Record\"
expect stage closed
";

#[test]
fn a_failing_expectation_exits_1_and_names_its_line() {
    let script = script_file(FAILING);
    let out = run(&[], Some(script.path()));
    assert_eq!(out.code, Some(1), "{out}");
    let text = out.stdout.clone();
    assert!(
        text.contains(
            "    FAILED (line 5): expected reject on line 4 to be denied, but it was allowed"
        ),
        "{text}"
    );
    assert!(
        text.contains("[2026-11-23 08:30:00] line 4: reject"),
        "{text}"
    );
    assert_eq!(text.lines().last(), Some("2 passed, 1 failed"));
}

#[test]
fn a_wait_that_times_out_stops_the_script_and_skips_the_rest() {
    let script = script_file(
        "login agent \"Dana\"\nwait offer within 10m\naccept\nexpect allowed\nexpect stage preview\n",
    );
    let out = run(&[], Some(script.path()));
    assert_eq!(out.code, Some(1), "{out}");
    let text = out.stdout.clone();
    // Dana works pull preview only: nothing is ever offered to her.
    assert!(
        text.contains("FAILED (line 2): no offer reached the agent by 2026-11-23 08:40:00"),
        "{text}"
    );
    assert!(!text.contains("line 3: accept"), "{text}");
    assert_eq!(text.lines().last(), Some("0 passed, 1 failed, 2 skipped"));
}

#[test]
fn a_denial_with_the_named_privilege_missing_passes() {
    let script = script_file(
        "login agent \"Dana\"\nget-record\ncancel\nexpect denied privilege \"Outbound - Can Cancel Record\"\n\
         expect stage preview\nmark-done\nexpect denied stage\n",
    );
    let out = run(&[], Some(script.path()));
    let text = out.stdout.clone();
    assert_eq!(out.code, Some(0), "{text}");
    assert!(
        text.contains("=> denied (privilege): Cancel (preview, preview) denied: missing Outbound - Can Cancel Record"),
        "{text}"
    );
    assert_eq!(text.lines().last(), Some("3 passed, 0 failed"));
}

#[test]
fn coverage_counts_the_matrix_cells_the_run_exercised() {
    let script = script_file(
        "login agent \"Dana\"\nget-record\ncancel\nreject\nmark-done\nexpect invalid\n",
    );
    let text = run(&[], Some(script.path())).stdout;
    let gated = matrix::cells()
        .filter(|&(c, a, s)| matches!(cell(c, a, s), Cell::Needs(_)))
        .count();
    // get-record (allowed) and cancel (denied) in preview; reject then closes the record, so
    // mark-done meets a closed interaction, which is no matrix cell.
    assert!(
        text.contains(&format!(
            "privilege coverage: 3 of {gated} matrix cells exercised (2 allowed, 1 denied), {} never exercised; 1 attempt(s) where the action does not exist",
            gated - 3
        )),
        "{text}"
    );
    assert!(
        text.contains("  exercised preview: get-record@campaign (1 allowed), reject@preview (1 allowed), cancel@preview (1 denied)"),
        "{text}"
    );
    assert!(
        text.contains("  never preview: dial@{preview,after-call} "),
        "{text}"
    );
    assert!(
        text.contains("  never web-callback: accept@offered "),
        "{text}"
    );
}

/// A script with traffic, random call outcomes and actions on several channels.
const BUSY: &str = "\
login agent \"Alex\"
wait offer within 30m
accept
dial
wait stage after-call within 15m
set-disposition \"Resolved\"
mark-done
expect allowed
advance to 12:05
get-record
dial
wait stage after-call within 15m
login agent \"Priya\"
wait offer within 30m
accept
dial
advance 2h
expect stage after-call
";

#[test]
fn same_seed_same_script_gives_identical_transcript_and_audit_file() {
    let script = script_file(BUSY);
    let dir = TempDir::new().expect("temp dir");
    let audit = |name: &str| dir.path().join(name);
    let runs: Vec<(Ran, Vec<u8>)> = ["a.jsonl", "b.jsonl"]
        .iter()
        .map(|name| {
            let path = audit(name);
            let out = run(
                &["--seed", "7", "--audit", path.to_str().expect("UTF-8")],
                Some(script.path()),
            );
            (out, std::fs::read(&path).expect("audit file written"))
        })
        .collect();
    assert_eq!(runs[0].0.code, runs[1].0.code);
    assert_eq!(runs[0].0.stdout, runs[1].0.stdout);
    // Identical but for the run each line names (issue 25): same seed and roles digest,
    // another id, so that the two logs concatenated are told apart.
    let split = |bytes: &[u8]| -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
        String::from_utf8_lossy(bytes)
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).expect("JSON");
                let run = v
                    .as_object_mut()
                    .and_then(|o| o.remove("run"))
                    .expect("run");
                (run, v)
            })
            .unzip()
    };
    let ((run_a, rest_a), (run_b, rest_b)) = (split(&runs[0].1), split(&runs[1].1));
    assert_eq!(rest_a, rest_b);
    assert_eq!(run_a[0]["seed"], 7);
    assert_eq!(run_a[0]["roles_sha256"], run_b[0]["roles_sha256"]);
    assert_ne!(run_a[0]["id"], run_b[0]["id"]);
    assert!(run_a.iter().all(|r| *r == run_a[0]));
    let audit_text = String::from_utf8(runs[0].1.clone()).expect("UTF-8");
    crate::consumers::check_audit_lines(&audit_text);
    let lines: Vec<&str> = audit_text.lines().collect();
    // One entry per action line of the script: accept, dial, set-disposition, mark-done,
    // get-record, dial, accept, dial.
    assert_eq!(lines.len(), 8, "{audit_text}");
    for (i, line) in lines.iter().enumerate() {
        let entry: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        assert_eq!(entry["seq"], serde_json::json!(i + 1));
    }
    // The transcript's allowed, denied and invalid actions are the audit file's, one for one.
    let transcript = runs[0].0.stdout.clone();
    assert_eq!(runs[0].0.code, Some(0), "{transcript}");
    let shown = transcript.matches("    => allowed: ").count()
        + transcript.matches("    => denied (").count()
        + transcript.matches("    => invalid: ").count();
    assert_eq!(shown, lines.len(), "{transcript}");
}

#[test]
fn a_different_seed_gives_different_traffic() {
    let script = script_file(BUSY);
    let one = run(&["--seed", "1"], Some(script.path())).stdout;
    let two = run(&["--seed", "2"], Some(script.path())).stdout;
    let traffic = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.contains("web callback request from"))
            .map(str::to_string)
            .collect()
    };
    assert!(!traffic(&one).is_empty());
    assert_ne!(traffic(&one), traffic(&two));
}

/// A minimal well-formedness check: every tag closes in order, attributes are quoted, and no
/// bare `&` or `<` is left in text.
fn check_xml(xml: &str) -> Result<(), String> {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .ok_or("no XML declaration")?;
    let mut stack: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        if text.contains('>') {
            return Err(format!("bare > in text {text:?}"));
        }
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                .iter()
                .any(|e| entity.starts_with(e))
            {
                return Err(format!("bare & in {text:?}"));
            }
        }
        let close = rest[open..].find('>').ok_or("unclosed tag")? + open;
        let tag = &rest[open + 1..close];
        if tag.matches('"').count() % 2 != 0 || tag.contains('<') {
            return Err(format!("bad tag <{tag}>"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            if stack.pop().as_deref() != Some(name) {
                return Err(format!("</{name}> closes nothing open"));
            }
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().ok_or("empty tag")?;
            stack.push(name.to_string());
        }
        rest = &rest[close + 1..];
    }
    if stack.is_empty() && rest.trim().is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

#[test]
fn junit_report_has_a_testcase_per_expectation_and_the_failure() {
    let dir = TempDir::new().expect("temp dir");
    let junit = dir.path().join("report.xml");
    let script = script_file(FAILING);
    let out = run(
        &["--junit", junit.to_str().expect("UTF-8")],
        Some(script.path()),
    );
    assert_eq!(out.code, Some(1), "{out}");
    let xml = std::fs::read_to_string(&junit).expect("report written");
    check_xml(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    crate::consumers::check_junit(&junit);
    assert_eq!(xml.matches("<testcase ").count(), 3, "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    assert!(
        xml.contains("name=\"reject is denied (Outbound - Can Cancel Record)\""),
        "{xml}"
    );
    assert!(
        xml.contains(
            "<failure type=\"expectation\" message=\"expected reject on line 4 to be denied, but it was allowed"
        ),
        "{xml}"
    );
    assert!(xml.contains("tests=\"3\" failures=\"1\""), "{xml}");
    // Written atomically: nothing else is left in the directory.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("report.xml")]);
}

#[test]
fn without_a_script_the_scenario_runs_headless_for_the_given_hours() {
    let out = run(&["--hours", "2", "--seed", "3"], None);
    assert_eq!(out.code, Some(0), "{out}");
    let text = out.stdout.clone();
    let last = text.lines().last().expect("output");
    assert!(last.ends_with("ends 2026-11-23 10:30:00"), "{last}");
    let log_lines = text
        .lines()
        .filter(|l| l.starts_with("[2026-11-23 "))
        .count();
    assert!(log_lines > 10, "{text}");
    assert!(
        last.contains(&format!("{log_lines} transcript lines")),
        "{last}"
    );
    assert_eq!(text, run(&["--hours", "2", "--seed", "3"], None).stdout);
    let bad = run(&["--hours", "-1"], None);
    assert_eq!(bad.code, Some(2), "{bad}");
}
