//! Contact lists at scale, through the real command line: memory follows the input, not the
//! number of campaigns naming one list nor the length of its column names times its rows, and
//! reading a list of very many columns takes time linear in its size. Each test runs a growth
//! series (the same shape of input at growing sizes) and states the multiple it allows.
//!
//! As in `tests/hostile.rs`, each measurement is taken in a child process (this test binary
//! again, running `measured_child` alone) from its own peak resident size and CPU time, under a
//! CPU-time and address-space limit, never by a wall-clock timing.

use std::fmt::Write as _;

#[cfg(target_os = "linux")]
use crate::common::measured::{Child, Cost};
use crate::common::write_file as write;
use tempfile::TempDir;

const HEADER: &str = "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home";

/// This file's measured child (`tests/common/measured.rs`).
#[cfg(target_os = "linux")]
const CHILD: Child = Child {
    test: "contacts_scale::measured_child",
    var: "AGENTDESK_CONTACTS_SCALE_CHILD_ARGS",
    cpu_limit_seconds: 120,
    warm_up: &["run", "--hours", "0.01"],
};

/// Runs the command line of its variable under the limits and prints what it cost; run only
/// by the growth tests below, as a process of its own.
#[cfg(target_os = "linux")]
#[test]
#[ignore = "the child process of the growth tests below, run by them"]
fn measured_child() {
    CHILD.run_as_child();
}

/// What `args` cost, in a child; the command must succeed.
#[cfg(target_os = "linux")]
fn measure(args: &[&str]) -> Cost {
    let cost = CHILD.measure(args);
    assert!(cost.succeeded(), "the command failed: {cost:?}");
    cost
}

/// A scenario of `campaigns` running preview campaigns, all on `list`.
fn scenario_on(list: &str, campaigns: usize) -> String {
    let mut s = String::from("name = \"shared\"\nstart = \"2026-11-23T08:00:00\"\n");
    for i in 0..campaigns {
        let _ = write!(
            s,
            "[[campaign]]\nname = \"C{i}\"\nmode = \"preview\"\nrunning = true\ncontacts = \"{list}\"\n"
        );
    }
    s
}

#[cfg(target_os = "linux")]
#[test]
fn campaigns_sharing_one_list_cost_memory_by_the_input_not_by_campaigns() {
    let d = TempDir::new().unwrap();
    // The case: a 10,000-row list (about 530 KB) named by 10, 100 and 1,000 campaigns.
    let mut csv = format!("{HEADER},Account,Email\n");
    for i in 0..10_000 {
        let _ = writeln!(
            csv,
            "First{i},Last{i},ET,-5,08:00,21:00,+1 212 555 {:04},AC-{i:06},c{i}@example.com",
            i % 10_000
        );
    }
    write(d.path(), "list.csv", &csv);
    let mut series = Vec::new();
    for campaigns in [10, 100, 1_000] {
        let text = scenario_on("list.csv", campaigns);
        let path = write(d.path(), &format!("s{campaigns}.toml"), &text);
        let path = path.to_str().unwrap();
        let cost = measure(&[
            "run",
            "--scenario",
            path,
            "--hours",
            "1",
            "--autopilot",
            "10",
        ]);
        series.push((campaigns, csv.len() + text.len(), cost));
    }
    eprintln!("campaigns, input bytes, cost: {series:?}");
    // The bound: 24 times the whole input (the list plus the scenario), whatever the number of
    // campaigns: the list is parsed once and shared, and a campaign's record chains are built
    // only when looked at. Before, 1,000 campaigns took 6.0 GB (about 11,000 times the input).
    for (campaigns, input, cost) in &series {
        let bound = 24 * *input as u64 / 1024;
        assert!(
            cost.peak_growth_kib <= bound,
            "{campaigns} campaigns: peak grew {} KiB for {} KiB of input (bound {bound} KiB)",
            cost.peak_growth_kib,
            input / 1024
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn long_column_names_are_stored_once_not_once_a_row() {
    let d = TempDir::new().unwrap();
    // The case: 280 extra columns named with 2,000 characters each, and rows that
    // leave them empty (1,200 rows: 953 KB), at 300, 600 and 1,200 rows.
    let mut header = String::from(HEADER);
    for c in 0..280 {
        let _ = write!(header, ",{c:04}{}", "n".repeat(1_996));
    }
    let mut series = Vec::new();
    for rows in [300, 600, 1_200] {
        let mut csv = header.clone();
        csv.push('\n');
        for i in 0..rows {
            let _ = writeln!(
                csv,
                "F{i},L{i},ET,-5,08:00,21:00,5550{:03}{}",
                i % 1000,
                ",".repeat(280)
            );
        }
        write(d.path(), &format!("wide{rows}.csv"), &csv);
        let text = scenario_on(&format!("wide{rows}.csv"), 1);
        let path = write(d.path(), &format!("wide{rows}.toml"), &text);
        let cost = measure(&["run", "--scenario", path.to_str().unwrap(), "--hours", "1"]);
        series.push((rows, csv.len(), cost));
    }
    eprintln!("rows, list bytes, cost: {series:?}");
    // The names once (560 KB) and a small entry per row and column: within 24 times the
    // list's size. Copied into every row they took 1.34 GB for 953 KB (1,400 times).
    for (rows, input, cost) in &series {
        let bound = 24 * *input as u64 / 1024;
        assert!(
            cost.peak_growth_kib <= bound,
            "{rows} rows: peak grew {} KiB for a {} KiB list (bound {bound} KiB)",
            cost.peak_growth_kib,
            input / 1024
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_list_of_very_many_columns_is_read_in_linear_time() {
    let d = TempDir::new().unwrap();
    // 25,000, 50,000 and 100,000 extra columns (the 100,000 took 37 s), two rows.
    let mut series = Vec::new();
    for columns in [25_000, 50_000, 100_000] {
        let mut csv = String::from(HEADER);
        for c in 0..columns {
            let _ = write!(csv, ",col{c}");
        }
        csv.push('\n');
        for i in 0..2 {
            let _ = writeln!(
                csv,
                "F{i},L{i},ET,-5,08:00,21:00,5550101{}",
                ",x".repeat(columns)
            );
        }
        write(d.path(), &format!("many{columns}.csv"), &csv);
        let text = scenario_on(&format!("many{columns}.csv"), 1);
        let path = write(d.path(), &format!("many{columns}.toml"), &text);
        let cost = measure(&["run", "--scenario", path.to_str().unwrap(), "--hours", "1"]);
        series.push((columns, csv.len(), cost));
    }
    eprintln!("columns, list bytes, cost: {series:?}");
    // Four times the columns may take at most eight times the CPU time (linear work takes
    // four; the quadratic reading of the header took sixteen), with 300 ms for the noise of a
    // small measurement; and memory within 32 times the list (an entry of a few dozen bytes
    // for each of the two rows' cells, for cells of two bytes).
    let (first, last) = (&series[0].2, &series[2].2);
    assert!(
        last.cpu_ms <= 8 * first.cpu_ms + 300,
        "{} ms for 100,000 columns against {} ms for 25,000",
        last.cpu_ms,
        first.cpu_ms
    );
    for (columns, input, cost) in &series {
        let bound = 32 * *input as u64 / 1024;
        assert!(
            cost.peak_growth_kib <= bound,
            "{columns} columns: peak grew {} KiB for a {} KiB list (bound {bound} KiB)",
            cost.peak_growth_kib,
            input / 1024
        );
    }
}
