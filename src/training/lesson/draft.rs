//! A recorded session as a lesson draft: the recording's lines as they are, a `lesson` header
//! with its seed and files, and a `step` line at every pause the trainer marked while
//! recording. The trainer then words the steps and adds hints.

use crate::policy::Action;
use crate::qa::script::{quote, tokenize};

/// The comment the recorder writes where the trainer marked a pause.
pub const PAUSE_MARK: &str = "lesson step here";

/// Turns a recording (the recorder's text) into a lesson draft titled `title`.
pub fn lesson_draft(recorded: &str, title: &str) -> String {
    let mut out = vec![
        format!("lesson {}", quote(title)),
        "description \"Say here, for a new agent, what this lesson teaches.\"".to_string(),
    ];
    let mut body = Vec::new();
    let mut steps = 0;
    let mark = format!("# {PAUSE_MARK}");
    for line in recorded.lines() {
        let words = tokenize(line, 0).unwrap_or_default();
        if line.trim() == mark {
            steps += 1;
            body.push(step_line(steps));
            continue;
        }
        if let Some(rest) = line.strip_prefix("# Run: ") {
            out.extend(run_options(rest));
        }
        let starts_action = words
            .first()
            .is_some_and(|w| !w.quoted && (w.text == "click" || w.text.parse::<Action>().is_ok()));
        // A recording with no mark still needs a step: before its first action.
        if steps == 0 && starts_action && !recorded.contains(&mark) {
            steps += 1;
            body.push(step_line(steps));
        }
        body.push(line.to_string());
    }
    out.push(String::new());
    out.extend(body);
    let mut text = out.join("\n");
    text.push('\n');
    text
}

fn step_line(n: usize) -> String {
    format!(
        "step \"Step {n}: say what to do here, in plain words\"\n# hint \"A hint the trainee can ask for\""
    )
}

/// The `seed`, `roles-file` and `scenario-file` lines of a recording's `# Run:` line.
fn run_options(run: &str) -> Vec<String> {
    let words: Vec<String> = tokenize(run, 0)
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.text)
        .collect();
    let mut lines = Vec::new();
    for pair in words.windows(2) {
        match pair[0].as_str() {
            "--seed" => lines.push(format!("seed {}", pair[1])),
            "--roles" => lines.push(format!("roles-file {}", quote(&pair[1]))),
            "--scenario" => lines.push(format!("scenario-file {}", quote(&pair[1]))),
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_steps_and_the_run_line_the_header() {
        let recorded = "# Recorded on the agentdesk desktop\n# Run: agentdesk run --seed 4 --roles r.toml --script FILE\nlogin agent \"Dana\"\n# lesson step here\nget-record\nexpect allowed\n";
        let draft = lesson_draft(recorded, "Pull a record");
        assert!(draft.starts_with("lesson \"Pull a record\"\n"), "{draft}");
        assert!(draft.contains("\nseed 4\n"), "{draft}");
        assert!(draft.contains("\nroles-file \"r.toml\"\n"), "{draft}");
        let step = draft.find("step \"Step 1").unwrap();
        assert!(draft.find("login agent").unwrap() < step);
        assert!(step < draft.find("get-record").unwrap());
    }

    #[test]
    fn without_marks_the_first_action_starts_a_step() {
        let draft = lesson_draft(
            "login agent \"Dana\"\nadvance to 09:00\nclick reschedule\nexpect denied privilege\n",
            "T",
        );
        let step = draft.find("step \"Step 1").unwrap();
        assert!(draft.find("advance to").unwrap() < step);
        assert!(step < draft.find("click reschedule").unwrap());
        assert_eq!(draft.matches("\nstep ").count(), 1);
    }
}
