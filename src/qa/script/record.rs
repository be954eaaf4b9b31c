//! The recorder: what happens on the desktop, written as a script that replays it.

use crate::engine::{Args, CommandError, Engine, Outcome, Target};
use crate::policy::{Action, DenialKind};
use crate::world::roles::RoleEdit;
use crate::world::{CallbackScope, InteractionId, SimTime};

/// Writes what happens on the desktop as a script, so a trainer's session can be replayed
/// (`agentdesk run --seed N --script FILE`, or step by step in the window): every attempt with
/// its arguments, followed by an `expect` line saying what happened (so the recording is also
/// a regression test of the roles in force), and everything else that changes what an agent
/// may do: role-book edits, live role changes, agent switches, Ready / Not Ready, and the
/// simulated time each of them happened at.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorder {
    lines: Vec<String>,
    /// Simulated time of the last line written.
    at: SimTime,
    /// The interaction the script's actions go to, as the runner will see it.
    current: Option<InteractionId>,
}

/// A double-quoted script token.
pub fn quote(text: &str) -> String {
    // A line break would end the script line: a recorded text keeps its words on one line.
    let one_line = text.replace(['\n', '\r'], " ");
    format!(
        "\"{}\"",
        one_line.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// ` personal` or ` campaign` after a reschedule time, when the agent chose.
fn scope_word(scope: Option<CallbackScope>) -> String {
    scope.map_or_else(String::new, |s| format!(" {}", s.as_str()))
}

fn exact_time(t: SimTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

fn quoted_list(names: &[String]) -> String {
    names.iter().map(|n| format!(" {}", quote(n))).collect()
}

/// The script line of a role-book edit.
pub fn edit_line(edit: &RoleEdit) -> String {
    match edit {
        RoleEdit::Version(v) => format!("define product-version {v}"),
        RoleEdit::Grant { role, privileges } => {
            let names: Vec<String> = privileges.iter().map(|p| p.name().to_string()).collect();
            format!("define role {}{}", quote(role), quoted_list(&names))
        }
        RoleEdit::Describe { role, text } => {
            format!("define description {} {}", quote(role), quote(text))
        }
        RoleEdit::Rename { from, to } => format!("rename role {} {}", quote(from), quote(to)),
        RoleEdit::Remove { role } => format!("remove role {}", quote(role)),
        RoleEdit::Order(names) => format!("define role-order{}", quoted_list(names)),
        RoleEdit::Assign { agent, roles } => {
            format!("define agent {}{}", quote(agent), quoted_list(roles))
        }
        RoleEdit::RemoveAgent { agent } => format!("remove agent {}", quote(agent)),
    }
}

impl Recorder {
    /// Starts a recording on a day that has just begun on `engine`, with `header` (comment
    /// lines saying how to replay it) first.
    pub fn begin(engine: &Engine, header: Vec<String>) -> Recorder {
        Recorder {
            lines: header,
            at: engine.now(),
            current: None,
        }
    }

    fn catch_up(&mut self, engine: &Engine) {
        if engine.now() != self.at {
            self.at = engine.now();
            self.lines
                .push(format!("advance to {}", exact_time(self.at)));
        }
    }

    /// An agent of the roles file logged in, or the desk switched back to it.
    pub fn login(&mut self, engine: &Engine, agent: &str) {
        self.catch_up(engine);
        self.lines.push(format!("login agent {}", quote(agent)));
        // The runner starts a switched-to agent with no current interaction.
        self.current = None;
    }

    /// The agent's roles changed live (the names of the roles it holds now).
    pub fn roles(&mut self, engine: &Engine, roles: &[String]) {
        self.catch_up(engine);
        if roles.is_empty() {
            self.lines.push("roles none".to_string());
        } else {
            self.lines.push(format!("roles{}", quoted_list(roles)));
        }
    }

    /// One step of a role-book edit. A rename or description that continues the previous line
    /// (the role editor applies every keystroke) replaces it: nothing happened in between.
    pub fn edit(&mut self, engine: &Engine, edit: &RoleEdit) {
        self.catch_up(engine);
        let line = edit_line(edit);
        if let Some(last) = self.lines.last_mut() {
            match edit {
                RoleEdit::Rename { from, to } => {
                    let prefix = "rename role ";
                    let ends = format!(" {}", quote(from));
                    if last.starts_with(prefix) && last.ends_with(&ends) {
                        let start = &last[..last.len() - ends.len()];
                        *last = format!("{start} {}", quote(to));
                        return;
                    }
                }
                RoleEdit::Describe { role, .. }
                    if last.starts_with(&format!("define description {} ", quote(role))) =>
                {
                    *last = line;
                    return;
                }
                _ => {}
            }
        }
        self.lines.push(line);
    }

    pub fn ready(&mut self, engine: &Engine, ready: bool) {
        self.catch_up(engine);
        self.lines
            .push(if ready { "ready" } else { "not-ready" }.to_string());
    }

    /// Records an attempt and its result; call after `Engine::execute` returned.
    pub fn attempt(
        &mut self,
        engine: &Engine,
        target: Target,
        action: Action,
        args: &Args,
        result: &Result<Outcome, CommandError>,
        at: SimTime,
    ) {
        if at != self.at {
            self.at = at;
            self.lines.push(format!("advance to {}", exact_time(at)));
        }
        let mut line = match args {
            // An action the desk asks arguments for, attempted without them (a click on its
            // disabled button), is written `click <action>`.
            Args::None if action.arguments().asked() => format!("click {action}"),
            _ => action.as_str().to_string(),
        };
        match target {
            Target::Campaign(c) => {
                if let Some(c) = engine.campaign(c) {
                    line.push(' ');
                    line.push_str(&quote(&c.name));
                }
            }
            Target::Interaction(id) => {
                if self.current != Some(id) {
                    self.lines.push(format!("select {id}"));
                    self.current = Some(id);
                }
            }
        }
        line.push_str(&args_text(args));
        self.lines.push(line);
        self.lines.push(match result {
            Ok(outcome) => {
                if let Some(id) = outcome.opened {
                    self.current = Some(id);
                }
                "expect allowed".to_string()
            }
            Err(CommandError::Denied(d)) if d.kind == DenialKind::Privilege => {
                let names: Vec<String> = d.missing.iter().map(|p| quote(p.name())).collect();
                format!("expect denied {}", names.join(" "))
            }
            Err(CommandError::Denied(d)) => format!("expect denied {}", d.kind.as_str()),
            Err(_) => "expect invalid".to_string(),
        });
    }

    /// A comment line at the simulated now (a pause a trainer marks while recording a
    /// lesson): the time is caught up first, so what follows starts from here.
    pub fn comment(&mut self, engine: &Engine, text: &str) {
        self.catch_up(engine);
        self.lines
            .push(format!("# {}", text.replace(['\n', '\r'], " ")));
    }

    /// Ends the recording at the simulated now and gives the script.
    pub fn finish(mut self, engine: &Engine) -> String {
        self.catch_up(engine);
        self.text()
    }

    /// The script so far.
    pub fn text(&self) -> String {
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// An action's arguments as the script writes them after the action word.
fn args_text(args: &Args) -> String {
    match args {
        Args::None => String::new(),
        Args::At { at, scope } => format!(" {}{}", exact_time(*at), scope_word(*scope)),
        Args::NewNumber { number, at, scope } => format!(
            " {} {}{}",
            quote(number),
            exact_time(*at),
            scope_word(*scope)
        ),
        Args::Number(number) => format!(" {}", quote(number)),
        Args::DoNotCall(scope) => format!(" {}", scope.as_str()),
        Args::Record(r) => format!(" {}", r + 1),
        Args::CallResult(r) => format!(" {}", quote(r.label())),
        Args::Disposition(d) => format!(" {}", quote(d)),
        Args::Edit { field, value } => format!(" {} {}", quote(field), quote(value)),
    }
}
