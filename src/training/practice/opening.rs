//! When a practice shift opens: on work the trainee can actually do. A shift that starts at
//! the scenario's start time may hand a trainee a record whose contact may not be called for
//! hours (a Pacific contact at 08:30 Eastern); the shift opens instead when the first record
//! of each outbound channel the trainee works may be dialled.

use chrono::{Days, Duration};

use crate::engine::Engine;
use crate::policy::{Action, Channel, Facts, PrivilegeSet, Stage, authorize};
use crate::world::{CampaignMode, PreviewRecord, SimTime, fmt_time};

/// When a shift opens, and why not at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opening {
    pub at: SimTime,
    /// Why the shift waits, in words a class reads; `None` when it opens at once.
    pub why: Option<String>,
}

/// The channels an agent holding `granted` works: it may take their records and dial them.
fn works(granted: PrivilegeSet, channel: Channel) -> bool {
    let may = |action, stage| authorize(granted, channel, action, stage, &Facts::default()).is_ok();
    match channel {
        Channel::Preview => {
            may(Action::GetRecord, Stage::Campaign) && may(Action::Dial, Stage::Preview)
        }
        Channel::PushPreview => {
            may(Action::Accept, Stage::Offered) && may(Action::Dial, Stage::Preview)
        }
        Channel::WebCallback => may(Action::Accept, Stage::Offered),
    }
}

/// When the record a channel would hand out first may be called, from `engine.now()` on:
/// the first running campaign's next record, on its selected number.
fn first_record_opens(engine: &Engine, mode: CampaignMode) -> Option<(SimTime, String)> {
    let campaign = engine.first_running_campaign(mode)?;
    let c = engine.campaign(campaign)?;
    let chain = engine.chain(c.queue.front()?)?;
    let record = chain.records.get(chain.selected)?;
    let at = window_opens(record, engine.now());
    Some((
        at,
        format!(
            "{} ({}) may be called {} {} time, from {} here",
            chain.contact_name,
            c.name,
            record.window,
            record.time_zone.name,
            at.format("%H:%M")
        ),
    ))
}

/// The first time from `now` at which `record`'s contact is inside the calling window.
pub fn window_opens(record: &PreviewRecord, now: SimTime) -> SimTime {
    let local = record.time_zone.local(now);
    if record.window.contains(local.time()) {
        return now;
    }
    let mut day = local.date();
    if local.time() >= record.window.from {
        day = day.checked_add_days(Days::new(1)).unwrap_or(day);
    }
    let opens = day.and_time(record.window.from);
    now + (opens - local).max(Duration::zero())
}

/// When a practice shift for an agent holding `roles` (indexes into the engine's role book)
/// opens on `engine`'s day: now, or when the first record of every outbound channel the
/// agent works may be dialled.
pub fn workable_start(engine: &Engine, roles: &[usize]) -> Opening {
    let granted = engine.roles().grant_of(roles);
    let mut opening = Opening {
        at: engine.now(),
        why: None,
    };
    for (channel, mode) in [
        (Channel::Preview, CampaignMode::Preview),
        (Channel::PushPreview, CampaignMode::PushPreview),
    ] {
        if !works(granted, channel) {
            continue;
        }
        if let Some((at, why)) = first_record_opens(engine, mode)
            && at > opening.at
        {
            opening = Opening {
                at,
                why: Some(format!(
                    "The shift starts at {}, not {}: {why}, so the first record you get can \
                     be dialled.",
                    fmt_time(at),
                    fmt_time(engine.now())
                )),
            };
        }
    }
    opening
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::roles::RoleBook;
    use crate::world::scenario::Scenario;

    #[test]
    fn a_preview_trainee_starts_when_the_first_contact_may_be_called() {
        let book = RoleBook::embedded_default();
        let engine = Engine::new(book.clone(), Scenario::embedded_default(), 7);
        let dana = &book.agents[book.find_agent("Dana").unwrap()].roles;
        let opening = workable_start(&engine, dana);
        // Nora Scott, Pacific, 08:00-18:00: 11:00 Eastern.
        assert_eq!(opening.at.format("%H:%M").to_string(), "11:00");
        let why = opening.why.unwrap();
        assert!(why.contains("Nora Scott (Winter Renewals)"), "{why}");
        let wes = &book.agents[book.find_agent("Wes").unwrap()].roles;
        assert_eq!(workable_start(&engine, wes).at, engine.now());
    }
}
