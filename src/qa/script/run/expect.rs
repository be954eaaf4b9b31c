//! Checking `expect` lines against the engine: the last action's result, the current
//! interaction's stage and record chain, a campaign's queue.

use super::{ActionResult, Runner};
use crate::policy::{Action, Denial, Privilege, Stage};
use crate::qa::script::ast::Expectation;
use crate::world::{CampaignId, CampaignMode, Payload};

impl Runner<'_, '_> {
    /// `Err` says why the expectation does not hold.
    pub(super) fn expect(&self, expectation: &Expectation) -> Result<(), String> {
        match expectation {
            Expectation::Stage(stage) => self.expect_stage(*stage),
            Expectation::Queue { campaign, records } => self.expect_queue(*campaign, *records),
            Expectation::Records(records) => self.expect_records(*records),
            Expectation::Contact(name) => self.expect_contact(name),
            Expectation::Allowed | Expectation::Invalid | Expectation::Denied { .. } => {
                self.expect_result(expectation)
            }
        }
    }

    fn expect_stage(&self, stage: Stage) -> Result<(), String> {
        let id = self
            .current
            .ok_or("there is no current interaction to check")?;
        let actual = self
            .engine
            .interaction(id)
            .map_or(Stage::Closed, |it| it.stage);
        if actual == stage {
            Ok(())
        } else {
            Err(format!("{id} is in stage {actual}, not {stage}"))
        }
    }

    fn expect_queue(&self, campaign: Option<CampaignId>, records: usize) -> Result<(), String> {
        let c = campaign
            .or_else(|| self.engine.first_running_campaign(CampaignMode::Preview))
            .and_then(|c| self.engine.campaign(c))
            .ok_or("the scenario has no running preview campaign")?;
        let actual = c.queue.len();
        if actual == records {
            Ok(())
        } else {
            Err(format!(
                "\"{}\" has {actual} records queued, not {records}",
                c.name
            ))
        }
    }

    fn expect_records(&self, records: usize) -> Result<(), String> {
        let id = self
            .current
            .ok_or("there is no current interaction to check")?;
        let chain = self
            .engine
            .interaction(id)
            .and_then(|it| self.engine.chain_of(it))
            .ok_or_else(|| format!("{id} has no record chain (it is not outbound)"))?;
        let actual = chain.records.len();
        if actual == records {
            Ok(())
        } else {
            Err(format!(
                "the record chain of {id} has {actual} records, not {records}"
            ))
        }
    }

    fn expect_contact(&self, name: &str) -> Result<(), String> {
        let id = self
            .current
            .ok_or("there is no current interaction to check")?;
        let it = self
            .engine
            .interaction(id)
            .ok_or_else(|| format!("there is no interaction {id}"))?;
        let actual = match (&it.payload, self.engine.chain_of(it)) {
            (Payload::WebCallback(cb), _) => cb.customer.clone(),
            (Payload::Outbound { .. }, Some(chain)) => chain.contact_name.to_string(),
            (Payload::Outbound { .. }, None) => String::new(),
        };
        if actual == name {
            Ok(())
        } else {
            Err(format!("{id} is about {actual}, not {name}"))
        }
    }

    /// `expect allowed`, `expect invalid` or `expect denied ...` against the last action.
    fn expect_result(&self, expectation: &Expectation) -> Result<(), String> {
        let Some((line, action, result)) = &self.last else {
            return Err("no action has run yet".into());
        };
        let got = match result {
            ActionResult::Allowed(m) => format!("allowed ({m})"),
            ActionResult::Denied(d) => format!("denied ({}): {}", d.kind.as_str(), d.summary()),
            ActionResult::Invalid(m) => format!("invalid ({m})"),
        };
        let mismatch = |wanted: &str| {
            format!("expected {action} on line {line} to be {wanted}, but it was {got}")
        };
        match (expectation, result) {
            (Expectation::Allowed, ActionResult::Allowed(_)) => Ok(()),
            (Expectation::Allowed, _) => Err(mismatch("allowed")),
            (Expectation::Invalid, ActionResult::Invalid(_)) => Ok(()),
            (Expectation::Invalid, _) => Err(mismatch("invalid")),
            (Expectation::Denied { kind, privileges }, ActionResult::Denied(d)) => {
                if let Some(kind) = kind
                    && d.kind.name() != *kind
                {
                    return Err(mismatch(&format!("a {kind} denial")));
                }
                missing_as_expected(d, privileges, *action, *line)
            }
            (Expectation::Denied { .. }, _) => Err(mismatch("denied")),
            (
                Expectation::Stage(_)
                | Expectation::Queue { .. }
                | Expectation::Records(_)
                | Expectation::Contact(_),
                _,
            ) => Ok(()),
        }
    }
}

/// Whether every privilege the line names is among those the denial says are missing.
fn missing_as_expected(
    d: &Denial,
    privileges: &[Privilege],
    action: Action,
    line: usize,
) -> Result<(), String> {
    let absent: Vec<String> = privileges
        .iter()
        .filter(|p| !d.missing.contains(**p))
        .map(|p| format!("\"{}\"", p.name()))
        .collect();
    if absent.is_empty() {
        return Ok(());
    }
    let missing = d.missing.names();
    Err(format!(
        "{action} on line {line} was denied, but {}{} not among the missing privileges ({})",
        absent.join(", "),
        if absent.len() == 1 { " is" } else { " are" },
        if missing.is_empty() {
            "none".to_string()
        } else {
            missing.join(", ")
        }
    ))
}
