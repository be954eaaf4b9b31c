//! Roles and agents: the roles file (TOML) with its linter, and the embedded default roles.
//!
//! An agent's grant is the union of its roles' grants; whether a granted privilege takes effect
//! is the catalogue's business ([`PrivilegeSet::effective`]), not this module's.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::input::suggest;
use crate::input::{Diagnostic, LineIndex, Severity, read_text};
use crate::policy::{NameError, NameMatch, Privilege, PrivilegeSet, ProductVersion};
use crate::world::UnknownName;

mod edit;
mod version;

pub use edit::{EditEffect, RoleEdit, RoleEditError, edits_between};

/// The default roles, compiled into the binary.
pub const DEFAULT_ROLES_TOML: &str = include_str!("../../assets/roles.toml");
pub const DEFAULT_ROLES_NAME: &str = "<embedded assets/roles.toml>";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    pub description: String,
    pub granted: PrivilegeSet,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agent {
    pub name: String,
    /// Indexes into [`RoleBook::roles`].
    pub roles: Vec<usize>,
}

/// Every role and agent of one roles file, in file order, and the product version it
/// configures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoleBook {
    pub roles: Vec<Role>,
    pub agents: Vec<Agent>,
    /// The file's `product_version` (the newest modelled one when it names none).
    pub product_version: ProductVersion,
}

/// A roles file that loaded, with the warnings and notes the linter had about it.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub book: RoleBook,
    pub diagnostics: Vec<Diagnostic>,
}

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
    /// The embedded default roles. They are checked by the test suite, so this cannot fail.
    pub fn embedded_default() -> RoleBook {
        match RoleBook::parse(DEFAULT_ROLES_NAME, DEFAULT_ROLES_TOML) {
            Ok(loaded) => loaded.book,
            Err(errors) => panic!(
                "embedded roles file is broken (a build defect, not user input): {}",
                errors[0]
            ),
        }
    }

    /// Reads and parses a roles file from disk.
    pub fn load(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
        let source = read_text(path).map_err(|d| vec![d])?;
        RoleBook::parse(&path.display().to_string(), &source)
    }

    /// Parses roles-file text; `file` names it in diagnostics. Collects every error it can
    /// rather than stopping at the first.
    pub fn parse(file: &str, source: &str) -> Result<Loaded, Vec<Diagnostic>> {
        let raw: RawFile = toml::from_str(source).map_err(|e| {
            let mut d =
                Diagnostic::error(file, e.message().trim_end().to_string()).expected(ROLE_SHAPE);
            if let Some(span) = e.span() {
                d = d.at(source, span);
            }
            vec![d]
        })?;
        let mut parser = Parser {
            file,
            lines: LineIndex::new(source),
            errors: Vec::new(),
            notes: Vec::new(),
            book: RoleBook::default(),
            role_index: HashMap::new(),
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
                diagnostics: parser.notes,
            })
        } else {
            Err(parser.errors)
        }
    }

    pub fn role_index(&self, name: &str) -> Option<usize> {
        self.roles.iter().position(|r| r.name == name)
    }

    pub fn agent_index(&self, name: &str) -> Option<usize> {
        self.agents.iter().position(|a| a.name == name)
    }

    /// Finds a role by name, or says which names are close.
    pub fn find_role(&self, name: &str) -> Result<usize, UnknownName> {
        self.role_index(name).ok_or_else(|| {
            let s = suggest(name, self.roles.iter().map(|r| r.name.as_str()));
            UnknownName::new("role", name, s)
        })
    }

    /// Finds an agent by name, or says which names are close.
    pub fn find_agent(&self, name: &str) -> Result<usize, UnknownName> {
        self.agent_index(name).ok_or_else(|| {
            let s = suggest(name, self.agents.iter().map(|a| a.name.as_str()));
            UnknownName::new("agent", name, s)
        })
    }

    /// The union of the grants of the given roles.
    pub fn grant_of(&self, roles: &[usize]) -> PrivilegeSet {
        roles
            .iter()
            .filter_map(|&i| self.roles.get(i))
            .fold(PrivilegeSet::EMPTY, |acc, r| acc.union(r.granted))
    }

    /// The product version the file configures: which privileges and actions exist.
    pub fn product_version(&self) -> ProductVersion {
        self.product_version
    }

    /// Writes the book back as a roles file (canonical names, file order). The product version
    /// is always written, so a saved file keeps meaning the same when newer versions are
    /// modelled.
    pub fn to_toml(&self) -> String {
        let mut out = format!(
            "product_version = {}\n\n",
            toml_string(&self.product_version.to_string())
        );
        for role in &self.roles {
            out.push_str("[[role]]\n");
            out.push_str(&format!("name = {}\n", toml_string(&role.name)));
            if !role.description.is_empty() {
                out.push_str(&format!(
                    "description = {}\n",
                    toml_string(&role.description)
                ));
            }
            out.push_str("privileges = [");
            let names: Vec<String> = role.granted.iter().map(|p| toml_string(p.name())).collect();
            if !names.is_empty() {
                out.push_str("\n    ");
                out.push_str(&names.join(",\n    "));
                out.push_str(",\n");
            }
            out.push_str("]\n\n");
        }
        for agent in &self.agents {
            out.push_str("[[agent]]\n");
            out.push_str(&format!("name = {}\n", toml_string(&agent.name)));
            let names: Vec<String> = agent
                .roles
                .iter()
                .filter_map(|&i| self.roles.get(i))
                .map(|r| toml_string(&r.name))
                .collect();
            out.push_str(&format!("roles = [{}]\n\n", names.join(", ")));
        }
        out
    }
}

/// What a file held when the editor opened or last saved it: its length and a content hash.
/// Content, not mtime, because a touch that changes nothing is no conflict, and because mtime
/// resolution on some filesystems is too coarse to see two writes in one second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    hash: u64,
}

impl FileStamp {
    pub fn of_bytes(bytes: &[u8]) -> FileStamp {
        // FNV-1a: stable across Rust versions and runs, unlike `DefaultHasher`.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        FileStamp {
            len: bytes.len() as u64,
            hash,
        }
    }

    /// The stamp of the file at `path` now, or `None` when there is no file.
    pub fn of_file(path: &Path) -> std::io::Result<Option<FileStamp>> {
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(FileStamp::of_bytes(&bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// What a save expects to find at its target, so that it never overwrites a change it has not
/// seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// No file yet (a new roles file); a file that exists there is someone else's.
    NoFile,
    /// The file exactly as it was opened or last saved.
    Unchanged(FileStamp),
    /// Whatever is there: the user confirmed overwriting it.
    Anything,
}

/// Why a save did not happen. In every case the file on disk is as it was before.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{} changed on disk since it was opened or last saved; not overwritten", .path.display())]
    Changed { path: std::path::PathBuf },
    #[error("{} was deleted or moved since it was opened; not saved", .path.display())]
    Vanished { path: std::path::PathBuf },
    #[error("{} already exists and was not opened here; not overwritten", .path.display())]
    Exists { path: std::path::PathBuf },
    #[error("cannot {what} {}: {source}", .path.display())]
    Io {
        what: &'static str,
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

impl SaveError {
    /// A conflict the user may override ("Overwrite anyway"), as opposed to an I/O failure.
    pub fn is_conflict(&self) -> bool {
        !matches!(self, SaveError::Io { .. })
    }
}

impl RoleBook {
    /// [`RoleBook::load`], plus the stamp of exactly the text that was parsed, for a later
    /// [`save_atomic`] to detect changes made on disk in between.
    pub fn load_stamped(path: &Path) -> Result<(Loaded, FileStamp), Vec<Diagnostic>> {
        let source = read_text(path).map_err(|d| vec![d])?;
        let stamp = FileStamp::of_bytes(source.as_bytes());
        RoleBook::parse(&path.display().to_string(), &source).map(|loaded| (loaded, stamp))
    }
}

/// Writes `book` to `path` as a roles file, atomically (through [`crate::output`]: a temporary
/// file in the same directory, flushed and renamed over the target), so a reader or a crash
/// sees the old file or the new one, never half of one. Refuses when the target is not what
/// `expected` says. Returns the stamp of what was written.
pub fn save_atomic(
    path: &Path,
    book: &RoleBook,
    expected: Expected,
) -> Result<FileStamp, SaveError> {
    let text = book.to_toml();
    write_checked(path, text.as_bytes(), expected, |file, bytes| {
        std::io::Write::write_all(file, bytes)
    })
}

/// The body of [`save_atomic`], with the write step passed in so tests can make it fail
/// half-way and check that nothing is lost.
fn write_checked(
    path: &Path,
    bytes: &[u8],
    expected: Expected,
    write: impl FnOnce(&mut std::fs::File, &[u8]) -> std::io::Result<()>,
) -> Result<FileStamp, SaveError> {
    // Through a symlink, replace the file it points to, not the link itself.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).map_err(|source| SaveError::Io {
                what: "resolve the link",
                path: path.to_path_buf(),
                source,
            })?
        }
        _ => path.to_path_buf(),
    };
    check_expected(&target, path, expected)?;
    let mut conflict = None;
    crate::output::write_atomic_with(&target, |file| {
        write(file, bytes)?;
        // Check again just before the rename, to narrow the window for a concurrent edit.
        check_expected(&target, path, expected).map_err(|c| {
            conflict = Some(c);
            std::io::Error::other("the file changed while saving")
        })
    })
    .map_err(|source| {
        conflict.take().unwrap_or_else(|| SaveError::Io {
            what: "write",
            path: path.to_path_buf(),
            source,
        })
    })?;
    Ok(FileStamp::of_bytes(bytes))
}

fn check_expected(target: &Path, shown: &Path, expected: Expected) -> Result<(), SaveError> {
    let now = FileStamp::of_file(target).map_err(|source| SaveError::Io {
        what: "read",
        path: shown.to_path_buf(),
        source,
    })?;
    let path = shown.to_path_buf();
    match (expected, now) {
        (Expected::Anything, _) | (Expected::NoFile, None) => Ok(()),
        (Expected::NoFile, Some(_)) => Err(SaveError::Exists { path }),
        (Expected::Unchanged(_), None) => Err(SaveError::Vanished { path }),
        (Expected::Unchanged(was), Some(is)) if was == is => Ok(()),
        (Expected::Unchanged(_), Some(_)) => Err(SaveError::Changed { path }),
    }
}

fn toml_string(s: &str) -> String {
    // A TOML basic string has the same escaping rules as a JSON string for our purposes.
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}

/// The state of one parse of a roles file: what it has built so far and what it found wrong.
struct Parser<'a> {
    file: &'a str,
    lines: LineIndex<'a>,
    errors: Vec<Diagnostic>,
    /// Notes and warnings: the file still loads.
    notes: Vec<Diagnostic>,
    book: RoleBook,
    role_index: HashMap<String, usize>,
}

impl Parser<'_> {
    fn at(&self, severity: Severity, message: String, span: Range<usize>) -> Diagnostic {
        Diagnostic::new(severity, self.file, message).at_indexed(&self.lines, span)
    }

    fn error(&mut self, d: Diagnostic) {
        self.errors.push(d);
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
                            format!("unknown privilege \"{given}\""),
                            p.span(),
                        )
                        .expected(format!(
                            "one of the {} privilege names (see README, Roles file)",
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
        let mut roles = Vec::new();
        for r in &raw_agent.roles {
            match self.role_index.get(r.get_ref().trim()) {
                Some(&i) => roles.push(i),
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
                                r.get_ref()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(src: &str) -> Vec<String> {
        RoleBook::parse("t.toml", src)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn embedded_default_loads_and_covers_the_required_roles() {
        let loaded = RoleBook::parse(DEFAULT_ROLES_NAME, DEFAULT_ROLES_TOML).unwrap();
        let book = &loaded.book;
        assert!(book.roles.iter().any(|r| r.granted == PrivilegeSet::ALL));
        let trainee = &book.roles[book.find_role("Trainee").unwrap()];
        assert_eq!(
            trainee.granted,
            PrivilegeSet::of(&[Privilege::WcbUse, Privilege::ObUse])
        );
        // Every documented edge is shown unmet by some role: granted dependent, missing target.
        for info in crate::policy::CATALOGUE.iter() {
            for dep in info.depends_on {
                if dep.kind == crate::policy::EdgeKind::Documented {
                    assert!(
                        book.roles
                            .iter()
                            .any(|r| r.granted.contains(info.privilege)
                                && !r.granted.contains(dep.on)),
                        "no role shows {} without {}",
                        info.name,
                        dep.on.name()
                    );
                }
            }
        }
        assert!(!book.agents.is_empty());
    }

    #[test]
    fn typo_in_privilege_gets_position_and_did_you_mean() {
        let e = errors(
            "[[role]]\nname = \"A\"\nprivileges = [\"Outbound - Can Use\", \"Outbound - Can Rejct Record\"]\n",
        );
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("t.toml:3:37: error: unknown privilege"),
            "{}",
            e[0]
        );
        assert!(
            e[0].contains("did you mean \"Outbound - Can Reject Record\""),
            "{}",
            e[0]
        );
    }

    #[test]
    fn ambiguous_bare_before_call_is_an_error_naming_both() {
        let e = errors("[[role]]\nname = \"A\"\nprivileges = [\"Can Reschedule Before Call\"]\n");
        assert!(e[0].contains("t.toml:3:15"), "{}", e[0]);
        assert!(e[0].contains("Web Callback - Can Reschedule Before Call"));
        assert!(e[0].contains("Outbound - Can Reschedule Before Call"));
    }

    #[test]
    fn alias_loads_with_a_note() {
        let loaded = RoleBook::parse(
            "t.toml",
            "[[role]]\nname = \"A\"\nprivileges = [\"Web Callback - Can Use Web Callback Channel\"]\n",
        )
        .unwrap();
        assert_eq!(
            loaded.book.roles[0].granted,
            PrivilegeSet::of(&[Privilege::WcbUse])
        );
        assert_eq!(loaded.diagnostics.len(), 1);
        assert_eq!(loaded.diagnostics[0].severity, Severity::Note);
    }

    #[test]
    fn wrong_type_unknown_key_and_empty_file() {
        let e = errors("[[role]]\nname = 42\n");
        assert!(e[0].starts_with("t.toml:2:8: error:"), "{}", e[0]);
        let e = errors("[[role]]\nname = \"A\"\npriviliges = []\n");
        assert!(
            e[0].starts_with("t.toml:3:1: error: unknown field `priviliges`"),
            "{}",
            e[0]
        );
        let loaded = RoleBook::parse("t.toml", "").unwrap();
        assert!(loaded.book.roles.is_empty());
        let e = errors("[[role]\n");
        assert!(e[0].starts_with("t.toml:1:"), "{}", e[0]);
    }

    #[test]
    fn duplicates_and_unknown_role_references_are_errors() {
        let e = errors(
            "[[role]]\nname = \"A\"\n[[role]]\nname = \"A\"\n[[agent]]\nname = \"Z\"\nroles = [\"a\", \"B\"]\n",
        );
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].contains("t.toml:4:8") && e[0].contains("duplicate role name"));
        assert!(e[1].contains("unknown role \"a\"") && e[1].contains("did you mean \"A\""));
    }

    #[test]
    fn ineffective_grant_is_a_warning_not_an_error() {
        let loaded = RoleBook::parse(
            "t.toml",
            "[[role]]\nname = \"A\"\nprivileges = [\"Outbound - Can Reschedule Before Call\"]\n",
        )
        .unwrap();
        let warnings: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .message
                .contains("inactive: requires \"Outbound - Can Reschedule\"")
        );
    }

    fn temp_dir() -> tempfile::TempDir {
        tempfile::tempdir().expect("temporary directory")
    }

    fn small_book() -> RoleBook {
        RoleBook::parse(
            "t",
            "[[role]]\nname = \"A\"\nprivileges = [\"Outbound - Can Use\"]\n",
        )
        .unwrap()
        .book
    }

    #[test]
    fn a_normal_save_round_trips_through_load() {
        let dir = temp_dir();
        let path = dir.path().join("roles.toml");
        let book = RoleBook::embedded_default();
        let stamp = save_atomic(&path, &book, Expected::NoFile).unwrap();
        let (loaded, again) = RoleBook::load_stamped(&path).unwrap();
        assert_eq!(loaded.book, book);
        assert_eq!(stamp, again);
        assert_eq!(RoleBook::load(&path).unwrap().book, book);
        // Saving again over its own stamp is fine, and leaves no temporary file behind.
        save_atomic(&path, &small_book(), Expected::Unchanged(stamp)).unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("roles.toml")]);
    }

    #[test]
    fn a_file_changed_on_disk_since_opening_is_refused_and_kept() {
        let dir = temp_dir();
        let path = dir.path().join("roles.toml");
        std::fs::write(&path, small_book().to_toml()).unwrap();
        let (_, stamp) = RoleBook::load_stamped(&path).unwrap();
        let theirs = "# edited by someone else\n".to_string() + &small_book().to_toml();
        std::fs::write(&path, &theirs).unwrap();
        let err = save_atomic(
            &path,
            &RoleBook::embedded_default(),
            Expected::Unchanged(stamp),
        )
        .unwrap_err();
        assert!(err.is_conflict());
        assert!(
            err.to_string()
                .contains("changed on disk since it was opened"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
        // A new file's path where a file already exists is refused too.
        let err = save_atomic(&path, &small_book(), Expected::NoFile).unwrap_err();
        assert!(matches!(err, SaveError::Exists { .. }), "{err}");
        // A deleted file is not silently recreated either.
        let gone = dir.path().join("gone.toml");
        let err = save_atomic(&gone, &small_book(), Expected::Unchanged(stamp)).unwrap_err();
        assert!(matches!(err, SaveError::Vanished { .. }), "{err}");
        assert!(!gone.exists());
        // Once the user confirms, it is overwritten.
        save_atomic(&path, &small_book(), Expected::Anything).unwrap();
        assert_eq!(RoleBook::load(&path).unwrap().book, small_book());
    }

    #[test]
    fn a_failed_write_leaves_the_original_intact() {
        let dir = temp_dir();
        let path = dir.path().join("roles.toml");
        let original = small_book().to_toml();
        std::fs::write(&path, &original).unwrap();
        let stamp = FileStamp::of_file(&path).unwrap().unwrap();
        // The disk fills up half-way through the new text.
        let err = write_checked(
            &path,
            RoleBook::embedded_default().to_toml().as_bytes(),
            Expected::Unchanged(stamp),
            |file, bytes| {
                std::io::Write::write_all(file, &bytes[..bytes.len() / 2])?;
                Err(std::io::Error::other("no space left on device"))
            },
        )
        .unwrap_err();
        assert!(!err.is_conflict());
        assert!(err.to_string().contains("no space left"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp removed"
        );
    }

    #[test]
    fn a_temporary_file_that_cannot_be_created_is_an_io_error() {
        let dir = temp_dir();
        let missing = dir.path().join("no such dir").join("roles.toml");
        let err = save_atomic(&missing, &small_book(), Expected::NoFile).unwrap_err();
        assert!(!err.is_conflict());
        assert!(err.to_string().starts_with("cannot "), "{err}");
        // A parent that is a regular file, not a directory.
        let file = dir.path().join("plain");
        std::fs::write(&file, "keep me").unwrap();
        let err =
            save_atomic(&file.join("roles.toml"), &small_book(), Expected::Anything).unwrap_err();
        assert!(!err.is_conflict(), "{err}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    }

    #[cfg(unix)]
    #[test]
    fn saving_through_a_symlink_replaces_the_file_it_points_to() {
        let dir = temp_dir();
        let real = dir.path().join("real.toml");
        std::fs::write(&real, small_book().to_toml()).unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let stamp = FileStamp::of_file(&link).unwrap().unwrap();
        save_atomic(
            &link,
            &RoleBook::embedded_default(),
            Expected::Unchanged(stamp),
        )
        .unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            RoleBook::load(&real).unwrap().book,
            RoleBook::embedded_default()
        );
    }

    #[test]
    fn to_toml_round_trips() {
        let book = RoleBook::embedded_default();
        let again = RoleBook::parse("again", &book.to_toml()).unwrap().book;
        assert_eq!(book, again);
    }
}
