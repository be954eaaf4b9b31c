//! The class view (trainer): each trainee's progress and score in the shipped lessons, read
//! from the LRS and updating live. The LRS is read on a thread of its own every few seconds
//! (never on the UI thread, so a slow or absent LRS never stalls a frame); the tab draws the
//! latest snapshot. A trainee stuck on a step (several wrong attempts, not done) is listed
//! first, in the denied colour, with what they are stuck on. The rows export as the class
//! report's CSV.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use egui::{RichText, Ui};

use super::Tool;
use crate::learning::class::{LessonInfo, Progress, class_statements, progress, report_csv};
use crate::learning::client::{PASSWORD_VAR, USER_VAR};
use crate::learning::convert::{DEFAULT_ACTIVITY_BASE, lesson_iri};
use crate::learning::{Credentials, LrsClient};
use crate::training::lesson::{Lesson, SHIPPED};
use crate::ui::exports::{SaveFrom, save};
use crate::ui::theme;
use crate::ui::{Session, UiCommand};

/// How often the class is read again.
pub const REFRESH: Duration = Duration::from_secs(2);

/// What the reader thread last found.
#[derive(Default)]
struct Found {
    rows: Vec<Progress>,
    error: Option<String>,
    at: Option<Instant>,
    reads: u64,
}

/// The reader thread; stopped when dropped.
struct Reader {
    found: Arc<Mutex<Found>>,
    stop: Arc<AtomicBool>,
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

pub struct ClassView {
    /// The LRS's xAPI base.
    pub url: String,
    /// A credentials file (two lines); empty: the environment.
    pub credentials: String,
    pub activity_base: String,
    pub lessons: Vec<LessonInfo>,
    reader: Option<Reader>,
    /// Rows shown when no reader runs (set by tests and measurements).
    pub rows: Vec<Progress>,
    pub export_path: String,
    pub note: Option<String>,
    /// The context the tab is drawn in, which the reader wakes when it has read.
    ctx: Option<egui::Context>,
}

impl Default for ClassView {
    fn default() -> ClassView {
        ClassView::new(DEFAULT_ACTIVITY_BASE)
    }
}

impl ClassView {
    pub const NAME: &'static str = "Class";

    /// The view over the shipped lessons, under `base`.
    pub fn new(base: &str) -> ClassView {
        let lessons = SHIPPED
            .iter()
            .filter_map(|(file, text)| Lesson::parse(file, text, None).ok())
            .map(|l| LessonInfo {
                iri: lesson_iri(base, &l.file),
                title: l.title.clone(),
                steps: l.steps.len(),
            })
            .collect();
        ClassView {
            url: "http://127.0.0.1:8100/xAPI/".into(),
            credentials: String::new(),
            activity_base: base.to_string(),
            lessons,
            reader: None,
            rows: Vec::new(),
            export_path: "class-report.csv".into(),
            note: None,
            ctx: None,
        }
    }

    /// Starts reading the class from the LRS every [`REFRESH`].
    pub fn follow(&mut self, ctx: &egui::Context) -> Result<(), String> {
        let credentials = if self.credentials.trim().is_empty() {
            Credentials::from_env().ok_or_else(|| {
                format!("give a credentials file, or set {USER_VAR} and {PASSWORD_VAR}")
            })?
        } else {
            Credentials::from_file(std::path::Path::new(self.credentials.trim()))?
        };
        let client = LrsClient::new(self.url.trim(), credentials)?;
        let found = Arc::new(Mutex::new(Found::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (f, s, ctx) = (found.clone(), stop.clone(), ctx.clone());
        let (lessons, base) = (self.lessons.clone(), self.activity_base.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                let read = class_statements(&client, &lessons, None)
                    .map(|st| progress(&st, &lessons, &base));
                if let Ok(mut found) = f.lock() {
                    match read {
                        Ok(rows) => {
                            found.rows = rows;
                            found.error = None;
                        }
                        Err(e) => found.error = Some(e.to_string()),
                    }
                    found.at = Some(Instant::now());
                    found.reads += 1;
                }
                ctx.request_repaint();
                let until = Instant::now() + REFRESH;
                while Instant::now() < until && !s.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        });
        self.reader = Some(Reader { found, stop });
        Ok(())
    }

    /// Starts following (`UiCommand::FollowClass`, carried out by the desk), waking the
    /// context the tab was last drawn in; a note says why it could not.
    pub fn start_following(&mut self) {
        let ctx = self.ctx.clone().unwrap_or_default();
        self.note = self.follow(&ctx).err();
    }

    pub fn following(&self) -> bool {
        self.reader.is_some()
    }

    /// The rows in sight now.
    pub fn current_rows(&self) -> Vec<Progress> {
        self.snapshot().0
    }

    /// The rows to show: the reader's latest, else [`ClassView::rows`].
    fn snapshot(&self) -> (Vec<Progress>, Option<String>, Option<Instant>) {
        match &self.reader {
            Some(r) => match r.found.lock() {
                Ok(f) => (f.rows.clone(), f.error.clone(), f.at),
                Err(_) => (Vec::new(), Some("the reader stopped".into()), None),
            },
            None => (self.rows.clone(), None, None),
        }
    }
}

impl Tool for ClassView {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn own_scroll(&self) -> bool {
        true
    }

    fn ui(&mut self, ui: &mut Ui, _s: &Session, out: &mut Vec<UiCommand>) {
        if self.ctx.is_none() {
            self.ctx = Some(ui.ctx().clone());
        }
        controls(ui, self, out);
        let (rows, error, at) = self.snapshot();
        if let Some(e) = &error {
            ui.colored_label(
                theme::bad(ui.visuals()),
                format!("Cannot read the class: {e}"),
            );
        }
        if let Some(at) = at {
            ui.label(format!(
                "Read {} s ago, every {} s",
                at.elapsed().as_secs(),
                REFRESH.as_secs()
            ));
        }
        export_controls(ui, self, &rows, out);
        table(ui, &rows, &self.lessons);
    }
}

fn controls(ui: &mut Ui, v: &mut ClassView, out: &mut Vec<UiCommand>) {
    ui.horizontal(|ui| {
        let label = ui.label("LRS (xAPI base)");
        ui.add_enabled(
            !v.following(),
            egui::TextEdit::singleline(&mut v.url).desired_width(260.0),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        let label = ui.label("Credentials file");
        ui.add_enabled(
            !v.following(),
            egui::TextEdit::singleline(&mut v.credentials)
                .hint_text(format!("empty: {USER_VAR} / {PASSWORD_VAR}"))
                .desired_width(220.0),
        )
        .labelled_by(label.id);
        if v.following() {
            if ui.button("Stop").clicked() {
                v.reader = None;
            }
        } else if ui.button("Follow the class").clicked() {
            // Reading the credentials file and starting the reader are the desk's to do.
            out.push(UiCommand::FollowClass);
        }
    });
    if let Some(n) = &v.note {
        ui.label(n.as_str());
    }
}

fn export_controls(ui: &mut Ui, v: &mut ClassView, rows: &[Progress], out: &mut Vec<UiCommand>) {
    ui.horizontal(|ui| {
        let label = ui.label("Export to");
        ui.add(egui::TextEdit::singleline(&mut v.export_path).desired_width(200.0))
            .labelled_by(label.id);
        if ui.button("Export CSV").clicked() {
            let csv = report_csv(rows, &v.lessons);
            // Written by the desk's one save path: an existing file is replaced only when asked.
            out.push(save(
                SaveFrom::Class,
                &v.export_path,
                Some("csv"),
                csv,
                format!("the class report ({} trainee row(s)) as CSV", rows.len()),
            ));
        }
    });
}

/// What a row says about where the trainee is.
pub fn status(p: &Progress) -> String {
    match (&p.result, p.current_step()) {
        (Some(r), _) if r.passed => "Passed".into(),
        (Some(_), _) => format!("Failed: {} of {} steps", p.steps_done(), p.steps.len()),
        (None, Some(i)) if p.stuck() => format!(
            "Stuck on step {}: {} wrong attempts",
            i + 1,
            p.steps[i].wrong
        ),
        (None, Some(i)) => format!("On step {}", i + 1),
        (None, None) => "Every step done".into(),
    }
}

/// The class's rows, stuck trainees first; only the rows in sight are laid out.
pub fn table(ui: &mut Ui, rows: &[Progress], lessons: &[LessonInfo]) {
    let stuck = rows.iter().filter(|p| p.stuck()).count();
    let trainees: std::collections::BTreeSet<&str> =
        rows.iter().map(|p| p.trainee.as_str()).collect();
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} trainee(s), {} lesson run(s)",
            trainees.len(),
            rows.len()
        ));
        if stuck > 0 {
            ui.label(
                RichText::new(format!("{stuck} stuck"))
                    .color(theme::bad(ui.visuals()))
                    .strong(),
            );
        }
    });
    let mut order: Vec<&Progress> = rows.iter().collect();
    order.sort_by_key(|p| (!p.stuck(), p.lesson, p.trainee.clone()));
    // The dock may be narrow: the numbers keep their width, the lesson and the status share
    // what is left (the status, what a trainer looks for, the larger part).
    let spacing = ui.spacing().item_spacing.x * 6.0;
    let rest = (ui.available_width() - spacing - 100.0 - 45.0 - 45.0 - 40.0).max(160.0);
    let widths: [f32; 6] = [100.0, rest * 0.4, 45.0, 45.0, 40.0, rest * 0.6];
    let head = ["Trainee", "Lesson", "Steps", "Score", "Hints", "Status"];
    ui.horizontal(|ui| {
        for (h, w) in head.iter().zip(widths) {
            ui.add_sized([w, 18.0], egui::Label::new(RichText::new(*h).strong()));
        }
    });
    let height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, height, order.len(), |ui, range| {
            for p in &order[range] {
                let lesson = lessons.get(p.lesson);
                let score = p
                    .result
                    .as_ref()
                    .and_then(|r| r.scaled)
                    .map_or_else(|| "-".to_string(), |s| format!("{:.0}%", s * 100.0));
                let hints: u64 = p.steps.iter().map(|s| s.hints).sum();
                let cells = [
                    p.trainee.clone(),
                    lesson.map_or_else(String::new, |l| l.title.clone()),
                    format!("{}/{}", p.steps_done(), p.steps.len()),
                    score,
                    hints.to_string(),
                    status(p),
                ];
                ui.horizontal(|ui| {
                    for (i, (text, w)) in cells.iter().zip(widths).enumerate() {
                        let mut rich = RichText::new(text.as_str());
                        if p.stuck() {
                            rich = rich.color(theme::bad(ui.visuals())).strong();
                        } else if i == 5 && p.result.as_ref().is_some_and(|r| r.passed) {
                            rich = rich.color(theme::good(ui.visuals()));
                        }
                        ui.add_sized([w, height], egui::Label::new(rich).truncate())
                            .on_hover_text(text.as_str());
                    }
                });
            }
        });
}
