//! The audit log: one typed entry per attempted command, allowed, denied or invalid, and its
//! JSON-lines form (one object per attempt, every key on every line).
//!
//! Entries are kept typed (action, channel, stage, decision, the denial itself) and turned
//! into text only when written or shown. Each line is written as soon as the attempt is made,
//! through a [`LineSink`]: a killed process leaves a log complete up to its last entry, and a
//! full disk leaves one without a torn last line.

mod line;

use std::path::Path;
use std::sync::Arc;

use chrono::{FixedOffset, NaiveTime, TimeZone as _, Timelike};

use line::Line;
pub use line::{RunIdentity, schema_json};

use crate::engine::Done;
use crate::engine::execute::Attempt;
use crate::output::LineSink;
use crate::policy::{Action, Channel, Denial, DenialKindName, PrivilegeSet, Stage};
use crate::world::{InteractionId, SimTime};

/// What became of an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Decision {
    /// Authorized and applied.
    Allowed,
    /// Refused by `authorize`: the entry carries the denial.
    Denied,
    /// Authorized, but the command could not run (a wrong argument, an impossible move).
    Invalid,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Allowed, Decision::Denied, Decision::Invalid];

    /// The keyword of the audit log and its exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::Denied => "denied",
            Decision::Invalid => "invalid",
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who made an attempt: a person at the desktop, a line of a script, or the autopilot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Source {
    #[default]
    Desktop,
    Script {
        /// The 1-based line of the script.
        line: u32,
    },
    Autopilot,
}

impl Source {
    /// The keyword of the audit log (`desktop`, `script`, `autopilot`).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Desktop => "desktop",
            Source::Script { .. } => "script",
            Source::Autopilot => "autopilot",
        }
    }

    /// The script line of a scripted attempt.
    pub fn script_line(self) -> Option<u32> {
        match self {
            Source::Script { line } => Some(line),
            _ => None,
        }
    }
}

/// A name kept by many audit entries, behind one thin pointer: a day holds over a hundred
/// thousand attempts, and a shared `str` would cost each of them eight bytes more.
pub type SharedName = Arc<String>;

/// Who made an attempt: the agent's name and the names of its roles at the time. Shared by
/// every entry the agent makes while its roles hold (a new one when they change), so an entry
/// names both with one pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempter {
    pub agent: String,
    pub roles: Vec<String>,
}

/// One attempted command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// 1, 2, ... in the order of the attempts.
    pub seq: u64,
    /// Simulated time of the attempt, centre time.
    pub time: SimTime,
    /// The agent and its roles at the time (shared with the session while they hold).
    pub who: Arc<Attempter>,
    pub channel: Channel,
    pub action: Action,
    pub stage: Stage,
    /// The interaction acted on; `None` for `get-record`, which acts on a campaign.
    pub interaction: Option<InteractionId>,
    /// The campaign's name for `get-record`.
    pub campaign: Option<SharedName>,
    /// What became of it, with what that carries.
    pub decided: Decided,
    pub source: Source,
}

/// What became of an attempt, with what each ending carries: one value, so an entry cannot
/// be allowed and carry a denial.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Authorized and applied: what it did, put into words by [`AuditEntry::outcome_text`].
    Allowed(Done),
    /// Refused by `authorize`.
    Denied(Box<Denial>),
    /// Authorized, but the command could not run: why.
    Invalid(Box<str>),
}

impl Decided {
    pub fn decision(&self) -> Decision {
        match self {
            Decided::Allowed(_) => Decision::Allowed,
            Decided::Denied(_) => Decision::Denied,
            Decided::Invalid(_) => Decision::Invalid,
        }
    }
}

impl AuditEntry {
    /// The agent's name.
    pub fn agent(&self) -> &str {
        &self.who.agent
    }

    /// The names of the agent's roles at the time of the attempt.
    pub fn roles(&self) -> &[String] {
        &self.who.roles
    }

    pub fn decision(&self) -> Decision {
        self.decided.decision()
    }

    /// The refusal of a denied attempt.
    pub fn denial(&self) -> Option<&Denial> {
        match &self.decided {
            Decided::Denied(d) => Some(d),
            _ => None,
        }
    }

    /// What an allowed attempt did.
    pub fn done(&self) -> Option<&Done> {
        match &self.decided {
            Decided::Allowed(done) => Some(done),
            _ => None,
        }
    }

    /// The kind of a denial.
    pub fn kind(&self) -> Option<DenialKindName> {
        self.denial().map(|d| d.kind.name())
    }

    /// The privileges a denial says are missing (empty otherwise).
    pub fn missing(&self) -> PrivilegeSet {
        self.denial().map_or(PrivilegeSet::EMPTY, |d| d.missing)
    }

    /// Why the attempt did not go through: a denial's detail, or what made it invalid.
    pub fn reason(&self) -> Option<String> {
        match &self.decided {
            Decided::Allowed(_) => None,
            Decided::Denied(d) => Some(d.detail()),
            Decided::Invalid(why) => Some(why.to_string()),
        }
    }

    /// What an allowed attempt did, or why an invalid one could not run, in words (empty for
    /// a denied one).
    pub fn outcome_text(&self) -> String {
        match &self.decided {
            Decided::Allowed(done) => done.to_string(),
            Decided::Denied(_) => String::new(),
            Decided::Invalid(why) => why.to_string(),
        }
    }

    /// The interaction (`#12`) or campaign the attempt acted on, for people.
    pub fn target(&self) -> String {
        match (&self.interaction, &self.campaign) {
            (Some(id), _) => id.to_string(),
            (None, Some(name)) => name.to_string(),
            (None, None) => String::new(),
        }
    }
}

impl crate::engine::Engine {
    /// Logs, as `invalid`, an attempt that never reached authorization: an agent acting on an
    /// interaction that is not theirs, or getting a record when no preview campaign runs.
    /// Callers log only attempts with a known agent, channel and stage; a script line with no
    /// agent logged in or nothing to act on is a mistake in the script, not an attempt.
    #[allow(clippy::too_many_arguments)]
    pub fn audit_invalid(
        &mut self,
        agent: crate::world::AgentId,
        channel: Channel,
        action: Action,
        stage: Stage,
        interaction: Option<InteractionId>,
        source: Source,
        why: String,
    ) {
        let Some(session) = self.agent(agent) else {
            return;
        };
        let attempt = Attempt {
            time: self.now(),
            who: self.audit.wants_entries().then(|| self.attempter(session)),
            channel,
            action,
            stage,
            interaction,
            campaign: None,
            source,
        };
        self.audit_attempt(attempt, Decided::Invalid(why.into()));
    }
}

/// The format of an audit log file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FileFormat {
    /// JSON lines, one object per attempt (`.jsonl`, `.json`).
    #[default]
    #[value(name = "jsonl")]
    JsonLines,
    /// CSV with one header row, the same columns in the same order (`.csv`).
    Csv,
}

impl FileFormat {
    /// The format a file name asks for: `.jsonl`/`.json` or `.csv` (any case); standard output
    /// (`-`) is JSON lines. Any other name is an error, never a silent JSON file.
    pub fn of_path(path: &Path) -> Result<FileFormat, String> {
        if path.as_os_str() == "-" {
            return Ok(FileFormat::JsonLines);
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("jsonl" | "json") => Ok(FileFormat::JsonLines),
            Some("csv") => Ok(FileFormat::Csv),
            _ => Err(format!(
                "cannot tell the audit log's format from the name {}: use a name ending in .jsonl (or .json) or .csv, or give --audit-format jsonl|csv",
                path.display()
            )),
        }
    }
}

/// What the engine keeps of what happened, besides the world itself: the audit log's entries
/// and the transcript's lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Retention {
    /// Every entry and every line, for whoever reads them back: the desktop's audit view and
    /// transcript, practice and its review, lessons, scripts, recordings.
    #[default]
    Everything,
    /// Only how many attempts were made and what became of them ([`AuditLog::tally`]). Each
    /// attempt is still numbered, decided and written to the audit file if one is attached;
    /// nothing is kept to read back. A headless floor (`agentdesk run --autopilot`) reads
    /// nothing back, and at a thousand agents what it would keep is a third of its memory.
    Counts,
}

/// How many attempts were recorded, by what became of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub allowed: u64,
    pub denied: u64,
    pub invalid: u64,
}

impl Tally {
    /// Every attempt recorded.
    pub fn total(&self) -> u64 {
        self.allowed + self.denied + self.invalid
    }

    fn count(&mut self, decision: Decision) {
        match decision {
            Decision::Allowed => self.allowed += 1,
            Decision::Denied => self.denied += 1,
            Decision::Invalid => self.invalid += 1,
        }
    }
}

/// The in-memory log, optionally mirrored to a JSON-lines or CSV file.
#[derive(Default)]
pub struct AuditLog {
    /// The entries kept (all of them, unless the retention changed to [`Retention::Counts`]).
    entries: Vec<AuditEntry>,
    tally: Tally,
    retention: Retention,
    /// The centre's offset from UTC, for the times written out.
    utc_offset_minutes: i32,
    file: Option<LineSink>,
    format: FileFormat,
    /// The run every line names (`agentdesk run`); `None` at the desktop.
    run: Option<RunIdentity>,
}

impl AuditLog {
    /// An empty log whose times are written with the centre's UTC offset.
    pub fn new(utc_offset_minutes: i32) -> AuditLog {
        AuditLog {
            utc_offset_minutes,
            ..Default::default()
        }
    }

    /// Starts mirroring to `sink` (opened through `crate::output::paths`), as JSON lines.
    pub fn to_sink(&mut self, sink: LineSink) {
        self.to_sink_as(sink, FileFormat::JsonLines);
    }

    /// Starts mirroring to `sink` in `format`; a CSV file starts with its header row.
    pub fn to_sink_as(&mut self, mut sink: LineSink, format: FileFormat) {
        if format == FileFormat::Csv {
            let header = crate::output::escape::csv_text(|w| w.write_record(CSV_HEADER));
            sink.write_line(header.as_bytes());
        }
        self.format = format;
        self.file = Some(sink);
    }

    /// Names the run on every line from now on.
    pub fn identify(&mut self, run: RunIdentity) {
        self.run = Some(run);
    }

    /// From now on, keeps only the tally (see [`Retention::Counts`]). One way: entries kept
    /// so far stay, so every kept entry's number is still its place in [`AuditLog::entries`].
    pub fn keep_counts_only(&mut self) {
        self.retention = Retention::Counts;
    }

    pub fn retention(&self) -> Retention {
        self.retention
    }

    /// How many attempts were recorded, by decision, whatever the retention.
    pub fn tally(&self) -> Tally {
        self.tally
    }

    /// Whether an attempt needs its entry: one is kept, or written to the file. When neither,
    /// [`AuditLog::count`] numbers it without one.
    pub fn wants_entries(&self) -> bool {
        self.retention == Retention::Everything || self.file.is_some()
    }

    /// An attempt whose entry no one wants (see [`AuditLog::wants_entries`]): it takes its
    /// number and is tallied, as [`AuditLog::record`] would.
    pub fn count(&mut self, decision: Decision) {
        debug_assert!(
            !self.wants_entries(),
            "an entry someone wants, only counted"
        );
        self.tally.count(decision);
    }

    /// Records an attempt with its entry (see [`AuditLog::wants_entries`]).
    pub fn record(&mut self, mut entry: AuditEntry) {
        entry.seq = self.tally.total() + 1;
        self.tally.count(entry.decision());
        if self.file.as_ref().is_some_and(|f| f.error().is_none()) {
            let line = match self.format {
                FileFormat::JsonLines => self.json_line(&entry),
                FileFormat::Csv => {
                    crate::output::escape::csv_text(|w| w.write_record(self.csv_row(&entry)))
                }
            };
            if let Some(file) = &mut self.file {
                file.write_line(line.as_bytes());
            }
        }
        if self.retention == Retention::Everything {
            self.entries.push(entry);
        }
    }

    pub fn entries(&self) -> &[AuditEntry] {
        &self.entries
    }

    /// The error that stopped the file, if any (the in-memory log is still whole; the file
    /// holds the whole lines written before it).
    pub fn write_error(&self) -> Option<String> {
        self.file.as_ref()?.error().map(|e| e.to_string())
    }

    /// A time as ISO 8601 with the centre's offset, e.g. `2026-11-23T08:30:00-05:00`.
    pub fn iso_time(&self, time: SimTime) -> String {
        let offset = FixedOffset::east_opt(self.utc_offset_minutes * 60)
            .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero is a valid offset"));
        match offset.from_local_datetime(&time).single() {
            Some(t) => t.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            None => time.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }

    /// One entry as a JSON line, newline included.
    pub fn json_line(&self, e: &AuditEntry) -> String {
        let line = Line {
            run: self.run.as_ref(),
            seq: e.seq,
            time: self.iso_time(e.time),
            agent: e.agent(),
            roles: e.roles(),
            channel: e.channel,
            action: e.action,
            stage: e.stage,
            interaction: e.interaction.map(|id| id.0),
            decision: e.decision().as_str(),
            kind: e.kind(),
            missing: e.missing().names(),
            reason: e.reason(),
            source: e.source.as_str(),
            script_line: e.source.script_line(),
        };
        // Serializing strings, numbers and lists cannot fail.
        let mut text = serde_json::to_string(&line).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Renders entries as JSON lines.
    pub fn to_json_lines(&self, entries: &[AuditEntry]) -> String {
        entries.iter().map(|e| self.json_line(e)).collect()
    }

    /// Renders entries as CSV (RFC 4180 quoting, `\n` line ends), one row per entry, with the
    /// columns of the JSON lines; the list fields (`roles`, `missing`) are joined with `;` as in
    /// the matrix export, and text a spreadsheet would run as a formula gets a leading `'`.
    pub fn to_csv(&self, entries: &[AuditEntry]) -> String {
        crate::output::escape::csv_text(|writer| {
            writer.write_record(CSV_HEADER)?;
            for e in entries {
                writer.write_record(self.csv_row(e))?;
            }
            Ok(())
        })
    }

    /// One entry's CSV fields, in the order of [`CSV_HEADER`].
    fn csv_row(&self, e: &AuditEntry) -> [String; 15] {
        let safe = |text: &str| crate::output::escape::spreadsheet_safe(text).into_owned();
        [
            self.run.as_ref().map(|r| r.id.clone()).unwrap_or_default(),
            e.seq.to_string(),
            self.iso_time(e.time),
            safe(e.agent()),
            safe(&e.roles().join(";")),
            e.channel.as_str().into(),
            e.action.as_str().into(),
            e.stage.as_str().into(),
            e.interaction.map(|id| id.0.to_string()).unwrap_or_default(),
            e.decision().as_str().into(),
            e.kind().map_or("", |k| k.as_str()).into(),
            e.missing().names().join(";"),
            safe(&e.reason().unwrap_or_default()),
            e.source.as_str().into(),
            e.source
                .script_line()
                .map(|l| l.to_string())
                .unwrap_or_default(),
        ]
    }
}

/// The columns of [`AuditLog::to_csv`], the keys of each JSON line in the same order.
pub const CSV_HEADER: [&str; 15] = [
    "run",
    "seq",
    "time",
    "agent",
    "roles",
    "channel",
    "action",
    "stage",
    "interaction",
    "decision",
    "kind",
    "missing",
    "reason",
    "source",
    "script_line",
];

/// A selection of audit entries; `None` and an empty text match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub agent: Option<String>,
    /// An entry matches when the agent held this role at the time.
    pub role: Option<String>,
    pub action: Option<Action>,
    pub decision: Option<Decision>,
    /// Case-insensitive part of the name of a missing privilege.
    pub missing: String,
    /// Simulated time of day, inclusive, to the minute: `to` 09:30 keeps 09:30:59.
    pub from: Option<NaiveTime>,
    pub to: Option<NaiveTime>,
}

impl AuditFilter {
    pub fn matches(&self, e: &AuditEntry) -> bool {
        let needle = self.missing.trim().to_lowercase();
        let minute = (e.time.hour(), e.time.minute());
        let in_range = self.from.is_none_or(|f| (f.hour(), f.minute()) <= minute)
            && self.to.is_none_or(|to| minute <= (to.hour(), to.minute()));
        self.agent.as_ref().is_none_or(|a| a == e.agent())
            && self.role.as_ref().is_none_or(|r| e.roles().contains(r))
            && self.action.is_none_or(|a| a == e.action)
            && self.decision.is_none_or(|d| d == e.decision())
            && (needle.is_empty()
                || e.missing()
                    .names()
                    .iter()
                    .any(|m| m.to_lowercase().contains(&needle)))
            && in_range
    }
}

/// Reads a time-range bound typed as `HH:MM` (or `H:MM`); an empty field is no bound.
pub fn parse_hhmm(text: &str) -> Result<Option<NaiveTime>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || format!("\"{text}\" is not a time: use HH:MM, e.g. 09:30");
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
        return Err(bad());
    }
    let (h, m) = (
        h.parse::<u32>().map_err(|_| bad())?,
        m.parse::<u32>().map_err(|_| bad())?,
    );
    NaiveTime::from_hms_opt(h, m, 0)
        .map(Some)
        .ok_or_else(|| format!("\"{text}\" is out of range: hours 00-23, minutes 00-59"))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::policy::{Facts, Privilege, authorize};

    fn entry(time: &str, agent: &str, action: Action, denied: bool) -> AuditEntry {
        let (h, m, s) = (
            time[0..2].parse().unwrap(),
            time[3..5].parse().unwrap(),
            time[6..8].parse().unwrap(),
        );
        let denial = denied.then(|| {
            let granted = PrivilegeSet::of(&[Privilege::ObUse]);
            Box::new(
                authorize(
                    granted,
                    Channel::Preview,
                    action,
                    Stage::Preview,
                    &Facts::default(),
                )
                .unwrap_err(),
            )
        });
        AuditEntry {
            seq: 0,
            time: NaiveDate::from_ymd_opt(2025, 1, 6)
                .unwrap()
                .and_hms_opt(h, m, s)
                .unwrap(),
            who: Arc::new(Attempter {
                agent: agent.to_string(),
                roles: vec!["Outbound Preview Agent".to_string()],
            }),
            channel: Channel::Preview,
            action,
            stage: Stage::Preview,
            interaction: Some(InteractionId(1)),
            campaign: None,
            decided: match denial {
                Some(denial) => Decided::Denied(denial),
                None => Decided::Allowed(Done::Accepted(InteractionId(1))),
            },
            source: Source::Desktop,
        }
    }

    fn sample() -> AuditLog {
        let mut log = AuditLog::new(-300);
        log.record(entry("09:00:00", "Dana", Action::Dial, false));
        log.record(entry("09:30:59", "Dana", Action::Cancel, true));
        log.record(entry("10:15:00", "Sam", Action::Reschedule, true));
        log
    }

    #[test]
    fn csv_has_a_header_and_one_quoted_row_per_entry() {
        let log = sample();
        let csv = log.to_csv(log.entries());
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            CSV_HEADER.to_vec()
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 3);
        // The `run` column comes first; the desktop's log names no run.
        assert_eq!(&rows[0][0], "");
        assert_eq!(&rows[1][1], "2");
        assert_eq!(&rows[1][2], "2025-01-06T09:30:59-05:00");
        assert_eq!(&rows[1][9], "denied");
        assert_eq!(&rows[1][10], "privilege");
        assert_eq!(&rows[1][11], "Outbound - Can Cancel Record");
        assert_eq!(&rows[1][12], "missing Outbound - Can Cancel Record");
        assert_eq!(&rows[0][10], "");
        assert_eq!(&rows[0][12], "", "an allowed attempt has no reason");
    }

    #[test]
    fn every_json_line_has_every_key() {
        let log = sample();
        let keys = |line: &str| -> Vec<String> {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            v.as_object().unwrap().keys().cloned().collect()
        };
        let mut expected: Vec<String> = CSV_HEADER.iter().map(|s| s.to_string()).collect();
        expected.sort();
        for e in log.entries() {
            let line = log.json_line(e);
            assert!(line.ends_with('\n') && !line.trim_end().contains('\n'));
            let mut got = keys(&line);
            got.sort();
            assert_eq!(got, expected, "{line}");
        }
        let allowed: serde_json::Value =
            serde_json::from_str(&log.json_line(&log.entries()[0])).unwrap();
        assert_eq!(allowed["kind"], serde_json::Value::Null);
        assert_eq!(allowed["reason"], serde_json::Value::Null);
        assert_eq!(allowed["missing"], serde_json::json!([]));
        assert_eq!(allowed["interaction"], 1);
        assert_eq!(allowed["source"], "desktop");
        assert_eq!(allowed["script_line"], serde_json::Value::Null);
    }

    #[test]
    fn filter_by_fields_missing_text_and_time_range() {
        let log = sample();
        let entries = log.entries();
        let count = |f: &AuditFilter| entries.iter().filter(|e| f.matches(e)).count();
        assert_eq!(count(&AuditFilter::default()), 3);
        let denied = AuditFilter {
            decision: Some(Decision::Denied),
            ..Default::default()
        };
        assert_eq!(count(&denied), 2);
        let dana_denied = AuditFilter {
            agent: Some("Dana".into()),
            ..denied.clone()
        };
        assert_eq!(count(&dana_denied), 1);
        let by_missing = AuditFilter {
            missing: " before CALL ".into(),
            ..Default::default()
        };
        assert_eq!(count(&by_missing), 1);
        let by_role = AuditFilter {
            role: Some("Supervisor".into()),
            ..Default::default()
        };
        assert_eq!(count(&by_role), 0);
        let range = AuditFilter {
            from: parse_hhmm("09:01").unwrap(),
            to: parse_hhmm("9:30").unwrap(),
            ..Default::default()
        };
        assert_eq!(count(&range), 1, "the 'to' minute is inclusive");
        let from_only = AuditFilter {
            from: parse_hhmm("09:30").unwrap(),
            ..Default::default()
        };
        assert_eq!(count(&from_only), 2);
    }

    #[test]
    fn hhmm_parsing_accepts_times_and_explains_mistakes() {
        assert_eq!(parse_hhmm("  "), Ok(None));
        assert_eq!(parse_hhmm("07:05"), Ok(NaiveTime::from_hms_opt(7, 5, 0)));
        assert_eq!(parse_hhmm("7:05"), Ok(NaiveTime::from_hms_opt(7, 5, 0)));
        for bad in ["7", "7:5", "07:05:00", "ab:cd", "-1:00", "+7:05", "123:00"] {
            let err = parse_hhmm(bad).unwrap_err();
            assert!(err.contains("use HH:MM"), "{bad}: {err}");
        }
        assert!(parse_hhmm("24:00").unwrap_err().contains("out of range"));
        assert!(parse_hhmm("12:60").unwrap_err().contains("out of range"));
    }
}
