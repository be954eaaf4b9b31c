//! A lesson at the desk: starting one on its own day, following the trainee's attempts after
//! every frame's commands, hints and starting a step again. The lesson itself (what a step
//! asks, how an attempt is matched, the score) lives in `crate::training::lesson`.

use std::time::Instant;

use super::Desktop;
use super::view_state::NoticeKind;
use super::workbench::lessons::Lessons;
use crate::training::lesson::{Lesson, LessonRun, ScoreCard};

/// The lesson the desk is running, and the wall-clock time the trainee takes.
pub struct LessonDesk {
    pub run: LessonRun,
    started: Instant,
    /// Seconds the trainee took, once the lesson is finished.
    took: Option<f64>,
    /// The arguments of the desk's attempts since the last sync, by audit sequence number:
    /// the audit log keeps what happened, the lesson also checks what was chosen.
    pub(super) args: Vec<(u64, crate::engine::Args)>,
}

impl LessonDesk {
    pub fn real_seconds(&self) -> f64 {
        self.took
            .unwrap_or_else(|| self.started.elapsed().as_secs_f64())
    }

    /// The score card so far, for the desk's agent.
    pub fn score(&self, session: &super::Session) -> ScoreCard {
        self.run.score(
            session.engine.now(),
            &session.agent_name(),
            Some(self.real_seconds()),
        )
    }
}

impl Desktop {
    /// Parses a lesson's text and starts it, or keeps its errors for the Lessons tool.
    pub(super) fn load_lesson(&mut self, file: &str, text: &str) {
        let dir = std::path::Path::new(file).parent();
        match Lesson::parse(file, text, dir) {
            Ok(lesson) => self.start_lesson(lesson),
            Err(diags) => {
                self.session.lesson_errors = Some(
                    diags
                        .iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
        }
    }

    /// Starts `lesson` on a fresh day of its own (roles, scenario, seed), the clock paused
    /// (the lesson moves it as its steps need), with the Lessons tool docked.
    pub fn start_lesson(&mut self, lesson: Lesson) {
        self.end_recording_for("a lesson");
        let (engine, run) = LessonRun::start(lesson);
        self.install_lesson(engine, run);
        self.view.workbench.show(Lessons::default);
    }

    fn install_lesson(&mut self, engine: crate::engine::Engine, run: LessonRun) {
        self.fresh_day_on(engine, 1.0);
        self.session.pace.paused = true;
        self.session.lesson_errors = None;
        self.session.lesson = Some(LessonDesk {
            run,
            started: Instant::now(),
            took: None,
            args: Vec::new(),
        });
        self.follow_lesson();
    }

    /// The current step again from its start: the day rebuilt with the steps before it done
    /// by their reference solutions.
    pub(super) fn restart_lesson_step(&mut self) {
        let Some(l) = &self.session.lesson else {
            return;
        };
        let (engine, run) = l.run.restart_step();
        let started = l.started;
        self.install_lesson(engine, run);
        if let Some(l) = &mut self.session.lesson {
            l.started = started;
        }
    }

    pub(super) fn lesson_hint(&mut self) {
        if let Some(l) = &mut self.session.lesson {
            l.run.hint();
        }
    }

    pub(super) fn end_lesson(&mut self) {
        self.session.lesson = None;
    }

    /// Looks at what the frame's commands did to the lesson (called after them).
    pub(super) fn lesson_sync(&mut self) {
        let Some(l) = &mut self.session.lesson else {
            return;
        };
        let was_finished = l.run.is_finished();
        let args = std::mem::take(&mut l.args);
        if !l.run.sync(&mut self.session.engine, &args) {
            return;
        }
        if !was_finished && l.run.is_finished() {
            l.took = Some(l.started.elapsed().as_secs_f64());
            self.notify(
                NoticeKind::Info,
                "Lesson finished: your score card is in the Lessons tab".into(),
                None,
            );
        }
        self.follow_lesson();
    }

    /// Shows the desk of the agent the lesson works as, on the interaction its step is about.
    fn follow_lesson(&mut self) {
        let Some(l) = &self.session.lesson else {
            return;
        };
        let (agent, current) = (l.run.agent(), l.run.current());
        if let Some(agent) = agent {
            self.session.agent = agent;
        }
        if let Some(id) = current
            && self
                .session
                .engine
                .interaction(id)
                .is_some_and(|it| it.stage != crate::policy::Stage::Closed)
        {
            self.view.selected = Some(id);
        }
        self.fix_selection();
    }
}
