//! agentdesk: a contact-centre agent desktop simulator with enforced role privileges.
//!
//! The folders are layers; each may use the ones above it in this list, never one below:
//! `input` and `output` (reading and writing user files), `policy` (privileges, the gating
//! table, `authorize`), `world` (interactions, roles and scenario files), `engine` (the
//! simulation and the one place commands are applied), `qa` and `training` (tools over the
//! engine), `learning` (their results as xAPI statements, sent to an LRS), then `cli` and `ui`. Nothing but `ui` touches egui.

pub mod cli;
pub mod engine;
pub mod input;
pub mod learning;
pub mod output;
pub mod policy;
pub mod qa;
pub mod training;
pub mod ui;
pub mod world;
