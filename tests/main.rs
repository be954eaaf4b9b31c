//! The integration tests: one crate, so the desktop and its dependencies are linked once.
//! Each module covers one area; `common` holds the kittest setup the desktop suites share.

mod authorization_props;
mod behaviour_digest;
mod cli;
mod common;
mod consumers;
mod doc_commands;
mod engine_props;
mod fuzz_parsers;
mod hostile;
#[cfg(unix)]
mod kill;
mod lessons;
mod matrix_report_browser;
mod outputs;
mod readme;
mod recording_props;
mod roles_bad_input;
mod script_examples;
mod script_parse;
mod script_run;
mod ui_desktop;
mod ui_layout;
mod ui_lessons;
mod ui_loops;
mod ui_practice;
mod ui_record_replay;
mod ui_workbench_qa;
mod ui_workbench_trainer;
mod ui_world_rules;
mod world_rules;
