//! A lesson at the desk: starting one on its own day, following the trainee's attempts after
//! every frame's commands, hints and starting a step again. The lesson itself (what a step
//! asks, how an attempt is matched, the score) lives in `crate::training::lesson`.

use std::time::Instant;

use super::Desktop;
use super::view_state::NoticeKind;
use super::workbench::lessons::Lessons;
use crate::training::activity::{ActivityKind, Ending};
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
    /// Turns the score card's changes into statements, when the desk records them.
    pub recorder: Option<crate::learning::LessonRecorder>,
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
        let title = lesson.title.clone();
        self.view.desk_view_fixed_by = lesson.view.map(|view| {
            self.view.desk_view = view;
            format!("the lesson \"{}\"", lesson.title)
        });
        let (engine, run) = LessonRun::start(lesson);
        self.install_lesson(engine, run);
        self.begin_activity(ActivityKind::Lesson, title, Vec::new());
        self.view.workbench.show(Lessons::default);
    }

    fn install_lesson(&mut self, engine: crate::engine::Engine, run: LessonRun) {
        let recorder = self.session.records.as_ref().map(|r| {
            let mut c = r.context(&run.lesson.file);
            c.roles = run
                .agent()
                .and_then(|a| engine.agent(a))
                .map(|a| {
                    let book = engine.roles();
                    a.roles
                        .iter()
                        .filter_map(|&i| book.roles.get(i).map(|r| r.name.clone()))
                        .collect()
                })
                .unwrap_or_default();
            c.product_version = run.lesson.book.product_version().to_string();
            c.seed = run.lesson.seed;
            crate::learning::LessonRecorder::new(c, &run.lesson.file)
        });
        self.fresh_day_on(engine, 1.0);
        self.session.pace.paused = true;
        self.session.lesson_errors = None;
        self.session.lesson = Some(LessonDesk {
            run,
            started: Instant::now(),
            took: None,
            args: Vec::new(),
            recorder,
        });
        self.record_lesson(false);
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
        let recorder = l.recorder.clone();
        self.install_lesson(engine, run);
        if let Some(l) = &mut self.session.lesson {
            l.started = started;
            // The same run goes on: its registration and what it said so far stay.
            if recorder.is_some() {
                l.recorder = recorder;
            }
        }
    }

    pub(super) fn lesson_hint(&mut self) {
        if let Some(l) = &mut self.session.lesson {
            l.run.hint();
        }
    }

    pub(super) fn end_lesson(&mut self) {
        self.record_lesson(true);
        if self.session.activities.current.kind == ActivityKind::Lesson {
            let finished = self
                .session
                .lesson
                .as_ref()
                .is_some_and(|l| l.run.is_finished());
            self.end_activity(if finished {
                Ending::Completed
            } else {
                Ending::EndedFor("leaving it".into())
            });
        }
        self.session.lesson = None;
        self.view.desk_view_fixed_by = None;
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
        }
        // Written (fsynced) before the desk says the step is done.
        self.record_lesson(false);
        if !was_finished
            && self
                .session
                .lesson
                .as_ref()
                .is_some_and(|l| l.run.is_finished())
        {
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

impl Desktop {
    /// Records what the lesson's score card says since the last look (`ending`: the run ends
    /// here, its result is said), durably, before the desk shows it.
    pub(super) fn record_lesson(&mut self, ending: bool) {
        let Some(records) = self.session.records.clone() else {
            return;
        };
        let Some(l) = &self.session.lesson else {
            return;
        };
        let card = l.score(&self.session);
        let now = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
        let Some(rec) = self
            .session
            .lesson
            .as_mut()
            .and_then(|l| l.recorder.as_mut())
        else {
            return;
        };
        let statements = if ending {
            rec.end(&card, &now)
        } else {
            rec.update(&card, None, &now)
        };
        records.record(&statements);
    }

    /// Starts recording for `trainee` (the Learning records tool), as `--trainee`, `--outbox`,
    /// `--lrs` and `--lrs-credentials` do at launch; the organisation and activity names stay
    /// as they were. A lesson already running goes on unrecorded; what starts next is recorded.
    pub(super) fn configure_records(
        &mut self,
        trainee: &str,
        outbox: &str,
        lrs: &str,
        credentials: &str,
    ) {
        use crate::learning::convert::{DEFAULT_ACTIVITY_BASE, DEFAULT_HOME_PAGE};
        let trainee = trainee.trim();
        let result = (|| {
            if trainee.is_empty() {
                return Err("Type the trainee's name: the statements are theirs.".to_string());
            }
            let current = self.session.records.as_ref().map(|r| &r.config);
            let args = crate::cli::LrsArgs {
                lrs: Some(lrs.trim().to_string()).filter(|u| !u.is_empty()),
                lrs_credentials: Some(credentials.trim())
                    .filter(|c| !c.is_empty())
                    .map(std::path::PathBuf::from),
                organisation: current
                    .map_or(DEFAULT_HOME_PAGE.to_string(), |c| c.home_page.clone()),
                activity_base: current.map_or(DEFAULT_ACTIVITY_BASE.to_string(), |c| {
                    c.activity_base.clone()
                }),
            };
            let (home_page, activity_base) = args.names()?;
            let outbox = match outbox.trim() {
                "" => crate::learning::Outbox::default_dir(),
                dir => std::path::PathBuf::from(dir),
            };
            let config = crate::learning::desk::RecordConfig {
                trainee: trainee.to_string(),
                home_page,
                activity_base,
                outbox: outbox.clone(),
                lrs: args.client()?,
            };
            crate::learning::desk::DeskRecords::start(config)
                .map_err(|e| format!("cannot use the outbox {}: {e}", outbox.display()))
        })();
        match result {
            Ok(records) => {
                self.session.records = Some(std::sync::Arc::new(records));
                self.session.records_error = None;
            }
            Err(e) => self.session.records_error = Some(e),
        }
    }
}
