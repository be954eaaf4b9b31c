//! Practice mode: a timed, seeded shift with feedback after every interaction and a score card
//! with a plot at the end. The scoring itself lives in `crate::training::practice`.

use chrono::Duration;
use egui::{RichText, Ui};
use egui_plot::{Line, Plot, PlotPoints};

use super::Tool;
use crate::training::practice::{Tone, evaluate, points};
use crate::ui::theme::{ALLOWED as GOOD, DENIED as MISTAKE};
use crate::ui::{Session, UiCommand};
use crate::world::SimTime;

/// State of the practice window.
pub struct Practice {
    pub seed: u64,
    pub minutes: i64,
    pub speed: f64,
    /// Set when the shift starts, from the desktop's clock after the restart.
    pub started: Option<SimTime>,
    /// Simulated time at which the shift ended (the clock is paused then).
    pub ended: Option<SimTime>,
    /// The restart was requested; the start time is taken on the next frame.
    starting: bool,
}

impl Practice {
    pub const NAME: &'static str = "Practice shift";

    pub fn new(_s: &Session) -> Practice {
        Practice {
            seed: 7,
            minutes: 30,
            speed: 10.0,
            started: None,
            ended: None,
            starting: false,
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
        if self.starting {
            self.starting = false;
            self.started = Some(s.engine.now());
        }
        if let (Some(end), None) = (self.end_time(), self.ended)
            && s.engine.now() >= end
        {
            self.ended = Some(s.engine.now());
            out.push(UiCommand::Pause(true));
        }
    }

    fn ui(&mut self, ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
        match self.started {
            None => setup(ui, self, out),
            Some(started) => running(ui, self, s, started, out),
        }
    }
}

fn setup(ui: &mut Ui, p: &mut Practice, out: &mut Vec<UiCommand>) {
    ui.label(
        "Work the desktop for a timed shift on a seeded day. Every finished interaction gets \
         feedback; the score card comes at the end.",
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
            let l = ui.label("Clock speed");
            ui.add(
                egui::DragValue::new(&mut p.speed)
                    .range(1.0..=100.0)
                    .suffix("x"),
            )
            .labelled_by(l.id);
            ui.end_row();
        });
    if ui.button("Start shift").clicked() {
        p.starting = true;
        out.push(UiCommand::Restart {
            seed: p.seed,
            speed: p.speed,
        });
    }
}

fn running(ui: &mut Ui, p: &mut Practice, s: &Session, started: SimTime, out: &mut Vec<UiCommand>) {
    let now = p.ended.unwrap_or(s.engine.now());
    let (feedback, card) = evaluate(&s.engine, s.agent, started);
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
        }
        Some(_) => {
            ui.heading("Score card");
            score_card(ui, &card);
            plot(ui, &card, p.minutes);
            if ui.button("New shift").clicked() {
                p.started = None;
                p.ended = None;
                out.push(UiCommand::Pause(true));
            }
            ui.separator();
        }
    }
    ui.label(RichText::new("Feedback").strong());
    egui::ScrollArea::vertical()
        .id_salt("practice_feedback")
        .max_height(220.0)
        .show(ui, |ui| {
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
                        Tone::Good => GOOD,
                        Tone::Mistake => MISTAKE,
                        Tone::Info => ui.visuals().text_color(),
                    };
                    ui.label(RichText::new(format!("  {}", n.text)).color(color));
                }
            }
        });
}

fn score_card(ui: &mut Ui, card: &crate::training::practice::ScoreCard) {
    let avg = card
        .average_handling
        .map_or("-".to_string(), |d| format!("{} s", d.num_seconds()));
    let rows = [
        ("Handled", card.handled.to_string()),
        ("Rejected", card.rejected.to_string()),
        ("Rescheduled", card.rescheduled.to_string()),
        ("Cancelled", card.cancelled.to_string()),
        ("Declined or missed", card.declined_or_missed.to_string()),
        (
            "Correct call results",
            format!("{} of {}", card.correct_results, card.results_set),
        ),
        ("Late callbacks", card.late_callbacks.to_string()),
        ("Blocked dials", card.blocked_dials.to_string()),
        ("Denied attempts", card.denied_attempts.to_string()),
        ("Average handling time", avg),
    ];
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
             late callback, {} per blocked dial, {} per denied attempt",
            points::HANDLED,
            points::CORRECT_RESULT,
            points::WRONG_RESULT,
            points::LATE_CALLBACK,
            points::BLOCKED_DIAL,
            points::DENIED_ATTEMPT
        ));
}

fn plot(ui: &mut Ui, card: &crate::training::practice::ScoreCard, minutes: i64) {
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
