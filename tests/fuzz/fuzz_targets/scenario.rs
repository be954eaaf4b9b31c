//! Scenario files: no panic, positioned rejections, and a scenario that loads runs an hour.
#![no_main]

#[path = "common.rs"]
mod common;

use std::path::Path;

use agentdesk::engine::Engine;
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    // A folder that does not exist: contact lists come from the embedded ones only.
    match Scenario::parse("fuzz.toml", source, Some(Path::new("/nonexistent"))) {
        Ok(scenario) => {
            let mut engine = Engine::new(RoleBook::embedded_default(), scenario, 1);
            let roles = (0..engine.roles().roles.len()).collect();
            engine.login("Fuzz", roles);
            engine.advance(chrono::Duration::hours(1));
            assert_eq!(engine.check_invariants(), Ok(()));
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "rejected without a diagnostic");
            common::check_placed(source, &errors);
        }
    }
});
