//! Typed ids of the world: interactions, record chains, campaigns and agents.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut, Index, IndexMut};

use serde::Serialize;

macro_rules! id_type {
    ($name:ident, $prefix:literal) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub struct $name(pub u32);

        impl Id for $name {
            fn slot(self) -> usize {
                // Ids count from 1 in the order their entries were made.
                self.0 as usize - 1
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

/// An id that numbers the entries of one vector from 1, in the order they were made.
pub trait Id: Copy {
    /// The entry's position in its vector.
    fn slot(self) -> usize;
}

/// A vector whose entries are reached by their typed id (`chains[chain_id]`), so the offset
/// between an id and its position is written once, here. It reads as the `Vec` it wraps.
#[derive(Debug)]
pub struct ById<I, T> {
    items: Vec<T>,
    id: PhantomData<fn(I)>,
}

impl<I, T> Default for ById<I, T> {
    fn default() -> Self {
        ById {
            items: Vec::new(),
            id: PhantomData,
        }
    }
}

impl<I, T: Clone> Clone for ById<I, T> {
    fn clone(&self) -> Self {
        ById {
            items: self.items.clone(),
            id: PhantomData,
        }
    }
}

impl<I, T: PartialEq> PartialEq for ById<I, T> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl<I: Id, T> Index<I> for ById<I, T> {
    type Output = T;
    fn index(&self, id: I) -> &T {
        &self.items[id.slot()]
    }
}

impl<I: Id, T> IndexMut<I> for ById<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.slot()]
    }
}

/// By position too, for the loops that walk every entry.
impl<I, T> Index<usize> for ById<I, T> {
    type Output = T;
    fn index(&self, slot: usize) -> &T {
        &self.items[slot]
    }
}

impl<I, T> IndexMut<usize> for ById<I, T> {
    fn index_mut(&mut self, slot: usize) -> &mut T {
        &mut self.items[slot]
    }
}

impl<'a, I, T> IntoIterator for &'a ById<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<I, T> Deref for ById<I, T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.items
    }
}

impl<I, T> DerefMut for ById<I, T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.items
    }
}

id_type!(InteractionId, "#");
id_type!(ChainId, "chain-");
id_type!(CampaignId, "campaign-");
id_type!(AgentId, "agent-");
