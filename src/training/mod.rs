//! Tools for trainers and agents: role editing and comparison, practice scoring, autopilot.

pub mod autopilot;
pub mod practice;
pub mod role_compare;
pub mod role_edit;
