//! The statements agentdesk writes, checked against the xAPI 1.0.3 rules it relies on
//! (required properties, one identifier for the actor, IRIs, UUIDs, ISO 8601 durations and
//! timestamps with an offset, score ranges, no property an LRS would refuse), and their ids:
//! the same result gives the same id, another run another id. No LRS needed.

use crate::common::Ran;
use crate::lrs::lesson_run_args;
use std::collections::HashSet;
use std::path::Path;

use agentdesk::learning::convert::{RecordContext, practice_statements};
use agentdesk::learning::statement::{duration_seconds, is_absolute_iri, iso_duration};
use proptest::prelude::*;
use serde_json::Value;

const SOLUTION: &str = "get-record\nreject\nget-record\ncancel\nget-record\ncancel\n";
const WRONG: &str = "get-record\ncancel\nreject\nget-record\n";
const VERBS: [&str; 5] = ["attempted", "answered", "completed", "passed", "failed"];

/// Everything in `s` that breaks an xAPI 1.0.3 rule agentdesk relies on.
pub fn xapi_problems(s: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let mut need = |ok: bool, what: &str| {
        if !ok {
            p.push(what.to_string());
        }
    };
    let allowed = [
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    ];
    let obj = s.as_object().expect("a statement is an object");
    need(
        obj.keys().all(|k| allowed.contains(&k.as_str())),
        "only xAPI properties",
    );
    need(uuid(&s["id"]), "id is a UUID");
    // Actor: an Agent with exactly one inverse functional identifier, an account.
    let actor = &s["actor"];
    need(actor["objectType"] == "Agent", "actor is an Agent");
    let ifis = ["mbox", "mbox_sha1sum", "openid", "account"];
    need(
        ifis.iter().filter(|k| !actor[**k].is_null()).count() == 1,
        "one IFI",
    );
    need(
        iri(&actor["account"]["homePage"]),
        "account homePage is an IRL",
    );
    need(
        actor["account"]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty()),
        "account name",
    );
    // Verb: an ADL verb IRI with a language-map display.
    let verb = s["verb"]["id"].as_str().unwrap_or_default();
    need(
        VERBS
            .iter()
            .any(|v| verb == format!("http://adlnet.gov/expapi/verbs/{v}")),
        "an ADL verb (docs/lrs.md)",
    );
    need(
        language_map(&s["verb"]["display"]),
        "verb display is a language map",
    );
    // Object: an Activity with an IRI id, a name and a type IRI.
    need(activity(&s["object"]), "object is an Activity");
    need(!s["result"].is_null(), "a result");
    let r = &s["result"];
    for k in ["success", "completion"] {
        need(
            r[k].is_null() || r[k].is_boolean(),
            "success/completion are booleans",
        );
    }
    if !r["duration"].is_null() {
        let d = r["duration"].as_str().unwrap_or_default();
        need(iso8601_duration(d), "duration is ISO 8601");
    }
    if !r["score"].is_null() {
        let sc = &r["score"];
        let scaled = sc["scaled"].as_f64();
        need(
            scaled.is_none_or(|x| (-1.0..=1.0).contains(&x)),
            "scaled in [-1, 1]",
        );
        let (raw, min, max) = (sc["raw"].as_f64(), sc["min"].as_f64(), sc["max"].as_f64());
        need(raw.is_some(), "raw score");
        if let (Some(raw), Some(min), Some(max)) = (raw, min, max) {
            need(min <= raw && raw <= max && min < max, "min <= raw <= max");
        }
    }
    if let Some(ext) = r["extensions"].as_object() {
        need(
            ext.keys().all(|k| is_absolute_iri(k)),
            "result extension keys are IRIs",
        );
    }
    let c = &s["context"];
    need(uuid(&c["registration"]), "context registration is a UUID");
    if let Some(parents) = c["contextActivities"]["parent"].as_array() {
        need(parents.iter().all(activity), "parents are Activities");
    }
    let ext = c["extensions"].as_object();
    need(
        ext.is_some_and(|e| e.keys().all(|k| is_absolute_iri(k))),
        "context extensions",
    );
    let ts = s["timestamp"].as_str().unwrap_or_default();
    need(
        chrono::DateTime::parse_from_rfc3339(ts).is_ok()
            && (ts.ends_with('Z') || ts[19..].contains(['+', '-'])),
        "timestamp ISO 8601 with an offset",
    );
    p
}

fn uuid(v: &Value) -> bool {
    v.as_str().is_some_and(|t| {
        t.len() == 36
            && t.chars().enumerate().all(|(i, c)| {
                if [8, 13, 18, 23].contains(&i) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit() && !c.is_ascii_uppercase()
                }
            })
    })
}

fn iri(v: &Value) -> bool {
    v.as_str().is_some_and(is_absolute_iri)
}

fn language_map(v: &Value) -> bool {
    v.as_object().is_some_and(|m| {
        !m.is_empty()
            && m.iter().all(|(k, v)| {
                v.is_string()
                    && k.split('-')
                        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
            })
    })
}

fn activity(v: &Value) -> bool {
    v["objectType"] == "Activity"
        && iri(&v["id"])
        && language_map(&v["definition"]["name"])
        && iri(&v["definition"]["type"])
}

/// ISO 8601 durations as xAPI takes them: `P[nD][T[nH][nM][n[.n]S]]`, something after `P`
/// and after `T`.
fn iso8601_duration(d: &str) -> bool {
    let Some(rest) = d.strip_prefix('P') else {
        return false;
    };
    let (date, time) = rest
        .split_once('T')
        .map_or((rest, None), |(a, b)| (a, Some(b)));
    let units = |text: &str, allowed: &str| -> bool {
        let mut number = String::new();
        let mut last = 0;
        for c in text.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
            } else {
                let Some(at) = allowed.find(c) else {
                    return false;
                };
                if number.is_empty() || at < last || (number.contains('.') && c != 'S') {
                    return false;
                }
                last = at + 1;
                number.clear();
            }
        }
        number.is_empty()
    };
    units(date, "D")
        && time.is_none_or(|t| !t.is_empty() && units(t, "HMS"))
        && !rest.is_empty()
        && rest != "T"
}

fn lesson_run(
    dir: &Path,
    outbox: &str,
    trainee: &str,
    attempts: &str,
    registration: Option<&str>,
) -> Vec<Value> {
    let file = dir.join(format!("{outbox}.txt"));
    std::fs::write(&file, attempts).unwrap();
    let outbox = dir.join(outbox);
    let mut args = lesson_run_args(trainee, &file, &outbox);
    args.extend(
        [
            "--organisation",
            "https://training.example.com/",
            "--activity-base",
            "https://training.example.com/xapi/agentdesk/",
        ]
        .map(String::from),
    );
    if let Some(r) = registration {
        args.extend(["--registration".into(), r.into()]);
    }
    let o = Ran::of(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.code.is_some_and(|c| c < 2), "{o}");
    std::fs::read_to_string(outbox.join("pending.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_statement_of_a_lesson_run_follows_the_xapi_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut all = lesson_run(dir.path(), "good", "Ann", SOLUTION, None);
    assert_eq!(all.len(), 7);
    let wrong = lesson_run(dir.path(), "wrong", "Bo", WRONG, None);
    all.extend(wrong.clone());
    for s in &all {
        assert_eq!(xapi_problems(s), Vec::<String>::new(), "{s:#}");
        assert_eq!(
            s["actor"]["account"]["homePage"],
            "https://training.example.com/"
        );
        assert!(
            s["object"]["id"].as_str().unwrap().starts_with(
                "https://training.example.com/xapi/agentdesk/lessons/reject-or-cancel"
            )
        );
    }
    assert_eq!(
        crate::lrs::verbs(&wrong),
        [
            "attempted",
            "completed",
            "answered",
            "answered",
            "answered",
            "failed"
        ]
    );
    // A wrong or refused attempt is `answered`, not a success, with the action tried.
    let answered: Vec<&Value> = wrong
        .iter()
        .filter(|s| s["verb"]["id"].as_str().unwrap().ends_with("answered"))
        .collect();
    assert!(answered.iter().all(|s| s["result"]["success"] == false));
    assert_eq!(answered[0]["result"]["response"], "Cancel");
    assert_eq!(
        answered[0]["context"]["contextActivities"]["parent"][0]["id"],
        wrong[0]["object"]["id"]
    );
    let failed = wrong.last().unwrap();
    assert_eq!(failed["result"]["score"]["raw"], 1.0);
    assert_eq!(failed["result"]["score"]["max"], 5.0);
    assert_eq!(failed["result"]["completion"], false);
    let passed = &all[6];
    assert!(passed["verb"]["id"].as_str().unwrap().ends_with("passed"));
    assert_eq!(passed["result"]["score"]["scaled"], 1.0);
    assert_eq!(
        passed["context"]["extensions"]["https://training.example.com/xapi/agentdesk/extensions/roles"],
        serde_json::json!(["Supervisor"])
    );
}

#[test]
fn the_same_result_has_the_same_ids_and_another_run_other_ones() {
    let dir = tempfile::tempdir().unwrap();
    let reg = "3f1c5a6e-8b2d-4e8f-9a1b-2c3d4e5f6a7b";
    let ids = |v: &[Value]| -> Vec<String> {
        v.iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    let a = ids(&lesson_run(dir.path(), "a", "Ann", SOLUTION, Some(reg)));
    let b = ids(&lesson_run(dir.path(), "b", "Ann", SOLUTION, Some(reg)));
    assert_eq!(a, b, "a statement made again is the same statement");
    let c = ids(&lesson_run(dir.path(), "c", "Ann", SOLUTION, None));
    let d = ids(&lesson_run(dir.path(), "d", "Ann", SOLUTION, None));
    let set: HashSet<&String> = a.iter().chain(&c).chain(&d).collect();
    assert_eq!(set.len(), 21, "every run has its own ids");
}

#[test]
fn a_practice_shift_becomes_statements_that_follow_the_rules() {
    let mut ctx = RecordContext::new("Ann", "morning", "run 1");
    ctx.roles = vec!["Outbound Preview Agent".into()];
    let card = agentdesk::training::practice::ScoreCard {
        handled: 3,
        score: 25,
        ..Default::default()
    };
    let out = practice_statements(
        &ctx,
        "default-morning",
        &[],
        &card,
        42.5,
        "2026-12-07T10:00:00+01:00",
    );
    assert_eq!(out.len(), 1);
    let v = out[0].to_json();
    assert_eq!(xapi_problems(&v), Vec::<String>::new(), "{v:#}");
    assert_eq!(v["result"]["score"]["raw"], 25.0);
    assert_eq!(v["result"]["duration"], "PT42M30S");
}

#[test]
fn bad_lesson_run_input_exits_2_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.txt");
    std::fs::write(&file, "get-record\nfly-away\n").unwrap();
    let args = lesson_run_args("Ann", &file, &dir.path().join("ob"));
    let o = Ran::of(&args.iter().map(String::as_str).collect::<Vec<_>>());
    o.says(2, &["bad.txt:2:1"]);
    assert!(
        !dir.path().join("ob/pending.jsonl").exists(),
        "nothing recorded for a bad file"
    );
}

proptest! {
    #[test]
    fn iso_durations_are_valid_and_read_back(hundredths in 0u64..10_000_000) {
        let seconds = hundredths as f64 / 100.0;
        let text = iso_duration(seconds);
        prop_assert!(iso8601_duration(&text), "{}", text);
        let back = duration_seconds(&text).unwrap();
        prop_assert!((back - seconds).abs() < 0.005, "{} -> {} -> {}", seconds, text, back);
    }
}
