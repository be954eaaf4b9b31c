//! `agentdesk help [TOPIC]`: the reference pages of `docs/`, compiled into the binary so an
//! installed `agentdesk` (which has no source tree beside it) can print them, and error
//! messages can point to a topic rather than to a README the user may not have.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use super::{Cli, EXIT_BAD_INPUT};
use crate::input::suggest;

/// One reference page: its topic names (the first is the one listed) and its text.
pub struct Topic {
    pub names: &'static [&'static str],
    pub path: &'static str,
    pub summary: &'static str,
    pub text: &'static str,
}

/// A page of `docs/` by its file name: its path and its text named once.
macro_rules! page {
    ($names:expr, $file:literal, $summary:expr $(,)?) => {
        Topic {
            names: $names,
            path: concat!("docs/", $file),
            summary: $summary,
            text: include_str!(concat!("../../docs/", $file)),
        }
    };
}

/// Every page that ships with the binary, in the order `agentdesk help` lists them.
pub const TOPICS: &[Topic] = &[
    page!(
        &["cli", "commands"],
        "cli.md",
        "every command, its options and exit codes"
    ),
    page!(
        &["scripts", "run", "script"],
        "scripts.md",
        "agentdesk run: the script format, the transcript, the JUnit report"
    ),
    page!(
        &["audit-log", "audit"],
        "audit-log.md",
        "the audit log's keys, its schema, DuckDB and pandas recipes"
    ),
    page!(
        &["lessons", "lesson"],
        "lessons.md",
        "guided lessons: the shipped ones, lesson check, writing one"
    ),
    page!(
        &["roles", "scenarios", "scenario", "privileges"],
        "roles-and-scenarios.md",
        "the roles file, the privileges, the shipped roles, the scenario file"
    ),
    page!(
        &["matrix"],
        "matrix.md",
        "the matrix's columns, row order and formats"
    ),
    page!(
        &["architecture"],
        "architecture.md",
        "the code's layers, how to add an action or a workbench tool"
    ),
];

/// The page a topic name (or one of its other names) stands for.
pub fn topic(name: &str) -> Option<&'static Topic> {
    let name = name.to_ascii_lowercase();
    TOPICS.iter().find(|t| t.names.contains(&name.as_str()))
}

/// Prints a page, a command's options, or (without a topic) the list of both.
pub fn help(name: Option<&str>, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode {
    let mut cli = Cli::command();
    let Some(name) = name else {
        let _ = write!(out, "{}", cli.render_long_help());
        let _ = writeln!(out, "\nReference pages (agentdesk help TOPIC):");
        for t in TOPICS {
            let _ = writeln!(out, "  {:<14}{} ({})", t.names[0], t.summary, t.path);
        }
        return ExitCode::SUCCESS;
    };
    if let Some(t) = topic(name) {
        let _ = write!(out, "{}", t.text);
        return ExitCode::SUCCESS;
    }
    if let Some(command) = cli.find_subcommand_mut(name) {
        let _ = write!(out, "{}", command.render_long_help());
        return ExitCode::SUCCESS;
    }
    let mut known: Vec<&str> = TOPICS.iter().map(|t| t.names[0]).collect();
    for command in cli.get_subcommands().map(|c| c.get_name()) {
        if !known.contains(&command) {
            known.push(command);
        }
    }
    let _ = write!(err, "error: no help topic \"{name}\"");
    match suggest(name, known.iter().copied()).first() {
        Some(close) => {
            let _ = writeln!(err, " (did you mean \"{close}\"?)");
        }
        None => {
            let _ = writeln!(err);
        }
    }
    let _ = writeln!(err, "  expected: one of {}", known.join(", "));
    ExitCode::from(EXIT_BAD_INPUT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: Option<&str>) -> (ExitCode, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = help(name, &mut out, &mut err);
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (code, text(out), text(err))
    }

    #[test]
    fn every_topic_prints_its_page_and_is_listed() {
        let (code, list, _) = run(None);
        assert_eq!(code, ExitCode::SUCCESS);
        for t in TOPICS {
            assert!(list.contains(t.names[0]), "{} not listed", t.names[0]);
            for name in t.names {
                let (code, page, err) = run(Some(name));
                assert_eq!(code, ExitCode::SUCCESS);
                assert_eq!(page, t.text);
                assert!(err.is_empty());
            }
        }
    }

    #[test]
    fn a_command_name_prints_its_options_and_a_misspelt_topic_gets_a_suggestion() {
        let (code, page, _) = run(Some("explain"));
        assert_eq!(code, ExitCode::SUCCESS);
        assert!(page.contains("--channel"), "{page}");
        let (code, out, err) = run(Some("scritps"));
        assert_eq!(code, ExitCode::from(EXIT_BAD_INPUT));
        assert!(out.is_empty());
        assert!(err.contains("did you mean \"scripts\"?"), "{err}");
    }
}
