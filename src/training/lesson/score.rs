//! The score card of a lesson done at the desk, and its exports: JUnit XML (written by the
//! script report's writer, one test case per step) and CSV (one row per step), so a trainer
//! collects a class's results with the tools QA already uses.

use chrono::Duration;

use crate::qa::script::{Case, Report, Suite, Verdict, junit_xml};
use crate::world::SimTime;

/// How one step went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepScore {
    /// The `step` line in the lesson file.
    pub line: usize,
    pub text: String,
    pub done: bool,
    /// Attempts that were not what the step asked.
    pub wrong: usize,
    pub hints: usize,
    /// Refusals the trainee met in the step (those the step wanted shown included).
    pub denials: usize,
    /// Times the step was started again.
    pub restarts: usize,
    /// Wall-clock time the trainee spent on the step (restarts included).
    pub wall: std::time::Duration,
}

impl StepScore {
    /// Done without a wrong attempt or a restart (hints do not count against it).
    pub fn first_try(&self) -> bool {
        self.done && self.wrong == 0 && self.restarts == 0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScoreCard {
    pub title: String,
    /// The lesson file's path as it was opened.
    pub file: String,
    pub trainee: String,
    pub seed: u64,
    pub roles_file: String,
    pub scenario_file: String,
    pub product_version: String,
    /// Simulated start and end of the lesson.
    pub start: SimTime,
    /// The start as reports write it, ISO 8601 with the centre's offset.
    pub simulated_start: String,
    pub end: SimTime,
    /// Wall-clock seconds the trainee took, when measured.
    pub real_seconds: Option<f64>,
    pub steps: Vec<StepScore>,
}

/// The CSV header of [`ScoreCard::to_csv`].
pub const CSV_HEADER: [&str; 11] = [
    "lesson",
    "trainee",
    "step",
    "instruction",
    "done",
    "first_try",
    "wrong_attempts",
    "hints",
    "denials",
    "restarts",
    "step_seconds",
];

impl ScoreCard {
    pub fn first_try_steps(&self) -> usize {
        self.steps.iter().filter(|s| s.first_try()).count()
    }

    pub fn hints_used(&self) -> usize {
        self.steps.iter().map(|s| s.hints).sum()
    }

    pub fn denials_met(&self) -> usize {
        self.steps.iter().map(|s| s.denials).sum()
    }

    pub fn done(&self) -> bool {
        self.steps.iter().all(|s| s.done)
    }

    /// Every step done at the first try, without a hint.
    pub fn full_marks(&self) -> bool {
        self.done() && self.first_try_steps() == self.steps.len() && self.hints_used() == 0
    }

    pub fn simulated(&self) -> Duration {
        self.end - self.start
    }

    /// The card as lines of text: the panel, and the JUnit report's `<system-out>`.
    pub fn summary(&self) -> Vec<String> {
        let mut lines = vec![
            format!(
                "{}: {} of {} step(s) at the first try",
                self.title,
                self.first_try_steps(),
                self.steps.len()
            ),
            format!("Hints used: {}", self.hints_used()),
            format!("Denials met: {}", self.denials_met()),
            format!(
                "Time: {} simulated{}",
                minutes(self.simulated()),
                self.real_seconds
                    .map(|s| format!(", {} at the desk", minutes(Duration::seconds(s as i64))))
                    .unwrap_or_default()
            ),
        ];
        if self.full_marks() {
            lines.push("Full marks.".to_string());
        }
        lines
    }

    /// JUnit XML: a suite named by the lesson file's stem and the trainee (so a class's
    /// reports merge without colliding), a case per step timed in wall-clock seconds, failing
    /// when the step was not done at the first try (the message says what it took).
    pub fn to_junit(&self, timestamp: &str) -> String {
        let stem = std::path::Path::new(&self.file)
            .file_stem()
            .map_or_else(|| self.file.clone(), |s| s.to_string_lossy().into_owned());
        let suite = Suite {
            script: self.file.clone(),
            title: Some(format!("{stem} - {}", self.trainee)),
            seed: self.seed,
            roles_file: self.roles_file.clone(),
            scenario_file: self.scenario_file.clone(),
            product_version: self.product_version.clone(),
            timestamp: timestamp.to_string(),
            simulated_start: self.simulated_start.clone(),
        };
        let cases = self
            .steps
            .iter()
            .map(|s| Case {
                line: s.line,
                text: format!("step: {}", s.text),
                name: format!("step: {}", s.text),
                wall: s.wall,
                verdict: if s.first_try() {
                    Verdict::Passed
                } else if s.done {
                    Verdict::Failed(format!(
                        "done after {} wrong attempt(s) and {} restart(s), {} hint(s)",
                        s.wrong, s.restarts, s.hints
                    ))
                } else {
                    Verdict::Failed(format!(
                        "not done ({} wrong attempt(s), {} hint(s))",
                        s.wrong, s.hints
                    ))
                },
                at: self.start,
            })
            .collect();
        let report = Report {
            start: self.start,
            end: self.end,
            wall: std::time::Duration::from_secs_f64(self.real_seconds.unwrap_or(0.0).max(0.0)),
            cases,
            ..Report::default()
        };
        let mut out = format!("trainee: {}\n", self.trainee);
        for l in self.summary() {
            out.push_str(&l);
            out.push('\n');
        }
        junit_xml(&suite, &report, &out)
    }

    /// CSV, one row per step (RFC 4180 quoting; text a spreadsheet would run as a formula gets
    /// a leading `'`).
    pub fn to_csv(&self) -> String {
        let safe = |text: &str| crate::output::escape::spreadsheet_safe(text).into_owned();
        crate::output::escape::csv_text(|writer| {
            writer.write_record(CSV_HEADER)?;
            for (i, s) in self.steps.iter().enumerate() {
                writer.write_record([
                    safe(&self.title).as_str(),
                    &safe(&self.trainee),
                    &(i + 1).to_string(),
                    &safe(&s.text),
                    true_false(s.done),
                    true_false(s.first_try()),
                    &s.wrong.to_string(),
                    &s.hints.to_string(),
                    &s.denials.to_string(),
                    &s.restarts.to_string(),
                    // The trainee's own time on this step (the lesson's total is the sum),
                    // not the lesson total repeated on every row.
                    &format!("{:.3}", s.wall.as_secs_f64()),
                ])?;
            }
            Ok(())
        })
    }
}

/// Booleans as pandas, DuckDB and csvkit read them.
fn true_false(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

fn minutes(d: Duration) -> String {
    let s = d.num_seconds().max(0);
    format!("{}m {:02}s", s / 60, s % 60)
}
