//! QA scripts: no panic, positioned rejections, and a short script that parses also runs.
#![no_main]

#[path = "common.rs"]
mod common;

use agentdesk::engine::Engine;
use agentdesk::roles::RoleBook;
use agentdesk::scenario::Scenario;
use agentdesk::script::{self, Script, ScriptCommand};
use chrono::Duration;
use libfuzzer_sys::fuzz_target;

/// How far `script` moves the clock at most, or None when it jumps to a date. Scripts that
/// move it further than two days are only parsed: simulating `advance 300d` is slow, not wrong.
fn time_moved(script: &Script) -> Option<Duration> {
    let mut total = Duration::zero();
    for step in &script.steps {
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

fuzz_target!(|source: &str| {
    let book = RoleBook::embedded_default();
    let scenario = Scenario::embedded_default();
    match Script::parse("fuzz.script", source, &book, &scenario) {
        Ok(parsed) => {
            common::check_placed(source, &parsed.notes);
            if time_moved(&parsed.script).is_some_and(|t| t <= Duration::days(2)) {
                let mut engine = Engine::new(book, scenario, 1);
                script::run(&mut engine, &parsed.script, &mut std::io::sink())
                    .expect("writing to a sink cannot fail");
                assert_eq!(engine.check_invariants(), Ok(()));
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "rejected without a diagnostic");
            common::check_placed(source, &errors);
        }
    }
});
