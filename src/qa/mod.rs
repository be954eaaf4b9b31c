//! Tools for QA testers: scripts with expectations, the authorization matrix and its exports.

pub mod matrix;
pub mod script;
