//! Simulated time: the centre's clock, contact time zones and calling windows.

use std::fmt;

use std::sync::Arc;

use chrono::{Duration, NaiveDateTime, NaiveTime, Timelike};
use serde::Serialize;

/// A point in simulated time, in the contact centre's local time.
pub type SimTime = NaiveDateTime;

/// Formats a simulated time the way transcripts and the desktop show it.
pub fn fmt_time(t: SimTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}
/// The daily span of the contact's local time in which the contact may be called.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CallingWindow {
    pub from: NaiveTime,
    pub till: NaiveTime,
}

impl CallingWindow {
    pub fn contains(&self, local: NaiveTime) -> bool {
        if self.from <= self.till {
            local >= self.from && local < self.till
        } else {
            local >= self.from || local < self.till
        }
    }
}

impl fmt::Display for CallingWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.from.format("%H:%M"),
            self.till.format("%H:%M")
        )
    }
}

/// A contact time zone as a fixed offset from the centre's time, with a display name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimeZone {
    /// Shared by every record in the zone: a record built from a contact row copies no text.
    #[serde(serialize_with = "shared_text")]
    pub name: Arc<str>,
    /// Minutes to add to centre time to get the contact's local time.
    pub offset_from_centre_minutes: i32,
}

/// Writes shared text as a plain string (serde's `rc` feature is not enabled).
fn shared_text<S: serde::Serializer>(text: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(text)
}

impl TimeZone {
    pub fn local(&self, centre: SimTime) -> SimTime {
        centre + Duration::minutes(i64::from(self.offset_from_centre_minutes))
    }

    pub fn to_centre(&self, local: SimTime) -> SimTime {
        local - Duration::minutes(i64::from(self.offset_from_centre_minutes))
    }
}

/// Seconds since midnight, for compact display of local times.
pub fn local_clock(t: SimTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calling_window_handles_overnight_spans() {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        let day = CallingWindow {
            from: t(8),
            till: t(21),
        };
        assert!(day.contains(t(8)) && !day.contains(t(21)) && !day.contains(t(3)));
        let night = CallingWindow {
            from: t(22),
            till: t(2),
        };
        assert!(night.contains(t(23)) && night.contains(t(1)) && !night.contains(t(12)));
    }
}
