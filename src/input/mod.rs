//! Reading user files: bounded reads, positions, diagnostics (capped per file) and "did you
//! mean", look-alike names.

pub mod diagnostic;
pub mod names;
mod read;
mod suggest;
mod toml_error;

pub use diagnostic::*;
pub use read::{MAX_INPUT_BYTES, decode_text, open_regular, read_text};
pub use suggest::{did_you_mean, suggest};
pub use toml_error::toml_error;
