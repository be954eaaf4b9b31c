//! The activity that owns the desk's day (see `crate::training::activity`): asking before
//! another one starts, freezing the running one's card when it ends, and naming the new one.
//!
//! A command that would start an activity (a practice shift, a lesson, a recording, a replay)
//! is first checked for refusals (a lesson or script that does not parse, a recording without
//! an agent of the roles file): a refused one is carried out at once so its error shows, and
//! nothing ends. One that would succeed while another activity runs opens a dialog saying what
//! happens to the running one; only its confirmation starts it.

use super::view_state::Dialog;
use super::{Desktop, UiCommand};
use crate::qa::script::Script;
use crate::training::activity::{Activity, ActivityKind, Card, Ending};
use crate::training::lesson::{Lesson, ScoreCard as LessonCard};
use crate::training::practice;

impl Desktop {
    /// Carries out `command`, first asking when it would end a running activity.
    pub(super) fn apply_or_ask(&mut self, command: UiCommand) {
        if let Some(next) = self.would_start(&command)
            && let Some(question) = self.session.activities.switch_question(&next)
        {
            self.view.dialog = Some(Dialog::SwitchActivity {
                question,
                then: Box::new(command),
            });
            return;
        }
        self.apply_now(command);
    }

    /// The words for what `command` starts, when it starts an activity and will not be
    /// refused.
    pub(super) fn would_start(&self, command: &UiCommand) -> Option<String> {
        let s = &self.session;
        match command {
            UiCommand::StartPractice { seed, minutes, .. } => {
                Some(format!("a practice shift (seed {seed}, {minutes} minutes)"))
            }
            UiCommand::LoadLesson { file, text } => {
                let dir = std::path::Path::new(file).parent();
                Lesson::parse(file, text, dir)
                    .ok()
                    .map(|l| format!("the lesson \"{}\"", l.title))
            }
            UiCommand::StartRecording => s
                .recording_refusal()
                .is_none()
                .then(|| "a recording".to_string()),
            UiCommand::LoadReplay { file, text, .. } => {
                Script::parse(file, text, s.engine.roles(), s.engine.scenario())
                    .ok()
                    .map(|_| format!("a replay of {file}"))
            }
            _ => None,
        }
    }

    /// The running activity's card as it stands, from this day's world.
    fn running_card(&self) -> Option<Card> {
        let s = &self.session;
        let current = &s.activities.current;
        match current.kind {
            ActivityKind::FreeDesk => None,
            ActivityKind::PracticeShift => {
                let (feedback, card) = practice::evaluate(&s.engine, s.agent, current.started);
                Some(practice::card(&feedback, &card))
            }
            ActivityKind::Lesson => s.lesson.as_ref().map(|l| lesson_card(&l.score(s))),
            ActivityKind::Recording => {
                let lines = s.recorder.as_ref().map_or(0, |r| r.len());
                Some(Card {
                    rows: vec![("Script lines recorded".into(), lines.to_string())],
                    lines: Vec::new(),
                })
            }
            ActivityKind::Replay => {
                let transcript = s.replay.as_ref().map_or("", |r| r.transcript.as_str());
                Some(Card {
                    rows: vec![(
                        "Transcript lines".into(),
                        transcript.lines().count().to_string(),
                    )],
                    lines: transcript.lines().map(str::to_string).collect(),
                })
            }
        }
    }

    /// Ends the running activity now, its card frozen into the finished list.
    pub(super) fn end_activity(&mut self, ending: Ending) {
        self.record_shift();
        let card = self.running_card();
        let at = self.session.engine.now();
        self.session.activities.end(at, ending, card);
    }

    /// A practice shift's results as learning records, when the desk records them (`--trainee`,
    /// docs/lrs.md): each handled interaction and the shift's score, decided from the day as it
    /// was when the shift ended.
    fn record_shift(&self) {
        let s = &self.session;
        let current = &s.activities.current;
        let Some(records) = &s.records else {
            return;
        };
        if current.kind != ActivityKind::PracticeShift {
            return;
        }
        let (feedback, card) = practice::evaluate(&s.engine, s.agent, current.started);
        let minutes = (s.engine.now() - current.started).num_seconds().max(0) as f64 / 60.0;
        let now = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
        let ctx = records.context(&current.title);
        records.record(&crate::learning::convert::practice_statements(
            &ctx,
            &current.title,
            &feedback,
            &card,
            minutes,
            &now,
        ));
    }

    /// Makes a new activity of `kind` the owner of the day just installed.
    pub(super) fn begin_activity(
        &mut self,
        kind: ActivityKind,
        title: String,
        settings: Vec<String>,
    ) {
        let s = &mut self.session;
        let mut settings = settings;
        let roles = s.agent_role_names();
        if !roles.is_empty() {
            settings.push(format!("roles: {}", roles.join(", ")));
        }
        s.activities.current = Activity {
            kind,
            title,
            trainee: s.agent_name(),
            seed: s.engine.seed(),
            started: s.engine.now(),
            settings,
        };
    }
}

/// A lesson's score card as a finished activity's card.
fn lesson_card(card: &LessonCard) -> Card {
    let rows = vec![
        ("Lesson file".to_string(), card.file.clone()),
        (
            "Steps done".to_string(),
            format!(
                "{} of {}",
                card.steps.iter().filter(|s| s.done).count(),
                card.steps.len()
            ),
        ),
        (
            "First try".to_string(),
            format!("{} of {}", card.first_try_steps(), card.steps.len()),
        ),
        ("Hints used".to_string(), card.hints_used().to_string()),
        ("Denials met".to_string(), card.denials_met().to_string()),
    ];
    let lines = card
        .steps
        .iter()
        .map(|s| {
            format!(
                "step (line {}): {}: {}, {} wrong attempt(s), {} hint(s), {} restart(s)",
                s.line,
                s.text,
                if s.first_try() {
                    "done first try"
                } else if s.done {
                    "done"
                } else {
                    "not done"
                },
                s.wrong,
                s.hints,
                s.restarts
            )
        })
        .collect();
    Card { rows, lines }
}
