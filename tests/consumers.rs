//! The tools that QA users feed agentdesk's outputs to, as the tests call them: `xmllint` with
//! Jenkins xunit's JUnit schema (`junit-10.xsd`), the audit log's JSON Schema
//! (`docs/audit-log.schema.json`, with the `jsonschema` crate), and Python with pandas and
//! DuckDB. `.ci/consumers.sh` puts the schema and the Python environment under the build's tmp
//! folder; CI installs `xmllint` (libxml2-utils) and Chromium.
//!
//! Outside CI a missing tool skips the check with a note; under CI (`CI` set) it fails.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Under CI every consumer must be there; elsewhere a missing one skips its check.
pub fn required(what: &str, found: bool) -> bool {
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is missing; .ci/run installs it (see .ci/consumers.sh)"
        );
        eprintln!("note: {what} is missing, its check is skipped (run .ci/consumers.sh)");
    }
    found
}

fn tmp_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

fn on_path(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok()
}

/// Jenkins xunit's JUnit schema: the copy kept beside the tests (MIT, its licence in its
/// header), as pytest's source distribution ships it.
pub fn junit_xsd() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/junit-10.xsd");
    required("junit-10.xsd", path.is_file()).then_some(path)
}

/// Validates a JUnit report the way Jenkins' xunit plugin would: `xmllint --schema
/// junit-10.xsd`. Panics with xmllint's words when it is not valid.
pub fn check_junit(report: &Path) {
    let Some(xsd) = junit_xsd() else { return };
    if !required("xmllint", on_path("xmllint")) {
        return;
    }
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(report)
        .output()
        .expect("xmllint runs");
    assert!(
        out.status.success(),
        "{} is not valid against junit-10.xsd:\n{}\n{}",
        report.display(),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(report).unwrap_or_default()
    );
}

/// The audit log's JSON Schema, as shipped.
pub fn audit_schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/audit-log.schema.json");
        let text = std::fs::read_to_string(path).expect("docs/audit-log.schema.json exists");
        serde_json::from_str(&text).expect("the schema is JSON")
    })
}

/// Validates every line of an audit log (JSON lines) against the shipped schema; returns the
/// parsed lines.
pub fn check_audit_lines(text: &str) -> Vec<serde_json::Value> {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        jsonschema::options()
            .should_validate_formats(true)
            .build(audit_schema())
            .expect("the audit schema compiles")
    });
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let value: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("audit line {} is not JSON ({e}): {line}", i + 1));
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "audit line {} does not match docs/audit-log.schema.json: {errors:?}\n{line}",
                i + 1
            );
            value
        })
        .collect()
}

/// The Python of `.ci/consumers.sh`'s environment, with pandas and DuckDB.
pub fn python() -> Option<PathBuf> {
    let path = std::env::var_os("AGENTDESK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp_dir().join("pyenv/bin/python"));
    let works = Command::new(&path)
        .args(["-c", "import pandas, duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    required("Python with pandas and duckdb", works).then_some(path)
}

/// Runs a Python program in `dir`; panics with its output when it fails. Returns stdout.
pub fn run_python(python: &Path, dir: &Path, program: &str) -> String {
    let out = Command::new(python)
        .current_dir(dir)
        .args(["-c", program])
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "python failed:\n{program}\n--- stdout\n{stdout}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}
