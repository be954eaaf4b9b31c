//! The engine's transcript: what happened, kept typed as it happens ([`Note`]) and put into
//! words only when someone reads it ([`Engine::log`], [`Engine::take_log`]). Names are looked
//! up when read; agents, contacts and campaigns keep theirs for the whole day.

use crate::engine::Engine;
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
    Text(Box<str>),
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
    /// An allowed attempt, the audit log's entry `seq` (its agent and what it did).
    Attempt {
        seq: u64,
    },
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
        self.engine.log.is_empty()
    }

    /// Every line, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = LogLine> + ExactSizeIterator + use<'a> {
        let engine = self.engine;
        engine.log.iter().map(move |(time, note)| LogLine {
            time: *time,
            text: engine.words(note),
            channel: engine.channel_of(note),
        })
    }
}

impl Engine {
    pub(super) fn note(&mut self, note: Note) {
        self.revision += 1;
        self.log.push((self.now, note));
    }

    /// Transcript lines not yet taken.
    pub fn take_log(&mut self) -> Vec<LogLine> {
        let lines = self.log[self.log_read..]
            .iter()
            .map(|(time, note)| LogLine {
                time: *time,
                text: self.words(note),
                channel: self.channel_of(note),
            })
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
            Note::Attempt { seq } => (*seq as usize)
                .checked_sub(1)
                .and_then(|i| self.audit.entries().get(i))
                .map(|e| e.channel),
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
            Note::Attempt { seq } => {
                let entry = (*seq as usize)
                    .checked_sub(1)
                    .and_then(|i| self.audit.entries().get(i));
                match entry {
                    Some(e) => format!("{}: {}", e.agent, e.outcome_text()),
                    None => String::new(),
                }
            }
        }
    }
}
