//! Reading user files: bounded reads, positions, and diagnostics with "did you mean".

pub mod diagnostic;

pub use diagnostic::*;
