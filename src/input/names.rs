//! Names that look the same but are not: two spellings that differ only by Unicode
//! normalisation (an "é" typed as one character or as "e" and an accent) or by an invisible
//! character (a zero-width space pasted from a web page) are different names to the program
//! and the same name to a person.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// Characters that show as nothing.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{034F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// How a name looks: its canonical composition, without invisible characters.
pub fn appearance(name: &str) -> String {
    name.nfc().filter(|&c| !invisible(c)).collect()
}

/// Remembers the names of one kind seen so far and tells when a new one looks like an earlier
/// one without being the same.
#[derive(Default)]
pub struct LookAlikes {
    seen: HashMap<String, String>,
}

impl LookAlikes {
    /// The earlier name that `name` looks like, if any (an identical name is not a look-alike:
    /// duplicates are the caller's own check).
    pub fn check(&mut self, name: &str) -> Option<String> {
        let key = appearance(name);
        match self.seen.get(&key) {
            Some(earlier) if earlier != name => Some(earlier.clone()),
            Some(_) => None,
            None => {
                self.seen.insert(key, name.to_string());
                None
            }
        }
    }
}

/// The warning's words for `name`, of kind `what` ("role"), that looks like `earlier`.
pub fn look_alike_message(what: &str, name: &str, earlier: &str) -> String {
    format!(
        "{what} \"{name}\" looks the same as \"{earlier}\" but is a different name ({} and {})",
        spelled_out(name),
        spelled_out(earlier)
    )
}

/// The most characters of a name a message quotes.
const SHOWN_CHARS: usize = 80;

/// `name` as a message quotes it: whole, or its first characters and how long it is, so a
/// megabyte-long name in a file does not become a megabyte-long message.
pub fn shown(name: &str) -> std::borrow::Cow<'_, str> {
    if name.len() <= SHOWN_CHARS {
        return name.into();
    }
    let total = name.chars().count();
    if total <= SHOWN_CHARS {
        return name.into();
    }
    let head: String = name.chars().take(SHOWN_CHARS).collect();
    format!("{head}... ({total} characters)").into()
}

/// `name` with its invisible and non-ASCII characters written out (`Jos\u{301}e`), so a
/// message can show how two look-alikes differ.
pub fn spelled_out(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c.to_string()
            } else {
                format!("\\u{{{:x}}}", c as u32)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_and_decomposed_and_zero_width_spellings_look_alike() {
        let mut seen = LookAlikes::default();
        assert_eq!(seen.check("Jos\u{e9}"), None);
        assert_eq!(
            seen.check("Jos\u{e9}"),
            None,
            "the same name is a duplicate, not a look-alike"
        );
        assert_eq!(seen.check("Jose\u{301}"), Some("Jos\u{e9}".to_string()));
        assert_eq!(seen.check("Dana"), None);
        assert_eq!(seen.check("Da\u{200b}na"), Some("Dana".to_string()));
        assert_eq!(seen.check("Jose"), None);
        assert_eq!(spelled_out("Jose\u{301}"), "Jose\\u{301}");
    }

    #[test]
    fn a_long_name_is_shown_by_its_start_and_length() {
        assert_eq!(shown("Dana"), "Dana");
        let long = "é".repeat(100);
        assert_eq!(
            shown(&long),
            format!("{}... (100 characters)", "é".repeat(80))
        );
    }
}
