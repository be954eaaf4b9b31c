//! QA scripts: the line-based script format a tester writes (or the desktop records), its
//! parser (every error with file:line:column), and the runner that drives an
//! [`Engine`](crate::engine::Engine) through a script and writes the transcript, the expectation
//! tally, the privilege coverage and the JUnit report.
//!
//! - `ast`: the parsed script ([`Script`], [`Step`], [`ScriptCommand`]) and its limits.
//! - `lex`, `parse`: the tokenizer and the parser ([`Script::parse`]).
//! - `run`: the runner ([`run`], and [`Replay`] to stop between lines).
//! - `report`, `junit`: the verdicts and coverage ([`Report`]) and their JUnit XML.
//! - `record`: the desktop's [`Recorder`], which writes a session as a script.

#[cfg(test)]
mod action_forms;
mod ast;
mod identity;
mod junit;
mod lex;
mod parse;
mod record;
mod report;
mod run;

pub use ast::{
    ArgSpec, DEFAULT_WAIT, Expectation, MAX_RUN_SPAN, MAX_SCRIPT_LINES, MAX_SPAN, Script,
    ScriptAction, ScriptCommand, Selection, Step, When,
};
pub use junit::{Suite, junit_unusable_xml, junit_xml, xml_escape};
pub use lex::{Token, command_words, is_command, parse_duration, parse_when, tokenize};
pub use parse::Parsed;
pub use record::{Recorder, quote};
pub use report::{Case, CellCount, Report, Verdict};
pub use run::{Replay, args_at, run};
