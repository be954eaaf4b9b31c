//! Product versions of the vendor's desktop: dotted numbers compared component by component,
//! and the range agentdesk models.
//!
//! A privilege exists from the version that added it on (`PrivilegeInfo::since`); an action
//! whose privileges do not all exist in a version does not exist in it either.

use std::cmp::Ordering;
use std::fmt;

/// A product version such as `8.5.115.17`: up to four dotted numbers. Missing components
/// count as zero when comparing, so `8.1.400` and `8.1.400.0` are the same version.
#[derive(Clone, Copy, Debug)]
pub struct ProductVersion {
    parts: [u32; 4],
    /// How many components were written, for display.
    len: u8,
}

/// Why a text is not a version agentdesk can use.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("\"{0}\" is not a product version")]
    Malformed(String),
    #[error(
        "product version {given} is older than {}, the first version agentdesk models (its \
         privileges before then are unknown)",
        ProductVersion::FIRST_MODELLED
    )]
    TooOld { given: ProductVersion },
}

impl ProductVersion {
    /// The oldest version modelled: the 8.1.40x product line of the vendor's pages.
    pub const FIRST_MODELLED: ProductVersion = ProductVersion::new([8, 1, 400, 0], 3);
    /// The newest version modelled, and the default of a roles file that names none.
    pub const NEWEST: ProductVersion = ProductVersion::new([8, 5, 115, 17], 4);
    /// `Outbound - Can Dial On New Number` appeared in this version.
    pub const V8_5_115_17: ProductVersion = ProductVersion::NEWEST;

    const fn new(parts: [u32; 4], len: u8) -> ProductVersion {
        ProductVersion { parts, len }
    }

    /// Parses `8.5.115.17` (one to four dotted numbers) and refuses versions before
    /// [`ProductVersion::FIRST_MODELLED`].
    pub fn parse(text: &str) -> Result<ProductVersion, VersionError> {
        let t = text.trim();
        let malformed = || VersionError::Malformed(t.to_string());
        let mut parts = [0u32; 4];
        let mut len = 0usize;
        for piece in t.split('.') {
            if len == 4 || piece.is_empty() || !piece.bytes().all(|b| b.is_ascii_digit()) {
                return Err(malformed());
            }
            parts[len] = piece.parse().map_err(|_| malformed())?;
            len += 1;
        }
        let v = ProductVersion::new(parts, len as u8);
        if v < ProductVersion::FIRST_MODELLED {
            return Err(VersionError::TooOld { given: v });
        }
        Ok(v)
    }
}

impl Default for ProductVersion {
    fn default() -> Self {
        ProductVersion::NEWEST
    }
}

impl PartialEq for ProductVersion {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl Eq for ProductVersion {}

impl std::hash::Hash for ProductVersion {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.parts.hash(state);
    }
}

impl PartialOrd for ProductVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ProductVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts)
    }
}

impl fmt::Display for ProductVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The vendor writes the build number with two digits: 8.1.401.05.
        let shown: Vec<String> = self.parts[..usize::from(self.len.max(1))]
            .iter()
            .enumerate()
            .map(|(i, n)| {
                if i == 3 {
                    format!("{n:02}")
                } else {
                    n.to_string()
                }
            })
            .collect();
        f.write_str(&shown.join("."))
    }
}

/// The versions the role editor offers to switch to: one of each product line modelled, with
/// the version that changed the catalogue.
pub const KNOWN_VERSIONS: [ProductVersion; 4] = [
    ProductVersion::new([8, 1, 400, 0], 3),
    ProductVersion::new([8, 1, 401, 5], 4),
    ProductVersion::new([8, 5, 114, 8], 4),
    ProductVersion::NEWEST,
];

#[cfg(test)]
mod tests {
    use super::*;

    fn v(t: &str) -> ProductVersion {
        ProductVersion::parse(t).unwrap()
    }

    #[test]
    fn versions_compare_component_by_component() {
        assert!(v("8.5.115.17") > v("8.5.114.08"));
        assert!(v("8.5.114.08") > v("8.1.401.05"));
        assert!(v("8.1.401.05") > v("8.1.400"));
        assert_eq!(v("8.1.400"), v("8.1.400.0"));
        assert!(v("8.1.1000") > v("8.1.999.99"), "numbers, not text");
        assert_eq!(v("8.5.114.8").to_string(), "8.5.114.08");
        assert_eq!(v("8.1.401.05").to_string(), "8.1.401.05");
        assert_eq!(v(" 8.1.400 ").to_string(), "8.1.400");
        assert_eq!(ProductVersion::default(), v("8.5.115.17"));
    }

    #[test]
    fn malformed_and_old_versions_are_refused() {
        for bad in [
            "",
            "8.5.",
            "8..5",
            "8.5.x",
            "v8.5",
            "1.2.3.4.5",
            "8.5 .1",
            "-8.5",
        ] {
            assert!(
                matches!(ProductVersion::parse(bad), Err(VersionError::Malformed(_))),
                "{bad}"
            );
        }
        let e = ProductVersion::parse("8.1.300.05").unwrap_err();
        assert!(matches!(e, VersionError::TooOld { .. }));
        assert!(e.to_string().contains("older than 8.1.400"), "{e}");
        assert!(ProductVersion::parse("8.0").is_err());
        assert!(
            ProductVersion::parse("9").is_ok(),
            "later versions are fine"
        );
    }

    #[test]
    fn known_versions_are_sorted_and_modelled() {
        assert!(KNOWN_VERSIONS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(KNOWN_VERSIONS[0], ProductVersion::FIRST_MODELLED);
        assert_eq!(KNOWN_VERSIONS[3], ProductVersion::NEWEST);
    }
}
