//! The action table (`policy/action.rs`) against the script format: every action, with
//! arguments of its kind and without them (a click), is written by the recorder and read back
//! by the parser as the same attempt, so a recording replays what the desk did.

use chrono::Duration;

use super::{Recorder, Script, ScriptCommand, args_at};
use crate::engine::{Args, CommandError, Engine, Target};
use crate::policy::{Action, Arguments};
use crate::world::roles::RoleBook;
use crate::world::scenario::Scenario;
use crate::world::{CallResult, CallbackScope, CampaignId, DoNotCallScope, InteractionId};

/// Arguments of kind `kind` as the desk sends them, with texts a script must quote.
fn sample(kind: Arguments, engine: &Engine) -> Args {
    let at = engine.now() + Duration::hours(3);
    let number = "+1 (212) 555-0100".to_string();
    match kind {
        Arguments::None | Arguments::Campaign => Args::None,
        Arguments::Record => Args::Record(1),
        Arguments::Number => Args::Number(number),
        Arguments::Time => Args::At {
            at,
            scope: Some(CallbackScope::Personal),
        },
        Arguments::NumberAndTime => Args::NewNumber {
            number,
            at,
            scope: None,
        },
        Arguments::DoNotCallScope => Args::DoNotCall(DoNotCallScope::Contact),
        Arguments::CallResult => Args::CallResult(CallResult::NoAnswer),
        Arguments::Disposition => Args::Disposition("Sales > \"Won\" \\ today".to_string()),
        Arguments::FieldAndValue => Args::Edit {
            field: "Notes".to_string(),
            value: "calls back # after lunch".to_string(),
        },
    }
}

/// The attempt the action table says `action` makes: on a campaign or on an interaction.
fn target_of(action: Action) -> Target {
    if action.acts_on_campaign() {
        Target::Campaign(CampaignId(1))
    } else {
        Target::Interaction(InteractionId(1))
    }
}

#[test]
fn every_action_round_trips_through_the_recorder_and_the_parser() {
    let engine = Engine::new(
        RoleBook::embedded_default(),
        Scenario::embedded_default(),
        1,
    );
    let mut attempts = Vec::new();
    for &action in Action::ALL {
        let given = sample(action.arguments(), &engine);
        attempts.push((action, given.clone()));
        // Attempted without its arguments (a click on its button): `click <action>`.
        if given != Args::None {
            attempts.push((action, Args::None));
        }
    }
    let mut recorder = Recorder::begin(&engine, Vec::new());
    let agent = &engine.roles().agents[0].name;
    recorder.login(&engine, agent);
    for (action, args) in &attempts {
        let refused = Err(CommandError::NoSuchInteraction(InteractionId(1)));
        let target = target_of(*action);
        recorder.attempt(&engine, target, *action, args, &refused, engine.now());
    }
    let text = recorder.finish(&engine);
    let parsed = Script::parse("recorded.script", &text, engine.roles(), engine.scenario())
        .unwrap_or_else(|d| panic!("{text}\n{d:?}"));
    let read: Vec<_> = parsed
        .script
        .steps
        .iter()
        .filter_map(|step| match &step.command {
            ScriptCommand::Act(a) => Some((step.text.clone(), a.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(read.len(), attempts.len(), "{text}");
    for ((action, args), (line, read)) in attempts.iter().zip(&read) {
        assert_eq!(read.action, *action, "{line}");
        assert_eq!(&args_at(&read.args, engine.now()), args, "{line}");
        let campaign = match target_of(*action) {
            Target::Campaign(c) => Some(c),
            Target::Interaction(_) => None,
        };
        assert_eq!(read.campaign, campaign, "{line}");
        let keyword = line
            .split_whitespace()
            .nth(usize::from(line.starts_with("click ")));
        assert_eq!(keyword, Some(action.as_str()), "{line}");
        let asked_without = *args == Args::None && action.arguments().asked();
        assert_eq!(line.starts_with("click "), asked_without, "{line}");
    }
}
