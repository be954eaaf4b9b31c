//! The privilege model and the one authorization path: the catalogue of privileges, the
//! gating table, [`authorize`] and the typed [`Denial`] with its explanations.

pub mod gating;
pub mod privilege;

pub use gating::*;
pub use privilege::*;
