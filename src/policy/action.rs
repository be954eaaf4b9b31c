//! The actions an agent can try, each described once: its keyword, label, arguments, keyboard
//! shortcut and plain words, in one table ([`Action::spec`]) from which the script parser and
//! recorder, the desk's buttons, dialogs and shortcuts, denials and the engine's argument check
//! derive (`docs/architecture.md`, "Adding an action").

/// Everything about an action that is not who may do it (the gating table, `policy/gating.rs`)
/// or what it does (the engine, `engine/actions.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionSpec {
    /// The keyword of the CLI, scripts, exports and the audit log.
    pub keyword: &'static str,
    /// The label of its button and of reports.
    pub label: &'static str,
    /// What it needs besides its target: how a script line and a recording write it, which
    /// dialog the desk opens, what "needs ..." says when they are missing.
    pub arguments: Arguments,
    /// The desk's keyboard shortcut: Alt and this letter (a click on its button).
    pub shortcut: Option<char>,
    /// Where it leaves the interaction when it succeeds (the stage machine,
    /// `world::next_stage`; the gating table says from which stages).
    pub leads: Leads,
    /// The fact of the world that can refuse it although the agent's privileges allow it
    /// (`policy/authorize.rs`; the engine finds the facts, `engine/facts.rs`).
    pub blocked_by: Blocker,
    /// What the agent would be doing, as the end of "You can ..." and "... allow you to ...".
    pub words: &'static str,
    /// The same words on the web callback channel, where they differ ("this callback").
    pub callback_words: Option<&'static str>,
}

/// Defines [`Action`], its `ALL` list in table order and [`Action::spec`] from one table, so
/// a new action is a new row and every `match` on `Action` (all exhaustive) shows the rest.
macro_rules! action_table {
    ($($variant:ident => $spec:expr),+ $(,)?) => {
        /// Something an agent can try to do.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant),+
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// This action's description: its row of the action table.
            pub const fn spec(self) -> &'static ActionSpec {
                match self {
                    $(Action::$variant => {
                        const SPEC: ActionSpec = $spec;
                        &SPEC
                    })+
                }
            }
        }
    };
}

/// A row of the action table; `words` are the same on every channel.
const fn spec(
    keyword: &'static str,
    label: &'static str,
    (arguments, shortcut, leads, blocked_by): (Arguments, Option<char>, Leads, Blocker),
    words: &'static str,
) -> ActionSpec {
    ActionSpec {
        keyword,
        label,
        arguments,
        shortcut,
        leads,
        blocked_by,
        words,
        callback_words: None,
    }
}

/// A row whose words differ on the web callback channel.
const fn spec_cb(
    keyword: &'static str,
    label: &'static str,
    how: (Arguments, Option<char>, Leads, Blocker),
    (words, callback): (&'static str, &'static str),
) -> ActionSpec {
    ActionSpec {
        callback_words: Some(callback),
        ..spec(keyword, label, how, words)
    }
}

use super::Stage;
use Arguments as Arg;
use Blocker::{Campaign, Dial, MandatoryMissing, Nothing, ReadOnlyField};
use Leads::{ClosesBeforeCall, Stays, To};

// Columns: keyword, label, (arguments, shortcut, where it leads, what can block it), words
// (and on the web callback channel, where they differ).
#[rustfmt::skip]
action_table! {
    Accept => spec_cb("accept", "Accept",
        (Arg::None, Some('A'), To(Stage::Preview), Nothing),
        ("accept this record", "accept this callback")),
    Decline => spec_cb("decline", "Decline",
        (Arg::None, Some('X'), To(Stage::Closed), Nothing),
        ("decline this record", "decline this callback")),
    // Opens a new interaction (in preview); it moves none.
    GetRecord => spec("get-record", "Get Record",
        (Arg::Campaign, Some('G'), Stays, Campaign),
        "get records from this campaign"),
    Dial => spec("dial", "Dial",
        (Arg::None, Some('D'), To(Stage::Dialing), Dial),
        "dial this customer"),
    DialAlternative => spec("dial-alternative", "Dial Alternative",
        (Arg::Record, None, To(Stage::Dialing), Dial),
        "dial another number of this contact"),
    DialNewNumber => spec("dial-new-number", "Dial on New Number",
        (Arg::Number, None, To(Stage::Dialing), Dial),
        "dial this contact on a new number"),
    HangUp => spec("hang-up", "Hang Up",
        (Arg::None, Some('H'), To(Stage::AfterCall), Nothing),
        "hang up"),
    Reject => spec_cb("reject", "Reject",
        (Arg::None, Some('J'), To(Stage::Closed), Nothing),
        ("reject this record and pass it to another agent",
         "reject this callback and pass it to another agent")),
    Cancel => spec_cb("cancel", "Cancel",
        (Arg::None, Some('C'), To(Stage::Closed), Nothing),
        ("cancel this record", "cancel this callback")),
    Reschedule => spec("reschedule", "Reschedule",
        (Arg::Time, Some('R'), ClosesBeforeCall, Nothing),
        "reschedule this customer"),
    RescheduleNewNumber => spec("reschedule-new-number", "Reschedule on New Number",
        (Arg::NumberAndTime, None, ClosesBeforeCall, Nothing),
        "reschedule this customer on a new number"),
    MarkDoNotCall => spec("mark-do-not-call", "Mark Do Not Call",
        (Arg::DoNotCallScope, None, Stays, Nothing),
        "put this number on the Do Not Call list"),
    SetCallResult => spec("set-call-result", "Set Call Result",
        (Arg::CallResult, Some('K'), Stays, Nothing),
        "set the call result"),
    SetDisposition => spec("set-disposition", "Set Disposition",
        (Arg::Disposition, Some('S'), Stays, Nothing),
        "set the disposition"),
    EditRecordData => spec("edit-record-data", "Edit Record Data",
        (Arg::FieldAndValue, None, Stays, ReadOnlyField),
        "change the customer's details"),
    MarkDone => spec_cb("mark-done", "Mark Done",
        (Arg::None, Some('M'), To(Stage::Closed), MandatoryMissing),
        ("mark this record done", "mark this callback done")),
    DoneAndGetNext => spec("done-and-get-next", "Done and Get Next",
        (Arg::None, Some('N'), To(Stage::Closed), MandatoryMissing),
        "finish this record and get the next one"),
}

super::keywords::keyword_traits!(Action, "action");

impl Action {
    /// The keyword used in the CLI, scripts, exports and the audit log.
    pub const fn as_str(self) -> &'static str {
        self.spec().keyword
    }

    /// A human label for buttons and reports.
    pub const fn label(self) -> &'static str {
        self.spec().label
    }

    /// What this action needs besides its target.
    pub const fn arguments(self) -> Arguments {
        self.spec().arguments
    }

    /// Whether it acts on a campaign (pulls a record from it) rather than on an interaction:
    /// its arguments name the campaign.
    pub const fn acts_on_campaign(self) -> bool {
        matches!(self.arguments(), Arguments::Campaign)
    }

    /// The stages a matrix lists for this action: the campaign pseudo-stage for one that acts
    /// on a campaign, the interaction's stages for the others.
    pub fn matrix_stages(self) -> &'static [Stage] {
        if self.acts_on_campaign() {
            &[Stage::Campaign]
        } else {
            &Stage::INTERACTION
        }
    }
}

/// The fact of the world that can refuse an action its privileges allow (the `Facts` the
/// engine fills in).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// None: privileges and stages decide.
    Nothing,
    /// The campaign cannot hand out a record now (`Facts::campaign_block`).
    Campaign,
    /// The number may not be dialled now: Do Not Call, the calling window
    /// (`Facts::dial_block`).
    Dial,
    /// The field is read-only (`Facts::read_only_field`).
    ReadOnlyField,
    /// Something mandatory is still empty (`Facts::mandatory_missing`).
    MandatoryMissing,
}

/// Where a successful action leaves the interaction it acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leads {
    /// To this stage.
    To(Stage),
    /// In the stage it was in.
    Stays,
    /// Before the call (in preview) the work leaves with it: closed. During or after the call
    /// the interaction stays open until Mark Done.
    ClosesBeforeCall,
}

impl Leads {
    /// The stage after the action, from stage `from`.
    pub const fn from(self, from: Stage) -> Stage {
        match (self, from) {
            (Leads::To(to), _) => to,
            (Leads::ClosesBeforeCall, Stage::Preview) => Stage::Closed,
            (Leads::ClosesBeforeCall | Leads::Stays, stage) => stage,
        }
    }
}

/// What an action needs besides its target, as a kind: the script parser reads it, the
/// recorder writes it, the desk asks for it (a dialog, or the record view's editor) and the
/// engine checks it. Its `Display` is what "needs ..." says when it is missing.
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

/// Where the desk asks for an action's arguments before the attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asking {
    /// It does not: a click is the attempt.
    Nothing,
    /// A dialog opens; its OK is the attempt.
    Dialog,
    /// The record view's field editor; its Save is the attempt.
    RecordView,
}

impl Arguments {
    /// Where the desk asks for these arguments.
    pub const fn asking(self) -> Asking {
        match self {
            Arguments::None | Arguments::Campaign => Asking::Nothing,
            Arguments::FieldAndValue => Asking::RecordView,
            Arguments::Record
            | Arguments::Number
            | Arguments::Time
            | Arguments::NumberAndTime
            | Arguments::DoNotCallScope
            | Arguments::CallResult
            | Arguments::Disposition => Asking::Dialog,
        }
    }

    /// Whether the desk asks for the arguments before the attempt, so an attempt without them
    /// (a click on the disabled button) is recorded as `click <action>`.
    pub const fn asked(self) -> bool {
        !matches!(self.asking(), Asking::Nothing)
    }

    /// How a script line writes them after the action's keyword (`docs/scripts.md`, Actions).
    pub const fn script_form(self) -> &'static str {
        match self {
            Arguments::None => "",
            Arguments::Campaign => "[\"Campaign\"]",
            Arguments::Record => "<n>",
            Arguments::Number => "\"<number>\"",
            Arguments::Time => "<time> [personal|campaign]",
            Arguments::NumberAndTime => "\"<number>\" <time> [personal|campaign]",
            Arguments::DoNotCallScope => "[number|contact]",
            Arguments::CallResult => "<label or code>",
            Arguments::Disposition => "\"<text>\"",
            Arguments::FieldAndValue => "\"<field>\" \"<value>\"",
        }
    }
}

impl std::fmt::Display for Arguments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Arguments::None => "nothing",
            Arguments::Campaign => "a campaign",
            Arguments::Record => "the record to dial",
            Arguments::Number => "a new number",
            Arguments::Time => "a date and time",
            Arguments::NumberAndTime => "a new number and a date and time",
            Arguments::DoNotCallScope => "the number or the whole contact",
            Arguments::CallResult => "a call result",
            Arguments::Disposition => "a disposition",
            Arguments::FieldAndValue => "a field and a value",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn keywords_and_labels_are_unique_and_keywords_read_back() {
        let mut keywords = HashSet::new();
        let mut labels = HashSet::new();
        for &action in Action::ALL {
            assert!(keywords.insert(action.as_str()), "{action} twice");
            assert!(labels.insert(action.label()), "{} twice", action.label());
            assert_eq!(action.as_str().parse::<Action>(), Ok(action));
            assert_eq!(action.to_string(), action.spec().keyword);
        }
        let unknown = "dial-newnumber".parse::<Action>().unwrap_err();
        assert_eq!(unknown.suggestions, ["dial-new-number"]);
    }

    #[test]
    fn shortcuts_are_unique_capital_letters() {
        let mut taken = HashSet::new();
        for &action in Action::ALL {
            if let Some(letter) = action.spec().shortcut {
                assert!(letter.is_ascii_uppercase(), "{action}: {letter}");
                assert!(taken.insert(letter), "Alt+{letter} twice ({action})");
            }
        }
        assert!(taken.len() >= 10, "the frequent actions have shortcuts");
    }

    /// Every action has a row in the gating table on some channel (who may do it), and
    /// different words on the web callback channel only where its rows include that channel.
    #[test]
    fn every_action_is_gated_somewhere() {
        for &action in Action::ALL {
            let channels: Vec<_> = super::super::Channel::ALL
                .iter()
                .filter(|c| c.actions().contains(&action))
                .collect();
            assert!(
                !channels.is_empty(),
                "{action} is in no row of the gating table"
            );
            if action.spec().callback_words.is_some() {
                assert!(
                    channels.contains(&&super::super::Channel::WebCallback),
                    "{action}"
                );
            }
        }
    }

    /// The scripts page's table of actions shows each one as the parser reads it: its
    /// keyword followed by its arguments' form.
    #[test]
    fn the_scripts_page_lists_every_action_with_its_form() {
        let page = include_str!("../../docs/scripts.md");
        for &action in Action::ALL {
            let form = action.arguments().script_form().replace('|', "\\|");
            let line = if form.is_empty() {
                format!("`{action}`")
            } else {
                format!("`{action} {form}`")
            };
            assert!(page.contains(&line), "docs/scripts.md lacks {line}");
        }
    }

    #[test]
    fn missing_arguments_are_worded_as_the_audit_log_has_them() {
        assert_eq!(Arguments::Time.to_string(), "a date and time");
        assert_eq!(
            Arguments::NumberAndTime.to_string(),
            "a new number and a date and time"
        );
        assert_eq!(Arguments::Record.to_string(), "the record to dial");
        assert!(!Arguments::None.asked() && !Arguments::Campaign.asked());
        assert_eq!(Arguments::FieldAndValue.asking(), Asking::RecordView);
    }
}
