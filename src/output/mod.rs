//! Writing files: atomic replacement of exports, reports and roles files, and the escaping of
//! text for the report formats.

pub mod escape;
pub mod export;

pub use export::*;
