//! Roles and agents: the roles file (TOML) with its linter, and the embedded default roles.
//!
//! An agent's grant is the union of its roles' grants; whether a granted privilege takes effect
//! is the catalogue's business ([`PrivilegeSet::effective`]), not this module's.

use std::path::Path;

use crate::input::suggest;
use crate::input::{Diagnostic, read_text};
use crate::output::InputKind;
use crate::policy::{PrivilegeSet, ProductVersion};
use crate::world::UnknownName;

mod edit;
pub mod import;
mod parse;
mod save;
#[cfg(test)]
mod tests;
mod version;

pub use edit::{EditEffect, RoleEdit, RoleEditError, RoleNames, edits_between};
pub use save::{Expected, FileStamp, SaveError, save_atomic};

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
        crate::output::note_input(path, InputKind::Roles);
        let source = read_text(path).map_err(|d| vec![d])?;
        RoleBook::parse(&path.display().to_string(), &source)
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

fn toml_string(s: &str) -> String {
    // A TOML basic string has the same escaping rules as a JSON string for our purposes.
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default()))
}
