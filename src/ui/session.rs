//! The desktop's session: the simulated world it runs and everything that drives it (the
//! engine, the logged-in agent, the clock's pace, the recorder and the replay).
//!
//! Views get a `&Session`: they read the world and ask it questions, and change it only by
//! returning [`UiCommand`](super::UiCommand)s, which `Desktop::apply` (in `apply.rs`) carries out.
//! Not to be confused with an agent's login session inside the engine.

use std::cell::RefCell;
use std::path::PathBuf;

use chrono::Duration;

use crate::engine::{Args, Engine, Target};
use crate::policy::{Action, Denial};
use crate::qa::script::{Recorder, Replay, Script};
use crate::world::roles::RoleBook;
use crate::world::{
    AgentId, CallResult, CampaignId, CampaignMode, InteractionId, Payload, SimTime, fmt_time,
};

/// How fast simulated time runs against real time.
#[derive(Clone, Debug, PartialEq)]
pub struct Pace {
    pub paused: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Simulated milliseconds owed but not yet advanced.
    carry_ms: f64,
}

impl Default for Pace {
    fn default() -> Self {
        Pace::running_at(1.0)
    }
}

impl Pace {
    /// A running clock at `speed`, clamped to the speeds the desktop offers.
    pub fn running_at(speed: f64) -> Pace {
        Pace {
            paused: false,
            speed: speed.clamp(1.0, 100.0),
            carry_ms: 0.0,
        }
    }
}

pub const SPEEDS: [f64; 5] = [1.0, 5.0, 10.0, 50.0, 100.0];

/// A script being replayed in the window, one line at a time.
pub struct ScriptReplay {
    pub script: Script,
    pub replay: Replay,
    /// The transcript so far, as `agentdesk run` would print it.
    pub transcript: String,
}

/// The world the desktop shows, around one engine and one logged-in agent.
pub struct Session {
    pub engine: Engine,
    pub agent: AgentId,
    pub pace: Pace,
    /// The roles file the desktop was started from (`None`: the embedded defaults); the role
    /// editor saves there.
    pub roles_path: Option<PathBuf>,
    /// The scenario file the desktop was started from (`None`: the embedded default), named
    /// in a recording's `# Run:` line.
    pub scenario_path: Option<PathBuf>,
    /// The roles as their file has them: loaded at launch, or last saved by the role editor
    /// (to `base_roles_path`). A recording starts from this book and writes the edits made
    /// since, so it replays with the file alone.
    pub base_roles: RoleBook,
    pub base_roles_path: Option<PathBuf>,
    /// For each role of the engine's book, its index in `base_roles` (`None`: created since).
    pub roles_origin: Vec<Option<usize>>,
    /// Records the agent's attempts as a script while on.
    pub recorder: Option<Recorder>,
    /// The last finished recording, for saving.
    pub recorded: Option<String>,
    pub replay: Option<ScriptReplay>,
    /// Why the last script could not be loaded (every diagnostic, one per line).
    pub replay_errors: Option<String>,
    /// Practice: the clock waits while an invitation waits for the agent's answer.
    pub practice_hold: bool,
    /// The lesson being done at the desk; a new day ends it.
    pub lesson: Option<super::lesson::LessonDesk>,
    /// Why the last lesson could not be opened (every diagnostic, one per line).
    pub lesson_errors: Option<String>,
    /// Learning records: the outbox a lesson's statements go to, and the LRS (docs/lrs.md).
    pub records: Option<std::sync::Arc<crate::learning::desk::DeskRecords>>,
    /// Why the learning records could not be set up from the window, if they could not.
    pub records_error: Option<String>,
    /// The activity owning the day, and those finished this session with their cards.
    pub activities: crate::training::activity::Activities,
    /// The engine's answers and the titles this frame asked for, kept until the world changes.
    cache: RefCell<AnswerCache>,
    /// Counts fresh engines, so a cache of an old day is never taken for the new one.
    day: u64,
}

/// What the views ask every frame, remembered for one state of the world: the engine's
/// [`revision`](Engine::revision), the day and the agent. A frame of a desk nobody touches
/// asks the engine nothing twice.
#[derive(Default)]
struct AnswerCache {
    key: Option<(u64, u64, AgentId)>,
    decisions: Vec<((Target, Action), Result<(), Denial>)>,
    titles: Vec<(InteractionId, String)>,
}

impl AnswerCache {
    /// Forgets everything when the world moved on since it was filled.
    fn sync(&mut self, key: (u64, u64, AgentId)) {
        if self.key != Some(key) {
            self.key = Some(key);
            self.decisions.clear();
            self.titles.clear();
        }
    }
}

/// The desktop's agent before a replayed script has logged one in: no session has this id.
pub(super) const NO_AGENT: AgentId = AgentId(0);

impl Session {
    /// A session logged in as agent `agent` (an index into the role book's agents).
    pub fn new(mut engine: Engine, agent: usize) -> Session {
        let agent = login_agent(&mut engine, agent);
        let base_roles = engine.roles().clone();
        let desk = crate::training::activity::Activity::free_desk(
            &engine
                .agent(agent)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            engine.seed(),
            engine.now(),
        );
        Session {
            activities: crate::training::activity::Activities::new(desk),
            roles_origin: (0..base_roles.roles.len()).map(Some).collect(),
            base_roles,
            base_roles_path: None,
            scenario_path: None,
            engine,
            agent,
            pace: Pace::default(),
            roles_path: None,
            recorder: None,
            recorded: None,
            replay: None,
            replay_errors: None,
            practice_hold: false,
            lesson: None,
            lesson_errors: None,
            records: None,
            records_error: None,
            cache: RefCell::default(),
            day: 0,
        }
    }

    /// The one question every button asks: may the agent do this now? Asked of the engine
    /// once per state of the world (see [`AnswerCache`]).
    pub fn check(&self, target: Target, action: Action) -> Result<(), Denial> {
        let mut cache = self.synced_cache();
        if let Some((_, answer)) = cache.decisions.iter().find(|(k, _)| *k == (target, action)) {
            return answer.clone();
        }
        let answer = self.engine.check(self.agent, target, action);
        cache.decisions.push(((target, action), answer.clone()));
        answer
    }

    fn synced_cache(&self) -> std::cell::RefMut<'_, AnswerCache> {
        let mut cache = self.cache.borrow_mut();
        cache.sync((self.day, self.engine.revision(), self.agent));
        cache
    }

    /// [`Session::check`] with the command's arguments (which field an edit touches).
    pub fn check_with(&self, target: Target, action: Action, args: &Args) -> Result<(), Denial> {
        self.engine.check_with(self.agent, target, action, args)
    }

    /// Logs in agent `index` of the role book (or takes over its existing login).
    pub(super) fn switch_agent(&mut self, index: usize) {
        self.agent = login_agent(&mut self.engine, index);
    }

    /// The invitation waiting for the desk agent's answer, if any.
    pub fn waiting_invitation(&self) -> Option<InteractionId> {
        self.engine
            .open_interactions(self.agent)
            .iter()
            .find(|it| it.stage == crate::policy::Stage::Offered)
            .map(|it| it.id)
    }

    /// Whether the clock waits: in practice, while an invitation waits for an answer and no
    /// call of the agent is under way. The hold stops new work only (docs/activities.md): a call that
    /// is ringing or connected goes on.
    pub fn held(&self) -> bool {
        self.practice_hold && self.waiting_invitation().is_some() && !self.call_under_way()
    }

    /// Whether one of the agent's calls is being dialled or is connected.
    pub fn call_under_way(&self) -> bool {
        self.engine.open_interactions(self.agent).iter().any(|it| {
            matches!(
                it.stage,
                crate::policy::Stage::Dialing | crate::policy::Stage::Connected
            )
        })
    }

    /// Where the desk's roles came from, as exports name it: the roles file (or `embedded`),
    /// and when the desk holds edits not saved to it, "with unsaved edits" and a digest of
    /// those edits (docs/activities.md), so an export never passes for the file's own matrix.
    pub fn roles_provenance(&self) -> String {
        let file = self
            .base_roles_path
            .as_ref()
            .or(self.roles_path.as_ref())
            .map_or_else(|| "embedded".to_string(), |p| p.display().to_string());
        let edits = crate::world::roles::edits_between(
            &self.base_roles,
            self.engine.roles(),
            &self.roles_origin,
        );
        if edits.is_empty() {
            return file;
        }
        // FNV-1a over the edits' words: the same edits give the same digest on every run.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in format!("{edits:?}").bytes() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        format!(
            "{file} with unsaved edits ({} edit(s), digest {:016x})",
            edits.len(),
            hash
        )
    }

    /// Why a recording cannot start now, asked before any confirmation: a recording
    /// replays with the roles file alone, so its agent must be one of the file's.
    pub fn recording_refusal(&self) -> Option<String> {
        let known = self
            .engine
            .agent(self.agent)
            .is_some_and(|a| self.base_roles.agent_index(&a.name).is_some());
        (!known).then(|| {
            format!(
                "Recording needs an agent of the roles file, and {} is not one of them: \
                 switch to one first",
                self.agent_name()
            )
        })
    }

    /// The names of the desktop agent's roles now.
    pub fn agent_role_names(&self) -> Vec<String> {
        let book = self.engine.roles();
        self.engine
            .agent(self.agent)
            .map(|a| {
                a.roles
                    .iter()
                    .filter_map(|&r| book.roles.get(r))
                    .map(|r| r.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Advances simulated time by `real_seconds` of wall time at the current pace; true when
    /// the clock moved.
    pub(super) fn tick(&mut self, real_seconds: f64) -> bool {
        if self.pace.paused || real_seconds <= 0.0 || self.held() {
            return false;
        }
        self.pace.carry_ms += real_seconds.min(1.0) * self.pace.speed * 1000.0;
        let whole = self.pace.carry_ms.floor();
        if whole < 1.0 {
            return false;
        }
        self.pace.carry_ms -= whole;
        self.engine.advance(Duration::milliseconds(whole as i64));
        true
    }

    /// Real seconds until the desktop next needs redrawing on its own (the next simulated
    /// event or the next simulated second on the clock), or `None` while paused.
    pub fn next_wake(&self) -> Option<f64> {
        if self.pace.paused || self.held() {
            return None;
        }
        let now = self.engine.now();
        let to_event = self
            .engine
            .next_event_time()
            .map(|t| (t - now).num_milliseconds() as f64 / 1000.0)
            .unwrap_or(f64::INFINITY);
        // The clock shows seconds: redraw at least once a real second while running.
        let sim_seconds = to_event.min(self.pace.speed.max(1.0));
        Some((sim_seconds / self.pace.speed).clamp(0.016, 1.0))
    }

    /// A fresh engine on `seed` with the same roles and scenario and nobody logged in yet (a
    /// replayed script logs its own agent in, exactly as `agentdesk run` does).
    pub(super) fn fresh_day(&mut self, seed: u64, speed: f64) {
        let roles_book = self.engine.roles().clone();
        let scenario = self.engine.scenario().clone();
        self.install_day(Engine::new(roles_book, scenario, seed), speed);
    }

    /// Runs on `engine`, a new day, with nobody on the desk yet.
    pub(super) fn install_day(&mut self, engine: Engine, speed: f64) {
        self.engine = engine;
        self.lesson = None;
        // Options of the old day's activity never carry into the next one silently.
        self.practice_hold = false;
        self.day += 1;
        self.agent = NO_AGENT;
        self.pace = Pace::running_at(speed);
    }

    /// The preview campaign the Get Record shortcut (Alt+G) pulls from: the first one
    /// running. The desktop's only answer to that question, so it can move to the engine whole.
    pub fn first_running_preview_campaign(&self) -> Option<CampaignId> {
        self.engine.first_running_campaign(CampaignMode::Preview)
    }

    /// The slot a reschedule dialog proposes first: (days after today, hour, minute).
    pub(super) fn default_reschedule_slot(&self, id: InteractionId) -> (i64, u32, u32) {
        // Tomorrow at the same hour is a sensible first proposal; the dialog checks it.
        let now = self.engine.now();
        let proposal = now + Duration::days(1);
        let day = 1;
        let hour = chrono::Timelike::hour(&proposal);
        if self
            .engine
            .reschedule_time_problem(id, now + Duration::days(1))
            .is_none()
        {
            return (day, hour, 0);
        }
        (day, 12, 0)
    }

    /// The call result a call-result dialog proposes: the campaign's preselected one, else the
    /// record's current result (the engine decides which).
    pub(super) fn suggested_call_result(&self, id: InteractionId) -> CallResult {
        self.engine.preselected_call_result(id)
    }

    /// The simulated time a reschedule dialog's fields describe.
    pub fn reschedule_time(&self, day: i64, hour: u32, minute: u32) -> SimTime {
        let date = self.engine.now().date() + Duration::days(day);
        date.and_hms_opt(hour.min(23), minute.min(59), 0)
            .unwrap_or_else(|| self.engine.now())
    }

    pub fn agent_name(&self) -> String {
        self.engine
            .agent(self.agent)
            .map_or_else(|| "(nobody logged in)".to_string(), |a| a.name.clone())
    }

    /// The title line of an interaction for lists and headers, made once per state of the
    /// world.
    pub fn title_of(&self, id: InteractionId) -> String {
        let mut cache = self.synced_cache();
        if let Some((_, title)) = cache.titles.iter().find(|(k, _)| *k == id) {
            return title.clone();
        }
        let title = self.make_title(id);
        cache.titles.push((id, title.clone()));
        title
    }

    fn make_title(&self, id: InteractionId) -> String {
        let Some(it) = self.engine.interaction(id) else {
            return id.to_string();
        };
        let who = match &it.payload {
            Payload::WebCallback(cb) => cb.customer.clone(),
            Payload::Outbound { .. } => self
                .engine
                .chain_of(it)
                .map(|c| c.contact_name.to_string())
                .unwrap_or_default(),
        };
        format!("{} {} · {}", id, it.channel.title(), who)
    }

    pub fn clock_text(&self) -> String {
        fmt_time(self.engine.now())
    }
}

/// Logs in agent `index` of the role book, or reuses its session if it has one.
fn login_agent(engine: &mut Engine, index: usize) -> AgentId {
    let Some(agent) = engine.roles().agents.get(index).cloned() else {
        return engine.login("Guest", Vec::new());
    };
    if let Some(existing) = engine.agents().iter().find(|a| a.name == agent.name) {
        return existing.id;
    }
    engine.login(&agent.name, agent.roles)
}
