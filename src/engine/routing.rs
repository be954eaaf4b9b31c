//! Where work goes: channel agent groups, offering web callbacks and pushed records to free
//! agents, handing work to an agent (opening an interaction) and taking it back.

use std::collections::BTreeSet;

use chrono::Duration;

use crate::engine::clock::Event;
use crate::engine::{AgentSession, Engine};
use crate::policy::{Channel, Privilege, Stage};
use crate::world::{
    AgentId, CallbackState, CallbackType, CampaignId, CampaignMode, ChainId, ChainPlace,
    Completion, Interaction, InteractionId, Payload, RecordStatus,
};

/// At most this many open interactions per agent before routing stops offering more.
pub const MAX_OPEN_PER_AGENT: usize = 4;

impl Engine {
    /// Whether the agent is in a channel's agent group: its roles grant any privilege of that
    /// section (routing only; what the agent may do is still decided by `authorize`).
    pub(super) fn in_group(&self, agent: &AgentSession, channel: Channel) -> bool {
        match channel {
            Channel::WebCallback => Privilege::ALL
                .iter()
                .take(9)
                .any(|p| agent.granted.contains(*p)),
            Channel::PushPreview => {
                agent.granted.contains(Privilege::ObPushPreview)
                    || agent.granted.contains(Privilege::ObPushDecline)
            }
            Channel::Preview => agent.granted.contains(Privilege::ObUse),
        }
    }

    /// An agent that can take an invitation on `channel` now, skipping `exclude`; for a
    /// personal callback (`owner`), that agent or nobody.
    fn free_agent(
        &self,
        channel: Channel,
        exclude: &BTreeSet<AgentId>,
        owner: Option<AgentId>,
    ) -> Option<AgentId> {
        self.agents
            .iter()
            .filter(|a| owner.is_none_or(|o| o == a.id))
            .filter(|a| a.ready && !exclude.contains(&a.id) && self.in_group(a, channel))
            .filter(|a| a.open.len() < MAX_OPEN_PER_AGENT)
            .filter(|a| {
                !a.open
                    .iter()
                    .filter_map(|id| self.interaction(*id))
                    .any(|it| it.stage == Stage::Offered)
            })
            .min_by_key(|a| (a.open.len(), a.id))
            .map(|a| a.id)
    }

    /// Offers due web callbacks to free agents (personal callbacks first, to their own
    /// agent); expires the stale ones.
    pub(super) fn route(&mut self) {
        let now = self.now;
        let mut keys: Vec<usize> = self.callbacks.keys().copied().collect();
        keys.sort_by_key(|k| self.callbacks[k].owner.is_none());
        for index in keys {
            let cb = &self.callbacks[&index];
            if cb.expires <= now {
                let text = format!("web callback for {} expired unanswered", cb.customer);
                self.callbacks.remove(&index);
                self.note(text);
                continue;
            }
            if cb.state != CallbackState::Queued || cb.desired > now {
                continue;
            }
            let Some(agent) = self.free_agent(Channel::WebCallback, &cb.rejected_by, cb.owner)
            else {
                continue;
            };
            let Some(mut callback) = self.callbacks.remove(&index) else {
                continue;
            };
            callback.state = CallbackState::Routing;
            let customer = callback.customer.clone();
            let id = self.open_interaction(
                agent,
                Channel::WebCallback,
                Stage::Offered,
                Payload::WebCallback(Box::new(callback)),
            );
            let name = self
                .agent(agent)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            self.note(format!(
                "{id}: web callback for {customer} offered to {name}"
            ));
        }
    }

    /// Push-preview campaigns offer their next record to a free agent.
    pub(super) fn push_records(&mut self) {
        for ci in 0..self.campaigns.len() {
            let c = &self.campaigns[ci];
            if c.mode != CampaignMode::PushPreview || !c.running {
                continue;
            }
            let Some(pos) = c.queue.iter().position(|id| {
                let chain = &self.chains[id.0 as usize - 1];
                self.free_agent(Channel::PushPreview, &chain.rejected_by, chain.owner)
                    .is_some()
            }) else {
                continue;
            };
            let Some(chain) = self.campaigns[ci].queue.remove(pos) else {
                continue;
            };
            let ch = &self.chains[chain.0 as usize - 1];
            let (rejected, owner) = (ch.rejected_by.clone(), ch.owner);
            let Some(agent) = self.free_agent(Channel::PushPreview, &rejected, owner) else {
                self.campaigns[ci].queue.insert(pos, chain);
                continue;
            };
            let id = self.hand_over_chain(agent, chain, Channel::PushPreview, Stage::Offered);
            let contact = self.chains[chain.0 as usize - 1].contact_name.clone();
            let text = format!(
                "{id}: {} pushed a record for {contact} to {}",
                self.campaigns[ci].name,
                self.agent(agent)
                    .map(|a| a.name.clone())
                    .unwrap_or_default()
            );
            self.note(text);
        }
    }

    /// Opens a web callback invitation for `agent` right now (scripts and practice use it to
    /// get a known piece of work without waiting for traffic).
    pub fn offer_callback(&mut self, agent: AgentId) -> InteractionId {
        let index = self.new_callback(Some(CallbackType::Immediate));
        let mut callback = match self.callbacks.remove(&index) {
            Some(cb) => cb,
            None => return InteractionId(0),
        };
        callback.state = CallbackState::Routing;
        let id = self.open_interaction(
            agent,
            Channel::WebCallback,
            Stage::Offered,
            Payload::WebCallback(Box::new(callback)),
        );
        self.note(format!("{id}: web callback offered"));
        id
    }

    /// Pushes the next record of a push-preview campaign to `agent` right now.
    pub fn offer_push(&mut self, agent: AgentId, campaign: CampaignId) -> Option<InteractionId> {
        let c = self
            .campaigns
            .get_mut((campaign.0 as usize).wrapping_sub(1))?;
        if c.mode != CampaignMode::PushPreview {
            return None;
        }
        // Another agent's personal callback stays theirs.
        let chains = &self.chains;
        let pos = c.queue.iter().position(|id| {
            chains[id.0 as usize - 1]
                .owner
                .is_none_or(|owner| owner == agent)
        })?;
        let chain = c.queue.remove(pos)?;
        let id = self.hand_over_chain(agent, chain, Channel::PushPreview, Stage::Offered);
        let name = self.chains[chain.0 as usize - 1].contact_name.clone();
        self.note(format!("{id}: pushed record for {name}"));
        Some(id)
    }

    /// Closes an interaction as `how` and takes it off its agent's open list.
    pub(super) fn close(&mut self, i: usize, how: Completion) {
        let now = self.now;
        let it = &mut self.interactions[i];
        it.stage = Stage::Closed;
        it.completion = Some(how);
        it.closed_at = Some(now);
        it.offer_expires = None;
        let (agent, id) = (it.agent, it.id);
        if let Some(a) = self.agent_mut(agent) {
            a.open.remove(&id);
        }
    }

    /// Closes an interaction and gives its work back (reject, decline, time-out).
    pub(super) fn return_to_pool(&mut self, i: usize, how: Completion, by_agent: bool) {
        self.close(i, how);
        let agent = self.interactions[i].agent;
        match &mut self.interactions[i].payload {
            Payload::Outbound { chain } => {
                let chain = *chain;
                let c = &mut self.chains[chain.0 as usize - 1];
                if by_agent {
                    c.rejected_by.insert(agent);
                }
                c.place = ChainPlace::InCampaign;
                let sel = c.selected;
                c.records[sel].status = RecordStatus::Ready;
                let campaign = c.campaign;
                self.campaigns[campaign.0 as usize - 1]
                    .queue
                    .push_back(chain);
            }
            Payload::WebCallback(cb) => {
                let mut back = (**cb).clone();
                cb.state = CallbackState::Completed(how);
                if by_agent {
                    back.rejected_by.insert(agent);
                    // Turned down by its own agent, a personal callback is anyone's.
                    back.owner = None;
                }
                back.state = CallbackState::Queued;
                self.add_pending(back);
            }
        }
    }

    /// Opens an interaction for `agent`; an offered one expires after the scenario's
    /// invitation timeout.
    fn open_interaction(
        &mut self,
        agent: AgentId,
        channel: Channel,
        stage: Stage,
        payload: Payload,
    ) -> InteractionId {
        let id = InteractionId(self.interactions.len() as u32 + 1);
        let offer_expires = (stage == Stage::Offered).then(|| {
            self.now + Duration::seconds(i64::from(self.scenario.invitation_timeout_seconds.max(1)))
        });
        if let Some(at) = offer_expires {
            self.schedule(at, Event::OfferExpires(id));
        }
        self.interactions.push(Interaction {
            id,
            channel,
            stage,
            agent,
            payload,
            opened_at: self.now,
            offer_expires,
            calls: Vec::new(),
            reschedule: None,
            completion: None,
            closed_at: None,
        });
        if let Some(a) = self.agent_mut(agent) {
            a.open.insert(id);
        }
        self.revision += 1;
        id
    }

    /// Opens an interaction for `agent` on a chain taken out of its campaign's queue, and
    /// records that the chain is now with that interaction.
    pub(super) fn hand_over_chain(
        &mut self,
        agent: AgentId,
        chain: ChainId,
        channel: Channel,
        stage: Stage,
    ) -> InteractionId {
        let id = self.open_interaction(agent, channel, stage, Payload::Outbound { chain });
        let ch = &mut self.chains[chain.0 as usize - 1];
        ch.place = ChainPlace::WithAgent(id);
        // A personal callback has reached its agent; from now on it is ordinary work.
        ch.owner = None;
        let sel = ch.selected;
        ch.records[sel].status = RecordStatus::Retrieved;
        id
    }
}
