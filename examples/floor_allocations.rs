//! Heap allocations per simulated event on the benchmarks' floor (`training::floor`, the
//! roles of `floor::BENCH_ROLES`), counted by a wrapper around the system allocator while the
//! autopilot drives the day; building the world is not counted. The figure should not grow
//! with the number of agents or hours. Each floor runs twice: keeping everything, as the
//! desktop, practice and lessons do, and keeping counts only, as `agentdesk run --autopilot`
//! does (`Engine::keep_counts_only`).
//!
//! Run: `cargo run --release --example floor_allocations [agents...]` (default 10 100 1000,
//! each for 8 simulated hours).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

use agentdesk::engine::Engine;
use agentdesk::training::{autopilot, floor};
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;

/// The system allocator, counting allocations (reallocations that move count as one).
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let floors: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let floors = if floors.is_empty() {
        vec![10, 100, 1_000]
    } else {
        floors
    };
    println!("agents  hours  keeps         events   commands  allocations  per event  per command");
    for agents in floors {
        for (hours, counts) in [1, 8].into_iter().flat_map(|h| [(h, false), (h, true)]) {
            let scenario = floor::with_generated_contacts(Scenario::embedded_default(), agents);
            let mut engine = Engine::new(RoleBook::embedded_default(), scenario, 1);
            let roles: Vec<usize> = floor::BENCH_ROLES
                .iter()
                .filter_map(|name| engine.roles().role_index(name))
                .collect();
            if counts {
                engine.keep_counts_only();
            }
            let ids = floor::log_in(&mut engine, &roles, agents);
            let until = engine.now() + chrono::Duration::hours(hours);
            let before = ALLOCATIONS.load(Ordering::Relaxed);
            let events_before = engine.events_handled();
            let stats = autopilot::drive(&mut engine, &ids, until);
            let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
            let events = engine.events_handled() - events_before;
            println!(
                "{agents:>6}  {hours:>5}  {:<10}  {events:>7}  {:>9}  {allocations:>11}  {:>9.1}  {:>11.1}",
                if counts { "counts" } else { "everything" },
                stats.commands,
                allocations as f64 / events.max(1) as f64,
                allocations as f64 / stats.commands.max(1) as f64,
            );
        }
    }
}
