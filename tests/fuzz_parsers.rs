//! Hardened input: the roles-file, scenario-file and contact-list parsers never panic on
//! arbitrary or near-valid text, every rejection says where (`position`) unless it is about the
//! file as a whole, a scenario that loads also runs, and oversized files are refused with a
//! clear message in bounded memory. Hostile shapes too: thousands of errors on one line and
//! thousands of roles keep a capped list of short diagnostics, and campaigns naming one
//! contact list share its rows.
//!
//! Inputs come from proptest (cargo-fuzz needs nightly; this runs on stable in CI). Three kinds:
//! arbitrary strings; the shipped files with a few edits (deleted, inserted, duplicated or
//! swapped pieces), which get past the TOML grammar to the checks behind it; and files built
//! from the grammar's own pieces. Case counts keep the whole file to seconds in a debug build;
//! set PROPTEST_CASES to run longer.

use std::io::Read as _;
use std::path::Path;
use std::process::Command;

use agentdesk::engine::Engine;
use agentdesk::input::{Diagnostic, MAX_INPUT_BYTES, MAX_REPORTED};
use agentdesk::policy::CATALOGUE;
use agentdesk::qa::script::{self, Script};
use agentdesk::world::roles::{DEFAULT_ROLES_TOML, RoleBook};
use agentdesk::world::scenario::{self, DEFAULT_SCENARIO_TOML, EMBEDDED_CONTACT_LISTS, Scenario};
use chrono::Duration;
use proptest::prelude::*;
use tempfile::TempDir;

/// Centre offset of the default scenario (UTC-5), in minutes, for contact-list parsing.
const CENTRE_MINUTES: i32 = -300;

/// Cases per property: enough to reach every check in a few seconds of a debug build.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // A failure is shrunk to a small input; bound how long that may take in CI.
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// The diagnostics that are about a file as a whole (it cannot be opened or read, is too big,
/// or lacks a required top-level key), which have no line to point at; and the "and N more"
/// line that ends a capped list.
fn is_whole_file(d: &Diagnostic) -> bool {
    d.hidden > 0
        || d.message.starts_with("cannot open file")
        || d.message.starts_with("cannot read file")
        || d.message.starts_with("file is larger than")
}

/// Every diagnostic is placed inside `source` (1-based, at most one line past its end), and
/// rendering it does not panic either.
fn check_placed(source: &str, diagnostics: &[Diagnostic]) -> Result<(), TestCaseError> {
    let lines = source.split('\n').count();
    // Capped per severity, plus one "and N more" line each.
    prop_assert!(
        diagnostics.len() <= 3 * (MAX_REPORTED + 1),
        "{} diagnostics",
        diagnostics.len()
    );
    for d in diagnostics {
        if let Some((snippet, _)) = &d.snippet {
            // A bounded window of the line, never the whole of a long one.
            prop_assert!(
                snippet.chars().count() <= 220,
                "snippet of {} chars",
                snippet.len()
            );
        }
        let shown = d.to_string();
        match d.position {
            Some(p) => {
                prop_assert!(
                    p.line >= 1 && p.line <= lines + 1 && p.column >= 1,
                    "position outside the file: {}",
                    shown
                );
            }
            None => prop_assert!(is_whole_file(d), "rejection without a position: {}", shown),
        }
    }
    Ok(())
}

fn check_roles(source: &str) -> Result<(), TestCaseError> {
    match RoleBook::parse("fuzz.toml", source) {
        Ok(loaded) => {
            check_placed(source, &loaded.diagnostics)?;
            // What loads can be written back and loads to the same book.
            let again = RoleBook::parse("again.toml", &loaded.book.to_toml());
            prop_assert!(again.is_ok(), "to_toml output does not parse");
            if let Ok(again) = again {
                prop_assert_eq!(again.book, loaded.book);
            }
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "rejected without a diagnostic");
            check_placed(source, &errors)?;
        }
    }
    Ok(())
}

/// Parses a scenario (contact lists from the embedded ones only: no folder to look in), and
/// runs what loads for a simulated hour.
fn check_scenario(source: &str) -> Result<(), TestCaseError> {
    match Scenario::parse("fuzz.toml", source, Some(Path::new("/nonexistent"))) {
        Ok(scenario) => {
            let mut engine = Engine::new(RoleBook::embedded_default(), scenario, 1);
            let roles = (0..engine.roles().roles.len()).collect();
            engine.login("Fuzz", roles);
            engine.advance(Duration::hours(1));
            prop_assert_eq!(engine.check_invariants(), Ok(()));
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "rejected without a diagnostic");
            check_placed(source, &errors)?;
        }
    }
    Ok(())
}

fn check_contacts(source: &str) -> Result<(), TestCaseError> {
    match scenario::parse_contacts("fuzz.csv", source, CENTRE_MINUTES) {
        Ok(rows) => {
            for row in rows {
                prop_assert!(!row.phones.is_empty());
                // Contacts live on Earth: within a day of the centre's clock.
                prop_assert!(row.time_zone.offset_from_centre_minutes.abs() <= 28 * 60);
            }
        }
        Err(d) => check_placed(source, std::slice::from_ref(&d))?,
    }
    Ok(())
}

/// Simulated time a script may move the clock by before the fuzz test skips running it: a
/// generated `advance 300d` parses fine, but simulating it would take the whole CI budget.
const MAX_RUN_SPAN: Duration = Duration::days(2);

/// Parses a script against the default roles and scenario, and runs what parses (when it keeps
/// to a couple of simulated days): neither may panic, and the world stays consistent.
fn check_script(source: &str) -> Result<(), TestCaseError> {
    let book = RoleBook::embedded_default();
    let scenario = Scenario::embedded_default();
    match Script::parse("fuzz.script", source, &book, &scenario) {
        Ok(parsed) => {
            check_placed(source, &parsed.notes)?;
            if parsed.script.time_span().is_some_and(|t| t <= MAX_RUN_SPAN) {
                let mut engine = Engine::new(book, scenario, 1);
                let report = script::run(&mut engine, &parsed.script, &mut std::io::sink());
                prop_assert!(report.is_ok(), "writing to a sink failed");
                prop_assert_eq!(engine.check_invariants(), Ok(()));
            }
        }
        Err(errors) => {
            prop_assert!(!errors.is_empty(), "rejected without a diagnostic");
            check_placed(source, &errors)?;
        }
    }
    Ok(())
}

/// The example scripts shipped in assets/scripts, read when the test runs so that new ones
/// are fuzzed too.
fn shipped_scripts() -> &'static [String] {
    static SCRIPTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SCRIPTS.get_or_init(read_shipped_scripts)
}

fn read_shipped_scripts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scripts");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "script"));
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// Words and arguments of script lines.
fn script_token() -> impl Strategy<Value = String> {
    let words = [
        "login",
        "agent",
        "role",
        "roles",
        "ready",
        "not-ready",
        "advance",
        "to",
        "step",
        "wait",
        "offer",
        "stage",
        "within",
        "web-callback",
        "push-preview",
        "outcome",
        "select",
        "latest",
        "expect",
        "allowed",
        "denied",
        "invalid",
        "privilege",
        "field",
        "compliance",
        "records",
        "get-record",
        "accept",
        "decline",
        "dial",
        "dial-alternative",
        "hang-up",
        "reject",
        "cancel",
        "reschedule",
        "reschedule-new-number",
        "mark-do-not-call",
        "set-call-result",
        "set-disposition",
        "edit-record-data",
        "mark-done",
        "done-and-get-next",
        "\"Wes\"",
        "\"Sam\"",
        "\"Trainee\"",
        "\"Supervisor\"",
        "\"Winter Renewals\"",
        "\"Customer Survey\"",
        "\"Resolved\"",
        "\"Email\"",
        "\"+1 212 555 0199\"",
        "Busy",
        "Answer",
        "preview",
        "connected",
        "after-call",
        "closed",
        "offered",
        "1m",
        "30s",
        "2h",
        "1h30m",
        "366d",
        "367d",
        "99999999999999999999s",
        "+1h",
        "+0s",
        "13:00",
        "25:00",
        "2026-11-23 13:00",
        "2026-11-24T09:00",
        "#1",
        "#0",
        "#99999999999",
        "0",
        "2",
        "\"",
        "#",
        "\n",
        "\t",
        "é",
    ];
    prop_oneof![
        8 => prop::sample::select(words.map(String::from).to_vec()),
        1 => "[ -~]{0,8}",
    ]
}

fn script_lines() -> impl Strategy<Value = String> {
    let line = prop::collection::vec(script_token(), 1..5).prop_map(|t| t.join(" "));
    prop::collection::vec(line, 0..12).prop_map(|lines| {
        // Most scripts start by logging in; without it nearly every line is the same error.
        format!("login role \"Supervisor\"\n{}\n", lines.join("\n"))
    })
}

// ----- near-valid edits of real files -----------------------------------------------------

/// A place in a sequence of any length, as a fraction of it (`u32::MAX` is just before the
/// end), so one generated edit applies to whatever text the earlier edits left.
#[derive(Clone, Copy, Debug)]
struct At(u32);

impl At {
    /// An index below `len` (0 when `len` is 0).
    fn index(self, len: usize) -> usize {
        ((u64::from(self.0) * len as u64) >> 32) as usize
    }

    fn any() -> impl Strategy<Value = At> {
        any::<u32>().prop_map(At)
    }

    /// The fraction `f` of the way along (for the tests of `apply`).
    fn fraction(f: f64) -> At {
        At((f * f64::from(u32::MAX)) as u32)
    }
}

/// One edit of a text, at places chosen by `At` so it fits any length.
#[derive(Clone, Debug)]
enum Edit {
    Delete(At, At),
    Insert(At, String),
    Replace(At, String),
    DuplicateLine(At),
    SwapLines(At, At),
    Truncate(At),
    /// Replaces the value of a `key = value` line (or a CSV cell) with another value: the
    /// edit that gets furthest past the grammar, into the checks on what values mean.
    SetValue(At, String),
}

/// Pieces that mean something to TOML, CSV or the checks behind them.
fn token() -> impl Strategy<Value = String> {
    let privileges: Vec<String> = CATALOGUE
        .iter()
        .map(|i| format!("\"{}\"", i.name))
        .collect();
    let snippets = [
        "[",
        "]",
        "[[",
        "]]",
        "{",
        "}",
        "=",
        ",",
        "\"",
        "'",
        "'''",
        "\"\"\"",
        "\\",
        "#",
        "\n",
        "\r\n",
        "\t",
        " ",
        "é",
        "\u{feff}",
        "\u{0}",
        "0",
        "-1",
        "1e400",
        "-inf",
        "nan",
        "1.5",
        "99999999999999999999",
        "true",
        "[[role]]\n",
        "[[agent]]\n",
        "[[campaign]]\n",
        "[web_callbacks]\n",
        "name = \"X\"\n",
        "roles = [\"Supervisor\"]\n",
        "privileges = []\n",
        "\"Can Reschedule Before Call\"",
        "start = \"+262142-12-31T23:59:59\"\n",
        "start = \"2026-02-30T08:00:00\"\n",
        "centre_utc_offset_hours = 14\n",
        "per_hour = 10000\n",
        "initial = 100000\n",
        "expires_after_minutes = 4294967295\n",
        "invitation_timeout_seconds = 0\n",
        "push_interval_seconds = 4294967295\n",
        "max_contacts = 0\n",
        "mode = \"push-preview\"\n",
        "contacts = \"survey.csv\"\n",
        "contacts = \"missing.csv\"\n",
        "behaviour = { busy = 1 }\n",
        "mix = { asap = 0, scheduled = 0 }\n",
        ",,,,",
        "\"a,b\"",
        "\"\"",
        "24:00",
        "23:59",
        "+1 212 555 0100",
        "12",
        "-14",
        "14.5",
    ];
    prop_oneof![
        4 => prop::sample::select(snippets.map(String::from).to_vec()),
        1 => prop::sample::select(privileges),
        1 => "[ -~]{0,8}",
        1 => any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

/// Values of every type the files use, at and past their sensible ranges.
fn value() -> impl Strategy<Value = String> {
    let values = [
        "0",
        "1",
        "-1",
        "0.5",
        "1.5",
        "-0.5",
        "14",
        "-14",
        "14.5",
        "24",
        "1e9",
        "1e400",
        "-1e400",
        "inf",
        "-inf",
        "nan",
        "4294967295",
        "4294967296",
        "9223372036854775807",
        "-9223372036854775808",
        "true",
        "\"\"",
        "\" \"",
        "[]",
        "[\"\"]",
        "{}",
        "\"2026-11-23T08:00:00\"",
        "\"+262142-12-31T23:59:59\"",
        "\"-262143-01-01T00:00:00\"",
        "\"1899-12-31T23:59:59\"",
        "\"9999-12-31T23:59:59\"",
        "\"0000-01-01T00:00:00\"",
        "\"2026-11-23\"",
        "\"preview\"",
        "\"push-preview\"",
        "\"survey.csv\"",
        "\"renewals.csv\"",
        "\"missing.csv\"",
        "\"/dev/null\"",
        "\".\"",
        "{ busy = 1 }",
        "{ busy = 0.6, fax = 0.6 }",
        "\"08:00\"",
        "\"24:00\"",
        "\"+1 212 555 0100\"",
        "\"Supervisor\"",
        "[\"Supervisor\", \"Supervisor\"]",
        "\"Outbound - Can Use\"",
    ];
    prop_oneof![
        6 => prop::sample::select(values.map(String::from).to_vec()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|n| format!("{n:?}")),
        1 => "\"[ -~]{0,12}\"",
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (At::any(), At::any()).prop_map(|(a, b)| Edit::Delete(a, b)),
        4 => (At::any(), token()).prop_map(|(a, t)| Edit::Insert(a, t)),
        3 => (At::any(), token()).prop_map(|(a, t)| Edit::Replace(a, t)),
        1 => At::any().prop_map(Edit::DuplicateLine),
        1 => (At::any(), At::any()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => At::any().prop_map(Edit::Truncate),
        6 => (At::any(), value()).prop_map(|(a, v)| Edit::SetValue(a, v)),
    ]
}

/// The char boundary at or before the place `at` picks in `text`.
fn boundary(text: &str, at: At) -> usize {
    let mut i = at.index(text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(source: &str, edits: &[Edit]) -> String {
    let mut text = source.to_string();
    for e in edits {
        match e {
            Edit::Delete(at, len) => {
                let start = boundary(&text, *at);
                let rest = &text[start..];
                // Short deletions: a character, a word, a line; not half the file.
                let mut end = start + len.index(rest.len().min(40) + 1);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.replace_range(start..end, "");
            }
            Edit::Insert(at, piece) => {
                let i = boundary(&text, *at);
                text.insert_str(i, piece);
            }
            Edit::Replace(at, piece) => {
                let start = boundary(&text, *at);
                let end = text[start..]
                    .char_indices()
                    .nth(piece.chars().count().max(1))
                    .map_or(text.len(), |(i, _)| start + i);
                text.replace_range(start..end, piece);
            }
            Edit::DuplicateLine(at) => {
                let mut lines: Vec<&str> = text.split('\n').collect();
                let i = at.index(lines.len());
                lines.insert(i, lines[i]);
                text = lines.join("\n");
            }
            Edit::SwapLines(a, b) => {
                let mut lines: Vec<&str> = text.split('\n').collect();
                let (i, j) = (a.index(lines.len()), b.index(lines.len()));
                lines.swap(i, j);
                text = lines.join("\n");
            }
            Edit::Truncate(at) => {
                let i = boundary(&text, *at);
                text.truncate(i);
            }
            Edit::SetValue(at, value) => {
                let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
                let i = at.index(lines.len());
                let line = &mut lines[i];
                if let Some((key, _)) = line.split_once(" = ") {
                    *line = format!("{key} = {value}");
                } else if let Some(comma) = line.find(',') {
                    // A CSV row: the cell after the first comma.
                    let end = line[comma + 1..]
                        .find(',')
                        .map_or(line.len(), |e| comma + 1 + e);
                    line.replace_range(comma + 1..end, value.trim_matches('"'));
                }
                text = lines.join("\n");
            }
        }
    }
    text
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(edit(), 1..6)
}

// ----- contact lists built from their grammar ----------------------------------------------

/// A cell for `column`: mostly a good value, then one at or past the edge of its range, rarely
/// anything at all, so that most rows get through to the later checks of a row (a row's first
/// bad cell ends the parse).
fn csv_cell(column: &str) -> BoxedStrategy<String> {
    let (good, edge): (&[&str], &[&str]) = match column.trim() {
        "utc_offset_hours" => (
            &["-5", "-8", "5.5", "0"],
            &[
                "14", "-14", "14.5", "99", "1e10", "-1e10", "inf", "-inf", "NaN", "",
            ],
        ),
        "window_from" | "window_till" => {
            (&["08:00", "18:30"], &["00:00", "23:59", "24:00", "8", ""])
        }
        "home" | "work" | "mobile" => (
            &["+1 212 555 0100", "(0) 20 7946 0000", ""],
            &["555", "1234567890123456", "+"],
        ),
        "time_zone" => (&["Pacific", "Eastern"], &[""]),
        _ => (
            &["Nora", ""],
            &["\"quoted, with a comma\"", "\"two\nlines\"", "é"],
        ),
    };
    let pick = |list: &[&str]| {
        prop::sample::select(list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    };
    prop_oneof![
        12 => pick(good),
        4 => pick(edge),
        1 => "[ -~]{0,10}",
        1 => Just("\"unterminated".to_string()),
    ]
    .boxed()
}

const COLUMNS: [&str; 13] = [
    "first_name",
    "last_name",
    "Account",
    "Notes",
    "time_zone",
    "utc_offset_hours",
    "window_from",
    "window_till",
    "home",
    "work",
    "mobile",
    "first_nam",
    " mobile ",
];

/// A header of known (and near-known) column names, mostly complete, then rows of cells that
/// fit their columns, sometimes with a cell too few or too many.
fn contact_list() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        3 => Just(COLUMNS[..11].to_vec()).prop_shuffle(),
        1 => prop::sample::subsequence(COLUMNS.to_vec(), 0..=COLUMNS.len()).prop_shuffle(),
    ];
    (header, 0..6usize, any::<u8>())
        .prop_flat_map(|(header, rows, ragged)| {
            let row: Vec<BoxedStrategy<String>> = header.iter().map(|c| csv_cell(c)).collect();
            (Just(header), prop::collection::vec(row, rows), Just(ragged))
        })
        .prop_map(|(header, rows, ragged)| {
            let mut out = header.join(",");
            for (i, row) in rows.iter().enumerate() {
                out.push('\n');
                let cells = match ragged % 8 {
                    0 if i == 0 => &row[..row.len().saturating_sub(1)],
                    _ => &row[..],
                };
                out.push_str(&cells.join(","));
                if ragged % 8 == 1 {
                    out.push_str(",extra");
                }
            }
            out
        })
}

fn embedded_contacts() -> &'static str {
    EMBEDDED_CONTACT_LISTS[0].1
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn roles_parser_survives_arbitrary_text(source in any::<String>()) {
        check_roles(&source)?;
    }

    #[test]
    fn roles_parser_survives_edits_of_the_shipped_roles_file(e in edits()) {
        check_roles(&apply(DEFAULT_ROLES_TOML, &e))?;
    }

    #[test]
    fn scenario_parser_survives_arbitrary_text(source in any::<String>()) {
        check_scenario(&source)?;
    }

    #[test]
    fn scenario_parser_survives_toml_shaped_text(
        pieces in prop::collection::vec(token(), 0..30),
    ) {
        check_scenario(&pieces.concat())?;
    }

    #[test]
    fn contact_parser_survives_arbitrary_text(source in any::<String>()) {
        check_contacts(&source)?;
    }

    #[test]
    fn contact_parser_survives_lists_built_from_its_columns(source in contact_list()) {
        check_contacts(&source)?;
    }

    #[test]
    fn contact_parser_survives_edits_of_a_shipped_list(e in edits()) {
        check_contacts(&apply(embedded_contacts(), &e))?;
    }
}

proptest! {
    // Each case that parses also builds an engine and runs an hour of traffic: fewer cases.
    #![proptest_config(config(96))]

    #[test]
    fn scenario_parser_survives_edits_of_the_shipped_scenario(e in edits()) {
        check_scenario(&apply(DEFAULT_SCENARIO_TOML, &e))?;
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn script_parser_survives_arbitrary_text(source in any::<String>()) {
        check_script(&source)?;
    }

    #[test]
    fn script_parser_survives_lines_built_from_its_words(source in script_lines()) {
        check_script(&source)?;
    }

    #[test]
    fn script_parser_survives_edits_of_the_shipped_scripts(
        which in At::any(),
        e in edits(),
    ) {
        let scripts = shipped_scripts();
        prop_assume!(!scripts.is_empty());
        check_script(&apply(&scripts[which.index(scripts.len())], &e))?;
    }
}

// ----- hostile shapes: many errors on one line, many roles, shared contact lists ------------

/// A name for a list of privileges: known ones, near misses, garbage, and names with
/// multi-byte, combining and zero-width characters.
fn privilege_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            CATALOGUE
                .iter()
                .map(|i| i.name.to_string())
                .collect::<Vec<_>>()
        ),
        prop::sample::select(
            CATALOGUE
                .iter()
                .map(|i| i.id.to_string())
                .collect::<Vec<_>>()
        ),
        "[a-zé\u{301}\u{200b} -]{0,30}",
        Just("Outbound - Can Rejct".to_string()),
    ]
}

/// One role whose privileges are hundreds to thousands of names on one line.
fn long_line_of_names() -> impl Strategy<Value = String> {
    prop::collection::vec(privilege_name(), 100..3_000).prop_map(|names| {
        let list: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
        format!(
            "[[role]]\nname = \"A\"\nprivileges = [{}]\n",
            list.join(",")
        )
    })
}

/// Thousands of roles, with look-alike names, and agents naming some that do not exist.
fn many_roles() -> impl Strategy<Value = String> {
    let name = "(Role|Rolé|Role\u{200b}|Jose\u{301}|José) [0-9]{1,4}";
    (
        prop::collection::vec((name, privilege_name()), 1_000..4_000),
        prop::collection::vec(prop::collection::vec(name, 0..5), 0..50),
    )
        .prop_map(|(roles, agents)| {
            let mut text = String::new();
            for (name, p) in roles {
                text.push_str(&format!(
                    "[[role]]\nname = {name:?}\nprivileges = [{p:?}]\n"
                ));
            }
            for (i, refs) in agents.iter().enumerate() {
                text.push_str(&format!(
                    "[[agent]]\nname = \"Agent {i}\"\nroles = {refs:?}\n"
                ));
            }
            text
        })
}

/// A scenario whose campaigns name the embedded lists, many times each.
fn shared_lists() -> impl Strategy<Value = (String, Vec<(usize, Option<usize>)>)> {
    prop::collection::vec(
        (
            0..EMBEDDED_CONTACT_LISTS.len(),
            prop::option::of(0usize..40),
        ),
        1..30,
    )
    .prop_map(|campaigns| {
        let mut text = String::from("name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n");
        for (i, (list, max)) in campaigns.iter().enumerate() {
            text.push_str(&format!(
                "[[campaign]]\nname = \"C{i}\"\nmode = \"preview\"\ncontacts = \"{}\"\n",
                EMBEDDED_CONTACT_LISTS[*list].0
            ));
            if let Some(max) = max {
                text.push_str(&format!("max_contacts = {max}\n"));
            }
        }
        (text, campaigns)
    })
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn roles_parser_survives_long_lines_of_many_errors(source in long_line_of_names()) {
        check_roles(&source)?;
    }

    #[test]
    fn roles_parser_survives_huge_role_counts(source in many_roles()) {
        check_roles(&source)?;
    }

    #[test]
    fn campaigns_naming_one_list_share_its_rows((source, campaigns) in shared_lists()) {
        let s = Scenario::parse("shared.toml", &source, None);
        prop_assert!(s.is_ok(), "{:?}", s.err());
        let s = s.unwrap();
        for (i, (list, max)) in campaigns.iter().enumerate() {
            let first = campaigns.iter().position(|(l, _)| l == list).unwrap_or(i);
            prop_assert!(s.contact_lists[i].shares_rows_with(&s.contact_lists[first]));
            let full = scenario::parse_contacts("c.csv", EMBEDDED_CONTACT_LISTS[*list].1, CENTRE_MINUTES)
                .map(|rows| rows.len())
                .unwrap_or(0);
            prop_assert_eq!(s.contact_lists[i].len(), max.map_or(full, |m| m.min(full)));
        }
    }
}

/// The edits above keep most of a file; this checks that `apply` does what it says, so a
/// property that never fails is not one that never edits.
#[test]
fn edits_change_the_text_they_are_given() {
    let text = "a = 1\nb = 2\n";
    let first = At::fraction(0.0);
    let last = At::fraction(0.99);
    assert_eq!(apply(text, &[Edit::Truncate(At::fraction(0.5))]), "a = 1\n");
    assert_eq!(
        apply(text, &[Edit::Insert(first, "#".into())]),
        "#a = 1\nb = 2\n"
    );
    assert_eq!(
        apply(text, &[Edit::Replace(first, "c".into())]),
        "c = 1\nb = 2\n"
    );
    assert_eq!(
        apply(text, &[Edit::SwapLines(first, At::fraction(0.4))]),
        "b = 2\na = 1\n"
    );
    assert_eq!(
        apply(text, &[Edit::DuplicateLine(first)]),
        "a = 1\na = 1\nb = 2\n"
    );
    assert_eq!(apply(text, &[Edit::Delete(first, last)]), "");
    assert_eq!(apply("é", &[Edit::Truncate(At::fraction(0.4))]), "");
}

// ----- oversized inputs ---------------------------------------------------------------------

/// Set in the child process that loads the oversized file (see below).
const CHILD_ENV: &str = "AGENTDESK_FUZZ_OVERSIZED_CHILD";

/// Peak resident memory of this process in KiB (Linux), or None where /proc is missing.
fn peak_rss_kib() -> Option<u64> {
    let mut status = String::new();
    std::fs::File::open("/proc/self/status")
        .ok()?
        .read_to_string(&mut status)
        .ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Loads the file named by CHILD_ENV as roles, as a scenario and as a script, prints each
/// message and how much its peak memory grew. Runs only as the child of the oversized-input
/// tests below, in its own process so that no other test's allocations count. Not a test of
/// its own: they start this binary again with `--ignored --exact fuzz_parsers::oversized_child`.
#[test]
#[ignore = "the child process of the oversized-input tests"]
fn oversized_child() {
    let path = std::env::var(CHILD_ENV)
        .unwrap_or_else(|_| panic!("run only as a child process, with {CHILD_ENV} set"));
    let path = Path::new(&path);
    // What loading costs, not what the test binary had resident before it started.
    let before = peak_rss_kib().unwrap_or(0);
    let messages = |errors: Vec<Diagnostic>| -> String {
        errors
            .iter()
            .map(|d| format!("{d} | "))
            .collect::<String>()
            .replace('\n', " | ")
    };
    let result = match std::env::var(CHILD_KIND_ENV).as_deref() {
        Ok("script") => {
            let book = RoleBook::embedded_default();
            let scenario = Scenario::embedded_default();
            // As `agentdesk run --script` reads one.
            let parsed = agentdesk::input::read_text(path)
                .map_err(|d| vec![d])
                .and_then(|source| {
                    let file = path.display().to_string();
                    Script::parse(&file, &source, &book, &scenario).map(|_| ())
                });
            format!(
                "SCRIPT {}",
                parsed.map_or_else(messages, |()| "loaded".into())
            )
        }
        _ => {
            let roles = RoleBook::load(path).map(|_| ());
            let scenario = Scenario::load(path).map(|_| ());
            format!(
                "ROLES {}\nSCENARIO {}",
                roles.map_or_else(messages, |()| "loaded".into()),
                scenario.map_or_else(messages, |()| "loaded".into())
            )
        }
    };
    println!("{result}");
    println!(
        "PEAK_KIB {}",
        peak_rss_kib().map_or(0, |peak| peak.saturating_sub(before).max(1))
    );
}

/// Which loader `oversized_child` runs: "script", or roles and scenario when unset.
const CHILD_KIND_ENV: &str = "AGENTDESK_FUZZ_OVERSIZED_KIND";

/// Runs `oversized_child` on `path` and returns its output.
fn run_oversized_child(path: &Path, kind: &str) -> String {
    let output = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--ignored",
            "--exact",
            "fuzz_parsers::oversized_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, path)
        .env(CHILD_KIND_ENV, kind)
        .output()
        .expect("run the child test");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}");
    stdout
}

/// The text after `key` on the first line that has it.
fn child_says(stdout: &str, key: &str) -> String {
    stdout
        .lines()
        // The test harness prints "test oversized_child ... " on the same line.
        .find_map(|l| l.split_once(key).map(|(_, rest)| rest.to_string()))
        .unwrap_or_else(|| panic!("child printed no {key}: {stdout}"))
}

#[test]
fn a_100_mb_roles_file_is_refused_in_bounded_memory() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("huge-roles.toml");
    let file = std::fs::File::create(&path).expect("create");
    // Sparse: 100 MB that cost no disk. The content does not matter, only that it is big.
    let size: u64 = 100 * 1024 * 1024;
    file.set_len(size).expect("set_len");
    drop(file);

    let stdout = run_oversized_child(&path, "roles");
    for what in ["ROLES ", "SCENARIO "] {
        let message = child_says(&stdout, what);
        assert!(
            message.contains("file is larger than the 16 MiB limit for input files"),
            "{what}{message}"
        );
        assert!(
            message.contains("100.0 MiB"),
            "the size is named: {message}"
        );
        assert!(message.contains("huge-roles.toml"), "{message}");
    }
    if let Ok(peak) = child_says(&stdout, "PEAK_KIB ").trim().parse::<u64>()
        && peak > 0
    {
        // Reading the file whole would need 100 MiB; even reading up to the limit would need
        // 16. The check must look at the size and stop.
        let bound = MAX_INPUT_BYTES / 1024;
        assert!(
            peak < bound,
            "peak memory grew {peak} KiB; the 16 MiB limit is {bound} KiB"
        );
    }
}

/// A million lines fit in the 16 MiB byte limit (11 bytes each), so the byte limit alone does
/// not stop them; a parsed step costs far more than its line, so the parser has to count
/// lines before it builds steps.
#[test]
fn a_million_line_script_is_refused_in_bounded_memory() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("million.script");
    let mut text = String::from("login role \"Supervisor\"\n");
    text.push_str(&"advance 1s\n".repeat(1_000_000));
    assert!((text.len() as u64) < MAX_INPUT_BYTES);
    std::fs::write(&path, &text).expect("write the script");

    let stdout = run_oversized_child(&path, "script");
    let message = child_says(&stdout, "SCRIPT ");
    assert!(message.contains("million.script"), "{message}");
    assert!(
        message.contains("lines"),
        "the message names the limit: {message}"
    );
    if let Ok(peak) = child_says(&stdout, "PEAK_KIB ").trim().parse::<u64>()
        && peak > 0
    {
        // The text itself, its copy as read, and change: not a million parsed steps.
        let bound = 3 * text.len() as u64 / 1024 + 8 * 1024;
        assert!(
            peak < bound,
            "peak memory grew {peak} KiB, bound {bound} KiB"
        );
    }
}

/// Found by `contact_parser_survives_lists_built_from_its_columns`: "inf" and "1e10" parse as
/// numbers, and the minutes computed from them overflowed (a panic in a debug build, a wrapped
/// offset in release); 99 hours loaded as if it were a place.
#[test]
fn contact_offsets_off_the_planet_are_refused_at_their_cell() {
    for offset in ["inf", "-inf", "NaN", "1e10", "99", "-14.5"] {
        let csv = format!(
            "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home\n\
             Nora,Scott,Pacific,{offset},08:00,18:00,+1 206 555 0157\n"
        );
        let d = scenario::parse_contacts("c.csv", &csv, CENTRE_MINUTES)
            .expect_err(&format!("offset {offset} accepted"));
        // The column where the cell starts ("Nora,Scott,Pacific," is 19 characters).
        assert_eq!(d.location(), "c.csv:2:20", "{d}");
        assert!(d.message.contains("out of range"), "{d}");
    }
    for offset in ["14", "-12", "5.5", "0"] {
        let csv = format!(
            "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home\n\
             Nora,Scott,Pacific,{offset},08:00,18:00,+1 206 555 0157\n"
        );
        assert!(
            scenario::parse_contacts("c.csv", &csv, CENTRE_MINUTES).is_ok(),
            "{offset}"
        );
    }
}

/// The default scenario with line `key = ...` replaced by `key = value`.
fn scenario_with(key: &str, value: &str) -> String {
    let mut found = false;
    let text: Vec<String> = DEFAULT_SCENARIO_TOML
        .lines()
        .map(|line| match line.split_once(" = ") {
            Some((k, _)) if k == key && !found => {
                found = true;
                format!("{k} = {value}")
            }
            _ => line.to_string(),
        })
        .collect();
    assert!(found, "no {key} line in the default scenario");
    text.join("\n")
}

/// Found by `scenario_parser_survives_edits_of_the_shipped_scenario`, or by reading the checks
/// it exercises: values that parsed, were refused without a position, or were not refused and
/// then overflowed or hung the engine.
#[test]
fn scenario_values_out_of_range_are_refused_where_they_are_written() {
    let cases = [
        // chrono reads years up to 262,142; the engine's first event then overflowed the date.
        (
            "start",
            "\"+262142-12-31T23:59:59\"",
            7,
            "start time is out of range",
        ),
        (
            "start",
            "\"1899-12-31T23:59:59\"",
            7,
            "start time is out of range",
        ),
        // Refused before, but without a line; NaN rounded to 0 minutes and was accepted; a
        // huge offset overflowed the contacts' minutes.
        (
            "centre_utc_offset_hours",
            "nan",
            8,
            "centre_utc_offset_hours",
        ),
        (
            "centre_utc_offset_hours",
            "1e10",
            8,
            "centre_utc_offset_hours",
        ),
        ("per_hour", "-1", 21, "per_hour"),
        // Unbounded: Engine::new built every one of them before the first frame.
        ("initial", "4294967295", 22, "web_callbacks.initial"),
        (
            "behaviour",
            "{ busy = 0.6, fax = 0.6 }",
            34,
            "web_callbacks.behaviour",
        ),
    ];
    for (key, value, line, message) in cases {
        let source = scenario_with(key, value);
        let errors = Scenario::parse("s.toml", &source, None)
            .expect_err(&format!("{key} = {value} accepted"));
        let d = &errors[0];
        assert!(d.message.contains(message), "{key} = {value}: {d}");
        let p = d
            .position
            .unwrap_or_else(|| panic!("{key} = {value}: no position: {d}"));
        assert_eq!(p.line, line, "{key} = {value}: {d}");
    }
    let source = DEFAULT_SCENARIO_TOML.replacen(
        "behaviour = { busy = 0.10,",
        "behaviour = { busy = 1.10,",
        1,
    );
    let errors = Scenario::parse("s.toml", &source, None).expect_err("campaign behaviour");
    assert!(
        errors[0].message.contains("Winter Renewals"),
        "{}",
        errors[0]
    );
    assert_eq!(errors[0].location(), "s.toml:42:13", "{}", errors[0]);
}

/// The libFuzzer corpus of tests/fuzz (the shipped files plus the inputs fuzz runs kept for
/// new coverage) through the same checks, so CI replays it on stable without nightly.
#[test]
fn the_fuzz_corpus_passes_the_same_checks() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus");
    type Check = fn(&str) -> Result<(), TestCaseError>;
    let checks: [(&str, Check); 4] = [
        ("roles", check_roles),
        ("scenario", check_scenario),
        ("contacts", check_contacts),
        ("script", check_script),
    ];
    let mut replayed = 0;
    for (target, check) in checks {
        let Ok(entries) = std::fs::read_dir(corpus.join(target)) else {
            panic!("no corpus for {target} in {}", corpus.display());
        };
        for entry in entries.filter_map(Result::ok) {
            let bytes = std::fs::read(entry.path()).expect("read a corpus input");
            // libFuzzer hands the targets only UTF-8 inputs; keep to the same here.
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            if let Err(e) = check(&text) {
                panic!("{}: {e}", entry.path().display());
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 4, "only {replayed} corpus inputs");
}
