//! The keywords of the domain: channels, actions and stages, as the CLI, scripts, exports and
//! the audit log spell them, with labels for people.

use crate::input::did_you_mean;
use crate::policy::{Privilege, ProductVersion};

/// The media an interaction arrives on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    WebCallback,
    Preview,
    PushPreview,
}

/// Something an agent can try to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Accept,
    Decline,
    GetRecord,
    Dial,
    DialAlternative,
    DialNewNumber,
    HangUp,
    Reject,
    Cancel,
    Reschedule,
    RescheduleNewNumber,
    MarkDoNotCall,
    SetCallResult,
    SetDisposition,
    EditRecordData,
    MarkDone,
    DoneAndGetNext,
}

/// Where an interaction is in its life. `Campaign` is the pseudo-stage of pulling a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Campaign,
    Offered,
    Preview,
    Dialing,
    Connected,
    AfterCall,
    Closed,
}

macro_rules! keyword_enum {
    ($ty:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The keyword used in the CLI, scripts, exports and the audit log.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        // The audit log's JSON Schema (`engine::audit::line`) lists the keywords.
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }

            fn inline_schema() -> bool {
                true
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let names: Vec<&str> = $ty::ALL.iter().map(|v| v.as_str()).collect();
                schemars::json_schema!({ "enum": names })
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::policy::UnknownKeyword;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::policy::UnknownKeyword {
                        what: $what,
                        given: s.to_string(),
                        suggestions: $crate::input::suggest(
                            s,
                            $ty::ALL.iter().map(|v| v.as_str()),
                        ),
                        expected: $ty::ALL.iter().map(|v| v.as_str()).collect(),
                    })
            }
        }
    };
}

pub(super) use keyword_enum;

keyword_enum!(Channel, "channel", {
    WebCallback => "web-callback",
    Preview => "preview",
    PushPreview => "push-preview",
});

keyword_enum!(Action, "action", {
    Accept => "accept",
    Decline => "decline",
    GetRecord => "get-record",
    Dial => "dial",
    DialAlternative => "dial-alternative",
    DialNewNumber => "dial-new-number",
    HangUp => "hang-up",
    Reject => "reject",
    Cancel => "cancel",
    Reschedule => "reschedule",
    RescheduleNewNumber => "reschedule-new-number",
    MarkDoNotCall => "mark-do-not-call",
    SetCallResult => "set-call-result",
    SetDisposition => "set-disposition",
    EditRecordData => "edit-record-data",
    MarkDone => "mark-done",
    DoneAndGetNext => "done-and-get-next",
});

keyword_enum!(Stage, "stage", {
    Campaign => "campaign",
    Offered => "offered",
    Preview => "preview",
    Dialing => "dialing",
    Connected => "connected",
    AfterCall => "after-call",
    Closed => "closed",
});

/// A keyword that is not one of the known ones.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{given}\"{}; expected one of: {}", did_you_mean(suggestions), expected.join(", "))]
pub struct UnknownKeyword {
    pub what: &'static str,
    pub given: String,
    pub suggestions: Vec<&'static str>,
    pub expected: Vec<&'static str>,
}

impl Channel {
    /// The actions that exist on this channel, in matrix order (`docs/matrix.md`): the rows
    /// of the gating table on this channel, in table order.
    pub fn actions(self) -> &'static [Action] {
        crate::policy::channel_actions(self)
    }

    /// The actions that exist on this channel in product version `v`, in matrix order: those
    /// whose privileges all exist in it.
    pub fn actions_in(self, v: ProductVersion) -> impl Iterator<Item = Action> + Clone {
        self.actions()
            .iter()
            .copied()
            .filter(move |&a| crate::policy::action_exists_in(self, a, v))
    }

    /// The privilege without which nothing on this channel works.
    pub fn root(self) -> Privilege {
        match self {
            Channel::WebCallback => Privilege::WcbUse,
            Channel::Preview | Channel::PushPreview => Privilege::ObUse,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Channel::WebCallback => "Web Callback",
            Channel::Preview => "Outbound Preview",
            Channel::PushPreview => "Outbound Push Preview",
        }
    }
}

/// What an action needs besides its target. This is the one place that says which actions take
/// arguments: the script parser, the recorder's `click` form and the desk's dialogs match on it
/// (exhaustively), so a new action is given its arguments here and the compiler finds the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arguments {
    /// Nothing: a click is the whole attempt.
    None,
    /// Optionally a campaign (`get-record`); the first running one otherwise.
    Campaign,
    /// A record of the chain.
    Record,
    /// A new phone number.
    Number,
    /// A date and time, and optionally a personal or campaign callback.
    Time,
    /// A new phone number, then a date and time (and the callback's scope).
    NumberAndTime,
    /// The number or the whole contact.
    DoNotCallScope,
    /// One of the campaign's call results.
    CallResult,
    /// One of the scenario's dispositions.
    Disposition,
    /// A contact field and its new value.
    FieldAndValue,
}

impl Arguments {
    /// Whether the desk asks for the arguments (a dialog) before the attempt, so an attempt
    /// without them (a click on the disabled button) is recorded as `click <action>`.
    pub fn asked(self) -> bool {
        !matches!(self, Arguments::None | Arguments::Campaign)
    }
}

impl Action {
    /// What this action needs besides its target.
    pub fn arguments(self) -> Arguments {
        use Action as A;
        match self {
            A::Accept | A::Decline | A::Dial | A::HangUp | A::Reject | A::Cancel => Arguments::None,
            A::MarkDone | A::DoneAndGetNext => Arguments::None,
            A::GetRecord => Arguments::Campaign,
            A::DialAlternative => Arguments::Record,
            A::DialNewNumber => Arguments::Number,
            A::Reschedule => Arguments::Time,
            A::RescheduleNewNumber => Arguments::NumberAndTime,
            A::MarkDoNotCall => Arguments::DoNotCallScope,
            A::SetCallResult => Arguments::CallResult,
            A::SetDisposition => Arguments::Disposition,
            A::EditRecordData => Arguments::FieldAndValue,
        }
    }

    /// The stages a matrix lists for this action.
    pub fn matrix_stages(self) -> &'static [Stage] {
        if self == Action::GetRecord {
            &[Stage::Campaign]
        } else {
            &Stage::INTERACTION
        }
    }

    /// A human label for buttons and reports.
    pub fn label(self) -> &'static str {
        match self {
            Action::Accept => "Accept",
            Action::Decline => "Decline",
            Action::GetRecord => "Get Record",
            Action::Dial => "Dial",
            Action::DialAlternative => "Dial Alternative",
            Action::DialNewNumber => "Dial on New Number",
            Action::HangUp => "Hang Up",
            Action::Reject => "Reject",
            Action::Cancel => "Cancel",
            Action::Reschedule => "Reschedule",
            Action::RescheduleNewNumber => "Reschedule on New Number",
            Action::MarkDoNotCall => "Mark Do Not Call",
            Action::SetCallResult => "Set Call Result",
            Action::SetDisposition => "Set Disposition",
            Action::EditRecordData => "Edit Record Data",
            Action::MarkDone => "Mark Done",
            Action::DoneAndGetNext => "Done and Get Next",
        }
    }
}

impl Stage {
    /// The five stages of an open interaction, in matrix order.
    pub const INTERACTION: [Stage; 5] = [
        Stage::Offered,
        Stage::Preview,
        Stage::Dialing,
        Stage::Connected,
        Stage::AfterCall,
    ];
}
