//! Issue 25's output contracts (docs/qa-outputs.md): options are honoured or refused, never silently
//! ignored; the audit log in CSV; Markdown and lesson exports as their readers expect them.

use crate::common::Ran;

#[test]
fn a_junit_report_without_a_script_is_refused_saying_why() {
    let o = Ran::of(&["run", "--junit", "never-written.xml"]);
    assert_eq!(o.code, Some(2));
    assert!(o.stderr.contains("--script"), "{}", o.stderr);
    assert!(!std::path::Path::new("never-written.xml").exists());
}

#[test]
fn options_before_a_subcommand_apply_to_it() {
    let roles = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/roles-8.1.toml");
    let before = Ran::of(&["--roles", roles, "matrix"]);
    let after = Ran::of(&["matrix", "--roles", roles]);
    let embedded = Ran::of(&["matrix"]);
    assert_eq!(before.code, Some(0), "{}", before.stderr);
    assert_eq!(before.stdout, after.stdout);
    assert_ne!(before.stdout, embedded.stdout);
    // The seed before `run` is the run's seed.
    let a = Ran::of(&["--seed", "7", "run", "--hours", "1"]);
    let b = Ran::of(&["run", "--seed", "7", "--hours", "1"]);
    assert_eq!(a.code, Some(0), "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    assert!(a.stdout.contains("seed 7"), "{}", a.stdout);
}

#[test]
fn options_that_would_have_no_effect_are_refused_saying_why() {
    for (args, says) in [
        (
            &["--presenter", "matrix"][..],
            "--presenter is an option of the desktop window",
        ),
        (
            &["--agent", "Dana", "run", "--hours", "1"][..],
            "--agent is an option of the desktop window",
        ),
        (
            &["--scenario", "x.toml", "matrix"][..],
            "`agentdesk matrix` has no --scenario option",
        ),
        (
            &["--roles", "x.toml", "roles", "check", "y.toml"][..],
            "`agentdesk roles` has no --roles option",
        ),
        (
            &["--seed", "2", "run", "--seed", "3", "--hours", "1"][..],
            "--seed is given twice",
        ),
        (
            &["--lesson", "l.lesson", "--seed", "3"][..],
            "--seed has no effect with --lesson",
        ),
    ] {
        let o = Ran::of(args);
        assert_eq!(o.code, Some(2), "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{args:?}: {}", o.stderr);
        assert!(o.stdout.is_empty(), "{args:?}: {}", o.stdout);
    }
}

fn asset(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Runs `script` with the audit log at `audit` (and any more options); the run must succeed.
fn audited(dir: &std::path::Path, script: &std::path::Path, audit: &str, more: &[&str]) {
    let mut args = vec![
        "run",
        "--script",
        script.to_str().expect("UTF-8"),
        "--audit",
        audit,
    ];
    args.extend_from_slice(more);
    let o = Ran::in_dir(dir, &args);
    assert_eq!(o.code, Some(0), "{args:?}: {}", o.stderr);
}

#[test]
fn an_audit_log_name_of_no_known_format_is_refused_and_nothing_is_written() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let script = asset("assets/scripts/web-callback.script");
    let o = Ran::in_dir(
        dir.path(),
        &[
            "run",
            "--script",
            script.to_str().unwrap(),
            "--audit",
            "audit.log",
        ],
    );
    assert_eq!(o.code, Some(2));
    assert!(
        o.stderr.contains(".jsonl (or .json) or .csv"),
        "{}",
        o.stderr
    );
    assert!(!dir.path().join("audit.log").exists());
    // Said in so many words, any name is fine.
    audited(dir.path(), &script, "audit.log", &["--audit-format", "csv"]);
    let csv = std::fs::read_to_string(dir.path().join("audit.log")).unwrap();
    assert!(
        csv.starts_with(&agentdesk::engine::audit::CSV_HEADER.join(",")),
        "{csv}"
    );
}

/// The CSV has the JSON lines' columns in the same order, one header, a `run` column naming
/// the run, and the same values; logs of several runs concatenate and are told apart.
#[test]
fn the_audit_log_in_csv_is_the_json_lines_as_columns_with_the_run_on_every_row() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let script = asset("assets/scripts/web-callback.script");
    audited(dir.path(), &script, "a.jsonl", &[]);
    audited(dir.path(), &script, "a.csv", &[]);
    let json = crate::consumers::check_audit_lines(
        &std::fs::read_to_string(dir.path().join("a.jsonl")).unwrap(),
    );
    let mut reader = csv::Reader::from_path(dir.path().join("a.csv")).expect("the CSV reads");
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, agentdesk::engine::audit::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), json.len());
    let run_ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(run_ids.len(), 1, "one run: {run_ids:?}");
    for (row, line) in rows.iter().zip(&json) {
        let run = &line["run"];
        assert_eq!(run["seed"], 1);
        assert_eq!(
            run["roles_sha256"].as_str().map(str::len),
            Some(64),
            "{line}"
        );
        // Two runs, two ids.
        assert_ne!(run["id"].as_str(), Some(&row[0]), "{line}");
        for (i, key) in header.iter().enumerate().skip(1) {
            let want = match &line[key.as_str()] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                other => other.to_string(),
            };
            assert_eq!(row[i], want, "{key} in {line}");
        }
    }
}

/// The README's recipes on logs of two centres in different time zones, concatenated (pandas
/// used to fail with "Mixed timezones"), and the CSV in DuckDB with the same column types for
/// a run without a single denial as for one with denials.
#[test]
fn audit_logs_of_two_centres_concatenate_and_read_in_pandas_and_duckdb() {
    let Some(python) = crate::consumers::python() else {
        return;
    };
    let dir = tempfile::TempDir::new().expect("temp dir");
    let d = dir.path();
    let east = std::fs::read_to_string(asset("assets/scenarios/default.toml")).unwrap();
    let paris = east.replace(
        "centre_utc_offset_hours = -5",
        "centre_utc_offset_hours = 1",
    );
    assert_ne!(paris, east);
    std::fs::write(d.join("paris.toml"), paris).unwrap();
    for c in ["renewals.csv", "survey.csv"] {
        std::fs::copy(asset(&format!("assets/contacts/{c}")), d.join(c)).unwrap();
    }
    let busy = asset("assets/scripts/web-callback.script");
    audited(d, &busy, "east.jsonl", &[]);
    audited(d, &busy, "paris.jsonl", &["--scenario", "paris.toml"]);
    let both = std::fs::read_to_string(d.join("east.jsonl")).unwrap()
        + &std::fs::read_to_string(d.join("paris.jsonl")).unwrap();
    assert!(both.contains("-05:00\"") && both.contains("+01:00\""));
    std::fs::write(d.join("audit.jsonl"), both).unwrap();
    let shown =
        crate::consumers::run_python(&python, d, &crate::outputs::readme_block("audit-pandas"));
    assert!(shown.contains("Web Callback - Can Cancel"), "{shown}");
    let program = format!(
        "import duckdb\nq = {:?}\nprint(duckdb.sql(q).fetchall())\nprint(duckdb.sql('SELECT count(DISTINCT run.id) FROM audit').fetchall())\n",
        crate::outputs::readme_block("audit-duckdb")
    );
    let shown = crate::consumers::run_python(&python, d, &program);
    assert!(shown.contains("Web Callback - Can Cancel"), "{shown}");
    assert!(
        shown.trim_end().ends_with("[(2,)]"),
        "two runs told apart: {shown}"
    );

    // CSV: a run without a denial gives DuckDB the same column types as one with denials.
    let calm: String = std::fs::read_to_string(asset("assets/scripts/push-preview.script"))
        .unwrap()
        .lines()
        .take_while(|l| !l.starts_with("login agent \"Tom\""))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(d.join("calm.script"), calm).unwrap();
    audited(d, &d.join("calm.script"), "calm.csv", &[]);
    audited(d, &busy, "busy.csv", &[]);
    let program = "import duckdb\n\
        for f in ['calm.csv', 'busy.csv']:\n    \
            print([(r[0], r[1]) for r in duckdb.sql(f\"DESCRIBE SELECT * FROM read_csv('{f}')\").fetchall()])\n";
    let shown = crate::consumers::run_python(&python, d, program);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), 2, "{shown}");
    assert_eq!(
        lines[0], lines[1],
        "calm and busy CSV types differ:\n{shown}"
    );
    assert!(lines[0].contains("('kind', 'VARCHAR')"), "{shown}");
}
