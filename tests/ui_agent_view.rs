//! The agent's view (docs/agent-view.md): for every default role, in each stage of each channel, the
//! toolbar draws exactly the actions whose matrix cell is not a privilege denial, and a
//! channel whose roots are not effective shows no toolbar at all. Hidden actions are still
//! refused and audited when a shortcut reaches them.

use crate::common::{app_for, harness};

use agentdesk::engine::{Args, Target};
use agentdesk::policy::{Action, Channel, DeskView, Stage, channel_shown};
use agentdesk::qa::matrix::{self, Decision};
use agentdesk::ui::DesktopApp;
use agentdesk::world::{CallResult, InteractionId};
use chrono::Duration;
use egui_kittest::kittest::{NodeT, Queryable};

const STAGES: [Stage; 5] = [
    Stage::Offered,
    Stage::Preview,
    Stage::Dialing,
    Stage::Connected,
    Stage::AfterCall,
];

/// Sam (the supervisor, every privilege) with an interaction of `channel` selected in
/// `stage`, or `None` where the channel has no such stage (pull preview is never offered).
fn sam_in(channel: Channel, stage: Stage) -> Option<(DesktopApp, InteractionId)> {
    if channel == Channel::Preview && stage == Stage::Offered {
        return None;
    }
    let mut app = app_for("Sam");
    let d = &mut app.desktop;
    d.view.desk_view = DeskView::Agent;
    let id = if channel == Channel::Preview {
        let campaign = d.session.first_running_preview_campaign().unwrap();
        assert!(d.act(Target::Campaign(campaign), Action::GetRecord, Args::None));
        d.view.selected.unwrap()
    } else {
        // Only this channel's work is offered while the stage is reached: a supervisor would
        // be offered web callbacks first.
        let driver = match channel {
            Channel::PushPreview => "Push Preview Agent",
            _ => "Web Callback Agent",
        };
        let role = d.session.engine.roles().find_role(driver).unwrap();
        let agent = d.session.agent;
        d.session.engine.set_roles(agent, vec![role]);
        let mut found = None;
        for _ in 0..240 {
            found = d
                .session
                .engine
                .open_interactions(d.session.agent)
                .into_iter()
                .find(|it| it.stage == Stage::Offered && it.channel == channel)
                .map(|it| it.id);
            if found.is_some() {
                break;
            }
            let later = d.session.engine.now() + Duration::seconds(30);
            d.advance_to(later);
        }
        let id = found.unwrap_or_else(|| panic!("no {channel:?} invitation for Sam"));
        d.view.selected = Some(id);
        if stage != Stage::Offered {
            assert!(d.act(Target::Interaction(id), Action::Accept, Args::None));
        }
        id
    };
    let target = Target::Interaction(id);
    if matches!(stage, Stage::Dialing | Stage::Connected | Stage::AfterCall) {
        d.session.engine.force_next_outcome(CallResult::Answer);
        assert!(d.act(target, Action::Dial, Args::None));
    }
    if matches!(stage, Stage::Connected | Stage::AfterCall) {
        let later = d.session.engine.now() + Duration::seconds(20);
        d.advance_to(later);
    }
    if stage == Stage::AfterCall {
        assert!(d.act(target, Action::HangUp, Args::None));
    }
    d.view.selected = Some(id);
    assert_eq!(d.session.engine.interaction(id).unwrap().stage, stage);
    Some((app, id))
}

#[test]
fn the_agents_view_draws_exactly_the_cells_that_are_not_privilege_denials() {
    let book = agentdesk::world::roles::RoleBook::embedded_default();
    let rows = matrix::build(&book);
    let mut compared = 0;
    for channel in Channel::ALL.iter().copied() {
        for stage in STAGES {
            // One desk per channel and stage, reused role after role; rebuilt only when a
            // role without the channel withdrew the invitation.
            let mut desk = None;
            for (r, role) in book.roles.iter().enumerate() {
                if desk.is_none() {
                    desk = sam_in(channel, stage).map(|(app, id)| (harness(app), id));
                }
                let Some((h, id)) = desk.as_mut() else {
                    continue;
                };
                let id = *id;
                let d = &mut h.state_mut().desktop;
                let agent = d.session.agent;
                d.session.engine.set_roles(agent, vec![r]);
                d.view.selected = Some(id);
                let still = d.session.engine.interaction(id).unwrap().stage;
                h.run();
                let what = format!("{} / {channel:?} / {stage:?}", role.name);
                let toolbar =
                    h.query_by_role_and_label(egui::accesskit::Role::GenericContainer, "Actions");
                if !channel_shown(DeskView::Agent, role.granted, channel) || still != stage {
                    // No view of a channel the role cannot use (its invitation is withdrawn).
                    assert!(toolbar.is_none(), "{what}: the channel is not drawn");
                    assert!(
                        !channel_shown(DeskView::Agent, role.granted, channel),
                        "{what}"
                    );
                    if still != stage {
                        desk = None;
                    }
                    continue;
                }
                let toolbar = toolbar.unwrap_or_else(|| panic!("{what}: a toolbar"));
                for row in rows
                    .iter()
                    .filter(|row| row.role == r && row.channel == channel && row.stage == stage)
                {
                    let privilege_denial =
                        row.decision == Decision::Denied && !row.missing.is_empty();
                    let drawn = toolbar
                        .query_by_role_and_label(egui::accesskit::Role::Button, row.action.label())
                        .is_some();
                    assert_eq!(
                        drawn,
                        !privilege_denial,
                        "{what}: {} drawn={drawn}, matrix {:?} missing {:?}",
                        row.action.label(),
                        row.decision,
                        row.missing.names()
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 300, "only {compared} cells compared");
}

#[test]
fn a_hidden_action_reached_by_a_shortcut_is_refused_and_audited() {
    // Dana may not cancel a record: in the agent's view there is no Cancel, but Alt+C still
    // asks, and the engine refuses and audits it.
    let mut app = app_for("Dana");
    app.desktop.view.desk_view = DeskView::Agent;
    let mut h = harness(app);
    h.run();
    let id = crate::common::get_record(&mut h);
    assert!(h.query_by_label("Cancel").is_none(), "Cancel is not drawn");
    assert!(h.query_by_label("Reject").is_some(), "Reject is drawn");
    let before = h.state().desktop.session.engine.audit().entries().len();
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::C);
    h.run();
    let d = &h.state().desktop;
    assert_eq!(
        d.session.engine.audit().entries().len(),
        before + 1,
        "the attempt is audited"
    );
    assert_eq!(
        d.session.engine.interaction(id).unwrap().stage,
        Stage::Preview
    );
}

#[test]
fn the_toggle_switches_between_the_views() {
    let mut h = harness(app_for("Dana"));
    h.run();
    crate::common::get_record(&mut h);
    assert!(
        h.query_by_label("Cancel").is_some(),
        "explained view: Cancel greyed"
    );
    h.get_by_label("Agent's view").click();
    h.run();
    assert!(
        h.query_by_label("Cancel").is_none(),
        "agent's view: no Cancel"
    );
    // Push-preview campaigns are not shown to Dana, who may not use push preview.
    assert_eq!(h.state().desktop.view.desk_view, DeskView::Agent);
}

#[test]
fn a_lesson_line_fixes_the_view_while_the_lesson_runs() {
    use agentdesk::training::lesson::{Lesson, SHIPPED};
    let (file, text) = SHIPPED
        .iter()
        .find(|(f, _)| f.contains("reject-or-cancel"))
        .expect("a shipped lesson");
    let fixed = text.replacen("\nseed ", "\nview agent\nseed ", 1);
    assert_ne!(
        &fixed, text,
        "the lesson has a seed line to put the view before"
    );
    let lesson = Lesson::parse(file, &fixed, None).expect("the lesson parses with `view agent`");
    assert_eq!(lesson.view, Some(DeskView::Agent));

    let mut app = app_for("Dana");
    app.desktop.start_lesson(lesson);
    let mut h = harness(app);
    h.run();
    assert_eq!(h.state().desktop.view.desk_view, DeskView::Agent);
    assert!(
        h.get_by_label("Agent's view")
            .accesskit_node()
            .is_disabled(),
        "the lesson fixes the view"
    );

    // A misspelt view is a positioned error that names the choices.
    let bad = text.replacen("\nseed ", "\nview agnet\nseed ", 1);
    let errors = Lesson::parse(file, &bad, None).unwrap_err();
    let message = errors
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(message.contains("unknown view \"agnet\""), "{message}");
    assert!(
        message.contains("did you mean") && message.contains("agent"),
        "{message}"
    );
}
