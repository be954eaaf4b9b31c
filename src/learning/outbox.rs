//! The outbox: a directory where statements wait for the LRS. A statement is recorded once it
//! is appended to `pending.jsonl` and fsynced; it leaves that file only when the LRS confirmed
//! it (the file is rewritten beside itself and renamed over, so a crash leaves the old or the
//! new file, never half of one). A statement the LRS rejected moves to `rejected.jsonl` with
//! the LRS's answer. `status.json` says why statements wait (the last failure and when the next
//! try is due). Every change holds an exclusive lock on `lock`, so a desk and `agentdesk lrs
//! send` on the same outbox do not lose each other's statements.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Statement;

const PENDING: &str = "pending.jsonl";
const REJECTED: &str = "rejected.jsonl";
const STATUS: &str = "status.json";
const LOCK: &str = "lock";

/// Why statements wait: the last attempt to send them that failed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SendStatus {
    /// Failed attempts in a row.
    pub failures: u32,
    /// What went wrong the last time (no secret in it), `None` after a success.
    pub last_error: Option<String>,
    /// Wall-clock time (RFC 3339) of the last attempt.
    pub last_try: Option<String>,
}

/// What the outbox holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutboxCounts {
    pub waiting: usize,
    pub rejected: usize,
    pub status: SendStatus,
}

#[derive(Clone, Debug)]
pub struct Outbox {
    dir: PathBuf,
}

impl Outbox {
    /// The outbox in `dir`, created when missing.
    pub fn open(dir: &Path) -> io::Result<Outbox> {
        std::fs::create_dir_all(dir)?;
        Ok(Outbox {
            dir: dir.to_path_buf(),
        })
    }

    /// The default outbox: `$XDG_DATA_HOME/agentdesk/outbox` (or `~/.local/share/...`).
    pub fn default_dir() -> PathBuf {
        let data = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(std::env::temp_dir);
        data.join("agentdesk").join("outbox")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Appends the statements and fsyncs them: when this returns Ok they survive a crash.
    pub fn append(&self, statements: &[Statement]) -> io::Result<()> {
        if statements.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for s in statements {
            text.push_str(&s.to_json().to_string());
            text.push('\n');
        }
        let _lock = self.lock()?;
        append_synced(&self.dir.join(PENDING), text.as_bytes())?;
        sync_dir(&self.dir);
        Ok(())
    }

    /// The statements waiting, oldest first (a line a crash tore is left out).
    pub fn pending(&self) -> io::Result<Vec<Value>> {
        read_lines(&self.dir.join(PENDING))
    }

    /// The rejected statements, each with the LRS's answer.
    pub fn rejected(&self) -> io::Result<Vec<Value>> {
        read_lines(&self.dir.join(REJECTED))
    }

    /// Takes the statements with these ids out (the LRS confirmed them).
    pub fn remove(&self, ids: &HashSet<String>) -> io::Result<()> {
        let _lock = self.lock()?;
        self.remove_locked(ids)
    }

    fn remove_locked(&self, ids: &HashSet<String>) -> io::Result<()> {
        let path = self.dir.join(PENDING);
        let kept: Vec<Value> = read_lines(&path)?
            .into_iter()
            .filter(|s| !s["id"].as_str().is_some_and(|id| ids.contains(id)))
            .collect();
        let mut text = String::new();
        for s in &kept {
            text.push_str(&s.to_string());
            text.push('\n');
        }
        replace_synced(&self.dir, &path, text.as_bytes())
    }

    /// Moves a statement the LRS refused to the rejected file, with its answer.
    pub fn reject(
        &self,
        statement: &Value,
        lrs: &str,
        status: u16,
        answer: &str,
    ) -> io::Result<()> {
        let _lock = self.lock()?;
        let line = json!({
            "statement": statement,
            "lrs": lrs,
            "status": status,
            "answer": answer,
            "at": chrono::Local::now().to_rfc3339(),
        });
        append_synced(&self.dir.join(REJECTED), format!("{line}\n").as_bytes())?;
        let id = statement["id"].as_str().unwrap_or_default().to_string();
        self.remove_locked(&HashSet::from([id]))
    }

    pub fn status(&self) -> SendStatus {
        std::fs::read_to_string(self.dir.join(STATUS))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Records how the last attempt to send went (`None`: it went through).
    pub fn record_attempt(&self, error: Option<&str>) -> io::Result<()> {
        let _lock = self.lock()?;
        let mut status = self.status();
        match error {
            Some(e) => {
                status.failures += 1;
                status.last_error = Some(e.to_string());
            }
            None => {
                status.failures = 0;
                status.last_error = None;
            }
        }
        status.last_try = Some(chrono::Local::now().to_rfc3339());
        let text = serde_json::to_string_pretty(&status).unwrap_or_default();
        replace_synced(&self.dir, &self.dir.join(STATUS), text.as_bytes())
    }

    pub fn counts(&self) -> io::Result<OutboxCounts> {
        Ok(OutboxCounts {
            waiting: self.pending()?.len(),
            rejected: self.rejected()?.len(),
            status: self.status(),
        })
    }

    fn lock(&self) -> io::Result<Lock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir.join(LOCK))?;
        Lock::take(file)
    }
}

/// An exclusive lock on the outbox, released when dropped (and by the system when the process
/// ends).
struct Lock(#[allow(dead_code)] File);

impl Lock {
    #[cfg(unix)]
    fn take(file: File) -> io::Result<Lock> {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor this function owns; no memory is involved.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Lock(file))
    }

    #[cfg(not(unix))]
    fn take(file: File) -> io::Result<Lock> {
        Ok(Lock(file))
    }
}

fn append_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    // One write of whole lines: a crash can tear only the last line, which reading skips.
    file.write_all(bytes)?;
    file.sync_all()
}

/// Writes `bytes` beside `path`, fsyncs, renames over `path`, fsyncs the directory.
fn replace_synced(dir: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

fn sync_dir(dir: &Path) {
    // A directory cannot be opened for syncing everywhere; the files themselves were synced.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn read_lines(path: &Path) -> io::Result<Vec<Value>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line?;
        if let Ok(v) = serde_json::from_str::<Value>(&line) {
            out.push(v);
        }
    }
    Ok(out)
}
