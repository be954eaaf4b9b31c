//! The error of a lookup by name (a role, an agent, a call result): what was looked up, the
//! name given and the close names, kept apart so a caller can show the suggestions its own way.

use crate::input::did_you_mean;

/// A name that matched nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", self.headline(), did_you_mean(&self.suggested()))]
pub struct UnknownName {
    /// What kind of thing was looked up: "role", "agent", "call result".
    pub what: &'static str,
    pub given: String,
    /// Close names, best first (see [`crate::input::suggest`]).
    pub suggestions: Vec<String>,
}

impl UnknownName {
    pub fn new(what: &'static str, given: &str, suggestions: Vec<&str>) -> UnknownName {
        UnknownName {
            what,
            given: given.to_string(),
            suggestions: suggestions.into_iter().map(str::to_string).collect(),
        }
    }

    /// `unknown role "X"`: the message without its "did you mean".
    pub fn headline(&self) -> String {
        format!(
            "unknown {} \"{}\"",
            self.what,
            crate::output::escape::echo(&self.given)
        )
    }

    pub fn suggested(&self) -> Vec<&str> {
        self.suggestions.iter().map(String::as_str).collect()
    }
}

/// For callers whose errors are sentences for the user (the command line).
impl From<UnknownName> for String {
    fn from(e: UnknownName) -> String {
        e.to_string()
    }
}
