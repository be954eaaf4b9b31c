//! The simulated world's vocabulary: ids, time, interactions and their stages, record chains
//! and campaigns, and the roles and scenario files that configure them.

pub mod interaction;
pub mod roles;
pub mod scenario;
pub mod unknown;

pub use interaction::*;
pub use unknown::UnknownName;
