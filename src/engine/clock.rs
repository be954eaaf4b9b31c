//! The simulated clock and what happens on it: the event queue, advancing time, traffic
//! (web callback arrivals, push ticks), dial outcomes, and the transcript the engine keeps.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use chrono::{Duration, NaiveDateTime};
use rand::RngExt;

use crate::engine::Engine;
use crate::engine::transcript::{CallbackEvent, Note};
use crate::policy::Stage;
use crate::world::{
    Call, CallEvent, CallResult, CallbackState, CallbackType, ChainId, ChainPlace, Completion,
    InteractionId, SimTime, WebCallback, call_event, plus,
};

/// The customer and number of a web callback when the scenario has no contact to draw one from.
const WEB_CUSTOMER: (&str, &str) = ("Web customer", "+1 202 555 0100");

/// An event in the queue: at `at`, in the order scheduled (`seq`) among simultaneous ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Queued {
    pub(super) at: SimTime,
    pub(super) seq: u64,
    pub(super) event: Event,
}

impl Queued {
    fn push_tick((at, seq): (SimTime, u64)) -> Queued {
        Queued {
            at,
            seq,
            event: Event::PushTick,
        }
    }
}

impl Ord for Queued {
    fn cmp(&self, other: &Queued) -> std::cmp::Ordering {
        // (time, sequence) is unique, so the event itself never decides.
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Queued) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The event queue: earliest first, then first scheduled. Records and callbacks scheduled
/// for later (hours ahead, and most of what waits on a busy floor) are kept apart from the
/// events of calls in progress and offers, so taking the next call event walks a small heap
/// rather than one as deep as every scheduled callback. The two are merged by `(at, seq)`,
/// which is unique, so the order is exactly that of one queue.
#[derive(Clone, Debug, Default)]
pub(super) struct EventQueue {
    soon: BinaryHeap<Reverse<Queued>>,
    later: BinaryHeap<Reverse<Queued>>,
}

impl EventQueue {
    pub(super) fn push(&mut self, queued: Queued) {
        match queued.event {
            Event::ChainDue(_) | Event::CallbackDue(_) => self.later.push(Reverse(queued)),
            _ => self.soon.push(Reverse(queued)),
        }
    }

    /// Whether the next event is in `later`.
    fn later_first(&self) -> bool {
        match (self.soon.peek(), self.later.peek()) {
            (Some(Reverse(soon)), Some(Reverse(later))) => later < soon,
            (soon, later) => soon.is_none() && later.is_some(),
        }
    }

    pub(super) fn peek(&self) -> Option<&Queued> {
        let heap = if self.later_first() {
            &self.later
        } else {
            &self.soon
        };
        heap.peek().map(|Reverse(q)| q)
    }

    pub(super) fn pop(&mut self) -> Option<Queued> {
        let heap = if self.later_first() {
            &mut self.later
        } else {
            &mut self.soon
        };
        heap.pop().map(|Reverse(q)| q)
    }
}

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

/// The push campaigns' timer. Its ticks fall on a fixed grid from the start; a tick is in the
/// event queue only while a push could happen (an agent free for push preview and a record
/// waiting in a running push campaign). While idle, the timer keeps the grid and the sequence
/// number each tick would have taken, so work that starts waiting again is pushed at the same
/// tick, in the same order among simultaneous events, as if the timer had ticked all along.
#[derive(Clone, Debug)]
pub(super) struct PushTimer {
    pub(super) interval: Duration,
    /// The time and sequence number of the next tick.
    pub(super) next: (SimTime, u64),
    /// Whether that tick is in the event queue.
    pub(super) armed: bool,
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
        self.events.peek().map(|queued| queued.at)
    }

    pub(super) fn schedule(&mut self, at: SimTime, event: Event) {
        self.event_seq += 1;
        self.events.push(Queued {
            at,
            seq: self.event_seq,
            event,
        });
    }

    /// Runs every event up to `until` and sets the clock there. Time never goes backwards: an
    /// earlier `until` does nothing.
    pub fn advance_to(&mut self, until: SimTime) {
        loop {
            let next = self
                .events
                .peek()
                .map(|queued| (queued.at, queued.seq))
                .filter(|(at, _)| *at <= until);
            self.pass_idle_push_ticks(next.unwrap_or((until, u64::MAX)));
            if next.is_none() {
                break;
            }
            let Some(queued) = self.events.pop() else {
                break;
            };
            if queued.at > self.now {
                self.now = queued.at;
            }
            self.handle(queued.event);
        }
        if until > self.now {
            self.now = until;
            self.revision += 1;
        }
    }

    /// Ticks of an idle push timer (nothing to push) before `limit` do nothing but take the
    /// sequence numbers a ticking timer would have taken, so everything scheduled later keeps
    /// its place among simultaneous events. Counted in one step, however long the gap.
    fn pass_idle_push_ticks(&mut self, limit: (SimTime, u64)) {
        let Some(timer) = &mut self.push else { return };
        if timer.armed || timer.next >= limit {
            return;
        }
        let (at, seq) = timer.next;
        let nanos = |d: Duration| i128::from(d.num_nanoseconds().unwrap_or(i64::MAX));
        let (gap, step) = (nanos(limit.0 - at), nanos(timer.interval).max(1));
        // Every tick strictly before the limit's time passes...
        let mut passed = if gap > 0 { (gap + step - 1) / step } else { 0 };
        let mut next_at = at + Duration::nanoseconds((passed * step) as i64);
        // ...and one at the limit's own time if its number comes first.
        let next_seq = if passed == 0 {
            seq
        } else {
            self.event_seq + passed as u64
        };
        if next_at == limit.0 && next_seq < limit.1 {
            passed += 1;
            next_at += timer.interval;
        }
        self.event_seq += passed as u64;
        timer.next = (next_at, self.event_seq);
    }

    /// The first time at or after `t` that the push timer ticks, whether or not the tick is in
    /// the event queue. An idle tick changes nothing, but whoever polls the world at every
    /// event time (the autopilot) polls at ticks too, so its agents act at the same moments
    /// whether or not a tick had work.
    pub fn push_tick_at_or_after(&self, t: SimTime) -> Option<SimTime> {
        let timer = self.push.as_ref()?;
        let (next, _) = timer.next;
        if t <= next {
            return Some(next);
        }
        let nanos = |d: Duration| i128::from(d.num_nanoseconds().unwrap_or(i64::MAX));
        let step = nanos(timer.interval).max(1);
        let ticks = (nanos(t - next) + step - 1) / step;
        Some(next + Duration::nanoseconds((ticks * step) as i64))
    }

    /// Puts the push timer's next tick into the event queue if a push could happen now, at
    /// the time and sequence number it keeps while idle.
    pub(super) fn wake_push_timer(&mut self) {
        if self.push.as_ref().is_none_or(|t| t.armed) || !self.push_could_offer() {
            return;
        }
        if let Some(timer) = &mut self.push {
            timer.armed = true;
            self.events.push(Queued::push_tick(timer.next));
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
                    let customer = cb.customer.clone();
                    let personal = cb.owner.is_some();
                    self.callbacks_queued.insert((!personal, i));
                    self.note(Note::callback(customer, CallbackEvent::Due));
                }
                self.route();
            }
            Event::ChainDue(chain) => {
                let c = &mut self.chains[chain];
                if matches!(c.place, ChainPlace::Scheduled(_)) {
                    c.place = ChainPlace::InCampaign;
                    let (campaign, owner) = (c.campaign, c.owner);
                    self.campaigns[campaign].queue.push_front(chain);
                    if let Some(owner) = owner {
                        *self.personal_queued.entry((campaign, owner)).or_default() += 1;
                    }
                    self.queue_revision += 1;
                    // The owner now: it is cleared when the record reaches its agent.
                    self.note(Note::RecordBack { chain, owner });
                    self.wake_push_timer();
                }
            }
            Event::PushTick => {
                self.push_records();
                // The next tick takes its number now, as a ticking timer's would; it goes into
                // the queue only if a push could happen then.
                self.event_seq += 1;
                let seq = self.event_seq;
                let could_offer = self.push_could_offer();
                if let Some(timer) = &mut self.push {
                    timer.next = (plus(self.now, timer.interval), seq);
                    timer.armed = could_offer;
                    if could_offer {
                        self.events.push(Queued::push_tick(timer.next));
                    }
                }
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
                    let agent = it.agent;
                    self.note(Note::CustomerHungUp(id));
                    self.touch(agent);
                }
            }
            Event::OfferExpires(id) => {
                let Some(i) = self.index_of(id) else { return };
                if self.interactions[i].stage == Stage::Offered {
                    self.note(Note::InvitationTimedOut(id));
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
        let at = plus(self.now, Duration::seconds(secs as i64));
        self.schedule(at, Event::CallbackArrival);
    }

    /// Files a callback as waiting in the service, by expiry and, when queued, as one routing
    /// may offer.
    pub(super) fn add_pending(&mut self, callback: WebCallback) -> usize {
        let index = self.next_callback;
        self.next_callback += 1;
        self.callback_expiry.insert((callback.expires, index));
        if callback.state == CallbackState::Queued {
            self.callbacks_queued
                .insert((callback.owner.is_none(), index));
        }
        self.callbacks.insert(index, callback);
        index
    }

    /// Where routing looks at a waiting callback: personal callbacks first, then by arrival.
    /// (A callback's owner does not change while it waits.)
    pub(super) fn routing_key(&self, index: usize) -> (bool, usize) {
        let personal = self
            .callbacks
            .get(&index)
            .is_some_and(|cb| cb.owner.is_some());
        (!personal, index)
    }

    /// Takes a waiting callback out of the service (offered, or expired).
    pub(super) fn take_callback(&mut self, index: usize) -> Option<WebCallback> {
        let callback = self.callbacks.remove(&index)?;
        self.callback_expiry.remove(&(callback.expires, index));
        self.callbacks_queued
            .remove(&(callback.owner.is_none(), index));
        Some(callback)
    }

    fn pick_customer(&mut self) -> (String, String) {
        let lists: Vec<_> = self
            .scenario
            .contact_lists
            .iter()
            .filter(|l| !l.is_empty())
            .collect();
        // Read as borrowed text: a `ContactRow` would be made (and kept) for every customer.
        let row = (!lists.is_empty())
            .then(|| lists[self.rng.random_range(0..lists.len())])
            .and_then(|list| list.view(self.rng.random_range(0..list.len())));
        let (name, number) = WEB_CUSTOMER;
        match row {
            Some(row) => (
                format!("{} {}", row.first_name(), row.last_name()),
                row.phones().next().map_or(number, |(_, n)| n).to_string(),
            ),
            None => (name.into(), number.into()),
        }
    }

    pub(super) fn new_callback(&mut self, kind: Option<CallbackType>) -> usize {
        let mix = self.scenario.web_callbacks.mix.clone();
        let kind = kind.unwrap_or_else(|| {
            let weights = [mix.asap, mix.scheduled];
            let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
            let mut draw = self.rng.random::<f64>() * total.max(f64::MIN_POSITIVE);
            let mut kind = CallbackType::Asap;
            for (w, k) in weights.iter().zip(CallbackType::ALL) {
                if draw < w.max(0.0) {
                    kind = k;
                    break;
                }
                draw -= w.max(0.0);
            }
            kind
        });
        // A scheduled request is for a time the customer chose on the web form, later today.
        let delay_minutes = match kind {
            CallbackType::Asap => 0,
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
        self.note(Note::callback(
            customer,
            CallbackEvent::Requested { kind, desired },
        ));
        index
    }

    /// A dial's ringing is over: the call connects or fails with the outcome drawn when it
    /// was dialed.
    fn resolve_dial(&mut self, id: InteractionId, call: usize) {
        let Some(i) = self.index_of(id) else { return };
        let Some(truth) = self.interactions[i]
            .calls
            .get_mut(call)
            .and_then(Call::take_pending)
        else {
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
        let agent = it.agent;
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
                plus(now, Duration::seconds(talk)),
                Event::CustomerHangsUp(id, call),
            );
            self.note(Note::Answered(id));
        } else {
            self.note(Note::CallEnded { id, result: truth });
        }
        self.touch(agent);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn event(kind: u8, n: u32) -> Event {
        match kind % 5 {
            0 => Event::ChainDue(ChainId(n + 1)),
            1 => Event::CallbackDue(n as usize),
            2 => Event::DialResolved(InteractionId(n + 1), 0),
            3 => Event::OfferExpires(InteractionId(n + 1)),
            _ => Event::PushTick,
        }
    }

    proptest! {
        /// The split queue gives every event in exactly the order one heap would.
        #[test]
        fn the_split_queue_pops_in_the_order_of_one_heap(
            ops in proptest::collection::vec((any::<bool>(), 0u8..5, 0u32..50, 0i64..40), 0..200)
        ) {
            let start = SimTime::default();
            let (mut split, mut one) = (EventQueue::default(), BinaryHeap::new());
            for (seq, (push, kind, n, minutes)) in ops.into_iter().enumerate() {
                if push {
                    let queued = Queued {
                        at: start + Duration::minutes(minutes),
                        seq: seq as u64,
                        event: event(kind, n),
                    };
                    split.push(queued.clone());
                    one.push(Reverse(queued));
                } else {
                    prop_assert_eq!(split.peek().cloned(), one.peek().map(|Reverse(q)| q.clone()));
                    prop_assert_eq!(split.pop(), one.pop().map(|Reverse(q)| q));
                }
            }
            while let Some(Reverse(q)) = one.pop() {
                prop_assert_eq!(split.pop(), Some(q));
            }
            prop_assert_eq!(split.pop(), None);
        }
    }
}
