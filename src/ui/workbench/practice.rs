//! Practice mode: a timed, seeded shift with feedback after every interaction, and at the end
//! a score card, a plot and a review of every call. The scoring itself lives in
//! `crate::training::practice`.
//!
//! Practice is set up to teach: the clock runs at 1x unless the trainee picks a faster
//! preset, it waits while an invitation waits for an answer (an option, on by default), and
//! the shift opens on work the trainee can do (see `training::practice::workable_start`).

use chrono::Duration;
use egui::{RichText, Ui};
use egui_plot::{Line, Plot, PlotPoints};

use super::Tool;
use crate::engine::Target;
use crate::policy::{Action, DenialKindName, Stage};
use crate::training::activity::{ActivityKind, Finished};
use crate::training::practice::{Feedback, ScoreCard, Tone, evaluate, points};
use crate::ui::exports::{SaveFrom, save};
use crate::ui::theme;
use crate::ui::{Session, UiCommand};
use crate::world::SimTime;

/// The clock speeds a shift offers: real time first.
pub const SPEED_PRESETS: [f64; 4] = [1.0, 2.0, 5.0, 10.0];

/// State of the practice window.
pub struct Practice {
    pub seed: u64,
    pub minutes: i64,
    pub speed: f64,
    /// The clock waits while an invitation waits for the trainee's answer.
    pub hold_on_invitation: bool,
    /// Set when the shift starts, from the desktop's clock after the restart.
    pub started: Option<SimTime>,
    /// Simulated time at which the shift ended (the clock is paused then).
    pub ended: Option<SimTime>,
    /// Why the shift opened later than the scenario starts (set by the desktop).
    pub opening: Option<String>,
    /// The restart was requested; the start time is taken on the next frame.
    starting: bool,
    /// How the last export of a finished card went.
    pub message: Option<(bool, String)>,
}

impl Practice {
    pub const NAME: &'static str = "Practice shift";

    pub fn new(_s: &Session) -> Practice {
        Practice::defaults()
    }

    /// Back to the setup, from the practice defaults: an option changed for the last shift
    /// does not carry into the next one silently.
    pub fn reset(&mut self) {
        let seed = self.seed;
        let minutes = self.minutes;
        *self = Practice {
            seed,
            minutes,
            ..Practice::defaults()
        };
    }

    fn defaults() -> Practice {
        Practice {
            seed: 7,
            minutes: 30,
            speed: SPEED_PRESETS[0],
            hold_on_invitation: true,
            started: None,
            ended: None,
            opening: None,
            starting: false,
            message: None,
        }
    }

    pub fn end_time(&self) -> Option<SimTime> {
        self.started.map(|s| s + Duration::minutes(self.minutes))
    }
}

impl Tool for Practice {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn tick(&mut self, s: &Session, out: &mut Vec<UiCommand>) {
        let current = &s.activities.current;
        if self.starting && current.kind == ActivityKind::PracticeShift {
            self.starting = false;
            self.started = Some(current.started);
        }
        let running = self
            .started
            .is_some_and(|t| current.kind == ActivityKind::PracticeShift && current.started == t);
        if let (Some(end), None, true) = (self.end_time(), self.ended, running)
            && s.engine.now() >= end
        {
            self.ended = Some(s.engine.now());
            out.push(UiCommand::Pause(true));
            out.push(UiCommand::PracticeHold(false));
            out.push(UiCommand::FinishActivity);
        }
    }

    fn ui(&mut self, ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
        let current = &s.activities.current;
        match self.started {
            None => setup(ui, self, s, out),
            Some(started)
                if current.kind == ActivityKind::PracticeShift && current.started == started =>
            {
                running(ui, self, s, started, out)
            }
            // The shift has ended (its time was up, or another activity ended it): its card
            // is frozen in the finished activities, never read from the day running now.
            Some(started) => match s.activities.find(ActivityKind::PracticeShift, started) {
                Some(done) => {
                    ui.heading("Score card");
                    finished_card(ui, done);
                    if ui.button("New shift").clicked() {
                        self.reset();
                    }
                }
                None => setup(ui, self, s, out),
            },
        }
        finished_list(ui, s, out);
        if let Some((ok, text)) = &self.message {
            let color = if *ok {
                theme::good(ui.visuals())
            } else {
                theme::bad(ui.visuals())
            };
            ui.add(egui::Label::new(RichText::new(text).color(color)).wrap());
        }
    }
}

fn setup(ui: &mut Ui, p: &mut Practice, s: &Session, out: &mut Vec<UiCommand>) {
    ui.label(
        "Work the desktop for a timed shift on a seeded day. Every finished interaction gets \
         feedback; the score card and a review of every call come at the end. Nothing your \
         role or the flow forces on you counts against you.",
    );
    egui::Grid::new("practice_setup")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label("Seed");
            ui.add(egui::DragValue::new(&mut p.seed)).labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Shift length (simulated minutes)");
            ui.add(egui::DragValue::new(&mut p.minutes).range(5..=480))
                .labelled_by(l.id);
            ui.end_row();
        });
    // Outside the grid, so the presets wrap in a narrow dock instead of running off it.
    ui.horizontal_wrapped(|ui| {
        ui.label("Clock speed");
        for speed in SPEED_PRESETS {
            let text = if speed == 1.0 {
                "1x (real time)".to_string()
            } else {
                format!("{speed}x")
            };
            ui.selectable_value(&mut p.speed, speed, text);
        }
    });
    ui.checkbox(
        &mut p.hold_on_invitation,
        "Stop the clock while an invitation waits for my answer",
    )
    .on_hover_text(
        "No new work arrives while an invitation waits for your answer; a call that is \
         ringing or connected goes on, and \"Let it time out\" practises a timeout",
    );
    let roles = s.agent_role_names();
    ui.label(format!(
        "Roles for this shift: {} (the score card lists them)",
        if roles.is_empty() {
            "none".to_string()
        } else {
            roles.join(", ")
        }
    ));
    if ui.button("Start shift").clicked() {
        p.starting = true;
        p.opening = None;
        out.push(UiCommand::StartPractice {
            seed: p.seed,
            minutes: p.minutes,
            speed: p.speed,
            hold: p.hold_on_invitation,
        });
    }
}

fn running(ui: &mut Ui, p: &mut Practice, s: &Session, started: SimTime, out: &mut Vec<UiCommand>) {
    let now = p.ended.unwrap_or(s.engine.now());
    let (feedback, card) = evaluate(&s.engine, s.agent, started);
    if let Some(why) = &p.opening {
        ui.label(why);
    }
    match p.ended {
        None => {
            let left = p.end_time().map_or(0, |e| (e - now).num_seconds().max(0));
            ui.label(
                RichText::new(format!(
                    "Shift running: {}:{:02} left · score {}",
                    left / 60,
                    left % 60,
                    card.score
                ))
                .strong(),
            );
            if s.held() {
                ui.horizontal_wrapped(|ui| {
                    ui.label("The clock waits for your answer to the invitation.");
                    if ui
                        .button("Let it time out")
                        .on_hover_text("The clock runs on for the rest of this shift")
                        .clicked()
                    {
                        out.push(UiCommand::PracticeHold(false));
                    }
                });
            }
            coaching(ui, s);
        }
        Some(_) => {
            ui.heading("Score card");
            score_card(ui, &card);
            plot(ui, &card, p.minutes);
            if ui.button("New shift").clicked() {
                p.reset();
                out.push(UiCommand::Pause(true));
            }
            ui.separator();
            review(ui, &feedback);
            ui.separator();
        }
    }
    ui.label(RichText::new("Feedback").strong());
    egui::ScrollArea::vertical()
        .id_salt("practice_feedback")
        .max_height(220.0)
        .show(ui, |ui| feedback_list(ui, &feedback));
}

/// For each open record the trainee may not dial yet: why, and what they may do instead.
fn coaching(ui: &mut Ui, s: &Session) {
    for it in s.engine.open_interactions(s.agent) {
        if it.stage != Stage::Preview {
            continue;
        }
        let target = Target::Interaction(it.id);
        let Err(denial) = s.check(target, Action::Dial) else {
            continue;
        };
        if denial.kind.name() != DenialKindName::Compliance {
            continue;
        }
        let instead: Vec<&str> = [
            Action::DialAlternative,
            Action::Reschedule,
            Action::Reject,
            Action::Cancel,
            Action::MarkDone,
        ]
        .into_iter()
        .filter(|&a| s.check(target, a).is_ok())
        .map(|a| a.label())
        .collect();
        let what = if instead.is_empty() {
            "Your role allows nothing else on it now; it is not counted against you.".to_string()
        } else {
            format!("What you may do instead: {}.", instead.join(", "))
        };
        ui.label(
            RichText::new(format!("{}: {} {what}", it.id, denial.plain()))
                .color(ui.visuals().warn_fg_color),
        );
    }
}

fn feedback_list(ui: &mut Ui, feedback: &[Feedback]) {
    if feedback.is_empty() {
        ui.label("Finish an interaction to get feedback.");
    }
    for f in feedback.iter().rev() {
        ui.label(
            RichText::new(format!(
                "{} {} · {} · {}s",
                f.closed_at.format("%H:%M"),
                f.interaction,
                f.completion.label(),
                f.handling.num_seconds()
            ))
            .strong(),
        );
        for n in &f.notes {
            let color = match n.tone {
                Tone::Good => theme::good(ui.visuals()),
                Tone::Mistake => theme::bad(ui.visuals()),
                Tone::Info => ui.visuals().text_color(),
            };
            let text = match n.points {
                0 => format!("  {} (not counted)", n.text),
                p => format!("  {p:+} {}", n.text),
            };
            ui.label(RichText::new(text).color(color));
        }
    }
}

/// Every call of the shift: what happened, what was chosen, what was right, the denials met.
fn review(ui: &mut Ui, feedback: &[Feedback]) {
    ui.label(RichText::new(format!("Review of {} call(s)", feedback.len())).strong());
    for f in feedback {
        let r = &f.review;
        egui::CollapsingHeader::new(format!(
            "{} {} · {}",
            f.interaction,
            r.who,
            f.completion.label()
        ))
        .id_salt(("practice_review", f.interaction.0))
        .show(ui, |ui| {
            egui::Grid::new(("practice_review_grid", f.interaction.0))
                .num_columns(2)
                .show(ui, |ui| {
                    for (k, v) in [
                        ("What happened", &r.happened),
                        ("What you chose", &r.chosen),
                        ("What was right", &r.right),
                    ] {
                        ui.label(k);
                        ui.add(egui::Label::new(v.as_str()).wrap());
                        ui.end_row();
                    }
                    ui.label("Denials met");
                    if r.denials.is_empty() {
                        ui.label("none");
                    } else {
                        ui.vertical(|ui| {
                            for d in &r.denials {
                                ui.add(egui::Label::new(d.as_str()).wrap());
                            }
                        });
                    }
                    ui.end_row();
                });
        });
    }
}

fn score_card(ui: &mut Ui, card: &ScoreCard) {
    let rows = card.counts();
    egui::Grid::new("score_card")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (k, v) in rows {
                ui.label(k);
                ui.label(v);
                ui.end_row();
            }
        });
    ui.label(RichText::new(format!("Score: {}", card.score)).heading())
        .on_hover_text(format!(
            "{} per handled interaction, {} per correct call result, {} per wrong one, {} per \
             late callback, {} per blocked dial, {} per missed invitation; denials your role \
             gave are not counted",
            points::HANDLED,
            points::CORRECT_RESULT,
            points::WRONG_RESULT,
            points::LATE_CALLBACK,
            points::BLOCKED_DIAL,
            points::MISSED
        ));
}

/// A finished activity's frozen card: where it came from, its rows (the score as a heading)
/// and every item with its points.
pub fn finished_card(ui: &mut Ui, done: &Finished) {
    let a = &done.activity;
    ui.label(format!(
        "{} · {} · seed {} · {} to {} · {}",
        a.name(),
        a.trainee,
        a.seed,
        a.started.format("%H:%M"),
        done.ended.format("%H:%M"),
        done.ending_text()
    ));
    for setting in &a.settings {
        ui.label(RichText::new(setting).weak());
    }
    let mut score = None;
    egui::Grid::new(("finished_card", a.started, a.kind.slug()))
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (k, v) in &done.card.rows {
                if k == "Score" {
                    score = Some(v.clone());
                    continue;
                }
                ui.label(k);
                ui.add(egui::Label::new(v.as_str()).wrap());
                ui.end_row();
            }
        });
    if let Some(score) = score {
        ui.label(RichText::new(format!("Score: {score}")).heading());
    }
    for line in &done.card.lines {
        ui.add(egui::Label::new(line.as_str()).wrap());
    }
}

/// Every activity finished this session, newest first, each card a click away.
pub fn finished_list(ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
    let finished = &s.activities.finished;
    if finished.is_empty() {
        return;
    }
    ui.separator();
    ui.label(RichText::new(format!("Finished activities ({})", finished.len())).strong());
    for (i, done) in finished.iter().enumerate().rev() {
        egui::CollapsingHeader::new(format!(
            "{} · {} · {}",
            done.activity.name(),
            done.activity.trainee,
            done.ending_text()
        ))
        .id_salt(("finished_activity", i))
        .show(ui, |ui| {
            finished_card(ui, done);
            // Named after the activity and the trainee, next to the folder agentdesk runs in.
            let file = format!("{}.md", done.activity.file_stem());
            if ui
                .button("Export card (Markdown)")
                .on_hover_text(format!(
                    "Writes {file}; an existing file is replaced only if you say so"
                ))
                .clicked()
            {
                out.push(save(
                    SaveFrom::Practice,
                    &file,
                    Some("md"),
                    done.to_markdown(),
                    format!("the card of the {}", done.activity.name()),
                ));
            }
        });
    }
}

fn plot(ui: &mut Ui, card: &ScoreCard, minutes: i64) {
    let mut points: Vec<[f64; 2]> = vec![[0.0, 0.0]];
    for &(t, n) in &card.timeline {
        points.push([t, f64::from(n.saturating_sub(1))]);
        points.push([t, f64::from(n)]);
    }
    points.push([minutes as f64, f64::from(card.handled)]);
    Plot::new("practice_plot")
        .height(140.0)
        .x_axis_label("minutes into the shift")
        .y_axis_label("handled")
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .show(ui, |plot| {
            plot.line(Line::new("handled", PlotPoints::from(points)));
        });
}
