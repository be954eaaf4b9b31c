//! Learning records at the desk: statements written to the outbox (append + fsync) as the
//! lesson moves, and a sender thread that sends them to the LRS in batches, waking when new
//! statements arrive and backing off (0.5 s doubling, at most a minute) while the LRS is down.
//! The desk reads [`DeskRecords::status`] to say how many statements wait, and why.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::send::{back_off, send_once};
use super::{LrsClient, Outbox, RecordContext, Statement};

/// The longest pause between tries at the desk.
pub const DESK_PAUSE: Duration = Duration::from_secs(60);
/// How often an idle sender looks at the outbox anyway (another process may have added to it).
const IDLE: Duration = Duration::from_secs(10);

/// Who the desk records as and where.
#[derive(Clone, Debug)]
pub struct RecordConfig {
    pub trainee: String,
    pub home_page: String,
    pub activity_base: String,
    pub outbox: std::path::PathBuf,
    pub lrs: Option<LrsClient>,
}

/// What the desk says about its statements.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeskStatus {
    pub waiting: usize,
    pub rejected: usize,
    /// Why statements wait: the LRS's last failure, or that no LRS is named.
    pub why: Option<String>,
    /// A statement could not be written to the outbox (the disk): said loudly.
    pub write_error: Option<String>,
}

pub struct DeskRecords {
    pub config: RecordConfig,
    outbox: Outbox,
    status: Arc<Mutex<DeskStatus>>,
    wake: Option<Sender<()>>,
}

impl DeskRecords {
    /// Opens the outbox and starts the sender when an LRS is named.
    pub fn start(config: RecordConfig) -> std::io::Result<DeskRecords> {
        let outbox = Outbox::open(&config.outbox)?;
        let counts = outbox.counts()?;
        let status = Arc::new(Mutex::new(DeskStatus {
            waiting: counts.waiting,
            rejected: counts.rejected,
            why: match &config.lrs {
                None => Some("no LRS is named (--lrs)".into()),
                Some(_) => counts.status.last_error.clone(),
            },
            write_error: None,
        }));
        let wake = config.lrs.clone().map(|client| {
            let (tx, rx) = channel();
            let (o, s) = (outbox.clone(), status.clone());
            std::thread::spawn(move || sender(o, client, s, rx));
            let _ = tx.send(());
            tx
        });
        Ok(DeskRecords {
            config,
            outbox,
            status,
            wake,
        })
    }

    /// The context of a new run of `activity` (a lesson file) by the desk's trainee.
    pub fn context(&self, activity: &str) -> RecordContext {
        let run = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, false);
        let mut c = RecordContext::new(&self.config.trainee, activity, &run);
        c.home_page = self.config.home_page.clone();
        c.activity_base = self.config.activity_base.clone();
        c
    }

    /// Writes the statements durably, then wakes the sender.
    pub fn record(&self, statements: &[Statement]) {
        if statements.is_empty() {
            return;
        }
        let written = self.outbox.append(statements);
        if let Ok(mut s) = self.status.lock() {
            match written {
                Ok(()) => s.waiting += statements.len(),
                Err(e) => {
                    s.write_error = Some(format!(
                        "cannot write to the outbox {}: {e}",
                        self.outbox.dir().display()
                    ))
                }
            }
        }
        if let Some(w) = &self.wake {
            let _ = w.send(());
        }
    }

    pub fn status(&self) -> DeskStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// Sends what waits whenever woken (but not before a back-off is over), or after the idle
/// pause; ends with the desk.
fn sender(outbox: Outbox, client: LrsClient, status: Arc<Mutex<DeskStatus>>, wake: Receiver<()>) {
    let mut failures = 0u32;
    let mut next_try = Instant::now();
    loop {
        let timeout = if failures > 0 {
            next_try.saturating_duration_since(Instant::now())
        } else {
            IDLE
        };
        match wake.recv_timeout(timeout) {
            Err(RecvTimeoutError::Disconnected) => return,
            Ok(()) if failures > 0 && Instant::now() < next_try => continue,
            _ => {}
        }
        let report = send_once(&outbox, &client);
        let counts = outbox.counts().ok();
        if let Ok(mut s) = status.lock() {
            if let Some(c) = counts {
                s.waiting = c.waiting;
                s.rejected = c.rejected;
            }
            s.why = match &report {
                Ok(r) => r.error.as_ref().map(ToString::to_string),
                Err(e) => Some(format!("the outbox: {e}")),
            };
        }
        if report.map_or(true, |r| r.error.is_some()) {
            failures = failures.saturating_add(1);
            next_try = Instant::now() + back_off(failures - 1, DESK_PAUSE);
        } else {
            failures = 0;
        }
    }
}
