//! Learning records at the desk (docs/lrs.md): the trainee whose results these are, the outbox
//! where statements wait, and the LRS they are sent to, set from the window as `--trainee`,
//! `--outbox`, `--lrs` and `--lrs-credentials` set them at launch. The tool shows what is set
//! and returns a command; the desk starts the recorder. The account's password is never shown:
//! it stays in its file (or the environment).

use egui::{RichText, Ui};

use super::Tool;
use crate::learning::client::{PASSWORD_VAR, USER_VAR};
use crate::ui::theme;
use crate::ui::{Session, UiCommand};

/// The Learning records tab: what the desk records, and the form that changes it.
pub struct RecordsSettings {
    pub trainee: String,
    pub outbox: String,
    pub lrs: String,
    pub credentials: String,
}

impl RecordsSettings {
    pub const NAME: &'static str = "Learning records";

    /// The form, filled in with what the desk records now (nothing but the default outbox when
    /// it records nothing).
    pub fn new(s: &Session) -> RecordsSettings {
        let config = s.records.as_ref().map(|r| &r.config);
        RecordsSettings {
            trainee: config.map(|c| c.trainee.clone()).unwrap_or_default(),
            outbox: config
                .map(|c| c.outbox.clone())
                .unwrap_or_else(crate::learning::Outbox::default_dir)
                .display()
                .to_string(),
            lrs: config
                .and_then(|c| c.lrs.as_ref())
                .map(|l| l.base().to_string())
                .unwrap_or_default(),
            credentials: String::new(),
        }
    }
}

impl Tool for RecordsSettings {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn ui(&mut self, ui: &mut Ui, s: &Session, out: &mut Vec<UiCommand>) {
        match &s.records {
            Some(r) => {
                let st = r.status();
                let to = r
                    .config
                    .lrs
                    .as_ref()
                    .map_or("no LRS: they stay in the outbox".to_string(), |l| {
                        format!("sent to {}", l.base())
                    });
                ui.label(format!(
                    "Recording lessons and practice shifts for {}: {} statement(s) waiting in {}, {to}.",
                    r.config.trainee,
                    st.waiting,
                    r.config.outbox.display()
                ));
            }
            None => {
                ui.label(
                    "Not recording: lesson and practice results stay on this desk. Name the \
                     trainee to record them as xAPI statements.",
                );
            }
        }
        ui.separator();
        field(ui, "Trainee", &mut self.trainee, "the trainee's name");
        field(
            ui,
            "Outbox folder",
            &mut self.outbox,
            "where statements wait",
        );
        field(
            ui,
            "LRS (xAPI base)",
            &mut self.lrs,
            "empty: keep them in the outbox",
        );
        field(
            ui,
            "Credentials file",
            &mut self.credentials,
            &format!("empty: {USER_VAR} / {PASSWORD_VAR}"),
        );
        if ui.button("Record for this trainee").clicked() {
            out.push(UiCommand::ConfigureRecords {
                trainee: self.trainee.clone(),
                outbox: self.outbox.clone(),
                lrs: self.lrs.clone(),
                credentials: self.credentials.clone(),
            });
        }
        if let Some(e) = &s.records_error {
            ui.label(RichText::new(e).color(theme::bad(ui.visuals())));
        }
    }
}

/// One labelled line of the form.
fn field(ui: &mut Ui, name: &str, text: &mut String, hint: &str) {
    ui.horizontal(|ui| {
        let label = ui.label(name);
        ui.add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(260.0),
        )
        .labelled_by(label.id);
    });
}
