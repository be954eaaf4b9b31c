//! Typed ids of the world: interactions, record chains, campaigns and agents.

use std::fmt;

use serde::Serialize;

macro_rules! id_type {
    ($name:ident, $prefix:literal) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub struct $name(pub u32);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

id_type!(InteractionId, "#");
id_type!(ChainId, "chain-");
id_type!(CampaignId, "campaign-");
id_type!(AgentId, "agent-");
