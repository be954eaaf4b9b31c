//! A class read back from the LRS: each trainee's progress through a lesson (steps done, at
//! the first try, hints, wrong attempts, the lesson's score), from the statements agentdesk
//! wrote. A trainee's latest run of a lesson (registration) counts. The class report's CSV
//! and the trainer's class view both come from here.

use std::collections::BTreeMap;

use super::convert::{extension_iri, step_iri};
use super::statement::{Verb, duration_seconds};
use super::{LrsClient, LrsError, Statement};

/// Wrong attempts on the step a trainee is on, from which they count as stuck.
pub const STUCK_AFTER: u64 = 3;

/// The lessons a class is looked at over: each one's activity id, title and step count.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonInfo {
    pub iri: String,
    pub title: String,
    pub steps: usize,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepProgress {
    pub done: bool,
    /// Done without a wrong attempt or a restart (`None` while not done).
    pub first_try: Option<bool>,
    pub hints: u64,
    pub wrong: u64,
}

/// The lesson's result, once a run ended.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonResult {
    pub passed: bool,
    pub scaled: Option<f64>,
    pub seconds: Option<f64>,
}

/// One trainee's latest run of one lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub trainee: String,
    pub lesson: usize,
    pub registration: String,
    pub steps: Vec<StepProgress>,
    pub result: Option<LessonResult>,
    /// The newest statement's timestamp.
    pub last_activity: String,
}

impl Progress {
    pub fn steps_done(&self) -> usize {
        self.steps.iter().filter(|s| s.done).count()
    }

    /// The step the trainee is on (0-based), `None` once every step is done.
    pub fn current_step(&self) -> Option<usize> {
        self.steps.iter().position(|s| !s.done)
    }

    /// Still in the lesson, with [`STUCK_AFTER`] wrong attempts or more on the current step.
    pub fn stuck(&self) -> bool {
        self.result.is_none()
            && self
                .current_step()
                .is_some_and(|i| self.steps[i].wrong >= STUCK_AFTER)
    }
}

/// Each trainee's latest run of each lesson, sorted by lesson then trainee. Statements that
/// are not about these lessons are left out (an LRS holds other tools' statements too).
pub fn progress(statements: &[Statement], lessons: &[LessonInfo], base: &str) -> Vec<Progress> {
    // (lesson, trainee) -> (registration, its first timestamp)
    let mut latest: BTreeMap<(usize, String), (String, String)> = BTreeMap::new();
    let lesson_of = |s: &Statement| -> Option<usize> {
        let id = s.parent().unwrap_or(&s.object.id);
        lessons.iter().position(|l| l.iri == id)
    };
    for s in statements {
        let (Some(lesson), Some(trainee), Some(reg)) =
            (lesson_of(s), s.trainee(), s.registration())
        else {
            continue;
        };
        let entry = latest
            .entry((lesson, trainee.to_string()))
            .or_insert_with(|| (reg.to_string(), s.timestamp.clone()));
        if entry.0 != reg && s.timestamp > entry.1 && s.verb() == Some(Verb::Attempted) {
            *entry = (reg.to_string(), s.timestamp.clone());
        }
    }
    let mut out: BTreeMap<(usize, String), Progress> = latest
        .iter()
        .map(|((lesson, trainee), (reg, _))| {
            let p = Progress {
                trainee: trainee.clone(),
                lesson: *lesson,
                registration: reg.clone(),
                steps: vec![StepProgress::default(); lessons[*lesson].steps],
                result: None,
                last_activity: String::new(),
            };
            ((*lesson, trainee.clone()), p)
        })
        .collect();
    for s in statements {
        let (Some(lesson), Some(trainee)) = (lesson_of(s), s.trainee()) else {
            continue;
        };
        let Some(p) = out.get_mut(&(lesson, trainee.to_string())) else {
            continue;
        };
        if s.registration() != Some(p.registration.as_str()) {
            continue;
        }
        if s.timestamp > p.last_activity {
            p.last_activity = s.timestamp.clone();
        }
        apply(p, s, &lessons[lesson], base);
    }
    out.into_values().collect()
}

fn apply(p: &mut Progress, s: &Statement, lesson: &LessonInfo, base: &str) {
    let result = s.result.clone().unwrap_or_default();
    let number = |key: &str| {
        result
            .extensions
            .get(&extension_iri(base, key))
            .and_then(|v| v.as_u64())
    };
    if s.object.id == lesson.iri {
        if let Some(v @ (Verb::Passed | Verb::Failed)) = s.verb() {
            p.result = Some(LessonResult {
                passed: v == Verb::Passed,
                scaled: result.score.as_ref().and_then(|sc| sc.scaled),
                seconds: result.duration.as_deref().and_then(duration_seconds),
            });
        }
        return;
    }
    let Some(step) = (1..=lesson.steps).find(|n| step_iri(&lesson.iri, *n) == s.object.id) else {
        return;
    };
    let sp = &mut p.steps[step - 1];
    // Counts are cumulative in every statement: the largest seen is the latest.
    sp.hints = sp.hints.max(number("hints").unwrap_or(0));
    sp.wrong = sp.wrong.max(number("wrong-attempts").unwrap_or(0));
    if s.verb() == Some(Verb::Completed) {
        sp.done = true;
        sp.first_try = result.success;
    }
}

/// The class report's header.
pub const REPORT_HEADER: [&str; 8] = [
    "trainee",
    "lesson",
    "step",
    "done",
    "first_try",
    "hints",
    "score",
    "time",
];

/// CSV, one row per trainee and step: the lesson's score (scaled, 0 to 1) and time (simulated
/// seconds) once the trainee's run ended, empty before.
pub fn report_csv(progress: &[Progress], lessons: &[LessonInfo]) -> String {
    let safe = |t: &str| crate::output::escape::spreadsheet_safe(t).into_owned();
    crate::output::escape::csv_text(|w| {
        w.write_record(REPORT_HEADER)?;
        for p in progress {
            let lesson = &lessons[p.lesson];
            let score = p
                .result
                .as_ref()
                .and_then(|r| r.scaled)
                .map_or_else(String::new, |s| format!("{s:.2}"));
            let time = p
                .result
                .as_ref()
                .and_then(|r| r.seconds)
                .map_or_else(String::new, |s| format!("{s:.0}"));
            for (i, s) in p.steps.iter().enumerate() {
                let first = match s.first_try {
                    Some(true) => "true",
                    Some(false) => "false",
                    None => "",
                };
                w.write_record([
                    safe(&p.trainee).as_str(),
                    &safe(&lesson.title),
                    &(i + 1).to_string(),
                    if s.done { "true" } else { "false" },
                    first,
                    &s.hints.to_string(),
                    &score,
                    &time,
                ])?;
            }
        }
        Ok(())
    })
}

/// The statements of a class: each lesson's (and its steps', through `related_activities`),
/// or one registration's; filtered again here, since not every LRS applies every filter
/// (the class view and report keep only what is about their lessons).
pub fn class_statements(
    client: &LrsClient,
    lessons: &[LessonInfo],
    registration: Option<&str>,
) -> Result<Vec<Statement>, LrsError> {
    let mut raw = Vec::new();
    match registration {
        Some(r) => raw.extend(client.get(&[("registration", r.to_string())])?),
        None => {
            for l in lessons {
                raw.extend(client.get(&[
                    ("activity", l.iri.clone()),
                    ("related_activities", "true".to_string()),
                ])?);
            }
        }
    }
    // Some LRSs ignore these filters and answer nothing (Ralph's file-system backend): then
    // everything is read and filtered here.
    if raw.is_empty() {
        raw = client.get(&[("limit", "1000".to_string())])?;
    }
    let mut seen = std::collections::HashSet::new();
    Ok(raw
        .into_iter()
        .filter_map(|v| serde_json::from_value::<Statement>(v).ok())
        .filter(|s| registration.is_none_or(|r| s.registration() == Some(r)))
        .filter(|s| seen.insert(s.id.clone()))
        .collect())
}
