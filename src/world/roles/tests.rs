//! Unit tests of roles files: parsing, linting, versions and saving.

use super::parse::names_a_privilege;
use super::save::write_checked;
use super::*;
use crate::input::Severity;
use crate::policy::{NameError, Privilege};

/// The diagnostics of a roles file as text, none when it loads.
pub(in crate::world::roles) fn errors(src: &str) -> Vec<String> {
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
                        .any(|r| r.granted.contains(info.privilege) && !r.granted.contains(dep.on)),
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
    let err = save_atomic(&file.join("roles.toml"), &small_book(), Expected::Anything).unwrap_err();
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
fn the_quick_privilege_test_agrees_with_from_name() {
    let mut names: Vec<&str> = crate::policy::CATALOGUE
        .iter()
        .flat_map(|i| [i.name, i.id])
        .collect();
    names.extend([
        crate::policy::WCB_USE_ALIAS,
        crate::policy::AMBIGUOUS_BEFORE_CALL,
        "Outbound - Can Rejct",
        "",
        "x",
    ]);
    for name in names {
        let unknown = matches!(Privilege::from_name(name), Err(NameError::Unknown { .. }));
        assert_eq!(names_a_privilege(name), !unknown, "{name}");
    }
}

#[test]
fn to_toml_round_trips() {
    let book = RoleBook::embedded_default();
    let again = RoleBook::parse("again", &book.to_toml()).unwrap().book;
    assert_eq!(book, again);
}
