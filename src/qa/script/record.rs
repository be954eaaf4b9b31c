//! The recorder: what an agent does on the desktop, written as a script that replays it.

use crate::engine::{Args, CommandError, Engine, Outcome, Target};
use crate::policy::{Action, DenialKind};
use crate::world::{AgentId, CallbackScope, InteractionId, SimTime};

/// Writes what an agent does on the desktop as a script, so a trainer's session can be
/// replayed (`agentdesk run --seed N --script FILE`, or step by step in the window). Each
/// attempt is followed by an `expect` line saying what happened, so the recording is also a
/// regression test of the roles that were in force.
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
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// ` personal` or ` campaign` after a reschedule time, when the agent chose.
fn scope_word(scope: Option<CallbackScope>) -> String {
    scope.map_or_else(String::new, |s| format!(" {}", s.as_str()))
}

fn exact_time(t: SimTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

impl Recorder {
    /// Starts a recording of `agent` on a day that has just begun on `engine`.
    pub fn start(engine: &Engine, agent: AgentId) -> Recorder {
        let mut r = Recorder {
            lines: vec![
                "# Recorded on the agentdesk desktop.".to_string(),
                format!(
                    "# Replay: agentdesk run --seed {} --script FILE (same roles and scenario)",
                    engine.seed()
                ),
            ],
            at: engine.now(),
            current: None,
        };
        if let Some(a) = engine.agent(agent) {
            let book_agent = engine.roles().agents.iter().find(|b| b.name == a.name);
            match book_agent {
                Some(_) => r.lines.push(format!("login agent {}", quote(&a.name))),
                None => r.lines.push(format!(
                    "login role {}",
                    quote(
                        a.roles
                            .first()
                            .and_then(|&i| engine.roles().roles.get(i))
                            .map_or("", |role| role.name.as_str())
                    )
                )),
            }
            r.roles(engine, &a.roles);
        }
        r
    }

    fn catch_up(&mut self, engine: &Engine) {
        if engine.now() != self.at {
            self.at = engine.now();
            self.lines
                .push(format!("advance to {}", exact_time(self.at)));
        }
    }

    /// The agent's roles changed (or were set at the start).
    pub fn roles(&mut self, engine: &Engine, roles: &[usize]) {
        self.catch_up(engine);
        let names: Vec<String> = roles
            .iter()
            .filter_map(|&i| engine.roles().roles.get(i))
            .map(|r| quote(&r.name))
            .collect();
        if !names.is_empty() {
            self.lines.push(format!("roles {}", names.join(" ")));
        }
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
        let mut line = action.as_str().to_string();
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
        match args {
            Args::None => {}
            Args::At { at, scope } => {
                line.push_str(&format!(" {}{}", exact_time(*at), scope_word(*scope)))
            }
            Args::NewNumber { number, at, scope } => line.push_str(&format!(
                " {} {}{}",
                quote(number),
                exact_time(*at),
                scope_word(*scope)
            )),
            Args::Number(number) => line.push_str(&format!(" {}", quote(number))),
            Args::DoNotCall(scope) => line.push_str(&format!(" {}", scope.as_str())),
            Args::Record(r) => line.push_str(&format!(" {}", r + 1)),
            Args::CallResult(r) => line.push_str(&format!(" {}", quote(r.label()))),
            Args::Disposition(d) => line.push_str(&format!(" {}", quote(d))),
            Args::Edit { field, value } => {
                line.push_str(&format!(" {} {}", quote(field), quote(value)))
            }
        }
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
