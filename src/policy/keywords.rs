//! The keywords of the domain: channels, actions and stages, as the CLI, scripts, exports and
//! the audit log spell them, with labels for people.

use crate::input::did_you_mean;
use crate::policy::{Action, Privilege, ProductVersion};

/// The media an interaction arrives on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    WebCallback,
    Preview,
    PushPreview,
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

        $crate::policy::keywords::keyword_traits!($ty, $what);
    };
}

/// Display, serde, JSON Schema and `FromStr` (with "did you mean") for a keyword type that has
/// `ALL` and `as_str`: [`keyword_enum!`]'s, or the action table's (`policy/action.rs`).
macro_rules! keyword_traits {
    ($ty:ident, $what:literal) => {
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
pub(super) use keyword_traits;

keyword_enum!(Channel, "channel", {
    WebCallback => "web-callback",
    Preview => "preview",
    PushPreview => "push-preview",
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
