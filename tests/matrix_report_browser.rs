//! The HTML matrix report in a real browser: Chromium driven through chromedriver's WebDriver
//! API (a small blocking client over HTTP on loopback), filtering, searching and sorting as a
//! QA lead would, and checking the rows the page really shows against `matrix::build`. Then
//! again with scripts disabled, where it must still be a readable table. A screenshot is left
//! in the build's tmp folder (`matrix-report.png`) for people to look at.
//!
//! CI installs Debian's `chromium` and `chromium-driver`; elsewhere a missing browser skips.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use agentdesk::qa::matrix::{self, Decision, MatrixRow};
use agentdesk::world::roles::RoleBook;
use serde_json::{Value, json};

use crate::consumers::required;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start() -> Option<Driver> {
        let found = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
        if !required("chromium and chromium-driver", found) {
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = driver
                .agent
                .get(format!("{}/status", driver.base))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true);
            if ready {
                return Some(driver);
            }
            assert!(Instant::now() < deadline, "chromedriver did not get ready");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self.agent.post(&url).send_json(body.unwrap_or(json!({}))),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status();
        let value: Value = response
            .body_mut()
            .read_json()
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON: {e}"));
        assert!(status.is_success(), "{method} {path}: {status} {value}");
        value["value"].clone()
    }

    fn session(&self, scripts: bool) -> Session<'_> {
        let mut options = json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1400,1000"],
        });
        if !scripts {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options } } });
        let value = self.call("POST", "/session", Some(caps));
        let id = value["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        Session { driver: self, id }
    }
}

struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let path = format!("/session/{}", self.id);
        let _ = self
            .driver
            .agent
            .delete(format!("{}{path}", self.driver.base))
            .call();
    }
}

impl Session<'_> {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.driver
            .call(method, &format!("/session/{}{path}", self.id), body)
    }

    fn open(&self, file: &Path) {
        let url = format!("file://{}", file.display());
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.call("POST", &format!("/element/{id}/click"), None);
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn displayed(&self, css: &str) -> bool {
        let id = self.find(css);
        self.call("GET", &format!("/element/{id}/displayed"), None) == true
    }

    /// The rendered text of an element: only what is shown, as a reader sees it.
    fn text(&self, css: &str) -> String {
        let id = self.find(css);
        self.call("GET", &format!("/element/{id}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn screenshot(&self, to: &Path) {
        let b64 = self.call("GET", "/screenshot", None);
        let png = decode_base64(b64.as_str().expect("base64 PNG"));
        std::fs::write(to, png).expect("write the screenshot");
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let clean: Vec<u8> = text.bytes().filter(|&c| c != b'=' && c != b'\n').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk.iter().fold(0u32, |acc, &c| (acc << 6) | value(c)) << (6 * (4 - chunk.len()));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// The matrix body rows the page shows, one string per row, cells separated by tabs (the
/// rendered text of the table body: hidden rows are not in it).
fn shown_rows(s: &Session) -> Vec<String> {
    let text = s.text("#matrix tbody");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.to_string())
        .collect()
}

/// The expected rendering of a row: its cells joined as the browser joins table cells.
fn row_text(book: &RoleBook, r: &MatrixRow) -> String {
    let role = &book.roles[r.role].name;
    let missing = r.missing.names().join("; ");
    let reason = matrix::reason(book, r);
    [
        role.as_str(),
        r.channel.as_str(),
        r.action.as_str(),
        r.stage.as_str(),
        r.decision.as_str(),
        missing.as_str(),
        reason.as_str(),
    ]
    .iter()
    .filter(|c| !c.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" ")
}

fn normalise(rows: &[String]) -> Vec<String> {
    rows.iter()
        .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn report(dir: &Path) -> PathBuf {
    let out = crate::common::Ran::of(&["matrix", "--format", "html"]);
    assert_eq!(out.code, Some(0), "{out}");
    let path = dir.join("matrix.html");
    std::fs::write(&path, &out.stdout).expect("write the report");
    path
}

#[test]
fn the_html_report_filters_searches_and_sorts_in_chromium() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let page = report(dir.path());
    let book = RoleBook::embedded_default();
    let rows = matrix::build(&book);
    let expect = |keep: &dyn Fn(&MatrixRow) -> bool| -> Vec<String> {
        rows.iter()
            .filter(|r| keep(r))
            .map(|r| row_text(&book, r))
            .collect()
    };

    let s = driver.session(true);
    s.open(&page);
    assert!(s.displayed("#filters"), "scripts show the filter bar");
    // Not-applicable rows are hidden until asked for.
    let applicable = expect(&|r| r.decision != Decision::NotApplicable);
    assert_eq!(normalise(&shown_rows(&s)), applicable);
    assert_eq!(
        s.text("#count"),
        format!(
            "Showing {} of {} rows (not-applicable rows hidden).",
            applicable.len(),
            rows.len()
        )
    );
    std::fs::create_dir_all(env!("CARGO_TARGET_TMPDIR")).expect("tmp dir");
    s.screenshot(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("matrix-report.png"));

    // Role and decision filters.
    let role = "Outbound Preview Agent";
    let index = book.role_index(role).expect("the default preview agent");
    s.click(&format!("#f-role option[value=\"{role}\"]"));
    s.click("#f-decision option[value=\"denied\"]");
    let denied = expect(&|r| r.role == index && r.decision == Decision::Denied);
    assert!(!denied.is_empty());
    assert_eq!(normalise(&shown_rows(&s)), denied);

    // The search box matches any text of a row, the reason included, in any case.
    s.type_into("#f-search", "BEFORE CALL");
    let before_call: Vec<String> = denied
        .iter()
        .filter(|r| r.to_lowercase().contains("before call"))
        .cloned()
        .collect();
    assert!(!before_call.is_empty() && before_call.len() < denied.len());
    assert_eq!(normalise(&shown_rows(&s)), before_call);
    s.call(
        "POST",
        "/execute/sync",
        Some(json!({ "script": "document.getElementById('matrix-title').scrollIntoView()", "args": [] })),
    );
    s.screenshot(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("matrix-report-filtered.png"));

    // Sorting by stage follows the stages' order, and a second click reverses it.
    s.click("#filters button[type=reset]");
    s.click("#f-role option[value=\"Supervisor\"]");
    s.click("#f-action option[value=\"reschedule\"]");
    s.click("#show-na");
    s.click("#matrix thead th:nth-child(4) button");
    let stages = |shown: Vec<String>| -> Vec<String> {
        shown
            .iter()
            .map(|r| r.split_whitespace().nth(3).unwrap_or_default().to_string())
            .collect()
    };
    let sup = book.role_index("Supervisor").expect("supervisor");
    let mut ascending: Vec<&MatrixRow> = rows
        .iter()
        .filter(|r| r.role == sup && r.action == agentdesk::policy::Action::Reschedule)
        .collect();
    ascending.sort_by_key(|r| matrix::STAGES.iter().position(|s| *s == r.stage));
    let want: Vec<String> = ascending
        .iter()
        .map(|r| r.stage.as_str().to_string())
        .collect();
    assert_eq!(want.len(), 15, "3 channels x 5 stages");
    assert_eq!(stages(shown_rows(&s)), want);
    s.click("#matrix thead th:nth-child(4) button");
    let mut descending = want.clone();
    descending.reverse();
    assert_eq!(stages(shown_rows(&s)), descending);
    assert_eq!(
        s.text("#count"),
        format!("Showing 15 of {} rows.", rows.len())
    );
    // Clear resets every filter, "Show not-applicable rows" included (issue 25).
    s.click("#filters button[type=reset]");
    let mut applicable = expect(&|r| r.decision != Decision::NotApplicable);
    let mut shown = normalise(&shown_rows(&s));
    // Still sorted by stage: compare the rows, not their order.
    shown.sort();
    applicable.sort();
    assert_eq!(shown, applicable);
    assert_eq!(
        s.text("#count"),
        format!(
            "Showing {} of {} rows (not-applicable rows hidden).",
            applicable.len(),
            rows.len()
        )
    );
}

#[test]
fn with_scripts_disabled_the_report_is_a_plain_table() {
    let Some(driver) = Driver::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let page = report(dir.path());
    let book = RoleBook::embedded_default();
    let rows = matrix::build(&book);
    let s = driver.session(false);
    s.open(&page);
    assert!(!s.displayed("#filters"), "no filter bar that cannot work");
    let applicable: Vec<String> = rows
        .iter()
        .filter(|r| r.decision != Decision::NotApplicable)
        .map(|r| row_text(&book, r))
        .collect();
    assert_eq!(normalise(&shown_rows(&s)), applicable);
    // The static count line, not the script's.
    assert!(s.text("#count").contains("not-applicable rows are hidden"));
    // The checkbox shows the rest with CSS alone.
    s.click("label[for=show-na]");
    let all: Vec<String> = rows.iter().map(|r| row_text(&book, r)).collect();
    assert_eq!(normalise(&shown_rows(&s)), all);
    assert!(s.text("#summary").contains("Outbound Preview Agent"));
    assert!(s.text("header").contains("8.5.115.17"));
}
