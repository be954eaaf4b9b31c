//! Tools for trainers and agents: role editing and comparison, practice scoring, guided
//! lessons, the autopilot and floors of autopiloted agents.

pub mod activity;
pub mod autopilot;
pub mod floor;
pub mod lesson;
pub mod practice;
pub mod role_compare;
pub mod role_edit;
