//! Sending the outbox: batches in order, each removed once the LRS confirmed it. A batch the
//! LRS refuses (4xx) is sent again one statement at a time, so only the statements it refuses
//! are kept apart (with its answer) and the rest go through. An LRS that is down or failing
//! (no answer, 5xx) is tried again after a back-off; refused credentials are not.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value;

use super::{LrsClient, LrsError, Outbox};

/// Statements per `POST`.
pub const BATCH: usize = 50;

/// What a send did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SendReport {
    pub sent: usize,
    pub rejected: usize,
    /// Statements still waiting afterwards.
    pub waiting: usize,
    /// Why statements still wait (the last failure).
    pub error: Option<LrsError>,
}

/// The delay before try `n` (0-based) after a failure: 0.5 s doubling, at most `cap`.
pub fn back_off(n: u32, cap: Duration) -> Duration {
    Duration::from_millis(500u64.saturating_mul(1u64 << n.min(16))).min(cap)
}

/// Sends what waits, trying again up to `tries` times in all with back-off while the LRS is
/// down or failing.
pub fn send_with_retries(
    outbox: &Outbox,
    client: &LrsClient,
    tries: u32,
    cap: Duration,
) -> std::io::Result<SendReport> {
    let mut total = SendReport::default();
    for n in 0..tries.max(1) {
        if n > 0 {
            std::thread::sleep(back_off(n - 1, cap));
        }
        let report = send_once(outbox, client)?;
        total.sent += report.sent;
        total.rejected += report.rejected;
        total.waiting = report.waiting;
        total.error = report.error;
        if !total.error.as_ref().is_some_and(LrsError::is_transient) {
            break;
        }
    }
    Ok(total)
}

/// One pass over the outbox: every batch until it is empty or the LRS fails.
pub fn send_once(outbox: &Outbox, client: &LrsClient) -> std::io::Result<SendReport> {
    let mut report = SendReport::default();
    loop {
        let pending = outbox.pending()?;
        if pending.is_empty() {
            break;
        }
        let batch: Vec<Value> = pending.into_iter().take(BATCH).collect();
        match client.post(&batch) {
            Ok(()) => {
                outbox.remove(&ids(&batch))?;
                report.sent += batch.len();
            }
            Err(LrsError::Rejected { .. }) => {
                if let Some(e) = one_by_one(outbox, client, &batch, &mut report)? {
                    report.error = Some(e);
                    break;
                }
            }
            Err(e) => {
                report.error = Some(e);
                break;
            }
        }
    }
    outbox.record_attempt(report.error.as_ref().map(ToString::to_string).as_deref())?;
    report.waiting = outbox.pending()?.len();
    Ok(report)
}

/// Sends a refused batch statement by statement; the failure that stopped it, if one did.
fn one_by_one(
    outbox: &Outbox,
    client: &LrsClient,
    batch: &[Value],
    report: &mut SendReport,
) -> std::io::Result<Option<LrsError>> {
    for statement in batch {
        match client.post(std::slice::from_ref(statement)) {
            Ok(()) => {
                outbox.remove(&ids(std::slice::from_ref(statement)))?;
                report.sent += 1;
            }
            Err(LrsError::Rejected {
                lrs,
                status,
                answer,
            }) => {
                outbox.reject(statement, &lrs, status, &answer)?;
                report.rejected += 1;
            }
            Err(e) => return Ok(Some(e)),
        }
    }
    Ok(None)
}

fn ids(batch: &[Value]) -> HashSet<String> {
    batch
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect()
}
