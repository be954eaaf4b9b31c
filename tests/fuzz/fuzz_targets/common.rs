//! The properties every fuzz target checks, shared by `#[path]` (cargo-fuzz targets are
//! separate binaries): a rejection says where, unless it is about the whole file.

use agentdesk::input::Diagnostic;

/// Diagnostics about a file as a whole, which have no line to point at.
pub fn is_whole_file(d: &Diagnostic) -> bool {
    d.message.starts_with("cannot open file")
        || d.message.starts_with("cannot read file")
        || d.message.starts_with("file is larger than")
}

/// Panics (a libFuzzer crash) unless every diagnostic is placed inside `source`, and renders
/// each one, which must not panic either.
pub fn check_placed(source: &str, diagnostics: &[Diagnostic]) {
    let lines = source.split('\n').count();
    for d in diagnostics {
        let shown = d.to_string();
        match d.position {
            Some(p) => assert!(
                p.line >= 1 && p.line <= lines + 1 && p.column >= 1,
                "position outside the file: {shown}"
            ),
            None => assert!(is_whole_file(d), "rejection without a position: {shown}"),
        }
    }
}
