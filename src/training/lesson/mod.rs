//! Guided lessons: a trainer's exercise in the script format, grouped into steps an agent does
//! on the real desk, each checked by the engine.
//!
//! - `parse`: the lesson file ([`Lesson::parse`]): `lesson`, `description`, `roles-file`,
//!   `scenario-file`, `seed`, `step` and `hint` lines around ordinary script lines, which the
//!   script parser reads (same commands, same expectations, same diagnostics).
//! - `check`: runs every step's reference solution headless ([`check`]): a lesson is solvable
//!   when every expectation of it holds.
//! - `progress`: a lesson being done at the desk ([`LessonRun`]): the lines the lesson does
//!   itself run, the trainee's attempts (read from the audit log) are matched against the
//!   step's action lines, and the expectations after them are checked as `agentdesk run` does.
//! - `score`: the score card at the end and its JUnit XML and CSV.
//! - `draft`: a recorded session turned into a lesson draft, with `step` lines at the pauses
//!   the trainer marked.

mod check;
mod draft;
mod parse;
mod progress;
mod score;

use std::ops::Range;
use std::path::PathBuf;

use crate::qa::script::{Script, ScriptCommand, Step};
use crate::world::roles::RoleBook;
use crate::world::scenario::Scenario;

pub use check::{CheckOutcome, check};
pub use draft::{PAUSE_MARK, lesson_draft};
pub use parse::LESSON_WORDS;
pub use progress::{Attempt, CheckState, LessonRun, Wrong, plain_check};
pub use score::{CSV_HEADER, ScoreCard, StepScore};

/// `(path in the repository, text)` of each lesson named, compiled in.
macro_rules! shipped {
    ($($name:literal),+ $(,)?) => {
        [$((
            concat!("assets/lessons/", $name, ".lesson"),
            include_str!(concat!("../../../assets/lessons/", $name, ".lesson")),
        )),+]
    };
}

/// The lessons shipped in `assets/lessons/`, compiled in so the Lessons tool offers them
/// wherever the program runs.
pub const SHIPPED: [(&str, &str); 7] = shipped!(
    "reschedule-before-after-call",
    "reject-or-cancel",
    "push-preview",
    "web-callback",
    "do-not-call",
    "new-number",
    "granted-but-inactive",
);

/// A parsed lesson, with the world it runs in.
#[derive(Clone, Debug)]
pub struct Lesson {
    /// The lesson file's path as given.
    pub file: String,
    pub title: String,
    /// The `description` lines, joined by line breaks.
    pub description: String,
    /// The roles and scenario files the lesson names, resolved next to the lesson file
    /// (`None`: the embedded defaults).
    pub roles_file: Option<PathBuf>,
    pub scenario_file: Option<PathBuf>,
    /// The seed every trainee's day runs on, so everyone gets the same customers.
    pub seed: u64,
    /// The desk view the lesson fixes (`view agent`): `None` leaves the trainee's choice.
    pub view: Option<crate::policy::DeskView>,
    pub book: RoleBook,
    pub scenario: Scenario,
    /// Every script line of the lesson, setup and steps, in file order.
    pub script: Script,
    pub steps: Vec<LessonStep>,
}

/// One `step` of a lesson: what the trainee is asked to do and the script lines that do it.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonStep {
    /// The line of the `step` keyword.
    pub line: usize,
    /// What to do, in plain words.
    pub text: String,
    pub hints: Vec<String>,
    /// The step's lines: indexes into the lesson's `script.steps`.
    pub lines: Range<usize>,
}

impl Lesson {
    /// The script lines of step `index`.
    pub fn lines_of(&self, index: usize) -> &[Step] {
        self.steps
            .get(index)
            .and_then(|s| self.script.steps.get(s.lines.clone()))
            .unwrap_or(&[])
    }

    /// The lesson step a script line (an index into `script.steps`) belongs to; `None` for
    /// the setup before the first step.
    pub fn step_of(&self, line_index: usize) -> Option<usize> {
        self.steps
            .iter()
            .position(|s| s.lines.contains(&line_index))
    }

    /// The roles and scenario as `Suite` and reports name them.
    pub fn roles_label(&self) -> String {
        label(self.roles_file.as_ref())
    }

    pub fn scenario_label(&self) -> String {
        label(self.scenario_file.as_ref())
    }

    /// A fresh day for the lesson: its roles, scenario and seed, nobody logged in.
    /// The lesson's own world. A lesson that offers its own web callbacks owns that traffic:
    /// the scenario's callbacks would otherwise reach the trainee first and compete with the
    /// step ("lessons own their world", docs/activities.md).
    pub fn engine(&self) -> crate::engine::Engine {
        let mut scenario = self.scenario.clone();
        if self
            .script
            .steps
            .iter()
            .any(|s| matches!(s.command, ScriptCommand::OfferCallback))
        {
            scenario.web_callbacks.initial = 0;
            scenario.web_callbacks.per_hour = 0.0;
        }
        crate::engine::Engine::new(self.book.clone(), scenario, self.seed)
    }
}

fn label(path: Option<&PathBuf>) -> String {
    path.map_or_else(|| "embedded".to_string(), |p| p.display().to_string())
}

/// Whether a line is the trainee's to do in the window: an action, or a role-book edit (made
/// in the role editor).
pub fn is_trainee_line(command: &ScriptCommand) -> bool {
    matches!(command, ScriptCommand::Act(_) | ScriptCommand::EditRoles(_))
}
