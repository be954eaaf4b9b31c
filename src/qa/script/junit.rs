//! The JUnit XML report of a run, for CI: valid against the schema Jenkins' xunit plugin
//! publishes (`tests/junit-10.xsd`), one `<testcase>` per expectation, and a report of
//! `<error>` cases when the run could not start, so CI never shows an older, green report.
//!
//! Written with quick-xml, which nests and indents the elements; text goes through
//! `output::escape`, which also replaces what XML 1.0 cannot carry. That schema has no `file`
//! or `line` on `<testcase>`, so the script's path is the suite's `file` and a failure's,
//! error's or skip's text starts with `file:line:`, where annotation tools look for a location.
//! A case's name says what it checks (`identity`), so editing a script renames nothing.

use std::borrow::Cow;
use std::io;
use std::path::Path;

use quick_xml::Writer;
use quick_xml::events::BytesText;
use quick_xml::events::attributes::Attribute;
use quick_xml::name::QName;

use super::report::{Report, Verdict};
use crate::output::escape;

/// The XML escaping of the report, kept under its old name for callers of this module.
pub use crate::output::escape::xml as xml_escape;

/// What a report says about its run besides the verdicts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suite {
    /// The script's path as given on the command line.
    pub script: String,
    /// The suite's (and its cases' class) name when it is not the script's stem: a lesson's
    /// score card is named by lesson and trainee, so a class's reports merge without colliding.
    pub title: Option<String>,
    pub seed: u64,
    /// The roles and scenario files' paths, or `embedded`.
    pub roles_file: String,
    pub scenario_file: String,
    /// The product version the roles file configures (the newest modelled when it says none,
    /// or when the run stopped before the file was read).
    pub product_version: String,
    /// When the run started, wall clock, ISO 8601 with the machine's offset.
    pub timestamp: String,
    /// The simulated start, ISO 8601 with the centre's offset (empty when the run never
    /// started).
    pub simulated_start: String,
}

impl Suite {
    /// The stable suite and class name: the script's file stem, whatever path it was run by.
    pub fn name(&self) -> String {
        if let Some(title) = &self.title {
            return title.clone();
        }
        Path::new(&self.script)
            .file_stem()
            .map_or_else(|| self.script.clone(), |s| s.to_string_lossy().into_owned())
    }

    fn properties(&self) -> Vec<(&'static str, String)> {
        let mut p = vec![
            ("seed", self.seed.to_string()),
            ("roles", self.roles_file.clone()),
            ("scenario", self.scenario_file.clone()),
            ("product_version", self.product_version.clone()),
            ("agentdesk_version", env!("CARGO_PKG_VERSION").to_string()),
        ];
        if !self.simulated_start.is_empty() {
            p.push(("simulated_start", self.simulated_start.clone()));
        }
        p
    }
}

/// One `<testcase>` as written.
struct CaseXml {
    name: String,
    seconds: f64,
    outcome: Outcome,
}

enum Outcome {
    Passed,
    Failure {
        message: String,
        text: String,
    },
    Error {
        kind: &'static str,
        message: String,
        text: String,
    },
    Skipped {
        message: String,
        text: String,
    },
}

/// The report of a run: a case per expectation named by what it checks, `time` in wall-clock
/// seconds, the simulated seconds as a suite property, and the transcript in `<system-out>`.
pub fn junit_xml(suite: &Suite, report: &Report, transcript: &str) -> String {
    let cases: Vec<CaseXml> = report
        .cases
        .iter()
        .map(|c| {
            let located = |why: &str| format!("{}:{}: {why}", suite.script, c.line);
            let outcome = match &c.verdict {
                Verdict::Passed => Outcome::Passed,
                Verdict::Failed(why) => Outcome::Failure {
                    message: why.clone(),
                    text: located(why),
                },
                Verdict::Error(why) => Outcome::Error {
                    kind: "could-not-run",
                    message: why.clone(),
                    text: located(why),
                },
                Verdict::Skipped { stopped_at } => {
                    let why = format!(
                        "not run: line {stopped_at} could not run, so the rest of the script was skipped"
                    );
                    Outcome::Skipped {
                        text: located(&why),
                        message: why,
                    }
                }
            };
            CaseXml {
                name: if c.name.is_empty() {
                    c.text.clone()
                } else {
                    c.name.clone()
                },
                seconds: c.wall.as_secs_f64(),
                outcome,
            }
        })
        .collect();
    let wall = report
        .wall
        .as_secs_f64()
        .max(cases.iter().map(|c| c.seconds).sum());
    let simulated = (report.end - report.start).num_seconds().max(0);
    render(suite, &cases, wall, Some(simulated), Some(transcript))
}

/// The report of a run that could not start: one `<error>` case per problem, each a
/// `(location and message, full text)` pair such as a diagnostic and its display.
pub fn junit_unusable_xml(suite: &Suite, problems: &[(String, String)]) -> String {
    let cases: Vec<CaseXml> = problems
        .iter()
        .map(|(name, text)| CaseXml {
            name: name.clone(),
            seconds: 0.0,
            outcome: Outcome::Error {
                kind: "unusable-input",
                message: name.clone(),
                text: text.clone(),
            },
        })
        .collect();
    render(suite, &cases, 0.0, None, None)
}

/// Seconds as JUnit writes them: three decimals.
fn seconds(s: f64) -> String {
    format!("{s:.3}")
}

fn attr<'a>(key: &'a str, value: &str) -> Attribute<'a> {
    Attribute {
        key: QName(key.as_bytes()),
        value: Cow::Owned(escape::xml(value).into_bytes()),
    }
}

fn text(value: &str) -> BytesText<'static> {
    BytesText::from_escaped(escape::xml_text(value))
}

fn render(
    suite: &Suite,
    cases: &[CaseXml],
    wall: f64,
    simulated: Option<i64>,
    system_out: Option<&str>,
) -> String {
    let count = |f: fn(&Outcome) -> bool| cases.iter().filter(|c| f(&c.outcome)).count();
    let tests = cases.len().to_string();
    let failures = count(|o| matches!(o, Outcome::Failure { .. })).to_string();
    let errors = count(|o| matches!(o, Outcome::Error { .. })).to_string();
    let skipped = count(|o| matches!(o, Outcome::Skipped { .. })).to_string();
    let time = seconds(wall);
    let name = suite.name();
    let mut properties = suite.properties();
    if let Some(s) = simulated {
        properties.push(("simulated_seconds", s.to_string()));
    }
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result: io::Result<()> = (|| {
        w.write_event(quick_xml::events::Event::Decl(
            quick_xml::events::BytesDecl::new("1.0", Some("UTF-8"), None),
        ))?;
        // junit-10.xsd allows no `skipped` on <testsuites>, and readers that sum its counts
        // then count a skipped case as passed: the counts are on the suite alone.
        w.create_element("testsuites")
            .with_attributes([attr("name", "agentdesk"), attr("time", &time)])
            .write_inner_content(|w| {
                w.create_element("testsuite")
                    .with_attributes([
                        attr("name", &name),
                        attr("tests", &tests),
                        attr("failures", &failures),
                        attr("errors", &errors),
                        attr("skipped", &skipped),
                        attr("time", &time),
                        attr("timestamp", &suite.timestamp),
                        attr("hostname", &hostname()),
                        attr("file", &suite.script),
                    ])
                    .write_inner_content(|w| {
                        w.create_element("properties").write_inner_content(|w| {
                            for (k, v) in &properties {
                                w.create_element("property")
                                    .with_attributes([attr("name", k), attr("value", v)])
                                    .write_empty()?;
                            }
                            Ok(())
                        })?;
                        for c in cases {
                            write_case(w, &name, c)?;
                        }
                        if let Some(out) = system_out {
                            w.create_element("system-out")
                                .write_text_content(text(out))?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })();
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    match result {
        Ok(()) => String::from_utf8_lossy(&bytes).into_owned(),
        // Writing into memory does not fail; keep the document well-formed if it ever does.
        Err(e) => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"agentdesk\"/>\n<!-- {} -->\n",
            escape::xml(&e.to_string()).replace("--", "- -")
        ),
    }
}

fn write_case(w: &mut Writer<Vec<u8>>, class: &str, c: &CaseXml) -> io::Result<()> {
    let element = w.create_element("testcase").with_attributes([
        attr("name", &c.name),
        attr("classname", class),
        attr("time", &seconds(c.seconds)),
    ]);
    let (tag, kind, message, body) = match &c.outcome {
        Outcome::Passed => {
            element.write_empty()?;
            return Ok(());
        }
        Outcome::Failure { message, text } => ("failure", "expectation", message, Some(text)),
        Outcome::Error {
            kind,
            message,
            text,
        } => ("error", *kind, message, Some(text)),
        Outcome::Skipped { message, text } => ("skipped", "skipped", message, Some(text)),
    };
    element.write_inner_content(|w| {
        let child = w
            .create_element(tag)
            .with_attributes([attr("type", kind), attr("message", message)]);
        match body {
            Some(body) => child.write_text_content(text(body))?,
            None => child.write_empty()?,
        };
        Ok(())
    })?;
    Ok(())
}

/// The machine's name, for `hostname`; `localhost` when it cannot be read.
fn hostname() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "localhost".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::script::report::Case;

    fn suite() -> Suite {
        Suite {
            script: "qa/checks.script".into(),
            title: None,
            seed: 7,
            roles_file: "embedded".into(),
            scenario_file: "embedded".into(),
            product_version: "8.5.115.17".into(),
            timestamp: "2026-01-05T10:00:00+01:00".into(),
            simulated_start: "2026-11-23T08:30:00-05:00".into(),
        }
    }

    fn at(h: u32, m: u32, s: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(h, m, s)
            .unwrap()
    }

    fn case(line: usize, text: &str, verdict: Verdict, time: chrono::NaiveDateTime) -> Case {
        Case {
            line,
            text: text.into(),
            name: format!("checks {text}"),
            verdict,
            at: time,
            wall: std::time::Duration::from_millis(line as u64),
        }
    }

    #[test]
    fn cases_are_named_by_what_they_check_timed_in_wall_seconds_and_escaped() {
        let report = Report {
            start: at(8, 30, 0),
            end: at(9, 0, 0),
            wall: std::time::Duration::from_millis(50),
            cases: vec![
                case(3, "expect denied \"A & B\"", Verdict::Passed, at(8, 30, 30)),
                case(
                    10,
                    "expect allowed",
                    Verdict::Failed("was <denied>".into()),
                    at(8, 31, 0),
                ),
                case(
                    12,
                    "wait offer within 1m",
                    Verdict::Error("no offer\u{1}".into()),
                    at(8, 32, 0),
                ),
                case(
                    14,
                    "expect allowed",
                    Verdict::Skipped { stopped_at: 12 },
                    at(8, 32, 0),
                ),
            ],
            ..Report::default()
        };
        let x = junit_xml(&suite(), &report, "line 3 <ok> & \"done\"\n  next");
        // The run-level element carries no counts: readers sum the suites' (skipped included).
        assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"agentdesk\" time=\"0.050\">"), "{x}");
        assert!(x.contains("<testsuite name=\"checks\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\" time=\"0.050\" timestamp=\"2026-01-05T10:00:00+01:00\" hostname=\""), "{x}");
        assert!(x.contains(" file=\"qa/checks.script\">"));
        assert!(x.contains("<property name=\"seed\" value=\"7\"/>"));
        assert!(x.contains("<property name=\"product_version\" value=\"8.5.115.17\"/>"));
        assert!(
            x.contains("<property name=\"simulated_seconds\" value=\"1800\"/>"),
            "{x}"
        );
        assert!(x.contains("<testcase name=\"checks expect denied &quot;A &amp; B&quot;\" classname=\"checks\" time=\"0.003\"/>"), "{x}");
        assert!(x.contains("<failure type=\"expectation\" message=\"was &lt;denied&gt;\">qa/checks.script:10: was &lt;denied&gt;</failure>"), "{x}");
        assert!(
            x.contains("<error type=\"could-not-run\" message=\"no offer\u{FFFD}\">"),
            "{x}"
        );
        assert!(x.contains("<skipped type=\"skipped\" message=\"not run: line 12 could not run, so the rest of the script was skipped\">qa/checks.script:14: not run: line 12 could not run, so the rest of the script was skipped</skipped>"), "{x}");
        assert!(
            x.contains("<system-out>line 3 &lt;ok&gt; &amp; \"done\"\n  next</system-out>"),
            "{x}"
        );
        assert_eq!(xml_escape("a\u{1}b"), "a\u{FFFD}b");
    }

    #[test]
    fn an_unusable_run_is_one_error_per_problem() {
        let x = junit_unusable_xml(
            &Suite {
                simulated_start: String::new(),
                ..suite()
            },
            &[(
                "qa/checks.script:4:1: unknown command \"dail\"".into(),
                "qa/checks.script:4:1: error: unknown command \"dail\"\n  help: did you mean \"dial\"?".into(),
            )],
        );
        assert!(x.contains("tests=\"1\" failures=\"0\" errors=\"1\""), "{x}");
        assert!(x.contains("<testcase name=\"qa/checks.script:4:1: unknown command &quot;dail&quot;\" classname=\"checks\" time=\"0.000\">"), "{x}");
        assert!(!x.contains("simulated_start"));
        assert!(!x.contains("<system-out>"));
    }
}
