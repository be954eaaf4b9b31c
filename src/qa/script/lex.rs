//! The words of a script line: the tokenizer (quotes, comments, `#12` ids), the cursor the
//! parser reads a line with, durations and times, and the keywords that are not actions.

use std::ops::Range;

use chrono::Duration;

use super::ast::{MAX_SPAN, When, too_long};
use crate::engine::parse_time;

/// Keyword enums of the script format: each spelling is written once, and the lists shown in
/// "expected" and searched for "did you mean" are derived from it.
macro_rules! keywords {
    ($(#[$meta:meta])* $ty:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(super) enum $ty {
            $($variant),+
        }

        impl $ty {
            pub(super) const ALL: &'static [$ty] = &[$($ty::$variant),+];

            pub(super) fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $text),+
                }
            }

            pub(super) fn from_word(word: &str) -> Option<$ty> {
                $ty::ALL.iter().copied().find(|k| k.as_str() == word)
            }

            pub(super) fn words() -> impl Iterator<Item = &'static str> + Clone {
                $ty::ALL.iter().map(|k| k.as_str())
            }
        }
    };
}

keywords!(
    /// The words a line may start with besides the actions ([`crate::policy::Action`]).
    Verb {
        Login => "login",
        Roles => "roles",
        Ready => "ready",
        NotReady => "not-ready",
        Advance => "advance",
        Step => "step",
        Wait => "wait",
        Offer => "offer",
        Outcome => "outcome",
        Select => "select",
        Expect => "expect",
        Define => "define",
        Rename => "rename",
        Remove => "remove",
        Click => "click",
    }
);

keywords!(
    /// What a `define` line defines.
    DefineWhat {
        Role => "role",
        Description => "description",
        Agent => "agent",
        ProductVersion => "product-version",
        RoleOrder => "role-order",
    }
);

keywords!(
    /// What a `remove` line removes.
    RemoveWhat {
        Role => "role",
        Agent => "agent",
    }
);

keywords!(
    /// `login agent "Name"` or `login role "Role"`.
    LoginKind {
        Agent => "agent",
        Role => "role",
    }
);

keywords!(
    /// `wait offer` or `wait stage <stage>`.
    WaitFor {
        Offer => "offer",
        Stage => "stage",
    }
);

keywords!(
    /// The word after `expect`.
    ExpectWord {
        Allowed => "allowed",
        Denied => "denied",
        Invalid => "invalid",
        Stage => "stage",
        Queue => "queue",
        Records => "records",
        Contact => "contact",
    }
);

/// Every word a line may start with, for "expected" and "did you mean": the script's own verbs,
/// then the actions.
pub(super) fn commands() -> impl Iterator<Item = &'static str> + Clone {
    Verb::words().chain(crate::policy::Action::ALL.iter().map(|a| a.as_str()))
}

/// Whether `word` starts a script line (a verb or an action): a lesson tells its own lines
/// from the script's with it.
pub fn is_command(word: &str) -> bool {
    commands().any(|c| c == word)
}

/// Every word a script line may start with, for a lesson's "did you mean".
pub fn command_words() -> Vec<&'static str> {
    commands().collect()
}

/// `a, b or c`.
pub(super) fn one_of(words: impl Iterator<Item = &'static str>) -> String {
    let words: Vec<&str> = words.collect();
    match words.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// One word or quoted argument of a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub quoted: bool,
    /// Byte span in the whole source.
    pub span: Range<usize>,
}

/// Splits one line into tokens. `#` starts a comment unless a digit follows it (`select #12`).
pub fn tokenize(line: &str, base: usize) -> Result<Vec<Token>, (String, Range<usize>)> {
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

/// Parses a reschedule time: `YYYY-MM-DD HH:MM` or `+30m` / `+2h` / `+1d`.
pub fn parse_when(text: &str) -> Result<When, String> {
    match text.strip_prefix('+') {
        Some(rest) => parse_duration(rest).map(When::In),
        None => parse_time(text).map(When::At),
    }
}

/// The tokens of one line, consumed left to right.
pub(super) struct Cursor<'t> {
    pub(super) tokens: &'t [Token],
    pub(super) pos: usize,
    /// The span just past the last token, where "missing argument" errors point.
    pub(super) end: Range<usize>,
}

impl<'t> Cursor<'t> {
    pub(super) fn next(&mut self) -> Option<&'t Token> {
        let t = self.tokens.get(self.pos);
        self.pos += usize::from(t.is_some());
        t
    }

    pub(super) fn rest(&mut self) -> &'t [Token] {
        let rest = &self.tokens[self.pos.min(self.tokens.len())..];
        self.pos = self.tokens.len();
        rest
    }
}

/// The text of several tokens joined by single spaces, and their combined span.
pub(super) fn joined(tokens: &[Token]) -> Option<(String, Range<usize>)> {
    let first = tokens.first()?;
    let last = tokens.last()?;
    let text = tokens
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Some((text, first.span.start..last.span.end))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn command_words_are_the_verbs_then_the_actions() {
        let words: Vec<&str> = commands().collect();
        assert_eq!(
            words.len(),
            Verb::ALL.len() + crate::policy::Action::ALL.len()
        );
        assert_eq!(&words[..3], ["login", "roles", "ready"]);
        assert!(words.contains(&"done-and-get-next"));
        assert_eq!(
            one_of(ExpectWord::words()),
            "allowed, denied, invalid, stage, queue, records or contact"
        );
        assert_eq!(Verb::from_word("not-ready"), Some(Verb::NotReady));
        assert_eq!(Verb::from_word("dial"), None);
    }
}
