//! The one gating table: which privileges each action needs in each stage of each channel,
//! compiled at build time into a lookup that [`authorize`](super::authorize) reads.

use crate::policy::{Action, Channel, Privilege, PrivilegeSet, ProductVersion, Stage};

/// One cell of the gating table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// The action does not exist in this stage.
    NotAvailable,
    /// The privileges that must be effective.
    Needs(PrivilegeSet),
}

/// One row of the gating table: an action on a channel, a cell per stage (in `Stage` order,
/// `Closed` excluded: nothing is possible on a closed interaction).
#[derive(Clone, Copy, Debug)]
pub struct GateRow {
    pub channel: Channel,
    pub action: Action,
    pub cells: [Cell; 6],
}

use Privilege as P;

const NA: Cell = Cell::NotAvailable;

const fn needs(privileges: &[Privilege]) -> Cell {
    Cell::Needs(PrivilegeSet::of(privileges))
}

const fn row(channel: Channel, action: Action, cells: [Cell; 6]) -> GateRow {
    GateRow {
        channel,
        action,
        cells,
    }
}

use Action as A;
use Channel::{Preview as PV, PushPreview as PP, WebCallback as WCB};

/// The gating table, channel by channel. Columns: campaign, offered, preview, dialing,
/// connected, after-call. Push preview's rows are derived: the record is offered (its own
/// Accept and Decline), then every preview row but the two pull actions (Get Record, Done and
/// Get Next) with `ob.push_preview` added to each cell, as the spec requires, so the two
/// channels' shared rows are written once.
pub const GATING_TABLE: &[GateRow] = &TABLE;

#[rustfmt::skip]
const WEB_CALLBACK: [GateRow; 10] = [
    row(WCB, A::Accept,              [NA, needs(&[P::WcbUse]), NA, NA, NA, NA]),
    row(WCB, A::Decline,             [NA, needs(&[P::WcbDecline]), NA, NA, NA, NA]),
    row(WCB, A::Dial,                [NA, NA, needs(&[P::WcbUse]), NA, NA, needs(&[P::WcbUse])]),
    row(WCB, A::HangUp,              [NA, NA, NA, needs(&[P::WcbUse]), needs(&[P::WcbUse]), NA]),
    row(WCB, A::Reject,              [NA, NA, needs(&[P::WcbReject]), NA, NA, NA]),
    row(WCB, A::Cancel,              [NA, NA, needs(&[P::WcbCancel]), NA, NA, NA]),
    row(WCB, A::Reschedule,          [NA, NA, needs(&[P::WcbRescheduleBeforeCall]), NA, needs(&[P::WcbReschedule]), needs(&[P::WcbReschedule])]),
    row(WCB, A::RescheduleNewNumber, [NA, NA, needs(&[P::WcbRescheduleBeforeCall, P::WcbRescheduleNewNumber]), NA, needs(&[P::WcbRescheduleNewNumber]), needs(&[P::WcbRescheduleNewNumber])]),
    row(WCB, A::SetDisposition,      [NA, NA, needs(&[P::WcbSetDisposition]), NA, needs(&[P::WcbSetDisposition]), needs(&[P::WcbSetDisposition])]),
    row(WCB, A::MarkDone,            [NA, NA, needs(&[P::WcbMarkDone]), NA, NA, needs(&[P::WcbUse])]),
];

/// Outbound preview (pull).
#[rustfmt::skip]
const PREVIEW: [GateRow; 14] = [
    row(PV, A::GetRecord,            [needs(&[P::ObUse]), NA, NA, NA, NA, NA]),
    row(PV, A::Dial,                 [NA, NA, needs(&[P::ObUse]), NA, NA, needs(&[P::ObUse])]),
    row(PV, A::DialAlternative,      [NA, NA, needs(&[P::ObDialAlternative]), NA, NA, needs(&[P::ObDialAlternative])]),
    row(PV, A::DialNewNumber,        [NA, NA, needs(&[P::ObDialNewNumber]), NA, NA, needs(&[P::ObDialNewNumber])]),
    row(PV, A::HangUp,               [NA, NA, NA, needs(&[P::ObUse]), needs(&[P::ObUse]), NA]),
    row(PV, A::Reject,               [NA, NA, needs(&[P::ObReject]), NA, NA, NA]),
    row(PV, A::Cancel,               [NA, NA, needs(&[P::ObCancel]), NA, NA, NA]),
    row(PV, A::Reschedule,           [NA, NA, needs(&[P::ObRescheduleBeforeCall]), NA, needs(&[P::ObReschedule]), needs(&[P::ObReschedule])]),
    row(PV, A::RescheduleNewNumber,  [NA, NA, needs(&[P::ObRescheduleBeforeCall, P::ObRescheduleNewNumber]), NA, needs(&[P::ObRescheduleNewNumber]), needs(&[P::ObRescheduleNewNumber])]),
    row(PV, A::MarkDoNotCall,        [NA, NA, needs(&[P::ObMarkDnc]), NA, needs(&[P::ObMarkDnc]), needs(&[P::ObMarkDnc])]),
    row(PV, A::SetCallResult,        [NA, NA, needs(&[P::ObSetCallResult]), NA, needs(&[P::ObSetCallResult]), needs(&[P::ObSetCallResult])]),
    row(PV, A::EditRecordData,       [NA, NA, needs(&[P::ObEditRecord]), NA, needs(&[P::ObEditRecord]), needs(&[P::ObEditRecord])]),
    row(PV, A::MarkDone,             [NA, NA, NA, NA, NA, needs(&[P::ObUse])]),
    row(PV, A::DoneAndGetNext,       [NA, NA, NA, NA, NA, needs(&[P::ObGetNext])]),
];

/// What only push preview has: the offered record taken or declined.
#[rustfmt::skip]
const PUSH_OFFER: [GateRow; 2] = [
    row(PP, A::Accept,               [NA, needs(&[P::ObPushPreview]), NA, NA, NA, NA]),
    row(PP, A::Decline,              [NA, needs(&[P::ObPushDecline, P::ObPushPreview]), NA, NA, NA, NA]),
];

/// The preview actions push preview does not have: the agent pulls no record there.
const fn pull_only(action: Action) -> bool {
    matches!(action, A::GetRecord | A::DoneAndGetNext)
}

const TABLE_LEN: usize = WEB_CALLBACK.len() + PREVIEW.len() + PUSH_OFFER.len() + PREVIEW.len() - 2;
const TABLE: [GateRow; TABLE_LEN] = table();

/// Web callback, preview, then push preview (its offer, then preview's rows with the push
/// privilege in every cell).
const fn table() -> [GateRow; TABLE_LEN] {
    let mut out = [WEB_CALLBACK[0]; TABLE_LEN];
    let mut n = 0;
    let mut i = 0;
    while i < WEB_CALLBACK.len() {
        out[n] = WEB_CALLBACK[i];
        (n, i) = (n + 1, i + 1);
    }
    i = 0;
    while i < PREVIEW.len() {
        out[n] = PREVIEW[i];
        (n, i) = (n + 1, i + 1);
    }
    i = 0;
    while i < PUSH_OFFER.len() {
        out[n] = PUSH_OFFER[i];
        (n, i) = (n + 1, i + 1);
    }
    let push = PrivilegeSet::of(&[P::ObPushPreview]);
    i = 0;
    while i < PREVIEW.len() {
        let pv = PREVIEW[i];
        if !pull_only(pv.action) {
            let mut cells = pv.cells;
            let mut c = 0;
            while c < cells.len() {
                if let Cell::Needs(set) = cells[c] {
                    cells[c] = Cell::Needs(set.union(push));
                }
                c += 1;
            }
            out[n] = row(PP, pv.action, cells);
            n += 1;
        }
        i += 1;
    }
    assert!(n == TABLE_LEN);
    out
}

/// How many rows of the gating table are on `channel`.
const fn row_count(channel: Channel) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < GATING_TABLE.len() {
        if GATING_TABLE[i].channel as usize == channel as usize {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The actions of `channel`'s rows, in table order: the table is the one list of which actions
/// a channel has, and in what order the matrix, the toolbar and the exports show them.
const fn row_actions<const N: usize>(channel: Channel) -> [Action; N] {
    let mut out = [Action::Accept; N];
    let (mut i, mut n) = (0, 0);
    while i < GATING_TABLE.len() {
        if GATING_TABLE[i].channel as usize == channel as usize {
            out[n] = GATING_TABLE[i].action;
            n += 1;
        }
        i += 1;
    }
    assert!(n == N);
    out
}

const WCB_ACTIONS: [Action; row_count(WCB)] = row_actions(WCB);
const PV_ACTIONS: [Action; row_count(PV)] = row_actions(PV);
const PP_ACTIONS: [Action; row_count(PP)] = row_actions(PP);

/// The actions that exist on `channel`, in the gating table's (and so the matrix's) order.
pub const fn channel_actions(channel: Channel) -> &'static [Action] {
    match channel {
        Channel::WebCallback => &WCB_ACTIONS,
        Channel::Preview => &PV_ACTIONS,
        Channel::PushPreview => &PP_ACTIONS,
    }
}

const CHANNELS: usize = 3;
const ACTIONS: usize = 17;
const STAGES: usize = 7;

/// What authorization checks at run time: per (channel, action, stage), the directly required
/// privileges and the same set closed over prerequisites, or `None` for "not available".
/// Derived from [`GATING_TABLE`] at compile time so a decision is a lookup and one mask test.
#[derive(Clone, Copy)]
pub(super) struct Compiled {
    pub(super) required: u32,
    pub(super) needed: u32,
}

const COMPILED: [[[Option<Compiled>; STAGES]; ACTIONS]; CHANNELS] = {
    let mut out = [[[None; STAGES]; ACTIONS]; CHANNELS];
    let mut i = 0;
    while i < GATING_TABLE.len() {
        let row = &GATING_TABLE[i];
        let mut s = 0;
        while s < 6 {
            if let Cell::Needs(set) = row.cells[s] {
                out[row.channel as usize][row.action as usize][s] = Some(Compiled {
                    required: set.bits(),
                    needed: set.with_prerequisites().bits(),
                });
            }
            s += 1;
        }
        i += 1;
    }
    out
};

/// Per (channel, action), every privilege any of its cells names: the action exists in a
/// product version only if all of them do.
const ROW_PRIVILEGES: [[u32; ACTIONS]; CHANNELS] = {
    let mut out = [[0; ACTIONS]; CHANNELS];
    let mut i = 0;
    while i < GATING_TABLE.len() {
        let row = &GATING_TABLE[i];
        let mut s = 0;
        while s < 6 {
            if let Cell::Needs(set) = row.cells[s] {
                out[row.channel as usize][row.action as usize] |= set.bits();
            }
            s += 1;
        }
        i += 1;
    }
    out
};

/// Whether `action` exists on `channel` in product version `v`: every privilege its row of the
/// gating table names exists in that version. (An action not on the channel exists nowhere.)
pub fn action_exists_in(channel: Channel, action: Action, v: ProductVersion) -> bool {
    action_since(channel, action).is_some_and(|since| v >= since)
}

/// The first product version in which `action` exists on `channel`, or `None` when the table
/// has no such row.
pub fn action_since(channel: Channel, action: Action) -> Option<ProductVersion> {
    let bits = ROW_PRIVILEGES[channel as usize][action as usize];
    if bits == 0 {
        return None;
    }
    PrivilegeSet::from_bits(bits)
        .iter()
        .map(|p| p.info().since)
        .max()
}

/// The table cell for a (channel, action, stage), for views that show requirements.
pub fn cell(channel: Channel, action: Action, stage: Stage) -> Cell {
    match COMPILED[channel as usize][action as usize][stage as usize] {
        Some(c) => Cell::Needs(PrivilegeSet::from_bits(c.required)),
        None => Cell::NotAvailable,
    }
}

/// The compiled cell, or `None` where the action does not exist.
pub(super) fn compiled(channel: Channel, action: Action, stage: Stage) -> Option<Compiled> {
    COMPILED[channel as usize][action as usize][stage as usize]
}
