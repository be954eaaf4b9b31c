//! Tools for trainers and agents: role editing and comparison, practice scoring, guided
//! lessons, autopilot.

pub mod autopilot;
pub mod lesson;
pub mod practice;
pub mod role_compare;
pub mod role_edit;
