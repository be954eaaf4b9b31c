//! The Lessons tool: pick a shipped lesson or open a lesson file; while one runs, the lesson,
//! the current step, a progress bar, the step's checks turning green one by one, the plain
//! reason of a wrong attempt and the hints asked for; at the end the score card and its
//! export. The lesson itself runs in the session (`crate::ui::lesson`), checked by the engine.

use egui::{RichText, Ui};

use super::Tool;
use crate::training::lesson::{CheckState, SHIPPED, ScoreCard};
use crate::ui::exports::{self, OpenRequest, SaveFrom};
use crate::ui::lesson::LessonDesk;
use crate::ui::theme;
use crate::ui::{Session, UiCommand};

/// State of the Lessons tab (paths and messages; the lesson lives in the session).
pub struct Lessons {
    pub open_path: String,
    /// The trainee's name for the exports (the desk's agent is the lesson's, the same for a
    /// whole class).
    pub trainee: String,
    pub export_path: String,
    pub message: Option<(bool, String)>,
}

impl Default for Lessons {
    fn default() -> Lessons {
        Lessons {
            open_path: "my-lesson.lesson".into(),
            trainee: String::new(),
            // Empty: named after the lesson and the trainee when the score card shows.
            export_path: String::new(),
            message: None,
        }
    }
}

impl Lessons {
    pub const NAME: &'static str = "Lessons";
}

impl Tool for Lessons {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn ui(&mut self, ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
        match &s.lesson {
            Some(l) => lesson(ui, self, s, l, out),
            None => choose(ui, self, s, out),
        }
        if let Some((ok, text)) = &self.message {
            ui.label(RichText::new(text).color(if *ok {
                theme::good(ui.visuals())
            } else {
                theme::bad(ui.visuals())
            }));
        }
    }
}

/// No lesson running: the shipped lessons and a lesson file to open.
fn choose(ui: &mut Ui, state: &mut Lessons, s: &Session, out: &mut Vec<UiCommand>) {
    ui.label(
        "A lesson guides you step by step on the real desk; the desk checks every step. \
         Starting one restarts the day on the lesson's own seed.",
    );
    ui.add_space(4.0);
    ui.label(RichText::new("Shipped lessons").strong());
    for (file, text) in SHIPPED {
        let title = title_of(text).unwrap_or(file);
        if ui.button(title).on_hover_text(file).clicked() {
            state.message = None;
            out.push(UiCommand::LoadLesson {
                file: file.to_string(),
                text: text.to_string(),
            });
        }
    }
    ui.separator();
    ui.horizontal(|ui| {
        let l = ui.label("Lesson file");
        ui.text_edit_singleline(&mut state.open_path)
            .labelled_by(l.id);
        if ui.button("Open").clicked() {
            out.push(UiCommand::Open(OpenRequest::Lesson {
                typed: state.open_path.clone(),
            }));
        }
    });
    if let Some(errors) = &s.lesson_errors {
        ui.label(
            RichText::new(errors)
                .monospace()
                .color(theme::bad(ui.visuals())),
        );
    }
}

/// The title on a lesson's `lesson "..."` line, for the list.
fn title_of(text: &str) -> Option<&str> {
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("lesson "))?;
    let start = line.find('"')? + 1;
    let end = line[start..].find('"')? + start;
    Some(&line[start..end])
}

/// A lesson in progress or finished.
fn lesson(ui: &mut Ui, state: &mut Lessons, s: &Session, l: &LessonDesk, out: &mut Vec<UiCommand>) {
    let run = &l.run;
    let lesson = &run.lesson;
    let total = lesson.steps.len();
    ui.heading(&lesson.title);
    ui.label(RichText::new(&lesson.description).weak());
    let done = run.step().min(total);
    ui.add(
        egui::ProgressBar::new(done as f32 / total.max(1) as f32)
            .text(format!("{done} of {total} steps done")),
    );
    ui.add_space(4.0);
    if run.is_finished() {
        score_card(ui, state, s, &l.score(s), out);
    } else {
        step(ui, s, l, out);
    }
    ui.separator();
    if ui
        .button("Leave the lesson")
        .on_hover_text("The desk stays as it is; the score card is gone")
        .clicked()
    {
        out.push(UiCommand::EndLesson);
    }
}

/// The current step: what to do, its checks, a wrong attempt's reason, hints.
fn step(ui: &mut Ui, s: &Session, l: &LessonDesk, out: &mut Vec<UiCommand>) {
    let run = &l.run;
    let Some(step) = run.lesson.steps.get(run.step()) else {
        return;
    };
    if let Some((n, said)) = &run.done_says {
        ui.label(RichText::new(format!("Step {} done.", n + 1)).color(theme::good(ui.visuals())));
        if let Some(said) = said {
            ui.label(format!("The desk said: {said}"));
        }
        ui.add_space(4.0);
    }
    ui.label(RichText::new(format!("Step {}", run.step() + 1)).strong());
    ui.label(
        RichText::new(&step.text).size(ui.style().text_styles[&egui::TextStyle::Body].size + 2.0),
    );
    // A step about one interaction names it, so the trainee acts on that one even when the
    // desk shows others.
    if let Some(id) = run.current()
        && s.engine.interaction(id).is_some_and(|it| it.is_open())
    {
        ui.label(RichText::new(format!("This step is about {}", s.title_of(id))).strong());
    }
    let checks = run.checks();
    if !checks.is_empty() {
        ui.add_space(4.0);
        for (words, check) in checks {
            let (mark, color) = match check {
                CheckState::Passed => ("Done:", theme::good(ui.visuals())),
                CheckState::Failed(_) => ("Not met:", theme::bad(ui.visuals())),
                CheckState::Pending => ("Not yet:", ui.visuals().weak_text_color()),
            };
            ui.label(RichText::new(format!("{mark} {words}")).color(color));
        }
    }
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let left = run.hints().len() - run.hints_shown().len();
        if ui
            .add_enabled(
                left > 0,
                egui::Button::new(format!("Show a hint ({left} left)")),
            )
            .on_hover_text("Hints are counted on your score card")
            .on_disabled_hover_text("No more hints for this step")
            .clicked()
        {
            out.push(UiCommand::LessonHint);
        }
        if ui
            .button("Start this step again")
            .on_hover_text("The day again, up to where this step began; counted on your score card")
            .clicked()
        {
            out.push(UiCommand::LessonRestartStep);
        }
    });
    for (i, hint) in run.hints_shown().iter().enumerate() {
        ui.label(RichText::new(format!("Hint {}: {hint}", i + 1)).italics());
    }
    if let Some(wrong) = &run.wrong {
        ui.add_space(4.0);
        ui.label(
            RichText::new("Not what this step asks:")
                .color(theme::bad(ui.visuals()))
                .strong(),
        );
        ui.label(RichText::new(&wrong.reason).color(theme::bad(ui.visuals())));
        if wrong.changed_desk {
            ui.label(
                "That went through and changed the desk. Do it as the step asks if you still \
                 can; if not, start the step again.",
            );
        }
    }
    if let Some(why) = &run.stuck {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!(
                "The desk is not where this step expects it ({why}): start the step again."
            ))
            .color(theme::bad(ui.visuals())),
        );
    }
}

/// The score card and its export.
fn score_card(
    ui: &mut Ui,
    state: &mut Lessons,
    s: &Session,
    card: &ScoreCard,
    out: &mut Vec<UiCommand>,
) {
    ui.label(
        RichText::new("Lesson finished")
            .heading()
            .color(theme::good(ui.visuals())),
    );
    for line in card.summary() {
        ui.label(line);
    }
    egui::Grid::new("lesson_score_card")
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            for h in ["Step", "First try", "Wrong", "Restarts", "Hints", "Denials"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for (i, st) in card.steps.iter().enumerate() {
                ui.label(format!("{}", i + 1)).on_hover_text(&st.text);
                let (mark, color) = if st.first_try() {
                    ("yes", theme::good(ui.visuals()))
                } else {
                    ("no", theme::bad(ui.visuals()))
                };
                ui.label(RichText::new(mark).color(color));
                ui.label(st.wrong.to_string());
                ui.label(st.restarts.to_string());
                ui.label(st.hints.to_string());
                ui.label(st.denials.to_string());
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let l = ui.label("Your name");
        ui.text_edit_singleline(&mut state.trainee)
            .labelled_by(l.id);
    });
    if state.export_path.is_empty() {
        let mut activity = s.activities.current.clone();
        activity.title = card.title.clone();
        activity.kind = crate::training::activity::ActivityKind::Lesson;
        if !state.trainee.trim().is_empty() {
            activity.trainee = state.trainee.trim().to_string();
        }
        state.export_path = activity.file_stem();
    }
    ui.horizontal(|ui| {
        let l = ui.label("Export to");
        ui.text_edit_singleline(&mut state.export_path)
            .labelled_by(l.id);
    });
    let mut card = card.clone();
    if !state.trainee.trim().is_empty() {
        card.trainee = state.trainee.trim().to_string();
    }
    ui.horizontal(|ui| {
        if ui.button("Export JUnit XML").clicked() {
            let timestamp = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            out.push(save(
                state,
                "xml",
                card.to_junit(&timestamp),
                "the score card as JUnit XML",
            ));
        }
        if ui.button("Export CSV").clicked() {
            out.push(save(state, "csv", card.to_csv(), "the score card as CSV"));
        }
    });
}

fn save(state: &Lessons, extension: &'static str, text: String, what: &str) -> UiCommand {
    exports::save(
        SaveFrom::Lesson,
        &state.export_path,
        Some(extension),
        text,
        what.to_string(),
    )
}
