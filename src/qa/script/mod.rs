//! QA scripts: the line-based script format, its parser (every error with file:line:column),
//! and the runner that drives an [`Engine`] through a script and writes the transcript, the
//! expectation tally, the privilege coverage and the JUnit report.
//!
//! A script is parsed whole before anything runs, so a tester sees every mistake of a file at
//! once and a half-run script never leaves a misleading transcript.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::ops::Range;

use chrono::{Duration, NaiveTime};

use crate::engine::{Args, Command, CommandError, Engine, Target, parse_time};
use crate::input::{Diagnostic, LineIndex, Severity};
use crate::policy::{Action, Channel, Denial, Stage};
use crate::policy::{NameError, NameMatch, Privilege, suggest};
use crate::qa::matrix::{self, Decision};
use crate::world::roles::RoleBook;
use crate::world::scenario::Scenario;
use crate::world::{
    AgentId, CallResult, CampaignId, CampaignMode, InteractionId, SimTime, fmt_time,
};

/// The furthest a script may move the clock in one line. A longer span would only run
/// traffic for a very long time (every simulated hour costs events), never test more.
pub const MAX_SPAN: Duration = Duration::days(366);

/// The most lines a script may have: far more than any hand-written or recorded session, far
/// less than what would exhaust memory as parsed steps.
pub const MAX_SCRIPT_LINES: usize = 100_000;

/// How long `wait` looks ahead when the line gives no `within`.
pub const DEFAULT_WAIT: Duration = Duration::minutes(30);

/// A parsed script: its steps in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct Script {
    pub file: String,
    pub steps: Vec<Step>,
}

/// One non-blank, non-comment line.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// 1-based line number in the file.
    pub line: usize,
    /// The line as written, without its comment and surrounding blanks.
    pub text: String,
    pub command: ScriptCommand,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ScriptCommand {
    /// Log in (or switch back to) an agent with these roles; it becomes the current agent.
    Login {
        name: String,
        roles: Vec<usize>,
    },
    /// Replace the current agent's roles.
    Roles(Vec<usize>),
    Ready(bool),
    Advance(Duration),
    /// `advance to HH:MM`: that time of the simulated day.
    AdvanceToClock(NaiveTime),
    AdvanceTo(chrono::NaiveDateTime),
    /// Run the next event.
    NextEvent,
    WaitOffer {
        within: Duration,
    },
    WaitStage {
        stage: Stage,
        within: Duration,
    },
    OfferCallback,
    /// `None`: the first running push-preview campaign.
    OfferPush(Option<CampaignId>),
    Outcome(CallResult),
    Select(Selection),
    Act(ScriptAction),
    Expect(Expectation),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Id(InteractionId),
    Latest,
}

/// An agent action as written; times relative to "now" are resolved when the line runs.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptAction {
    pub action: Action,
    /// For `get-record`: the named campaign, or `None` for the first running preview campaign.
    pub campaign: Option<CampaignId>,
    pub args: ArgSpec,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArgSpec {
    None,
    At(When),
    NewNumber(String, When),
    /// 0-based record index in the chain.
    Record(usize),
    CallResult(CallResult),
    Disposition(String),
    Edit(String, String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    At(chrono::NaiveDateTime),
    /// Relative to the simulated now when the line runs.
    In(Duration),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expectation {
    Allowed,
    Denied {
        kind: Option<&'static str>,
        privileges: Vec<Privilege>,
    },
    Invalid,
    Stage(Stage),
    /// The campaign's queue holds this many records (`None`: the first running preview
    /// campaign). Shows where reject and cancel send a record.
    Queue {
        campaign: Option<CampaignId>,
        records: usize,
    },
    /// The current interaction's record chain has this many records.
    Records(usize),
}

/// The denial kinds `expect denied <kind>` accepts, as `DenialKind::as_str` spells them.
const DENIAL_KINDS: [&str; 4] = ["privilege", "stage", "field", "compliance"];

/// The words a line may start with, for "did you mean".
const COMMANDS: &[&str] = &[
    "login",
    "roles",
    "ready",
    "not-ready",
    "advance",
    "step",
    "wait",
    "offer",
    "outcome",
    "select",
    "expect",
    "get-record",
    "accept",
    "decline",
    "dial",
    "dial-alternative",
    "hang-up",
    "reject",
    "cancel",
    "reschedule",
    "reschedule-new-number",
    "mark-do-not-call",
    "set-call-result",
    "set-disposition",
    "edit-record-data",
    "mark-done",
    "done-and-get-next",
];

const EXPECTATIONS_SHAPE: &str = "allowed, denied, invalid, stage, queue or records";
const TIME_SHAPE: &str = "YYYY-MM-DD HH:MM, or +N followed by m, h or d (e.g. +30m)";
const DURATION_SHAPE: &str = "a duration such as 90s, 5m, 2h, 1d or 1h30m, at most 366d";

#[derive(Clone, Debug, PartialEq, Eq)]
struct Token {
    text: String,
    quoted: bool,
    /// Byte span in the whole source.
    span: Range<usize>,
}

/// Splits one line into tokens. `#` starts a comment unless a digit follows it (`select #12`).
fn tokenize(line: &str, base: usize) -> Result<Vec<Token>, (String, Range<usize>)> {
    let mut tokens = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '#' && !line[start + 1..].starts_with(|d: char| d.is_ascii_digit()) {
            break;
        }
        if c == '"' {
            chars.next();
            let mut text = String::new();
            let mut closed = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        closed = Some(i + 1);
                        break;
                    }
                    '\\' => match chars.next() {
                        Some((_, e @ ('"' | '\\'))) => text.push(e),
                        Some((_, other)) => {
                            text.push('\\');
                            text.push(other);
                        }
                        None => text.push('\\'),
                    },
                    other => text.push(other),
                }
            }
            let Some(end) = closed else {
                return Err((
                    "unterminated quoted argument".into(),
                    base + start..base + line.len(),
                ));
            };
            tokens.push(Token {
                text,
                quoted: true,
                span: base + start..base + end,
            });
            continue;
        }
        let mut end = line.len();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_whitespace() {
                end = i;
                break;
            }
            chars.next();
        }
        tokens.push(Token {
            text: line[start..end].to_string(),
            quoted: false,
            span: base + start..base + end,
        });
    }
    Ok(tokens)
}

/// Parses `90s`, `5m`, `2h`, `1d`, or a sum of them written together (`1h30m`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let invalid = || format!("invalid duration \"{text}\"");
    let mut total = Duration::zero();
    let mut digits = String::new();
    let mut parts = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: i64 = digits.parse().map_err(|_| invalid())?;
        let part = match c {
            's' => Duration::try_seconds(n),
            'm' => Duration::try_minutes(n),
            'h' => Duration::try_hours(n),
            'd' => Duration::try_days(n),
            _ => None,
        }
        .ok_or_else(invalid)?;
        total = total
            .checked_add(&part)
            .filter(|t| *t <= MAX_SPAN)
            .ok_or_else(|| format!("duration \"{text}\" is {}", too_long()))?;
        digits.clear();
        parts += 1;
    }
    if parts == 0 || !digits.is_empty() {
        return Err(invalid());
    }
    Ok(total)
}

fn too_long() -> String {
    format!(
        "more than the {} days a script may move the clock at once",
        MAX_SPAN.num_days()
    )
}

/// Parses a reschedule time: `YYYY-MM-DD HH:MM` or `+30m` / `+2h` / `+1d`.
pub fn parse_when(text: &str) -> Result<When, String> {
    match text.strip_prefix('+') {
        Some(rest) => parse_duration(rest).map(When::In),
        None => parse_time(text).map(When::At),
    }
}

struct Parser<'a> {
    file: &'a str,
    index: LineIndex<'a>,
    book: &'a RoleBook,
    scenario: &'a Scenario,
    errors: Vec<Diagnostic>,
    notes: Vec<Diagnostic>,
}

/// The tokens of one line, consumed left to right.
struct Cursor<'t> {
    tokens: &'t [Token],
    pos: usize,
    /// The span just past the last token, where "missing argument" errors point.
    end: Range<usize>,
}

impl<'t> Cursor<'t> {
    fn next(&mut self) -> Option<&'t Token> {
        let t = self.tokens.get(self.pos);
        self.pos += usize::from(t.is_some());
        t
    }

    fn rest(&mut self) -> &'t [Token] {
        let rest = &self.tokens[self.pos.min(self.tokens.len())..];
        self.pos = self.tokens.len();
        rest
    }
}

/// The text of several tokens joined by single spaces, and their combined span.
fn joined(tokens: &[Token]) -> Option<(String, Range<usize>)> {
    let first = tokens.first()?;
    let last = tokens.last()?;
    let text = tokens
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Some((text, first.span.start..last.span.end))
}

type LineResult = Result<ScriptCommand, Diagnostic>;

impl<'a> Parser<'a> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, message).at_indexed(&self.index, span)
    }

    fn missing(&self, cur: &Cursor, what: &str) -> Diagnostic {
        self.error(cur.end.clone(), format!("missing {what}"))
            .expected(what.to_string())
    }

    /// Fails when arguments are left over.
    fn done(&self, cur: &mut Cursor, command: ScriptCommand) -> LineResult {
        match cur.rest() {
            [] => Ok(command),
            extra => {
                let span = extra[0].span.start..extra[extra.len() - 1].span.end;
                Err(self
                    .error(span, "unexpected argument")
                    .expected("the end of the line (quote arguments that contain spaces)"))
            }
        }
    }

    fn role(&self, token: &Token) -> Result<usize, Diagnostic> {
        self.book.find_role(&token.text).map_err(|message| {
            let s = suggest(&token.text, self.book.roles.iter().map(|r| r.name.as_str()));
            self.error(token.span.clone(), strip_suggestion(&message))
                .expected("the name of a role in the roles file")
                .did_you_mean(&s)
        })
    }

    fn campaign(
        &self,
        token: &Token,
        mode: Option<CampaignMode>,
    ) -> Result<CampaignId, Diagnostic> {
        let names = self.scenario.campaigns.iter().map(|c| c.name.as_str());
        let Some(i) = self
            .scenario
            .campaigns
            .iter()
            .position(|c| c.name == token.text)
        else {
            let s = suggest(&token.text, names);
            return Err(self
                .error(
                    token.span.clone(),
                    format!("unknown campaign \"{}\"", token.text),
                )
                .expected("the name of a campaign of the scenario")
                .did_you_mean(&s));
        };
        if let Some(mode) = mode
            && self.scenario.campaigns[i].mode != mode
        {
            return Err(self
                .error(
                    token.span.clone(),
                    format!("campaign \"{}\" is not a push-preview campaign", token.text),
                )
                .expected("the name of a push-preview campaign"));
        }
        Ok(CampaignId(i as u32 + 1))
    }

    fn duration(&self, token: &Token) -> Result<Duration, Diagnostic> {
        parse_duration(&token.text)
            .map_err(|m| self.error(token.span.clone(), m).expected(DURATION_SHAPE))
    }

    fn call_result(&self, cur: &mut Cursor) -> Result<CallResult, Diagnostic> {
        let Some((text, span)) = joined(cur.rest()) else {
            return Err(self.missing(cur, "a call result label or vendor code"));
        };
        CallResult::parse(&text).map_err(|m| {
            self.error(span, strip_suggestion(&m))
                .expected(format!(
                    "a call result: {}",
                    CallResult::ALL
                        .iter()
                        .map(|r| format!("{} ({})", r.label(), r.code()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .did_you_mean(&suggest(&text, CallResult::ALL.iter().map(|r| r.label())))
        })
    }

    fn when(&self, cur: &mut Cursor) -> Result<When, Diagnostic> {
        let Some((text, span)) = joined(cur.rest()) else {
            return Err(self.missing(cur, "a time"));
        };
        parse_when(&text).map_err(|m| self.error(span, m).expected(TIME_SHAPE))
    }

    fn within(&self, cur: &mut Cursor) -> Result<Duration, Diagnostic> {
        let Some(word) = cur.next() else {
            return Ok(DEFAULT_WAIT);
        };
        if word.text != "within" || word.quoted {
            return Err(self
                .error(word.span.clone(), format!("unexpected \"{}\"", word.text))
                .expected("`within <duration>` or the end of the line"));
        }
        let Some(d) = cur.next() else {
            return Err(self.missing(cur, DURATION_SHAPE));
        };
        let d = self.duration(d)?;
        if d <= Duration::zero() {
            return Err(self.error(cur.end.clone(), "the wait bound must be positive"));
        }
        Ok(d)
    }

    fn count(&self, token: &Token) -> Result<usize, Diagnostic> {
        token.text.parse::<usize>().map_err(|_| {
            self.error(
                token.span.clone(),
                format!("invalid number \"{}\"", token.text),
            )
            .expected("a whole number such as 0, 1 or 60")
        })
    }

    fn stage(&self, token: &Token) -> Result<Stage, Diagnostic> {
        token.text.parse::<Stage>().map_err(|e| {
            self.error(
                token.span.clone(),
                format!("unknown stage \"{}\"", token.text),
            )
            .expected(format!("a stage: {}", e.expected.join(", ")))
            .did_you_mean(&e.suggestions)
        })
    }

    fn line(&mut self, tokens: &[Token], line_end: usize) -> LineResult {
        let mut cur = Cursor {
            tokens,
            pos: 0,
            end: line_end..line_end,
        };
        let Some(word) = cur.next() else {
            return Err(self.missing(&cur, "a command"));
        };
        if word.quoted {
            return Err(self
                .error(word.span.clone(), "a line must start with a command word")
                .expected(format!("a command: {}", COMMANDS.join(", "))));
        }
        match word.text.as_str() {
            "login" => {
                let Some(kind) = cur.next() else {
                    return Err(self.missing(&cur, "`agent \"Name\"` or `role \"Role name\"`"));
                };
                let Some(name) = cur.next() else {
                    return Err(self.missing(&cur, "a quoted name"));
                };
                let command = match kind.text.as_str() {
                    "agent" => {
                        let i = self.book.find_agent(&name.text).map_err(|m| {
                            let s = suggest(
                                &name.text,
                                self.book.agents.iter().map(|a| a.name.as_str()),
                            );
                            self.error(name.span.clone(), strip_suggestion(&m))
                                .expected("the name of an [[agent]] in the roles file")
                                .did_you_mean(&s)
                        })?;
                        let agent = &self.book.agents[i];
                        ScriptCommand::Login {
                            name: agent.name.clone(),
                            roles: agent.roles.clone(),
                        }
                    }
                    "role" => {
                        let r = self.role(name)?;
                        ScriptCommand::Login {
                            name: self.book.roles[r].name.clone(),
                            roles: vec![r],
                        }
                    }
                    other => {
                        return Err(self
                            .error(kind.span.clone(), format!("unknown login kind \"{other}\""))
                            .expected("`agent` or `role`")
                            .did_you_mean(&suggest(other, ["agent", "role"].into_iter())));
                    }
                };
                self.done(&mut cur, command)
            }
            "roles" => {
                let names = cur.rest();
                if names.is_empty() {
                    return Err(self.missing(&cur, "one or more quoted role names"));
                }
                let mut roles = Vec::new();
                for n in names {
                    roles.push(self.role(n)?);
                }
                Ok(ScriptCommand::Roles(roles))
            }
            "ready" => self.done(&mut cur, ScriptCommand::Ready(true)),
            "not-ready" => self.done(&mut cur, ScriptCommand::Ready(false)),
            "step" => self.done(&mut cur, ScriptCommand::NextEvent),
            "advance" => {
                let Some(arg) = cur.next() else {
                    return Err(self.missing(&cur, "a duration or `to <time>`"));
                };
                if arg.text == "to" && !arg.quoted {
                    let Some((text, span)) = joined(cur.rest()) else {
                        return Err(self.missing(&cur, "HH:MM or YYYY-MM-DD HH:MM"));
                    };
                    if let Ok(t) = NaiveTime::parse_from_str(&text, "%H:%M") {
                        return Ok(ScriptCommand::AdvanceToClock(t));
                    }
                    return parse_time(&text)
                        .map(ScriptCommand::AdvanceTo)
                        .map_err(|m| {
                            self.error(span, m)
                                .expected("HH:MM or YYYY-MM-DD HH:MM (centre time)")
                        });
                }
                let d = self.duration(arg)?;
                self.done(&mut cur, ScriptCommand::Advance(d))
            }
            "wait" => {
                let Some(what) = cur.next() else {
                    return Err(self.missing(&cur, "`offer` or `stage <stage>`"));
                };
                match what.text.as_str() {
                    "offer" => {
                        let within = self.within(&mut cur)?;
                        Ok(ScriptCommand::WaitOffer { within })
                    }
                    "stage" => {
                        let Some(s) = cur.next() else {
                            return Err(self.missing(&cur, "a stage"));
                        };
                        let stage = self.stage(s)?;
                        let within = self.within(&mut cur)?;
                        Ok(ScriptCommand::WaitStage { stage, within })
                    }
                    other => Err(self
                        .error(what.span.clone(), format!("unknown wait \"{other}\""))
                        .expected("`wait offer` or `wait stage <stage>`")
                        .did_you_mean(&suggest(other, ["offer", "stage"].into_iter()))),
                }
            }
            "offer" => {
                let Some(channel) = cur.next() else {
                    return Err(self.missing(&cur, "`web-callback` or `push-preview`"));
                };
                match channel.text.as_str() {
                    "web-callback" => self.done(&mut cur, ScriptCommand::OfferCallback),
                    "push-preview" => {
                        let campaign = match cur.next() {
                            Some(t) => Some(self.campaign(t, Some(CampaignMode::PushPreview))?),
                            None => None,
                        };
                        self.done(&mut cur, ScriptCommand::OfferPush(campaign))
                    }
                    other => Err(self
                        .error(channel.span.clone(), format!("cannot offer \"{other}\""))
                        .expected("`web-callback` or `push-preview` (pull preview is `get-record`)")
                        .did_you_mean(&suggest(
                            other,
                            ["web-callback", "push-preview"].into_iter(),
                        ))),
                }
            }
            "outcome" => Ok(ScriptCommand::Outcome(self.call_result(&mut cur)?)),
            "select" => {
                let Some(arg) = cur.next() else {
                    return Err(self.missing(&cur, "`#<id>` or `latest`"));
                };
                let selection = if arg.text == "latest" {
                    Selection::Latest
                } else {
                    let digits = arg.text.strip_prefix('#').unwrap_or(&arg.text);
                    match digits.parse::<u32>() {
                        Ok(n) if n > 0 => Selection::Id(InteractionId(n)),
                        _ => {
                            return Err(self
                                .error(
                                    arg.span.clone(),
                                    format!("invalid selection \"{}\"", arg.text),
                                )
                                .expected("an interaction id like #12, or `latest`"));
                        }
                    }
                };
                self.done(&mut cur, ScriptCommand::Select(selection))
            }
            "expect" => self.expect(&mut cur),
            other => match other.parse::<Action>() {
                Ok(action) => self.action(action, &mut cur),
                Err(_) => {
                    let s = suggest(other, COMMANDS.iter().copied());
                    Err(self
                        .error(word.span.clone(), format!("unknown command \"{other}\""))
                        .expected(format!("a command: {}", COMMANDS.join(", ")))
                        .did_you_mean(&s))
                }
            },
        }
    }

    fn expect(&mut self, cur: &mut Cursor) -> LineResult {
        let Some(what) = cur.next() else {
            return Err(self.missing(cur, EXPECTATIONS_SHAPE));
        };
        match what.text.as_str() {
            "allowed" => self.done(cur, ScriptCommand::Expect(Expectation::Allowed)),
            "invalid" => self.done(cur, ScriptCommand::Expect(Expectation::Invalid)),
            "stage" => {
                let Some(s) = cur.next() else {
                    return Err(self.missing(cur, "a stage"));
                };
                let stage = self.stage(s)?;
                self.done(cur, ScriptCommand::Expect(Expectation::Stage(stage)))
            }
            "queue" => {
                let Some(n) = cur.next() else {
                    return Err(self.missing(cur, "a number of records"));
                };
                let records = self.count(n)?;
                let campaign = match cur.next() {
                    Some(t) => Some(self.campaign(t, None)?),
                    None => None,
                };
                self.done(
                    cur,
                    ScriptCommand::Expect(Expectation::Queue { campaign, records }),
                )
            }
            "records" => {
                let Some(n) = cur.next() else {
                    return Err(self.missing(cur, "a number of records"));
                };
                let records = self.count(n)?;
                self.done(cur, ScriptCommand::Expect(Expectation::Records(records)))
            }
            "denied" => {
                let mut kind = None;
                let mut privileges = Vec::new();
                for t in cur.rest() {
                    if !t.quoted {
                        match DENIAL_KINDS.iter().find(|k| **k == t.text) {
                            Some(k) if kind.is_none() => kind = Some(*k),
                            Some(_) => {
                                return Err(self
                                    .error(t.span.clone(), "a second denial kind")
                                    .expected("at most one denial kind"));
                            }
                            None => {
                                let s = suggest(&t.text, DENIAL_KINDS.iter().copied());
                                return Err(self
                                    .error(
                                        t.span.clone(),
                                        format!("unknown denial kind \"{}\"", t.text),
                                    )
                                    .expected(
                                        "a denial kind (privilege, stage, field, compliance) or a \
                                         quoted privilege name",
                                    )
                                    .did_you_mean(&s));
                            }
                        }
                        continue;
                    }
                    match Privilege::from_name(&t.text) {
                        Ok(m) => {
                            if let NameMatch::Alias { privilege, alias } = m {
                                self.notes.push(
                                    Diagnostic::new(
                                        Severity::Note,
                                        self.file,
                                        format!(
                                            "\"{alias}\" is the vendor's alternative spelling of \"{}\"",
                                            privilege.name()
                                        ),
                                    )
                                    .at_indexed(&self.index, t.span.clone())
                                    .help(format!("write \"{}\"", privilege.name())),
                                );
                            }
                            privileges.push(m.privilege());
                        }
                        Err(NameError::Unknown { name, suggestions }) => {
                            return Err(self
                                .error(t.span.clone(), format!("unknown privilege \"{name}\""))
                                .expected("one of the 22 exact privilege names")
                                .did_you_mean(&suggestions));
                        }
                        Err(e @ NameError::Ambiguous { .. }) => {
                            return Err(self
                                .error(t.span.clone(), e.to_string())
                                .expected("the prefixed name, which says which section is meant"));
                        }
                    }
                }
                Ok(ScriptCommand::Expect(Expectation::Denied {
                    kind,
                    privileges,
                }))
            }
            other => Err(self
                .error(
                    what.span.clone(),
                    format!("unknown expectation \"{other}\""),
                )
                .expected(EXPECTATIONS_SHAPE)
                .did_you_mean(&suggest(
                    other,
                    ["allowed", "denied", "invalid", "stage", "queue", "records"].into_iter(),
                ))),
        }
    }

    fn action(&mut self, action: Action, cur: &mut Cursor) -> LineResult {
        let mut campaign = None;
        let args = match action {
            Action::GetRecord => {
                if let Some(t) = cur.next() {
                    campaign = Some(self.campaign(t, None)?);
                }
                ArgSpec::None
            }
            Action::DialAlternative => {
                let Some(t) = cur.next() else {
                    return Err(self.missing(cur, "the record number in the chain (1, 2, ...)"));
                };
                match t.text.parse::<usize>() {
                    Ok(n) if n > 0 => ArgSpec::Record(n - 1),
                    _ => {
                        return Err(self
                            .error(
                                t.span.clone(),
                                format!("invalid record number \"{}\"", t.text),
                            )
                            .expected("the 1-based number of the record in the chain"));
                    }
                }
            }
            Action::Reschedule => ArgSpec::At(self.when(cur)?),
            Action::RescheduleNewNumber => {
                let Some(number) = cur.next() else {
                    return Err(self.missing(cur, "a quoted phone number, then a time"));
                };
                let number = number.text.clone();
                ArgSpec::NewNumber(number, self.when(cur)?)
            }
            Action::SetCallResult => ArgSpec::CallResult(self.call_result(cur)?),
            Action::SetDisposition => {
                let Some(t) = cur.next() else {
                    return Err(self.missing(cur, "a quoted disposition"));
                };
                ArgSpec::Disposition(t.text.clone())
            }
            Action::EditRecordData => {
                let Some(field) = cur.next() else {
                    return Err(self.missing(cur, "a quoted field name and a quoted value"));
                };
                let Some(value) = cur.next() else {
                    return Err(self.missing(cur, "a quoted value"));
                };
                ArgSpec::Edit(field.text.clone(), value.text.clone())
            }
            _ => ArgSpec::None,
        };
        self.done(
            cur,
            ScriptCommand::Act(ScriptAction {
                action,
                campaign,
                args,
            }),
        )
    }
}

/// Our diagnostics carry "did you mean" in `help`; drop it from the message when a shared
/// lookup (`find_role`, `CallResult::parse`) already put it there.
fn strip_suggestion(message: &str) -> String {
    match message.find(" (did you mean") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A parsed script with the notes (alias spellings) the parser had about it.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub script: Script,
    pub notes: Vec<Diagnostic>,
}

impl Script {
    /// The most the script can move the simulated clock, or `None` when it jumps to a date.
    /// (`advance to HH:MM` counts as a day; a `wait` as its bound.) Fuzzers use it to run only
    /// scripts that stay short enough to simulate quickly.
    pub fn time_span(&self) -> Option<Duration> {
        let mut total = Duration::zero();
        for step in &self.steps {
            total += match &step.command {
                ScriptCommand::Advance(d) => *d,
                ScriptCommand::AdvanceToClock(_) => Duration::days(1),
                ScriptCommand::AdvanceTo(_) => return None,
                ScriptCommand::WaitOffer { within } | ScriptCommand::WaitStage { within, .. } => {
                    *within
                }
                _ => Duration::zero(),
            };
        }
        Some(total)
    }

    /// Parses script text; `file` names it in diagnostics. Role, agent and campaign names are
    /// checked against `book` and `scenario`. Every error of the file is collected.
    pub fn parse(
        file: &str,
        source: &str,
        book: &RoleBook,
        scenario: &Scenario,
    ) -> Result<Parsed, Vec<Diagnostic>> {
        // Refused before anything is built per line, so an oversized file costs no more memory
        // than its text.
        let lines = source.split('\n').count();
        if lines > MAX_SCRIPT_LINES {
            return Err(vec![
                Diagnostic::error(
                    file,
                    format!("script has {lines} lines; the limit is {MAX_SCRIPT_LINES} lines"),
                )
                .at_position(crate::input::Position {
                    line: MAX_SCRIPT_LINES + 1,
                    column: 1,
                })
                .expected("a shorter script (split a long session into several files)"),
            ]);
        }
        let mut parser = Parser {
            file,
            index: LineIndex::new(source),
            book,
            scenario,
            errors: Vec::new(),
            notes: Vec::new(),
        };
        let mut steps = Vec::new();
        let mut logged_in = false;
        let mut seen_action = false;
        let mut offset = 0;
        for (i, raw) in source.split('\n').enumerate() {
            let base = offset;
            offset += raw.len() + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let tokens = match tokenize(line, base) {
                Ok(t) => t,
                Err((message, span)) => {
                    let d = parser
                        .error(span, message)
                        .expected("a closing double quote");
                    parser.errors.push(d);
                    continue;
                }
            };
            let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
                continue;
            };
            let text = source[first.span.start..last.span.end].to_string();
            let command = match parser.line(&tokens, last.span.end) {
                Ok(c) => c,
                Err(d) => {
                    parser.errors.push(d);
                    // Keep the ordering checks below from piling on a line already reported.
                    logged_in |= first.text == "login";
                    seen_action |= first.text.parse::<Action>().is_ok();
                    continue;
                }
            };
            let needs_agent = !matches!(
                command,
                ScriptCommand::Login { .. }
                    | ScriptCommand::Advance(_)
                    | ScriptCommand::AdvanceTo(_)
                    | ScriptCommand::AdvanceToClock(_)
                    | ScriptCommand::NextEvent
                    | ScriptCommand::Outcome(_)
                    | ScriptCommand::Select(_)
                    | ScriptCommand::Expect(_)
            );
            if needs_agent && !logged_in {
                let d = parser
                    .error(
                        first.span.clone(),
                        format!("`{}` needs a logged-in agent", first.text),
                    )
                    .expected("a `login agent \"Name\"` or `login role \"Role\"` line before it");
                parser.errors.push(d);
            }
            let refers_to_action = matches!(
                command,
                ScriptCommand::Expect(
                    Expectation::Allowed | Expectation::Denied { .. } | Expectation::Invalid
                )
            );
            if refers_to_action && !seen_action {
                let d = parser
                    .error(
                        first.span.clone(),
                        "this expectation has no action before it",
                    )
                    .expected(
                        "an action line (e.g. `dial`) before `expect allowed/denied/invalid`",
                    );
                parser.errors.push(d);
            }
            logged_in |= matches!(command, ScriptCommand::Login { .. });
            seen_action |= matches!(command, ScriptCommand::Act(_));
            steps.push(Step {
                line: i + 1,
                text,
                command,
            });
        }
        if parser.errors.is_empty() {
            Ok(Parsed {
                script: Script {
                    file: file.to_string(),
                    steps,
                },
                notes: parser.notes,
            })
        } else {
            Err(parser.errors)
        }
    }
}

// ----- running ----------------------------------------------------------------------------

/// What one action line produced, as `expect` sees it.
#[derive(Clone, Debug, PartialEq)]
enum ActionResult {
    Allowed(String),
    Denied(Box<Denial>),
    Invalid(String),
}

/// The verdict on one expectation (an `expect` or `wait` line, or a line that could not run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed(String),
    /// Not run because an earlier line stopped the script.
    Skipped,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub line: usize,
    pub text: String,
    pub verdict: Verdict,
}

/// Per matrix cell: how often the run's actions were allowed and privilege-denied there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CellCount {
    pub allowed: u32,
    pub denied: u32,
}

/// The result of a run: the expectation cases and the privilege coverage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub cases: Vec<Case>,
    pub coverage: BTreeMap<(Channel, Action, Stage), CellCount>,
    /// Attempts in a stage where the action does not exist (not matrix decisions).
    pub not_available: u32,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Passed))
    }

    pub fn failed(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Failed(_)))
    }

    pub fn skipped(&self) -> usize {
        self.count(|v| matches!(v, Verdict::Skipped))
    }

    fn count(&self, f: impl Fn(&Verdict) -> bool) -> usize {
        self.cases.iter().filter(|c| f(&c.verdict)).count()
    }

    /// `N passed, M failed[, K skipped]`: the closing line CI reads.
    pub fn tally(&self) -> String {
        let mut t = format!("{} passed, {} failed", self.passed(), self.failed());
        if self.skipped() > 0 {
            t.push_str(&format!(", {} skipped", self.skipped()));
        }
        t
    }
}

/// Why a line could not run at all; the rest of the script is skipped.
struct Abort(String);

struct Runner<'e, 'w> {
    engine: &'e mut Engine,
    out: &'w mut dyn Write,
    agent: Option<AgentId>,
    current: Option<InteractionId>,
    last: Option<(usize, Action, ActionResult)>,
    /// Agents this run logged in, by name, so a second `login` switches back to the session.
    sessions: BTreeMap<String, AgentId>,
    report: Report,
}

/// A script run that stops between lines: the desktop replays a script one step at a time with
/// it, and [`run`] is a loop over it.
#[derive(Default)]
pub struct Replay {
    agent: Option<AgentId>,
    current: Option<InteractionId>,
    last: Option<(usize, Action, ActionResult)>,
    sessions: BTreeMap<String, AgentId>,
    report: Report,
    /// Index of the next step to run.
    next: usize,
    aborted: bool,
}

impl Replay {
    /// The agent the script is acting as, once it has logged in.
    pub fn agent(&self) -> Option<AgentId> {
        self.agent
    }

    /// The interaction the script's actions go to.
    pub fn current(&self) -> Option<InteractionId> {
        self.current
    }

    /// Index into `script.steps` of the next step to run.
    pub fn next_step(&self) -> usize {
        self.next
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Writes the header line a transcript starts with.
    pub fn start(
        &self,
        engine: &mut Engine,
        script: &Script,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        writeln!(
            out,
            "script {}: scenario \"{}\", starts {}",
            script.file,
            engine.scenario.name,
            fmt_time(engine.now())
        )?;
        write_log(engine, out)
    }

    /// Runs the next step of `script`; false when every step has run.
    pub fn step(
        &mut self,
        engine: &mut Engine,
        script: &Script,
        out: &mut dyn Write,
    ) -> io::Result<bool> {
        let Some(step) = script.steps.get(self.next) else {
            return Ok(false);
        };
        self.next += 1;
        let mut runner = Runner {
            engine,
            out,
            agent: self.agent,
            current: self.current,
            last: self.last.take(),
            sessions: std::mem::take(&mut self.sessions),
            report: std::mem::take(&mut self.report),
        };
        let result = runner.run_step(step, self.aborted);
        self.agent = runner.agent;
        self.current = runner.current;
        self.last = runner.last.take();
        self.sessions = std::mem::take(&mut runner.sessions);
        self.report = std::mem::take(&mut runner.report);
        if result? {
            self.aborted = true;
        }
        Ok(true)
    }
}

/// Writes the engine's new transcript lines.
fn write_log(engine: &mut Engine, out: &mut dyn Write) -> io::Result<()> {
    for l in engine.take_log() {
        writeln!(out, "    log [{}] {}", fmt_time(l.time), l.text)?;
    }
    Ok(())
}

/// Runs a parsed script against `engine`, writing the transcript to `out`.
pub fn run(engine: &mut Engine, script: &Script, out: &mut dyn Write) -> io::Result<Report> {
    let mut replay = Replay::default();
    replay.start(engine, script, out)?;
    while replay.step(engine, script, out)? {}
    let report = std::mem::take(&mut replay.report);
    write_summary(out, &report)?;
    Ok(report)
}

impl Runner<'_, '_> {
    /// Runs one step, or records it as skipped after an abort; true when this step aborted
    /// the run.
    fn run_step(&mut self, step: &Step, aborted: bool) -> io::Result<bool> {
        let is_case = matches!(
            step.command,
            ScriptCommand::Expect(_)
                | ScriptCommand::WaitOffer { .. }
                | ScriptCommand::WaitStage { .. }
        );
        if aborted {
            if is_case {
                self.report.cases.push(Case {
                    line: step.line,
                    text: step.text.clone(),
                    verdict: Verdict::Skipped,
                });
            }
            return Ok(false);
        }
        writeln!(
            self.out,
            "[{}] line {}: {}",
            fmt_time(self.engine.now()),
            step.line,
            step.text
        )?;
        let result = self.step(step);
        self.flush_log()?;
        match result {
            Ok(Some(text)) => {
                writeln!(self.out, "    => {text}")?;
                if is_case {
                    self.pass(step)?;
                }
            }
            Ok(None) => self.pass(step)?,
            Err(StepError::Failed(why)) => self.fail(step, why)?,
            Err(StepError::Abort(Abort(why))) => {
                self.fail(step, why)?;
                writeln!(self.out, "    the rest of the script is skipped")?;
                return Ok(true);
            }
        }
        Ok(false)
    }
}

enum StepError {
    /// An expectation did not hold; the script goes on.
    Failed(String),
    Abort(Abort),
}

impl From<Abort> for StepError {
    fn from(a: Abort) -> StepError {
        StepError::Abort(a)
    }
}

impl Runner<'_, '_> {
    fn flush_log(&mut self) -> io::Result<()> {
        write_log(self.engine, self.out)
    }

    fn pass(&mut self, step: &Step) -> io::Result<()> {
        if matches!(step.command, ScriptCommand::Expect(_)) {
            writeln!(self.out, "    ok")?;
        }
        self.report.cases.push(Case {
            line: step.line,
            text: step.text.clone(),
            verdict: Verdict::Passed,
        });
        Ok(())
    }

    fn fail(&mut self, step: &Step, why: String) -> io::Result<()> {
        writeln!(self.out, "    FAILED (line {}): {why}", step.line)?;
        self.report.cases.push(Case {
            line: step.line,
            text: step.text.clone(),
            verdict: Verdict::Failed(why),
        });
        Ok(())
    }

    fn agent(&self) -> Result<AgentId, Abort> {
        self.agent
            .ok_or_else(|| Abort("no agent is logged in".into()))
    }

    fn interaction(&self) -> Result<InteractionId, Abort> {
        self.current.ok_or_else(|| {
            Abort("there is no current interaction (use `wait offer`, `get-record`, `offer` or `select`)".into())
        })
    }

    /// Runs one line. `Ok(Some(text))` is a result to show; `Ok(None)` a passed expectation.
    fn step(&mut self, step: &Step) -> Result<Option<String>, StepError> {
        let now = self.engine.now();
        match &step.command {
            ScriptCommand::Login { name, roles } => {
                let id = match self.sessions.get(name) {
                    Some(&id) => id,
                    None => {
                        let id = self.engine.login(name, roles.clone());
                        self.sessions.insert(name.clone(), id);
                        id
                    }
                };
                self.agent = Some(id);
                // The previous agent's interaction is not this agent's to act on.
                self.current = None;
                Ok(Some(format!(
                    "current agent: {name} ({id}), roles: {}",
                    self.role_names(roles)
                )))
            }
            ScriptCommand::Roles(roles) => {
                let agent = self.agent()?;
                self.engine.set_roles(agent, roles.clone());
                Ok(Some(format!("roles now: {}", self.role_names(roles))))
            }
            ScriptCommand::Ready(ready) => {
                let agent = self.agent()?;
                self.engine.set_ready(agent, *ready);
                Ok(Some(if *ready { "Ready" } else { "Not Ready" }.to_string()))
            }
            ScriptCommand::Advance(d) => {
                self.engine.advance(*d);
                Ok(Some(format!("now {}", fmt_time(self.engine.now()))))
            }
            ScriptCommand::AdvanceToClock(t) => {
                let at = now.date().and_time(*t);
                self.advance_to(at)
            }
            ScriptCommand::AdvanceTo(at) => self.advance_to(*at),
            ScriptCommand::NextEvent => match self.engine.step() {
                Some(t) => Ok(Some(format!("now {}", fmt_time(t)))),
                None => Err(Abort("no event is scheduled".into()).into()),
            },
            ScriptCommand::WaitOffer { within } => {
                let agent = self.agent()?;
                let deadline = now + *within;
                let found = self.wait_until(deadline, |e| {
                    e.open_interactions(agent)
                        .iter()
                        .filter(|it| it.stage == Stage::Offered)
                        .map(|it| it.id)
                        .max()
                });
                match found {
                    Some(id) => {
                        self.current = Some(id);
                        Ok(Some(format!(
                            "{id} is offered ({}); it is current",
                            self.channel_of(id)
                        )))
                    }
                    None => Err(Abort(format!(
                        "no offer reached the agent by {}",
                        fmt_time(deadline)
                    ))
                    .into()),
                }
            }
            ScriptCommand::WaitStage { stage, within } => {
                let id = self.interaction()?;
                let deadline = now + *within;
                let target = *stage;
                let found = self.wait_until(deadline, |e| {
                    e.interaction(id)
                        .and_then(|it| (it.stage == target).then_some(()))
                });
                match found {
                    Some(()) => Ok(Some(format!("{id} is in stage {stage}"))),
                    None => {
                        let at = self
                            .engine
                            .interaction(id)
                            .map_or(Stage::Closed, |it| it.stage);
                        Err(Abort(format!(
                            "{id} did not reach stage {stage} by {} (it is {at})",
                            fmt_time(self.engine.now())
                        ))
                        .into())
                    }
                }
            }
            ScriptCommand::OfferCallback => {
                let agent = self.agent()?;
                let id = self.engine.offer_callback(agent);
                if self.engine.interaction(id).is_none() {
                    return Err(Abort("the web callback service made no invitation".into()).into());
                }
                self.current = Some(id);
                Ok(Some(format!(
                    "{id} is offered (web-callback); it is current"
                )))
            }
            ScriptCommand::OfferPush(campaign) => {
                let agent = self.agent()?;
                let campaign = match campaign {
                    Some(c) => *c,
                    None => self
                        .first_campaign(CampaignMode::PushPreview)
                        .ok_or_else(|| {
                            Abort("the scenario has no running push-preview campaign".into())
                        })?,
                };
                let name = self.campaign_name(campaign);
                match self.engine.offer_push(agent, campaign) {
                    Some(id) => {
                        self.current = Some(id);
                        Ok(Some(format!(
                            "{id} is offered (push-preview, {name}); it is current"
                        )))
                    }
                    None => Err(Abort(format!("\"{name}\" has no record left to push")).into()),
                }
            }
            ScriptCommand::Outcome(result) => {
                self.engine.force_next_outcome(*result);
                Ok(Some(format!("the next dial will end: {result}")))
            }
            ScriptCommand::Select(selection) => {
                let id = match selection {
                    Selection::Id(id) => {
                        self.engine
                            .interaction(*id)
                            .ok_or_else(|| Abort(format!("there is no interaction {id}")))?
                            .id
                    }
                    Selection::Latest => {
                        let agent = self.agent()?;
                        self.engine
                            .interactions()
                            .iter()
                            .rev()
                            .find(|it| it.agent == agent)
                            .ok_or_else(|| Abort("the agent has no interaction yet".into()))?
                            .id
                    }
                };
                self.current = Some(id);
                let stage = self
                    .engine
                    .interaction(id)
                    .map_or(Stage::Closed, |it| it.stage);
                Ok(Some(format!(
                    "{id} ({}, {stage}) is current",
                    self.channel_of(id)
                )))
            }
            ScriptCommand::Act(act) => self.act(step.line, act).map(Some),
            ScriptCommand::Expect(expectation) => self
                .expect(expectation)
                .map(|()| None)
                .map_err(StepError::Failed),
        }
    }

    fn advance_to(&mut self, at: chrono::NaiveDateTime) -> Result<Option<String>, StepError> {
        let now = self.engine.now();
        if at < now {
            return Err(Abort(format!(
                "{} is before the simulated now, {}; time never goes backwards",
                fmt_time(at),
                fmt_time(now)
            ))
            .into());
        }
        if at - now > MAX_SPAN {
            return Err(Abort(format!("{} is {}", fmt_time(at), too_long())).into());
        }
        self.engine.advance_to(at);
        Ok(Some(format!("now {}", fmt_time(self.engine.now()))))
    }

    /// Runs the engine event by event until `found` gives something or the next event is past
    /// `deadline` (then the clock stops at the deadline).
    fn wait_until<T>(
        &mut self,
        deadline: chrono::NaiveDateTime,
        found: impl Fn(&Engine) -> Option<T>,
    ) -> Option<T> {
        loop {
            if let Some(t) = found(&*self.engine) {
                return Some(t);
            }
            match self.engine.next_event_time() {
                Some(next) if next <= deadline => {
                    self.engine.step();
                }
                _ => {
                    self.engine.advance_to(deadline);
                    return found(&*self.engine);
                }
            }
        }
    }

    fn role_names(&self, roles: &[usize]) -> String {
        roles
            .iter()
            .filter_map(|&r| self.engine.roles.roles.get(r))
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn channel_of(&self, id: InteractionId) -> String {
        self.engine
            .interaction(id)
            .map_or_else(String::new, |it| it.channel.to_string())
    }

    fn first_campaign(&self, mode: CampaignMode) -> Option<CampaignId> {
        self.engine
            .campaigns
            .iter()
            .find(|c| c.mode == mode && c.running)
            .map(|c| c.id)
    }

    fn campaign_name(&self, id: CampaignId) -> String {
        self.engine
            .campaign(id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    fn act(&mut self, line: usize, act: &ScriptAction) -> Result<String, StepError> {
        let agent = self.agent()?;
        let now = self.engine.now();
        let target = if act.action == Action::GetRecord {
            let campaign = match act.campaign {
                Some(c) => c,
                None => self
                    .first_campaign(CampaignMode::Preview)
                    .ok_or_else(|| Abort("the scenario has no running preview campaign".into()))?,
            };
            Target::Campaign(campaign)
        } else {
            Target::Interaction(self.interaction()?)
        };
        let resolve = |w: &When| match w {
            When::At(t) => *t,
            When::In(d) => now + *d,
        };
        let args = match &act.args {
            ArgSpec::None => Args::None,
            ArgSpec::At(w) => Args::At(resolve(w)),
            ArgSpec::NewNumber(number, w) => Args::NewNumber {
                number: number.clone(),
                at: resolve(w),
            },
            ArgSpec::Record(r) => Args::Record(*r),
            ArgSpec::CallResult(r) => Args::CallResult(*r),
            ArgSpec::Disposition(d) => Args::Disposition(d.clone()),
            ArgSpec::Edit(f, v) => Args::Edit {
                field: f.clone(),
                value: v.clone(),
            },
        };
        // The matrix decision of this attempt, taken before the command changes the stage.
        let cell = self.cell_of(agent, target, act.action);
        let result = self.engine.execute(Command {
            agent,
            target,
            action: act.action,
            args,
        });
        let reached_authorization = !matches!(
            result,
            Err(CommandError::NotYours(_)
                | CommandError::NoSuchInteraction(_)
                | CommandError::NoSuchAgent(_)
                | CommandError::NoSuchCampaign(_))
        );
        if reached_authorization && let Some((key, decision)) = cell {
            match decision {
                Decision::Allowed => self.report.coverage.entry(key).or_default().allowed += 1,
                Decision::Denied => self.report.coverage.entry(key).or_default().denied += 1,
                Decision::NotAvailable => self.report.not_available += 1,
            }
        }
        let (shown, kept) = match result {
            Ok(outcome) => {
                if let Some(opened) = outcome.opened {
                    self.current = Some(opened);
                }
                (
                    format!("allowed: {}", outcome.message),
                    ActionResult::Allowed(outcome.message),
                )
            }
            Err(CommandError::Denied(denial)) => (
                format!("denied ({}): {}", denial.kind.as_str(), denial.summary()),
                ActionResult::Denied(denial),
            ),
            Err(other) => {
                let message = other.to_string();
                (
                    format!("invalid: {message}"),
                    ActionResult::Invalid(message),
                )
            }
        };
        self.last = Some((line, act.action, kept));
        Ok(shown)
    }

    /// The (channel, action, stage) of an attempt and its privilege decision.
    fn cell_of(
        &self,
        agent: AgentId,
        target: Target,
        action: Action,
    ) -> Option<((Channel, Action, Stage), Decision)> {
        let granted = self.engine.agent(agent)?.granted;
        let (channel, stage) = match target {
            Target::Campaign(c) => (self.engine.campaign(c)?.mode.channel(), Stage::Campaign),
            Target::Interaction(id) => {
                let it = self.engine.interaction(id)?;
                (it.channel, it.stage)
            }
        };
        let decision = matrix::decide(granted, channel, action, stage).decision;
        Some(((channel, action, stage), decision))
    }

    fn expect(&self, expectation: &Expectation) -> Result<(), String> {
        if let Expectation::Stage(stage) = expectation {
            let id = self
                .current
                .ok_or("there is no current interaction to check")?;
            let actual = self
                .engine
                .interaction(id)
                .map_or(Stage::Closed, |it| it.stage);
            return if actual == *stage {
                Ok(())
            } else {
                Err(format!("{id} is in stage {actual}, not {stage}"))
            };
        }
        match expectation {
            Expectation::Queue { campaign, records } => {
                let c = campaign
                    .or_else(|| self.first_campaign(CampaignMode::Preview))
                    .and_then(|c| self.engine.campaign(c))
                    .ok_or("the scenario has no running preview campaign")?;
                let actual = c.queue.len();
                return if actual == *records {
                    Ok(())
                } else {
                    Err(format!(
                        "\"{}\" has {actual} records queued, not {records}",
                        c.name
                    ))
                };
            }
            Expectation::Records(records) => {
                let id = self
                    .current
                    .ok_or("there is no current interaction to check")?;
                let chain = self
                    .engine
                    .interaction(id)
                    .and_then(|it| self.engine.chain_of(it))
                    .ok_or_else(|| format!("{id} has no record chain (it is not outbound)"))?;
                let actual = chain.records.len();
                return if actual == *records {
                    Ok(())
                } else {
                    Err(format!(
                        "the record chain of {id} has {actual} records, not {records}"
                    ))
                };
            }
            _ => {}
        }
        let Some((line, action, result)) = &self.last else {
            return Err("no action has run yet".into());
        };
        let got = match result {
            ActionResult::Allowed(m) => format!("allowed ({m})"),
            ActionResult::Denied(d) => format!("denied ({}): {}", d.kind.as_str(), d.summary()),
            ActionResult::Invalid(m) => format!("invalid ({m})"),
        };
        let mismatch = |wanted: &str| {
            format!("expected {action} on line {line} to be {wanted}, but it was {got}")
        };
        match (expectation, result) {
            (Expectation::Allowed, ActionResult::Allowed(_)) => Ok(()),
            (Expectation::Allowed, _) => Err(mismatch("allowed")),
            (Expectation::Invalid, ActionResult::Invalid(_)) => Ok(()),
            (Expectation::Invalid, _) => Err(mismatch("invalid")),
            (Expectation::Denied { kind, privileges }, ActionResult::Denied(d)) => {
                if let Some(kind) = kind
                    && d.kind.as_str() != *kind
                {
                    return Err(mismatch(&format!("a {kind} denial")));
                }
                let absent: Vec<&str> = privileges
                    .iter()
                    .filter(|p| !d.missing.contains(**p))
                    .map(|p| p.name())
                    .collect();
                if absent.is_empty() {
                    Ok(())
                } else {
                    let missing = d.missing.names();
                    Err(format!(
                        "{action} on line {line} was denied, but {} not among the missing privileges ({})",
                        absent
                            .iter()
                            .map(|n| format!("\"{n}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                            + if absent.len() == 1 { " is" } else { " are" },
                        if missing.is_empty() {
                            "none".to_string()
                        } else {
                            missing.join(", ")
                        }
                    ))
                }
            }
            (Expectation::Denied { .. }, _) => Err(mismatch("denied")),
            (Expectation::Stage(_) | Expectation::Queue { .. } | Expectation::Records(_), _) => {
                Ok(())
            }
        }
    }
}

/// Writes the summary: expectations, privilege coverage, and the closing tally line.
fn write_summary(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    writeln!(out, "--- summary")?;
    writeln!(
        out,
        "expectations: {} passed, {} failed, {} skipped",
        report.passed(),
        report.failed(),
        report.skipped()
    )?;
    for c in &report.cases {
        if let Verdict::Failed(why) = &c.verdict {
            writeln!(out, "  FAILED line {}: {} -- {why}", c.line, c.text)?;
        }
    }
    let gated: Vec<(Channel, Action, Stage)> = matrix::cells()
        .filter(|&(c, a, s)| matches!(crate::policy::cell(c, a, s), crate::policy::Cell::Needs(_)))
        .collect();
    let exercised = gated
        .iter()
        .filter(|k| report.coverage.contains_key(k))
        .count();
    let allowed = report.coverage.values().filter(|c| c.allowed > 0).count();
    let denied = report.coverage.values().filter(|c| c.denied > 0).count();
    writeln!(
        out,
        "privilege coverage: {exercised} of {} matrix cells exercised ({allowed} allowed, {denied} denied), {} never exercised; {} attempt(s) where the action does not exist",
        gated.len(),
        gated.len() - exercised,
        report.not_available
    )?;
    for &channel in Channel::ALL {
        let done: Vec<String> = gated
            .iter()
            .filter(|k| k.0 == channel)
            .filter_map(|k| report.coverage.get(k).map(|c| (k, c)))
            .map(|((_, a, s), c)| {
                let mut counts = Vec::new();
                if c.allowed > 0 {
                    counts.push(format!("{} allowed", c.allowed));
                }
                if c.denied > 0 {
                    counts.push(format!("{} denied", c.denied));
                }
                format!("{a}@{s} ({})", counts.join(", "))
            })
            .collect();
        if !done.is_empty() {
            writeln!(out, "  exercised {channel}: {}", done.join(", "))?;
        }
    }
    for &channel in Channel::ALL {
        let mut by_action: Vec<(Action, Vec<Stage>)> = Vec::new();
        for &(c, a, s) in &gated {
            if c != channel || report.coverage.contains_key(&(c, a, s)) {
                continue;
            }
            match by_action.last_mut() {
                Some((last, stages)) if *last == a => stages.push(s),
                _ => by_action.push((a, vec![s])),
            }
        }
        if by_action.is_empty() {
            continue;
        }
        let parts: Vec<String> = by_action
            .iter()
            .map(|(a, stages)| match stages.as_slice() {
                [one] => format!("{a}@{one}"),
                many => format!(
                    "{a}@{{{}}}",
                    many.iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            })
            .collect();
        writeln!(out, "  never {channel}: {}", parts.join(" "))?;
    }
    writeln!(out, "{}", report.tally())
}

/// Escapes text for an XML attribute or element; characters XML cannot carry become U+FFFD.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The JUnit XML report of a run: one `<testcase>` per expectation.
pub fn junit_xml(suite: &str, report: &Report) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let (tests, failures, skipped) = (report.cases.len(), report.failed(), report.skipped());
    x.push_str(&format!(
        "<testsuites name=\"agentdesk\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n"
    ));
    x.push_str(&format!(
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n",
        xml_escape(suite)
    ));
    for c in &report.cases {
        let name = xml_escape(&format!("line {}: {}", c.line, c.text));
        let class = xml_escape(suite);
        match &c.verdict {
            Verdict::Passed => x.push_str(&format!(
                "    <testcase classname=\"{class}\" name=\"{name}\"/>\n"
            )),
            Verdict::Failed(why) => x.push_str(&format!(
                "    <testcase classname=\"{class}\" name=\"{name}\">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                xml_escape(why),
                xml_escape(why)
            )),
            Verdict::Skipped => x.push_str(&format!(
                "    <testcase classname=\"{class}\" name=\"{name}\">\n      <skipped/>\n    </testcase>\n"
            )),
        }
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Script, Vec<String>> {
        Script::parse(
            "t.script",
            src,
            &RoleBook::embedded_default(),
            &Scenario::embedded_default(),
        )
        .map(|p| p.script)
        .map_err(|e| e.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn tokens_quotes_comments_and_ids() {
        let t = tokenize(r#"roles "A \"B\"" C # comment"#, 10).unwrap();
        let texts: Vec<_> = t.iter().map(|t| (t.text.as_str(), t.quoted)).collect();
        assert_eq!(
            texts,
            vec![("roles", false), ("A \"B\"", true), ("C", false)]
        );
        assert_eq!(t[0].span, 10..15);
        let t = tokenize("select #12 # why", 0).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].text, "#12");
        assert!(tokenize("# only a comment", 0).unwrap().is_empty());
        let (msg, span) = tokenize("login agent \"Dana", 0).unwrap_err();
        assert!(msg.contains("unterminated"));
        assert_eq!(span, 12..17);
    }

    #[test]
    fn durations_and_times() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::seconds(90));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_duration("1d").unwrap(), Duration::hours(24));
        for bad in ["", "5", "m", "5x", "-5m", "99999999999h", "367d", "366d1s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_when("+30m").unwrap(), When::In(Duration::minutes(30)));
        assert!(matches!(
            parse_when("2026-11-23 14:00").unwrap(),
            When::At(_)
        ));
        assert!(parse_when("tomorrow").is_err());
    }

    #[test]
    fn a_whole_script_parses_into_steps_with_line_numbers() {
        let s = parse(
            "# comment\n\nlogin agent \"Dana\"\nadvance to 11:00\nget-record\nexpect allowed\n\
             outcome No Answer\ndial\nwait stage after-call within 2m\nreschedule +2h\n\
             expect denied \"Outbound - Can Reschedule Before Call\" privilege\n",
        )
        .unwrap();
        let lines: Vec<usize> = s.steps.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert_eq!(
            s.steps[4].command,
            ScriptCommand::Outcome(CallResult::NoAnswer)
        );
        assert_eq!(
            s.steps[8].command,
            ScriptCommand::Expect(Expectation::Denied {
                kind: Some("privilege"),
                privileges: vec![Privilege::ObRescheduleBeforeCall],
            })
        );
    }

    #[test]
    fn errors_are_all_collected_with_positions() {
        let e =
            parse("dail\nlogin agent \"Dana\"\nexpect allowed\nreschedule tomorrow\n").unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e[0].starts_with("t.script:1:1: error: unknown command \"dail\""),
            "{}",
            e[0]
        );
        assert!(e[0].contains("did you mean \"dial\""), "{}", e[0]);
        assert!(
            e[1].starts_with("t.script:3:1: error: this expectation has no action"),
            "{}",
            e[1]
        );
        assert!(
            e[2].starts_with("t.script:4:12: error: invalid date and time"),
            "{}",
            e[2]
        );
        let e = parse("dial\n").unwrap_err();
        assert!(
            e[0].starts_with("t.script:1:1: error: `dial` needs a logged-in agent"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn junit_escapes_and_counts() {
        let report = Report {
            cases: vec![
                Case {
                    line: 3,
                    text: "expect denied \"A & B\"".into(),
                    verdict: Verdict::Passed,
                },
                Case {
                    line: 4,
                    text: "expect allowed".into(),
                    verdict: Verdict::Failed("was <denied>".into()),
                },
            ],
            ..Report::default()
        };
        let x = junit_xml("s.script", &report);
        assert!(x.contains("tests=\"2\" failures=\"1\""));
        assert!(x.contains("name=\"line 3: expect denied &quot;A &amp; B&quot;\""));
        assert!(x.contains("<failure message=\"was &lt;denied&gt;\">"));
        assert_eq!(xml_escape("a\u{1}b"), "a\u{FFFD}b");
    }
}

/// Writes what an agent does on the desktop as a script, so a trainer's session can be
/// replayed (`agentdesk run --seed N --script FILE`, or step by step in the window). Each
/// attempt is followed by an `expect` line saying what happened, so the recording is also a
/// regression test of the roles that were in force.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorder {
    lines: Vec<String>,
    /// Simulated time of the last line written.
    at: SimTime,
    /// The interaction the script's actions go to, as the runner will see it.
    current: Option<InteractionId>,
}

/// A double-quoted script token.
pub fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn exact_time(t: SimTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

impl Recorder {
    /// Starts a recording of `agent` on a day that has just begun on `engine`.
    pub fn start(engine: &Engine, agent: AgentId) -> Recorder {
        let mut r = Recorder {
            lines: vec![
                "# Recorded on the agentdesk desktop.".to_string(),
                format!(
                    "# Replay: agentdesk run --seed {} --script FILE (same roles and scenario)",
                    engine.seed()
                ),
            ],
            at: engine.now(),
            current: None,
        };
        if let Some(a) = engine.agent(agent) {
            let book_agent = engine.roles.agents.iter().find(|b| b.name == a.name);
            match book_agent {
                Some(_) => r.lines.push(format!("login agent {}", quote(&a.name))),
                None => r.lines.push(format!(
                    "login role {}",
                    quote(
                        a.roles
                            .first()
                            .and_then(|&i| engine.roles.roles.get(i))
                            .map_or("", |role| role.name.as_str())
                    )
                )),
            }
            r.roles(engine, &a.roles);
        }
        r
    }

    fn catch_up(&mut self, engine: &Engine) {
        if engine.now() != self.at {
            self.at = engine.now();
            self.lines
                .push(format!("advance to {}", exact_time(self.at)));
        }
    }

    /// The agent's roles changed (or were set at the start).
    pub fn roles(&mut self, engine: &Engine, roles: &[usize]) {
        self.catch_up(engine);
        let names: Vec<String> = roles
            .iter()
            .filter_map(|&i| engine.roles.roles.get(i))
            .map(|r| quote(&r.name))
            .collect();
        if !names.is_empty() {
            self.lines.push(format!("roles {}", names.join(" ")));
        }
    }

    pub fn ready(&mut self, engine: &Engine, ready: bool) {
        self.catch_up(engine);
        self.lines
            .push(if ready { "ready" } else { "not-ready" }.to_string());
    }

    /// Records an attempt and its result; call after `Engine::execute` returned.
    pub fn attempt(
        &mut self,
        engine: &Engine,
        target: Target,
        action: Action,
        args: &Args,
        result: &Result<crate::engine::Outcome, CommandError>,
        at: SimTime,
    ) {
        if at != self.at {
            self.at = at;
            self.lines.push(format!("advance to {}", exact_time(at)));
        }
        let mut line = action.as_str().to_string();
        match target {
            Target::Campaign(c) => {
                if let Some(c) = engine.campaign(c) {
                    line.push(' ');
                    line.push_str(&quote(&c.name));
                }
            }
            Target::Interaction(id) => {
                if self.current != Some(id) {
                    self.lines.push(format!("select {id}"));
                    self.current = Some(id);
                }
            }
        }
        match args {
            Args::None => {}
            Args::At(t) => line.push_str(&format!(" {}", exact_time(*t))),
            Args::NewNumber { number, at } => {
                line.push_str(&format!(" {} {}", quote(number), exact_time(*at)))
            }
            Args::Record(r) => line.push_str(&format!(" {}", r + 1)),
            Args::CallResult(r) => line.push_str(&format!(" {}", quote(r.label()))),
            Args::Disposition(d) => line.push_str(&format!(" {}", quote(d))),
            Args::Edit { field, value } => {
                line.push_str(&format!(" {} {}", quote(field), quote(value)))
            }
        }
        self.lines.push(line);
        self.lines.push(match result {
            Ok(outcome) => {
                if let Some(id) = outcome.opened {
                    self.current = Some(id);
                }
                "expect allowed".to_string()
            }
            Err(CommandError::Denied(d)) if d.kind.as_str() == "privilege" => {
                let names: Vec<String> = d.missing.iter().map(|p| quote(p.name())).collect();
                format!("expect denied {}", names.join(" "))
            }
            Err(CommandError::Denied(d)) => format!("expect denied {}", d.kind.as_str()),
            Err(_) => "expect invalid".to_string(),
        });
    }

    /// The script so far.
    pub fn text(&self) -> String {
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}
