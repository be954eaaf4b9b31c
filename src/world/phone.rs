//! Phone numbers: their types, validation and the key that compares them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PhoneType {
    Home,
    Work,
    Mobile,
    Other,
}

impl PhoneType {
    pub fn label(self) -> &'static str {
        match self {
            PhoneType::Home => "home",
            PhoneType::Work => "work",
            PhoneType::Mobile => "mobile",
            PhoneType::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<PhoneType> {
        match s.trim().to_ascii_lowercase().as_str() {
            "home" => Some(PhoneType::Home),
            "work" | "business" => Some(PhoneType::Work),
            "mobile" | "cell" => Some(PhoneType::Mobile),
            "other" => Some(PhoneType::Other),
            _ => None,
        }
    }
}

/// Checks a phone number: an optional leading `+`, then 7 to 15 digits, with spaces, dashes,
/// dots and parentheses allowed between them. Returns the number tidied.
pub fn validate_phone(input: &str) -> Result<String, String> {
    let mut tidy = String::new();
    tidy_phone_into(input, &mut tidy)?;
    Ok(tidy)
}

/// [`validate_phone`], appending the tidied number (runs of whitespace made one space, none
/// at the ends) to `out`, which is left as it was when the number is refused. A contact list
/// writes every number into its one text buffer this way, with no allocation of its own.
pub fn tidy_phone_into(input: &str, out: &mut String) -> Result<(), String> {
    let t = input.trim();
    if t.is_empty() {
        return Err("phone number is empty".into());
    }
    let body = t.strip_prefix('+').unwrap_or(t);
    // One pass over the bytes: the digits counted, and whether two spaces ever meet.
    let (mut digits, mut runs, mut space) = (0, false, false);
    for b in body.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b' ' | b'-' | b'.' | b'(' | b')' => {}
            _ => {
                // Named as a character, which may be more than this byte.
                let bad = body
                    .chars()
                    .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')')))
                    .unwrap_or(char::from(b));
                return Err(format!(
                    "phone number \"{t}\" contains '{bad}'; use digits, spaces, dashes, dots or parentheses"
                ));
            }
        }
        runs |= space && b == b' ';
        space = b == b' ';
    }
    if !(7..=15).contains(&digits) {
        return Err(format!(
            "phone number \"{t}\" has {digits} digits; expected 7 to 15"
        ));
    }
    if !runs {
        out.push_str(t);
        return Ok(());
    }
    // Only ASCII is left, and of white space only spaces: a run of them becomes one.
    let mut space = false;
    for b in t.bytes() {
        if b == b' ' {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(char::from(b));
        }
    }
    Ok(())
}

/// The digits of a phone number, for comparing numbers written differently.
pub fn phone_key(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_validation() {
        assert_eq!(
            validate_phone(" +1 (212) 555-0101 ").unwrap(),
            "+1 (212) 555-0101"
        );
        assert!(validate_phone("555-01x1").unwrap_err().contains("'x'"));
        assert!(validate_phone("12345").unwrap_err().contains("5 digits"));
        assert!(validate_phone("").is_err());
        assert_eq!(phone_key("+1 212-555"), "1212555");
        let mut out = String::from("x");
        assert!(tidy_phone_into("55 01x1", &mut out).is_err());
        tidy_phone_into(" +1  212   555 0101 ", &mut out).unwrap();
        assert_eq!(out, "x+1 212 555 0101");
    }
}
