//! The simulated world's vocabulary: ids, time, phones, web callbacks, outbound records and
//! campaigns, interactions and their stages, and the roles and scenario files that configure
//! them.

mod callback;
mod chain_fields;
mod contact_list;
mod contacts;
mod ids;
mod interaction;
mod outbound;
mod phone;
mod queue;
pub mod roles;
pub mod scenario;
mod time;
pub mod unknown;

pub use callback::*;
pub use chain_fields::{ChainFields, ContactField, FieldLayout};
pub use ids::*;
pub use interaction::*;
pub use outbound::*;
pub use phone::*;
pub use queue::ChainQueue;
pub use time::*;
pub use unknown::UnknownName;
