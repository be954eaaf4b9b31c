//! The simulated clock and what happens on it: the event queue, advancing time, traffic
//! (web callback arrivals, push ticks), dial outcomes, and the transcript the engine keeps.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDateTime};
use rand::RngExt;

use crate::engine::Engine;
use crate::policy::Stage;
use crate::world::{
    CallEvent, CallResult, CallbackState, CallbackType, ChainId, ChainPlace, Completion,
    InteractionId, SimTime, WebCallback, call_event, fmt_time,
};

/// Something scheduled to happen at a simulated time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Event {
    CallbackArrival,
    CallbackDue(usize),
    ChainDue(ChainId),
    PushTick,
    DialResolved(InteractionId, usize),
    CustomerHangsUp(InteractionId, usize),
    OfferExpires(InteractionId),
}

/// A line of the engine's transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub time: SimTime,
    pub text: String,
}

impl Engine {
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Increases whenever anything visible changes.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// How many simulation events have run since the world was built.
    pub fn events_handled(&self) -> u64 {
        self.events_handled
    }

    /// The time of the next scheduled event.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.events.keys().next().map(|(t, _)| *t)
    }

    pub(super) fn schedule(&mut self, at: SimTime, event: Event) {
        self.event_seq += 1;
        self.events.insert((at, self.event_seq), event);
    }

    /// Runs every event up to `until` and sets the clock there. Time never goes backwards: an
    /// earlier `until` does nothing.
    pub fn advance_to(&mut self, until: SimTime) {
        while let Some((&(at, seq), _)) = self.events.iter().next() {
            if at > until {
                break;
            }
            let Some(event) = self.events.remove(&(at, seq)) else {
                break;
            };
            if at > self.now {
                self.now = at;
            }
            self.handle(event);
        }
        if until > self.now {
            self.now = until;
            self.revision += 1;
        }
    }

    pub fn advance(&mut self, by: Duration) {
        self.advance_to(self.now + by);
    }

    /// Jumps to the next event and runs it (and any others at the same time).
    pub fn step(&mut self) -> Option<SimTime> {
        let next = self.next_event_time()?;
        self.advance_to(next.max(self.now));
        Some(self.now)
    }

    /// Makes the next dial's real outcome `result` instead of drawing it (for scripted tests).
    pub fn force_next_outcome(&mut self, result: CallResult) {
        self.forced_outcome = Some(result);
    }

    pub(super) fn note(&mut self, text: String) {
        self.revision += 1;
        self.log.push(LogLine {
            time: self.now,
            text,
        });
    }

    /// Transcript lines not yet taken.
    pub fn take_log(&mut self) -> Vec<LogLine> {
        let lines = self.log[self.log_read..].to_vec();
        self.log_read = self.log.len();
        lines
    }

    /// The whole transcript so far.
    pub fn log(&self) -> &[LogLine] {
        &self.log
    }

    fn handle(&mut self, event: Event) {
        self.events_handled += 1;
        match event {
            Event::CallbackArrival => {
                self.new_callback(None);
                self.schedule_next_arrival();
                self.route();
            }
            Event::CallbackDue(i) => {
                if let Some(cb) = self.callbacks.get_mut(&i)
                    && cb.state == CallbackState::Scheduled
                {
                    cb.state = CallbackState::Queued;
                    let text = format!("web callback for {} is due", cb.customer);
                    self.note(text);
                }
                self.route();
            }
            Event::ChainDue(chain) => {
                let c = &mut self.chains[chain.0 as usize - 1];
                if matches!(c.place, ChainPlace::Scheduled(_)) {
                    c.place = ChainPlace::InCampaign;
                    let (campaign, owner) = (c.campaign, c.owner);
                    let name = c.contact_name.clone();
                    self.campaigns[campaign.0 as usize - 1]
                        .queue
                        .push_front(chain);
                    let whose = match owner.and_then(|a| self.agent(a)) {
                        Some(a) => format!(" as a personal callback for {}", a.name),
                        None => String::new(),
                    };
                    self.note(format!(
                        "rescheduled record for {name} is back in its campaign{whose}"
                    ));
                }
            }
            Event::PushTick => {
                self.push_records();
                let next = self.now
                    + Duration::seconds(i64::from(self.scenario.push_interval_seconds.max(5)));
                self.schedule(next, Event::PushTick);
            }
            Event::DialResolved(id, call) => self.resolve_dial(id, call),
            Event::CustomerHangsUp(id, call) => {
                let Some(i) = self.index_of(id) else { return };
                let it = &self.interactions[i];
                if it.calls.len() != call + 1 {
                    return;
                }
                if let Some(stage) = call_event(it.stage, CallEvent::CustomerHungUp) {
                    let now = self.now;
                    let it = &mut self.interactions[i];
                    it.stage = stage;
                    if let Some(c) = it.calls.last_mut() {
                        c.ended_at = Some(now);
                    }
                    self.note(format!("{id}: the customer hung up"));
                }
            }
            Event::OfferExpires(id) => {
                let Some(i) = self.index_of(id) else { return };
                if self.interactions[i].stage == Stage::Offered {
                    self.note(format!("{id}: invitation timed out"));
                    self.return_to_pool(i, Completion::TimedOut, false);
                    self.route();
                }
            }
        }
    }

    pub(super) fn schedule_next_arrival(&mut self) {
        let rate = self.scenario.web_callbacks.per_hour;
        if rate <= 0.0 {
            return;
        }
        // Exponential inter-arrival times give Poisson arrivals.
        let u: f64 = self.rng.random::<f64>().max(1e-12);
        let secs = (-u.ln() / rate * 3600.0).clamp(1.0, 24.0 * 3600.0);
        let at = self.now + Duration::seconds(secs as i64);
        self.schedule(at, Event::CallbackArrival);
    }

    pub(super) fn add_pending(&mut self, callback: WebCallback) -> usize {
        let index = self.next_callback;
        self.next_callback += 1;
        self.callbacks.insert(index, callback);
        index
    }

    fn pick_customer(&mut self) -> (String, String) {
        let lists: Vec<_> = self
            .scenario
            .contact_lists
            .iter()
            .filter(|l| !l.is_empty())
            .collect();
        if lists.is_empty() {
            return ("Web customer".into(), "+1 202 555 0100".into());
        }
        let list = lists[self.rng.random_range(0..lists.len())];
        let row = &list[self.rng.random_range(0..list.len())];
        (
            format!("{} {}", row.first_name, row.last_name),
            row.phones[0].1.clone(),
        )
    }

    pub(super) fn new_callback(&mut self, kind: Option<CallbackType>) -> usize {
        let mix = self.scenario.web_callbacks.mix.clone();
        let kind = kind.unwrap_or_else(|| {
            let weights = [
                mix.immediate,
                mix.delayed,
                mix.scheduled,
                mix.delayed_with_agent_preview,
            ];
            let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
            let mut draw = self.rng.random::<f64>() * total.max(f64::MIN_POSITIVE);
            let mut kind = CallbackType::Immediate;
            for (w, k) in weights.iter().zip(CallbackType::ALL) {
                if draw < w.max(0.0) {
                    kind = k;
                    break;
                }
                draw -= w.max(0.0);
            }
            kind
        });
        let delay_minutes = match kind {
            CallbackType::Immediate => 0,
            CallbackType::Delayed | CallbackType::DelayedWithAgentPreview => {
                self.rng.random_range(5..30)
            }
            CallbackType::Scheduled => self.rng.random_range(30..180),
        };
        let desired = self.now + Duration::minutes(delay_minutes);
        let (customer, number) = self.pick_customer();
        let reasons = &self.scenario.web_callbacks.reasons;
        let reason = if reasons.is_empty() {
            "Callback request".to_string()
        } else {
            reasons[self.rng.random_range(0..reasons.len())].clone()
        };
        let callback = WebCallback {
            kind,
            desired,
            expires: desired
                + Duration::minutes(i64::from(self.scenario.web_callbacks.expires_after_minutes)),
            customer: customer.clone(),
            number,
            reason,
            notes: String::new(),
            state: if delay_minutes == 0 {
                CallbackState::Queued
            } else {
                CallbackState::Scheduled
            },
            disposition: None,
            rejected_by: BTreeSet::new(),
            owner: None,
            behaviour: self.scenario.web_callbacks.behaviour,
        };
        let index = self.add_pending(callback);
        if delay_minutes > 0 {
            self.schedule(desired, Event::CallbackDue(index));
        }
        self.note(format!(
            "new {} web callback request from {customer}, desired {}",
            kind.label().to_lowercase(),
            fmt_time(desired)
        ));
        index
    }

    /// A dial's ringing is over: the call connects or fails with the outcome drawn when it
    /// was dialed.
    fn resolve_dial(&mut self, id: InteractionId, call: usize) {
        let Some(i) = self.index_of(id) else { return };
        let Some(truth) = self.pending_truth.remove(&(id, call)) else {
            return;
        };
        let it = &self.interactions[i];
        if it.calls.len() != call + 1 || it.stage != Stage::Dialing {
            return;
        }
        let now = self.now;
        let event = if truth == CallResult::Answer {
            CallEvent::Answered
        } else {
            CallEvent::Failed
        };
        let Some(stage) = call_event(Stage::Dialing, event) else {
            return;
        };
        let talk = self.rng.random_range(45..240);
        let it = &mut self.interactions[i];
        it.stage = stage;
        if let Some(c) = it.calls.last_mut() {
            c.truth = Some(truth);
            if truth == CallResult::Answer {
                c.connected_at = Some(now);
            } else {
                c.ended_at = Some(now);
            }
        }
        if truth == CallResult::Answer {
            self.schedule(
                now + Duration::seconds(talk),
                Event::CustomerHangsUp(id, call),
            );
            self.note(format!("{id}: the customer answered"));
        } else {
            self.note(format!("{id}: the call ended: {}", truth.label()));
        }
    }
}

/// Parses a reschedule time written as `YYYY-MM-DD HH:MM` or `YYYY-MM-DDTHH:MM[:SS]`.
pub fn parse_time(text: &str) -> Result<SimTime, String> {
    let t = text.trim();
    for fmt in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        // Recorded scripts carry milliseconds, so a replay runs at the exact recorded moment.
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(v) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(v);
        }
    }
    Err(format!(
        "invalid date and time \"{t}\"; expected YYYY-MM-DD HH:MM"
    ))
}
