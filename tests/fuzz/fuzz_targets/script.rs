//! QA scripts: no panic, positioned rejections, and a short script that parses also runs.
#![no_main]

#[path = "common.rs"]
mod common;

use agentdesk::engine::Engine;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use agentdesk::qa::script::{self, Script};
use chrono::Duration;
use libfuzzer_sys::fuzz_target;


fuzz_target!(|source: &str| {
    let book = RoleBook::embedded_default();
    let scenario = Scenario::embedded_default();
    match Script::parse("fuzz.script", source, &book, &scenario) {
        Ok(parsed) => {
            common::check_placed(source, &parsed.notes);
            if parsed.script.time_span().is_some_and(|t| t <= Duration::days(2)) {
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
