//! The script parser: one line at a time into a [`ScriptCommand`], every error with
//! file:line:column, what was expected and the close names, and the ordering checks (an agent
//! before its actions, an action before its expectation).
//!
//! A script is parsed whole before anything runs, so a tester sees every mistake of a file at
//! once and a half-run script never leaves a misleading transcript.

mod expect;
mod roles;

use std::borrow::Cow;
use std::ops::Range;

use chrono::{Duration, NaiveTime};

use super::ast::{
    ArgSpec, DEFAULT_WAIT, Expectation, MAX_SCRIPT_LINES, Script, ScriptAction, ScriptCommand,
    Selection, Step, When,
};
use super::lex::{
    Cursor, LoginKind, Token, Verb, WaitFor, commands, joined, parse_duration, parse_when, tokenize,
};
use crate::engine::parse_time;
use crate::input::suggest;
use crate::input::{Collector, Diagnostic, LineIndex, Severity};
use crate::policy::{Action, Arguments, Channel, Stage};
use crate::world::roles::{RoleBook, RoleNames};
use crate::world::scenario::Scenario;
use crate::world::{
    CallResult, CallResultError, CallbackScope, CampaignId, CampaignMode, DoNotCallScope,
    InteractionId,
};

const TIME_SHAPE: &str = "YYYY-MM-DD HH:MM, or +N followed by m, h or d (e.g. +30m)";
pub(super) const DURATION_SHAPE: &str = "a duration such as 90s, 5m, 2h, 1d or 1h30m, at most 366d";

/// The channels `offer` can put an interaction on (a pull preview is `get-record`).
const OFFERABLE: [Channel; 2] = [Channel::WebCallback, Channel::PushPreview];

/// A parsed script with the notes (alias spellings) the parser had about it.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub script: Script,
    pub notes: Vec<Diagnostic>,
}

pub(super) struct Parser<'a> {
    pub(super) file: &'a str,
    pub(super) index: LineIndex<'a>,
    /// The roles file's book, as the script's `define`, `rename` and `remove` lines so far
    /// have edited it: what later lines' role and agent names are looked up in.
    book: Cow<'a, RoleBook>,
    /// `book` by name, made at the first edit and kept in step by each.
    role_names: Option<RoleNames>,
    scenario: &'a Scenario,
    errors: Collector,
    pub(super) notes: Collector,
}

pub(super) type LineResult = Result<ScriptCommand, Diagnostic>;

impl Script {
    /// Parses script text; `file` names it in diagnostics. Role, agent and campaign names are
    /// checked against `book` and `scenario`. Every error of the file is collected.
    pub fn parse(
        file: &str,
        source: &str,
        book: &RoleBook,
        scenario: &Scenario,
    ) -> Result<Parsed, Vec<Diagnostic>> {
        // Refused before anything is built per line, so an oversized file costs no more memory
        // than its text. Lines are counted as an editor shows them: a final line end does not
        // start another line.
        let lines = source.lines().count();
        if lines > MAX_SCRIPT_LINES {
            return Err(vec![too_many_lines(file, lines)]);
        }
        let mut parser = Parser {
            file,
            index: LineIndex::new(source),
            book: Cow::Borrowed(book),
            role_names: None,
            scenario,
            errors: Collector::new(file),
            notes: Collector::new(file),
        };
        let mut order = Order::default();
        let mut steps = Vec::new();
        let mut offset = 0;
        for (i, raw) in source.split('\n').enumerate() {
            let base = offset;
            offset += raw.len() + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            // A byte order mark that an editor put before the first line is not part of it.
            let (line, base) = match line.strip_prefix('\u{feff}') {
                Some(rest) if i == 0 => (rest, base + '\u{feff}'.len_utf8()),
                _ => (line, base),
            };
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
            let command = match parser.line(&tokens, last.span.end) {
                Ok(c) => c,
                Err(d) => {
                    parser.errors.push(d);
                    order.skip(first);
                    continue;
                }
            };
            order.check(&mut parser, first, &command);
            steps.push(Step {
                line: i + 1,
                text: source[first.span.start..last.span.end].to_string(),
                command,
            });
        }
        if parser.errors.is_empty() {
            Ok(Parsed {
                script: Script {
                    file: file.to_string(),
                    steps,
                },
                notes: parser.notes.finish(),
            })
        } else {
            Err(parser.errors.finish())
        }
    }
}

fn too_many_lines(file: &str, lines: usize) -> Diagnostic {
    Diagnostic::error(
        file,
        format!("script has {lines} lines; the limit is {MAX_SCRIPT_LINES} lines"),
    )
    .at_position(crate::input::Position {
        line: MAX_SCRIPT_LINES + 1,
        column: 1,
    })
    .expected("a shorter script (split a long session into several files)")
}

/// What the lines so far have set up: an agent for actions, an action for expectations.
#[derive(Default)]
struct Order {
    logged_in: bool,
    seen_action: bool,
}

impl Order {
    /// A line that did not parse: keep the checks from piling on a line already reported.
    fn skip(&mut self, first: &Token) {
        self.logged_in |= first.text == "login";
        self.seen_action |= first.text.parse::<Action>().is_ok() || first.text == "click";
    }

    fn check(&mut self, parser: &mut Parser, first: &Token, command: &ScriptCommand) {
        let needs_agent = !matches!(
            command,
            ScriptCommand::Login { .. }
                | ScriptCommand::EditRoles(_)
                | ScriptCommand::Advance(_)
                | ScriptCommand::AdvanceTo(_)
                | ScriptCommand::AdvanceToClock(_)
                | ScriptCommand::NextEvent
                | ScriptCommand::Outcome(_)
                | ScriptCommand::Select(_)
                | ScriptCommand::Expect(_)
        );
        if needs_agent && !self.logged_in {
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
        if refers_to_action && !self.seen_action {
            let d = parser
                .error(
                    first.span.clone(),
                    "this expectation has no action before it",
                )
                .expected("an action line (e.g. `dial`) before `expect allowed/denied/invalid`");
            parser.errors.push(d);
        }
        self.logged_in |= matches!(command, ScriptCommand::Login { .. });
        self.seen_action |= matches!(command, ScriptCommand::Act(_));
    }
}

impl Parser<'_> {
    pub(super) fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, message).at_indexed(&self.index, span)
    }

    /// Close names for a "did you mean" on an error, or none once the file has more errors
    /// than are reported: the message would never be shown, and the search costs the number of
    /// known names for every unknown one.
    fn close_names<'k>(&self, name: &str, known: impl Iterator<Item = &'k str>) -> Vec<&'k str> {
        if self.errors.has_room(Severity::Error) {
            suggest(name, known)
        } else {
            Vec::new()
        }
    }

    pub(super) fn missing(&self, cur: &Cursor, what: &str) -> Diagnostic {
        self.error(cur.end.clone(), format!("missing {what}"))
            .expected(what.to_string())
    }

    /// Fails when arguments are left over.
    pub(super) fn done(&self, cur: &mut Cursor, command: ScriptCommand) -> LineResult {
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

    fn line(&mut self, tokens: &[Token], line_end: usize) -> LineResult {
        let mut cur = Cursor {
            tokens,
            pos: 0,
            end: line_end..line_end,
        };
        let Some(word) = cur.next() else {
            return Err(self.missing(&cur, "a command"));
        };
        let all_commands = || commands().collect::<Vec<_>>().join(", ");
        if word.quoted {
            return Err(self
                .error(word.span.clone(), "a line must start with a command word")
                .expected(format!("a command: {}", all_commands())));
        }
        if let Some(verb) = Verb::from_word(&word.text) {
            return self.verb(verb, &mut cur);
        }
        match word.text.parse::<Action>() {
            Ok(action) => self.action(action, &mut cur),
            Err(_) => Err(self
                .error(
                    word.span.clone(),
                    format!(
                        "unknown command \"{}\"",
                        crate::input::names::shown(&word.text)
                    ),
                )
                .expected(format!("a command: {}", all_commands()))
                .did_you_mean(&suggest(&word.text, commands()))),
        }
    }

    fn verb(&mut self, verb: Verb, cur: &mut Cursor) -> LineResult {
        match verb {
            Verb::Login => self.login(cur),
            Verb::Roles => {
                let names = cur.rest();
                if names.is_empty() {
                    return Err(self.missing(cur, "one or more quoted role names, or `none`"));
                }
                if let [none] = names
                    && none.text == "none"
                    && !none.quoted
                {
                    return Ok(ScriptCommand::Roles(Vec::new()));
                }
                let roles = names
                    .iter()
                    .map(|n| self.role(n))
                    .collect::<Result<_, _>>()?;
                Ok(ScriptCommand::Roles(roles))
            }
            Verb::Ready => self.done(cur, ScriptCommand::Ready(true)),
            Verb::NotReady => self.done(cur, ScriptCommand::Ready(false)),
            Verb::Step => self.done(cur, ScriptCommand::NextEvent),
            Verb::Advance => self.advance(cur),
            Verb::Wait => self.wait(cur),
            Verb::Offer => self.offer(cur),
            Verb::Outcome => Ok(ScriptCommand::Outcome(self.call_result(cur)?)),
            Verb::Select => self.select(cur),
            Verb::Expect => self.expect(cur),
            Verb::Define | Verb::Rename | Verb::Remove => self.role_edit(verb, cur),
            Verb::Click => self.click(cur),
        }
    }

    fn login(&mut self, cur: &mut Cursor) -> LineResult {
        let Some(kind) = cur.next() else {
            return Err(self.missing(cur, "`agent \"Name\"` or `role \"Role name\"`"));
        };
        let Some(name) = cur.next() else {
            return Err(self.missing(cur, "a quoted name"));
        };
        let command = match LoginKind::from_word(&kind.text) {
            Some(LoginKind::Agent) => {
                let i = self.book.agent_index(&name.text).ok_or_else(|| {
                    let known = self.book.agents.iter().map(|a| a.name.as_str());
                    self.error(
                        name.span.clone(),
                        format!("unknown agent \"{}\"", name.text),
                    )
                    .expected("the name of an [[agent]] in the roles file")
                    .did_you_mean(&self.close_names(&name.text, known))
                })?;
                let agent = &self.book.agents[i];
                ScriptCommand::Login {
                    name: agent.name.clone(),
                    roles: agent.roles.clone(),
                }
            }
            Some(LoginKind::Role) => {
                let r = self.role(name)?;
                ScriptCommand::Login {
                    name: self.book.roles[r].name.clone(),
                    roles: vec![r],
                }
            }
            None => {
                return Err(self
                    .error(
                        kind.span.clone(),
                        format!("unknown login kind \"{}\"", kind.text),
                    )
                    .expected("`agent` or `role`")
                    .did_you_mean(&suggest(&kind.text, LoginKind::words())));
            }
        };
        self.done(cur, command)
    }

    fn advance(&mut self, cur: &mut Cursor) -> LineResult {
        let Some(arg) = cur.next() else {
            return Err(self.missing(cur, "a duration or `to <time>`"));
        };
        if arg.text == "to" && !arg.quoted {
            let Some((text, span)) = joined(cur.rest()) else {
                return Err(self.missing(cur, "HH:MM or YYYY-MM-DD HH:MM"));
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
        self.done(cur, ScriptCommand::Advance(d))
    }

    fn wait(&mut self, cur: &mut Cursor) -> LineResult {
        let Some(what) = cur.next() else {
            return Err(self.missing(cur, "`offer` or `stage <stage>`"));
        };
        match WaitFor::from_word(&what.text) {
            Some(WaitFor::Offer) => {
                let within = self.within(cur)?;
                Ok(ScriptCommand::WaitOffer { within })
            }
            Some(WaitFor::Stage) => {
                let Some(s) = cur.next() else {
                    return Err(self.missing(cur, "a stage"));
                };
                let stage = self.stage(s)?;
                let within = self.within(cur)?;
                Ok(ScriptCommand::WaitStage { stage, within })
            }
            None => Err(self
                .error(what.span.clone(), format!("unknown wait \"{}\"", what.text))
                .expected("`wait offer` or `wait stage <stage>`")
                .did_you_mean(&suggest(&what.text, WaitFor::words()))),
        }
    }

    fn offer(&mut self, cur: &mut Cursor) -> LineResult {
        let Some(channel) = cur.next() else {
            return Err(self.missing(cur, "`web-callback` or `push-preview`"));
        };
        match channel.text.parse::<Channel>() {
            Ok(Channel::WebCallback) => self.done(cur, ScriptCommand::OfferCallback),
            Ok(Channel::PushPreview) => {
                let campaign = match cur.next() {
                    Some(t) => Some(self.campaign(t, Some(CampaignMode::PushPreview))?),
                    None => None,
                };
                self.done(cur, ScriptCommand::OfferPush(campaign))
            }
            _ => Err(self
                .error(
                    channel.span.clone(),
                    format!("cannot offer \"{}\"", channel.text),
                )
                .expected("`web-callback` or `push-preview` (pull preview is `get-record`)")
                .did_you_mean(&suggest(
                    &channel.text,
                    OFFERABLE.iter().map(|c| c.as_str()),
                ))),
        }
    }

    fn select(&mut self, cur: &mut Cursor) -> LineResult {
        let Some(arg) = cur.next() else {
            return Err(self.missing(cur, "`#<id>` or `latest`"));
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
        self.done(cur, ScriptCommand::Select(selection))
    }

    fn action(&mut self, action: Action, cur: &mut Cursor) -> LineResult {
        let mut campaign = None;
        let args = match action.arguments() {
            Arguments::Campaign => {
                if let Some(t) = cur.next() {
                    campaign = Some(self.campaign(t, None)?);
                }
                ArgSpec::None
            }
            Arguments::Record => {
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
            Arguments::Time => {
                let (at, scope) = self.when_and_scope(cur)?;
                ArgSpec::At { at, scope }
            }
            Arguments::NumberAndTime => {
                let Some(number) = cur.next() else {
                    return Err(self.missing(cur, "a quoted phone number, then a time"));
                };
                let number = number.text.clone();
                let (at, scope) = self.when_and_scope(cur)?;
                ArgSpec::NewNumber { number, at, scope }
            }
            Arguments::Number => {
                let Some(number) = cur.next() else {
                    return Err(self.missing(cur, "a quoted phone number"));
                };
                ArgSpec::Number(number.text.clone())
            }
            Arguments::DoNotCallScope => match cur.next() {
                None => ArgSpec::DoNotCall(DoNotCallScope::Number),
                Some(t) => ArgSpec::DoNotCall(self.keyword(
                    t,
                    &DoNotCallScope::ALL,
                    DoNotCallScope::as_str,
                    "Do Not Call scope",
                )?),
            },
            Arguments::CallResult => ArgSpec::CallResult(self.call_result(cur)?),
            Arguments::Disposition => {
                let Some(t) = cur.next() else {
                    return Err(self.missing(cur, "a quoted disposition"));
                };
                ArgSpec::Disposition(t.text.clone())
            }
            Arguments::FieldAndValue => {
                let Some(field) = cur.next() else {
                    return Err(self.missing(cur, "a quoted field name and a quoted value"));
                };
                let Some(value) = cur.next() else {
                    return Err(self.missing(cur, "a quoted value"));
                };
                ArgSpec::Edit {
                    field: field.text.clone(),
                    value: value.text.clone(),
                }
            }
            Arguments::None => ArgSpec::None,
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

    // ----- arguments ------------------------------------------------------------------------

    fn role(&self, token: &Token) -> Result<usize, Diagnostic> {
        self.book.role_index(&token.text).ok_or_else(|| {
            let known = self.book.roles.iter().map(|r| r.name.as_str());
            self.error(
                token.span.clone(),
                format!("unknown role \"{}\"", token.text),
            )
            .expected("the name of a role in the roles file")
            .did_you_mean(&self.close_names(&token.text, known))
        })
    }

    pub(super) fn campaign(
        &self,
        token: &Token,
        mode: Option<CampaignMode>,
    ) -> Result<CampaignId, Diagnostic> {
        let campaigns = &self.scenario.campaigns;
        let Some(i) = campaigns.iter().position(|c| c.name == token.text) else {
            let s = self.close_names(&token.text, campaigns.iter().map(|c| c.name.as_str()));
            return Err(self
                .error(
                    token.span.clone(),
                    format!("unknown campaign \"{}\"", token.text),
                )
                .expected("the name of a campaign of the scenario")
                .did_you_mean(&s));
        };
        if let Some(mode) = mode
            && campaigns[i].mode != mode
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
        CallResult::parse(&text).map_err(|e| {
            let (message, suggestions) = match e {
                CallResultError::Unknown(u) => (u.headline(), u.suggestions),
                other => (other.to_string(), Vec::new()),
            };
            let all = CallResult::ALL
                .iter()
                .map(|r| format!("{} ({})", r.label(), r.code()))
                .collect::<Vec<_>>();
            self.error(span, message)
                .expected(format!("a call result: {}", all.join(", ")))
                .did_you_mean(&suggestions.iter().map(String::as_str).collect::<Vec<_>>())
        })
    }

    /// A reschedule time, then `personal` or `campaign` if the line ends with one.
    fn when_and_scope(
        &self,
        cur: &mut Cursor,
    ) -> Result<(When, Option<CallbackScope>), Diagnostic> {
        let rest = cur.rest();
        let (time, scope) = match rest.split_last() {
            Some((last, time)) if !last.quoted && !time.is_empty() => {
                let scope = CallbackScope::ALL
                    .into_iter()
                    .find(|s| s.as_str() == last.text);
                match scope {
                    Some(s) => (time, Some(s)),
                    None => (rest, None),
                }
            }
            _ => (rest, None),
        };
        let Some((text, span)) = joined(time) else {
            return Err(self.missing(cur, "a time"));
        };
        let when = parse_when(&text).map_err(|m| {
            self.error(span, m).expected(format!(
                "{TIME_SHAPE}, then optionally `personal` or `campaign`"
            ))
        })?;
        Ok((when, scope))
    }

    /// One of a few keywords, with the list and a suggestion when it is none of them.
    fn keyword<T: Copy>(
        &self,
        token: &Token,
        all: &[T],
        word: fn(T) -> &'static str,
        what: &str,
    ) -> Result<T, Diagnostic> {
        if let Some(k) = all.iter().copied().find(|k| word(*k) == token.text) {
            return Ok(k);
        }
        let words: Vec<&str> = all.iter().map(|k| word(*k)).collect();
        Err(self
            .error(
                token.span.clone(),
                format!("unknown {what} \"{}\"", token.text),
            )
            .expected(format!("one of: {}", words.join(", ")))
            .did_you_mean(&suggest(&token.text, words.iter().copied())))
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

    pub(super) fn count(&self, token: &Token) -> Result<usize, Diagnostic> {
        token.text.parse::<usize>().map_err(|_| {
            self.error(
                token.span.clone(),
                format!("invalid number \"{}\"", token.text),
            )
            .expected("a whole number such as 0, 1 or 60")
        })
    }

    pub(super) fn stage(&self, token: &Token) -> Result<Stage, Diagnostic> {
        token.text.parse::<Stage>().map_err(|e| {
            self.error(
                token.span.clone(),
                format!("unknown stage \"{}\"", token.text),
            )
            .expected(format!("a stage: {}", e.expected.join(", ")))
            .did_you_mean(&e.suggestions)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{DenialKindName, Privilege};

    /// A script on the embedded roles and scenario, or its diagnostics as text.
    pub(in crate::qa::script::parse) fn parse(src: &str) -> Result<Script, Vec<String>> {
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
                kind: Some(DenialKindName::Privilege),
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
    fn keyword_errors_list_and_suggest_the_words_of_their_enums() {
        let e = parse("login agent \"Dana\"\ndial\nexpect denied stag\n").unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("unknown denial kind \"stag\""), "{}", e[0]);
        assert!(
            e[0].contains("a denial kind (privilege, stage, field, compliance)"),
            "{}",
            e[0]
        );
        assert!(e[0].contains("did you mean \"stage\""), "{}", e[0]);
        let e = parse("login agent \"Dana\"\nexpect alowed\n").unwrap_err();
        assert!(
            e[0].contains("allowed, denied, invalid, stage, queue, records or contact"),
            "{}",
            e[0]
        );
        let e = parse("\"login\"\n").unwrap_err();
        assert!(
            e[0].contains("a command: login, roles, ready, not-ready"),
            "{}",
            e[0]
        );
        assert!(e[0].contains("mark-done, done-and-get-next"), "{}", e[0]);
    }

    #[test]
    fn lookups_show_their_suggestions_once() {
        let e = parse("login agent \"Dnaa\"\noutcome Bussy\n").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        for (d, headline) in e
            .iter()
            .zip(["unknown agent \"Dnaa\"", "unknown call result \"Bussy\""])
        {
            assert!(d.contains(&format!("error: {headline}\n")), "{d}");
            assert_eq!(d.matches("did you mean").count(), 1, "{d}");
        }
    }
}
