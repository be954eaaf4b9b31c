//! Record and replay: record what the agent does on the desktop as a script in the headless
//! script format, save it, and replay a script in the window one line at a time.

use egui::{RichText, Ui};

use super::Tool;
use crate::ui::exports::{OpenRequest, SaveFrom, save};
use crate::ui::session::ScriptReplay;
use crate::ui::theme;
use crate::ui::{Session, UiCommand};

/// State of the record-and-replay window (paths and messages; the recording and the replay
/// themselves live in the session, which owns the engine they act on).
pub struct RecordReplay {
    pub save_path: String,
    pub load_path: String,
    pub seed: u64,
    pub message: Option<(bool, String)>,
    /// Start recording was clicked: the restart of the day waits for a second click.
    pub confirm_start: bool,
}

impl RecordReplay {
    pub const NAME: &'static str = "Record and replay";

    pub fn new(s: &Session) -> RecordReplay {
        RecordReplay {
            save_path: String::new(),
            load_path: "assets/scripts/preview-record-lifecycle.script".into(),
            seed: s.engine.seed(),
            message: None,
            confirm_start: false,
        }
    }
}

impl Tool for RecordReplay {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn ui(&mut self, ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
        ui.heading("Record");
        record(ui, self, s, out);
        if let Some((ok, text)) = &self.message {
            let color = if *ok {
                theme::good(ui.visuals())
            } else {
                theme::bad(ui.visuals())
            };
            ui.label(RichText::new(text).color(color));
        }
        ui.separator();
        ui.heading("Replay");
        load(ui, self, s, out);
        if let Some(run) = &s.replay {
            replay(ui, run, out);
        }
    }
}

/// Start or stop recording, and the last recording with its Save.
fn record(ui: &mut Ui, state: &mut RecordReplay, s: &Session, out: &mut Vec<UiCommand>) {
    match &s.recorder {
        None if state.confirm_start => confirm_start(ui, state, s, out),
        None => {
            ui.label(format!(
                "Restarts the day on seed {} and writes every attempt as a script line, with \
                 what happened as an expectation, and every role change, role-editor edit and \
                 agent switch, so the script replays with the roles file alone.",
                s.engine.seed()
            ));
            // A refused recording is refused here, before the confirmation.
            let refusal = s.recording_refusal();
            let start = ui.add_enabled(refusal.is_none(), egui::Button::new("Start recording..."));
            if let Some(why) = &refusal {
                ui.label(RichText::new(why).color(ui.visuals().warn_fg_color));
            }
            if start.clicked() {
                state.confirm_start = true;
            }
        }
        Some(r) => {
            ui.label(
                RichText::new(format!("Recording: {} lines so far", r.len()))
                    .color(theme::bad(ui.visuals())),
            );
            ui.horizontal(|ui| {
                if ui.button("Stop recording").clicked() {
                    out.push(UiCommand::StopRecording);
                }
                if ui
                    .button("Mark a lesson step here")
                    .on_hover_text("Saved as a lesson draft, the recording gets a `step` line here")
                    .clicked()
                {
                    out.push(UiCommand::MarkLessonStep);
                }
            });
        }
    }
    let Some(text) = &s.recorded else {
        return;
    };
    egui::ScrollArea::vertical()
        .id_salt("recorded_script")
        .max_height(140.0)
        .show(ui, |ui| {
            ui.label(RichText::new(text).monospace().small());
        });
    if state.save_path.is_empty() {
        // The default name carries the activity and the agent: a second recording does not
        // silently replace the first (and replacing a file always asks).
        let stem = s
            .activities
            .finished
            .iter()
            .rev()
            .find(|f| f.activity.kind == crate::training::activity::ActivityKind::Recording)
            .map_or_else(|| "recorded".to_string(), |f| f.activity.file_stem());
        state.save_path = format!("{stem}.script");
    }
    ui.horizontal(|ui| {
        let l = ui.label("Save as");
        ui.text_edit_singleline(&mut state.save_path)
            .labelled_by(l.id);
        if ui.button("Save script").clicked() {
            // The `# Run:` line names the file it is saved as.
            let text = text.replacen("--script FILE", &format!("--script {}", state.save_path), 1);
            out.push(save(SaveFrom::Recording, &state.save_path, None, text, "the recorded script".to_string()));
        }
        if ui
            .button("Save as lesson draft")
            .on_hover_text("A lesson with a step at every pause you marked; word the steps, then check it with agentdesk lesson check")
            .clicked()
        {
            let draft = crate::training::lesson::lesson_draft(text, "New lesson");
            out.push(save(SaveFrom::Recording, &state.save_path, Some("lesson"), draft, "a lesson draft".to_string()));
        }
    });
}

/// What starting a recording throws away, and the two ways on.
fn confirm_start(ui: &mut Ui, state: &mut RecordReplay, s: &Session, out: &mut Vec<UiCommand>) {
    let interactions = s.engine.interactions().len();
    let attempts = s.engine.audit().entries().len();
    ui.label(
        RichText::new(format!(
            "Start recording restarts the day on seed {}: this day's {interactions} \
             interaction(s) and the {attempts} attempt(s) of the audit log are discarded \
             (export the audit log first to keep it). Your roles and role-editor edits stay.",
            s.engine.seed()
        ))
        .color(ui.visuals().warn_fg_color),
    );
    ui.horizontal(|ui| {
        if ui.button("Restart the day and record").clicked() {
            state.confirm_start = false;
            out.push(UiCommand::StartRecording);
        }
        if ui.button("Cancel").clicked() {
            state.confirm_start = false;
        }
    });
}

/// The script and seed to replay, and why the last script could not be loaded.
fn load(ui: &mut Ui, state: &mut RecordReplay, s: &Session, out: &mut Vec<UiCommand>) {
    ui.horizontal(|ui| {
        let l = ui.label("Script");
        ui.text_edit_singleline(&mut state.load_path)
            .labelled_by(l.id);
        let l = ui.label("Seed");
        ui.add(egui::DragValue::new(&mut state.seed))
            .labelled_by(l.id);
    });
    if ui
        .button("Load and restart the day")
        .on_hover_text("The day restarts on this seed; the script then drives the clock")
        .clicked()
    {
        out.push(UiCommand::Open(OpenRequest::Script {
            typed: state.load_path.clone(),
            seed: state.seed,
        }));
    }
    if let Some(errors) = &s.replay_errors {
        ui.label(
            RichText::new(errors)
                .monospace()
                .color(theme::bad(ui.visuals())),
        );
    }
}

/// The loaded script's next line, the step buttons and the transcript so far.
fn replay(ui: &mut Ui, run: &ScriptReplay, out: &mut Vec<UiCommand>) {
    let next = run.replay.next_step();
    let total = run.script.steps.len();
    match run.script.steps.get(next) {
        Some(step) => {
            ui.label(format!(
                "Next: line {} ({} of {total})",
                step.line,
                next + 1
            ));
            ui.label(RichText::new(&step.text).monospace().strong());
        }
        None => {
            ui.label(RichText::new(format!("Finished: {}", run.replay.report().tally())).strong());
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
            ui.label(RichText::new(&run.transcript).monospace().small());
        });
}
