//! The integration tests: one crate, so the desktop and its dependencies are linked once.
//! Each module covers one area; `common` holds the kittest setup the desktop suites share.

mod activity_results;
mod authorization_props;
mod behaviour_digest;
mod cli;
mod common;
mod consumers;
mod contacts_scale;
mod doc_commands;
mod engine_props;
mod fuzz_parsers;
mod hostile;
mod hostile_bounds;
#[cfg(unix)]
mod kill;
mod lessons;
mod lrs;
mod lrs_ralph;
mod lrs_statements;
mod matrix_report_browser;
mod outputs;
mod qa_outputs;
mod readme;
mod recording_props;
mod roles_bad_input;
mod roles_import;
mod script_examples;
mod script_parse;
mod script_run;
mod ui_activities;
mod ui_agent_view;
mod ui_class_view;
mod ui_desktop;
mod ui_files;
mod ui_layout;
mod ui_lesson_records;
mod ui_lessons;
mod ui_loops;
mod ui_practice;
mod ui_record_replay;
mod ui_workbench_qa;
mod ui_workbench_trainer;
mod ui_world_rules;
mod world_rules;
