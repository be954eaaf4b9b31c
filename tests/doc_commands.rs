//! Every `$ agentdesk ...` command shown in the README and in `docs/` runs as printed: from the
//! repository's root (a copy of its `assets/` and `docs/` in a temporary folder, so outputs land
//! there), with the output the page shows after it. A shown line `...` stands for any number
//! of lines; the rest must come in order. A command whose shown output has an error line must
//! fail; any other must succeed. The desktop (`agentdesk` with no command) and `cargo` lines
//! are not run.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One command of a page: where it is, the command line, and the output shown under it.
#[derive(Debug)]
struct Example {
    place: String,
    command: String,
    shown: Vec<String>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The README and every page of `docs/`, by path relative to the repository.
fn pages() -> Vec<String> {
    let mut pages = vec!["README.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| format!("docs/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// The `$ ` commands of a page's plain fenced blocks, each with the lines shown after it.
fn examples(page: &str) -> Vec<Example> {
    let text = std::fs::read_to_string(root().join(page)).expect("page is readable");
    let mut found: Vec<Example> = Vec::new();
    let mut in_block = false;
    let mut continued = false;
    // Output belongs to a command of its own block: a later block without a `$` is an excerpt.
    let mut block_start = 0;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            // Only unlabelled blocks are terminal sessions; ```toml and the like are files.
            in_block = !in_block && line.trim() == "```";
            continued = false;
            block_start = found.len();
            continue;
        }
        if !in_block {
            continue;
        }
        if continued {
            let last = found.last_mut().expect("a command continues");
            last.command.push('\n');
            last.command.push_str(line);
            continued = line.ends_with('\\');
        } else if let Some(command) = line.strip_prefix("$ ") {
            found.push(Example {
                place: format!("{page}:{}", n + 1),
                command: command.to_string(),
                shown: Vec::new(),
            });
            continued = line.ends_with('\\');
        } else if found.len() > block_start {
            let last = found.last_mut().expect("a command of this block");
            last.shown.push(line.to_string());
        }
    }
    found
}

/// Whether the example is a headless `agentdesk` command (not the desktop, not cargo).
fn headless(command: &str) -> bool {
    command
        .strip_prefix("agentdesk ")
        .and_then(|rest| rest.split_whitespace().next())
        .is_some_and(|word| !word.starts_with('-'))
}

/// Copies `from` into `to`, recursively, leaving out the screenshots (nothing runs on them).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder") {
        let path = entry.expect("directory entry").path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "screenshots") {
                copy_tree(&path, &target);
            }
        } else {
            std::fs::copy(&path, &target).expect("copy a file");
        }
    }
}

/// Whether the lines shown match the lines printed: in order, `...` skipping any number, a
/// `wall time:` line (it differs on every run) by its label alone.
fn shown_in(shown: &[String], printed: &[&str]) -> bool {
    let mut printed = printed.iter();
    let mut skipping = false;
    for want in shown {
        if want == "..." {
            skipping = true;
            continue;
        }
        let same = |got: &&&str| {
            **got == want.as_str()
                || (want.starts_with("wall time:") && got.starts_with("wall time:"))
        };
        if skipping {
            if !printed.by_ref().any(|got| same(&got)) {
                return false;
            }
        } else if !printed.next().is_some_and(|got| same(&got)) {
            return false;
        }
        skipping = false;
    }
    true
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_agentdesk"))
        .parent()
        .expect("the binary has a folder")
        .to_path_buf()
}

fn run(example: &Example) {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&root().join("assets"), &dir.path().join("assets"));
    copy_tree(&root().join("docs"), &dir.path().join("docs"));
    let path = std::env::join_paths(std::iter::once(bin_dir()).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("a PATH");
    let output = Command::new("sh")
        .arg("-c")
        .arg(&example.command)
        .current_dir(dir.path())
        .env("PATH", path)
        .output()
        .expect("sh runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let printed: Vec<&str> = stdout.lines().chain(stderr.lines()).collect();
    let context = format!(
        "{}: `{}`\nexit: {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        example.place, example.command, output.status
    );
    let shown: Vec<String> = example
        .shown
        .iter()
        .filter(|l| !l.trim().is_empty())
        .cloned()
        .collect();
    let fails = shown
        .iter()
        .any(|l| l.starts_with("error") || l.contains(": error:"));
    assert_eq!(!output.status.success(), fails, "{context}");
    assert!(!stderr.contains("Usage:"), "a usage error: {context}");
    assert!(
        shown_in(&shown, &printed),
        "the page shows\n{}\n{context}",
        shown.join("\n")
    );
}

#[test]
fn every_command_of_the_readme_and_the_docs_runs_as_printed() {
    let all: Vec<Example> = pages().iter().flat_map(|p| examples(p)).collect();
    let runnable: Vec<&Example> = all.iter().filter(|e| headless(&e.command)).collect();
    // The README's first steps, the CLI page and the scripts page each show several.
    assert!(
        runnable.len() >= 15,
        "only {} commands found",
        runnable.len()
    );
    for example in runnable {
        run(example);
    }
}

#[test]
fn the_matcher_skips_with_an_ellipsis_and_nothing_else() {
    let shown = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(shown_in(&shown(&["a", "...", "d"]), &["a", "b", "c", "d"]));
    assert!(!shown_in(&shown(&["a", "d"]), &["a", "b", "c", "d"]));
    assert!(!shown_in(&shown(&["a", "e"]), &["a", "e2"]));
    assert!(shown_in(&shown(&["wall time: 1 s"]), &["wall time: 2 s"]));
}

#[test]
fn only_headless_agentdesk_commands_run() {
    assert!(headless("agentdesk matrix | wc -l"));
    assert!(!headless("agentdesk --agent Dana --presenter"));
    assert!(!headless("cargo run --release"));
}
