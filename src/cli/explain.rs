//! `agentdesk explain`: one decision of one role, with its reasons.

use std::io::Write;
use std::process::ExitCode;

use super::EXIT_BAD_INPUT;
use crate::policy::{Action, Cell, Channel, Facts, Stage, authorize, cell};
use crate::qa::matrix;
use crate::world::roles::RoleBook;

pub(super) fn explain(
    book: &RoleBook,
    role: &str,
    channel: &str,
    action: &str,
    stage: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let parsed = (|| -> Result<_, String> {
        let role = book.find_role(role)?;
        let channel: Channel = channel.parse().map_err(|e| format!("{e}"))?;
        let action: Action = action.parse().map_err(|e| format!("{e}"))?;
        let stage: Stage = stage.parse().map_err(|e| format!("{e}"))?;
        Ok((role, channel, action, stage))
    })();
    let (role, channel, action, stage) = match parsed {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let role = &book.roles[role];
    // The name as written, but capped and with its control characters made visible: standard
    // output may be a terminal the name's escape sequences would drive.
    let _ = writeln!(out, "role: {}", crate::output::escape::echo(&role.name));
    let facts = Facts {
        version: book.product_version(),
        ..Facts::default()
    };
    match authorize(role.granted, channel, action, stage, &facts) {
        Ok(()) => {
            let needs = match cell(channel, action, stage) {
                Cell::Needs(set) => set.names().join(", "),
                Cell::NotAvailable => String::new(),
            };
            let _ = writeln!(out, "decision: allowed");
            let _ = writeln!(
                out,
                "{} ({channel}, {stage}) is allowed: requires {needs}, all effective",
                action.label()
            );
        }
        Err(denial) => {
            let decision = matrix::Decision::of(&Err(denial.clone()));
            let _ = writeln!(
                out,
                "decision: {} ({})",
                decision.as_str(),
                denial.kind.as_str()
            );
            let _ = writeln!(out, "{}", denial.explain());
        }
    }
    ExitCode::SUCCESS
}
