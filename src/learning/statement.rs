//! The xAPI 1.0.3 statement as agentdesk writes it (and reads it back from an LRS): an actor
//! identified by an `account`, an ADL verb, an Activity object, a result, a context with the
//! run's registration, and an `id` that agentdesk chooses from what the statement is about, so
//! that a statement sent twice is stored once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The namespace of agentdesk's name-based (v5) statement and registration ids.
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6b1f_0c59_8d1e_4c7a_9a52_1f4e_2d3c_a701);

/// The ADL verbs agentdesk uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Attempted,
    Answered,
    Completed,
    Passed,
    Failed,
}

impl Verb {
    pub const ALL: [Verb; 5] = [
        Verb::Attempted,
        Verb::Answered,
        Verb::Completed,
        Verb::Passed,
        Verb::Failed,
    ];

    pub fn word(self) -> &'static str {
        match self {
            Verb::Attempted => "attempted",
            Verb::Answered => "answered",
            Verb::Completed => "completed",
            Verb::Passed => "passed",
            Verb::Failed => "failed",
        }
    }

    pub fn iri(self) -> String {
        format!("http://adlnet.gov/expapi/verbs/{}", self.word())
    }

    pub fn from_iri(iri: &str) -> Option<Verb> {
        Verb::ALL.into_iter().find(|v| v.iri() == iri)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub id: String,
    pub actor: Actor,
    pub verb: VerbRef,
    pub object: Activity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    pub timestamp: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    #[serde(rename = "objectType", default = "agent")]
    pub object_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Account>,
}

fn agent() -> String {
    "Agent".to_string()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    #[serde(rename = "homePage")]
    pub home_page: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerbRef {
    pub id: String,
    #[serde(default)]
    pub display: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    #[serde(rename = "objectType", default = "activity")]
    pub object_type: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<Definition>,
}

fn activity() -> String {
    "Activity".to_string()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    #[serde(default)]
    pub name: BTreeMap<String, String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaled: Option<f64>,
    pub raw: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Context {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<String>,
    #[serde(
        rename = "contextActivities",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub context_activities: Option<ContextActivities>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContextActivities {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parent: Vec<Activity>,
}

impl Statement {
    pub fn verb(&self) -> Option<Verb> {
        Verb::from_iri(&self.verb.id)
    }

    /// The trainee's name (the account name), if the actor is one of agentdesk's.
    pub fn trainee(&self) -> Option<&str> {
        self.actor.account.as_ref().map(|a| a.name.as_str())
    }

    pub fn registration(&self) -> Option<&str> {
        self.context.as_ref()?.registration.as_deref()
    }

    /// The parent activity id (the lesson of a step), if any.
    pub fn parent(&self) -> Option<&str> {
        let ca = self.context.as_ref()?.context_activities.as_ref()?;
        ca.parent.first().map(|a| a.id.as_str())
    }

    pub fn to_json(&self) -> Value {
        // A struct of strings, numbers and maps with string keys always serializes.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A name-based UUID (v5) in agentdesk's namespace: the same name gives the same id on every
/// machine and every run.
pub fn name_uuid(name: &str) -> String {
    uuid::Uuid::new_v5(&NAMESPACE, name.as_bytes())
        .hyphenated()
        .to_string()
}

/// Whether `text` is a UUID in its hyphenated form (xAPI's `id` and `registration`).
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36 && uuid::Uuid::parse_str(text).is_ok()
}

/// Seconds as an ISO 8601 duration (`PT1M5S`, `PT0S`; fractions to the hundredth, which is
/// as precise as xAPI keeps them).
pub fn iso_duration(seconds: f64) -> String {
    let hundredths = (seconds.max(0.0) * 100.0).round() as u64;
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
    let mut out = "PT".to_string();
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || frac > 0 || (h == 0 && m == 0) {
        if frac > 0 {
            out.push_str(&format!("{s}.{frac:02}S"));
        } else {
            out.push_str(&format!("{s}S"));
        }
    }
    out
}

/// Seconds of an ISO 8601 duration of the form agentdesk writes (`PnDTnHnMnS`, no years or
/// months); `None` for anything else.
pub fn duration_seconds(text: &str) -> Option<f64> {
    let rest = text.strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut total = 0.0;
    let mut any = false;
    for (part, units) in [
        (days, &[('D', 86400.0)][..]),
        (time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)][..]),
    ] {
        let mut number = String::new();
        let mut unit_index = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let at = units[unit_index..].iter().position(|(u, _)| *u == c)? + unit_index;
            total += number.parse::<f64>().ok()? * units[at].1;
            number.clear();
            unit_index = at + 1;
            any = true;
        }
        if !number.is_empty() {
            return None;
        }
    }
    (any && (time.is_empty() || text.contains('T') && !time.is_empty())).then_some(total)
}

/// Whether `text` is an absolute IRI: a scheme (a letter, then letters, digits, `+ - .`), a
/// colon and something after it, with no white space.
pub fn is_absolute_iri(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !text.chars().any(char::is_whitespace)
}
