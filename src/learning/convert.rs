//! The one conversion from the domain's results to xAPI statements: a lesson's score card as it
//! changes (each wrong attempt, each step done, the lesson's result) and a practice shift's
//! feedback and score card. Every statement's id is a name-based UUID of the run's registration
//! and what the statement is about, so a statement made again from the same result has the
//! same id and the LRS stores it once.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::statement::{
    Account, Activity, Actor, Context, ContextActivities, Definition, Outcome, Score, Statement,
    Verb, VerbRef, iso_duration, name_uuid,
};
use crate::training::lesson::ScoreCard;
use crate::training::practice::{Feedback, ScoreCard as ShiftCard};

/// The xAPI activity type of a lesson, a lesson step, a practice shift and an interaction.
pub const LESSON_TYPE: &str = "http://adlnet.gov/expapi/activities/lesson";
pub const STEP_TYPE: &str = "http://adlnet.gov/expapi/activities/interaction";
pub const SHIFT_TYPE: &str = "http://adlnet.gov/expapi/activities/simulation";
pub const INTERACTION_TYPE: &str = "http://adlnet.gov/expapi/activities/interaction";

/// The default organisation home page and activity base: `.invalid` never resolves, so a
/// training team sees at once that it has not set its own (docs/lrs.md).
pub const DEFAULT_HOME_PAGE: &str = "https://agentdesk.invalid/";
pub const DEFAULT_ACTIVITY_BASE: &str = "https://agentdesk.invalid/xapi/";

/// Who did the activity, in which run, under which organisation and base IRI, and what the
/// context extensions say about the run.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordContext {
    pub trainee: String,
    /// The account's `homePage` (the organisation's URL).
    pub home_page: String,
    /// Activity ids are under this IRI (ending with `/`).
    pub activity_base: String,
    /// The run's registration (a UUID).
    pub registration: String,
    /// The roles the trainee's agent held when the run started.
    pub roles: Vec<String>,
    pub product_version: String,
    pub seed: u64,
}

impl RecordContext {
    /// A context with the default organisation and base, and a registration made from the
    /// trainee, the activity and `run` (something that differs between runs: the start time).
    pub fn new(trainee: &str, activity: &str, run: &str) -> RecordContext {
        RecordContext {
            trainee: trainee.to_string(),
            home_page: DEFAULT_HOME_PAGE.to_string(),
            activity_base: DEFAULT_ACTIVITY_BASE.to_string(),
            registration: name_uuid(&format!("registration\n{trainee}\n{activity}\n{run}")),
            roles: Vec::new(),
            product_version: String::new(),
            seed: 0,
        }
    }

    /// The extension IRI `name` under the activity base.
    pub fn extension(&self, name: &str) -> String {
        extension_iri(&self.activity_base, name)
    }

    fn actor(&self) -> Actor {
        Actor {
            object_type: "Agent".into(),
            name: Some(self.trainee.clone()),
            account: Some(Account {
                home_page: self.home_page.clone(),
                name: self.trainee.clone(),
            }),
        }
    }

    fn context(&self, parent: Option<Activity>) -> Context {
        let mut extensions = BTreeMap::new();
        extensions.insert(self.extension("roles"), json!(self.roles));
        extensions.insert(
            self.extension("product-version"),
            json!(self.product_version),
        );
        extensions.insert(self.extension("seed"), json!(self.seed));
        extensions.insert(
            self.extension("agentdesk-version"),
            json!(env!("CARGO_PKG_VERSION")),
        );
        Context {
            registration: Some(self.registration.clone()),
            context_activities: parent.map(|p| ContextActivities { parent: vec![p] }),
            extensions,
        }
    }

    fn statement(
        &self,
        key: &str,
        verb: Verb,
        object: Activity,
        result: Outcome,
        parent: Option<Activity>,
        timestamp: &str,
    ) -> Statement {
        Statement {
            id: name_uuid(&format!("statement\n{}\n{key}", self.registration)),
            actor: self.actor(),
            verb: VerbRef {
                id: verb.iri(),
                display: BTreeMap::from([("en-US".to_string(), verb.word().to_string())]),
            },
            object,
            result: Some(result),
            context: Some(self.context(parent)),
            timestamp: timestamp.to_string(),
        }
    }
}

/// `base` + `extensions/` + `name`.
pub fn extension_iri(base: &str, name: &str) -> String {
    format!("{base}extensions/{name}")
}

/// The activity id of a lesson: `base` + `lessons/` + the lesson file's stem.
pub fn lesson_iri(base: &str, lesson_file: &str) -> String {
    format!("{base}lessons/{}", slug(lesson_file))
}

/// The activity id of step `n` (1-based) of a lesson.
pub fn step_iri(lesson_iri: &str, n: usize) -> String {
    format!("{lesson_iri}/steps/{n}")
}

/// A file's stem as a path segment of an IRI: lower case, letters, digits and `-`.
pub fn slug(file: &str) -> String {
    let stem = std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned());
    let s: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "unnamed".into() } else { s }
}

fn activity(id: String, name: &str, kind: &str) -> Activity {
    Activity {
        object_type: "Activity".into(),
        id,
        definition: Some(Definition {
            name: BTreeMap::from([("en-US".to_string(), name.to_string())]),
            kind: Some(kind.to_string()),
        }),
    }
}

/// Follows one lesson run's score card and says, as statements, what changed since the last
/// look: the lesson attempted (at the start), each wrong attempt (`answered`, not a success),
/// each step done (`completed`), and the lesson's result (`passed` when every step is done,
/// `failed` when the run ends without).
#[derive(Clone, Debug)]
pub struct LessonRecorder {
    pub context: RecordContext,
    lesson_iri: String,
    last: Option<ScoreCard>,
    ended: bool,
}

impl LessonRecorder {
    pub fn new(context: RecordContext, lesson_file: &str) -> LessonRecorder {
        let lesson_iri = lesson_iri(&context.activity_base, lesson_file);
        LessonRecorder {
            context,
            lesson_iri,
            last: None,
            ended: false,
        }
    }

    pub fn lesson_iri(&self) -> &str {
        &self.lesson_iri
    }

    fn lesson(&self, card: &ScoreCard) -> Activity {
        activity(self.lesson_iri.clone(), &card.title, LESSON_TYPE)
    }

    /// What changed since the last call. `response` names the attempt that changed it (its
    /// action), for the `answered` statements.
    pub fn update(
        &mut self,
        card: &ScoreCard,
        response: Option<&str>,
        timestamp: &str,
    ) -> Vec<Statement> {
        let mut out = Vec::new();
        let ctx = &self.context;
        if self.last.is_none() {
            let result = Outcome {
                completion: Some(false),
                ..Outcome::default()
            };
            out.push(ctx.statement(
                "lesson\nattempted",
                Verb::Attempted,
                self.lesson(card),
                result,
                None,
                timestamp,
            ));
        }
        for (i, step) in card.steps.iter().enumerate() {
            let before = self.last.as_ref().and_then(|l| l.steps.get(i));
            let was_wrong = before.map_or(0, |b| b.wrong);
            let object = activity(step_iri(&self.lesson_iri, i + 1), &step.text, STEP_TYPE);
            let extensions = self.step_extensions(step);
            for n in was_wrong + 1..=step.wrong {
                let result = Outcome {
                    success: Some(false),
                    response: response.map(str::to_string),
                    extensions: extensions.clone(),
                    ..Outcome::default()
                };
                out.push(ctx.statement(
                    &format!("step\n{}\nanswered\n{n}", i + 1),
                    Verb::Answered,
                    object.clone(),
                    result,
                    Some(self.lesson(card)),
                    timestamp,
                ));
            }
            if step.done && !before.is_some_and(|b| b.done) {
                let result = Outcome {
                    success: Some(step.first_try()),
                    completion: Some(true),
                    response: response.map(str::to_string),
                    extensions,
                    ..Outcome::default()
                };
                out.push(ctx.statement(
                    &format!("step\n{}\ncompleted", i + 1),
                    Verb::Completed,
                    object,
                    result,
                    Some(self.lesson(card)),
                    timestamp,
                ));
            }
        }
        if card.done() && !self.ended {
            out.push(self.result(card, timestamp));
        }
        self.last = Some(card.clone());
        out
    }

    /// The lesson's result when the run ends (nothing when it was said already).
    pub fn end(&mut self, card: &ScoreCard, timestamp: &str) -> Vec<Statement> {
        let mut out = self.update(card, None, timestamp);
        if !self.ended {
            out.push(self.result(card, timestamp));
        }
        out
    }

    fn result(&mut self, card: &ScoreCard, timestamp: &str) -> Statement {
        self.ended = true;
        let done = card.done();
        let max = card.steps.len() as f64;
        let raw = card.first_try_steps() as f64;
        let mut extensions = BTreeMap::new();
        let ext = |n: &str| self.context.extension(n);
        extensions.insert(ext("hints"), json!(card.hints_used()));
        extensions.insert(ext("denials"), json!(card.denials_met()));
        extensions.insert(
            ext("steps-done"),
            json!(card.steps.iter().filter(|s| s.done).count()),
        );
        if let Some(real) = card.real_seconds {
            extensions.insert(ext("desk-seconds"), json!(real.round() as i64));
        }
        let result = Outcome {
            success: Some(done),
            completion: Some(done),
            score: Some(Score {
                scaled: Some(if max > 0.0 { raw / max } else { 1.0 }),
                raw,
                min: Some(0.0),
                max: Some(max),
            }),
            duration: Some(iso_duration(card.simulated().num_seconds() as f64)),
            extensions,
            ..Outcome::default()
        };
        let verb = if done { Verb::Passed } else { Verb::Failed };
        self.context.statement(
            &format!("lesson\n{}", verb.word()),
            verb,
            self.lesson(card),
            result,
            None,
            timestamp,
        )
    }

    fn step_extensions(
        &self,
        step: &crate::training::lesson::StepScore,
    ) -> BTreeMap<String, Value> {
        let ext = |n: &str| self.context.extension(n);
        BTreeMap::from([
            (ext("wrong-attempts"), json!(step.wrong)),
            (ext("hints"), json!(step.hints)),
            (ext("restarts"), json!(step.restarts)),
        ])
    }
}

/// A practice shift's statements: one `completed` per handled interaction (success when it has
/// no mistake note), and the shift's result with its score (`completed`; a shift has no pass
/// mark). `shift` names the shift (its scenario's file or name).
pub fn practice_statements(
    ctx: &RecordContext,
    shift: &str,
    feedback: &[Feedback],
    card: &ShiftCard,
    minutes: f64,
    timestamp: &str,
) -> Vec<Statement> {
    let shift_iri = format!("{}practice/{}", ctx.activity_base, slug(shift));
    let shift_activity = activity(shift_iri.clone(), shift, SHIFT_TYPE);
    let mut out = Vec::new();
    for f in feedback {
        let mistakes = f
            .notes
            .iter()
            .filter(|n| n.tone == crate::training::practice::Tone::Mistake)
            .count();
        let object = activity(
            format!("{shift_iri}/interactions/{}", f.interaction),
            &format!("{} {}", f.channel, f.interaction),
            INTERACTION_TYPE,
        );
        let result = Outcome {
            success: Some(mistakes == 0),
            completion: Some(true),
            response: Some(f.completion.label().to_string()),
            duration: Some(iso_duration(f.handling.num_seconds() as f64)),
            extensions: BTreeMap::from([(ctx.extension("mistakes"), json!(mistakes))]),
            ..Outcome::default()
        };
        out.push(ctx.statement(
            &format!("interaction\n{}", f.interaction),
            Verb::Completed,
            object,
            result,
            Some(shift_activity.clone()),
            timestamp,
        ));
    }
    let result = Outcome {
        completion: Some(true),
        score: Some(Score {
            raw: card.score as f64,
            ..Score::default()
        }),
        duration: Some(iso_duration(minutes * 60.0)),
        extensions: BTreeMap::from([
            (ctx.extension("handled"), json!(card.handled)),
            (ctx.extension("missed"), json!(card.missed)),
            (ctx.extension("denials"), json!(card.denials_met)),
        ]),
        ..Outcome::default()
    };
    out.push(ctx.statement(
        "shift\ncompleted",
        Verb::Completed,
        shift_activity,
        result,
        None,
        timestamp,
    ));
    out
}
