//! The audit log: one JSON line per attempted command, allowed, denied or invalid.
//!
//! Each entry is written with a single `write` call as soon as it is made, so a killed
//! process leaves a log that is complete up to its last entry.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use chrono::{NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    /// Simulated time of the attempt.
    pub time: String,
    pub agent: String,
    pub roles: Vec<String>,
    pub channel: String,
    /// Interaction id (`#12`) or campaign name for `get-record`.
    pub target: String,
    pub stage: String,
    pub action: String,
    /// `allowed`, `denied` or `invalid` (authorized, but the arguments were wrong).
    pub decision: String,
    /// For a denial: privilege, stage, field or compliance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub missing: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// The in-memory log, optionally mirrored to a JSON-lines file.
#[derive(Default)]
pub struct AuditLog {
    entries: Vec<AuditEntry>,
    file: Option<File>,
    write_error: Option<String>,
}

impl AuditLog {
    /// Starts mirroring to `path`, truncating it.
    pub fn to_file(&mut self, path: &Path) -> std::io::Result<()> {
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(path)?;
        self.file = Some(file);
        Ok(())
    }

    pub fn record(&mut self, mut entry: AuditEntry) {
        entry.seq = self.entries.len() as u64 + 1;
        if let Some(file) = &mut self.file {
            match serde_json::to_string(&entry) {
                Ok(mut line) => {
                    line.push('\n');
                    if let Err(e) = file.write_all(line.as_bytes()) {
                        self.write_error.get_or_insert(e.to_string());
                    }
                }
                Err(e) => {
                    self.write_error.get_or_insert(e.to_string());
                }
            }
        }
        self.entries.push(entry);
    }

    pub fn entries(&self) -> &[AuditEntry] {
        &self.entries
    }

    /// The first error met while writing the file, if any (the in-memory log is still whole).
    pub fn write_error(&self) -> Option<&str> {
        self.write_error.as_deref()
    }

    /// Renders entries as JSON lines.
    pub fn to_json_lines(entries: &[AuditEntry]) -> String {
        entries
            .iter()
            .filter_map(|e| serde_json::to_string(e).ok())
            .map(|mut l| {
                l.push('\n');
                l
            })
            .collect()
    }

    /// Renders entries as CSV (RFC 4180 quoting, `\n` line ends), one row per entry; the list
    /// fields (`roles`, `missing`) are joined with `;` as in the matrix export.
    pub fn to_csv(entries: &[AuditEntry]) -> String {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let mut write = || -> csv::Result<()> {
            writer.write_record(CSV_HEADER)?;
            for e in entries {
                writer.write_record([
                    e.seq.to_string().as_str(),
                    &e.time,
                    &e.agent,
                    &e.roles.join(";"),
                    &e.channel,
                    &e.target,
                    &e.stage,
                    &e.action,
                    &e.decision,
                    e.kind.as_deref().unwrap_or(""),
                    &e.missing.join(";"),
                    &e.detail,
                ])?;
            }
            Ok(())
        };
        let result = write();
        match (result, writer.into_inner()) {
            (Ok(()), Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
            (Err(e), _) => format!("error writing CSV: {e}\n"),
            (_, Err(e)) => format!("error writing CSV: {e}\n"),
        }
    }
}

/// The columns of [`AuditLog::to_csv`].
pub const CSV_HEADER: [&str; 12] = [
    "seq", "time", "agent", "roles", "channel", "target", "stage", "action", "decision", "kind",
    "missing", "detail",
];

/// The decisions an entry can carry.
pub const DECISIONS: [&str; 3] = ["allowed", "denied", "invalid"];

/// A selection of audit entries; `None` and an empty text match everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub agent: Option<String>,
    /// An entry matches when the agent held this role at the time.
    pub role: Option<String>,
    pub action: Option<String>,
    pub decision: Option<String>,
    /// Case-insensitive part of the name of a missing privilege.
    pub missing: String,
    /// Simulated time of day, inclusive, to the minute: `to` 09:30 keeps 09:30:59.
    pub from: Option<NaiveTime>,
    pub to: Option<NaiveTime>,
}

impl AuditFilter {
    pub fn matches(&self, e: &AuditEntry) -> bool {
        let needle = self.missing.trim().to_lowercase();
        let in_range = || {
            if self.from.is_none() && self.to.is_none() {
                return true;
            }
            // An entry whose time cannot be read cannot be placed in a range.
            let Some(t) = time_of_day(e) else {
                return false;
            };
            let minute = (t.hour(), t.minute());
            self.from.is_none_or(|f| (f.hour(), f.minute()) <= minute)
                && self.to.is_none_or(|to| minute <= (to.hour(), to.minute()))
        };
        self.agent.as_ref().is_none_or(|a| *a == e.agent)
            && self.role.as_ref().is_none_or(|r| e.roles.contains(r))
            && self.action.as_ref().is_none_or(|a| *a == e.action)
            && self.decision.as_ref().is_none_or(|d| *d == e.decision)
            && (needle.is_empty() || e.missing.iter().any(|m| m.to_lowercase().contains(&needle)))
            && in_range()
    }
}

/// The simulated time of day of an entry (its `time` is `YYYY-MM-DD HH:MM:SS`).
pub fn time_of_day(e: &AuditEntry) -> Option<NaiveTime> {
    NaiveDateTime::parse_from_str(&e.time, "%Y-%m-%d %H:%M:%S")
        .ok()
        .map(|t| t.time())
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
    use super::*;

    fn entry(
        time: &str,
        agent: &str,
        action: &str,
        decision: &str,
        missing: &[&str],
    ) -> AuditEntry {
        AuditEntry {
            seq: 0,
            time: format!("2025-01-06 {time}"),
            agent: agent.into(),
            roles: vec!["Outbound Preview Agent".into()],
            channel: "preview".into(),
            target: "#1".into(),
            stage: "preview".into(),
            action: action.into(),
            decision: decision.into(),
            kind: (decision == "denied").then(|| "privilege".into()),
            missing: missing.iter().map(|s| s.to_string()).collect(),
            detail: "said \"no\", then\nstopped".into(),
        }
    }

    fn sample() -> Vec<AuditEntry> {
        let mut log = AuditLog::default();
        log.record(entry("09:00:00", "Dana", "get-record", "allowed", &[]));
        log.record(entry(
            "09:30:59",
            "Dana",
            "cancel",
            "denied",
            &["Outbound - Can Cancel Record"],
        ));
        log.record(entry(
            "10:15:00",
            "Sam",
            "reschedule",
            "denied",
            &["Outbound - Can Reschedule Before Call"],
        ));
        log.entries().to_vec()
    }

    #[test]
    fn csv_has_a_header_and_one_quoted_row_per_entry() {
        let entries = sample();
        let csv = AuditLog::to_csv(&entries);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            CSV_HEADER.to_vec()
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[1][0], "2");
        assert_eq!(&rows[1][8], "denied");
        assert_eq!(&rows[1][9], "privilege");
        assert_eq!(&rows[1][10], "Outbound - Can Cancel Record");
        assert_eq!(&rows[1][11], "said \"no\", then\nstopped");
        assert_eq!(&rows[0][9], "");
    }

    #[test]
    fn filter_by_fields_missing_text_and_time_range() {
        let entries = sample();
        let count = |f: &AuditFilter| entries.iter().filter(|e| f.matches(e)).count();
        assert_eq!(count(&AuditFilter::default()), 3);
        let denied = AuditFilter {
            decision: Some("denied".into()),
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
