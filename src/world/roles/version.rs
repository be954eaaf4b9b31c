//! The roles file's `product_version`: parsing it, and the error for a privilege the version
//! does not have yet.

use std::ops::Range;

use toml::Spanned;

use super::parse::Parser;
use crate::input::{Diagnostic, Severity};
use crate::policy::{Privilege, ProductVersion, VersionError};

impl Parser<'_> {
    /// The file's `product_version`: a dotted version from the first modelled one on.
    pub(super) fn product_version(&mut self, raw: &Spanned<String>) {
        match ProductVersion::parse(raw.get_ref()) {
            Ok(v) => self.book.product_version = v,
            Err(e) => {
                let expected = match e {
                    VersionError::Malformed(_) => format!(
                        "a dotted product version such as \"{}\"",
                        ProductVersion::NEWEST
                    ),
                    VersionError::TooOld { .. } => format!(
                        "a version from {} to {} (or later)",
                        ProductVersion::FIRST_MODELLED,
                        ProductVersion::NEWEST
                    ),
                };
                let d = self
                    .at(Severity::Error, e.to_string(), raw.span())
                    .expected(expected);
                self.error(d);
            }
        }
    }

    /// A privilege the file's product version does not have yet.
    pub(super) fn not_in_version(&self, p: Privilege, span: Range<usize>) -> Diagnostic {
        let since = p.info().since;
        self.at(
            Severity::Error,
            format!(
                "\"{}\" does not exist in product version {}: it was added in {since}",
                p.name(),
                self.book.product_version
            ),
            span,
        )
        .expected(format!(
            "a privilege of product version {}, or product_version = \"{since}\" or later",
            self.book.product_version
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::policy::ProductVersion;
    use crate::world::roles::RoleBook;
    use crate::world::roles::tests::errors;

    #[test]
    fn an_8_1_file_granting_dial_on_new_number_is_an_error_naming_the_version() {
        let e = errors(
            "product_version = \"8.1.401.05\"\n[[role]]\nname = \"A\"\nprivileges = [\"Outbound - Can Use\", \"Outbound - Can Dial On New Number\"]\n",
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(
                "t.toml:4:37: error: \"Outbound - Can Dial On New Number\" does not exist in \
                 product version 8.1.401.05: it was added in 8.5.115.17"
            ),
            "{}",
            e[0]
        );
        // The same grant loads at the version that added it, and at the default.
        for head in ["product_version = \"8.5.115.17\"\n", ""] {
            let src = format!(
                "{head}[[role]]\nname = \"A\"\nprivileges = [\"Outbound - Can Dial On New Number\"]\n"
            );
            let book = RoleBook::parse("t.toml", &src).unwrap().book;
            assert_eq!(book.product_version(), ProductVersion::NEWEST);
        }
    }

    #[test]
    fn versions_before_8_1_400_and_malformed_versions_are_refused_with_positions() {
        let e = errors("product_version = \"8.0.100.02\"\n");
        assert!(
            e[0].starts_with(
                "t.toml:1:19: error: product version 8.0.100.02 is older than 8.1.400"
            ),
            "{}",
            e[0]
        );
        assert!(
            e[0].contains("expected: a version from 8.1.400 to 8.5.115.17"),
            "{}",
            e[0]
        );
        let e = errors("product_version = \"8.5.x\"\n");
        assert!(
            e[0].contains("\"8.5.x\" is not a product version"),
            "{}",
            e[0]
        );
        let e = errors("product_version = 8.5\n");
        assert!(e[0].starts_with("t.toml:1:19: error:"), "{}", e[0]);
        let book = RoleBook::parse("t.toml", "product_version = \"8.1.401.05\"\n")
            .unwrap()
            .book;
        assert_eq!(book.product_version().to_string(), "8.1.401.05");
        let again = RoleBook::parse("again", &book.to_toml()).unwrap().book;
        assert_eq!(again, book);
    }
}
