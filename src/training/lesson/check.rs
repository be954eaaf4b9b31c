//! Whether a lesson can be done: its lines, setup and every step's reference solution, run
//! headless on its own world and seed, exactly as `agentdesk run` runs a script.

use super::Lesson;
use crate::input::Diagnostic;
use crate::qa::script::{Expectation, Report, ScriptCommand, Verdict, run};

/// What running a lesson's reference solution gave.
#[derive(Clone, Debug)]
pub struct CheckOutcome {
    pub report: Report,
    /// The transcript, as `agentdesk run` prints it.
    pub transcript: String,
    /// One error per line that did not hold or could not run, at its `file:line:column`,
    /// naming the step it belongs to.
    pub problems: Vec<Diagnostic>,
}

impl CheckOutcome {
    /// Every expectation of every step held.
    pub fn solvable(&self) -> bool {
        self.problems.is_empty() && self.report.all_passed()
    }
}

/// Runs the lesson's reference solution headless. `source` is the lesson's text, for the
/// positions of what fails.
pub fn check(lesson: &Lesson, source: &str) -> CheckOutcome {
    let mut engine = lesson.engine();
    let mut out = Vec::new();
    // Writing into memory does not fail.
    let report = run(&mut engine, &lesson.script, &mut out).unwrap_or_default();
    let mut problems = Vec::new();
    for case in &report.cases {
        let why = match &case.verdict {
            Verdict::Failed(why) | Verdict::Error(why) => why,
            Verdict::Passed | Verdict::Skipped { .. } => continue,
        };
        let index = lesson.script.steps.iter().position(|s| s.line == case.line);
        let message = match index.and_then(|i| lesson.step_of(i)) {
            Some(n) => format!(
                "step {} (\"{}\") cannot be done as written: {why}",
                n + 1,
                lesson.steps[n].text
            ),
            None => format!("the lesson's setup cannot run: {why}"),
        };
        problems.push(
            Diagnostic::error(&lesson.file, message)
                .at(source, span_of(source, case.line, &case.text))
                .expected("every expectation of the lesson to hold on its seed"),
        );
    }
    problems.extend(giveaways(lesson, source));
    CheckOutcome {
        report,
        transcript: String::from_utf8_lossy(&out).into_owned(),
        problems,
    }
}

/// A step that asks the trainee to find which privilege is missing, whose own hint or check
/// words already name it: the lesson would hand the answer over.
fn giveaways(lesson: &Lesson, source: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (n, step) in lesson.steps.iter().enumerate() {
        let Some(first) = lesson.lines_of(n).first() else {
            continue;
        };
        let Some(index) = lesson
            .script
            .steps
            .iter()
            .position(|s| s.line == first.line)
        else {
            continue;
        };
        if !super::progress::asks_to_find(lesson, index) {
            continue;
        }
        let mut said: Vec<String> = step.hints.clone();
        said.extend(
            step.lines
                .clone()
                .filter_map(|i| super::plain_check(lesson, i)),
        );
        for s in lesson.lines_of(n) {
            let ScriptCommand::Expect(Expectation::Denied { privileges, .. }) = &s.command else {
                continue;
            };
            for p in privileges {
                if said.iter().any(|w| w.contains(p.name())) {
                    problems.push(
                        Diagnostic::error(
                            &lesson.file,
                            format!(
                                "step {} (\"{}\") asks the trainee to find the missing privilege, \
                                 but its hint or check words name it: {}",
                                n + 1,
                                step.text,
                                p.name()
                            ),
                        )
                        .at(source, span_of(source, step.line, "step"))
                        .expected("hints and checks that point at where to read it, not at it"),
                    );
                }
            }
        }
    }
    problems
}

/// The byte span of `text` on 1-based line `line` of `source` (the line's start if absent).
fn span_of(source: &str, line: usize, text: &str) -> std::ops::Range<usize> {
    let mut start = 0;
    for (i, l) in source.split('\n').enumerate() {
        if i + 1 == line {
            let at = start + l.find(text).unwrap_or(0);
            let len = if l.contains(text) { text.len() } else { 0 };
            return at..at + len;
        }
        start += l.len() + 1;
    }
    0..0
}
