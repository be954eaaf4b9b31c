//! The product version of a role book being edited: what it has, and switching it.

use super::{RoleDraft, privilege_of};
use crate::policy::{PrivilegeSet, ProductVersion};

impl RoleDraft {
    /// The product version the book configures.
    pub fn product_version(&self) -> ProductVersion {
        self.book.product_version
    }

    /// Whether privilege `id` exists in the book's product version (a role may grant it).
    pub fn privilege_exists(&self, id: &str) -> bool {
        privilege_of(id).is_some_and(|p| p.exists_in(self.book.product_version))
    }

    /// How many privileges exist in the book's product version.
    pub fn privilege_count(&self) -> usize {
        PrivilegeSet::ALL
            .existing_in(self.book.product_version)
            .len()
    }

    /// The grants that version `v` does not have: (role name, privilege name), in role order.
    pub fn grants_missing_in(&self, v: ProductVersion) -> Vec<(String, &'static str)> {
        self.book
            .roles
            .iter()
            .flat_map(|r| {
                r.granted
                    .minus(r.granted.existing_in(v))
                    .iter()
                    .map(move |p| (r.name.clone(), p.name()))
            })
            .collect()
    }

    /// Switches the book to product version `v`, revoking every grant `v` does not have (the
    /// ones [`RoleDraft::grants_missing_in`] lists); returns how many were revoked.
    pub fn set_product_version(&mut self, v: ProductVersion) -> usize {
        let mut revoked = 0;
        for r in &mut self.book.roles {
            let kept = r.granted.existing_in(v);
            revoked += r.granted.minus(kept).len();
            r.granted = kept;
        }
        self.book.product_version = v;
        revoked
    }
}

#[cfg(test)]
mod tests {
    use crate::policy::ProductVersion;
    use crate::training::role_edit::ToggleOutcome;
    use crate::training::role_edit::tests::{draft, role};
    use crate::world::roles::RoleBook;

    #[test]
    fn switching_to_8_1_revokes_dial_on_new_number_and_hides_it() {
        let mut d = draft();
        assert_eq!(d.product_version(), ProductVersion::NEWEST);
        assert_eq!(d.privilege_count(), 23);
        let v81 = ProductVersion::parse("8.1.401.05").unwrap();
        let missing = d.grants_missing_in(v81);
        let roles: Vec<&str> = missing.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(
            roles,
            [
                "Supervisor",
                "Demo: Outbound Dial On New Number without Dial Alternative",
                "Demo: Outbound Dial On New Number without Can Use"
            ]
        );
        assert!(
            missing
                .iter()
                .all(|(_, p)| *p == "Outbound - Can Dial On New Number")
        );
        assert_eq!(d.set_product_version(v81), 3);
        assert_eq!(d.privilege_count(), 22);
        assert!(!d.privilege_exists("ob.dial_new_number"));
        let sup = role(&d, "Supervisor");
        assert_eq!(
            d.set_granted(sup, "ob.dial_new_number", true),
            ToggleOutcome::Unknown
        );
        assert!(!d.is_granted(sup, "ob.dial_new_number"));
        // The book saves and loads at its version.
        let text = d.book().to_toml();
        assert!(
            text.starts_with("product_version = \"8.1.401.05\"\n"),
            "{text}"
        );
        let again = RoleBook::parse("again", &text).unwrap().book;
        assert_eq!(&again, d.book());
    }
}
