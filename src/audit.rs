//! The audit log: one JSON line per attempted command, allowed, denied or invalid.
//!
//! Each entry is written with a single `write` call as soon as it is made, so a killed
//! process leaves a log that is complete up to its last entry.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

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
}
