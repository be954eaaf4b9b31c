//! Record and replay: record what the agent does on the desktop as a script in the headless
//! script format, save it, and replay a script in the window one line at a time.

use egui::{Color32, RichText, Ui};

use super::state::{Desktop, UiCommand};
use crate::output::write_atomic;

/// State of the record-and-replay window (paths and messages; the recording and the replay
/// themselves live in the desktop, which owns the engine they act on).
pub struct RecordReplay {
    pub save_path: String,
    pub load_path: String,
    pub seed: u64,
    pub message: Option<(bool, String)>,
}

impl RecordReplay {
    pub fn new(d: &Desktop) -> RecordReplay {
        RecordReplay {
            save_path: "recorded.script".into(),
            load_path: "assets/scripts/preview-record-lifecycle.script".into(),
            seed: d.engine.seed(),
            message: None,
        }
    }
}

/// Draws the window; returns false once the user closed it.
pub fn show(ui: &mut Ui, s: &mut RecordReplay, d: &Desktop, out: &mut Vec<UiCommand>) -> bool {
    let mut open = true;
    egui::Window::new("Record and replay")
        .open(&mut open)
        .default_width(520.0)
        .default_pos([380.0, 120.0])
        .show(ui.ctx(), |ui| {
            ui.heading("Record");
            match &d.recorder {
                None => {
                    ui.label(format!(
                        "Restarts the day on seed {} and writes every attempt as a script line, \
                         with what happened as an expectation.",
                        d.engine.seed()
                    ));
                    if ui.button("Start recording").clicked() {
                        out.push(UiCommand::StartRecording);
                    }
                }
                Some(r) => {
                    ui.label(
                        RichText::new(format!("Recording: {} lines so far", r.len()))
                            .color(Color32::from_rgb(200, 60, 50)),
                    );
                    if ui.button("Stop recording").clicked() {
                        out.push(UiCommand::StopRecording);
                    }
                }
            }
            if let Some(text) = &d.recorded {
                egui::ScrollArea::vertical()
                    .id_salt("recorded_script")
                    .max_height(140.0)
                    .show(ui, |ui| {
                        ui.label(RichText::new(text).monospace().small());
                    });
                ui.horizontal(|ui| {
                    let l = ui.label("Save as");
                    ui.text_edit_singleline(&mut s.save_path).labelled_by(l.id);
                    if ui.button("Save script").clicked() {
                        s.message = Some(
                            match write_atomic(std::path::Path::new(&s.save_path), text.as_bytes())
                            {
                                Ok(()) => (true, format!("Saved {}", s.save_path)),
                                Err(e) => (false, format!("Could not save {}: {e}", s.save_path)),
                            },
                        );
                    }
                });
            }
            if let Some((ok, text)) = &s.message {
                let color = if *ok {
                    Color32::from_rgb(40, 140, 70)
                } else {
                    Color32::from_rgb(200, 60, 50)
                };
                ui.label(RichText::new(text).color(color));
            }
            ui.separator();
            ui.heading("Replay");
            ui.horizontal(|ui| {
                let l = ui.label("Script");
                ui.text_edit_singleline(&mut s.load_path).labelled_by(l.id);
                let l = ui.label("Seed");
                ui.add(egui::DragValue::new(&mut s.seed)).labelled_by(l.id);
            });
            if ui
                .button("Load and restart the day")
                .on_hover_text("The day restarts on this seed; the script then drives the clock")
                .clicked()
            {
                let path = std::path::Path::new(&s.load_path);
                match crate::input::read_text(path) {
                    Ok(text) => out.push(UiCommand::LoadReplay {
                        file: s.load_path.clone(),
                        text,
                        seed: s.seed,
                    }),
                    Err(e) => s.message = Some((false, e.to_string())),
                }
            }
            if let Some(errors) = &d.replay_errors {
                ui.label(
                    RichText::new(errors)
                        .monospace()
                        .color(Color32::from_rgb(200, 60, 50)),
                );
            }
            if let Some(session) = &d.replay {
                let next = session.replay.next_step();
                let total = session.script.steps.len();
                match session.script.steps.get(next) {
                    Some(step) => {
                        ui.label(format!(
                            "Next: line {} ({} of {total})",
                            step.line,
                            next + 1
                        ));
                        ui.label(RichText::new(&step.text).monospace().strong());
                    }
                    None => {
                        ui.label(
                            RichText::new(format!("Finished: {}", session.replay.report().tally()))
                                .strong(),
                        );
                    }
                }
                ui.horizontal(|ui| {
                    let more = next < total;
                    if ui
                        .add_enabled(more, egui::Button::new("Next line"))
                        .clicked()
                    {
                        out.push(UiCommand::ReplayStep { to_end: false });
                    }
                    if ui
                        .add_enabled(more, egui::Button::new("Run to end"))
                        .clicked()
                    {
                        out.push(UiCommand::ReplayStep { to_end: true });
                    }
                });
                egui::ScrollArea::vertical()
                    .id_salt("replay_transcript")
                    .max_height(220.0)
                    .stick_to_bottom(true)
                    .show(ui, |ui| {
                        ui.label(RichText::new(&session.transcript).monospace().small());
                    });
            }
        });
    open
}
