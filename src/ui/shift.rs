//! Starting a practice shift on the desktop: a fresh day on the trainee's seed, with the same
//! roles, scenario and agent, opened when the trainee's first records may be dialled.

use super::Desktop;
use crate::engine::Engine;
use crate::training::activity::ActivityKind;
use crate::training::practice::workable_start;

impl Desktop {
    /// A fresh day on `seed` for the same agent with its current roles, advanced (before the
    /// agent logs in, so nothing is offered to them meanwhile) to when its first records may
    /// be dialled; the clock at `speed`, waiting while an invitation waits if `hold`.
    pub(super) fn start_practice(&mut self, seed: u64, minutes: i64, speed: f64, hold: bool) {
        let s = &self.session;
        let (name, roles) = s
            .engine
            .agent(s.agent)
            .map(|a| (a.name.clone(), a.roles.clone()))
            .unwrap_or_default();
        let mut engine = Engine::new(s.engine.roles().clone(), s.engine.scenario().clone(), seed);
        let opening = workable_start(&engine, &roles);
        engine.advance_to(opening.at);
        let agent = engine.login(&name, roles);
        self.fresh_day_on(engine, speed);
        self.session.agent = agent;
        self.session.practice_hold = hold;
        if let Some(p) = self
            .view
            .workbench
            .get_mut::<super::workbench::practice::Practice>()
        {
            p.opening = opening.why;
        }
        let clock = if hold {
            "stops while an invitation waits (new work only)"
        } else {
            "runs on while an invitation waits"
        };
        self.begin_activity(
            ActivityKind::PracticeShift,
            format!("seed {seed}, {minutes} minutes"),
            vec![format!("clock: {speed}x, {clock}")],
        );
        self.fix_selection();
    }
}
