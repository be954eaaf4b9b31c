//! The privilege model and the one authorization path: the catalogue of privileges, the
//! keywords of channels, actions and stages, the gating table, [`authorize`] and the typed
//! [`Denial`] with its explanations.

mod action;
mod agent_view;
mod authorize;
mod denial;
mod explain;
mod gating;
mod keywords;
mod privilege;
#[cfg(test)]
mod tests;
mod version;

pub use action::*;
pub use agent_view::*;
pub use authorize::*;
pub use denial::*;
/// Plain words of actions and moments for sentences beyond a denial (the role comparison).
pub use explain::{action_words, moment_words};
pub use gating::*;
pub use keywords::*;
pub use privilege::*;
pub use version::*;
