//! Reading user files: bounded reads, positions, diagnostics and "did you mean".

pub mod diagnostic;
mod suggest;

pub use diagnostic::*;
pub use suggest::{did_you_mean, suggest};
