//! The record chains of every campaign, built from their contact rows the first time they are
//! looked at. Campaigns naming one contact list share its rows; a chain of its own (the
//! record's attempts, status, edited fields) exists only once an agent or a check has seen it,
//! so ten campaigns on one 100,000-row list cost about one copy of the list, not ten copies of
//! every contact.

use std::cell::OnceCell;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use compact_str::CompactString;
use smallvec::SmallVec;

use crate::world::scenario::{CampaignSpec, ContactList, ContactView, NAME_FIELDS};
use crate::world::{
    AgentId, CallResult, CampaignId, ChainFields, ChainId, ChainPlace, FieldAccess, FieldLayout,
    PreviewRecord, RecordChain, RecordStatus,
};

/// Chains per page: a page of slots is made when one of its chains is first looked at. The
/// chains live in the page itself, so building one allocates nothing for an ordinary contact
/// (its fields stay the row's; its numbers are inline), not even a box of its own.
const PAGE: usize = 64;

type Page = Box<[OnceCell<RecordChain>]>;

/// What a campaign's chains are built from.
#[derive(Clone, Debug)]
struct CampaignRows {
    /// The index of its first chain (chain id minus one).
    first: usize,
    campaign: CampaignId,
    rows: ContactList,
    /// The contacts' field names and how the campaign configures each, shared by every chain
    /// of the campaign: found once, not once per field of every chain.
    layout: Arc<FieldLayout>,
}

impl CampaignRows {
    fn new(first: usize, campaign: CampaignId, spec: &CampaignSpec, rows: ContactList) -> Self {
        // Mandatory fields are editable too.
        let layout = FieldLayout::new(NAME_FIELDS, &rows, |name| {
            if spec.mandatory_fields.iter().any(|f| f.get_ref() == name) {
                FieldAccess::Mandatory
            } else if spec.editable_fields.iter().any(|f| f == name) {
                FieldAccess::Editable
            } else {
                FieldAccess::ReadOnly
            }
        });
        CampaignRows {
            first,
            campaign,
            rows,
            layout: Arc::new(layout),
        }
    }

    /// The chain of row `index`, read straight from the list's text (no `ContactRow` in
    /// between); its fields stay the row's until edited.
    fn chain(&self, id: ChainId, index: usize, row: ContactView<'_>) -> RecordChain {
        let (zone, window) = (row.time_zone(), row.window());
        let mut records = SmallVec::new();
        for (phone_type, phone) in row.phones() {
            records.push(PreviewRecord {
                phone: phone.into(),
                phone_type,
                time_zone: zone.clone(),
                window,
                attempts: 0,
                call_result: CallResult::UnknownCallResult,
                status: RecordStatus::Ready,
            });
        }
        RecordChain {
            id,
            campaign: self.campaign,
            contact_name: full_name(row.first_name(), row.last_name()),
            fields: ChainFields::of_row(Arc::clone(&self.layout), self.rows.clone(), index),
            records,
            selected: 0,
            place: ChainPlace::InCampaign,
            rejected_by: BTreeSet::new(),
            owner: None,
        }
    }
}

/// "First Last", inline when short.
fn full_name(first: &str, last: &str) -> CompactString {
    let mut name = CompactString::with_capacity(first.len() + 1 + last.len());
    name.push_str(first);
    name.push(' ');
    name.push_str(last);
    name
}

/// Every campaign's record chains, by id (chain `n` at index `n - 1`).
#[derive(Clone, Default)]
pub(super) struct ChainStore {
    campaigns: Vec<CampaignRows>,
    pages: Vec<OnceCell<Page>>,
    len: usize,
}

impl ChainStore {
    /// Adds a campaign's chains, one per row of `rows`; returns the id of the first.
    pub(super) fn add_campaign(
        &mut self,
        campaign: CampaignId,
        spec: &CampaignSpec,
        rows: ContactList,
    ) -> ChainId {
        let first = self.len;
        self.len += rows.len();
        self.campaigns
            .push(CampaignRows::new(first, campaign, spec, rows));
        self.pages
            .resize_with(self.len.div_ceil(PAGE), OnceCell::new);
        ChainId(first as u32 + 1)
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    fn index(&self, id: ChainId) -> Option<usize> {
        let i = (id.0 as usize).checked_sub(1)?;
        (i < self.len).then_some(i)
    }

    fn build(&self, i: usize) -> RecordChain {
        let c = self.campaigns.partition_point(|c| c.first <= i) - 1;
        let rows = &self.campaigns[c];
        let index = i - rows.first;
        let row = rows.rows.view(index);
        rows.chain(
            ChainId(i as u32 + 1),
            index,
            row.expect("a chain's row is in its campaign's list"),
        )
    }

    /// The chain `id`, built from its contact row when first looked at.
    pub(super) fn get(&self, id: ChainId) -> Option<&RecordChain> {
        let i = self.index(id)?;
        let page =
            self.pages[i / PAGE].get_or_init(|| (0..PAGE).map(|_| OnceCell::new()).collect());
        Some(page[i % PAGE].get_or_init(|| self.build(i)))
    }

    pub(super) fn get_mut(&mut self, id: ChainId) -> Option<&mut RecordChain> {
        self.get(id)?;
        let i = id.0 as usize - 1;
        self.pages[i / PAGE].get_mut()?[i % PAGE].get_mut()
    }

    /// The chain `id` if it was built; `None` for one nobody has looked at yet, which is still
    /// in its campaign's queue exactly as its row made it.
    pub(super) fn built(&self, id: ChainId) -> Option<&RecordChain> {
        let i = self.index(id)?;
        self.pages[i / PAGE].get()?[i % PAGE].get()
    }

    /// Whether `agent` may take chain `id` (another agent's personal callback is theirs, and
    /// a chain the agent turned down goes to others), without building a chain nobody has
    /// looked at: such a chain is anyone's.
    pub(super) fn available_to(&self, id: ChainId, agent: AgentId) -> bool {
        match self.built(id) {
            Some(c) => match c.owner {
                Some(owner) => owner == agent,
                None => !c.rejected_by.contains(&agent),
            },
            None => self.index(id).is_some(),
        }
    }

    /// The chain's owner and the agents who turned it down, without building a chain nobody
    /// has looked at (it has neither).
    pub(super) fn owner(&self, id: ChainId) -> Option<AgentId> {
        self.built(id).and_then(|c| c.owner)
    }

    /// Every chain in id order, building the ones not built yet.
    pub(super) fn iter(&self) -> impl Iterator<Item = &RecordChain> + '_ {
        (1..=self.len as u32).filter_map(|n| self.get(ChainId(n)))
    }
}

impl std::ops::Index<ChainId> for ChainStore {
    type Output = RecordChain;
    fn index(&self, id: ChainId) -> &RecordChain {
        self.get(id).expect("chain ids come from the engine")
    }
}

impl std::ops::IndexMut<ChainId> for ChainStore {
    fn index_mut(&mut self, id: ChainId) -> &mut RecordChain {
        self.get_mut(id).expect("chain ids come from the engine")
    }
}

/// Equal when every chain is: built or not is how it is stored, not what it is.
impl PartialEq for ChainStore {
    fn eq(&self, other: &ChainStore) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for ChainStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
