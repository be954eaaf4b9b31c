//! Parsing `expect` lines: the outcome of the last action, a stage, a queue or chain length,
//! the current contact.

use super::{LineResult, Parser};
use crate::input::suggest;
use crate::input::{Diagnostic, Severity};
use crate::policy::{DenialKindName, NameError, NameMatch, Privilege};
use crate::qa::script::ast::{Expectation, ScriptCommand};
use crate::qa::script::lex::{Cursor, ExpectWord, Token, one_of};

impl Parser<'_> {
    pub(super) fn expect(&mut self, cur: &mut Cursor) -> LineResult {
        let shape = one_of(ExpectWord::words());
        let Some(what) = cur.next() else {
            return Err(self.missing(cur, &shape));
        };
        let Some(word) = ExpectWord::from_word(&what.text) else {
            return Err(self
                .error(
                    what.span.clone(),
                    format!("unknown expectation \"{}\"", what.text),
                )
                .expected(shape)
                .did_you_mean(&suggest(&what.text, ExpectWord::words())));
        };
        let expectation = match word {
            ExpectWord::Allowed => Expectation::Allowed,
            ExpectWord::Invalid => Expectation::Invalid,
            ExpectWord::Denied => return self.denied(cur),
            ExpectWord::Stage => {
                let Some(s) = cur.next() else {
                    return Err(self.missing(cur, "a stage"));
                };
                Expectation::Stage(self.stage(s)?)
            }
            ExpectWord::Queue => {
                let Some(n) = cur.next() else {
                    return Err(self.missing(cur, "a number of records"));
                };
                let records = self.count(n)?;
                let campaign = match cur.next() {
                    Some(t) => Some(self.campaign(t, None)?),
                    None => None,
                };
                Expectation::Queue { campaign, records }
            }
            ExpectWord::Records => {
                let Some(n) = cur.next() else {
                    return Err(self.missing(cur, "a number of records"));
                };
                Expectation::Records(self.count(n)?)
            }
            ExpectWord::Contact => {
                let Some(name) = cur.next() else {
                    return Err(self.missing(cur, "a quoted contact name"));
                };
                Expectation::Contact(name.text.clone())
            }
        };
        self.done(cur, ScriptCommand::Expect(expectation))
    }

    /// `expect denied [kind] ["Privilege name" ...]`, in any order.
    fn denied(&mut self, cur: &mut Cursor) -> LineResult {
        let mut kind = None;
        let mut privileges = Vec::new();
        for t in cur.rest() {
            if t.quoted {
                privileges.push(self.privilege(t)?);
                continue;
            }
            match t.text.parse::<DenialKindName>() {
                Ok(k) if kind.is_none() => kind = Some(k),
                Ok(_) => {
                    return Err(self
                        .error(t.span.clone(), "a second denial kind")
                        .expected("at most one denial kind"));
                }
                Err(e) => {
                    return Err(self
                        .error(
                            t.span.clone(),
                            format!("unknown denial kind \"{}\"", t.text),
                        )
                        .expected(format!(
                            "a denial kind ({}) or a quoted privilege name",
                            e.expected.join(", ")
                        ))
                        .did_you_mean(&e.suggestions));
                }
            }
        }
        Ok(ScriptCommand::Expect(Expectation::Denied {
            kind,
            privileges,
        }))
    }

    /// A quoted privilege name; the vendor's alternative spelling is accepted with a note.
    pub(super) fn privilege(&mut self, t: &Token) -> Result<Privilege, Diagnostic> {
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
                Ok(m.privilege())
            }
            Err(NameError::Unknown { name, suggestions }) => Err(self
                .error(t.span.clone(), format!("unknown privilege \"{name}\""))
                .expected(format!(
                    "one of the {} exact privilege names",
                    Privilege::COUNT
                ))
                .did_you_mean(&suggestions)),
            Err(e @ NameError::Ambiguous { .. }) => Err(self
                .error(t.span.clone(), e.to_string())
                .expected("the prefixed name, which says which section is meant")),
        }
    }
}
