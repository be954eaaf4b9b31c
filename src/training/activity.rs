//! Activities: the free desk, a practice shift, a lesson, a recording or a replay, each with a
//! start, an end and its own results. One owns the simulated day at a time (docs/activities.md): starting
//! another first asks, in words from [`Activities::switch_question`], and ending one freezes
//! its card into the list of finished activities, so a lesson started after a shift never
//! writes into the shift's card.
//!
//! Cards are plain rows of text made when the activity ends, from what happened then; nothing
//! here reads the live world afterwards.

use crate::world::{SimTime, fmt_time};

/// What owns the simulated day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivityKind {
    FreeDesk,
    PracticeShift,
    Lesson,
    Recording,
    Replay,
}

impl ActivityKind {
    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::FreeDesk => "free desk",
            ActivityKind::PracticeShift => "practice shift",
            ActivityKind::Lesson => "lesson",
            ActivityKind::Recording => "recording",
            ActivityKind::Replay => "replay",
        }
    }

    /// A file-name-safe word for default export names.
    pub fn slug(self) -> &'static str {
        match self {
            ActivityKind::FreeDesk => "desk",
            ActivityKind::PracticeShift => "practice",
            ActivityKind::Lesson => "lesson",
            ActivityKind::Recording => "recording",
            ActivityKind::Replay => "replay",
        }
    }
}

/// One activity: what it is, who does it, when it started and under which options and roles.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub kind: ActivityKind,
    /// What it is about: the lesson's title, "seed 7, 30 minutes", the script's file.
    pub title: String,
    pub trainee: String,
    pub seed: u64,
    pub started: SimTime,
    /// The options and roles that applied, one line each ("roles: Outbound Preview Agent").
    pub settings: Vec<String>,
}

impl Activity {
    /// The free desk a session opens on.
    pub fn free_desk(trainee: &str, seed: u64, started: SimTime) -> Activity {
        Activity {
            kind: ActivityKind::FreeDesk,
            title: String::new(),
            trainee: trainee.to_string(),
            seed,
            started,
            settings: Vec::new(),
        }
    }

    /// "practice shift (seed 7, 30 minutes)", as lists and questions name it.
    pub fn name(&self) -> String {
        if self.title.is_empty() {
            self.kind.label().to_string()
        } else {
            format!("{} ({})", self.kind.label(), self.title)
        }
    }

    /// The default file name stem of this activity's exports: kind, title and trainee, in
    /// characters every file system takes ("practice-seed-7-30-minutes-dana").
    pub fn file_stem(&self) -> String {
        let raw = format!("{}-{}-{}", self.kind.slug(), self.title, self.trainee);
        slug(&raw)
    }
}

/// Lower-case letters and digits, other runs turned into one `-`, at most 80 characters.
pub fn slug(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 80 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Why an activity ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// It ran its course (the shift's time was up, the lesson's last step was done).
    Completed,
    /// The trainee left it, or started `next` instead.
    EndedFor(String),
}

/// The results of one activity, frozen when it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    /// (item, value) rows: counts, the score, what each rule is worth.
    pub rows: Vec<(String, String)>,
    /// Every scored or noted item, one line each, with its points.
    pub lines: Vec<String>,
}

/// A finished activity and its card.
#[derive(Clone, Debug, PartialEq)]
pub struct Finished {
    pub activity: Activity,
    pub ended: SimTime,
    pub ending: Ending,
    pub card: Card,
}

impl Finished {
    /// The card as a Markdown text file: where it came from first, then the rows and lines.
    pub fn to_markdown(&self) -> String {
        let a = &self.activity;
        let mut out = format!("# {}\n\n", capitalised(&a.name()));
        out.push_str(&format!("- Trainee: {}\n", a.trainee));
        out.push_str(&format!("- Seed: {}\n", a.seed));
        out.push_str(&format!(
            "- Simulated time: {} to {}\n",
            fmt_time(a.started),
            fmt_time(self.ended)
        ));
        out.push_str(&format!("- Ended: {}\n", self.ending_text()));
        for s in &a.settings {
            out.push_str(&format!("- {s}\n"));
        }
        out.push_str("\n| Item | Value |\n|---|---|\n");
        for (k, v) in &self.card.rows {
            out.push_str(&format!("| {} | {} |\n", md_cell(k), md_cell(v)));
        }
        if !self.card.lines.is_empty() {
            out.push('\n');
            for l in &self.card.lines {
                out.push_str(&format!("- {l}\n"));
            }
        }
        out
    }

    pub fn ending_text(&self) -> String {
        match &self.ending {
            Ending::Completed => "completed".to_string(),
            Ending::EndedFor(why) => format!("ended for {why}"),
        }
    }
}

fn md_cell(s: &str) -> String {
    crate::output::escape::markdown_cell(s)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The activity owning the day, and those finished this session.
#[derive(Clone, Debug, PartialEq)]
pub struct Activities {
    pub current: Activity,
    pub finished: Vec<Finished>,
}

impl Activities {
    pub fn new(first: Activity) -> Activities {
        Activities {
            current: first,
            finished: Vec::new(),
        }
    }

    /// The question to ask before `next` replaces the running activity, or `None` when the
    /// free desk runs (it keeps no results to lose).
    pub fn switch_question(&self, next: &str) -> Option<String> {
        if self.current.kind == ActivityKind::FreeDesk {
            return None;
        }
        Some(format!(
            "A {} is running. Starting {next} ends it now: its results so far are kept in the \
             list of finished activities, and the day restarts for {next}. Or stay with the {}.",
            self.current.name(),
            self.current.kind.label()
        ))
    }

    /// Ends the running activity at `at` with `card` and makes `next` the owner of the day.
    /// The free desk leaves no card behind.
    pub fn switch(&mut self, next: Activity, at: SimTime, ending: Ending, card: Option<Card>) {
        self.end(at, ending, card);
        self.current = next;
    }

    /// Ends the running activity at `at`, keeping `card`; the free desk owns the day after.
    pub fn end(&mut self, at: SimTime, ending: Ending, card: Option<Card>) {
        let desk = Activity::free_desk(&self.current.trainee, self.current.seed, at);
        let done = std::mem::replace(&mut self.current, desk);
        if let Some(card) = card
            && done.kind != ActivityKind::FreeDesk
        {
            self.finished.push(Finished {
                activity: done,
                ended: at,
                ending,
                card,
            });
        }
    }

    /// The finished activity that started as `kind` at `started`, if it is in the list.
    pub fn find(&self, kind: ActivityKind, started: SimTime) -> Option<&Finished> {
        self.finished
            .iter()
            .rev()
            .find(|f| f.activity.kind == kind && f.activity.started == started)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32) -> SimTime {
        chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    fn card(score: &str) -> Card {
        Card {
            rows: vec![("Score".into(), score.into())],
            lines: vec!["+10 handled".into()],
        }
    }

    #[test]
    fn a_shift_ended_by_a_lesson_keeps_its_own_card() {
        let mut acts = Activities::new(Activity::free_desk("Dana", 7, at(8)));
        assert_eq!(acts.switch_question("a lesson"), None);
        let shift = Activity {
            kind: ActivityKind::PracticeShift,
            title: "seed 7, 30 minutes".into(),
            trainee: "Dana".into(),
            seed: 7,
            started: at(9),
            settings: vec!["roles: Outbound Preview Agent".into()],
        };
        acts.switch(shift, at(9), Ending::Completed, Some(card("0")));
        assert!(acts.finished.is_empty(), "the free desk leaves no card");
        let q = acts
            .switch_question("the lesson \"Web callbacks\"")
            .unwrap();
        assert!(
            q.contains("practice shift (seed 7, 30 minutes) is running"),
            "{q}"
        );
        assert!(q.contains("results so far are kept"), "{q}");
        let lesson = Activity {
            kind: ActivityKind::Lesson,
            title: "Web callbacks".into(),
            ..acts.current.clone()
        };
        acts.switch(
            lesson,
            at(10),
            Ending::EndedFor("a lesson".into()),
            Some(card("13")),
        );
        assert_eq!(acts.finished.len(), 1);
        let md = acts.finished[0].to_markdown();
        assert!(
            md.starts_with("# Practice shift (seed 7, 30 minutes)"),
            "{md}"
        );
        assert!(md.contains("| Score | 13 |"), "{md}");
        assert!(md.contains("- roles: Outbound Preview Agent"), "{md}");
        assert!(md.contains("ended for a lesson"), "{md}");
        assert_eq!(acts.current.kind, ActivityKind::Lesson);
    }

    #[test]
    fn default_file_names_carry_the_activity_and_the_trainee() {
        let a = Activity {
            kind: ActivityKind::Lesson,
            title: "Web callbacks: asap & scheduled".into(),
            trainee: "Dana Ross".into(),
            seed: 3,
            started: at(9),
            settings: Vec::new(),
        };
        assert_eq!(
            a.file_stem(),
            "lesson-web-callbacks-asap-scheduled-dana-ross"
        );
        assert_eq!(slug("../../etc"), "etc");
    }
}
