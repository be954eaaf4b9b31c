//! Roles files: no panic, positioned rejections, and what loads writes back to the same book.
#![no_main]

#[path = "common.rs"]
mod common;

use agentdesk::world::roles::RoleBook;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    match RoleBook::parse("fuzz.toml", source) {
        Ok(loaded) => {
            common::check_placed(source, &loaded.diagnostics);
            let again = RoleBook::parse("again.toml", &loaded.book.to_toml())
                .expect("to_toml output parses");
            assert_eq!(again.book, loaded.book);
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "rejected without a diagnostic");
            common::check_placed(source, &errors);
        }
    }
});
