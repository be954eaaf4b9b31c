//! The engine's transcript: what happened, kept typed as it happens ([`Note`]) and put into
//! words only when someone reads it ([`Engine::log`], [`Engine::take_log`]). Names are looked
//! up when read; agents, contacts and campaigns keep theirs for the whole day.

use crate::engine::Engine;
use crate::engine::audit::Retention;
use crate::policy::Channel;
use crate::world::{
    AgentId, CallResult, CallbackType, CampaignId, ChainId, InteractionId, Payload, SimTime,
    fmt_time,
};

/// A line of the engine's transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub time: SimTime,
    pub text: String,
    /// The channel whose traffic the line is about, if any: the agent's view shows no
    /// notices of a channel the agent's role cannot use.
    pub channel: Option<Channel>,
}

/// Something the transcript records, before it is put into words.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Note {
    /// Words made at the time, for the rare lines whose names could change later (roles).
    /// Behind a thin pointer (a `String` is three words, a `Box<str>` two): a note is 16
    /// bytes, not 24.
    #[allow(clippy::box_collection)]
    Text(Box<String>),
    /// News of a web callback waiting in the service. Boxed: such news is rare beside
    /// attempts and calls, and the customer's name inline would make every note larger.
    Callback(Box<CallbackNews>),
    /// Routing offered a waiting callback (the interaction holds it) to its agent.
    CallbackOffered(InteractionId),
    /// A push campaign pushed the interaction's record to its agent.
    Pushed {
        id: InteractionId,
        campaign: CampaignId,
    },
    /// A rescheduled record is back in its campaign, a personal callback for `owner`.
    RecordBack {
        chain: ChainId,
        owner: Option<AgentId>,
    },
    Answered(InteractionId),
    CallEnded {
        id: InteractionId,
        result: CallResult,
    },
    CustomerHungUp(InteractionId),
    InvitationTimedOut(InteractionId),
}

/// A web callback's news, for its customer.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct CallbackNews {
    pub(super) customer: String,
    pub(super) what: CallbackEvent,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum CallbackEvent {
    Requested {
        kind: CallbackType,
        desired: SimTime,
    },
    Due,
    /// It waits in the reschedule queue until `until`.
    Rescheduled {
        until: SimTime,
    },
    Expired,
}

impl Note {
    pub(super) fn callback(customer: String, what: CallbackEvent) -> Note {
        Note::Callback(Box::new(CallbackNews { customer, what }))
    }
}

/// The transcript as kept: the notes, and the audit log's entry number of every allowed
/// attempt. An allowed attempt's line is put into words from its audit entry, so the attempt is
/// not kept twice: the lines are the notes and the attempts merged in the order they happened,
/// each note knowing how many attempts came before it. (Attempts are half of a busy day's lines;
/// this keeps four bytes of each, not a note.)
#[derive(Clone, Debug, Default)]
pub(super) struct Kept {
    notes: Vec<Noted>,
    /// The `seq` of each allowed attempt, in order.
    attempts: Vec<u32>,
}

#[derive(Clone, Debug)]
struct Noted {
    time: SimTime,
    /// Allowed attempts made before this note.
    after: u32,
    note: Note,
}

/// One line of the kept transcript, before it is put into words.
enum KeptLine<'a> {
    Note(&'a Noted),
    /// An allowed attempt: its audit entry's `seq`.
    Attempt(u32),
}

impl Kept {
    pub(super) fn len(&self) -> usize {
        self.notes.len() + self.attempts.len()
    }

    fn push_note(&mut self, time: SimTime, note: Note) {
        // Four bytes count every attempt a process can hold: 2^32 audit entries would take
        // over 400 GB of memory before this count could wrap.
        let after = self.attempts.len() as u32;
        self.notes.push(Noted { time, after, note });
    }

    fn push_attempt(&mut self, seq: u64) {
        self.attempts.push(seq as u32);
    }

    /// Where note `k` stands among all lines.
    fn place(&self, k: usize) -> usize {
        k + self.notes[k].after as usize
    }

    /// How many notes stand before line `i`.
    fn notes_before(&self, i: usize) -> usize {
        // Places rise strictly with `k`, so the notes before `i` are a prefix.
        let (mut lo, mut hi) = (0, self.notes.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.place(mid) < i {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Line `i` (`i < len`).
    fn line(&self, i: usize) -> KeptLine<'_> {
        let k = self.notes_before(i);
        match self.notes.get(k) {
            Some(noted) if self.place(k) == i => KeptLine::Note(noted),
            _ => KeptLine::Attempt(self.attempts[i - k]),
        }
    }

    /// Lines `from..`, oldest first, without a search per line.
    fn lines_from(&self, from: usize) -> impl Iterator<Item = KeptLine<'_>> {
        let (mut k, end) = (self.notes_before(from), self.len());
        (from..end).map(move |i| match self.notes.get(k) {
            Some(noted) if self.place(k) == i => {
                k += 1;
                KeptLine::Note(noted)
            }
            _ => KeptLine::Attempt(self.attempts[i - k]),
        })
    }
}

/// The transcript so far, put into words line by line as it is read.
#[derive(Clone, Copy)]
pub struct Transcript<'a> {
    engine: &'a Engine,
}

impl<'a> Transcript<'a> {
    pub fn len(&self) -> usize {
        self.engine.log.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every line, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = LogLine> + ExactSizeIterator + use<'a> {
        let engine = self.engine;
        (0..engine.log.len()).map(move |i| engine.line(engine.log.line(i)))
    }
}

impl Engine {
    pub(super) fn note(&mut self, note: Note) {
        self.revision += 1;
        if self.keeps_lines() {
            self.log.push_note(self.now, note);
        }
    }

    /// An allowed attempt's line: the audit entry `seq` says who did what.
    pub(super) fn note_attempt(&mut self, seq: u64) {
        self.revision += 1;
        if self.keeps_lines() {
            self.log.push_attempt(seq);
        }
    }

    /// Whether the transcript is kept: an attempt's line is its audit entry, so the lines are
    /// kept exactly as long as the entries are.
    fn keeps_lines(&self) -> bool {
        self.audit.retention() == Retention::Everything
    }

    fn line(&self, line: KeptLine<'_>) -> LogLine {
        match line {
            KeptLine::Note(noted) => LogLine {
                time: noted.time,
                text: self.words(&noted.note),
                channel: self.channel_of(&noted.note),
            },
            KeptLine::Attempt(seq) => {
                let entry = (seq as usize)
                    .checked_sub(1)
                    .and_then(|i| self.audit.entries().get(i));
                match entry {
                    Some(e) => LogLine {
                        time: e.time,
                        text: format!("{}: {}", e.agent(), e.outcome_text()),
                        channel: Some(e.channel),
                    },
                    None => LogLine {
                        time: self.now,
                        text: String::new(),
                        channel: None,
                    },
                }
            }
        }
    }

    /// Transcript lines not yet taken.
    pub fn take_log(&mut self) -> Vec<LogLine> {
        let lines = self
            .log
            .lines_from(self.log_read)
            .map(|line| self.line(line))
            .collect();
        self.log_read = self.log.len();
        lines
    }

    /// The whole transcript so far.
    pub fn log(&self) -> Transcript<'_> {
        Transcript { engine: self }
    }

    /// The channel whose traffic a note is about (`None` for agents' logins and role changes).
    fn channel_of(&self, note: &Note) -> Option<Channel> {
        let of = |id: InteractionId| self.interaction(id).map(|it| it.channel);
        match note {
            Note::Text(_) => None,
            Note::Callback(_) => Some(Channel::WebCallback),
            Note::CallbackOffered(id)
            | Note::Pushed { id, .. }
            | Note::Answered(id)
            | Note::CallEnded { id, .. }
            | Note::CustomerHungUp(id)
            | Note::InvitationTimedOut(id) => of(*id),
            Note::RecordBack { chain, .. } => self
                .chain(*chain)
                .and_then(|c| self.campaign(c.campaign))
                .map(|c| c.mode.channel()),
        }
    }

    /// A note in words.
    fn words(&self, note: &Note) -> String {
        let agent = |id: AgentId| self.agent(id).map_or("", |a| a.name.as_str());
        let agent_of = |id: InteractionId| self.interaction(id).map_or("", |it| agent(it.agent));
        let contact = |id: InteractionId| {
            self.interaction(id)
                .and_then(|it| match &it.payload {
                    Payload::WebCallback(cb) => Some(cb.customer.as_str()),
                    Payload::Outbound { chain } => self.chain(*chain).map(|c| &*c.contact_name),
                })
                .unwrap_or("")
        };
        match note {
            Note::Text(text) => text.to_string(),
            Note::Callback(news) => {
                let customer = &news.customer;
                match news.what {
                    CallbackEvent::Requested { kind, desired } => format!(
                        "new web callback request from {customer}, {} (desired {})",
                        kind.describe(desired),
                        fmt_time(desired)
                    ),
                    CallbackEvent::Due => format!("web callback for {customer} is due"),
                    CallbackEvent::Rescheduled { until } => format!(
                        "web callback for {customer} is waiting in the reschedule queue until {}",
                        until.format("%H:%M")
                    ),
                    CallbackEvent::Expired => {
                        format!("web callback for {customer} expired unanswered")
                    }
                }
            }
            Note::CallbackOffered(id) => format!(
                "{id}: web callback for {} offered to {}",
                contact(*id),
                agent_of(*id)
            ),
            Note::Pushed { id, campaign } => format!(
                "{id}: {} pushed a record for {} to {}",
                self.campaign(*campaign).map_or("", |c| c.name.as_str()),
                contact(*id),
                agent_of(*id)
            ),
            Note::RecordBack { chain, owner } => {
                let name = self.chain(*chain).map_or("", |c| &*c.contact_name);
                match owner.and_then(|a| self.agent(a)) {
                    Some(a) => format!(
                        "rescheduled record for {name} is back in its campaign as a personal \
                         callback for {}",
                        a.name
                    ),
                    None => format!("rescheduled record for {name} is back in its campaign"),
                }
            }
            Note::Answered(id) => format!("{id}: the customer answered"),
            Note::CallEnded { id, result } => {
                format!("{id}: the call ended: {}", result.label())
            }
            Note::CustomerHungUp(id) => format!("{id}: the customer hung up"),
            Note::InvitationTimedOut(id) => format!("{id}: invitation timed out"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A line as a plain value: a note's number among notes, or an attempt's `seq`.
    fn plain(line: KeptLine<'_>) -> (bool, u64) {
        match line {
            KeptLine::Note(noted) => match noted.note {
                Note::Answered(id) => (true, u64::from(id.0)),
                _ => unreachable!("the test keeps only answers"),
            },
            KeptLine::Attempt(seq) => (false, u64::from(seq)),
        }
    }

    proptest! {
        /// The merged lines, by position and from any position on, are the lines in the order
        /// they were kept.
        #[test]
        fn kept_lines_come_back_in_the_order_they_were_kept(
            kinds in proptest::collection::vec(any::<bool>(), 0..200),
            from in 0usize..210,
        ) {
            let time = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
                .and_then(|d| d.and_hms_opt(8, 30, 0))
                .expect("a valid time");
            let mut kept = Kept::default();
            let mut expected = Vec::new();
            for (i, &is_note) in kinds.iter().enumerate() {
                let n = i as u64 + 1;
                if is_note {
                    kept.push_note(time, Note::Answered(InteractionId(n as u32)));
                } else {
                    kept.push_attempt(n);
                }
                expected.push((is_note, n));
            }
            prop_assert_eq!(kept.len(), expected.len());
            let by_place: Vec<_> = (0..kept.len()).map(|i| plain(kept.line(i))).collect();
            prop_assert_eq!(&by_place, &expected);
            let from = from.min(expected.len());
            let onward: Vec<_> = kept.lines_from(from).map(plain).collect();
            prop_assert_eq!(&onward[..], &expected[from..]);
        }
    }
}
