//! agentdesk against a real LRS (Ralph, tests/lrs/mod.rs): statements arrive once, the LRS
//! down during a lesson or killed mid-batch loses and doubles nothing, a rejected statement
//! is kept apart with the LRS's answer, refused credentials say so without the secret, three
//! desks of one class report at once, and the class report reads it all back.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::Ran;

use crate::lrs::{PASSWORD, Ralph, USER, free_port, lesson_run_args, ralph};

/// The reference solution of the shipped lesson reject-or-cancel: 7 statements (attempted,
/// five steps completed, passed).
const SOLUTION: &str = "get-record\nreject\nget-record\ncancel\nget-record\ncancel\n";
const SOLUTION_STATEMENTS: usize = 7;
/// Two wrong attempts on step 2, then nothing more: attempted, step 1 completed, two
/// answered, failed.
const PARTIAL: &str = "get-record\ncancel\nreject\n";

fn attempts(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The binary without the LRS account of the environment, with `env` instead.
fn run(args: &[&str], env: &[(&str, &str)]) -> Ran {
    Ran::with(args, |c| {
        c.env_remove("AGENTDESK_LRS_USER")
            .env_remove("AGENTDESK_LRS_PASSWORD")
            .envs(env.iter().copied());
    })
}

/// What a run said, on both streams.
fn text(o: &Ran) -> String {
    format!("{}{}", o.stdout, o.stderr)
}

fn lesson_run(outbox: &Path, trainee: &str, attempts: &Path, lrs: Option<(&str, &Path)>) -> Ran {
    let mut args = lesson_run_args(trainee, attempts, outbox);
    if let Some((url, creds)) = lrs {
        args.extend(["--lrs".into(), url.into(), "--lrs-credentials".into()]);
        args.push(creds.display().to_string());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&refs, &[])
}

fn send(outbox: &Path, url: &str, creds: &Path) -> Ran {
    run(
        &[
            "lrs",
            "send",
            "--outbox",
            &outbox.display().to_string(),
            "--lrs",
            url,
            "--lrs-credentials",
            &creds.display().to_string(),
        ],
        &[],
    )
}

fn pending(outbox: &Path) -> Vec<Value> {
    std::fs::read_to_string(outbox.join("pending.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// How many times each statement id is stored.
fn id_counts(statements: &[Value]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for s in statements {
        *counts
            .entry(s["id"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    counts
}

fn assert_stored_once(ralph: &Ralph, expected: &[Value]) {
    let stored = ralph.statements();
    let counts = id_counts(&stored);
    assert_eq!(stored.len(), expected.len(), "stored: {stored:#?}");
    for s in expected {
        assert_eq!(counts.get(s["id"].as_str().unwrap()), Some(&1), "{s}");
    }
}

#[test]
fn statements_arrive_once_even_when_sent_twice() {
    let Some(ralph) = ralph() else {
        return;
    };
    let creds = ralph.credentials_file();
    let work = tempfile::tempdir().unwrap();
    let (a, b) = (work.path().join("a"), work.path().join("b"));
    let att = attempts(work.path(), "ann.txt", SOLUTION);
    let o = lesson_run(&a, "Ann", &att, None);
    assert_eq!(o.code, Some(0), "{o}");
    let made = pending(&a);
    assert_eq!(made.len(), SOLUTION_STATEMENTS);
    // The same statements in a second outbox: a resend after a lost confirmation.
    std::fs::create_dir_all(&b).unwrap();
    std::fs::copy(a.join("pending.jsonl"), b.join("pending.jsonl")).unwrap();
    for outbox in [&a, &b, &a] {
        let o = send(outbox, &ralph.url(), &creds);
        assert_eq!(o.code, Some(0), "{o}");
        assert!(pending(outbox).is_empty());
    }
    assert_stored_once(&ralph, &made);
}

#[test]
fn the_lrs_down_during_a_lesson_loses_nothing_and_sends_on_recovery() {
    let Some(mut ralph) = Ralph::stopped() else {
        return;
    };
    let creds = ralph.credentials_file();
    let work = tempfile::tempdir().unwrap();
    let outbox = work.path().join("outbox");
    let att = attempts(work.path(), "ann.txt", SOLUTION);
    // Nothing listens on the LRS's port yet: the lesson is graded as usual.
    let o = lesson_run(&outbox, "Ann", &att, Some((&ralph.url(), &creds)));
    let said = text(&o);
    assert_eq!(
        o.code,
        Some(0),
        "an unreachable LRS changes no exit code: {said}"
    );
    assert!(said.contains("7 statement(s) wait"), "{said}");
    assert!(said.contains(&ralph.url()), "{said}");
    let made = pending(&outbox);
    assert_eq!(made.len(), SOLUTION_STATEMENTS);
    let o = send(&outbox, &ralph.url(), &creds);
    assert_eq!(o.code, Some(1), "statements still wait: {}", text(&o));
    assert_eq!(pending(&outbox).len(), SOLUTION_STATEMENTS);
    let status: Value =
        serde_json::from_str(&std::fs::read_to_string(outbox.join("status.json")).unwrap())
            .unwrap();
    assert!(
        status["last_error"]
            .as_str()
            .unwrap()
            .contains("cannot be reached")
    );
    ralph.start();
    let o = send(&outbox, &ralph.url(), &creds);
    assert_eq!(o.code, Some(0), "{o}");
    assert!(pending(&outbox).is_empty());
    assert_stored_once(&ralph, &made);
}

#[cfg(unix)]
/// A proxy in front of the LRS for one request: it passes the request on, waits for the
/// LRS's answer (the batch is stored), then kills the LRS (process group `pid`) and closes
/// the connection without answering: the LRS died mid-batch, after storing, before
/// confirming. Returns the proxy's port.
fn kill_after_storing(lrs_port: u16, pid: u32) -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut client, _) = listener.accept().unwrap();
        let request = read_http(&mut client);
        let mut lrs = TcpStream::connect(("127.0.0.1", lrs_port)).unwrap();
        lrs.write_all(&request).unwrap();
        let answer = read_http(&mut lrs);
        assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
        // SAFETY: a signal to the process group of the Ralph this test started.
        unsafe { libc::kill(-(pid as i32), libc::SIGKILL) };
        drop(client);
    });
    (port, handle)
}

/// One HTTP message (headers and a Content-Length body).
fn read_http(stream: &mut TcpStream) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        let n = stream.read(&mut chunk).unwrap();
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return buf;
            }
        }
        if n == 0 {
            return buf;
        }
    }
}

#[cfg(unix)]
#[test]
fn the_lrs_killed_mid_batch_loses_and_doubles_nothing() {
    let Some(mut ralph) = ralph() else {
        return;
    };
    let creds = ralph.credentials_file();
    let work = tempfile::tempdir().unwrap();
    let outbox = work.path().join("outbox");
    // Nine runs: 63 statements, so the outbox goes in two batches of at most 50.
    let att = attempts(work.path(), "a.txt", SOLUTION);
    for i in 0..9 {
        let o = lesson_run(&outbox, &format!("Trainee {i}"), &att, None);
        assert_eq!(o.code, Some(0));
    }
    let made = pending(&outbox);
    assert_eq!(made.len(), 9 * SOLUTION_STATEMENTS);
    let (proxy, handle) = kill_after_storing(ralph.port, ralph.pid().unwrap());
    let url = format!("http://127.0.0.1:{proxy}/xAPI/");
    let o = send(&outbox, &url, &creds);
    assert_eq!(o.code, Some(1), "{o}");
    // The first batch was stored but never confirmed: all of it still waits.
    assert_eq!(pending(&outbox).len(), made.len());
    handle.join().unwrap();
    ralph.kill();
    ralph.start();
    assert_eq!(
        ralph.statements().len(),
        50,
        "the first batch was stored before the kill"
    );
    let o = send(&outbox, &ralph.url(), &creds);
    assert_eq!(o.code, Some(0), "{o}");
    assert!(pending(&outbox).is_empty());
    assert_stored_once(&ralph, &made);
}

#[test]
fn a_statement_the_lrs_rejects_is_kept_apart_with_its_answer() {
    let Some(ralph) = ralph() else {
        return;
    };
    let creds = ralph.credentials_file();
    let work = tempfile::tempdir().unwrap();
    let outbox = work.path().join("outbox");
    let att = attempts(work.path(), "a.txt", SOLUTION);
    assert_eq!(lesson_run(&outbox, "Ann", &att, None).code, Some(0));
    let good = pending(&outbox);
    // A statement without a verb, in the middle of the batch (another tool's, or a bug's).
    let mut bad = good[0].clone();
    bad["id"] = Value::String("00000000-0000-4000-8000-000000000001".into());
    bad.as_object_mut().unwrap().remove("verb");
    let mut lines: Vec<String> = good.iter().map(Value::to_string).collect();
    lines.insert(3, bad.to_string());
    std::fs::write(outbox.join("pending.jsonl"), lines.join("\n") + "\n").unwrap();
    let o = send(&outbox, &ralph.url(), &creds);
    let said = text(&o);
    assert_eq!(o.code, Some(0), "{said}");
    assert!(said.contains("1 rejected"), "{said}");
    assert!(pending(&outbox).is_empty());
    let rejected = std::fs::read_to_string(outbox.join("rejected.jsonl")).unwrap();
    let line: Value = serde_json::from_str(rejected.lines().next().unwrap()).unwrap();
    assert_eq!(line["statement"]["id"], bad["id"]);
    let status = line["status"].as_u64().unwrap();
    assert!((400..500).contains(&status), "{line}");
    assert!(line["answer"].as_str().unwrap().contains("verb"), "{line}");
    assert_eq!(line["lrs"], ralph.url().as_str());
    assert_stored_once(&ralph, &good);
}

#[test]
fn wrong_credentials_are_named_with_the_lrs_and_never_printed() {
    let Some(ralph) = ralph() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let outbox = work.path().join("outbox");
    let att = attempts(work.path(), "a.txt", SOLUTION);
    assert_eq!(lesson_run(&outbox, "Ann", &att, None).code, Some(0));
    let wrong = "not-".to_string() + PASSWORD;
    let o = run(
        &[
            "lrs",
            "send",
            "--outbox",
            &outbox.display().to_string(),
            "--lrs",
            &ralph.url(),
        ],
        &[
            ("AGENTDESK_LRS_USER", USER),
            ("AGENTDESK_LRS_PASSWORD", &wrong),
        ],
    );
    let said = text(&o);
    assert_eq!(o.code, Some(1), "{said}");
    assert!(
        said.contains(&ralph.url()) && said.contains("refused the credentials"),
        "{said}"
    );
    assert!(said.contains(&format!("user \"{USER}\"")), "{said}");
    assert!(!said.contains(&wrong) && !said.contains(PASSWORD), "{said}");
    let status = std::fs::read_to_string(outbox.join("status.json")).unwrap();
    assert!(!status.contains(PASSWORD), "{status}");
    assert_eq!(pending(&outbox).len(), SOLUTION_STATEMENTS, "nothing lost");
    assert!(ralph.statements().is_empty());
    // No credentials at all: a bad command line (2), before anything is sent.
    let o = run(
        &[
            "lrs",
            "send",
            "--outbox",
            &outbox.display().to_string(),
            "--lrs",
            &ralph.url(),
        ],
        &[],
    );
    assert_eq!(o.code, Some(2));
    assert!(text(&o).contains("AGENTDESK_LRS_USER"), "{}", text(&o));
}

#[test]
fn three_desks_of_one_class_report_at_once_and_the_report_reads_back() {
    let Some(ralph) = ralph() else {
        return;
    };
    let creds = ralph.credentials_file();
    let work = tempfile::tempdir().unwrap();
    let good = attempts(work.path(), "good.txt", SOLUTION);
    let partial = attempts(work.path(), "partial.txt", PARTIAL);
    let desks = [("Ann", &good), ("Bo", &partial), ("Chen 陳", &good)];
    let children: Vec<_> = desks
        .iter()
        .map(|(name, att)| {
            let outbox = work.path().join(format!("outbox-{}", name.len()));
            Command::new(env!("CARGO_BIN_EXE_agentdesk"))
                .args(["lesson", "run", "reject-or-cancel", "--trainee", name])
                .arg("--attempts")
                .arg(att)
                .arg("--outbox")
                .arg(&outbox)
                .args(["--lrs", &ralph.url(), "--lrs-credentials"])
                .arg(&creds)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<Option<i32>> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code())
        .collect();
    assert_eq!(codes, [Some(0), Some(1), Some(0)]);
    let stored = ralph.statements();
    assert_eq!(stored.len(), 2 * SOLUTION_STATEMENTS + 5);
    assert!(id_counts(&stored).values().all(|n| *n == 1));
    let o = run(
        &[
            "class",
            "report",
            "--lesson",
            "reject-or-cancel",
            "--lrs",
            &ralph.url(),
            "--lrs-credentials",
            &creds.display().to_string(),
        ],
        &[],
    );
    assert_eq!(o.code, Some(0), "{o}");
    let csv = o.stdout;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "trainee",
            "lesson",
            "step",
            "done",
            "first_try",
            "hints",
            "score",
            "time"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 15, "{csv}");
    let row = |who: &str, step: &str| {
        rows.iter()
            .find(|r| &r[0] == who && &r[2] == step)
            .unwrap_or_else(|| panic!("no row for {who} step {step}: {csv}"))
            .clone()
    };
    for who in ["Ann", "Chen 陳"] {
        for step in 1..=5 {
            let r = row(who, &step.to_string());
            assert_eq!((&r[3], &r[4], &r[6]), ("true", "true", "1.00"), "{csv}");
        }
    }
    let bo1 = row("Bo", "1");
    assert_eq!((&bo1[3], &bo1[4]), ("true", "true"));
    let bo2 = row("Bo", "2");
    assert_eq!((&bo2[3], &bo2[4], &bo2[6]), ("false", "", "0.20"), "{csv}");
    assert_eq!(
        &row("Ann", "1")[1],
        "Reject or cancel: who gets the record next"
    );
}

#[test]
fn an_lrs_that_is_not_there_is_named_and_the_statements_wait() {
    // No Ralph needed: nothing listens on the port.
    let work = tempfile::tempdir().unwrap();
    let outbox = work.path().join("outbox");
    let creds = attempts(work.path(), "creds", &format!("{USER}\n{PASSWORD}\n"));
    let att = attempts(work.path(), "a.txt", SOLUTION);
    let url = format!("http://127.0.0.1:{}/xAPI/", free_port());
    let o = lesson_run(&outbox, "Ann", &att, Some((&url, &creds)));
    let said = text(&o);
    assert_eq!(o.code, Some(0), "{said}");
    assert!(
        said.contains(&format!("the LRS at {url} cannot be reached")),
        "{said}"
    );
    assert!(!said.contains(PASSWORD));
    assert_eq!(pending(&outbox).len(), SOLUTION_STATEMENTS);
}
