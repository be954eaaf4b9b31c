//! Simulated time: the centre's clock, contact time zones and calling windows.

use std::fmt;

use std::sync::Arc;

use chrono::{Duration, NaiveDateTime, NaiveTime, Timelike};
use serde::Serialize;

/// A point in simulated time, in the contact centre's local time.
pub type SimTime = NaiveDateTime;

/// `t + d`, to the nanosecond the same, taking a short cut for the engine's common case: a
/// whole number of seconds that stays within `t`'s day (chrono's general arithmetic costs
/// more than most events do). Panics where `t + d` would: past the last time chrono holds.
pub fn plus(t: SimTime, d: Duration) -> SimTime {
    let second = i64::from(t.num_seconds_from_midnight()) + d.num_seconds();
    // A leap second (a nanosecond past a billion) keeps chrono's own rule.
    if d.subsec_nanos() == 0
        && t.nanosecond() < 1_000_000_000
        && (0..86_400).contains(&second)
        && let Some(time) =
            NaiveTime::from_num_seconds_from_midnight_opt(second as u32, t.nanosecond())
    {
        return t.date().and_time(time);
    }
    t + d
}

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
    /// Behind one thin pointer (a record holds up to three zones, a chain up to three records).
    #[serde(serialize_with = "shared_text")]
    pub name: Arc<String>,
    /// Minutes to add to centre time to get the contact's local time.
    pub offset_from_centre_minutes: i32,
}

/// Writes shared text as a plain string (serde's `rc` feature is not enabled).
fn shared_text<S: serde::Serializer>(text: &Arc<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(text)
}

impl TimeZone {
    pub fn new(name: &str, offset_from_centre_minutes: i32) -> TimeZone {
        TimeZone {
            name: Arc::new(name.to_string()),
            offset_from_centre_minutes,
        }
    }

    pub fn local(&self, centre: SimTime) -> SimTime {
        plus(
            centre,
            Duration::minutes(i64::from(self.offset_from_centre_minutes)),
        )
    }

    /// The contact's time of day at centre time `centre`: [`TimeZone::local`]'s time, without
    /// its date arithmetic (every dial decision asks it).
    pub fn local_time(&self, centre: SimTime) -> NaiveTime {
        let offset = i64::from(self.offset_from_centre_minutes) * 60;
        let second = (i64::from(centre.num_seconds_from_midnight()) + offset).rem_euclid(86_400);
        // A leap second keeps chrono's own rule.
        if centre.nanosecond() < 1_000_000_000
            && let Some(time) =
                NaiveTime::from_num_seconds_from_midnight_opt(second as u32, centre.nanosecond())
        {
            return time;
        }
        centre
            .time()
            .overflowing_add_signed(Duration::seconds(offset))
            .0
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

    proptest::proptest! {
        /// The time of day alone is the whole local time's, for any time and offset.
        #[test]
        fn local_time_is_the_time_of_local(
            seconds in 0i64..4_000_000_000,
            nanos in 0u32..2_000_000_000,
            offset in -1_440i32..=1_440,
        ) {
            let Some(centre) = chrono::DateTime::from_timestamp(seconds, nanos) else {
                return Ok(());
            };
            let centre = centre.naive_utc();
            let zone = TimeZone::new("Z", offset);
            proptest::prop_assert_eq!(zone.local_time(centre), zone.local(centre).time());
        }
    }

    proptest::proptest! {
        /// The short cut gives exactly chrono's sum, leap seconds and day changes included.
        #[test]
        fn plus_is_chronos_sum(
            seconds in 0i64..4_000_000_000,
            nanos in 0u32..2_000_000_000,
            by in -200_000i64..200_000,
            by_nanos in proptest::prop_oneof![proptest::strategy::Just(0i64), 0i64..1_000_000_000],
        ) {
            // A leap second's nanoseconds past a billion exist only at a minute's last second.
            let Some(t) = chrono::DateTime::from_timestamp(seconds, nanos) else {
                return Ok(());
            };
            let t = t.naive_utc();
            let d = Duration::seconds(by) + Duration::nanoseconds(by_nanos);
            proptest::prop_assert_eq!(plus(t, d), t + d);
        }
    }

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
