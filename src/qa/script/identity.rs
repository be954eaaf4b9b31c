//! A test case's identity: its name comes from what it checks (the expectation and the action
//! it checks), not from the line it stands on, so that inserting a comment or another check
//! above it renames nothing and CI tools (Jenkins' test history, GitLab's new/fixed failure
//! tracking, which key on suite + classname + name) keep each case's history. Where the same
//! pair repeats, the second and later get an occurrence number (`#2`).

use std::collections::{BTreeMap, HashMap};

use super::ast::{Expectation, Script, ScriptCommand};
use crate::policy::Action;

/// The name of every case of `script` (its `expect` and `wait` lines), by line number.
pub fn case_names(script: &Script) -> BTreeMap<usize, String> {
    let mut last: Option<Action> = None;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut names = BTreeMap::new();
    for step in &script.steps {
        let base = match &step.command {
            ScriptCommand::Act(a) => {
                last = Some(a.action);
                continue;
            }
            ScriptCommand::Expect(e) => expectation_name(e, last),
            ScriptCommand::WaitOffer { within } => {
                format!("an offer arrives within {}", span(*within))
            }
            ScriptCommand::WaitStage { stage, within } => after(
                format!("stage becomes {stage} within {}", span(*within)),
                last,
            ),
            _ => continue,
        };
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let name = if *n == 1 {
            base
        } else {
            format!("{base} #{n}")
        };
        names.insert(step.line, name);
    }
    names
}

/// `reject is denied (Outbound - Can Reject Record)`, `stage is closed (after mark-done)`.
fn expectation_name(e: &Expectation, last: Option<Action>) -> String {
    let decision = |what: String| match last {
        Some(a) => format!("{a} is {what}"),
        None => format!("the last action is {what}"),
    };
    match e {
        Expectation::Allowed => decision("allowed".into()),
        Expectation::Invalid => decision("invalid".into()),
        Expectation::Denied { kind, privileges } => {
            let mut what = "denied".to_string();
            if let Some(k) = kind {
                what.push_str(&format!(" {k}"));
            }
            if !privileges.is_empty() {
                let names: Vec<&str> = privileges.iter().map(|p| p.name()).collect();
                what.push_str(&format!(" ({})", names.join(", ")));
            }
            decision(what)
        }
        Expectation::Stage(s) => after(format!("stage is {s}"), last),
        Expectation::Queue { campaign, records } => {
            let queue = match campaign {
                Some(c) => format!("queue of campaign {} holds {records}", c.0),
                None => format!("queue holds {records}"),
            };
            after(queue, last)
        }
        Expectation::Records(n) => after(format!("record chain holds {n}"), last),
        Expectation::Contact(c) => after(format!("contact is \"{c}\""), last),
    }
}

fn after(what: String, last: Option<Action>) -> String {
    match last {
        Some(a) => format!("{what} (after {a})"),
        None => what,
    }
}

/// A span as a script writes it: `90s`, `1m`, `2h`.
fn span(d: chrono::Duration) -> String {
    let s = d.num_seconds();
    if s % 3600 == 0 && s > 0 {
        format!("{}h", s / 3600)
    } else if s % 60 == 0 && s > 0 {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::roles::RoleBook;
    use crate::world::scenario::Scenario;

    fn names(source: &str) -> Vec<String> {
        let book = RoleBook::embedded_default();
        let scenario = Scenario::embedded_default();
        let parsed = Script::parse("t.script", source, &book, &scenario).expect("parses");
        case_names(&parsed.script).into_values().collect()
    }

    #[test]
    fn names_say_what_is_checked_and_number_repeats() {
        let n = names(
            "login agent \"Priya\"\nready\nwait offer within 5m\naccept\nexpect allowed\nexpect stage connected\naccept\nexpect allowed\n",
        );
        assert_eq!(
            n,
            [
                "an offer arrives within 5m",
                "accept is allowed",
                "stage is connected (after accept)",
                "accept is allowed #2",
            ]
        );
    }

    #[test]
    fn a_comment_or_check_inserted_above_renames_nothing_below() {
        let before =
            names("login agent \"Priya\"\nready\nwait offer within 5m\naccept\nexpect allowed\n");
        let after = names(
            "# a new comment\n\nlogin agent \"Priya\"\nready\n# another\nwait offer within 5m\naccept\nexpect allowed\n",
        );
        assert_eq!(before, after);
    }
}
