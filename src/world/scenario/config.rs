//! What a scenario configures for the agents' wrap-up, checked with positions: each campaign's
//! offered call results and preselected one, its editable and mandatory contact fields, the
//! disposition tree and whether a disposition is mandatory.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{CampaignSpec, Scenario};
use crate::input::{Diagnostic, LineIndex, suggest};
use crate::world::{CallResult, CallResultError};

/// The fields every contact has, before the contact list's own columns.
pub const NAME_FIELDS: [&str; 2] = ["First Name", "Last Name"];

/// The separator of a nested disposition, as written and shown: `Sale > Upgrade`.
pub const DISPOSITION_SEPARATOR: &str = " > ";

/// The levels of a disposition: `Sale > Upgrade` is `["Sale", "Upgrade"]`.
pub fn disposition_path(disposition: &str) -> Vec<&str> {
    disposition.split('>').map(str::trim).collect()
}

/// Where the values checked here are written, read leniently from the source only when one
/// is wrong (serde's typed fields carry no position).
#[derive(Default, Deserialize)]
#[serde(default)]
struct ConfigSpans {
    dispositions: Vec<Spanned<toml::Value>>,
    disposition_mandatory: Option<Spanned<toml::Value>>,
    campaign: Vec<CampaignConfigSpans>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CampaignConfigSpans {
    call_results: Option<Spanned<toml::Value>>,
    editable_fields: Vec<Spanned<toml::Value>>,
}

/// The checks of the wrap-up configuration, with every error they find.
pub(super) struct ConfigChecker<'a> {
    file: &'a str,
    source: &'a str,
    spans: Option<ConfigSpans>,
    /// The source's line index, built once: per error it made 200,000 duplicate call results
    /// quadratic.
    index: Option<LineIndex<'a>>,
    pub(super) errors: Vec<Diagnostic>,
}

impl<'a> ConfigChecker<'a> {
    pub(super) fn new(file: &'a str, source: &'a str) -> ConfigChecker<'a> {
        ConfigChecker {
            file,
            source,
            spans: None,
            index: None,
            errors: Vec::new(),
        }
    }

    fn spans(&mut self) -> &ConfigSpans {
        let source = self.source;
        self.spans
            .get_or_insert_with(|| toml::from_str(source).unwrap_or_default())
    }

    fn error_at(&mut self, message: String, span: Option<Range<usize>>) -> Diagnostic {
        let d = Diagnostic::error(self.file, message);
        let source = self.source;
        match span {
            Some(span) => d.at_indexed(
                self.index.get_or_insert_with(|| LineIndex::new(source)),
                span,
            ),
            None => d,
        }
    }

    /// Checks and completes the configuration: dispositions are tidied to `A > B`, each
    /// campaign's call results are resolved.
    pub(super) fn check(&mut self, scenario: &mut Scenario) {
        self.dispositions(scenario);
        for i in 0..scenario.campaigns.len() {
            let campaign = &scenario.campaigns[i];
            // Only a campaign that names fields needs its list's columns (a list may have
            // thousands, and be named by thousands of campaigns).
            let names_fields =
                !campaign.editable_fields.is_empty() || !campaign.mandatory_fields.is_empty();
            let columns: Option<Vec<String>> = scenario
                .contact_lists
                .get(i)
                .filter(|rows| names_fields && !rows.is_empty())
                .map(|rows| {
                    NAME_FIELDS
                        .iter()
                        .map(|s| s.to_string())
                        .chain(rows.field_names().iter().map(|name| name.to_string()))
                        .collect()
                });
            let campaign = &mut scenario.campaigns[i];
            self.call_results(i, campaign);
            if let Some(columns) = columns {
                self.fields(i, campaign, &columns);
            }
        }
    }

    fn dispositions(&mut self, scenario: &mut Scenario) {
        let mut tidy: Vec<String> = Vec::new();
        // Compared without ASCII case, by hash: 200,000 dispositions in linear time.
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for (i, d) in scenario.dispositions.iter().enumerate() {
            let path = disposition_path(d);
            let span = |c: &mut Self| c.spans().dispositions.get(i).map(Spanned::span);
            if path.iter().any(|level| level.is_empty()) {
                let s = span(self);
                let e = self
                    .error_at(format!("disposition \"{d}\" has an empty level"), s)
                    .expected("a name, or nested names like \"Sale > Upgrade\"");
                self.errors.push(e);
                continue;
            }
            let joined = path.join(DISPOSITION_SEPARATOR);
            if !seen.insert(joined.to_ascii_lowercase()) {
                let s = span(self);
                let e = self
                    .error_at(format!("disposition \"{joined}\" is listed twice"), s)
                    .expected("each disposition once");
                self.errors.push(e);
                continue;
            }
            tidy.push(joined);
        }
        scenario.dispositions = tidy;
        if scenario.disposition_mandatory && scenario.dispositions.is_empty() {
            let s = self
                .spans()
                .disposition_mandatory
                .as_ref()
                .map(Spanned::span);
            let e = self
                .error_at(
                    "disposition_mandatory is true but the scenario has no dispositions".into(),
                    s,
                )
                .expected("a dispositions list, or disposition_mandatory = false");
            self.errors.push(e);
        }
    }

    fn call_results(&mut self, i: usize, campaign: &mut CampaignSpec) {
        let name = campaign.name.clone();
        let mut offered = Vec::new();
        for text in &campaign.call_results {
            let Some(result) = self.call_result(text, &name, "call_results") else {
                continue;
            };
            if offered.contains(&result) {
                let e = self
                    .error_at(
                        format!("campaign \"{name}\" offers \"{}\" twice", result.label()),
                        Some(text.span()),
                    )
                    .expected("each call result once");
                self.errors.push(e);
                continue;
            }
            offered.push(result);
        }
        if campaign.call_results.is_empty() {
            offered = CallResult::ALL.to_vec();
            let written = self
                .spans()
                .campaign
                .get(i)
                .and_then(|c| c.call_results.as_ref())
                .map(Spanned::span);
            if let Some(span) = written {
                let e = self
                    .error_at(
                        format!("campaign \"{name}\" offers no call result"),
                        Some(span),
                    )
                    .expected("at least one call result, or no call_results key (all of them)");
                self.errors.push(e);
            }
        }
        campaign.offered_results = offered;
        let Some(pre) = campaign.call_result_preselected.clone() else {
            return;
        };
        let Some(result) = self.call_result(&pre, &name, "call_result_preselected") else {
            return;
        };
        if !campaign.offered_results.contains(&result) {
            let labels: Vec<&str> = campaign.offered_results.iter().map(|r| r.label()).collect();
            let e = self
                .error_at(
                    format!(
                        "call_result_preselected \"{}\" is not among the call results campaign \
                         \"{name}\" offers",
                        result.label()
                    ),
                    Some(pre.span()),
                )
                .expected(format!("one of: {}", labels.join(", ")));
            self.errors.push(e);
            return;
        }
        campaign.preselected_result = Some(result);
    }

    /// A call result written in a campaign's `key`, or `None` after recording the error.
    fn call_result(
        &mut self,
        text: &Spanned<String>,
        campaign: &str,
        key: &str,
    ) -> Option<CallResult> {
        match CallResult::parse(text.get_ref()) {
            Ok(r) => Some(r),
            Err(e) => {
                let suggestions = match &e {
                    CallResultError::Unknown(u) => u.suggestions.clone(),
                    CallResultError::NoSuchCode(_) => Vec::new(),
                };
                let all: Vec<String> = CallResult::ALL
                    .iter()
                    .map(|r| format!("{} ({})", r.label(), r.code()))
                    .collect();
                let s: Vec<&str> = suggestions.iter().map(String::as_str).collect();
                let d = self
                    .error_at(
                        format!("campaign \"{campaign}\" {key}: {}", headline(&e)),
                        Some(text.span()),
                    )
                    .expected(format!("a call result: {}", all.join(", ")))
                    .did_you_mean(&s);
                self.errors.push(d);
                None
            }
        }
    }

    /// Every field named in `editable_fields` and `mandatory_fields` is a field of the list.
    fn fields(&mut self, i: usize, campaign: &CampaignSpec, columns: &[String]) {
        let mut named: Vec<(String, Option<Range<usize>>)> = Vec::new();
        for (j, f) in campaign.editable_fields.iter().enumerate() {
            let span = self
                .spans()
                .campaign
                .get(i)
                .and_then(|c| c.editable_fields.get(j))
                .map(Spanned::span);
            named.push((f.clone(), span));
        }
        for f in &campaign.mandatory_fields {
            named.push((f.get_ref().clone(), Some(f.span())));
        }
        for (field, span) in named {
            if columns.contains(&field) {
                continue;
            }
            let s = suggest(&field, columns.iter().map(String::as_str));
            let e = self
                .error_at(
                    format!(
                        "campaign \"{}\" configures unknown field \"{field}\"",
                        campaign.name
                    ),
                    span,
                )
                .expected(format!(
                    "a field of its contact list: {}",
                    columns.join(", ")
                ))
                .did_you_mean(&s);
            self.errors.push(e);
        }
    }
}

/// The message of a call-result error without its suggestions (the diagnostic shows them).
fn headline(e: &CallResultError) -> String {
    match e {
        CallResultError::Unknown(u) => u.headline(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "name = \"x\"\nstart = \"2026-11-23T08:00:00\"\n";

    fn errors(rest: &str) -> Vec<String> {
        Scenario::parse("s.toml", &format!("{HEAD}{rest}"), None)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    fn campaign(keys: &str) -> String {
        format!(
            "[[campaign]]\nname = \"c\"\nmode = \"preview\"\ncontacts = \"renewals.csv\"\n{keys}"
        )
    }

    #[test]
    fn a_preselected_result_not_offered_is_a_positioned_error() {
        let e = errors(&campaign(
            "call_results = [\"Answer\", \"Busy\"]\ncall_result_preselected = \"No Answer\"\n",
        ));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(
                "s.toml:8:27: error: call_result_preselected \"No Answer\" is not among"
            ),
            "{}",
            e[0]
        );
        assert!(e[0].contains("expected: one of: Answer, Busy"), "{}", e[0]);
    }

    #[test]
    fn unknown_results_and_fields_are_positioned_with_suggestions() {
        let e = errors(&campaign(
            "call_results = [\"Answer\", \"Bussy\"]\neditable_fields = [\"Emial\"]\nmandatory_fields = [\"Notes\", \"Acount\"]\n",
        ));
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].starts_with("s.toml:7:27:"), "{}", e[0]);
        assert!(e[0].contains("did you mean \"Busy\""), "{}", e[0]);
        assert!(
            e[1].starts_with(
                "s.toml:8:20: error: campaign \"c\" configures unknown field \"Emial\""
            ),
            "{}",
            e[1]
        );
        assert!(e[1].contains("did you mean \"Email\""), "{}", e[1]);
        assert!(e[2].starts_with("s.toml:9:30:"), "{}", e[2]);
        assert!(e[2].contains("did you mean \"Account\""), "{}", e[2]);
    }

    #[test]
    fn dispositions_are_tidied_and_checked() {
        let s = Scenario::parse(
            "s.toml",
            &format!("{HEAD}dispositions = [\"Sale>Upgrade\", \"Sale\", \" Sale >  New line \"]\ndisposition_mandatory = true\n"),
            None,
        )
        .unwrap();
        assert_eq!(
            s.dispositions,
            ["Sale > Upgrade", "Sale", "Sale > New line"]
        );
        assert!(s.disposition_mandatory);
        let e = errors("dispositions = [\"Sale >\", \"A\", \"a\"]\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("s.toml:3:17: error: disposition \"Sale >\" has an empty level"),
            "{}",
            e[0]
        );
        assert!(
            e[1].starts_with("s.toml:3:32: error: disposition \"a\" is listed twice"),
            "{}",
            e[1]
        );
        let e = errors("disposition_mandatory = true\n");
        assert!(
            e[0].starts_with("s.toml:3:25: error: disposition_mandatory is true"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn defaults_offer_every_result_and_let_the_agent_choose() {
        let s = Scenario::parse("s.toml", &format!("{HEAD}{}", campaign("")), None).unwrap();
        let c = &s.campaigns[0];
        assert_eq!(c.offered_results, CallResult::ALL.to_vec());
        assert_eq!(c.preselected_result, None);
        assert_eq!(c.treatment, crate::world::Treatment::AgentChooses);
        let e = errors(&campaign("treatment = \"personnal\"\n"));
        assert!(e[0].starts_with("s.toml:7:13:"), "{}", e[0]);
    }
}
