//! Roles files as a QA tester or a trainer really writes them: with typos, wrong types,
//! stray keys, wrong encodings and absurd sizes. Every refusal must say where.

use std::fmt::Write as _;
use std::path::Path;

use agentdesk::input::{Diagnostic, MAX_INPUT_BYTES, Severity, decode_text};
use agentdesk::policy::{CATALOGUE, Privilege, PrivilegeSet};
use agentdesk::world::roles::RoleBook;
use proptest::prelude::*;
use tempfile::{NamedTempFile, TempDir};

/// Writes `bytes` to a fresh roles file and loads it the way the CLI does.
fn load_bytes(
    bytes: &[u8],
) -> (
    NamedTempFile,
    Result<agentdesk::world::roles::Loaded, Vec<Diagnostic>>,
) {
    let file = crate::common::temp_file(".toml", bytes);
    let result = RoleBook::load(file.path());
    (file, result)
}

fn only_error(result: Result<agentdesk::world::roles::Loaded, Vec<Diagnostic>>) -> Diagnostic {
    match result {
        Ok(loaded) => panic!(
            "expected an error, loaded {} roles",
            loaded.book.roles.len()
        ),
        Err(mut errors) => {
            assert_eq!(errors.len(), 1, "{errors:#?}");
            errors.remove(0)
        }
    }
}

fn location(path: &Path, line: usize, column: usize) -> String {
    format!("{}:{line}:{column}", path.display())
}

#[test]
fn typo_in_a_privilege_name_points_at_it_and_suggests_the_real_name() {
    let (file, result) = load_bytes(
        b"[[role]]\nname = \"Closer\"\nprivileges = [\n    \"Outbound - Can Use\",\n    \"Outbound - Can Set Cal Result\",\n]\n",
    );
    let d = only_error(result);
    assert_eq!(d.location(), location(file.path(), 5, 5));
    assert_eq!(d.severity, Severity::Error);
    let text = d.to_string();
    assert!(
        text.starts_with(&format!(
            "{}: error: unknown privilege \"Outbound - Can Set Cal Result\"",
            location(file.path(), 5, 5)
        )),
        "{text}"
    );
    assert!(
        text.contains("did you mean \"Outbound - Can Set Call Result\""),
        "{text}"
    );
}

#[test]
fn a_name_far_from_every_privilege_gets_no_suggestion() {
    let d = only_error(RoleBook::parse(
        "r.toml",
        "[[role]]\nname = \"A\"\nprivileges = [\"Make coffee\"]\n",
    ));
    assert_eq!(d.location(), "r.toml:3:15");
    assert!(d.help.is_none(), "{d}");
    assert!(
        d.to_string()
            .contains("expected: one of the 23 privilege names")
    );
}

#[test]
fn the_bare_before_call_name_is_refused_and_both_readings_are_named() {
    let (file, result) =
        load_bytes(b"[[role]]\nname = \"A\"\nprivileges = [\"Can Reschedule Before Call\"]\n");
    let d = only_error(result);
    assert_eq!(d.location(), location(file.path(), 3, 15));
    let text = d.to_string();
    assert!(
        text.contains("Web Callback - Can Reschedule Before Call"),
        "{text}"
    );
    assert!(
        text.contains("Outbound - Can Reschedule Before Call"),
        "{text}"
    );
}

#[test]
fn the_vendor_alias_loads_with_a_positioned_note() {
    let (file, result) = load_bytes(
        b"[[role]]\nname = \"A\"\nprivileges = [\"Web Callback - Can Use Web Callback Channel\"]\n",
    );
    let loaded = result.expect("alias is accepted");
    assert_eq!(
        loaded.book.roles[0].granted,
        PrivilegeSet::of(&[Privilege::WcbUse])
    );
    assert_eq!(loaded.diagnostics.len(), 1);
    let note = &loaded.diagnostics[0];
    assert_eq!(note.severity, Severity::Note);
    assert_eq!(note.location(), location(file.path(), 3, 15));
    assert!(
        note.to_string()
            .contains("write \"Web Callback - Can Use Callback Channel\"")
    );
}

#[test]
fn a_wrong_type_names_what_was_found_and_where() {
    let (file, result) =
        load_bytes(b"[[role]]\nname = \"A\"\nprivileges = \"Outbound - Can Use\"\n");
    let d = only_error(result);
    assert_eq!(d.location(), location(file.path(), 3, 14));
    let text = d.to_string();
    assert!(text.contains("invalid type: string"), "{text}");
    assert!(text.contains("expected a sequence"), "{text}");

    let d = only_error(RoleBook::parse("r.toml", "[[role]]\nname = 42\n"));
    assert_eq!(d.location(), "r.toml:2:8");
    assert!(d.message.contains("integer"), "{d}");
}

#[test]
fn an_unknown_key_is_an_error_at_the_key() {
    let (file, result) =
        load_bytes(b"[[role]]\nname = \"A\"\ndescripton = \"typo in the key\"\nprivileges = []\n");
    let d = only_error(result);
    assert_eq!(d.location(), location(file.path(), 3, 1));
    assert!(d.message.contains("unknown field `descripton`"), "{d}");
    assert!(
        d.message.contains("description"),
        "the accepted keys are listed: {d}"
    );

    let d = only_error(RoleBook::parse(
        "r.toml",
        "[[agent]]\nname = \"Z\"\nrole = []\n",
    ));
    assert_eq!(d.location(), "r.toml:3:1");
    assert!(d.message.contains("unknown field `role`"), "{d}");

    let d = only_error(RoleBook::parse("r.toml", "[[roles]]\nname = \"A\"\n"));
    assert_eq!(d.location(), "r.toml:1:3");
    assert!(d.message.contains("unknown field `roles`"), "{d}");
}

#[test]
fn a_missing_name_points_at_the_table_that_lacks_it() {
    let d = only_error(RoleBook::parse(
        "r.toml",
        "[[role]]\nname = \"A\"\n\n[[role]]\nprivileges = []\n",
    ));
    assert_eq!(d.location(), "r.toml:4:1");
    assert!(d.message.contains("missing field `name`"), "{d}");
}

#[test]
fn an_empty_file_is_a_book_with_no_roles() {
    for text in ["", "\n\n", "# only a comment\n"] {
        let (_file, result) = load_bytes(text.as_bytes());
        let loaded = result.expect("an empty roles file is legal");
        assert!(loaded.book.roles.is_empty(), "{text:?}");
        assert!(loaded.book.agents.is_empty(), "{text:?}");
        assert!(loaded.diagnostics.is_empty(), "{text:?}");
    }
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_the_first_bad_byte() {
    // Latin-1 "é" (0xE9) in a role name: the usual way a spreadsheet export goes wrong.
    let (file, result) = load_bytes(b"[[role]]\nname = \"Agent caf\xe9\"\n");
    let d = only_error(result);
    assert_eq!(d.location(), location(file.path(), 2, 18));
    let text = d.to_string();
    assert!(text.contains("not valid UTF-8"), "{text}");
    assert!(text.contains("expected: UTF-8 encoded text"), "{text}");

    // UTF-16 with a byte-order mark fails on the very first byte.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("[[role]]".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (file, result) = load_bytes(&utf16);
    assert_eq!(only_error(result).location(), location(file.path(), 1, 1));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_parsing() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("huge.toml");
    let file = std::fs::File::create(&path).expect("create");
    // A sparse file: the limit check must not depend on what the bytes are.
    file.set_len(MAX_INPUT_BYTES + 1).expect("set_len");
    drop(file);
    let d = only_error(RoleBook::load(&path));
    assert_eq!(d.position, None, "a whole-file error has no line");
    assert_eq!(d.location(), path.display().to_string());
    let text = d.to_string();
    assert!(
        text.contains("file is larger than the 16 MiB limit for input files"),
        "{text}"
    );
    assert!(text.contains("expected: a smaller file"), "{text}");
}

#[test]
fn a_file_exactly_at_the_size_limit_is_not_refused_for_its_size() {
    let mut text = String::from("[[role]]\nname = \"Padded\"\n");
    let padding = MAX_INPUT_BYTES as usize - text.len();
    text.push_str(&"\n".repeat(padding));
    assert_eq!(text.len() as u64, MAX_INPUT_BYTES);
    let (_file, result) = load_bytes(text.as_bytes());
    let loaded = result.expect("a file at the limit loads");
    assert_eq!(loaded.book.roles.len(), 1);
}

#[test]
fn a_missing_file_is_a_whole_file_error() {
    let dir = TempDir::new().expect("temp dir");
    let path = dir.path().join("absent.toml");
    let d = only_error(RoleBook::load(&path));
    assert_eq!(d.position, None);
    assert!(d.message.starts_with("cannot open file"), "{d}");
    assert_eq!(d.location(), path.display().to_string());
}

/// A large roles file, written the way a script that exports an HR system would.
fn generated_roles(count: usize) -> String {
    let mut out = String::with_capacity(count * 120);
    for i in 0..count {
        // Spread the grants over the catalogue so that parsing sees every name.
        let a = &CATALOGUE[i % CATALOGUE.len()];
        let b = &CATALOGUE[(i * 7 + 3) % CATALOGUE.len()];
        let _ = writeln!(
            out,
            "[[role]]\nname = \"Generated role {i:06}\"\nprivileges = [\"{}\", \"{}\"]\n",
            a.name, b.name
        );
    }
    out
}

/// Most generated roles grant a privilege without its prerequisite, so this file also carries
/// tens of thousands of positioned warnings: placing each one used to rescan the file from the
/// top, which made a file this size take about an hour.
#[test]
fn a_generated_file_with_100000_roles_loads() {
    let text = generated_roles(100_000);
    assert!(
        (text.len() as u64) < MAX_INPUT_BYTES,
        "the file must stay under the limit to test the parser, not the limit"
    );
    let (_file, result) = load_bytes(text.as_bytes());
    let loaded = match result {
        Ok(loaded) => loaded,
        Err(errors) => panic!("{}", errors[0]),
    };
    assert_eq!(loaded.book.roles.len(), 100_000);
    let inactive_grants: usize = loaded
        .book
        .roles
        .iter()
        .map(|r| r.granted.minus(r.granted.effective()).len())
        .sum();
    assert!(inactive_grants > 10_000, "{inactive_grants}");
    // A role whose two names are the same privilege also gets a "grants more than once".
    let n = CATALOGUE.len();
    let twice = (0..100_000).filter(|i| i % n == (i * 7 + 3) % n).count();
    // The first hundred are kept, with their positions; one line counts the rest.
    assert_eq!(
        agentdesk::input::count(&loaded.diagnostics, Severity::Warning),
        inactive_grants + twice
    );
    let (kept, more) = loaded.diagnostics.split_at(agentdesk::input::MAX_REPORTED);
    assert!(
        kept.iter()
            .all(|d| d.severity == Severity::Warning && d.position.is_some())
    );
    assert_eq!(more.len(), 1);
    assert_eq!(
        more[0].hidden,
        inactive_grants + twice - agentdesk::input::MAX_REPORTED
    );
    assert_eq!(loaded.book.roles[99_999].name, "Generated role 099999");
    // Role 5 grants catalogue entries 5 and 38 % 23 = 15.
    assert_eq!(
        loaded.book.roles[5].granted,
        PrivilegeSet::of(&[CATALOGUE[5].privilege, CATALOGUE[15].privilege])
    );
}

/// True for the diagnostics that are about the file as a whole and so have no line.
fn is_whole_file(d: &Diagnostic) -> bool {
    d.message.starts_with("cannot open file")
        || d.message.starts_with("cannot read file")
        || d.message.starts_with("file is larger than")
}

fn assert_all_positioned(diagnostics: &[Diagnostic]) -> Result<(), TestCaseError> {
    for d in diagnostics {
        prop_assert!(
            d.position.is_some() || is_whole_file(d),
            "diagnostic without a position: {}",
            d
        );
        if let Some(p) = d.position {
            prop_assert!(p.line >= 1 && p.column >= 1, "{}", d);
        }
    }
    Ok(())
}

/// Pieces of roles files, so the generator reaches the checks after TOML parsing too
/// (unknown names, duplicates, inactive grants) instead of failing at the first byte.
fn fragment() -> impl Strategy<Value = String> {
    let names: Vec<String> = CATALOGUE
        .iter()
        .map(|i| format!("\"{}\"", i.name))
        .collect();
    prop_oneof![
        Just("[[role]]\n".to_string()),
        Just("[[agent]]\n".to_string()),
        Just("name = ".to_string()),
        Just("description = ".to_string()),
        Just("privileges = [".to_string()),
        Just("roles = [".to_string()),
        Just("]\n".to_string()),
        Just(", ".to_string()),
        Just("\n".to_string()),
        Just("\"A\"".to_string()),
        Just("\"Can Reschedule Before Call\"".to_string()),
        Just("\"Web Callback - Can Use Web Callback Channel\"".to_string()),
        prop::sample::select(names),
        "\"[^\"\\\\\n]{0,12}\"",
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics_and_every_error_has_a_position(source in any::<String>()) {
        if let Err(errors) = RoleBook::parse("fuzz.toml", &source) {
            prop_assert!(!errors.is_empty());
            assert_all_positioned(&errors)?;
        }
    }

    #[test]
    fn roles_shaped_text_never_panics_and_every_diagnostic_has_a_position(
        pieces in prop::collection::vec(fragment(), 0..40),
    ) {
        let source = pieces.concat();
        match RoleBook::parse("fuzz.toml", &source) {
            Ok(loaded) => assert_all_positioned(&loaded.diagnostics)?,
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                assert_all_positioned(&errors)?;
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_every_error_has_a_position(
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        match decode_text("fuzz.toml", bytes.clone()) {
            Ok(text) => {
                prop_assert_eq!(text.as_bytes(), &bytes[..]);
                if let Err(errors) = RoleBook::parse("fuzz.toml", &text) {
                    assert_all_positioned(&errors)?;
                }
            }
            Err(d) => {
                prop_assert!(std::str::from_utf8(&bytes).is_err());
                assert_all_positioned(std::slice::from_ref(&d))?;
            }
        }
    }
}
