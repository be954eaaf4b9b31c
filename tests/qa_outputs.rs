//! Issue 25's output contracts (SPEC §8): options are honoured or refused, never silently
//! ignored; the audit log in CSV; Markdown and lesson exports as their readers expect them.

use crate::common::agentdesk;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_junit_report_without_a_script_is_refused_saying_why() {
    let o = agentdesk(&["run", "--junit", "never-written.xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--script"), "{}", stderr(&o));
    assert!(!std::path::Path::new("never-written.xml").exists());
}

#[test]
fn options_before_a_subcommand_apply_to_it() {
    let roles = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/roles-8.1.toml");
    let before = agentdesk(&["--roles", roles, "matrix"]);
    let after = agentdesk(&["matrix", "--roles", roles]);
    let embedded = agentdesk(&["matrix"]);
    assert_eq!(before.status.code(), Some(0), "{}", stderr(&before));
    assert_eq!(stdout(&before), stdout(&after));
    assert_ne!(stdout(&before), stdout(&embedded));
    // The seed before `run` is the run's seed.
    let a = agentdesk(&["--seed", "7", "run", "--hours", "1"]);
    let b = agentdesk(&["run", "--seed", "7", "--hours", "1"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(stdout(&a), stdout(&b));
    assert!(stdout(&a).contains("seed 7"), "{}", stdout(&a));
}

#[test]
fn options_that_would_have_no_effect_are_refused_saying_why() {
    for (args, says) in [
        (
            &["--presenter", "matrix"][..],
            "--presenter is an option of the desktop window",
        ),
        (
            &["--agent", "Dana", "run", "--hours", "1"][..],
            "--agent is an option of the desktop window",
        ),
        (
            &["--scenario", "x.toml", "matrix"][..],
            "`agentdesk matrix` has no --scenario option",
        ),
        (
            &["--roles", "x.toml", "roles", "check", "y.toml"][..],
            "`agentdesk roles` has no --roles option",
        ),
        (
            &["--seed", "2", "run", "--seed", "3", "--hours", "1"][..],
            "--seed is given twice",
        ),
        (
            &["--lesson", "l.lesson", "--seed", "3"][..],
            "--seed has no effect with --lesson",
        ),
    ] {
        let o = agentdesk(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?}: {}", stdout(&o));
    }
}
