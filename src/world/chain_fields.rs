//! A record chain's contact fields: read from the contact list's row, where the text already
//! is, until an agent edits one; only then does the chain hold values of its own.
//!
//! A busy floor reaches tens of thousands of contacts and edits few of them, so a chain built
//! on first reach copies no field: it keeps its row (a shared handle on the list) and its
//! campaign's [`FieldLayout`] (names and access, shared by every chain of the campaign).

use std::fmt;
use std::sync::Arc;

use compact_str::CompactString;
use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::world::FieldAccess;
use crate::world::contact_list::{ContactList, ContactView};

/// The fields of a campaign's contacts, in order (the two name fields, then the list's
/// columns), and how the campaign configures each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldLayout {
    names: Vec<Arc<str>>,
    access: Vec<FieldAccess>,
}

impl FieldLayout {
    /// The layout of `list`'s contacts: the name fields first, then its columns; `access`
    /// says how the campaign configures a field of that name.
    pub fn new(
        name_fields: [&str; 2],
        list: &ContactList,
        access: impl Fn(&str) -> FieldAccess,
    ) -> FieldLayout {
        let names: Vec<Arc<str>> = name_fields
            .into_iter()
            .map(Arc::from)
            .chain(list.field_names().iter().cloned())
            .collect();
        let access = names.iter().map(|n| access(n)).collect();
        FieldLayout { names, access }
    }
}

/// One contact field as the chain has it now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ContactField<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// From the campaign's configuration.
    pub access: FieldAccess,
}

impl ContactField<'_> {
    pub fn editable(&self) -> bool {
        self.access != FieldAccess::ReadOnly
    }

    /// Mandatory and still empty: Mark Done is refused until it is filled in.
    pub fn missing(&self) -> bool {
        self.access == FieldAccess::Mandatory && blank(self.value)
    }
}

/// Whether `text` is empty or only whitespace (as `str::trim` counts it), deciding from the
/// first ASCII character that is not a space when there is one: asked at every step after a
/// call, of values that are nearly always plain text.
fn blank(text: &str) -> bool {
    let rest = text.trim_ascii_start();
    match rest.as_bytes().first() {
        None => true,
        Some(&b) if b.is_ascii() && !char::from(b).is_whitespace() => false,
        Some(_) => rest.trim().is_empty(),
    }
}

/// A chain's fields: its row's until the first edit, then the chain's own.
#[derive(Clone)]
pub struct ChainFields {
    layout: Arc<FieldLayout>,
    values: Values,
}

#[derive(Clone)]
enum Values {
    /// Row `row` of `list`, as read.
    Row { list: ContactList, row: u32 },
    /// Every value, once one was edited (inline when short).
    Edited(Box<[CompactString]>),
}

impl ChainFields {
    /// The fields of `list`'s row `row`, laid out by `layout`.
    pub fn of_row(layout: Arc<FieldLayout>, list: ContactList, row: usize) -> ChainFields {
        ChainFields {
            layout,
            values: Values::Row {
                list,
                row: row as u32,
            },
        }
    }

    pub fn len(&self) -> usize {
        self.layout.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every field, in order.
    pub fn iter(&self) -> impl Iterator<Item = ContactField<'_>> + '_ {
        let view = self.view();
        (0..self.len()).map(move |k| self.field(view, k))
    }

    /// The mandatory fields still empty (what Mark Done waits for). Only mandatory fields are
    /// read: the autopilot and the Mark Done check ask this at every step after a call.
    pub fn missing(&self) -> impl Iterator<Item = ContactField<'_>> + '_ {
        let view = self.view();
        (0..self.len())
            .filter(|&k| self.layout.access[k] == FieldAccess::Mandatory)
            .map(move |k| self.field(view, k))
            .filter(ContactField::missing)
    }

    /// The field called `name`.
    pub fn get(&self, name: &str) -> Option<ContactField<'_>> {
        let k = self.layout.names.iter().position(|n| **n == *name)?;
        Some(self.field(self.view(), k))
    }

    /// Sets the field called `name` (the chain keeps its own values from now on); false when
    /// there is no such field.
    pub fn set(&mut self, name: &str, value: &str) -> bool {
        let Some(k) = self.layout.names.iter().position(|n| **n == *name) else {
            return false;
        };
        if let Values::Row { .. } = self.values {
            let view = self.view();
            let values = (0..self.len())
                .map(|k| CompactString::from(self.field(view, k).value))
                .collect();
            self.values = Values::Edited(values);
        }
        if let Values::Edited(values) = &mut self.values {
            values[k] = CompactString::from(value);
        }
        true
    }

    fn view(&self) -> Option<ContactView<'_>> {
        match &self.values {
            Values::Row { list, row } => list.view(*row as usize),
            Values::Edited(_) => None,
        }
    }

    fn field<'a>(&'a self, view: Option<ContactView<'a>>, k: usize) -> ContactField<'a> {
        let value = match (&self.values, view) {
            (Values::Edited(values), _) => values.get(k).map_or("", |v| v.as_str()),
            (Values::Row { .. }, Some(view)) => match k {
                0 => view.first_name(),
                1 => view.last_name(),
                j => view.field(j - 2).unwrap_or(""),
            },
            (Values::Row { .. }, None) => "",
        };
        ContactField {
            name: &self.layout.names[k],
            value,
            access: self.layout.access[k],
        }
    }
}

/// Equal when every field is: read from the row or edited is how they are kept, not what
/// they are.
impl PartialEq for ChainFields {
    fn eq(&self, other: &ChainFields) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for ChainFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for ChainFields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for field in self.iter() {
            seq.serialize_element(&field)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::contact_list::{ContactListBuilder, NewContact};
    use crate::world::{CallingWindow, PhoneType, TimeZone};
    use chrono::NaiveTime;

    fn list() -> ContactList {
        let mut b = ContactListBuilder::new(vec!["Account".into(), "Notes".into()]);
        let zone = TimeZone::new("ET", 0);
        let window = CallingWindow {
            from: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            till: NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
        };
        for (first, account) in [("Ann", "A1"), ("Bo", "B2")] {
            b.push(&NewContact {
                first_name: first,
                last_name: "Lee",
                fields: &[account, ""],
                time_zone: &zone,
                phones: &[(PhoneType::Home, "+1 212 555 0100")],
                window,
            });
        }
        b.finish()
    }

    fn layout(list: &ContactList) -> Arc<FieldLayout> {
        Arc::new(FieldLayout::new(
            ["First Name", "Last Name"],
            list,
            |n| match n {
                "Notes" => FieldAccess::Mandatory,
                "Account" => FieldAccess::ReadOnly,
                _ => FieldAccess::Editable,
            },
        ))
    }

    proptest::proptest! {
        /// `blank` is `trim().is_empty()`, Unicode spaces included.
        #[test]
        fn blank_is_trimmed_empty(text in "[ \t\n\u{b}\u{c}\r\u{a0}\u{2003}a\u{e9}]{0,6}") {
            proptest::prop_assert_eq!(blank(&text), text.trim().is_empty());
        }
    }

    #[test]
    fn fields_read_from_the_row_until_edited_then_keep_their_own_values() {
        let list = list();
        let mut bo = ChainFields::of_row(layout(&list), list.clone(), 1);
        let seen: Vec<_> = bo.iter().map(|f| (f.name, f.value, f.missing())).collect();
        assert_eq!(
            seen,
            [
                ("First Name", "Bo", false),
                ("Last Name", "Lee", false),
                ("Account", "B2", false),
                ("Notes", "", true),
            ]
        );
        let before = bo.clone();
        assert!(bo.set("Notes", "called back"));
        assert!(!bo.set("Nothing", "x"));
        assert_eq!(bo.get("Notes").map(|f| f.value), Some("called back"));
        assert_eq!(bo.get("Account").map(|f| f.value), Some("B2"));
        assert!(bo.iter().all(|f| !f.missing()));
        assert_ne!(bo, before);
        // An edit that writes back what the row says is equal to the row.
        let mut same = before.clone();
        assert!(same.set("Account", "B2"));
        assert_eq!(same, before);
        assert_eq!(
            serde_json::to_value(&same).unwrap(),
            serde_json::to_value(&before).unwrap()
        );
    }
}
