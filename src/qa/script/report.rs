//! The result of a run: the verdict on each expectation, the privilege coverage of the
//! actions, and the summary and tally line the transcript ends with.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::policy::{Action, Cell, Channel, ProductVersion, Stage, cell};
use crate::qa::matrix;

/// The verdict on one expectation (an `expect` or `wait` line, or a line that could not run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// The expectation did not hold; the script went on.
    Failed(String),
    /// The line could not run at all (a `wait` that timed out, an action with nothing to act
    /// on); the rest of the script was skipped.
    Error(String),
    /// Not run because the earlier line stopped the script.
    Skipped {
        /// The line that stopped the script.
        stopped_at: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub line: usize,
    pub text: String,
    /// The case's identity: what it checks (see `identity`), not where it stands.
    pub name: String,
    pub verdict: Verdict,
    /// Simulated time when the line's verdict was known.
    pub at: chrono::NaiveDateTime,
    /// Wall-clock time spent since the previous case's verdict (or the start): what the
    /// report's `time` says.
    pub wall: std::time::Duration,
}

/// Per matrix cell: how often the run's actions were allowed and privilege-denied there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellCount {
    pub allowed: u32,
    pub denied: u32,
}

/// The result of a run: the expectation cases and the privilege coverage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Simulated time when the script started and when it ended.
    pub start: chrono::NaiveDateTime,
    pub end: chrono::NaiveDateTime,
    pub cases: Vec<Case>,
    pub coverage: BTreeMap<(Channel, Action, Stage), CellCount>,
    /// Attempts in a stage where the action does not exist (not matrix decisions).
    pub not_available: u32,
    /// The roles file's product version: the matrix cells coverage is counted against.
    pub version: ProductVersion,
    /// Wall-clock time the whole run took.
    pub wall: std::time::Duration,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Passed))
    }

    pub fn failed(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Failed(_)))
    }

    /// Lines that could not run.
    pub fn errors(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Error(_)))
    }

    pub fn skipped(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Skipped { .. }))
    }

    /// True when every expectation held and every line ran.
    pub fn all_passed(&self) -> bool {
        self.failed() + self.errors() == 0
    }

    fn count(&self, f: impl Fn(&Verdict) -> bool) -> usize {
        self.cases.iter().filter(|c| f(&c.verdict)).count()
    }

    /// `N passed, M failed[, K skipped]`: the closing line CI reads. A line that could not run
    /// counts as failed there (JUnit keeps it apart as an error).
    pub fn tally(&self) -> String {
        let mut t = format!(
            "{} passed, {} failed",
            self.passed(),
            self.failed() + self.errors()
        );
        if self.skipped() > 0 {
            t.push_str(&format!(", {} skipped", self.skipped()));
        }
        t
    }
}

/// Writes the summary: expectations, privilege coverage, and the closing tally line.
pub(super) fn write_summary(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    writeln!(out, "--- summary")?;
    writeln!(
        out,
        "expectations: {} passed, {} failed, {} could not run, {} skipped",
        report.passed(),
        report.failed(),
        report.errors(),
        report.skipped()
    )?;
    for c in &report.cases {
        if let Verdict::Failed(why) | Verdict::Error(why) = &c.verdict {
            writeln!(out, "  FAILED line {}: {} -- {why}", c.line, c.text)?;
        }
    }
    let gated: Vec<(Channel, Action, Stage)> = matrix::cells_in(report.version)
        .filter(|&(c, a, s)| matches!(cell(c, a, s), Cell::Needs(_)))
        .collect();
    let exercised = gated
        .iter()
        .filter(|k| report.coverage.contains_key(k))
        .count();
    let allowed = report.coverage.values().filter(|c| c.allowed > 0).count();
    let denied = report.coverage.values().filter(|c| c.denied > 0).count();
    writeln!(
        out,
        "privilege coverage: {exercised} of {} matrix cells exercised ({allowed} allowed, {denied} denied), {} never exercised; {} attempt(s) where the action does not exist",
        gated.len(),
        gated.len() - exercised,
        report.not_available
    )?;
    for &channel in Channel::ALL {
        let done: Vec<String> = gated
            .iter()
            .filter(|k| k.0 == channel)
            .filter_map(|k| report.coverage.get(k).map(|c| (k, c)))
            .map(|((_, a, s), c)| {
                let mut counts = Vec::new();
                if c.allowed > 0 {
                    counts.push(format!("{} allowed", c.allowed));
                }
                if c.denied > 0 {
                    counts.push(format!("{} denied", c.denied));
                }
                format!("{a}@{s} ({})", counts.join(", "))
            })
            .collect();
        if !done.is_empty() {
            writeln!(out, "  exercised {channel}: {}", done.join(", "))?;
        }
    }
    for &channel in Channel::ALL {
        let mut by_action: Vec<(Action, Vec<Stage>)> = Vec::new();
        for &(c, a, s) in &gated {
            if c != channel || report.coverage.contains_key(&(c, a, s)) {
                continue;
            }
            match by_action.last_mut() {
                Some((last, stages)) if *last == a => stages.push(s),
                _ => by_action.push((a, vec![s])),
            }
        }
        if by_action.is_empty() {
            continue;
        }
        let parts: Vec<String> = by_action
            .iter()
            .map(|(a, stages)| match stages.as_slice() {
                [one] => format!("{a}@{one}"),
                many => format!(
                    "{a}@{{{}}}",
                    many.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            })
            .collect();
        writeln!(out, "  never {channel}: {}", parts.join(" "))?;
    }
    writeln!(out, "{}", report.tally())
}
