//! A campaign's queue of record chains, kept as runs of consecutive chain ids: a campaign of
//! 100,000 contacts starts as one run, not 100,000 entries, so a list named by a thousand
//! campaigns costs a thousand runs. It behaves as a double-ended queue of chain ids.

use std::collections::VecDeque;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::world::ChainId;

/// The chains waiting in a campaign, in the order it hands them out.
#[derive(Clone, Default)]
pub struct ChainQueue {
    /// Half-open runs of chain ids `[from, to)`, in queue order; none is empty.
    runs: VecDeque<(u32, u32)>,
    len: usize,
}

impl ChainQueue {
    /// The chains `first`, `first + 1`, ... `first + count - 1`, in that order.
    pub fn run(first: ChainId, count: usize) -> ChainQueue {
        let mut q = ChainQueue::default();
        if count > 0 {
            q.runs.push_back((first.0, first.0 + count as u32));
            q.len = count;
        }
        q
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn front(&self) -> Option<ChainId> {
        self.runs.front().map(|&(from, _)| ChainId(from))
    }

    pub fn iter(&self) -> impl Iterator<Item = ChainId> + '_ {
        self.runs
            .iter()
            .flat_map(|&(from, to)| (from..to).map(ChainId))
    }

    pub fn contains(&self, id: &ChainId) -> bool {
        self.runs
            .iter()
            .any(|&(from, to)| (from..to).contains(&id.0))
    }

    pub fn push_back(&mut self, id: ChainId) {
        self.len += 1;
        match self.runs.back_mut() {
            Some((_, to)) if *to == id.0 => *to += 1,
            _ => self.runs.push_back((id.0, id.0 + 1)),
        }
    }

    pub fn push_front(&mut self, id: ChainId) {
        self.len += 1;
        match self.runs.front_mut() {
            Some((from, _)) if *from == id.0 + 1 => *from -= 1,
            _ => self.runs.push_front((id.0, id.0 + 1)),
        }
    }

    /// The run holding position `pos`, and the position's offset in it.
    fn locate(&self, pos: usize) -> Option<(usize, u32)> {
        let mut skipped = 0;
        for (r, &(from, to)) in self.runs.iter().enumerate() {
            let n = (to - from) as usize;
            if pos < skipped + n {
                return Some((r, (pos - skipped) as u32));
            }
            skipped += n;
        }
        None
    }

    /// Takes the chain at position `pos` out of the queue.
    pub fn remove(&mut self, pos: usize) -> Option<ChainId> {
        let (r, offset) = self.locate(pos)?;
        let (from, to) = self.runs[r];
        let id = from + offset;
        match (id == from, id + 1 == to) {
            (true, true) => {
                self.runs.remove(r);
            }
            (true, false) => self.runs[r].0 += 1,
            (false, true) => self.runs[r].1 -= 1,
            (false, false) => {
                self.runs[r].1 = id;
                self.runs.insert(r + 1, (id + 1, to));
            }
        }
        self.len -= 1;
        Some(ChainId(id))
    }

    /// Puts `id` at position `pos` (at the end when `pos` is past it).
    pub fn insert(&mut self, pos: usize, id: ChainId) {
        if pos >= self.len {
            return self.push_back(id);
        }
        let Some((r, offset)) = self.locate(pos) else {
            return self.push_back(id);
        };
        let (from, to) = self.runs[r];
        if offset == 0 {
            self.runs.insert(r, (id.0, id.0 + 1));
        } else {
            self.runs[r].1 = from + offset;
            self.runs.insert(r + 1, (id.0, id.0 + 1));
            self.runs.insert(r + 2, (from + offset, to));
        }
        self.len += 1;
    }
}

impl<'a> IntoIterator for &'a ChainQueue {
    type Item = ChainId;
    type IntoIter = Box<dyn Iterator<Item = ChainId> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Two queues are equal when they hand out the same chains in the same order, however their
/// runs are cut.
impl PartialEq for ChainQueue {
    fn eq(&self, other: &ChainQueue) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for ChainQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for ChainQueue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Op {
        PushBack(u32),
        PushFront(u32),
        Remove(usize),
        Insert(usize, u32),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1..200u32).prop_map(Op::PushBack),
            (1..200u32).prop_map(Op::PushFront),
            (0..120usize).prop_map(Op::Remove),
            (0..120usize, 1..200u32).prop_map(|(p, id)| Op::Insert(p, id)),
        ]
    }

    proptest! {
        /// The runs behave exactly as a `VecDeque` of chain ids under every operation the
        /// engine uses.
        #[test]
        fn behaves_as_a_deque(first in 1..50u32, count in 0..80usize, ops in proptest::collection::vec(op(), 0..60)) {
            let mut q = ChainQueue::run(ChainId(first), count);
            let mut model: VecDeque<ChainId> = (first..first + count as u32).map(ChainId).collect();
            for op in ops {
                match op {
                    Op::PushBack(id) => { q.push_back(ChainId(id)); model.push_back(ChainId(id)); }
                    Op::PushFront(id) => { q.push_front(ChainId(id)); model.push_front(ChainId(id)); }
                    Op::Remove(p) => prop_assert_eq!(q.remove(p), model.remove(p)),
                    Op::Insert(p, id) => {
                        q.insert(p, ChainId(id));
                        model.insert(p.min(model.len()), ChainId(id));
                    }
                }
                prop_assert_eq!(q.len(), model.len());
                prop_assert_eq!(q.iter().collect::<Vec<_>>(), model.iter().copied().collect::<Vec<_>>());
                prop_assert_eq!(q.front(), model.front().copied());
            }
            for id in 0..260 {
                prop_assert_eq!(q.contains(&ChainId(id)), model.contains(&ChainId(id)));
            }
        }
    }
}
