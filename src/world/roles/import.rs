//! Reading a real deployment's privileges (`agentdesk roles import`): the boolean
//! `privilege.*` options of a role's `interaction-workspace` section, from an INI-style option
//! list or a configuration export in JSON, turned into roles with the vendor's privilege names.
//!
//! Only option names a vendor page names are mapped ([`OPTION_MAP`], with the page for each);
//! every other key is a warning naming it and its `file:line`, never dropped silently. The
//! mapping table and its sources are in `docs/roles-import.md`.

use std::ops::Range;
use std::path::Path;

use super::{Role, RoleBook};
use crate::input::{Collector, Diagnostic, LineIndex, Severity, read_text};
use crate::policy::{Privilege, PrivilegeSet, ProductVersion};

/// The section of a role's (or an agent's) annex that holds Workspace's options.
pub const SECTION: &str = "interaction-workspace";

/// Where an option name was read.
const WWE_OUTBOUND: &str = "Workspace Web Edition 8.5.2 Deployment Guide, Outbound campaign \
                            interactions (Outbound privileges list)";
const WWE_NAMING: &str =
    "agentdesk's decision, following Workspace Web Edition's privilege.<area>.<name> naming";

/// One option we map: its key, the privilege it grants when `true`, and the vendor page that
/// names it.
#[derive(Clone, Copy, Debug)]
pub struct OptionKey {
    pub key: &'static str,
    pub privilege: Privilege,
    pub source: &'static str,
}

/// Every option name a vendor page gives, with its privilege. The Web Callback options and the
/// outbound ones no page we could read names (reschedule, reschedule before call, set call
/// result, push-preview decline, dial on new number) are deliberately absent: a guessed name
/// would import silently wrong roles, an unmapped one is at least a warning.
pub const OPTION_MAP: [OptionKey; 9] = [
    OptionKey {
        key: "privilege.outbound.can-use",
        privilege: Privilege::ObUse,
        source: WWE_OUTBOUND,
    },
    OptionKey {
        key: "privilege.outbound.can-reject-record",
        privilege: Privilege::ObReject,
        source: WWE_OUTBOUND,
    },
    OptionKey {
        key: "privilege.outbound.can-cancel-record",
        privilege: Privilege::ObCancel,
        source: WWE_OUTBOUND,
    },
    OptionKey {
        key: "privilege.outbound.can-dial-alternative-chained-record",
        privilege: Privilege::ObDialAlternative,
        source: WWE_OUTBOUND,
    },
    OptionKey {
        key: "privilege.outbound.can-get-next-preview-record",
        privilege: Privilege::ObGetNext,
        source: WWE_OUTBOUND,
    },
    OptionKey {
        key: "privilege.outbound.push-preview.can-use",
        privilege: Privilege::ObPushPreview,
        source: WWE_NAMING,
    },
    OptionKey {
        key: "privilege.outbound.can-mark-do-not-call",
        privilege: Privilege::ObMarkDnc,
        source: WWE_OUTBOUND,
    },
    OptionKey {
        key: "privilege.outbound.can-reschedule-on-new-number",
        privilege: Privilege::ObRescheduleNewNumber,
        source: WWE_OUTBOUND,
    },
    OptionKey {
        key: "privilege.outbound.record-information.can-update",
        privilege: Privilege::ObEditRecord,
        source: WWE_NAMING,
    },
];

/// The privilege an option key grants, if it is one we map.
pub fn privilege_of(key: &str) -> Option<Privilege> {
    OPTION_MAP
        .iter()
        .find(|o| o.key == key)
        .map(|o| o.privilege)
}

/// The roles read from the inputs, one per input, and the warnings about keys not read.
#[derive(Clone, Debug)]
pub struct Imported {
    pub book: RoleBook,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every input (one role each) into one roles book. Errors (an unreadable or malformed
/// file, two inputs giving the same role name) stop the import; warnings do not.
pub fn import_files(paths: &[&Path]) -> Result<Imported, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut roles: Vec<(Role, String)> = Vec::new();
    for path in paths {
        crate::output::note_input(path, crate::output::InputKind::Roles);
        let file = path.display().to_string();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.clone());
        let source = match read_text(path) {
            Ok(s) => s,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        match import_text(&file, &stem, &source) {
            Ok((role, diags)) => {
                warnings.extend(diags);
                if let Some((_, first)) = roles.iter().find(|(r, _)| r.name == role.name) {
                    errors.push(
                        Diagnostic::error(
                            &file,
                            format!(
                                "role \"{}\" is also the role of {first}; a roles file cannot hold \
                             two roles of one name",
                                role.name
                            ),
                        )
                        .help("rename one input file, or change the \"name\" of one JSON export"),
                    );
                } else {
                    roles.push((role, file));
                }
            }
            Err(diags) => errors.extend(diags),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Imported {
        book: RoleBook {
            roles: roles.into_iter().map(|(r, _)| r).collect(),
            agents: Vec::new(),
            product_version: ProductVersion::NEWEST,
        },
        diagnostics: warnings,
    })
}

/// Reads one input's text: JSON when it starts with `{`, the INI-style option list otherwise.
/// `stem` names the role when the input does not.
pub fn import_text(
    file: &str,
    stem: &str,
    source: &str,
) -> Result<(Role, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut reader = Reader {
        file,
        lines: LineIndex::new(source),
        errors: Collector::new(file),
        warnings: Collector::new(file),
        granted: PrivilegeSet::EMPTY,
        seen: Vec::new(),
    };
    let name = if source.trim_start().starts_with('{') {
        reader.json(source)
    } else {
        reader.ini(source);
        None
    };
    if !reader.errors.is_empty() {
        return Err(reader.errors.finish());
    }
    let base = Path::new(file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string());
    let role = Role {
        name: name.unwrap_or_else(|| stem.to_string()),
        description: format!("Imported from {base} ({SECTION} privilege options)"),
        granted: reader.granted,
    };
    Ok((role, reader.warnings.finish()))
}

/// The state of reading one input.
struct Reader<'a> {
    file: &'a str,
    lines: LineIndex<'a>,
    errors: Collector,
    warnings: Collector,
    granted: PrivilegeSet,
    /// Keys read so far, to warn about a key given twice.
    seen: Vec<String>,
}

impl Reader<'_> {
    fn warn(&mut self, span: Range<usize>, message: String) {
        let d = Diagnostic::new(Severity::Warning, self.file, message);
        self.warnings.push(d.at_indexed(&self.lines, span));
    }

    fn error(&mut self, span: Range<usize>, message: String, expected: &str) {
        let d = Diagnostic::error(self.file, message).expected(expected);
        self.errors.push(d.at_indexed(&self.lines, span));
    }

    /// One option of the `interaction-workspace` section: its key at `span`, and its value
    /// (`None` when it is not a boolean).
    fn option(&mut self, key: &str, value: Option<bool>, raw_value: &str, span: Range<usize>) {
        if self.seen.iter().any(|k| k == key) {
            self.warn(
                span.clone(),
                format!("option {key} is given again; the last value counts"),
            );
        } else {
            self.seen.push(key.to_string());
        }
        let Some(privilege) = privilege_of(key) else {
            let why = if key.starts_with("privilege.") {
                "no vendor page we could source names this option (see docs/roles-import.md)"
            } else {
                "it is not a privilege option"
            };
            self.warn(span, format!("option {key} is not imported: {why}"));
            return;
        };
        match value {
            Some(true) => self.granted.insert(privilege),
            Some(false) => self.granted.remove(privilege),
            None => self.warn(
                span,
                format!(
                    "option {key} has the value \"{raw_value}\", not true or false; it is not \
                     imported"
                ),
            ),
        }
    }

    /// The INI-style option list: `[section]` headers, `key = value` lines, `#`/`;` comments.
    /// Options before any header belong to `interaction-workspace`.
    fn ini(&mut self, source: &str) {
        let mut section: Option<String> = None;
        let mut offset = 0;
        for line in source.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let text = line.trim_end_matches(['\n', '\r']);
            let lead = text.len() - text.trim_start().len();
            let trimmed = text.trim();
            let span = start + lead..start + lead + trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            if let Some(inner) = trimmed.strip_prefix('[') {
                match inner.strip_suffix(']') {
                    Some(name) => section = Some(name.trim().to_string()),
                    None => self.error(
                        span,
                        "section header without a closing ]".into(),
                        "[interaction-workspace]",
                    ),
                }
                continue;
            }
            let Some((key, value)) = trimmed.split_once('=') else {
                self.error(
                    span,
                    format!("\"{trimmed}\" is not an option line"),
                    "key = true or key = false",
                );
                continue;
            };
            let key = key.trim();
            let raw_value = value.trim().trim_matches('"');
            let key_span = span.start..span.start + key.len();
            match &section {
                Some(s) if s != SECTION => {
                    let message =
                        format!("option {key} is in section [{s}], not [{SECTION}]; not imported");
                    self.warn(key_span, message);
                }
                _ => self.option(key, boolean(raw_value), raw_value, key_span),
            }
        }
    }

    /// A configuration export in JSON: an object with `name` and `userProperties`, whose
    /// `interaction-workspace` object holds the options (values `true`/`false`, as booleans or
    /// strings). Returns the role name it gives.
    fn json(&mut self, source: &str) -> Option<String> {
        let value: serde_json::Value = match serde_json::from_str(source) {
            Ok(v) => v,
            Err(e) => {
                let at = offset_of(source, e.line(), e.column());
                self.error(at..at + 1, format!("not valid JSON: {e}"), JSON_SHAPE);
                return None;
            }
        };
        let Some(object) = value.as_object() else {
            self.error(0..1, "the export is not a JSON object".into(), JSON_SHAPE);
            return None;
        };
        let name = object
            .get("name")
            .and_then(|n| n.as_str())
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        let Some(properties) = object.get("userProperties").and_then(|p| p.as_object()) else {
            self.error(
                0..1,
                "the export has no \"userProperties\" object".into(),
                JSON_SHAPE,
            );
            return name;
        };
        let mut from = 0;
        for (section, options) in properties {
            let span = find_key(source, section, from);
            if section != SECTION {
                let message =
                    format!("section \"{section}\" is not read; privileges live in \"{SECTION}\"");
                self.warn(span, message);
                continue;
            }
            from = span.end;
            let Some(options) = options.as_object() else {
                self.error(span, format!("\"{SECTION}\" is not an object"), JSON_SHAPE);
                continue;
            };
            for (key, value) in options {
                let key_span = find_key(source, key, from);
                from = key_span.end;
                let (parsed, raw) = match value {
                    serde_json::Value::Bool(b) => (Some(*b), b.to_string()),
                    serde_json::Value::String(s) => (boolean(s.trim()), s.clone()),
                    other => (None, other.to_string()),
                };
                self.option(key, parsed, &raw, key_span);
            }
        }
        name
    }
}

const JSON_SHAPE: &str = "{\"name\": \"...\", \"userProperties\": {\"interaction-workspace\": {\"privilege....\": \"true\"}}}";

/// `true` or `false`, in any case: Configuration Server keeps option values as text.
fn boolean(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// The span of `"key"` as an object key in `source`, searching from byte `from` (the keys of
/// an object come in file order, so each search starts after the previous key). Falls back to
/// the start of the file, which still names the file.
fn find_key(source: &str, key: &str, from: usize) -> Range<usize> {
    let quoted = match serde_json::to_string(key) {
        Ok(q) => q,
        Err(_) => return 0..1,
    };
    let from = from.min(source.len());
    match source.get(from..).and_then(|rest| rest.find(&quoted)) {
        Some(i) => from + i + 1..from + i + quoted.len() - 1,
        None => match source.find(&quoted) {
            Some(i) => i + 1..i + quoted.len() - 1,
            None => 0..1,
        },
    }
}

/// The byte offset of a 1-based line and column as `serde_json` reports them.
fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let start: usize = source
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let at = (start + column.saturating_sub(1)).min(source.len().saturating_sub(1));
    // A column counts characters on some inputs; stay on a character boundary.
    (0..=at)
        .rev()
        .find(|&i| source.is_char_boundary(i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(role: &Role) -> Vec<&'static str> {
        role.granted.iter().map(|p| p.name()).collect()
    }

    #[test]
    fn ini_grants_the_true_options_and_warns_about_the_rest_with_their_line() {
        let text = "# exported\n[interaction-workspace]\nprivilege.outbound.can-use = true\n\
                    privilege.outbound.can-reject-record = false\n\
                    privilege.outbound.can-reschedule = true\n\
                    outbound.treatment-mode = personal\n";
        let (role, diags) = import_text("qa.ini", "qa", text).unwrap();
        assert_eq!(role.name, "qa");
        assert_eq!(names(&role), ["Outbound - Can Use"]);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!(diags[0].position.unwrap().line, 5);
        assert!(
            diags[0]
                .message
                .contains("privilege.outbound.can-reschedule")
        );
        assert!(diags[0].message.contains("no vendor page"));
        assert_eq!(diags[1].position.unwrap().line, 6);
        assert!(diags[1].message.contains("not a privilege option"));
    }

    #[test]
    fn ini_options_of_another_section_are_warnings_and_a_bad_line_is_a_positioned_error() {
        let text = "[voice]\nprivilege.outbound.can-use = true\n";
        let (role, diags) = import_text("a.cfg", "a", text).unwrap();
        assert!(role.granted.is_empty());
        assert!(diags[0].message.contains("section [voice]"));
        let errors = import_text("b.cfg", "b", "privilege.outbound.can-use true\n").unwrap_err();
        assert_eq!(errors[0].position.unwrap().line, 1);
        assert_eq!(
            errors[0].expected.as_deref(),
            Some("key = true or key = false")
        );
    }

    #[test]
    fn json_export_takes_its_name_and_string_or_boolean_values() {
        let text = r#"{
  "name": "Outbound Lead",
  "userProperties": {
    "interaction-workspace": {
      "privilege.outbound.can-use": "true",
      "privilege.outbound.push-preview.can-use": true,
      "privilege.webcallback.can-use": "true",
      "privilege.outbound.can-mark-do-not-call": "maybe"
    },
    "security": {"x": "1"}
  }
}"#;
        let (role, diags) = import_text("lead.json", "lead", text).unwrap();
        assert_eq!(role.name, "Outbound Lead");
        assert_eq!(
            names(&role),
            ["Outbound - Can Use", "Outbound - Can Use Push Preview"]
        );
        let lines: Vec<usize> = diags.iter().map(|d| d.position.unwrap().line).collect();
        assert!(lines.contains(&7), "{diags:?}");
        assert!(lines.contains(&8), "{diags:?}");
        assert!(lines.contains(&10), "{diags:?}");
    }

    #[test]
    fn malformed_json_is_a_positioned_error() {
        let errors = import_text("x.json", "x", "{\n  \"name\": \"x\",\n  oops\n}").unwrap_err();
        assert_eq!(errors[0].position.unwrap().line, 3);
    }

    #[test]
    fn every_mapped_key_is_unique_and_names_a_distinct_privilege() {
        for (i, a) in OPTION_MAP.iter().enumerate() {
            for b in &OPTION_MAP[i + 1..] {
                assert_ne!(a.key, b.key);
                assert_ne!(a.privilege, b.privilege);
            }
        }
    }
}
