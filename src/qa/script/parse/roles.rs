//! Parsing the lines a recording writes for what happens outside the actions' own arguments:
//! role-book edits (`define`, `rename`, `remove`) and `click`, an action attempted without its
//! arguments (a click on a disabled button).
//!
//! A role-book edit is applied to the parser's copy of the book as soon as it parses, so the
//! lines after it name roles and agents as the edited book has them.

use super::{LineResult, Parser};
use crate::input::{Diagnostic, suggest};
use crate::policy::{Action, PrivilegeSet, ProductVersion};
use crate::qa::script::ast::{ArgSpec, ScriptAction, ScriptCommand};
use crate::qa::script::lex::{Cursor, DefineWhat, RemoveWhat, Verb, one_of};
use crate::world::roles::{RoleEdit, RoleEditError, RoleNames};

impl Parser<'_> {
    /// `define ...`, `rename role ...` or `remove ...`.
    pub(super) fn role_edit(&mut self, verb: Verb, cur: &mut Cursor) -> LineResult {
        let start = cur.end.clone();
        let edit = match verb {
            Verb::Define => self.define(cur)?,
            Verb::Rename => {
                self.word(cur, "role", "`role \"Old name\" \"New name\"`")?;
                let from = self.quoted(cur, "the role's quoted name")?;
                let to = self.quoted(cur, "the role's new quoted name")?;
                RoleEdit::Rename { from, to }
            }
            _ => self.remove(cur)?,
        };
        let line = cur
            .tokens
            .first()
            .map_or(start, |t| t.span.start..cur.end.end);
        if let Some(extra) = cur.rest().first() {
            return Err(self
                .error(extra.span.clone(), "unexpected argument")
                .expected("the end of the line (quote arguments that contain spaces)"));
        }
        let book = self.book.to_mut();
        let names = self.role_names.get_or_insert_with(|| RoleNames::of(book));
        match book.apply_edit_indexed(&edit, names) {
            Ok(_) => Ok(ScriptCommand::EditRoles(edit)),
            Err(e) => Err(self.edit_error(line, e)),
        }
    }

    fn define(&mut self, cur: &mut Cursor) -> Result<RoleEdit, Diagnostic> {
        let shape = one_of(DefineWhat::words());
        let Some(what) = cur.next() else {
            return Err(self.missing(cur, &shape));
        };
        let Some(word) = DefineWhat::from_word(&what.text).filter(|_| !what.quoted) else {
            return Err(self
                .error(
                    what.span.clone(),
                    format!("cannot define \"{}\"", what.text),
                )
                .expected(shape)
                .did_you_mean(&suggest(&what.text, DefineWhat::words())));
        };
        Ok(match word {
            DefineWhat::Role => {
                let role = self.quoted(cur, "the role's quoted name")?;
                let mut privileges = PrivilegeSet::EMPTY;
                for t in cur.rest() {
                    privileges.insert(self.privilege(t)?);
                }
                RoleEdit::Grant { role, privileges }
            }
            DefineWhat::Description => RoleEdit::Describe {
                role: self.quoted(cur, "the role's quoted name")?,
                text: self.quoted(cur, "the quoted description")?,
            },
            DefineWhat::Agent => RoleEdit::Assign {
                agent: self.quoted(cur, "the agent's quoted name")?,
                roles: cur.rest().iter().map(|t| t.text.clone()).collect(),
            },
            DefineWhat::RoleOrder => {
                RoleEdit::Order(cur.rest().iter().map(|t| t.text.clone()).collect())
            }
            DefineWhat::ProductVersion => {
                let Some(t) = cur.next() else {
                    return Err(self.missing(cur, "a product version such as 8.5.115.17"));
                };
                let v = ProductVersion::parse(&t.text).map_err(|e| {
                    self.error(t.span.clone(), e.to_string()).expected(format!(
                        "a dotted product version such as {}",
                        ProductVersion::NEWEST
                    ))
                })?;
                RoleEdit::Version(v)
            }
        })
    }

    fn remove(&mut self, cur: &mut Cursor) -> Result<RoleEdit, Diagnostic> {
        let shape = one_of(RemoveWhat::words());
        let Some(what) = cur.next() else {
            return Err(self.missing(cur, &shape));
        };
        match RemoveWhat::from_word(&what.text).filter(|_| !what.quoted) {
            Some(RemoveWhat::Role) => Ok(RoleEdit::Remove {
                role: self.quoted(cur, "the role's quoted name")?,
            }),
            Some(RemoveWhat::Agent) => Ok(RoleEdit::RemoveAgent {
                agent: self.quoted(cur, "the agent's quoted name")?,
            }),
            None => Err(self
                .error(
                    what.span.clone(),
                    format!("cannot remove \"{}\"", what.text),
                )
                .expected(shape)
                .did_you_mean(&suggest(&what.text, RemoveWhat::words()))),
        }
    }

    /// `click <action> ["Campaign"]`: the action without its arguments.
    pub(super) fn click(&mut self, cur: &mut Cursor) -> LineResult {
        let Some(word) = cur.next() else {
            return Err(self.missing(cur, "an action, e.g. `click reschedule`"));
        };
        let action = word.text.parse::<Action>().map_err(|_| {
            self.error(
                word.span.clone(),
                format!("unknown action \"{}\"", word.text),
            )
            .expected("an action: accept, decline, get-record, dial, ...")
            .did_you_mean(&suggest(&word.text, Action::ALL.iter().map(|a| a.as_str())))
        })?;
        let mut campaign = None;
        if action.acts_on_campaign()
            && let Some(t) = cur.next()
        {
            campaign = Some(self.campaign(t, None)?);
        }
        self.done(
            cur,
            ScriptCommand::Act(ScriptAction {
                action,
                campaign,
                args: ArgSpec::None,
            }),
        )
    }

    /// The next token, which must be the keyword `word`.
    fn word(&self, cur: &mut Cursor, word: &str, shape: &str) -> Result<(), Diagnostic> {
        match cur.next() {
            Some(t) if t.text == word && !t.quoted => Ok(()),
            Some(t) => Err(self
                .error(t.span.clone(), format!("unexpected \"{}\"", t.text))
                .expected(shape.to_string())),
            None => Err(self.missing(cur, shape)),
        }
    }

    fn quoted(&self, cur: &mut Cursor, what: &str) -> Result<String, Diagnostic> {
        match cur.next() {
            Some(t) => Ok(t.text.clone()),
            None => Err(self.missing(cur, what)),
        }
    }

    fn edit_error(&self, span: std::ops::Range<usize>, e: RoleEditError) -> Diagnostic {
        match e {
            RoleEditError::Unknown(u) => {
                let suggestions = u.suggested();
                self.error(span, u.headline())
                    .expected(format!(
                        "the name of a{} {} of the roles as edited so far",
                        if u.what == "agent" { "n" } else { "" },
                        u.what
                    ))
                    .did_you_mean(&suggestions)
            }
            other => self.error(span, other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::qa::script::ScriptCommand;
    use crate::qa::script::parse::tests::parse;
    use crate::world::roles::{RoleBook, RoleEdit};

    #[test]
    fn later_lines_see_the_edited_book() {
        let s = parse(
            "rename role \"Trainee\" \"Trainee (week 1)\"\n\
             define role \"Trainee (week 1)\" \"Outbound - Can Use\" \"Outbound - Can Reschedule\"\n\
             define role \"Night shift\"\n\
             define agent \"Tom\" \"Trainee (week 1)\" \"Night shift\"\n\
             login agent \"Tom\"\nroles none\nroles \"Night shift\"\nclick reschedule\n\
             expect denied privilege\nremove role \"Supervisor\"\n",
        )
        .unwrap();
        let ScriptCommand::Login { roles, .. } = &s.steps[4].command else {
            panic!("{:?}", s.steps[4]);
        };
        let book = RoleBook::embedded_default();
        assert_eq!(roles, &vec![4, book.roles.len()]);
        assert_eq!(s.steps[5].command, ScriptCommand::Roles(Vec::new()));
        assert!(matches!(
            &s.steps[9].command,
            ScriptCommand::EditRoles(RoleEdit::Remove { role }) if role == "Supervisor"
        ));
    }

    #[test]
    fn edit_errors_point_at_the_line_and_suggest() {
        let e = parse("rename role \"Traine\" \"X\"\nremove role \"Trainee\"\nroles \"Trainee\"\n")
            .unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].starts_with("t.script:1:1: error: unknown role \"Traine\""),
            "{}",
            e[0]
        );
        assert!(e[0].contains("did you mean \"Trainee\""), "{}", e[0]);
        assert!(
            e[1].starts_with("t.script:3:7: error: unknown role \"Trainee\""),
            "{}",
            e[1]
        );
        let e = parse("define product-version 8.1.401.05\ndefine role \"X\" \"Outbound - Can Dial On New Number\"\n")
            .unwrap_err();
        assert!(e[0].contains("came with 8.5.115.17"), "{}", e[0]);
        let e = parse("define rol \"X\"\nclick dail\n").unwrap_err();
        assert!(e[0].contains("did you mean \"role\""), "{}", e[0]);
        assert!(e[1].contains("did you mean \"dial\""), "{}", e[1]);
    }
}
