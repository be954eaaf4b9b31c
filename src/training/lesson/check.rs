//! Whether a lesson can be done: its lines, setup and every step's reference solution, run
//! headless on its own world and seed, exactly as `agentdesk run` runs a script.

use super::Lesson;
use crate::input::{Diagnostic, LineIndex};
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
    // One index of the source for every position, and binary searches for the step of a
    // line: a lesson of 30,000 failing steps is checked in linear time, not quadratic.
    let index = LineIndex::new(source);
    let steps = &lesson.script.steps;
    for case in &report.cases {
        let why = match &case.verdict {
            Verdict::Failed(why) | Verdict::Error(why) => why,
            Verdict::Passed | Verdict::Skipped { .. } => continue,
        };
        let at = steps.partition_point(|s| s.line < case.line);
        let found = steps.get(at).is_some_and(|s| s.line == case.line);
        let message = match found.then_some(at).and_then(|i| step_of(lesson, i)) {
            Some(n) => format!(
                "step {} (\"{}\") cannot be done as written: {why}",
                n + 1,
                lesson.steps[n].text
            ),
            None => format!("the lesson's setup cannot run: {why}"),
        };
        problems.push(
            Diagnostic::error(&lesson.file, message)
                .at_indexed(&index, span_of(&index, source, case.line, &case.text))
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
    let lines = LineIndex::new(source);
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
                        .at(source, span_of(&lines, source, step.line, "step"))
                        .expected("hints and checks that point at where to read it, not at it"),
                    );
                }
            }
        }
    }
    problems
}

/// [`Lesson::step_of`] by binary search: the steps' line ranges are in file order.
fn step_of(lesson: &Lesson, line_index: usize) -> Option<usize> {
    let n = lesson.steps.partition_point(|s| s.lines.end <= line_index);
    lesson
        .steps
        .get(n)
        .filter(|s| s.lines.contains(&line_index))
        .map(|_| n)
}

/// The byte span of `text` on 1-based line `line` of `source` (the line's start if absent).
fn span_of(index: &LineIndex, source: &str, line: usize, text: &str) -> std::ops::Range<usize> {
    let l = index.line_text(line);
    // `line_text` gives a slice of `source`, or an empty string of its own past the end.
    let start = (l.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
    if start > source.len() {
        return 0..0;
    }
    match l.find(text) {
        Some(at) => start + at..start + at + text.len(),
        None => start..start,
    }
}
