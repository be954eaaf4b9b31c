//! Parsing a roles file: its shape, every privilege name checked (with "did you mean"), the
//! product version, inactive grants and look-alike names as warnings.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::{Agent, Loaded, Role, RoleBook};
use crate::input::names::{LookAlikes, look_alike_message, shown};
use crate::input::suggest;
use crate::input::{Collector, Diagnostic, LineIndex, Severity};
use crate::policy::{NameError, NameMatch, Privilege, PrivilegeSet};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    product_version: Option<Spanned<String>>,
    #[serde(default)]
    role: Vec<RawRole>,
    #[serde(default)]
    agent: Vec<RawAgent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    name: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    privileges: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgent {
    name: Spanned<String>,
    #[serde(default)]
    roles: Vec<Spanned<String>>,
}

const ROLE_SHAPE: &str = "an optional product_version, [[role]] tables with name, description \
                          and privileges, and [[agent]] tables with name and roles";

impl RoleBook {
    /// Parses roles-file text; `file` names it in diagnostics. Collects every error it can
    /// rather than stopping at the first.
    pub fn parse(file: &str, source: &str) -> Result<Loaded, Vec<Diagnostic>> {
        let raw: RawFile = toml::from_str(source)
            .map_err(|e| vec![crate::input::toml_error(file, source, &e).expected(ROLE_SHAPE)])?;
        let mut parser = Parser {
            file,
            lines: LineIndex::new(source),
            errors: Collector::new(file),
            notes: Collector::new(file),
            book: RoleBook::default(),
            role_index: HashMap::new(),
            look_alikes: HashMap::new(),
        };
        if let Some(v) = &raw.product_version {
            parser.product_version(v);
        }
        for raw_role in &raw.role {
            parser.role(raw_role);
        }
        let mut agent_names = HashSet::new();
        for raw_agent in &raw.agent {
            parser.agent(raw_agent, &mut agent_names);
        }
        if parser.errors.is_empty() {
            Ok(Loaded {
                book: parser.book,
                diagnostics: parser.notes.finish(),
            })
        } else {
            Err(parser.errors.finish())
        }
    }
}

/// Whether [`Privilege::from_name`] has an answer for `name` other than "unknown": an exact
/// name or id, the vendor's alias, or the ambiguous bare name.
pub(super) fn names_a_privilege(name: &str) -> bool {
    name == crate::policy::WCB_USE_ALIAS
        || name == crate::policy::AMBIGUOUS_BEFORE_CALL
        || crate::policy::CATALOGUE
            .iter()
            .any(|i| i.name == name || i.id == name)
}

/// The state of one parse of a roles file: what it has built so far and what it found wrong.
pub(super) struct Parser<'a> {
    pub(super) file: &'a str,
    pub(super) lines: LineIndex<'a>,
    pub(super) errors: Collector,
    /// Notes and warnings: the file still loads.
    pub(super) notes: Collector,
    pub(super) book: RoleBook,
    pub(super) role_index: HashMap<String, usize>,
    /// Role names and agent names seen so far, to warn about two that look the same.
    pub(super) look_alikes: HashMap<&'static str, LookAlikes>,
}

impl Parser<'_> {
    pub(super) fn at(&self, severity: Severity, message: String, span: Range<usize>) -> Diagnostic {
        Diagnostic::new(severity, self.file, message).at_indexed(&self.lines, span)
    }

    pub(super) fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// A warning when `name` looks like an earlier role's (or agent's) name without being it:
    /// the same letters composed differently, or an invisible character.
    fn look_alike(&mut self, what: &'static str, name: &str, span: Range<usize>) {
        if let Some(earlier) = self.look_alikes.entry(what).or_default().check(name) {
            let warning = self
                .at(
                    Severity::Warning,
                    look_alike_message(what, name, &earlier),
                    span,
                )
                .help("type both the same way, or rename one");
            self.notes.push(warning);
        }
    }

    fn role(&mut self, raw_role: &RawRole) {
        let name = raw_role.name.get_ref().trim().to_string();
        if name.is_empty() {
            let d = self.at(
                Severity::Error,
                "role name is empty".into(),
                raw_role.name.span(),
            );
            return self.error(d);
        }
        if self.role_index.contains_key(&name) {
            let d = self
                .at(
                    Severity::Error,
                    format!("duplicate role name \"{name}\""),
                    raw_role.name.span(),
                )
                .expected("each role name once");
            return self.error(d);
        }
        self.look_alike("role", &name, raw_role.name.span());
        let (granted, spans) = self.privileges(&name, &raw_role.privileges);
        self.inactive_warnings(&name, granted, &spans, raw_role.name.span());
        self.role_index.insert(name.clone(), self.book.roles.len());
        self.book.roles.push(Role {
            name,
            description: raw_role.description.trim().to_string(),
            granted,
        });
    }

    /// The privileges a role grants, with where each is first named.
    fn privileges(
        &mut self,
        role: &str,
        names: &[Spanned<String>],
    ) -> (PrivilegeSet, [Option<Range<usize>>; Privilege::COUNT]) {
        let mut granted = PrivilegeSet::EMPTY;
        let mut spans: [Option<Range<usize>>; Privilege::COUNT] = Default::default();
        for p in names {
            // Past the cap an unknown name is only counted: `from_name` would search the
            // catalogue for a "did you mean" nobody sees, for each of thousands of names.
            if !self.errors.has_room(Severity::Error) && !names_a_privilege(p.get_ref()) {
                self.errors.count_hidden(Severity::Error);
                continue;
            }
            match Privilege::from_name(p.get_ref()) {
                Ok(m) => {
                    if let NameMatch::Alias { privilege, alias } = m {
                        let note = self
                            .at(
                                Severity::Note,
                                format!(
                                    "\"{alias}\" is the vendor's alternative spelling of \"{}\"",
                                    privilege.name()
                                ),
                                p.span(),
                            )
                            .help(format!("write \"{}\"", privilege.name()));
                        self.notes.push(note);
                    }
                    if !m.privilege().exists_in(self.book.product_version) {
                        let d = self.not_in_version(m.privilege(), p.span());
                        self.error(d);
                        continue;
                    }
                    if granted.contains(m.privilege()) {
                        let warning = self.at(
                            Severity::Warning,
                            format!(
                                "role \"{role}\" grants \"{}\" more than once",
                                m.privilege().name()
                            ),
                            p.span(),
                        );
                        self.notes.push(warning);
                    }
                    granted.insert(m.privilege());
                    spans[m.privilege() as usize].get_or_insert(p.span());
                }
                Err(NameError::Unknown {
                    name: given,
                    suggestions,
                }) => {
                    let d = self
                        .at(
                            Severity::Error,
                            format!("unknown privilege \"{}\"", shown(&given)),
                            p.span(),
                        )
                        .expected(format!(
                            "one of the {} privilege names (`agentdesk help roles`)",
                            Privilege::COUNT
                        ))
                        .did_you_mean(&suggestions);
                    self.error(d);
                }
                Err(err @ NameError::Ambiguous { .. }) => {
                    let d = self
                        .at(Severity::Error, err.to_string(), p.span())
                        .expected("the prefixed name, which says which section is meant");
                    self.error(d);
                }
            }
        }
        (granted, spans)
    }

    /// A warning for each granted privilege that cannot take effect, naming what it waits on.
    fn inactive_warnings(
        &mut self,
        role: &str,
        granted: PrivilegeSet,
        spans: &[Option<Range<usize>>; Privilege::COUNT],
        role_span: Range<usize>,
    ) {
        let inactive = granted.minus(granted.effective());
        for p in inactive.iter() {
            let waits: Vec<String> = p
                .info()
                .depends_on
                .iter()
                .filter(|d| !granted.effective().contains(d.on))
                .map(|d| format!("\"{}\" ({} dependency)", d.on.name(), d.kind.as_str()))
                .collect();
            let warning = self.at(
                Severity::Warning,
                format!(
                    "role \"{role}\" grants \"{}\", but it is inactive: requires {}",
                    p.name(),
                    waits.join(" and ")
                ),
                spans[p as usize].clone().unwrap_or(role_span.clone()),
            );
            self.notes.push(warning);
        }
    }

    fn agent(&mut self, raw_agent: &RawAgent, seen: &mut HashSet<String>) {
        let name = raw_agent.name.get_ref().trim().to_string();
        if name.is_empty() {
            let d = self.at(
                Severity::Error,
                "agent name is empty".into(),
                raw_agent.name.span(),
            );
            return self.error(d);
        }
        if !seen.insert(name.clone()) {
            let d = self.at(
                Severity::Error,
                format!("duplicate agent name \"{name}\""),
                raw_agent.name.span(),
            );
            return self.error(d);
        }
        self.look_alike("agent", &name, raw_agent.name.span());
        let mut roles = Vec::new();
        for r in &raw_agent.roles {
            match self.role_index.get(r.get_ref().trim()) {
                Some(&i) => roles.push(i),
                // Past the cap the error is only counted: its "did you mean" would search
                // every role for a message nobody sees.
                None if !self.errors.has_room(Severity::Error) => {
                    self.errors.count_hidden(Severity::Error);
                }
                None => {
                    let suggestions = suggest(
                        r.get_ref(),
                        self.book.roles.iter().map(|role| role.name.as_str()),
                    );
                    let d = self
                        .at(
                            Severity::Error,
                            format!(
                                "agent \"{name}\" refers to unknown role \"{}\"",
                                shown(r.get_ref())
                            ),
                            r.span(),
                        )
                        .expected("the name of a [[role]] in this file")
                        .did_you_mean(&suggestions);
                    self.error(d);
                }
            }
        }
        if raw_agent.roles.is_empty() {
            let warning = self.at(
                Severity::Warning,
                format!("agent \"{name}\" has no roles, so every action is denied"),
                raw_agent.name.span(),
            );
            self.notes.push(warning);
        }
        self.book.agents.push(Agent { name, roles });
    }
}
