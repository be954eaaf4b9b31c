//! `agentdesk lesson run`'s core: a trainee's attempts (a script of their own action lines, in
//! order) played through a lesson headless. Each attempt goes through the engine as a desk
//! attempt (`Source::Desktop`) at what the desk would show (the lesson's agent, the interaction
//! its step is about), and the lesson matches it from the audit log exactly as at the desk.
//! After every attempt the score card's changes become statements, handed to `record` (the
//! outbox) before the attempt's verdict is reported.

use std::io;

use super::{LessonRecorder, Statement};
use crate::engine::{Command, Engine, Source, Target};
use crate::qa::script::{Script, ScriptCommand, args_at};
use crate::training::lesson::{LessonRun, ScoreCard};
use crate::world::CampaignMode;

/// What became of one line of the attempts file.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptLine {
    pub line: usize,
    pub text: String,
    pub verdict: String,
}

/// A headless lesson run's outcome.
#[derive(Clone, Debug)]
pub struct HeadlessRun {
    pub lines: Vec<AttemptLine>,
    pub card: ScoreCard,
    pub statements: usize,
}

/// Plays `attempts` through the lesson run `run` on `engine`. `now` gives each statement's
/// timestamp (wall-clock, ISO 8601 with offset).
pub fn play(
    mut engine: Engine,
    mut run: LessonRun,
    attempts: &Script,
    recorder: &mut LessonRecorder,
    now: &dyn Fn() -> String,
    record: &mut dyn FnMut(Vec<Statement>) -> io::Result<()>,
) -> io::Result<HeadlessRun> {
    let trainee = recorder.context.trainee.clone();
    let mut count = 0;
    let card = run.score(engine.now(), &trainee, None);
    let first = recorder.update(&card, None, &now());
    count += first.len();
    record(first)?;
    let mut lines = Vec::new();
    for step in &attempts.steps {
        if run.is_finished() {
            lines.push(AttemptLine {
                line: step.line,
                text: step.text.clone(),
                verdict: "not played: the lesson is finished".into(),
            });
            continue;
        }
        let before = run.step();
        let wrong_before = run
            .score(engine.now(), &trainee, None)
            .steps
            .get(before)
            .map_or(0, |s| s.wrong);
        let (verdict, response) = match &step.command {
            ScriptCommand::Act(act) => match attempt(&mut engine, &mut run, act) {
                Ok(()) => (String::new(), Some(act.action.label())),
                Err(why) => (why, None),
            },
            ScriptCommand::EditRoles(edit) => match engine.edit_roles(edit) {
                Ok(()) => {
                    run.sync(&mut engine, &[]);
                    (String::new(), Some("edit-roles"))
                }
                Err(e) => (format!("the role edit cannot be made: {e}"), None),
            },
            // Only the trainee's own lines count; `expect` and the rest are the lesson's.
            _ => continue,
        };
        let card = run.score(engine.now(), &trainee, None);
        let statements = recorder.update(&card, response, &now());
        count += statements.len();
        // Recorded (fsynced) before the verdict is said.
        record(statements)?;
        let verdict = if !verdict.is_empty() {
            verdict
        } else if card
            .steps
            .get(before)
            .is_some_and(|s| s.wrong > wrong_before)
        {
            format!(
                "wrong: {}",
                run.wrong
                    .as_ref()
                    .map_or("not what the step asks", |w| w.reason.as_str())
            )
        } else if run.step() > before {
            format!("step {} done", before + 1)
        } else {
            "as the step asks".to_string()
        };
        lines.push(AttemptLine {
            line: step.line,
            text: step.text.clone(),
            verdict,
        });
    }
    let card = run.score(engine.now(), &trainee, None);
    let last = recorder.end(&card, &now());
    count += last.len();
    record(last)?;
    Ok(HeadlessRun {
        lines,
        card,
        statements: count,
    })
}

/// One action line as the desk would make it; Err when the desk could not even offer it.
fn attempt(
    engine: &mut Engine,
    run: &mut LessonRun,
    act: &crate::qa::script::ScriptAction,
) -> Result<(), String> {
    let agent = run.agent().ok_or("nobody is logged in at the desk yet")?;
    let target = if act.action.acts_on_campaign() {
        let campaign = act
            .campaign
            .or_else(|| engine.first_running_campaign(CampaignMode::Preview))
            .ok_or("no preview campaign is running")?;
        Target::Campaign(campaign)
    } else {
        Target::Interaction(run.current().ok_or("no interaction is on the desk")?)
    };
    let args = args_at(&act.args, engine.now());
    let seen = engine.audit().entries().len();
    let _ = engine.execute(Command {
        agent,
        target,
        action: act.action,
        args: args.clone(),
        source: Source::Desktop,
    });
    let given: Vec<_> = engine.audit().entries()[seen.min(engine.audit().entries().len())..]
        .iter()
        .map(|e| (e.seq, args.clone()))
        .collect();
    run.sync(engine, &given);
    Ok(())
}

/// Parses a trainee's attempts file: the script format's lines, without a `login` of their
/// own (the lesson logs its agent in). The parser wants an agent before an action, so one is
/// put before the file's first line and taken out again, its line numbers with it.
pub fn parse_attempts(
    file: &str,
    text: &str,
    lesson: &crate::training::lesson::Lesson,
) -> Result<Script, Vec<crate::input::Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let agent = lesson.book.agents.first().map(|a| a.name.clone());
    let Some(agent) = agent else {
        return Script::parse(file, text, &lesson.book, &lesson.scenario).map(|p| p.script);
    };
    let source = format!("login agent {}\n{text}", crate::qa::script::quote(&agent));
    match Script::parse(file, &source, &lesson.book, &lesson.scenario) {
        Ok(parsed) => {
            let mut script = parsed.script;
            script.steps.remove(0);
            for s in &mut script.steps {
                s.line -= 1;
            }
            Ok(script)
        }
        Err(mut diags) => {
            for d in &mut diags {
                if let Some(p) = &mut d.position {
                    p.line = p.line.saturating_sub(1).max(1);
                }
            }
            Err(diags)
        }
    }
}
