//! Every example script shipped in assets/scripts/ passes when run through the real binary,
//! as the docs promise (`agentdesk run --script X` exits 0, with the `--roles` and `--scenario`
//! its `# Run:` line names, if any).

use std::path::Path;

use crate::common::{Ran, example_scripts};

/// Runs an example script through the binary, as its `# Run:` line says.
fn run_example(script: &Path) -> Ran {
    Ran::example(script, &[])
}

/// The counts of the closing `N passed, M failed` line.
fn tally(stdout: &str) -> (usize, usize) {
    let last = stdout.lines().last().expect("the transcript is not empty");
    let (passed, failed) = last
        .split_once(" passed, ")
        .unwrap_or_else(|| panic!("last line is not a tally: {last}"));
    let failed = failed
        .strip_suffix(" failed")
        .unwrap_or_else(|| panic!("last line is not a tally: {last}"));
    (
        passed.parse().expect("passed count"),
        failed.parse().expect("failed count"),
    )
}

#[test]
fn every_example_script_passes_through_the_binary() {
    let scripts = example_scripts();
    assert!(
        scripts.len() >= 15,
        "expected the example scripts, found {scripts:?}"
    );
    for script in &scripts {
        let out = run_example(script);
        let (stdout, stderr) = (out.stdout.clone(), out.stderr.clone());
        assert_eq!(
            out.code,
            Some(0),
            "{}:\n{stderr}\n{stdout}",
            script.display()
        );
        let (passed, failed) = tally(&stdout);
        assert!(passed > 0, "{} checks nothing", script.display());
        assert_eq!(failed, 0, "{}", script.display());
        assert!(
            !stdout.contains("FAILED"),
            "{}:\n{stdout}",
            script.display()
        );
    }
}

#[test]
fn together_the_examples_cover_every_channel() {
    let mut transcript = String::new();
    for script in example_scripts() {
        let out = run_example(&script);
        transcript.push_str(&out.stdout);
    }
    for channel in ["web-callback", "preview", "push-preview"] {
        assert!(
            transcript.contains(&format!("  exercised {channel}: ")),
            "no example exercises {channel}"
        );
    }
    for kind in ["privilege", "compliance", "field"] {
        let denied = format!("=> denied ({kind})");
        assert!(
            transcript.contains(&denied),
            "no example shows a {kind} denial"
        );
    }
}
