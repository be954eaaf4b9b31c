//! Where work goes: channel agent groups, offering web callbacks and pushed records to free
//! agents, handing work to an agent (opening an interaction) and taking it back.

use std::collections::BTreeSet;
use std::ops::Bound;

use chrono::Duration;
use smallvec::SmallVec;

use crate::engine::clock::Event;
use crate::engine::transcript::{CallbackEvent, Note};
use crate::engine::{AgentSession, Engine};
use crate::policy::{Channel, Privilege, PrivilegeSet, Section, Stage};
use crate::world::{
    AgentId, CallbackState, CallbackType, CampaignId, CampaignMode, ChainId, ChainPlace,
    Completion, Id, Interaction, InteractionId, Payload, RecordStatus, plus,
};

/// The privileges that put an agent in a channel's agent group (any one of them does): the
/// web callback section, push preview's two, or outbound's use.
const fn group_privileges(channel: Channel) -> PrivilegeSet {
    match channel {
        Channel::WebCallback => PrivilegeSet::of_section(Section::WebCallback),
        Channel::PushPreview => {
            PrivilegeSet::of(&[Privilege::ObPushPreview, Privilege::ObPushDecline])
        }
        Channel::Preview => PrivilegeSet::of(&[Privilege::ObUse]),
    }
}

/// At most this many open interactions per agent before routing stops offering more.
pub const MAX_OPEN_PER_AGENT: usize = 4;

impl Engine {
    /// Whether the agent is in a channel's agent group: its roles grant any privilege of that
    /// section (routing only; what the agent may do is still decided by `authorize`).
    pub(super) fn in_group(&self, agent: &AgentSession, channel: Channel) -> bool {
        agent.granted.intersects(group_privileges(channel))
    }

    /// An agent that can take an invitation on `channel` now, skipping `exclude`: the one with
    /// the fewest open interactions, then the lowest id; for a personal callback (`owner`),
    /// that agent or nobody.
    fn free_agent(
        &self,
        channel: Channel,
        exclude: &BTreeSet<AgentId>,
        owner: Option<AgentId>,
    ) -> Option<AgentId> {
        match owner {
            Some(o) => (self.free.contains(channel, o) && !exclude.contains(&o)).then_some(o),
            None => self.free.iter(channel).find(|id| !exclude.contains(id)),
        }
    }

    /// Whether the agent can take an invitation on `channel` now: Ready, in the channel's
    /// group, below the open limit and not already holding an invitation.
    pub(super) fn is_free(&self, agent: &AgentSession, channel: Channel) -> bool {
        self.in_group(agent, channel) && self.is_available(agent)
    }

    /// Ready, below the open limit and not already holding an invitation.
    fn is_available(&self, agent: &AgentSession) -> bool {
        agent.ready && agent.open.len() < MAX_OPEN_PER_AGENT && agent.offered == 0
    }

    /// Something about `agent` changed (its session, or an interaction of its own): brings
    /// the free-agent lists up to date, tells whoever drives agents (`take_touched_agents`),
    /// and starts the push timer if this agent is what a pushed record was waiting for.
    pub(super) fn touch(&mut self, agent: AgentId) {
        let Some(a) = self.agent(agent) else { return };
        let open = a.open.len();
        let available = self.is_available(a);
        let free = [
            (available && self.in_group(a, Channel::WebCallback)).then_some(open),
            (available && self.in_group(a, Channel::PushPreview)).then_some(open),
        ];
        self.free.set(agent, free);
        let i = agent.slot();
        if self.touched_flags.len() <= i {
            self.touched_flags.resize(i + 1, false);
        }
        if !self.touched_flags[i] {
            self.touched_flags[i] = true;
            self.touched.push(agent);
        }
        if free[1].is_some() {
            self.wake_push_timer();
        }
    }

    /// The agents whose situation changed since the last call (their session, or one of their
    /// interactions opened, moved or closed), each once, in the order they changed. An agent
    /// not in this list would find the same things to do as when last asked, unless a record
    /// went back into a campaign ([`Engine::queue_revision`]), a Do Not Call list changed
    /// ([`Engine::do_not_call_revision`]) or a calling window opened or closed.
    pub fn take_touched_agents(&mut self, into: &mut Vec<AgentId>) {
        for a in self.touched.drain(..) {
            self.touched_flags[a] = false;
            into.push(a);
        }
    }

    /// Whether [`Engine::take_touched_agents`] has any agent to give.
    pub fn has_touched_agents(&self) -> bool {
        !self.touched.is_empty()
    }

    /// Increases whenever a record goes back into a campaign's queue, so an agent that found
    /// nothing to get may find something now.
    pub fn queue_revision(&self) -> u64 {
        self.queue_revision
    }

    /// Increases whenever a number goes on a Do Not Call list.
    pub fn do_not_call_revision(&self) -> u64 {
        self.do_not_call_revision
    }

    /// How many waiting callbacks routing has looked at since the start: a measure of its
    /// work, which stays proportional to the callbacks that arrive, expire or are offered.
    pub fn routing_visits(&self) -> u64 {
        self.routing_visits
    }

    /// Offers due web callbacks to free agents and expires the stale ones: personal callbacks
    /// first (to their own agent), each kind in the order the callbacks arrived. Only the
    /// stale ones and, while an agent is free, the queued ones are looked at.
    pub(super) fn route(&mut self) {
        let now = self.now;
        // Routing runs after every command; most of the time nothing has expired and nothing
        // can be offered (no callback waits, or nobody is free for one), which is exactly
        // when the loop below would stop at once.
        let expired = self
            .callback_expiry
            .first()
            .is_some_and(|&(expires, _)| expires <= now);
        if !expired
            && (self.callbacks_queued.is_empty() || self.free.is_empty(Channel::WebCallback))
        {
            return;
        }
        let mut stale = Vec::new();
        while let Some(&(expires, index)) = self.callback_expiry.first()
            && expires <= now
        {
            self.callback_expiry.pop_first();
            stale.push(self.routing_key(index));
        }
        stale.sort_unstable();
        let mut stale = stale.into_iter().peekable();
        let mut after = None;
        loop {
            let queued = if self.free.is_empty(Channel::WebCallback) {
                None
            } else {
                let from = after.map_or(Bound::Unbounded, Bound::Excluded);
                self.callbacks_queued
                    .range((from, Bound::Unbounded))
                    .next()
                    .copied()
            };
            let index = match (stale.peek().copied(), queued) {
                (None, None) => break,
                (None, Some(q)) => q,
                (Some(s), Some(q)) if q < s => q,
                (Some(s), _) => {
                    stale.next();
                    self.routing_visits += 1;
                    after = after.max(Some(s));
                    if let Some(cb) = self.take_callback(s.1) {
                        self.note(Note::callback(cb.customer, CallbackEvent::Expired));
                    }
                    continue;
                }
            };
            after = Some(index);
            self.routing_visits += 1;
            let cb = &self.callbacks[&index.1];
            if cb.state != CallbackState::Queued || cb.desired > now {
                continue;
            }
            let Some(agent) = self.free_agent(Channel::WebCallback, &cb.rejected_by, cb.owner)
            else {
                continue;
            };
            let Some(mut callback) = self.take_callback(index.1) else {
                continue;
            };
            callback.state = CallbackState::Routing;
            let id = self.open_interaction(
                agent,
                Channel::WebCallback,
                Stage::Offered,
                Payload::WebCallback(Box::new(callback)),
            );
            self.note(Note::CallbackOffered(id));
        }
    }

    /// Push-preview campaigns offer their next record to a free agent.
    pub(super) fn push_records(&mut self) {
        for ci in 0..self.campaigns.len() {
            if self.free.is_empty(Channel::PushPreview) {
                return;
            }
            let c = &self.campaigns[ci];
            if c.mode != CampaignMode::PushPreview || !c.running {
                continue;
            }
            let Some(pos) = c.queue.iter().position(|id| {
                let chain = &self.chains[id];
                self.free_agent(Channel::PushPreview, &chain.rejected_by, chain.owner)
                    .is_some()
            }) else {
                continue;
            };
            let Some(chain) = self.campaigns[ci].queue.remove(pos) else {
                continue;
            };
            let ch = &self.chains[chain];
            let (rejected, owner) = (ch.rejected_by.clone(), ch.owner);
            let Some(agent) = self.free_agent(Channel::PushPreview, &rejected, owner) else {
                self.campaigns[ci].queue.insert(pos, chain);
                continue;
            };
            let id = self.hand_over_chain(agent, chain, Channel::PushPreview, Stage::Offered);
            let campaign = self.campaigns[ci].id;
            self.note(Note::Pushed { id, campaign });
        }
    }

    /// Whether a push tick could push anything: an agent is free for push preview and a
    /// running push campaign has a record waiting.
    pub(super) fn push_could_offer(&self) -> bool {
        !self.free.is_empty(Channel::PushPreview)
            && self
                .campaigns
                .iter()
                .any(|c| c.mode == CampaignMode::PushPreview && c.running && !c.queue.is_empty())
    }

    /// Opens a web callback invitation for `agent` right now (scripts and practice use it to
    /// get a known piece of work without waiting for traffic).
    pub fn offer_callback(&mut self, agent: AgentId) -> InteractionId {
        let index = self.new_callback(Some(CallbackType::Asap));
        let mut callback = match self.take_callback(index) {
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
        self.note(Note::Text(format!("{id}: web callback offered").into()));
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
        let pos = c
            .queue
            .iter()
            .position(|id| chains.owner(id).is_none_or(|owner| owner == agent))?;
        let chain = c.queue.remove(pos)?;
        let id = self.hand_over_chain(agent, chain, Channel::PushPreview, Stage::Offered);
        let name = self.chains[chain].contact_name.to_string();
        self.note(Note::Text(format!("{id}: pushed record for {name}").into()));
        Some(id)
    }

    /// Closes an interaction as `how` and takes it off its agent's open list.
    pub(super) fn close(&mut self, i: usize, how: Completion) {
        let now = self.now;
        let granted = self.agent(self.interactions[i].agent).map(|a| a.granted);
        let it = &mut self.interactions[i];
        it.granted_at_close = granted;
        let was_offered = it.stage == Stage::Offered;
        it.stage = Stage::Closed;
        it.completion = Some(how);
        it.closed_at = Some(now);
        it.offer_expires = None;
        let (agent, id) = (it.agent, it.id);
        if let Some(a) = self.agent_mut(agent)
            && let Some(k) = a.open.iter().position(|o| *o == id)
        {
            a.open.remove(k);
            a.offered -= u8::from(was_offered);
        }
        self.touch(agent);
    }

    /// Closes an interaction and gives its work back (reject, decline, time-out).
    pub(super) fn return_to_pool(&mut self, i: usize, how: Completion, by_agent: bool) {
        self.close(i, how);
        let agent = self.interactions[i].agent;
        match &mut self.interactions[i].payload {
            Payload::Outbound { chain } => {
                let chain = *chain;
                let c = &mut self.chains[chain];
                if by_agent {
                    c.rejected_by.insert(agent);
                }
                c.place = ChainPlace::InCampaign;
                let sel = c.selected;
                c.records[sel].status = RecordStatus::Ready;
                let campaign = c.campaign;
                self.campaigns[campaign].queue.push_back(chain);
                self.queue_revision += 1;
                self.wake_push_timer();
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
            plus(
                self.now,
                Duration::seconds(i64::from(self.scenario.invitation_timeout_seconds.max(1))),
            )
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
            calls: SmallVec::new(),
            reschedule: None,
            completion: None,
            closed_at: None,
            granted_at_close: None,
        });
        if let Some(a) = self.agent_mut(agent) {
            // Ids grow as interactions open, so this is nearly always the end.
            let at = a.open.partition_point(|o| *o < id);
            if a.open.get(at) != Some(&id) {
                a.open.insert(at, id);
                a.offered += u8::from(stage == Stage::Offered);
            }
        }
        self.touch(agent);
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
        let ch = &mut self.chains[chain];
        ch.place = ChainPlace::WithAgent(id);
        // A personal callback has reached its agent; from now on it is ordinary work.
        if let Some(owner) = ch.owner.take() {
            let key = (ch.campaign, owner);
            if let Some(n) = self.personal_queued.get_mut(&key) {
                *n -= 1;
                if *n == 0 {
                    self.personal_queued.remove(&key);
                }
            }
        }
        let sel = ch.selected;
        ch.records[sel].status = RecordStatus::Retrieved;
        id
    }
}

/// The agents routing may offer an invitation to, per invitation channel (web callback, push
/// preview), in the order routing picks them: fewest open interactions first, then by id.
/// Kept up to date by [`Engine::touch`], so routing never scans every agent: one bit set per
/// channel and open count, by agent id.
#[derive(Debug, Default)]
pub(super) struct FreeAgents {
    /// `lists[channel][open]`: bit `i` is agent `i + 1`.
    lists: [[Vec<u64>; MAX_OPEN_PER_AGENT]; 2],
    counts: [usize; 2],
    /// Per agent (by id order), the open count it is filed under in each channel, if free.
    filed: Vec<[Option<usize>; 2]>,
}

impl FreeAgents {
    fn slot(channel: Channel) -> Option<usize> {
        match channel {
            Channel::WebCallback => Some(0),
            Channel::PushPreview => Some(1),
            Channel::Preview => None,
        }
    }

    /// Whether `agent` is free for invitations on `channel`.
    pub(super) fn contains(&self, channel: Channel, agent: AgentId) -> bool {
        let i = (agent.0 as usize).wrapping_sub(1);
        Self::slot(channel)
            .is_some_and(|k| self.filed.get(i).is_some_and(|filed| filed[k].is_some()))
    }

    /// Whether no agent is free for invitations on `channel` (always so for pull preview).
    pub(super) fn is_empty(&self, channel: Channel) -> bool {
        Self::slot(channel).is_none_or(|k| self.counts[k] == 0)
    }

    /// The free agents of an invitation channel, in the order routing picks them.
    pub(super) fn iter(&self, channel: Channel) -> impl Iterator<Item = AgentId> + '_ {
        let lists = Self::slot(channel).map(|k| &self.lists[k]);
        lists.into_iter().flatten().flat_map(|bits| {
            bits.iter().enumerate().flat_map(|(w, &word)| {
                let mut word = word;
                std::iter::from_fn(move || {
                    (word != 0).then(|| {
                        let bit = word.trailing_zeros() as usize;
                        word &= word - 1;
                        AgentId((w * 64 + bit + 1) as u32)
                    })
                })
            })
        })
    }

    /// Files `agent` under its open count in each channel where `free` says so.
    #[inline]
    fn set(&mut self, agent: AgentId, free: [Option<usize>; 2]) {
        let i = agent.slot();
        // A touch that leaves the agent filed as it was changes nothing.
        if self.filed.get(i) == Some(&free) {
            return;
        }
        if self.filed.len() <= i {
            self.filed.resize(i + 1, [None, None]);
        }
        let (w, bit) = (i / 64, 1u64 << (i % 64));
        for (k, now) in free.into_iter().enumerate() {
            let was = self.filed[i][k];
            if was == now {
                continue;
            }
            if let Some(open) = was {
                self.lists[k][open][w] &= !bit;
                self.counts[k] -= 1;
            }
            if let Some(open) = now {
                let list = &mut self.lists[k][open];
                if list.len() <= w {
                    list.resize(w + 1, 0);
                }
                list[w] |= bit;
                self.counts[k] += 1;
            }
            self.filed[i][k] = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The web callback group is the catalogue's whole web callback section, so a privilege
    /// added to that section joins the group.
    #[test]
    fn the_web_callback_group_is_the_web_callback_section() {
        for p in Privilege::ALL {
            assert_eq!(
                group_privileges(Channel::WebCallback).contains(p),
                p.info().section == Section::WebCallback,
                "{p:?}"
            );
        }
        assert!(group_privileges(Channel::PushPreview).contains(Privilege::ObPushDecline));
        assert_eq!(group_privileges(Channel::Preview).len(), 1);
    }
}
