//! Writing files: atomic replacement of exports, reports and roles files.

pub mod export;

pub use export::*;
