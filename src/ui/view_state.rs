//! What the desktop shows about the world without being part of it: the selection, the open
//! dialog and its unsaved input, notices, field edits in progress, the "why disabled?" overlay
//! and the workbench's tool windows.
//!
//! Views may change this in place (it is theirs); the world they only read, through
//! [`Session`](super::Session).

use std::collections::VecDeque;

use super::workbench::Workbench;
use crate::policy::{Action, Channel, Stage};
use crate::world::{CallResult, DoNotCallScope, InteractionId, SimTime};

/// An open dialog and its unsaved input. A dialog asks for a kind of arguments
/// (`policy::Arguments`) on behalf of `action`, whose attempt its OK sends.
#[derive(Clone, Debug, PartialEq)]
pub enum Dialog {
    /// A time (and a new number, for an action that takes both).
    Reschedule {
        target: InteractionId,
        action: Action,
        /// Days after today (simulated), hour and minute in centre time.
        day: i64,
        hour: u32,
        minute: u32,
        number: String,
        /// "Personal callback" ticked (offered when the campaign lets the agent choose).
        personal: bool,
    },
    CallResult {
        target: InteractionId,
        action: Action,
        choice: CallResult,
    },
    Disposition {
        target: InteractionId,
        action: Action,
        choice: String,
    },
    DialAlternative {
        target: InteractionId,
        action: Action,
    },
    DialNewNumber {
        target: InteractionId,
        action: Action,
        number: String,
    },
    DoNotCall {
        target: InteractionId,
        action: Action,
        scope: DoNotCallScope,
    },
    /// Another activity would end the running one: `question` says what happens to it,
    /// and confirming carries out `then`.
    SwitchActivity {
        question: String,
        then: Box<super::UiCommand>,
    },
    /// The file `path` exists: replace it with `request`, or keep it.
    Replace {
        path: String,
        request: Box<super::exports::SaveRequest>,
    },
}

impl Dialog {
    /// The interaction and action whose arguments the dialog asks for (its OK attempts it),
    /// or `None` for a dialog about the day.
    pub fn asks_for(&self) -> Option<(InteractionId, Action)> {
        match self {
            Dialog::Reschedule { target, action, .. }
            | Dialog::CallResult { target, action, .. }
            | Dialog::Disposition { target, action, .. }
            | Dialog::DialAlternative { target, action }
            | Dialog::DialNewNumber { target, action, .. }
            | Dialog::DoNotCall { target, action, .. } => Some((*target, *action)),
            Dialog::SwitchActivity { .. } | Dialog::Replace { .. } => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Denied,
    Error,
}

/// A non-modal message at the foot of the desktop.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub time: SimTime,
    pub text: String,
    /// For a denial: its exact detail, one line each, a click away.
    pub detail: Option<Vec<String>>,
    /// For a denial: the matrix cell it concerns, a click away.
    pub cell: Option<MatrixCell>,
}

/// The cell of the authorization matrix an attempt concerns: its channel, action and stage,
/// for the roles the agent held then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixCell {
    pub roles: Vec<String>,
    pub channel: Channel,
    pub action: Action,
    pub stage: Stage,
    /// Where it was opened from, for the matrix to say ("audit entry #12").
    pub from: String,
}

const MAX_NOTICES: usize = 6;

/// The desktop's view of the session.
#[derive(Default)]
pub struct ViewState {
    pub selected: Option<InteractionId>,
    pub dialog: Option<Dialog>,
    pub notices: VecDeque<Notice>,
    /// Edits of contact fields in progress, by field name, for the selected record.
    pub field_edits: Vec<(String, String)>,
    /// "Why disabled?": when on, every disabled action's plain reason is listed under its row.
    pub explain_all: bool,
    /// The explained view (every action, denied ones greyed) or the agent's view (what the
    /// role does not grant is not drawn; see `crate::policy::is_drawn`).
    pub desk_view: crate::policy::DeskView,
    /// Who fixed the view (a lesson, a practice shift), so the toggle says why it is locked.
    pub desk_view_fixed_by: Option<String>,
    /// The trainer and QA tool windows.
    pub workbench: Workbench,
}

impl ViewState {
    /// Adds a notice at simulated time `time`, dropping the oldest beyond the few kept.
    pub(super) fn notify(
        &mut self,
        time: SimTime,
        kind: NoticeKind,
        text: String,
        detail: Option<Vec<String>>,
        cell: Option<MatrixCell>,
    ) {
        self.notices.push_back(Notice {
            kind,
            time,
            text,
            detail,
            cell,
        });
        while self.notices.len() > MAX_NOTICES {
            self.notices.pop_front();
        }
    }
}
