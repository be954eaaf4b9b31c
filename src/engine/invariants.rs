//! The engine's bookkeeping checks: every record chain is in exactly one place, and the
//! campaign queues, interactions and agents' open lists agree on it; routing's indexes agree
//! with what they index.

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::Engine;
use crate::policy::{Channel, Stage};
use crate::world::{AgentId, CallbackState, CampaignId, ChainId, ChainPlace, Payload, SimTime};

impl Engine {
    /// Checks the world's bookkeeping: every chain is in exactly one place, and that place
    /// agrees with the campaign queues and the interactions.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut queued: BTreeMap<ChainId, usize> = BTreeMap::new();
        for c in &self.campaigns {
            for id in &c.queue {
                *queued.entry(id).or_default() += 1;
            }
        }
        for n in 1..=self.chains.len() as u32 {
            let id = ChainId(n);
            let in_queue = queued.get(&id).copied().unwrap_or(0);
            // A chain nobody has looked at is in its campaign, exactly as its row made it.
            let Some(chain) = self.chains.built(id) else {
                if in_queue != 1 {
                    return Err(format!("{id} is in its campaign {in_queue} times"));
                }
                continue;
            };
            match chain.place {
                ChainPlace::InCampaign if in_queue == 1 => {}
                ChainPlace::InCampaign => {
                    return Err(format!("{} is in its campaign {in_queue} times", chain.id));
                }
                _ if in_queue > 0 => {
                    return Err(format!("{} is queued while {:?}", chain.id, chain.place));
                }
                ChainPlace::WithAgent(id) => {
                    let it = self
                        .interaction(id)
                        .ok_or_else(|| format!("{} is with missing {id}", chain.id))?;
                    if !it.is_open() || it.payload != (Payload::Outbound { chain: chain.id }) {
                        return Err(format!("{} is with {id}, which does not hold it", chain.id));
                    }
                }
                ChainPlace::Scheduled(_) | ChainPlace::Closed(_) => {}
            }
        }
        for it in &self.interactions {
            if let (true, Payload::Outbound { chain }) = (it.is_open(), &it.payload)
                && self.chain(*chain).map(|c| c.place) != Some(ChainPlace::WithAgent(it.id))
            {
                return Err(format!("{} is open but its chain is elsewhere", it.id));
            }
            let listed = self
                .agent(it.agent)
                .is_some_and(|a| a.open.contains(&it.id));
            if listed != it.is_open() {
                return Err(format!(
                    "{} open={} but agent list says {listed}",
                    it.id,
                    it.is_open()
                ));
            }
        }
        self.check_indexes()
    }

    /// The indexes routing reads instead of scanning agree with what they index: the waiting
    /// callbacks by expiry and the queued ones, and the free agents of each invitation channel.
    fn check_indexes(&self) -> Result<(), String> {
        let expiry: BTreeSet<(SimTime, usize)> = self
            .callbacks
            .iter()
            .map(|(i, cb)| (cb.expires, *i))
            .collect();
        if expiry != self.callback_expiry {
            return Err("the callbacks' expiry index is out of date".into());
        }
        let queued: BTreeSet<(bool, usize)> = self
            .callbacks
            .iter()
            .filter(|(_, cb)| cb.state == CallbackState::Queued)
            .map(|(i, cb)| (cb.owner.is_none(), *i))
            .collect();
        if queued != self.callbacks_queued {
            return Err("the queued callbacks' index is out of date".into());
        }
        let mut personal: BTreeMap<(CampaignId, AgentId), usize> = BTreeMap::new();
        for c in &self.campaigns {
            for id in &c.queue {
                if let Some(owner) = self.chains.built(id).and_then(|ch| ch.owner) {
                    *personal.entry((c.id, owner)).or_default() += 1;
                }
            }
        }
        if personal != self.personal_queued {
            return Err("the queued personal callbacks' index is out of date".into());
        }
        for a in &self.agents {
            let offered = a
                .open
                .iter()
                .filter_map(|id| self.interaction(*id))
                .filter(|it| it.stage == Stage::Offered)
                .count();
            if offered != usize::from(a.offered) {
                return Err(format!("{}'s count of invitations is out of date", a.name));
            }
        }
        for channel in [Channel::WebCallback, Channel::PushPreview] {
            let mut free: Vec<(usize, AgentId)> = self
                .agents
                .iter()
                .filter(|a| self.is_free(a, channel))
                .map(|a| (a.open.len(), a.id))
                .collect();
            free.sort();
            let filed: Vec<AgentId> = self.free.iter(channel).collect();
            if free.iter().map(|(_, id)| *id).collect::<Vec<_>>() != filed {
                return Err(format!("the free {channel} agents' index is out of date"));
            }
        }
        Ok(())
    }
}
