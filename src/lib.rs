//! agentdesk: a contact-centre agent desktop simulator with enforced role privileges.
//!
//! The domain (privileges, roles, authorization, matrix, CLI) never touches egui; `ui` is a
//! thin view over it.

pub mod audit;
pub mod authorization;
pub mod autopilot;
pub mod cli;
pub mod diagnostic;
pub mod engine;
pub mod export;
pub mod interaction;
pub mod matrix;
pub mod practice;
pub mod privilege;
pub mod role_compare;
pub mod role_edit;
pub mod roles;
pub mod scenario;
pub mod script;
pub mod ui;
