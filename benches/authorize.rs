//! How fast the one authorization path is, alone and in bulk.
//!
//! `authorize` runs for every button the desktop draws each frame and for every cell of the
//! matrix export, so a single decision should stay in the nanoseconds and a 1,000-role matrix
//! well under a second. Run: `cargo bench --bench authorize`.

use std::fmt::Write as _;
use std::hint::black_box;

use agentdesk::policy::{Action, Channel, Facts, Stage, authorize};
use agentdesk::policy::{CATALOGUE, Privilege, PrivilegeSet};
use agentdesk::qa::matrix;
// The same fixed stream as the floor's generated contacts, so every run measures the same roles.
use agentdesk::training::floor::Stream;
use agentdesk::world::roles::{Role, RoleBook};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn generated_book(roles: usize) -> RoleBook {
    let mut stream = Stream(1);
    RoleBook {
        roles: (0..roles)
            .map(|i| Role {
                name: format!("Generated role {i}"),
                description: String::new(),
                // The low bits of a 64-bit draw: every privilege granted with probability 1/2.
                granted: PrivilegeSet::from_bits(stream.next_u64() as u32),
            })
            .collect(),
        agents: Vec::new(),
        product_version: Default::default(),
    }
}

/// A roles file of at least `bytes` bytes, shaped like a hand-written one.
fn generated_roles_file(bytes: usize) -> (String, usize) {
    let mut stream = Stream(2);
    let mut out = String::with_capacity(bytes + 1024);
    let mut roles = 0;
    while out.len() < bytes {
        let _ = writeln!(
            out,
            "[[role]]\nname = \"Generated role {roles}\"\ndescription = \"Made for the parse benchmark.\"\nprivileges = ["
        );
        let granted = PrivilegeSet::from_bits(stream.next_u64() as u32);
        for info in CATALOGUE.iter().filter(|i| granted.contains(i.privilege)) {
            let _ = writeln!(out, "    \"{}\",", info.name);
        }
        out.push_str("]\n\n");
        roles += 1;
    }
    (out, roles)
}

fn decisions(c: &mut Criterion) {
    let preview_agent = PrivilegeSet::of(&[Privilege::ObUse, Privilege::ObReschedule]);
    let facts = Facts::default();
    let mut group = c.benchmark_group("decision");
    group.bench_function("allowed", |b| {
        b.iter(|| {
            authorize(
                black_box(preview_agent),
                black_box(Channel::Preview),
                black_box(Action::Reschedule),
                black_box(Stage::AfterCall),
                black_box(&facts),
            )
        })
    });
    // The vendor's example: Can Reschedule without Before Call, asked before dialing.
    group.bench_function("denied", |b| {
        b.iter(|| {
            authorize(
                black_box(preview_agent),
                black_box(Channel::Preview),
                black_box(Action::Reschedule),
                black_box(Stage::Preview),
                black_box(&facts),
            )
        })
    });
    group.finish();
}

fn matrices(c: &mut Criterion) {
    let mut group = c.benchmark_group("matrix");
    let default_book = RoleBook::embedded_default();
    group.throughput(Throughput::Elements(
        (default_book.roles.len() * matrix::cells().count()) as u64,
    ));
    group.bench_function("default roles", |b| {
        b.iter(|| matrix::build(black_box(&default_book)))
    });
    let big_book = generated_book(1_000);
    group.throughput(Throughput::Elements(
        (big_book.roles.len() * matrix::cells().count()) as u64,
    ));
    group.bench_function("1000 generated roles", |b| {
        b.iter(|| matrix::build(black_box(&big_book)))
    });
    group.finish();
}

fn parsing(c: &mut Criterion) {
    let (text, roles) = generated_roles_file(1024 * 1024);
    // Checked once outside the timing, so the benchmark cannot quietly measure a failure.
    match RoleBook::parse("bench.toml", &text) {
        Ok(loaded) => assert_eq!(loaded.book.roles.len(), roles),
        Err(errors) => panic!("generated roles file does not parse: {}", errors[0]),
    }
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("1 MB roles file", |b| {
        b.iter(|| RoleBook::parse("bench.toml", black_box(&text)))
    });
    group.finish();
}

criterion_group!(benches, decisions, matrices, parsing);
criterion_main!(benches);
