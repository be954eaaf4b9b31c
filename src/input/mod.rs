//! Reading user files: bounded reads, positions, diagnostics and "did you mean".

pub mod diagnostic;
mod read;
mod suggest;

pub use diagnostic::*;
pub use read::{MAX_INPUT_BYTES, decode_text, read_text};
pub use suggest::{did_you_mean, suggest};
