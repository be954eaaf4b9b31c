//! `agentdesk roles import` as QA uses it: a deployment's option lists in, a roles file out,
//! and that roles file read back by `agentdesk matrix` (the round trip).

use crate::common::{Ran, write_file};

fn run(args: &[&str]) -> (Ran, String, String) {
    let o = Ran::of(args);
    let (out, err) = (o.stdout.clone(), o.stderr.clone());
    (o, out, err)
}

const INI: &str = "[interaction-workspace]\n\
                   privilege.outbound.can-use = true\n\
                   privilege.outbound.can-reject-record = true\n\
                   privilege.outbound.can-cancel-record = false\n\
                   privilege.outbound.can-reschedule = true\n";

const JSON: &str = r#"{
  "name": "Push Agent",
  "userProperties": {
    "interaction-workspace": {
      "privilege.outbound.can-use": "true",
      "privilege.outbound.push-preview.can-use": "true",
      "privilege.webcallback.can-use": "true"
    }
  }
}"#;

#[test]
fn import_then_matrix_gives_the_imported_grants() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_file(dir.path(), "Preview Agent.ini", INI);
    let json = write_file(dir.path(), "push.json", JSON);
    let roles = dir.path().join("imported.toml");
    let (o, out, err) = run(&[
        "roles",
        "import",
        ini.to_str().unwrap(),
        json.to_str().unwrap(),
        "--output",
        roles.to_str().unwrap(),
    ]);
    assert!(o.code == Some(0), "{err}");
    assert!(out.is_empty(), "the roles file went to --output: {out}");
    // Every key not imported is a warning with its file and line.
    assert!(
        err.contains("Preview Agent.ini:5:") && err.contains("privilege.outbound.can-reschedule"),
        "{err}"
    );
    assert!(
        err.contains("push.json:7:") && err.contains("privilege.webcallback.can-use"),
        "{err}"
    );
    assert!(err.contains("2 role(s), 2 warning(s)"), "{err}");

    let (o, _, err) = run(&["roles", "check", roles.to_str().unwrap()]);
    assert!(
        o.code == Some(0),
        "the imported file is a valid roles file: {err}"
    );

    let (o, csv, err) = run(&["matrix", "--roles", roles.to_str().unwrap()]);
    assert!(o.code == Some(0), "{err}");
    let cell = |role: &str, channel: &str, action: &str, stage: &str| -> String {
        let prefix = format!("{role},{channel},{action},{stage},");
        let line = csv
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no row {prefix}"));
        line[prefix.len()..].split(',').next().unwrap().to_string()
    };
    assert_eq!(
        cell("Preview Agent", "preview", "reject", "preview"),
        "allowed"
    );
    assert_eq!(
        cell("Preview Agent", "preview", "cancel", "preview"),
        "denied"
    );
    assert_eq!(
        cell("Preview Agent", "preview", "get-record", "campaign"),
        "allowed"
    );
    assert_eq!(
        cell("Preview Agent", "push-preview", "accept", "offered"),
        "denied"
    );
    assert_eq!(
        cell("Push Agent", "push-preview", "accept", "offered"),
        "allowed"
    );
    assert_eq!(
        cell("Push Agent", "web-callback", "accept", "offered"),
        "denied"
    );
}

#[test]
fn import_to_standard_output_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let ini = write_file(dir.path(), "a.ini", INI);
    let (o, out, _) = run(&["roles", "import", ini.to_str().unwrap()]);
    assert!(o.code == Some(0));
    assert!(out.contains("name = \"a\""), "{out}");
    assert!(out.contains("\"Outbound - Can Reject Record\""), "{out}");

    // The output is never one of the inputs.
    let (o, _, err) = run(&[
        "roles",
        "import",
        ini.to_str().unwrap(),
        "--output",
        ini.to_str().unwrap(),
    ]);
    assert_eq!(o.code, Some(2), "{err}");
    assert_eq!(std::fs::read_to_string(&ini).unwrap(), INI);

    // Two inputs naming the same role, and a malformed line, are errors; nothing is written.
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let b = write_file(dir.path(), "sub/a.ini", "");
    let bad = write_file(dir.path(), "bad.ini", "privilege.outbound.can-use\n");
    let target = dir.path().join("out.toml");
    let (o, _, err) = run(&[
        "roles",
        "import",
        ini.to_str().unwrap(),
        b.to_str().unwrap(),
        bad.to_str().unwrap(),
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(o.code, Some(2));
    assert!(err.contains("role \"a\" is also the role of"), "{err}");
    assert!(err.contains("bad.ini:1:"), "{err}");
    assert!(!target.exists());
}
