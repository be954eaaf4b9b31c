//! Scenario files (TOML): the traffic, campaigns and customer behaviour of a simulated shift,
//! with the embedded default scenario. Contact lists are read by `contacts.rs`, once per list.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDateTime};
use serde::Deserialize;
use toml::Spanned;

use crate::input::names::{LookAlikes, look_alike_message};
use crate::input::{Collector, Diagnostic, LineIndex, Severity, read_text};
use crate::input::{did_you_mean, suggest};
use crate::output::InputKind;
use crate::world::{CallResult, CampaignMode, CustomerBehaviour, Treatment};

use super::contacts::{ContactError, load_contacts};
pub use super::contacts::{
    ContactIter, ContactList, ContactListBuilder, ContactRow, ContactRows, ContactView,
    EMBEDDED_CONTACT_LISTS, NewContact, parse_contacts, read_contacts,
};

mod config;

pub use config::{DISPOSITION_SEPARATOR, NAME_FIELDS, disposition_path};

pub const DEFAULT_SCENARIO_TOML: &str = include_str!("../../assets/scenarios/default.toml");
pub const DEFAULT_SCENARIO_NAME: &str = "<embedded assets/scenarios/default.toml>";

/// Relative weights of the two web callback kinds among new requests.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CallbackMix {
    /// "As soon as possible".
    pub asap: f64,
    /// At a desired time the customer chose.
    pub scheduled: f64,
}

impl Default for CallbackMix {
    fn default() -> Self {
        CallbackMix {
            asap: 7.0,
            scheduled: 3.0,
        }
    }
}

/// The GMS callback type names scenarios used before the eServices Web Callback kinds.
const OLD_MIX_KEYS: [&str; 4] = [
    "immediate",
    "delayed",
    "delayed_with_agent_preview",
    "delayed-with-agent-preview",
];

/// The shape error for an old callback type key, naming the new keys: the generic
/// "unknown field" message alone would not tell the user the types were replaced.
fn old_mix_key(file: &str, source: &str, e: &toml::de::Error) -> Option<Diagnostic> {
    let message = e.message();
    let key = OLD_MIX_KEYS
        .iter()
        .find(|k| message.starts_with(&format!("unknown field `{k}`")))?;
    let span = e.span()?;
    Some(
        Diagnostic::error(
            file,
            format!("web_callbacks.mix has no \"{key}\" any more: web callbacks are the eServices kinds \"as soon as possible\" and \"scheduled\""),
        )
        .at(source, span)
        .expected("mix = { asap = N, scheduled = N }")
        .did_you_mean(&["asap", "scheduled"]),
    )
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebCallbackTraffic {
    /// Mean new callback requests per simulated hour (Poisson arrivals).
    pub per_hour: f64,
    /// Requests already waiting when the shift starts.
    pub initial: u32,
    pub mix: CallbackMix,
    pub reasons: Vec<String>,
    pub behaviour: CustomerBehaviour,
    /// How long after its desired time a callback expires, in minutes.
    pub expires_after_minutes: u32,
    /// Whether a rescheduled web callback comes back to its agent, to any agent, or as the
    /// agent chooses.
    pub treatment: Treatment,
}

impl Default for WebCallbackTraffic {
    fn default() -> Self {
        WebCallbackTraffic {
            per_hour: 12.0,
            initial: 3,
            mix: CallbackMix::default(),
            reasons: vec!["Billing question".into()],
            behaviour: CustomerBehaviour {
                busy: 0.05,
                no_answer: 0.10,
                machine: 0.05,
                fax: 0.0,
                wrong_party: 0.02,
            },
            expires_after_minutes: 120,
            treatment: Treatment::AgentChooses,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignSpec {
    pub name: String,
    pub mode: CampaignMode,
    #[serde(default = "yes")]
    pub running: bool,
    /// An embedded contact list name, or a CSV path relative to the scenario file.
    pub contacts: Spanned<String>,
    /// Contact fields agents may edit; all others are read-only.
    #[serde(default)]
    pub editable_fields: Vec<String>,
    #[serde(default)]
    pub behaviour: CustomerBehaviour,
    /// Use at most this many contacts of the list.
    #[serde(default)]
    pub max_contacts: Option<usize>,
    /// Contact fields agents may edit and must fill in before Mark Done.
    #[serde(default)]
    pub mandatory_fields: Vec<Spanned<String>>,
    /// The call results offered to agents, by label or vendor code (default: all of them).
    #[serde(default)]
    pub call_results: Vec<Spanned<String>>,
    /// The call result the call-result dialog proposes.
    #[serde(default)]
    pub call_result_preselected: Option<Spanned<String>>,
    /// Whether a reschedule is a personal callback, a campaign callback, or the agent's choice.
    #[serde(default)]
    pub treatment: Treatment,
    /// Filled in after parsing: `call_results` and `call_result_preselected` resolved.
    #[serde(skip)]
    pub offered_results: Vec<CallResult>,
    #[serde(skip)]
    pub preselected_result: Option<CallResult>,
}

fn yes() -> bool {
    true
}

/// Everything a simulated shift is made of.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    /// Shift start in the centre's local time, e.g. `2026-11-23T08:00:00`.
    pub start: Spanned<String>,
    /// The centre's offset from UTC in hours, used to compute contacts' local times.
    #[serde(default = "default_centre_offset")]
    pub centre_utc_offset_hours: f64,
    /// Seconds an invitation waits for accept or decline before it withdraws itself.
    #[serde(default = "default_invitation_timeout")]
    pub invitation_timeout_seconds: u32,
    /// Seconds between push-preview invitations to a ready agent.
    #[serde(default = "default_push_interval")]
    pub push_interval_seconds: u32,
    /// Disposition codes; `Sale > Upgrade` nests Upgrade under Sale.
    #[serde(default)]
    pub dispositions: Vec<String>,
    /// Mark Done on a web callback waits until a disposition is set.
    #[serde(default)]
    pub disposition_mandatory: bool,
    #[serde(default)]
    pub web_callbacks: WebCallbackTraffic,
    #[serde(default, rename = "campaign")]
    pub campaigns: Vec<CampaignSpec>,
    /// Filled in after parsing: the start as a time, and each campaign's contacts.
    #[serde(skip)]
    pub start_time: NaiveDateTime,
    #[serde(skip)]
    pub contact_lists: Vec<ContactList>,
    /// What the checks found legal but probably not meant (two campaigns of one name, a
    /// calling window that never opens...); the scenario still loads.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

fn default_centre_offset() -> f64 {
    -5.0
}
fn default_invitation_timeout() -> u32 {
    30
}
fn default_push_interval() -> u32 {
    90
}

/// At most this many web callbacks may be waiting when the shift starts.
pub const MAX_INITIAL_CALLBACKS: u32 = 10_000;

/// The most new web callback requests one run may expect (`per_hour` times the simulated
/// hours): every request is kept for the day's history, so memory grows with them; a run
/// expecting more is refused before it starts (or, for a script, where it would go past).
pub const MAX_RUN_CALLBACKS: f64 = 250_000.0;

/// How many web callback requests `per_hour` brings over `span` of simulated time.
pub fn expected_callbacks(per_hour: f64, span: chrono::Duration) -> f64 {
    per_hour * span.num_seconds() as f64 / 3600.0
}

/// Where the values that [`Scenario::parse`] range-checks are written. Serde's typed fields
/// carry no position, so this second, lenient reading of the same text finds them.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ValueSpans {
    centre_utc_offset_hours: Option<Spanned<toml::Value>>,
    web_callbacks: WebCallbackSpans,
    campaign: Vec<CampaignSpans>,
    dispositions: Vec<Spanned<toml::Value>>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct WebCallbackSpans {
    per_hour: Option<Spanned<toml::Value>>,
    initial: Option<Spanned<toml::Value>>,
    mix: Option<Spanned<toml::Value>>,
    behaviour: Option<Spanned<toml::Value>>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CampaignSpans {
    behaviour: Option<Spanned<toml::Value>>,
    name: Option<Spanned<toml::Value>>,
    editable_fields: Vec<Spanned<toml::Value>>,
}

const SCENARIO_SHAPE: &str = "name, start, optional settings, a [web_callbacks] table and \
                              [[campaign]] tables (see `agentdesk help roles`)";

impl Scenario {
    pub fn embedded_default() -> Scenario {
        match Scenario::parse(DEFAULT_SCENARIO_NAME, DEFAULT_SCENARIO_TOML, None) {
            Ok(s) => s,
            Err(errors) => panic!(
                "embedded scenario is broken (a build defect, not user input): {}",
                errors[0]
            ),
        }
    }

    pub fn load(path: &Path) -> Result<Scenario, Vec<Diagnostic>> {
        crate::output::note_input(path, InputKind::Scenario);
        let source = read_text(path).map_err(|d| vec![d])?;
        Scenario::parse(&path.display().to_string(), &source, path.parent())
    }

    /// Parses scenario text. Contact lists are looked up among the embedded ones first, then
    /// relative to `dir` (the scenario file's folder).
    pub fn parse(
        file: &str,
        source: &str,
        dir: Option<&Path>,
    ) -> Result<Scenario, Vec<Diagnostic>> {
        let mut scenario: Scenario = toml::from_str(source).map_err(|e| {
            vec![old_mix_key(file, source, &e).unwrap_or_else(|| {
                crate::input::toml_error(file, source, &e).expected(SCENARIO_SHAPE)
            })]
        })?;
        let mut check = Checker {
            file,
            source,
            spans: None,
            index: None,
            errors: Collector::new(file),
            warnings: Collector::new(file),
            lists: HashMap::new(),
        };
        check.start(&mut scenario);
        let centre_ok = check.ranges(&scenario);
        // Contact lists are still read for their own errors, relative to a sane centre.
        let centre_minutes = if centre_ok {
            scenario.centre_offset_minutes()
        } else {
            0
        };
        scenario.contact_lists = scenario
            .campaigns
            .iter()
            .map(|c| check.contacts(c, dir, centre_minutes))
            .collect();
        let mut config = config::ConfigChecker::new(file, source);
        config.check(&mut scenario);
        for d in config.errors {
            check.errors.push(d);
        }
        check.names(&scenario);
        if check.errors.is_empty() {
            scenario.warnings = check.warnings.finish();
            Ok(scenario)
        } else {
            Err(check.errors.finish())
        }
    }

    pub fn centre_offset_minutes(&self) -> i32 {
        (self.centre_utc_offset_hours * 60.0).round() as i32
    }
}

/// The checks of a parsed scenario beyond its shape, with every error they find.
struct Checker<'a> {
    file: &'a str,
    source: &'a str,
    /// Where the checked values are, read again from the source only when one is wrong.
    spans: Option<ValueSpans>,
    /// The source's line index, built once for every diagnostic placed in it: building it per
    /// diagnostic made 20,000 campaigns with missing lists quadratic.
    index: Option<LineIndex<'a>>,
    errors: Collector,
    warnings: Collector,
    /// Each contact list read so far, by where it was found: a list named by several
    /// campaigns is read and parsed once. `None`: it could not be used (already reported).
    lists: HashMap<String, Option<ContactList>>,
}

impl<'a> Checker<'a> {
    fn spans(&mut self) -> &ValueSpans {
        let source = self.source;
        self.spans
            .get_or_insert_with(|| toml::from_str(source).unwrap_or_default())
    }

    /// Records `d`, placed at the value `span` picks when the file has it.
    fn place(&mut self, d: Diagnostic, span: impl FnOnce(&ValueSpans) -> Option<Range<usize>>) {
        if self.errors.has_room(d.severity) {
            let d = self.placed(d, span);
            self.errors.push(d);
        } else {
            self.errors.count_hidden(d.severity);
        }
    }

    /// Records the warning `d`, placed like [`Checker::place`].
    fn warn(&mut self, d: Diagnostic, span: impl FnOnce(&ValueSpans) -> Option<Range<usize>>) {
        if self.warnings.has_room(Severity::Warning) {
            let d = self.placed(d, span);
            self.warnings.push(d);
        } else {
            self.warnings.count_hidden(Severity::Warning);
        }
    }

    fn placed(
        &mut self,
        d: Diagnostic,
        span: impl FnOnce(&ValueSpans) -> Option<Range<usize>>,
    ) -> Diagnostic {
        let source = self.source;
        match span(self.spans()) {
            Some(span) => d.at_indexed(
                self.index.get_or_insert_with(|| LineIndex::new(source)),
                span,
            ),
            None => d,
        }
    }

    /// Warnings about names: campaigns of one name (or of none), and names that look alike.
    /// (An editable field that no contact has is an error of the campaign's configuration.)
    fn names(&mut self, scenario: &Scenario) {
        let file = self.file;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut look_alikes = LookAlikes::default();
        for (i, c) in scenario.campaigns.iter().enumerate() {
            let at_name = move |s: &ValueSpans| {
                s.campaign
                    .get(i)
                    .and_then(|c| c.name.as_ref())
                    .map(Spanned::span)
            };
            let name = c.name.as_str();
            if name.trim().is_empty() {
                let d = Diagnostic::new(Severity::Warning, file, "campaign name is empty")
                    .expected("a name agents and scripts can tell the campaign by");
                self.warn(d, at_name);
            } else if let Some(first) = seen.insert(name, i) {
                let d = Diagnostic::new(
                    Severity::Warning,
                    file,
                    format!(
                        "campaign name \"{name}\" is used by campaigns {} and {}; scripts and the desktop reach only the first",
                        first + 1,
                        i + 1
                    ),
                )
                .expected("each campaign name once");
                self.warn(d, at_name);
            } else if let Some(earlier) = look_alikes.check(name) {
                let d = look_alike_warning(file, "campaign", name, &earlier);
                self.warn(d, at_name);
            }
        }
        let mut look_alikes = LookAlikes::default();
        for (i, name) in scenario.dispositions.iter().enumerate() {
            if let Some(earlier) = look_alikes.check(name) {
                let d = look_alike_warning(file, "disposition", name, &earlier);
                self.warn(d, |s| s.dispositions.get(i).map(Spanned::span));
            }
        }
    }

    fn start(&mut self, scenario: &mut Scenario) {
        let (file, source) = (self.file, self.source);
        match NaiveDateTime::parse_from_str(scenario.start.get_ref(), "%Y-%m-%dT%H:%M:%S") {
            // chrono takes years up to 262,142, where adding the shift's first minute would
            // overflow: keep to years a calendar of a real shift can have.
            Ok(t) if !(1900..=9999).contains(&t.year()) => self.errors.push(
                Diagnostic::error(file, "start time is out of range")
                    .at(source, scenario.start.span())
                    .expected("a year between 1900 and 9999"),
            ),
            Ok(t) => scenario.start_time = t,
            Err(e) => self.errors.push(
                Diagnostic::error(file, format!("invalid start time: {e}"))
                    .at(source, scenario.start.span())
                    .expected("a local date and time like \"2026-11-23T08:00:00\""),
            ),
        }
    }

    /// The numeric settings; returns whether the centre's offset is usable.
    fn ranges(&mut self, scenario: &Scenario) -> bool {
        let file = self.file;
        // On the hours, so that NaN (which rounds to 0 minutes) is refused too.
        let centre_ok = (-14.0..=14.0).contains(&scenario.centre_utc_offset_hours);
        if !centre_ok {
            self.place(
                Diagnostic::error(file, "centre_utc_offset_hours is out of range")
                    .expected("an offset between -14 and 14 hours"),
                |s| s.centre_utc_offset_hours.as_ref().map(Spanned::span),
            );
        }
        let wc = &scenario.web_callbacks;
        if !(0.0..=10_000.0).contains(&wc.per_hour) {
            self.place(
                Diagnostic::error(file, "web_callbacks.per_hour is out of range")
                    .expected("a rate between 0 and 10000 per hour"),
                |s| s.web_callbacks.per_hour.as_ref().map(Spanned::span),
            );
        }
        // Each one is built when the shift starts: a typo of a few digits must not hang it.
        if wc.initial > MAX_INITIAL_CALLBACKS {
            self.place(
                Diagnostic::error(file, "web_callbacks.initial is out of range")
                    .expected(format!("at most {MAX_INITIAL_CALLBACKS} waiting requests")),
                |s| s.web_callbacks.initial.as_ref().map(Spanned::span),
            );
        }
        let m = &wc.mix;
        let weights = [m.asap, m.scheduled];
        // `contains` is false for NaN, so a `nan` weight is refused with the negative ones.
        if !weights.iter().all(|w| (0.0..=1e9).contains(w)) || weights.iter().all(|&w| w == 0.0) {
            self.place(
                Diagnostic::error(file, "web_callbacks.mix has a weight that cannot be used")
                    .expected("weights between 0 and 1000000000, at least one above 0"),
                |s| s.web_callbacks.mix.as_ref().map(Spanned::span),
            );
        }
        if !behaviour_ok(&wc.behaviour) {
            self.place(behaviour_error(file, "web_callbacks.behaviour"), |s| {
                s.web_callbacks.behaviour.as_ref().map(Spanned::span)
            });
        }
        for (i, c) in scenario.campaigns.iter().enumerate() {
            if !behaviour_ok(&c.behaviour) {
                let d = behaviour_error(file, &format!("campaign \"{}\" behaviour", c.name));
                self.place(d, |s| {
                    s.campaign
                        .get(i)
                        .and_then(|c| c.behaviour.as_ref())
                        .map(Spanned::span)
                });
            }
        }
        centre_ok
    }

    /// The contact list of a campaign; an empty list (and an error) when it cannot be used.
    fn contacts(
        &mut self,
        c: &CampaignSpec,
        dir: Option<&Path>,
        centre_minutes: i32,
    ) -> ContactList {
        let name = c.contacts.get_ref();
        let key = list_key(name, dir);
        if let Some(known) = self.lists.get(&key) {
            return known
                .as_ref()
                .map(|list| list.limited(c.max_contacts))
                .unwrap_or_default();
        }
        let loaded = load_contacts(name, dir, centre_minutes, &mut self.warnings);
        let list = match loaded {
            Ok(list) => Some(list),
            Err(ContactError::NotFound) => {
                self.list_not_found(c);
                None
            }
            Err(ContactError::Bad(d)) => {
                self.errors.push(*d);
                None
            }
        };
        let limited = list
            .as_ref()
            .map(|l| l.limited(c.max_contacts))
            .unwrap_or_default();
        self.lists.insert(key, list);
        limited
    }
}

impl Checker<'_> {
    /// Reports that `c`'s contact list is nowhere, placed with the checker's one line index:
    /// placing each with an index of its own made 20,000 campaigns with missing lists
    /// quadratic (issue 27). Past the cap it is only counted.
    fn list_not_found(&mut self, c: &CampaignSpec) {
        if !self.errors.has_room(Severity::Error) {
            self.errors.count_hidden(Severity::Error);
            return;
        }
        let names = EMBEDDED_CONTACT_LISTS.iter().map(|(n, _)| *n);
        let s = suggest(c.contacts.get_ref(), names);
        let known: Vec<&str> = EMBEDDED_CONTACT_LISTS.iter().map(|(n, _)| *n).collect();
        let source = self.source;
        let index = self.index.get_or_insert_with(|| LineIndex::new(source));
        let d = Diagnostic::error(
            self.file,
            format!(
                "contact list \"{}\" not found{}",
                c.contacts.get_ref(),
                did_you_mean(&s)
            ),
        )
        .at_indexed(index, c.contacts.span())
        .expected(format!(
            "an embedded list ({}) or a CSV path relative to the scenario",
            known.join(", ")
        ));
        self.errors.push(d);
    }
}

/// Where a campaign's contact list comes from, the same for two campaigns that name one list
/// (even by two spellings of its path).
fn list_key(name: &str, dir: Option<&Path>) -> String {
    if EMBEDDED_CONTACT_LISTS.iter().any(|(n, _)| *n == name) {
        return format!("embedded:{name}");
    }
    let path = dir.map_or_else(|| PathBuf::from(name), |d| d.join(name));
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    format!("file:{}", path.display())
}

fn look_alike_warning(file: &str, what: &str, name: &str, earlier: &str) -> Diagnostic {
    Diagnostic::new(
        Severity::Warning,
        file,
        look_alike_message(what, name, earlier),
    )
    .help("type both the same way, or rename one")
}

fn behaviour_ok(b: &CustomerBehaviour) -> bool {
    let parts = [b.busy, b.no_answer, b.machine, b.fax, b.wrong_party];
    parts.iter().all(|p| (0.0..=1.0).contains(p)) && b.total_failure() <= 1.0
}

fn behaviour_error(file: &str, what: &str) -> Diagnostic {
    Diagnostic::error(file, format!("{what}: probabilities out of range"))
        .expected("each between 0 and 1, summing to at most 1 (the rest answer)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_scenario_loads_with_contacts() {
        let s = Scenario::embedded_default();
        assert!(s.campaigns.len() >= 2);
        assert!(s.campaigns.iter().any(|c| c.mode == CampaignMode::Preview));
        assert!(
            s.campaigns
                .iter()
                .any(|c| c.mode == CampaignMode::PushPreview)
        );
        for (spec, list) in s.campaigns.iter().zip(&s.contact_lists) {
            match spec.max_contacts {
                Some(max) => assert_eq!(list.len(), max),
                None => assert!(list.len() >= 20, "{}", spec.name),
            }
        }
        assert!(!s.dispositions.is_empty());
    }

    #[test]
    fn errors_have_positions_and_suggestions() {
        let e = Scenario::parse(
            "s.toml",
            "name = \"x\"\nstart = \"2026-11-23T08:00:00\"\nfoo = 1\n",
            None,
        )
        .unwrap_err();
        assert!(
            e[0].to_string()
                .starts_with("s.toml:3:1: error: unknown field `foo`"),
            "{}",
            e[0]
        );
        let e = Scenario::parse("s.toml", "name = \"x\"\nstart = \"8am\"\n", None).unwrap_err();
        assert!(
            e[0].to_string()
                .starts_with("s.toml:2:9: error: invalid start time"),
            "{}",
            e[0]
        );
        let src = "name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n[[campaign]]\nname = \"c\"\nmode = \"preview\"\ncontacts = \"renewal.csv\"\n";
        let e = Scenario::parse("s.toml", src, None).unwrap_err();
        assert!(e[0].to_string().contains("s.toml:6:12"), "{}", e[0]);
        assert!(
            e[0].to_string().contains("did you mean \"renewals.csv\""),
            "{}",
            e[0]
        );
        let src = "name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n[[campaign]]\nname = \"c\"\nmode = \"pull\"\ncontacts = \"renewals.csv\"\n";
        let e = Scenario::parse("s.toml", src, None).unwrap_err();
        assert!(e[0].to_string().starts_with("s.toml:5:8"), "{}", e[0]);
    }

    #[test]
    fn old_callback_type_keys_are_positioned_errors_naming_the_new_kinds() {
        for old in ["immediate", "delayed", "delayed_with_agent_preview"] {
            let src = format!(
                "name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n[web_callbacks]\nmix = {{ scheduled = 1, {old} = 2 }}\n"
            );
            let e = Scenario::parse("s.toml", &src, None).unwrap_err();
            let text = e[0].to_string();
            assert!(text.starts_with("s.toml:4:24: error:"), "{text}");
            assert!(text.contains(&format!("no \"{old}\"")), "{text}");
            assert!(text.contains("asap = N, scheduled = N"), "{text}");
            assert!(
                text.contains("did you mean \"asap\" or \"scheduled\""),
                "{text}"
            );
        }
        let src = "name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n[web_callbacks]\nmix = { asap = 1, scheduled = 0 }\n";
        let s = Scenario::parse("s.toml", src, None).unwrap();
        assert_eq!(
            s.web_callbacks.mix,
            CallbackMix {
                asap: 1.0,
                scheduled: 0.0
            }
        );
    }

    fn scenario_warnings(campaigns: &str) -> Vec<String> {
        let src = format!("name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n{campaigns}");
        Scenario::parse("s.toml", &src, None)
            .unwrap()
            .warnings
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn campaign_names_get_warnings() {
        let w = scenario_warnings(
            "[[campaign]]\nname = \"A\"\nmode = \"preview\"\ncontacts = \"renewals.csv\"\neditable_fields = [\"Notes\"]\n\
             [[campaign]]\nname = \"A\"\nmode = \"preview\"\ncontacts = \"renewals.csv\"\n\
             [[campaign]]\nname = \"\"\nmode = \"preview\"\ncontacts = \"renewals.csv\"\n\
             [[campaign]]\nname = \"Jose\\u0301\"\nmode = \"preview\"\ncontacts = \"renewals.csv\"\n\
             [[campaign]]\nname = \"Jos\\u00e9\"\nmode = \"preview\"\ncontacts = \"renewals.csv\"\n",
        );
        assert_eq!(w.len(), 3, "{w:#?}");
        assert!(
            w[0].starts_with(
                "s.toml:9:8: warning: campaign name \"A\" is used by campaigns 1 and 2"
            ),
            "{}",
            w[0]
        );
        assert!(w[1].contains("campaign name is empty"), "{}", w[1]);
        assert!(w[2].contains("looks the same as"), "{}", w[2]);
    }

    #[test]
    fn a_list_named_by_many_campaigns_is_parsed_once_and_shared() {
        let campaign =
            "[[campaign]]\nname = \"C{i}\"\nmode = \"preview\"\ncontacts = \"renewals.csv\"\n";
        let all: String = (0..10)
            .map(|i| campaign.replace("{i}", &i.to_string()))
            .collect();
        let src = format!(
            "name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n{all}[[campaign]]\nname = \"Small\"\nmode = \"preview\"\ncontacts = \"renewals.csv\"\nmax_contacts = 2\n"
        );
        let s = Scenario::parse("s.toml", &src, None).unwrap();
        let lists = &s.contact_lists;
        assert!(lists.iter().all(|l| l.shares_rows_with(&lists[0])));
        assert_eq!(lists[10].len(), 2);
        assert!(lists[10].iter().eq(lists[0].iter().take(2)));
    }
}
