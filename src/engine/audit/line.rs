//! One line of the audit log, the type both formats are written from: JSON lines serialize it,
//! CSV writes its fields as columns in the same order, and the shipped JSON Schema
//! (`docs/audit-log.schema.json`) is derived from it with schemars, so the three cannot drift
//! (a test compares the file with [`schema_json`]).

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;

use crate::policy::{Action, CATALOGUE, Channel, DenialKindName, Stage};

/// Which run a line came from, so that logs of many runs can be concatenated and told apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RunIdentity {
    /// The run's id: its start (UTC, to the millisecond), process id, seed and roles digest,
    /// e.g. `20261207T141700.123Z-p4711-s1-3fa2b9c1d0e4`; the CSV's `run` column.
    pub id: String,
    /// The seed of the run's simulated traffic.
    pub seed: u64,
    /// SHA-256 of the roles file's bytes (of the embedded defaults when none was given).
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub roles_sha256: String,
}

impl RunIdentity {
    /// The identity of a run started now with `seed` on a roles file of these bytes.
    pub fn new(seed: u64, roles: &[u8]) -> RunIdentity {
        use sha2::Digest as _;
        let digest: String = sha2::Sha256::digest(roles)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let started = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        RunIdentity {
            id: format!(
                "{started}-p{}-s{seed}-{}",
                std::process::id(),
                &digest[..12]
            ),
            seed,
            roles_sha256: digest,
        }
    }
}

/// One attempted command: every key on every line, `null` or empty where it does not apply,
/// so that data tools infer one schema whatever the run.
#[derive(Serialize, JsonSchema)]
#[schemars(
    title = "agentdesk audit log line",
    description = "One line of an agentdesk audit log (`agentdesk run --audit FILE`, or the desktop's audit export as JSON lines): one object per attempted command. Every key is on every line, null or empty when it does not apply, so data tools infer one schema whatever the run. The CSV form has the same columns in the same order (lists joined by `;`, `run` holding the run's id).",
    deny_unknown_fields,
    transform = rules
)]
pub(super) struct Line<'a> {
    /// Which run the line came from (`agentdesk run`); null in the desktop's export.
    pub run: Option<&'a RunIdentity>,
    /// 1, 2, ... in the order of the attempts.
    #[schemars(range(min = 1))]
    pub seq: u64,
    /// Simulated time of the attempt, ISO 8601 with the centre's UTC offset.
    #[schemars(
        regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$"),
        extend("format" = "date-time")
    )]
    pub time: String,
    /// The agent's name, as in the roles file (or the role's, for `login role`).
    pub agent: &'a str,
    /// The agent's roles at the time of the attempt.
    pub roles: &'a [String],
    pub channel: Channel,
    pub action: Action,
    /// The stage of the interaction when the attempt was made; `campaign` for get-record.
    pub stage: Stage,
    /// The interaction acted on; null for get-record, which acts on a campaign.
    #[schemars(range(min = 1))]
    pub interaction: Option<u32>,
    /// allowed: authorized and done; denied: refused (see kind); invalid: could not run (a
    /// wrong argument, another agent's interaction).
    #[schemars(schema_with = "decisions")]
    pub decision: &'static str,
    /// Why a denied attempt was refused; null unless denied.
    pub kind: Option<DenialKindName>,
    /// The privileges a privilege denial says must still be granted, exact names; empty
    /// otherwise.
    #[schemars(schema_with = "privilege_names")]
    pub missing: Vec<&'static str>,
    /// Why the attempt did not go through (the denial's detail, or what made it invalid); null
    /// when allowed.
    pub reason: Option<String>,
    #[schemars(schema_with = "sources")]
    pub source: &'static str,
    /// The script line of a scripted attempt; null otherwise.
    #[schemars(range(min = 1))]
    pub script_line: Option<u32>,
}

fn decisions(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = super::Decision::ALL.iter().map(|d| d.as_str()).collect();
    json_schema!({ "enum": names })
}

fn sources(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "enum": ["desktop", "script", "autopilot"] })
}

fn privilege_names(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = CATALOGUE.iter().map(|p| p.name).collect();
    json_schema!({ "type": "array", "uniqueItems": true, "items": { "enum": names } })
}

/// The rules between keys, which a type does not say: a denial has a kind and a reason, an
/// allowed attempt no reason, a scripted one its line.
fn rules(schema: &mut Schema) {
    let rules = serde_json::json!([
        {
            "if": { "properties": { "decision": { "const": "denied" } } },
            "then": { "properties": { "kind": { "type": "string" }, "reason": { "type": "string" } } },
            "else": { "properties": { "kind": { "const": null }, "missing": { "maxItems": 0 } } }
        },
        {
            "if": { "properties": { "decision": { "const": "allowed" } } },
            "then": { "properties": { "reason": { "const": null } } }
        },
        {
            "if": { "properties": { "decision": { "const": "invalid" } } },
            "then": { "properties": { "reason": { "type": "string" } } }
        },
        {
            "if": { "properties": { "source": { "const": "script" } } },
            "then": { "properties": { "script_line": { "type": "integer" } } },
            "else": { "properties": { "script_line": { "const": null } } }
        }
    ]);
    schema.insert("allOf".into(), rules);
    // Every key is on every line (an `Option` is written as null), in the columns' order.
    schema.insert("required".into(), serde_json::json!(super::CSV_HEADER));
    // Doc comments wrap; a description is one line.
    if let Some(props) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
        for p in props.values_mut() {
            if let Some(d) = p.get_mut("description")
                && let Some(text) = d.as_str()
            {
                *d = text.replace('\n', " ").into();
            }
        }
    }
}

/// The audit log's JSON Schema (2020-12), as `docs/audit-log.schema.json` ships it.
pub fn schema_json() -> String {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Line<'static>>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    /// The columns, the schema's keys and a written line's keys are one list, in one order.
    #[test]
    fn the_line_the_schema_and_the_csv_have_the_same_keys_in_order() {
        let line = super::Line {
            run: None,
            seq: 1,
            time: String::new(),
            agent: "",
            roles: &[],
            channel: crate::policy::Channel::Preview,
            action: crate::policy::Action::Dial,
            stage: crate::policy::Stage::Preview,
            interaction: None,
            decision: "allowed",
            kind: None,
            missing: Vec::new(),
            reason: None,
            source: "script",
            script_line: None,
        };
        let text = serde_json::to_string(&line).unwrap();
        let mut keys: Vec<&str> = super::super::CSV_HEADER.to_vec();
        let mut at = 0;
        for key in &keys {
            let found = text[at..].find(&format!("\"{key}\":")).map(|i| i + at);
            at = found.unwrap_or_else(|| panic!("{key} missing or out of order in {text}"));
        }
        let schema: serde_json::Value = serde_json::from_str(&super::schema_json()).unwrap();
        let mut props: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        props.sort_unstable();
        keys.sort_unstable();
        assert_eq!(props, keys);
    }

    /// The shipped schema is the one derived from the type: `UPDATE_AUDIT_SCHEMA=1 cargo test
    /// --lib audit::line` rewrites it after a change to [`super::Line`].
    #[test]
    fn the_shipped_schema_is_derived_from_the_line_type() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/audit-log.schema.json");
        let derived = super::schema_json();
        if std::env::var_os("UPDATE_AUDIT_SCHEMA").is_some() {
            std::fs::write(path, &derived).expect("write the schema");
        }
        let shipped = std::fs::read_to_string(path).expect("the schema ships");
        assert_eq!(
            shipped, derived,
            "docs/audit-log.schema.json lags the audit line type: run with UPDATE_AUDIT_SCHEMA=1"
        );
    }
}
