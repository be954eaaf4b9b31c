//! What an agent asks the engine to do (`Command`: target, action, arguments), what comes back
//! (`Outcome`, `CommandError`), and the one check that an action got the arguments it takes
//! and that they fit the world, which turns loose `Args` into typed `ActionArgs`.

use std::fmt;

use compact_str::CompactString;

use crate::engine::Engine;
use crate::engine::audit::{SharedName, Source};
use crate::input::{did_you_mean, suggest};
use crate::policy::{Action, Arguments, Denial};
use crate::world::scenario::{DISPOSITION_SEPARATOR, disposition_path};
use crate::world::{
    AgentId, CallResult, CallbackScope, CallingWindow, CampaignId, ChainId, DoNotCallScope,
    Interaction, InteractionId, Payload, PreviewRecord, SimTime, TransitionError, Treatment,
    fmt_time, phone_key, validate_phone,
};

/// What a command acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Interaction(InteractionId),
    Campaign(CampaignId),
}

/// The arguments an action takes, as a command carries them; [`Engine::execute`] checks that
/// they are the ones its action takes. `At` is how a time is given: a simulated time here; a
/// script line's `at` or `in` (`qa::script::ArgSpec`) until the line runs.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Args<At = SimTime> {
    #[default]
    None,
    /// Reschedule time (centre time), and a personal or campaign callback when the agent
    /// chose (`None`: the campaign's treatment decides).
    At {
        at: At,
        scope: Option<CallbackScope>,
    },
    /// Reschedule on a new number.
    NewNumber {
        number: String,
        at: At,
        scope: Option<CallbackScope>,
    },
    /// Dial on a new number.
    Number(String),
    /// What a Do Not Call mark covers (`Args::None`: the number).
    DoNotCall(DoNotCallScope),
    /// Dial-alternative: index of the record in the chain.
    Record(usize),
    CallResult(CallResult),
    Disposition(String),
    Edit {
        field: String,
        value: String,
    },
}

impl<A> Args<A> {
    /// The same arguments with their time given another way (a script line's relative time
    /// resolved when it runs); everything else is copied.
    pub fn map_time<B>(&self, time: impl Fn(&A) -> B) -> Args<B> {
        match self {
            Args::None => Args::None,
            Args::At { at, scope } => Args::At {
                at: time(at),
                scope: *scope,
            },
            Args::NewNumber { number, at, scope } => Args::NewNumber {
                number: number.clone(),
                at: time(at),
                scope: *scope,
            },
            Args::Number(number) => Args::Number(number.clone()),
            Args::DoNotCall(scope) => Args::DoNotCall(*scope),
            Args::Record(record) => Args::Record(*record),
            Args::CallResult(result) => Args::CallResult(*result),
            Args::Disposition(d) => Args::Disposition(d.clone()),
            Args::Edit { field, value } => Args::Edit {
                field: field.clone(),
                value: value.clone(),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    pub agent: AgentId,
    pub target: Target,
    pub action: Action,
    pub args: Args,
    /// Who made the attempt, for the audit log.
    pub source: Source,
}

/// Why a command did nothing.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Denied(Box<Denial>),
    #[error("{action}: {problem}")]
    Argument {
        action: Action,
        problem: ArgumentError,
    },
    #[error("no interaction {0}")]
    NoSuchInteraction(InteractionId),
    #[error("interaction {0} belongs to another agent")]
    NotYours(InteractionId),
    #[error("no agent {0}")]
    NoSuchAgent(AgentId),
    #[error("no campaign {0}")]
    NoSuchCampaign(CampaignId),
    #[error("{0}")]
    Transition(#[from] TransitionError),
}

impl CommandError {
    pub fn denial(&self) -> Option<&Denial> {
        match self {
            CommandError::Denied(d) => Some(d),
            _ => None,
        }
    }

    pub(super) fn argument(action: Action, problem: impl Into<ArgumentError>) -> CommandError {
        CommandError::Argument {
            action,
            problem: problem.into(),
        }
    }
}

/// What a successful command did.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub done: Done,
    /// An interaction the command opened (get-record, done-and-get-next).
    pub opened: Option<InteractionId>,
}

impl Outcome {
    /// What the command did, in words (the transcript's and the desktop's).
    pub fn message(&self) -> String {
        self.done.to_string()
    }
}

/// What an allowed action did, kept typed and put into words only when shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Done {
    Accepted(InteractionId),
    Declined(InteractionId),
    /// The number is inline, so the audit entry's copy costs no allocation.
    Dialing {
        id: InteractionId,
        number: CompactString,
    },
    HungUp(InteractionId),
    Rejected(InteractionId),
    Cancelled(InteractionId),
    /// A reschedule before the call: the work left at once. `number`: the new number of a
    /// reschedule on a new number.
    Rescheduled {
        id: InteractionId,
        at: SimTime,
        number: Option<Box<str>>,
        scope: CallbackScope,
    },
    /// A reschedule during or after the call, kept until Mark Done (`again`: it replaced an
    /// earlier one).
    RescheduleRecorded {
        id: InteractionId,
        at: SimTime,
        number: Option<Box<str>>,
        scope: CallbackScope,
        again: bool,
    },
    /// `shown`: the number, or the contact's name for a whole contact; `added`: false when
    /// it was listed already.
    OnDoNotCallList {
        shown: String,
        scope: DoNotCallScope,
        added: bool,
    },
    CallResultSet {
        id: InteractionId,
        result: CallResult,
    },
    DispositionSet {
        id: InteractionId,
        disposition: String,
    },
    FieldSet {
        id: InteractionId,
        field: Box<str>,
        value: Box<str>,
    },
    Finished(InteractionId),
    /// Mark Done of a rescheduled interaction: the work comes back at `at`.
    FinishedRescheduled {
        id: InteractionId,
        at: SimTime,
        scope: CallbackScope,
    },
    /// The names are shared (the campaign's with the engine), so the audit entry's copy costs
    /// no allocation.
    GotRecord {
        id: InteractionId,
        contact: CompactString,
        campaign: SharedName,
    },
    /// Done-and-get-next: the record finished, then the next one it fetched, or why none
    /// came (fetching is its own audited attempt).
    FinishedAndNext {
        id: InteractionId,
        next: Result<Box<Done>, String>,
    },
}

impl fmt::Display for Done {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Done::Accepted(id) => write!(f, "accepted {id}"),
            Done::Declined(id) => write!(f, "declined {id}"),
            Done::Dialing { id, number } => write!(f, "dialing {number} for {id}"),
            Done::HungUp(id) => write!(f, "hung up {id}"),
            Done::Rejected(id) => write!(f, "rejected {id}; it goes back for another agent"),
            Done::Cancelled(id) => write!(f, "cancelled {id}; it will not be processed"),
            Done::Rescheduled {
                id,
                at,
                number,
                scope,
            } => {
                write!(
                    f,
                    "rescheduled {id} for {} ({})",
                    fmt_time(*at),
                    scope.label()
                )?;
                match number {
                    Some(n) => write!(f, " on new number {n}"),
                    None => Ok(()),
                }
            }
            Done::RescheduleRecorded {
                id,
                at,
                number,
                scope,
                again,
            } => {
                let again = if *again { "again " } else { "" };
                write!(
                    f,
                    "{id} {again}rescheduled for {} ({})",
                    fmt_time(*at),
                    scope.label()
                )?;
                if let Some(n) = number {
                    write!(f, " on new number {n}")?;
                }
                f.write_str("; Mark Done to finish it")
            }
            Done::OnDoNotCallList {
                shown,
                scope,
                added,
            } => {
                f.write_str(shown)?;
                if *scope == DoNotCallScope::Contact {
                    f.write_str(" (every number of the contact)")?;
                }
                if *added {
                    f.write_str(" is on the Do Not Call list")
                } else {
                    f.write_str(" was already on the Do Not Call list")
                }
            }
            Done::CallResultSet { id, result } => write!(f, "call result of {id} set to {result}"),
            Done::DispositionSet { id, disposition } => {
                write!(f, "disposition of {id} set to \"{disposition}\"")
            }
            Done::FieldSet { id, field, value } => write!(f, "{field} of {id} set to \"{value}\""),
            Done::Finished(id) => write!(f, "{id} is done"),
            Done::FinishedRescheduled { id, at, scope } => write!(
                f,
                "{id} is done; it comes back {} ({})",
                fmt_time(*at),
                scope.label()
            ),
            Done::GotRecord {
                id,
                contact,
                campaign,
            } => write!(f, "got record {id} ({contact}) from {campaign}"),
            Done::FinishedAndNext { id, next } => match next {
                Ok(next) => write!(f, "{id} is done; {next}"),
                Err(why) => write!(f, "{id} is done; no next record: {why}"),
            },
        }
    }
}

/// Why an authorized command's arguments do not fit (the audit log calls it `invalid`).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ArgumentError {
    /// Given none of the arguments its action takes (or another action's): the kind it
    /// takes, worded by the action table (`policy/action.rs`).
    #[error("needs {0}")]
    Missing(Arguments),
    /// The new number of a reschedule, with the phone check's explanation.
    #[error("{0}")]
    InvalidPhone(String),
    #[error("{0}")]
    Reschedule(#[from] RescheduleProblem),
    #[error(
        "unknown disposition \"{given}\"{}; this scenario has: {}",
        did_you_mean_owned(suggestions),
        known.join(", ")
    )]
    UnknownDisposition {
        given: String,
        suggestions: Vec<String>,
        known: Vec<String>,
    },
    #[error("no field \"{given}\"{}", did_you_mean_owned(suggestions))]
    UnknownField {
        given: String,
        suggestions: Vec<String>,
    },
    #[error("no record chain")]
    NoRecordChain,
    #[error("that is the number the system selected; use dial")]
    SelectedRecord,
    /// `record` is an index into the chain; the message counts from one.
    #[error("the chain has {records} records; record {} does not exist", record + 1)]
    NoSuchRecord { records: usize, record: usize },
    #[error("only outbound records have numbers to block")]
    NotOutbound,
    #[error("targets a campaign, not an interaction")]
    CampaignOnly,
    #[error(
        "\"{result}\" is not offered in this campaign; it offers: {}",
        offered.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")
    )]
    CallResultNotOffered {
        result: CallResult,
        offered: Vec<CallResult>,
    },
    #[error(
        "this {} makes every reschedule a {}; a {} is not possible",
        if *outbound { "campaign" } else { "callback service" },
        fixed.label(),
        asked.label()
    )]
    ScopeFixed {
        asked: CallbackScope,
        fixed: CallbackScope,
        outbound: bool,
    },
    /// `record` is an index into the chain; the message counts from one.
    #[error("{number} is already record {} of the chain; use dial-alternative", record + 1)]
    NumberInChain { number: String, record: usize },
    #[error("no record left for this agent")]
    NoRecordLeft,
}

fn did_you_mean_owned(suggestions: &[String]) -> String {
    let s: Vec<&str> = suggestions.iter().map(String::as_str).collect();
    did_you_mean(&s)
}

/// Why a time cannot be a reschedule time for an interaction.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RescheduleProblem {
    #[error("{} is not in the future (it is now {})", fmt_time(*at), fmt_time(*now))]
    NotInFuture { at: SimTime, now: SimTime },
    /// `local` is `at` in the contact's time zone `zone`.
    #[error(
        "{} is {} {zone} for the contact, outside the calling window {window}",
        fmt_time(*at),
        local.format("%H:%M")
    )]
    OutsideCallingWindow {
        at: SimTime,
        local: SimTime,
        zone: String,
        window: CallingWindow,
    },
}

/// An interaction action with the arguments it takes, checked against the world: what
/// [`Engine::check_args`] returns and the action functions take.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum ActionArgs {
    Accept,
    Decline,
    /// The chain's selected record (`None` for a web callback, which has one number).
    Dial {
        record: Option<usize>,
    },
    /// A record of the chain other than the selected one.
    DialAlternative {
        record: usize,
    },
    HangUp,
    Reject,
    Cancel,
    /// `scope` is the one the treatment allows.
    Reschedule {
        at: SimTime,
        scope: CallbackScope,
    },
    /// `number` is tidied by the phone check.
    RescheduleNewNumber {
        number: String,
        at: SimTime,
        scope: CallbackScope,
    },
    /// A number not in the chain yet, tidied by the phone check.
    DialNewNumber {
        number: String,
    },
    /// The record whose number (or contact) goes on the Do Not Call list: the one called
    /// last, else the selected one.
    MarkDoNotCall {
        chain: ChainId,
        record: usize,
        scope: DoNotCallScope,
    },
    SetCallResult(CallResult),
    /// The disposition as the scenario spells it.
    SetDisposition(String),
    Edit {
        field: String,
        value: String,
    },
    MarkDone,
    DoneAndGetNext,
}

impl Engine {
    /// Checks, before anything changes, that `action` on `it` got the arguments it takes and
    /// that they fit the world now (a future time inside the calling window, a known
    /// disposition or field, another record of the chain).
    pub(super) fn check_args(
        &self,
        it: &Interaction,
        action: Action,
        args: &Args,
    ) -> Result<ActionArgs, CommandError> {
        self.pair_args(it, action, args)
            .map_err(|problem| CommandError::argument(action, problem))
    }

    fn pair_args(
        &self,
        it: &Interaction,
        action: Action,
        args: &Args,
    ) -> Result<ActionArgs, ArgumentError> {
        // What "needs ..." names when the arguments are missing: the action's own kind.
        let missing = || ArgumentError::Missing(action.arguments());
        let checked = match (action, args) {
            (Action::Accept, _) => ActionArgs::Accept,
            (Action::Decline, _) => ActionArgs::Decline,
            (Action::Dial, _) => ActionArgs::Dial {
                record: self.chain_of(it).map(|c| c.selected),
            },
            (Action::DialAlternative, args) => ActionArgs::DialAlternative {
                record: self.check_alternative(it, args)?,
            },
            (Action::HangUp, _) => ActionArgs::HangUp,
            (Action::Reject, _) => ActionArgs::Reject,
            (Action::Cancel, _) => ActionArgs::Cancel,
            (Action::Reschedule, Args::At { at, scope }) => {
                self.validate_reschedule(it, *at)?;
                ActionArgs::Reschedule {
                    at: *at,
                    scope: self.callback_scope(it, *scope)?,
                }
            }
            (Action::Reschedule, _) => return Err(missing()),
            (Action::RescheduleNewNumber, Args::NewNumber { number, at, scope }) => {
                let number = validate_phone(number).map_err(ArgumentError::InvalidPhone)?;
                self.validate_reschedule(it, *at)?;
                ActionArgs::RescheduleNewNumber {
                    number,
                    at: *at,
                    scope: self.callback_scope(it, *scope)?,
                }
            }
            (Action::RescheduleNewNumber, _) => return Err(missing()),
            (Action::DialNewNumber, Args::Number(number)) => ActionArgs::DialNewNumber {
                number: self.check_new_number(it, number)?,
            },
            (Action::DialNewNumber, _) => return Err(missing()),
            (Action::MarkDoNotCall, Args::DoNotCall(scope)) => {
                self.check_do_not_call(it, *scope)?
            }
            (Action::MarkDoNotCall, _) => self.check_do_not_call(it, DoNotCallScope::Number)?,
            (Action::SetCallResult, Args::CallResult(result)) => {
                self.check_offered(it, *result)?;
                ActionArgs::SetCallResult(*result)
            }
            (Action::SetCallResult, _) => return Err(missing()),
            (Action::SetDisposition, Args::Disposition(d)) => {
                ActionArgs::SetDisposition(self.resolve_disposition(d)?)
            }
            (Action::SetDisposition, _) => return Err(missing()),
            (Action::EditRecordData, Args::Edit { field, value }) => {
                self.check_field(it, field)?;
                ActionArgs::Edit {
                    field: field.clone(),
                    value: value.clone(),
                }
            }
            (Action::EditRecordData, _) => return Err(missing()),
            (Action::MarkDone, _) => ActionArgs::MarkDone,
            (Action::DoneAndGetNext, _) => ActionArgs::DoneAndGetNext,
            (Action::GetRecord, _) => return Err(ArgumentError::CampaignOnly),
        };
        Ok(checked)
    }

    /// The record a dial-alternative calls: one of the chain's, not the selected one.
    fn check_alternative(&self, it: &Interaction, args: &Args) -> Result<usize, ArgumentError> {
        let chain = self.chain_of(it).ok_or(ArgumentError::NoRecordChain)?;
        match args {
            Args::Record(r) if *r < chain.records.len() && *r != chain.selected => Ok(*r),
            Args::Record(r) if *r == chain.selected => Err(ArgumentError::SelectedRecord),
            Args::Record(r) => Err(ArgumentError::NoSuchRecord {
                records: chain.records.len(),
                record: *r,
            }),
            _ => Err(ArgumentError::Missing(Arguments::Record)),
        }
    }

    fn check_do_not_call(
        &self,
        it: &Interaction,
        scope: DoNotCallScope,
    ) -> Result<ActionArgs, ArgumentError> {
        let Payload::Outbound { chain } = it.payload else {
            return Err(ArgumentError::NotOutbound);
        };
        let record = it
            .current_call()
            .and_then(|c| c.record)
            .unwrap_or(self.chains[chain].selected);
        Ok(ActionArgs::MarkDoNotCall {
            chain,
            record,
            scope,
        })
    }

    /// A dial-new-number's number: a valid phone number that is not in the chain yet.
    fn check_new_number(&self, it: &Interaction, number: &str) -> Result<String, ArgumentError> {
        let number = validate_phone(number).map_err(ArgumentError::InvalidPhone)?;
        let chain = self.chain_of(it).ok_or(ArgumentError::NoRecordChain)?;
        let key = phone_key(&number);
        match chain
            .records
            .iter()
            .position(|r| phone_key(&r.phone) == key)
        {
            Some(record) => Err(ArgumentError::NumberInChain { number, record }),
            None => Ok(number),
        }
    }

    /// A call result the campaign offers.
    fn check_offered(&self, it: &Interaction, result: CallResult) -> Result<(), ArgumentError> {
        let Some(campaign) = self.chain_of(it).and_then(|c| self.campaign(c.campaign)) else {
            return Ok(());
        };
        if campaign.call_results.contains(&result) {
            return Ok(());
        }
        Err(ArgumentError::CallResultNotOffered {
            result,
            offered: campaign.call_results.clone(),
        })
    }

    /// The call result the call-result dialog proposes for an outbound interaction: the
    /// campaign's preselected one, else the called record's current result, provided the
    /// campaign offers it (else the first it offers).
    pub fn preselected_call_result(&self, id: InteractionId) -> CallResult {
        let Some(it) = self.interaction(id) else {
            return CallResult::UnknownCallResult;
        };
        let Some(chain) = self.chain_of(it) else {
            return CallResult::UnknownCallResult;
        };
        let record = it
            .current_call()
            .and_then(|c| c.record)
            .unwrap_or(chain.selected);
        let current = chain
            .records
            .get(record)
            .map_or(CallResult::UnknownCallResult, |r| r.call_result);
        match self.campaign(chain.campaign) {
            Some(c) => {
                let wanted = c.preselected_result(current);
                if c.call_results.contains(&wanted) {
                    wanted
                } else {
                    c.call_results.first().copied().unwrap_or(wanted)
                }
            }
            None => current,
        }
    }

    /// The treatment of reschedules where `it` belongs: its campaign's, or the web callback
    /// service's.
    pub fn treatment_of(&self, it: &Interaction) -> Treatment {
        match self.chain_of(it).and_then(|c| self.campaign(c.campaign)) {
            Some(campaign) => campaign.treatment,
            None => self.scenario.web_callbacks.treatment,
        }
    }

    /// The scope of a reschedule: the treatment's, or the agent's choice where it lets them.
    fn callback_scope(
        &self,
        it: &Interaction,
        asked: Option<CallbackScope>,
    ) -> Result<CallbackScope, ArgumentError> {
        self.treatment_of(it)
            .scope(asked)
            .map_err(|fixed| ArgumentError::ScopeFixed {
                asked: asked.unwrap_or(fixed),
                fixed,
                outbound: matches!(it.payload, Payload::Outbound { .. }),
            })
    }

    fn check_field(&self, it: &Interaction, field: &str) -> Result<(), ArgumentError> {
        let names: Vec<&str> = self
            .chain_of(it)
            .map(|c| c.fields.iter().map(|f| f.name).collect())
            .unwrap_or_default();
        if names.contains(&field) {
            return Ok(());
        }
        Err(ArgumentError::UnknownField {
            given: field.to_string(),
            suggestions: owned(suggest(field, names.iter().copied())),
        })
    }

    /// The scenario's disposition that `given` names, ignoring case and the spaces around it
    /// and around the `>` of a nested one.
    fn resolve_disposition(&self, given: &str) -> Result<String, ArgumentError> {
        let list = &self.scenario.dispositions;
        let tidy = disposition_path(given).join(DISPOSITION_SEPARATOR);
        list.iter()
            .find(|d| d.eq_ignore_ascii_case(&tidy))
            .cloned()
            .ok_or_else(|| ArgumentError::UnknownDisposition {
                given: given.to_string(),
                suggestions: owned(suggest(given, list.iter().map(String::as_str))),
                known: list.clone(),
            })
    }

    /// Why `at` is not a valid reschedule time for the interaction (not in the future, or
    /// outside the contact's calling window), or `None` when it is (or there is no such
    /// interaction). The reschedule dialog shows this before the agent confirms.
    pub fn reschedule_time_problem(
        &self,
        id: InteractionId,
        at: SimTime,
    ) -> Option<RescheduleProblem> {
        let it = self.interaction(id)?;
        self.validate_reschedule(it, at).err()
    }

    /// [`Engine::reschedule_time_problem`]'s yes or no, without wording the problem.
    pub fn reschedule_time_fits(&self, id: InteractionId, at: SimTime) -> bool {
        self.interaction(id)
            .is_some_and(|it| at > self.now && self.outside_window_at(it, at).is_none())
    }

    fn validate_reschedule(&self, it: &Interaction, at: SimTime) -> Result<(), RescheduleProblem> {
        if at <= self.now {
            return Err(RescheduleProblem::NotInFuture { at, now: self.now });
        }
        if let Some((record, local)) = self.outside_window_at(it, at) {
            return Err(RescheduleProblem::OutsideCallingWindow {
                at,
                local,
                zone: record.time_zone.name.to_string(),
                window: record.window,
            });
        }
        Ok(())
    }

    /// The selected record of an outbound interaction and its local time at `at`, when `at`
    /// is outside that record's calling window.
    fn outside_window_at(
        &self,
        it: &Interaction,
        at: SimTime,
    ) -> Option<(&PreviewRecord, SimTime)> {
        let chain = self.chain_of(it)?;
        let record = &chain.records[chain.selected];
        (!record.callable_at(at)).then(|| (record, record.time_zone.local(at)))
    }
}

fn owned(names: Vec<&str>) -> Vec<String> {
    names.into_iter().map(str::to_string).collect()
}
