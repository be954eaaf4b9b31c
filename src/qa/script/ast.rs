//! The script as data: the steps a parsed script is made of, and the limits every script
//! keeps. `parse` builds them, `run` runs them, `record` writes them.

use chrono::{Duration, NaiveTime};

use crate::engine::Args;
use crate::policy::{Action, DenialKindName, Privilege, Stage};
use crate::world::roles::RoleEdit;
use crate::world::{CallResult, CampaignId, InteractionId};

/// The furthest a script may move the clock in one line. A longer span would only run
/// traffic for a very long time (every simulated hour costs events), never test more.
pub const MAX_SPAN: Duration = Duration::days(366);

/// The furthest a whole script (or a lesson's steps) may move the clock from where it
/// started. Memory and time grow with the simulated time a run covers (its transcript, its
/// audit log, the day's history: about 3 MB per simulated day with an agent logged in), so
/// bounding the run bounds them; a month is more than any training or QA session needs.
pub const MAX_RUN_SPAN: Duration = Duration::days(31);

/// Why a span over [`MAX_SPAN`] is refused, for the parser's and the runner's messages.
pub(super) fn too_long() -> String {
    format!(
        "more than the {} days a script may move the clock at once",
        MAX_SPAN.num_days()
    )
}

/// The most lines a script may have: far more than any hand-written or recorded session, far
/// less than what would exhaust memory as parsed steps.
pub const MAX_SCRIPT_LINES: usize = 100_000;

/// How long `wait` looks ahead when the line gives no `within`.
pub const DEFAULT_WAIT: Duration = Duration::minutes(30);

/// A parsed script: its steps in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    pub file: String,
    pub steps: Vec<Step>,
}

/// One non-blank, non-comment line.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// 1-based line number in the file.
    pub line: usize,
    /// The line as written, without its comment and surrounding blanks.
    pub text: String,
    pub command: ScriptCommand,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ScriptCommand {
    /// Log in (or switch back to) an agent with these roles; it becomes the current agent.
    Login {
        name: String,
        roles: Vec<usize>,
    },
    /// Replace the current agent's roles (`roles none`: no roles at all).
    Roles(Vec<usize>),
    /// One step of a role-book edit, as the role editor makes it (`define`, `rename`,
    /// `remove` lines); later lines name roles and agents as the edited book has them.
    EditRoles(RoleEdit),
    Ready(bool),
    Advance(Duration),
    /// `advance to HH:MM`: that time of the simulated day.
    AdvanceToClock(NaiveTime),
    AdvanceTo(chrono::NaiveDateTime),
    /// Run the next event.
    NextEvent,
    WaitOffer {
        within: Duration,
    },
    WaitStage {
        stage: Stage,
        within: Duration,
    },
    OfferCallback,
    /// `None`: the first running push-preview campaign.
    OfferPush(Option<CampaignId>),
    Outcome(CallResult),
    Select(Selection),
    Act(ScriptAction),
    Expect(Expectation),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Id(InteractionId),
    Latest,
}

/// An agent action as written; times relative to "now" are resolved when the line runs. A
/// `click` line is an action with no arguments (`ArgSpec::None`), whatever it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptAction {
    pub action: Action,
    /// For `get-record`: the named campaign, or `None` for the first running preview campaign.
    pub campaign: Option<CampaignId>,
    pub args: ArgSpec,
}

/// A line's arguments: the engine's [`Args`], with a time as the line gives it (at a time, or
/// in a while from when the line runs).
pub type ArgSpec = Args<When>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    At(chrono::NaiveDateTime),
    /// Relative to the simulated now when the line runs.
    In(Duration),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expectation {
    Allowed,
    Denied {
        kind: Option<DenialKindName>,
        privileges: Vec<Privilege>,
    },
    Invalid,
    Stage(Stage),
    /// The campaign's queue holds this many records (`None`: the first running preview
    /// campaign). Shows where reject and cancel send a record.
    Queue {
        campaign: Option<CampaignId>,
        records: usize,
    },
    /// The current interaction's record chain has this many records.
    Records(usize),
    /// The current interaction is about this contact (an outbound record's contact, a web
    /// callback's customer): shows where a personal or campaign callback went.
    Contact(String),
}

impl Script {
    /// The most the script can move the simulated clock, or `None` when it jumps to a date.
    /// (`advance to HH:MM` counts as a day; a `wait` as its bound.) Fuzzers use it to run only
    /// scripts that stay short enough to simulate quickly.
    pub fn time_span(&self) -> Option<Duration> {
        let mut total = Duration::zero();
        for step in &self.steps {
            total += match &step.command {
                ScriptCommand::Advance(d) => *d,
                ScriptCommand::AdvanceToClock(_) => Duration::days(1),
                ScriptCommand::AdvanceTo(_) => return None,
                ScriptCommand::WaitOffer { within } | ScriptCommand::WaitStage { within, .. } => {
                    *within
                }
                _ => Duration::zero(),
            };
        }
        Some(total)
    }
}
