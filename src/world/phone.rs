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
    let t = input.trim();
    if t.is_empty() {
        return Err("phone number is empty".into());
    }
    let body = t.strip_prefix('+').unwrap_or(t);
    if let Some(bad) = body
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')')))
    {
        return Err(format!(
            "phone number \"{t}\" contains '{bad}'; use digits, spaces, dashes, dots or parentheses"
        ));
    }
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return Err(format!(
            "phone number \"{t}\" has {digits} digits; expected 7 to 15"
        ));
    }
    Ok(t.split_whitespace().collect::<Vec<_>>().join(" "))
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
    }
}
