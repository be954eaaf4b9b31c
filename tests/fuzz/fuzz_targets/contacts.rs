//! Contact lists (CSV): no panic, positioned rejections, offsets within a day of the centre.
#![no_main]

#[path = "common.rs"]
mod common;

use agentdesk::world::scenario::parse_contacts;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    // The default scenario's centre, UTC-5.
    match parse_contacts("fuzz.csv", source, -300) {
        Ok(rows) => {
            for row in rows {
                assert!(!row.phones.is_empty());
                assert!(row.time_zone.offset_from_centre_minutes.abs() <= 28 * 60);
            }
        }
        Err(d) => common::check_placed(source, std::slice::from_ref(&d)),
    }
});
