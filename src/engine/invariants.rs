//! The engine's bookkeeping checks: every record chain is in exactly one place, and the
//! campaign queues, interactions and agents' open lists agree on it.

use std::collections::BTreeMap;

use crate::engine::Engine;
use crate::world::{ChainId, ChainPlace, Payload};

impl Engine {
    /// Checks the world's bookkeeping: every chain is in exactly one place, and that place
    /// agrees with the campaign queues and the interactions.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut queued: BTreeMap<ChainId, usize> = BTreeMap::new();
        for c in &self.campaigns {
            for id in &c.queue {
                *queued.entry(*id).or_default() += 1;
            }
        }
        for chain in &self.chains {
            let in_queue = queued.get(&chain.id).copied().unwrap_or(0);
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
        Ok(())
    }
}
