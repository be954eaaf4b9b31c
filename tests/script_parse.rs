//! Bad script files: every error carries file:line:column, what was expected, and a "did you
//! mean" for near-miss names; the binary reports them all and exits 2 before running anything.

use crate::common::{Ran, temp_file};
use agentdesk::input::{Diagnostic, Position, Severity};
use agentdesk::qa::script::{Expectation, Script, ScriptCommand};
use agentdesk::world::roles::RoleBook;
use agentdesk::world::scenario::Scenario;

fn errors(src: &str) -> Vec<Diagnostic> {
    match Script::parse(
        "qa.script",
        src,
        &RoleBook::embedded_default(),
        &Scenario::embedded_default(),
    ) {
        Ok(parsed) => panic!("expected errors, parsed {:?}", parsed.script.steps),
        Err(e) => e,
    }
}

fn only_error(src: &str) -> Diagnostic {
    let e = errors(src);
    assert_eq!(e.len(), 1, "{e:#?}");
    e.into_iter().next().expect("one error")
}

fn at(line: usize, column: usize) -> Option<Position> {
    Some(Position { line, column })
}

#[test]
fn unknown_command_points_at_the_word_and_suggests_the_command() {
    let d = only_error("login agent \"Dana\"\n  get-recrod\n");
    assert_eq!(d.position, at(2, 3));
    assert_eq!(d.message, "unknown command \"get-recrod\"");
    assert!(d.expected.as_deref().unwrap_or("").contains("get-record"));
    assert_eq!(d.help.as_deref(), Some("did you mean \"get-record\"?"));
    assert!(
        d.to_string()
            .starts_with("qa.script:2:3: error: unknown command")
    );
}

#[test]
fn unknown_privilege_in_expect_denied_suggests_the_exact_name() {
    let d = only_error(
        "login agent \"Dana\"\nget-record\nexpect denied privilege \"Outbound - Can Cancle Record\"\n",
    );
    assert_eq!(d.position, at(3, 25));
    assert_eq!(
        d.message,
        "unknown privilege \"Outbound - Can Cancle Record\""
    );
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean \"Outbound - Can Cancel Record\"?")
    );
}

#[test]
fn the_ambiguous_bare_name_is_an_error_and_the_alias_a_note_as_in_roles_files() {
    let d = only_error(
        "login agent \"Wes\"\noffer web-callback\naccept\nexpect denied \"Can Reschedule Before Call\"\n",
    );
    assert_eq!(d.position, at(4, 15));
    assert!(
        d.message
            .contains("Web Callback - Can Reschedule Before Call")
    );
    assert!(d.message.contains("Outbound - Can Reschedule Before Call"));

    let parsed = Script::parse(
        "qa.script",
        "login agent \"Tom\"\noffer web-callback\naccept\n\
         expect denied \"Web Callback - Can Use Web Callback Channel\"\n",
        &RoleBook::embedded_default(),
        &Scenario::embedded_default(),
    )
    .expect("the alias is accepted");
    assert_eq!(parsed.notes.len(), 1);
    assert_eq!(parsed.notes[0].severity, Severity::Note);
    assert_eq!(parsed.notes[0].position, at(4, 15));
    assert_eq!(
        parsed.script.steps[3].command,
        ScriptCommand::Expect(Expectation::Denied {
            kind: None,
            privileges: vec![agentdesk::policy::Privilege::WcbUse],
        })
    );
}

#[test]
fn unknown_role_and_agent_get_did_you_mean() {
    let e = errors(
        "login role \"Outbound Preveiw Agent\"\nlogin agent \"Dnaa\"\nroles \"Trainee\" \"Supervsor\"\n",
    );
    assert_eq!(e.len(), 3, "{e:#?}");
    assert_eq!(e[0].position, at(1, 12));
    assert_eq!(e[0].message, "unknown role \"Outbound Preveiw Agent\"");
    assert_eq!(
        e[0].help.as_deref(),
        Some("did you mean \"Outbound Preview Agent\"?")
    );
    assert_eq!(e[1].position, at(2, 13));
    assert_eq!(e[1].help.as_deref(), Some("did you mean \"Dana\"?"));
    assert_eq!(e[2].position, at(3, 17));
    assert_eq!(e[2].help.as_deref(), Some("did you mean \"Supervisor\"?"));
}

#[test]
fn bad_times_and_durations_say_what_was_expected() {
    let e = errors(
        "login agent \"Dana\"\nreschedule 2026-11-31 10:00\nadvance 5 minutes\n\
         advance to 25:00\nwait offer within soon\nreschedule +30x\n",
    );
    assert_eq!(e.len(), 5, "{e:#?}");
    let positions: Vec<_> = e.iter().map(|d| d.position).collect();
    assert_eq!(
        positions,
        vec![at(2, 12), at(3, 9), at(4, 12), at(5, 19), at(6, 12)]
    );
    assert!(e[0].message.contains("2026-11-31 10:00"), "{}", e[0]);
    assert!(
        e[0].expected
            .as_deref()
            .unwrap_or("")
            .contains("YYYY-MM-DD HH:MM")
    );
    assert!(e[1].expected.as_deref().unwrap_or("").contains("90s, 5m"));
    assert!(e[2].expected.as_deref().unwrap_or("").contains("HH:MM"));
    assert!(e[4].expected.as_deref().unwrap_or("").contains("+30m"));
}

#[test]
fn an_expectation_needs_an_action_before_it() {
    let d = only_error("login agent \"Dana\"\nadvance 5m\nexpect denied\n");
    assert_eq!(d.position, at(3, 1));
    assert_eq!(d.message, "this expectation has no action before it");
    // `expect stage` is about the current interaction, not an action, so it may come first.
    let parsed = Script::parse(
        "qa.script",
        "login agent \"Dana\"\nexpect stage preview\nget-record\nexpect allowed\n",
        &RoleBook::embedded_default(),
        &Scenario::embedded_default(),
    );
    assert!(parsed.is_ok());
}

#[test]
fn actions_need_a_login_and_arguments_are_checked() {
    let e = errors(
        "dial\nlogin agent \"Sam\"\ndial-alternative 0\nset-call-result Bussy\n\
         get-record \"Winter Renewal\"\noffer push-preview \"Winter Renewals\"\n\
         mark-done now\nlogin agent \"Sam\n",
    );
    let messages: Vec<(Option<Position>, &str)> =
        e.iter().map(|d| (d.position, d.message.as_str())).collect();
    assert_eq!(
        messages,
        vec![
            (at(1, 1), "`dial` needs a logged-in agent"),
            (at(3, 18), "invalid record number \"0\""),
            (at(4, 17), "unknown call result \"Bussy\""),
            (at(5, 12), "unknown campaign \"Winter Renewal\""),
            (
                at(6, 20),
                "campaign \"Winter Renewals\" is not a push-preview campaign"
            ),
            (at(7, 11), "unexpected argument"),
            (at(8, 13), "unterminated quoted argument"),
        ]
    );
    assert_eq!(e[2].help.as_deref(), Some("did you mean \"Busy\"?"));
    assert_eq!(
        e[3].help.as_deref(),
        Some("did you mean \"Winter Renewals\"?")
    );
}

#[test]
fn the_binary_reports_every_error_and_exits_2_without_running() {
    let file = temp_file(
        ".script",
        "login agent \"Dana\"\ndail\nexpect stage dialling\n",
    );
    let path = file.path().to_str().expect("UTF-8 path").to_string();
    let out = Ran::of(&["run", "--script", &path]);
    assert_eq!(out.code, Some(2), "{out}");
    assert!(out.stdout.is_empty(), "nothing runs on a bad file");
    let stderr = out.stderr;
    assert!(
        stderr.contains(&format!("{path}:2:1: error: unknown command \"dail\"")),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean \"dial\"?"), "{stderr}");
    assert!(
        stderr.contains(&format!("{path}:3:14: error: unknown stage \"dialling\"")),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean \"dialing\"?"), "{stderr}");
    assert!(stderr.contains("2 error(s)"), "{stderr}");
}

#[test]
fn a_bad_roles_or_scenario_file_is_exit_2_too() {
    let roles = temp_file(
        ".toml",
        "[[role]]\nname = \"A\"\nprivileges = [\"Outbound - Can Rejct Record\"]\n",
    );
    let script = temp_file(".script", "advance 1m\n");
    let utf8 = |f: &tempfile::NamedTempFile| f.path().to_str().expect("UTF-8 path").to_string();
    let out = Ran::of(&["run", "--roles", &utf8(&roles), "--script", &utf8(&script)]);
    assert_eq!(out.code, Some(2), "{out}");
    let stderr = &out.stderr;
    assert!(
        stderr.contains(":3:15: error: unknown privilege"),
        "{stderr}"
    );

    let scenario = temp_file(
        ".toml",
        "name = \"x\"\nstart = \"2026-11-23T08:00:00\"\nfoo = 1\n",
    );
    let out = Ran::of(&["run", "--scenario", &utf8(&scenario)]);
    assert_eq!(out.code, Some(2), "{out}");
    let stderr = &out.stderr;
    assert!(
        stderr.contains(":3:1: error: unknown field `foo`"),
        "{stderr}"
    );
}
