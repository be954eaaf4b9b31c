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

// When an action exists, as the cells its privileges fill (campaign, offered, preview,
// dialing, connected, after-call): one name for each pattern the channels share.

/// Offered to the agent: take it or not.
const fn offered(p: &[Privilege]) -> [Cell; 6] {
    [NA, needs(p), NA, NA, NA, NA]
}

/// Only while the record is previewed, before any call.
const fn at_preview(p: &[Privilege]) -> [Cell; 6] {
    [NA, NA, needs(p), NA, NA, NA]
}

/// Only after the call.
const fn after_call(p: &[Privilege]) -> [Cell; 6] {
    [NA, NA, NA, NA, NA, needs(p)]
}

/// Placing a call: from the preview, or again after a call.
const fn to_dial(p: &[Privilege]) -> [Cell; 6] {
    [NA, NA, needs(p), NA, NA, needs(p)]
}

/// While a call is on the line (dialing or connected).
const fn on_the_line(p: &[Privilege]) -> [Cell; 6] {
    [NA, NA, NA, needs(p), needs(p), NA]
}

/// Work on the record beside the call: at preview, connected, and after the call.
const fn beside_the_call(p: &[Privilege]) -> [Cell; 6] {
    [NA, NA, needs(p), NA, needs(p), needs(p)]
}

/// Rescheduling: `before` at preview (before the call), `after` connected and after it.
const fn reschedule(before: &[Privilege], after: &[Privilege]) -> [Cell; 6] {
    [NA, NA, needs(before), NA, needs(after), needs(after)]
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
    row(WCB, A::Accept,              offered(&[P::WcbUse])),
    row(WCB, A::Decline,             offered(&[P::WcbDecline])),
    row(WCB, A::Dial,                to_dial(&[P::WcbUse])),
    row(WCB, A::HangUp,              on_the_line(&[P::WcbUse])),
    row(WCB, A::Reject,              at_preview(&[P::WcbReject])),
    row(WCB, A::Cancel,              at_preview(&[P::WcbCancel])),
    row(WCB, A::Reschedule,          reschedule(&[P::WcbRescheduleBeforeCall], &[P::WcbReschedule])),
    row(WCB, A::RescheduleNewNumber, reschedule(&[P::WcbRescheduleBeforeCall, P::WcbRescheduleNewNumber], &[P::WcbRescheduleNewNumber])),
    row(WCB, A::SetDisposition,      beside_the_call(&[P::WcbSetDisposition])),
    row(WCB, A::MarkDone,            [NA, NA, needs(&[P::WcbMarkDone]), NA, NA, needs(&[P::WcbUse])]),
];

/// Outbound preview (pull).
#[rustfmt::skip]
const PREVIEW: [GateRow; 14] = [
    row(PV, A::GetRecord,            [needs(&[P::ObUse]), NA, NA, NA, NA, NA]),
    row(PV, A::Dial,                 to_dial(&[P::ObUse])),
    row(PV, A::DialAlternative,      to_dial(&[P::ObDialAlternative])),
    row(PV, A::DialNewNumber,        to_dial(&[P::ObDialNewNumber])),
    row(PV, A::HangUp,               on_the_line(&[P::ObUse])),
    row(PV, A::Reject,               at_preview(&[P::ObReject])),
    row(PV, A::Cancel,               at_preview(&[P::ObCancel])),
    row(PV, A::Reschedule,           reschedule(&[P::ObRescheduleBeforeCall], &[P::ObReschedule])),
    row(PV, A::RescheduleNewNumber,  reschedule(&[P::ObRescheduleBeforeCall, P::ObRescheduleNewNumber], &[P::ObRescheduleNewNumber])),
    row(PV, A::MarkDoNotCall,        beside_the_call(&[P::ObMarkDnc])),
    row(PV, A::SetCallResult,        beside_the_call(&[P::ObSetCallResult])),
    row(PV, A::EditRecordData,       beside_the_call(&[P::ObEditRecord])),
    row(PV, A::MarkDone,             after_call(&[P::ObUse])),
    row(PV, A::DoneAndGetNext,       after_call(&[P::ObGetNext])),
];

/// What only push preview has: the offered record taken or declined.
#[rustfmt::skip]
const PUSH_OFFER: [GateRow; 2] = [
    row(PP, A::Accept,               offered(&[P::ObPushPreview])),
    row(PP, A::Decline,              offered(&[P::ObPushDecline, P::ObPushPreview])),
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
const ACTIONS: usize = Action::ALL.len();
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
