//! The JUnit XML report of a run, for CI: one `<testcase>` per expectation.

use super::report::{Report, Verdict};
use crate::output::escape;

/// The XML escaping of the report, kept under its old name for callers of this module.
pub use crate::output::escape::xml as xml_escape;

/// The JUnit XML report of a run: one `<testcase>` per expectation.
pub fn junit_xml(suite: &str, report: &Report) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let (tests, failures, skipped) = (report.cases.len(), report.failed(), report.skipped());
    x.push_str(&format!(
        "<testsuites name=\"agentdesk\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n"
    ));
    x.push_str(&format!(
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n",
        escape::xml(suite)
    ));
    for c in &report.cases {
        let name = escape::xml(&format!("line {}: {}", c.line, c.text));
        let class = escape::xml(suite);
        match &c.verdict {
            Verdict::Passed => x.push_str(&format!(
                "    <testcase classname=\"{class}\" name=\"{name}\"/>\n"
            )),
            Verdict::Failed(why) => x.push_str(&format!(
                "    <testcase classname=\"{class}\" name=\"{name}\">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                escape::xml(why),
                escape::xml(why)
            )),
            Verdict::Skipped => x.push_str(&format!(
                "    <testcase classname=\"{class}\" name=\"{name}\">\n      <skipped/>\n    </testcase>\n"
            )),
        }
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::script::report::Case;

    #[test]
    fn junit_escapes_and_counts() {
        let report = Report {
            cases: vec![
                Case {
                    line: 3,
                    text: "expect denied \"A & B\"".into(),
                    verdict: Verdict::Passed,
                },
                Case {
                    line: 4,
                    text: "expect allowed".into(),
                    verdict: Verdict::Failed("was <denied>".into()),
                },
            ],
            ..Report::default()
        };
        let x = junit_xml("s.script", &report);
        assert!(x.contains("tests=\"2\" failures=\"1\""));
        assert!(x.contains("name=\"line 3: expect denied &quot;A &amp; B&quot;\""));
        assert!(x.contains("<failure message=\"was &lt;denied&gt;\">"));
        assert_eq!(xml_escape("a\u{1}b"), "a\u{FFFD}b");
    }
}
