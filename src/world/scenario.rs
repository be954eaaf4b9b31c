//! Scenario files (TOML): the traffic, campaigns, contact lists and customer behaviour of a
//! simulated shift, with the embedded default scenario and contact lists.

use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDateTime, NaiveTime};
use serde::Deserialize;
use toml::Spanned;

use crate::input::{Diagnostic, read_text};
use crate::input::{did_you_mean, suggest};
use crate::world::{
    CallResult, CallingWindow, CampaignMode, CustomerBehaviour, PhoneType, TimeZone, Treatment,
};

mod config;

pub use config::{DISPOSITION_SEPARATOR, NAME_FIELDS, disposition_path};

pub const DEFAULT_SCENARIO_TOML: &str = include_str!("../../assets/scenarios/default.toml");
pub const DEFAULT_SCENARIO_NAME: &str = "<embedded assets/scenarios/default.toml>";

/// Contact lists compiled into the binary, by the name a scenario uses for them.
pub const EMBEDDED_CONTACT_LISTS: &[(&str, &str)] = &[
    (
        "renewals.csv",
        include_str!("../../assets/contacts/renewals.csv"),
    ),
    (
        "survey.csv",
        include_str!("../../assets/contacts/survey.csv"),
    ),
];

/// Relative weights of the four callback types among new web callbacks.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CallbackMix {
    pub immediate: f64,
    pub delayed: f64,
    pub scheduled: f64,
    pub delayed_with_agent_preview: f64,
}

impl Default for CallbackMix {
    fn default() -> Self {
        CallbackMix {
            immediate: 4.0,
            delayed: 3.0,
            scheduled: 2.0,
            delayed_with_agent_preview: 1.0,
        }
    }
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
    pub contact_lists: Vec<Vec<ContactRow>>,
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

/// One row of a contact list: a contact and its numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactRow {
    pub first_name: String,
    pub last_name: String,
    /// Extra fields in file order (company, account, email...).
    pub fields: Vec<(String, String)>,
    pub time_zone: TimeZone,
    pub phones: Vec<(PhoneType, String)>,
    pub window: CallingWindow,
}

/// At most this many web callbacks may be waiting when the shift starts.
pub const MAX_INITIAL_CALLBACKS: u32 = 10_000;

/// Where the values that [`Scenario::parse`] range-checks are written. Serde's typed fields
/// carry no position, so this second, lenient reading of the same text finds them.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ValueSpans {
    centre_utc_offset_hours: Option<Spanned<toml::Value>>,
    web_callbacks: WebCallbackSpans,
    campaign: Vec<CampaignSpans>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct WebCallbackSpans {
    per_hour: Option<Spanned<toml::Value>>,
    initial: Option<Spanned<toml::Value>>,
    behaviour: Option<Spanned<toml::Value>>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CampaignSpans {
    behaviour: Option<Spanned<toml::Value>>,
}

const SCENARIO_SHAPE: &str = "name, start, optional settings, a [web_callbacks] table and \
                              [[campaign]] tables (see README, Scenario file)";

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
            let mut d = Diagnostic::error(file, e.message().trim_end().to_string())
                .expected(SCENARIO_SHAPE);
            if let Some(span) = e.span() {
                d = d.at(source, span);
            }
            vec![d]
        })?;
        let mut check = Checker {
            file,
            source,
            spans: None,
            errors: Vec::new(),
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
        check.errors.append(&mut config.errors);
        if check.errors.is_empty() {
            Ok(scenario)
        } else {
            Err(check.errors)
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
    errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn spans(&mut self) -> &ValueSpans {
        let source = self.source;
        self.spans
            .get_or_insert_with(|| toml::from_str(source).unwrap_or_default())
    }

    /// Records `d`, placed at the value `span` picks when the file has it.
    fn place(&mut self, d: Diagnostic, span: impl FnOnce(&ValueSpans) -> Option<Range<usize>>) {
        let source = self.source;
        let d = match span(self.spans()) {
            Some(span) => d.at(source, span),
            None => d,
        };
        self.errors.push(d);
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
    ) -> Vec<ContactRow> {
        match load_contacts(c.contacts.get_ref(), dir, centre_minutes) {
            Ok(mut rows) => {
                if let Some(max) = c.max_contacts {
                    rows.truncate(max);
                }
                rows
            }
            Err(ContactError::NotFound) => {
                let names = EMBEDDED_CONTACT_LISTS.iter().map(|(n, _)| *n);
                let s = suggest(c.contacts.get_ref(), names);
                let known: Vec<&str> = EMBEDDED_CONTACT_LISTS.iter().map(|(n, _)| *n).collect();
                self.errors.push(
                    Diagnostic::error(
                        self.file,
                        format!(
                            "contact list \"{}\" not found{}",
                            c.contacts.get_ref(),
                            did_you_mean(&s)
                        ),
                    )
                    .at(self.source, c.contacts.span())
                    .expected(format!(
                        "an embedded list ({}) or a CSV path relative to the scenario",
                        known.join(", ")
                    )),
                );
                Vec::new()
            }
            Err(ContactError::Bad(d)) => {
                self.errors.push(*d);
                Vec::new()
            }
        }
    }
}

fn behaviour_ok(b: &CustomerBehaviour) -> bool {
    let parts = [b.busy, b.no_answer, b.machine, b.fax, b.wrong_party];
    parts.iter().all(|p| (0.0..=1.0).contains(p)) && b.total_failure() <= 1.0
}

fn behaviour_error(file: &str, what: &str) -> Diagnostic {
    Diagnostic::error(file, format!("{what}: probabilities out of range"))
        .expected("each between 0 and 1, summing to at most 1 (the rest answer)")
}

enum ContactError {
    NotFound,
    Bad(Box<Diagnostic>),
}

fn load_contacts(
    name: &str,
    dir: Option<&Path>,
    centre_minutes: i32,
) -> Result<Vec<ContactRow>, ContactError> {
    if let Some((_, text)) = EMBEDDED_CONTACT_LISTS.iter().find(|(n, _)| *n == name) {
        return parse_contacts(
            &format!("<embedded assets/contacts/{name}>"),
            text,
            centre_minutes,
        )
        .map_err(|d| ContactError::Bad(Box::new(d)));
    }
    let path: PathBuf = match dir {
        Some(d) => d.join(name),
        None => PathBuf::from(name),
    };
    if !path.is_file() {
        return Err(ContactError::NotFound);
    }
    let text = read_text(&path).map_err(|d| ContactError::Bad(Box::new(d)))?;
    parse_contacts(&path.display().to_string(), &text, centre_minutes)
        .map_err(|d| ContactError::Bad(Box::new(d)))
}

/// Required columns of a contact list; any other column becomes a contact field.
const CONTACT_COLUMNS: &[&str] = &[
    "first_name",
    "last_name",
    "time_zone",
    "utc_offset_hours",
    "window_from",
    "window_till",
];
const PHONE_COLUMNS: &[&str] = &["home", "work", "mobile"];

/// Parses a contact list CSV. Errors name the file, line and column.
pub fn parse_contacts(
    file: &str,
    text: &str,
    centre_minutes: i32,
) -> Result<Vec<ContactRow>, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Diagnostic::error(file, format!("cannot read the header: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    for required in CONTACT_COLUMNS {
        if col(required).is_none() {
            let s = suggest(required, headers.iter());
            return Err(Diagnostic::error(
                file,
                format!("missing column \"{required}\"{}", did_you_mean(&s)),
            )
            .at_position(crate::input::Position { line: 1, column: 1 })
            .expected(format!(
                "columns {} and at least one of {}",
                CONTACT_COLUMNS.join(", "),
                PHONE_COLUMNS.join(", ")
            )));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Diagnostic::error(file, format!("malformed CSV: {e}"))
                .at_position(crate::input::Position { line, column: 1 })
        })?;
        rows.push(contact_row(file, &headers, &record, centre_minutes)?);
    }
    Ok(rows)
}

/// One row of a contact list, checked; `headers` are the list's column names.
fn contact_row(
    file: &str,
    headers: &csv::StringRecord,
    record: &csv::StringRecord,
    centre_minutes: i32,
) -> Result<ContactRow, Diagnostic> {
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let line = record.position().map_or(0, |p| p.line() as usize);
    let get = |name: &str| col(name).and_then(|i| record.get(i)).unwrap_or("").trim();
    let bad = |column: &str, message: String, expected: &str| {
        let column_no = col(column).map_or(1, |c| c + 1);
        Diagnostic::error(file, message)
            .at_position(crate::input::Position {
                line,
                column: column_no,
            })
            .expected(expected.to_string())
    };
    let offset: f64 = get("utc_offset_hours").parse().map_err(|_| {
        bad(
            "utc_offset_hours",
            format!("invalid utc_offset_hours \"{}\"", get("utc_offset_hours")),
            "a number of hours such as -8 or 5.5",
        )
    })?;
    // Earth's offsets run from -12 to +14; "inf" and "1e10" parse as numbers too, and
    // would overflow the minutes below.
    if !(-14.0..=14.0).contains(&offset) {
        return Err(bad(
            "utc_offset_hours",
            format!(
                "utc_offset_hours \"{}\" is out of range",
                get("utc_offset_hours")
            ),
            "an offset between -14 and 14 hours",
        ));
    }
    let time = |column: &str| {
        NaiveTime::parse_from_str(get(column), "%H:%M").map_err(|_| {
            bad(
                column,
                format!("invalid {column} \"{}\"", get(column)),
                "a local time like 08:00",
            )
        })
    };
    let window = CallingWindow {
        from: time("window_from")?,
        till: time("window_till")?,
    };
    let mut phones = Vec::new();
    for p in PHONE_COLUMNS {
        let v = get(p);
        if !v.is_empty() {
            let number = crate::world::validate_phone(v)
                .map_err(|e| bad(p, e, "a phone number with 7 to 15 digits"))?;
            phones.push((PhoneType::parse(p).unwrap_or(PhoneType::Other), number));
        }
    }
    if phones.is_empty() {
        return Err(bad(
            "home",
            "contact has no phone number".into(),
            "a home, work or mobile number",
        ));
    }
    let fields = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !CONTACT_COLUMNS.contains(&h.trim()) && !PHONE_COLUMNS.contains(&h.trim()))
        .map(|(i, h)| {
            (
                h.trim().to_string(),
                record.get(i).unwrap_or("").trim().to_string(),
            )
        })
        .collect();
    Ok(ContactRow {
        first_name: get("first_name").to_string(),
        last_name: get("last_name").to_string(),
        fields,
        time_zone: TimeZone {
            name: get("time_zone").to_string(),
            // Saturating: the offset is checked above, but the centre is the caller's.
            offset_from_centre_minutes: ((offset * 60.0).round() as i32)
                .saturating_sub(centre_minutes),
        },
        phones,
        window,
    })
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
    fn contact_errors_name_line_and_column() {
        let text = "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home\nA,B,ET,-5,08:00,21:00,555-0101x\n";
        let e = parse_contacts("c.csv", text, -300).unwrap_err();
        assert_eq!(e.location(), "c.csv:2:7");
        let e = parse_contacts("c.csv", "first_name,last_nam\n", -300).unwrap_err();
        assert!(e.message.contains("missing column \"last_name\""));
    }
}
