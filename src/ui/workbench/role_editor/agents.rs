//! The role editor's agents: who holds a role in the roles file (tickable), and beside each
//! logged-in agent what it holds on the desk now, which live role switches may have changed.

use egui::{RichText, Ui};

use super::RoleEditor;
use crate::ui::Session;

/// The agents holding the role in the roles file, tickable, and beside each logged-in one
/// whether it holds the role on the desk now (roles switched live from the top bar).
pub(super) fn role_agents(ui: &mut Ui, state: &mut RoleEditor, role: usize, s: &Session) {
    ui.add_space(8.0);
    ui.strong("Agents with this role");
    ui.weak(
        "Ticked: in the roles file (Save writes it). Beside a logged-in agent: what it holds \
         on the desk now.",
    );
    let role_name = state.draft.role_name(role).unwrap_or_default().to_string();
    for agent in 0..state.draft.agent_count() {
        let mut on = state.draft.agent_has_role(agent, role);
        let name = state
            .draft
            .agent_name(agent)
            .unwrap_or_default()
            .to_string();
        ui.horizontal(|ui| {
            if ui.checkbox(&mut on, &name).changed() {
                state.draft.set_agent_role(agent, role, on);
            }
            if let Some(live) = live_holds(s, &name, &role_name) {
                live_label(ui, live, on);
            }
        });
    }
}

/// Whether the logged-in agent `agent` holds role `role` on the desk now; `None` when that
/// agent is not logged in.
fn live_holds(s: &Session, agent: &str, role: &str) -> Option<bool> {
    let session = s.engine.agents().iter().find(|a| a.name == agent)?;
    let book = s.engine.roles();
    Some(
        session
            .roles
            .iter()
            .any(|&r| book.roles.get(r).is_some_and(|x| x.name == role)),
    )
}

/// "on the desk now: holds it", marked when it differs from the roles file.
fn live_label(ui: &mut Ui, holds: bool, in_file: bool) {
    let text = if holds {
        "on the desk now: holds it"
    } else {
        "on the desk now: does not hold it"
    };
    if holds == in_file {
        ui.weak(text);
    } else {
        ui.label(
            RichText::new(format!("{text} (not as in the roles file)"))
                .color(ui.visuals().warn_fg_color),
        )
        .on_hover_text("Roles switched live from the top bar change the desk, not the roles file");
    }
}

pub(super) fn agents_view(ui: &mut Ui, state: &mut RoleEditor, s: &Session) {
    ui.label(
        "Each agent's roles in the roles file; a logged-in agent whose roles change here gets \
         them live.",
    );
    ui.add_space(4.0);
    for agent in 0..state.draft.agent_count() {
        let name = state
            .draft
            .agent_name(agent)
            .unwrap_or_default()
            .to_string();
        let roles = state.draft.agent_role_names(agent);
        let summary = if roles.is_empty() {
            "no roles: every action is denied".to_string()
        } else {
            roles.join(" + ")
        };
        egui::CollapsingHeader::new(RichText::new(format!("{name}: {summary}")))
            .id_salt(("role_editor_agent", agent))
            .show(ui, |ui| {
                for role in 0..state.draft.role_count() {
                    let mut on = state.draft.agent_has_role(agent, role);
                    let role_name = state.draft.role_name(role).unwrap_or_default().to_string();
                    ui.horizontal(|ui| {
                        if ui.checkbox(&mut on, &role_name).changed() {
                            state.draft.set_agent_role(agent, role, on);
                        }
                        if let Some(live) = live_holds(s, &name, &role_name) {
                            live_label(ui, live, on);
                        }
                    });
                }
            });
    }
    if state.draft.agent_count() == 0 {
        ui.weak("This roles file has no agents.");
    }
}
