//! A parsed contact list, stored compactly: every cell's text in one buffer, each row a few
//! offsets into it, each time zone once. A row is turned into a [`ContactRow`] (owned strings,
//! as the engine's record chains and the customer picker read it) the first time anything
//! looks at it, so a 100,000-row list costs its text and its offsets until agents reach its
//! contacts, and campaigns naming the list share it all.

use std::collections::HashMap;
use std::fmt;
use std::ops::Index;
use std::sync::{Arc, OnceLock};

use crate::world::{CallingWindow, PhoneType, TimeZone};

/// One row of a contact list: a contact and its numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct ContactRow {
    pub first_name: String,
    pub last_name: String,
    /// Extra fields in file order (company, account, email...). The column names are shared
    /// by every row of a list, not copied into each.
    pub fields: Vec<(Arc<str>, String)>,
    pub time_zone: TimeZone,
    pub phones: Vec<(PhoneType, String)>,
    pub window: CallingWindow,
}

/// Where a cell's text is in the list's buffer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Span {
    start: u32,
    len: u32,
}

/// The most numbers a contact has (home, work, mobile).
pub(super) const MAX_PHONES: usize = 3;

/// Rows whose [`ContactRow`] slots are made together.
const BUILT_PAGE: usize = 64;

type BuiltPage = Box<[OnceLock<Box<ContactRow>>]>;

/// A row as stored: offsets into the list's text, its zone by index.
#[derive(Clone, Copy, Debug)]
struct PackedRow {
    first_name: Span,
    last_name: Span,
    phones: [(PhoneType, Span); MAX_PHONES],
    phone_count: u8,
    zone: u32,
    window: CallingWindow,
}

/// The rows of one contact list, read once and shared by every campaign naming it.
struct ListStore {
    /// Every cell's text (names, field values, tidied numbers), one after the other.
    text: String,
    field_names: Box<[Arc<str>]>,
    /// Each row's field values, `field_names.len()` of them a row.
    field_values: Vec<Span>,
    zones: Vec<TimeZone>,
    rows: Vec<PackedRow>,
    /// Each row as a [`ContactRow`], made the first time it is looked at; the slots come in
    /// pages of [`BUILT_PAGE`], made when one of their rows is first looked at (most rows of
    /// a large list never are: the engine reads them through [`ContactView`]).
    built: Box<[OnceLock<BuiltPage>]>,
}

impl ListStore {
    fn text(&self, span: Span) -> &str {
        let start = span.start as usize;
        self.text
            .get(start..start + span.len as usize)
            .unwrap_or("")
    }

    fn row(&self, i: usize) -> &ContactRow {
        let page = self.built[i / BUILT_PAGE]
            .get_or_init(|| (0..BUILT_PAGE).map(|_| OnceLock::new()).collect());
        page[i % BUILT_PAGE].get_or_init(|| Box::new(self.build(i)))
    }

    fn build(&self, i: usize) -> ContactRow {
        let view = self.view(i);
        ContactRow {
            first_name: view.first_name().to_string(),
            last_name: view.last_name().to_string(),
            fields: view
                .fields()
                .map(|(name, value)| (Arc::clone(name), value.to_string()))
                .collect(),
            time_zone: view.time_zone().clone(),
            phones: view
                .phones()
                .map(|(kind, number)| (kind, number.to_string()))
                .collect(),
            window: view.window(),
        }
    }

    fn view(&self, i: usize) -> ContactView<'_> {
        ContactView {
            store: self,
            row: &self.rows[i],
            index: i,
        }
    }
}

/// A row of a list as borrowed text: for a reader that copies what it needs (a record chain
/// is built this way) without the list making a [`ContactRow`] of it first.
#[derive(Clone, Copy)]
pub struct ContactView<'a> {
    store: &'a ListStore,
    row: &'a PackedRow,
    index: usize,
}

impl<'a> ContactView<'a> {
    pub fn first_name(&self) -> &'a str {
        self.store.text(self.row.first_name)
    }

    pub fn last_name(&self) -> &'a str {
        self.store.text(self.row.last_name)
    }

    /// The extra fields, name and value, in file order.
    pub fn fields(&self) -> impl Iterator<Item = (&'a Arc<str>, &'a str)> + 'a {
        let store = self.store;
        store
            .field_names
            .iter()
            .zip(self.values())
            .map(move |(name, &value)| (name, store.text(value)))
    }

    /// The value of extra field `j` (in file order).
    pub fn field(&self, j: usize) -> Option<&'a str> {
        self.values().get(j).map(|&value| self.store.text(value))
    }

    /// Where this row's extra values are in the list's text, in file order.
    fn values(&self) -> &'a [Span] {
        let width = self.store.field_names.len();
        &self.store.field_values[self.index * width..(self.index + 1) * width]
    }

    pub fn time_zone(&self) -> &'a TimeZone {
        &self.store.zones[self.row.zone as usize]
    }

    /// The numbers, tidied, in the order of their columns (home, work, mobile).
    pub fn phones(&self) -> impl Iterator<Item = (PhoneType, &'a str)> + 'a {
        let store = self.store;
        self.row.phones[..usize::from(self.row.phone_count)]
            .iter()
            .map(move |&(kind, number)| (kind, store.text(number)))
    }

    pub fn window(&self) -> CallingWindow {
        self.row.window
    }
}

/// A campaign's contacts: the rows of its contact list, up to its `max_contacts`. Campaigns
/// naming the same list share one copy of its rows, read and parsed once.
#[derive(Clone)]
pub struct ContactList {
    store: Arc<ListStore>,
    len: usize,
}

impl ContactList {
    /// The first `max` rows of the list (all when `None`), sharing its storage.
    pub fn limited(&self, max: Option<usize>) -> ContactList {
        ContactList {
            store: Arc::clone(&self.store),
            len: max.map_or(self.len, |m| m.min(self.len)),
        }
    }

    /// Whether both lists are views of one parsed contact list.
    pub fn shares_rows_with(&self, other: &ContactList) -> bool {
        Arc::ptr_eq(&self.store, &other.store)
    }

    /// The same for lists that share their rows ([`ContactList::shares_rows_with`]) and
    /// different otherwise, while both are alive: for finding the lists of many campaigns
    /// that share rows without comparing every pair.
    pub fn rows_identity(&self) -> usize {
        Arc::as_ptr(&self.store) as usize
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Row `i`, made into a [`ContactRow`] when first asked for.
    pub fn get(&self, i: usize) -> Option<&ContactRow> {
        (i < self.len).then(|| self.store.row(i))
    }

    /// Row `i` as borrowed text, without making a [`ContactRow`] of it.
    pub fn view(&self, i: usize) -> Option<ContactView<'_>> {
        (i < self.len).then(|| self.store.view(i))
    }

    pub fn first(&self) -> Option<&ContactRow> {
        self.get(0)
    }

    pub fn iter(&self) -> ContactIter<'_> {
        ContactIter {
            list: self,
            next: 0,
        }
    }

    /// The names of the list's extra fields (its columns beyond names, zone, window and
    /// numbers), in file order; every row has each of them.
    pub fn field_names(&self) -> &[Arc<str>] {
        &self.store.field_names
    }
}

impl Default for ContactList {
    fn default() -> ContactList {
        ContactListBuilder::new(Vec::new()).finish()
    }
}

impl Index<usize> for ContactList {
    type Output = ContactRow;
    fn index(&self, i: usize) -> &ContactRow {
        assert!(i < self.len, "contact row {i} of {}", self.len);
        self.store.row(i)
    }
}

impl From<Vec<ContactRow>> for ContactList {
    fn from(rows: Vec<ContactRow>) -> ContactList {
        let names = rows
            .first()
            .map(|r| r.fields.iter().map(|(n, _)| Arc::clone(n)).collect())
            .unwrap_or_default();
        let mut list = ContactListBuilder::new(names);
        let mut values: Vec<&str> = Vec::new();
        let mut phones: Vec<(PhoneType, &str)> = Vec::new();
        for row in &rows {
            values.clear();
            values.extend(row.fields.iter().map(|(_, v)| v.as_str()));
            phones.clear();
            phones.extend(row.phones.iter().map(|(t, p)| (*t, p.as_str())));
            list.push(&NewContact {
                first_name: &row.first_name,
                last_name: &row.last_name,
                fields: &values,
                time_zone: &row.time_zone,
                phones: &phones,
                window: row.window,
            });
        }
        list.finish()
    }
}

impl PartialEq for ContactList {
    fn eq(&self, other: &ContactList) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for ContactList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The rows of a list by value, one clone at a time (the list itself is shared).
pub struct ContactRows {
    list: ContactList,
    next: usize,
}

impl Iterator for ContactRows {
    type Item = ContactRow;
    fn next(&mut self) -> Option<ContactRow> {
        let row = self.list.get(self.next)?.clone();
        self.next += 1;
        Some(row)
    }
}

impl IntoIterator for ContactList {
    type Item = ContactRow;
    type IntoIter = ContactRows;
    fn into_iter(self) -> ContactRows {
        ContactRows {
            list: self,
            next: 0,
        }
    }
}

/// The rows of a list by reference, each made into a [`ContactRow`] when first reached.
pub struct ContactIter<'a> {
    list: &'a ContactList,
    next: usize,
}

impl<'a> Iterator for ContactIter<'a> {
    type Item = &'a ContactRow;
    fn next(&mut self) -> Option<&'a ContactRow> {
        let row = self.list.get(self.next)?;
        self.next += 1;
        Some(row)
    }
}

impl<'a> IntoIterator for &'a ContactList {
    type Item = &'a ContactRow;
    type IntoIter = ContactIter<'a>;
    fn into_iter(self) -> ContactIter<'a> {
        self.iter()
    }
}

/// A contact to add to a list being built: borrowed texts, copied into the list's buffer.
pub struct NewContact<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    /// One value for each of the list's field names, in their order (missing ones are empty).
    pub fields: &'a [&'a str],
    pub time_zone: &'a TimeZone,
    /// At most three numbers, already checked and tidied.
    pub phones: &'a [(PhoneType, &'a str)],
    pub window: CallingWindow,
}

/// Builds a [`ContactList`] row by row into one text buffer.
pub struct ContactListBuilder {
    store: ListStore,
    /// Zone indexes by name, then by offset (a list has a handful of zones).
    zone_index: HashMap<String, Vec<(i32, u32)>>,
    /// The zone of the previous row: lists often run in one zone for many rows.
    last_zone: Option<u32>,
    /// The row being read: its numbers so far.
    phones: [(PhoneType, Span); MAX_PHONES],
    phone_count: u8,
}

impl ContactListBuilder {
    /// A list whose rows have the extra fields `field_names`.
    pub fn new(field_names: Vec<Arc<str>>) -> ContactListBuilder {
        ContactListBuilder {
            store: ListStore {
                text: String::new(),
                field_names: field_names.into(),
                field_values: Vec::new(),
                zones: Vec::new(),
                rows: Vec::new(),
                built: Box::new([]),
            },
            zone_index: HashMap::new(),
            last_zone: None,
            phones: [(PhoneType::Home, Span::default()); MAX_PHONES],
            phone_count: 0,
        }
    }

    /// Room for `rows` more rows of about `text` bytes in all.
    pub fn reserve(&mut self, rows: usize, text: usize) {
        self.store.rows.reserve(rows);
        self.store.text.reserve(text);
        self.store
            .field_values
            .reserve(rows * self.store.field_names.len());
    }

    /// Copies `text` into the buffer. The buffer is bounded by the inputs (16 MiB a file) and
    /// the floor's generated lists, far below 4 GiB; a text past that reads back empty.
    pub(super) fn text(&mut self, text: &str) -> Span {
        let start = self.store.text.len();
        match (u32::try_from(start), u32::try_from(text.len())) {
            (Ok(start), Ok(len)) if start.checked_add(len).is_some() => {
                self.store.text.push_str(text);
                Span { start, len }
            }
            _ => Span::default(),
        }
    }

    /// The buffer, for a caller that writes a cell's text itself (a tidied number); then
    /// [`ContactListBuilder::span_from`] with the length it had before.
    pub(super) fn buffer(&mut self) -> &mut String {
        &mut self.store.text
    }

    /// The span of what was written to the buffer since it was `start` bytes long.
    pub(super) fn span_from(&mut self, start: usize) -> Span {
        let end = self.store.text.len();
        match (u32::try_from(start), u32::try_from(end - start)) {
            (Ok(start), Ok(len)) if start.checked_add(len).is_some() => Span { start, len },
            _ => {
                self.store.text.truncate(start);
                Span::default()
            }
        }
    }

    /// Adds a number to the row being read (the fourth and later are ignored).
    pub(super) fn phone(&mut self, kind: PhoneType, number: Span) {
        if let Some(slot) = self.phones.get_mut(usize::from(self.phone_count)) {
            *slot = (kind, number);
            self.phone_count += 1;
        }
    }

    /// Adds one field value to the row being read; a row takes one a field name.
    pub(super) fn field(&mut self, value: Span) {
        self.store.field_values.push(value);
    }

    /// The index of the zone `name` at `offset` minutes from the centre, added when new.
    pub(super) fn zone(&mut self, name: &str, offset: i32) -> u32 {
        let zones = &self.store.zones;
        if let Some(last) = self.last_zone {
            let z = &zones[last as usize];
            if z.offset_from_centre_minutes == offset && *z.name == *name {
                return last;
            }
        }
        // A handful of zones is searched in place; many, by name.
        let known = if zones.len() <= 8 {
            zones
                .iter()
                .position(|z| z.offset_from_centre_minutes == offset && *z.name == *name)
                .map(|i| (offset, i as u32))
        } else {
            self.zone_index
                .get(name)
                .and_then(|v| v.iter().find(|(o, _)| *o == offset))
                .copied()
        };
        let i = match known {
            Some((_, i)) => i,
            None => {
                let i = zones.len() as u32;
                self.store.zones.push(TimeZone::new(name, offset));
                self.zone_index
                    .entry(name.to_string())
                    .or_default()
                    .push((offset, i));
                i
            }
        };
        self.last_zone = Some(i);
        i
    }

    /// Ends the row being read: its fields and numbers were added before, its zone is an
    /// index from [`ContactListBuilder::zone`].
    pub(super) fn end_row(
        &mut self,
        first_name: Span,
        last_name: Span,
        zone: u32,
        window: CallingWindow,
    ) {
        self.store.rows.push(PackedRow {
            first_name,
            last_name,
            phones: self.phones,
            phone_count: self.phone_count,
            zone,
            window,
        });
        self.phone_count = 0;
    }

    /// Adds a whole contact.
    pub fn push(&mut self, contact: &NewContact) {
        let first_name = self.text(contact.first_name);
        let last_name = self.text(contact.last_name);
        for i in 0..self.store.field_names.len() {
            let value = contact.fields.get(i).copied().unwrap_or("");
            let span = self.text(value);
            self.field(span);
        }
        for &(kind, number) in contact.phones.iter().take(MAX_PHONES) {
            let span = self.text(number);
            self.phone(kind, span);
        }
        let zone = self.zone(
            &contact.time_zone.name,
            contact.time_zone.offset_from_centre_minutes,
        );
        self.end_row(first_name, last_name, zone, contact.window);
    }

    /// The calling window of the last row added.
    pub(super) fn last_window(&self) -> Option<CallingWindow> {
        self.store.rows.last().map(|r| r.window)
    }

    pub fn finish(mut self) -> ContactList {
        let len = self.store.rows.len();
        self.store.text.shrink_to_fit();
        self.store.rows.shrink_to_fit();
        self.store.field_values.shrink_to_fit();
        self.store.built = (0..len.div_ceil(BUILT_PAGE))
            .map(|_| OnceLock::new())
            .collect();
        ContactList {
            store: Arc::new(self.store),
            len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn rows_read_back_as_they_were_added_and_share_zones() {
        let window = CallingWindow {
            from: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            till: NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
        };
        let zone = |name: &str, offset| TimeZone::new(name, offset);
        let rows = vec![
            ContactRow {
                first_name: "Ann".into(),
                last_name: "Lee".into(),
                fields: vec![("Account".into(), "A1".into()), ("Notes".into(), "".into())],
                time_zone: zone("ET", 0),
                phones: vec![(PhoneType::Home, "5550101".into())],
                window,
            },
            ContactRow {
                first_name: "".into(),
                last_name: "Kim".into(),
                fields: vec![("Account".into(), "".into()), ("Notes".into(), "x".into())],
                time_zone: zone("PT", -180),
                phones: vec![
                    (PhoneType::Work, "5550102".into()),
                    (PhoneType::Mobile, "+1 555 0103".into()),
                ],
                window,
            },
            ContactRow {
                first_name: "Bo".into(),
                last_name: "Lee".into(),
                fields: vec![("Account".into(), "A3".into()), ("Notes".into(), "".into())],
                time_zone: zone("ET", 0),
                phones: vec![(PhoneType::Home, "5550104".into())],
                window,
            },
        ];
        let list = ContactList::from(rows.clone());
        assert_eq!(list.len(), 3);
        assert_eq!(list.store.zones.len(), 2);
        assert!(list.iter().eq(rows.iter()));
        assert_eq!(list[1], rows[1]);
        assert_eq!(list.field_names().len(), 2);
        let two = list.limited(Some(2));
        assert!(two.shares_rows_with(&list));
        assert_eq!(two.len(), 2);
        assert_eq!(two.get(2), None);
        assert_eq!(two.into_iter().collect::<Vec<_>>(), rows[..2]);
        assert!(ContactList::default().is_empty());
        let kim = list.view(1).unwrap();
        assert_eq!((kim.first_name(), kim.last_name()), ("", "Kim"));
        let fields: Vec<(&str, &str)> = kim.fields().map(|(n, v)| (&**n, v)).collect();
        assert_eq!(fields, [("Account", ""), ("Notes", "x")]);
        assert_eq!(&*kim.time_zone().name, "PT");
        assert_eq!(
            kim.phones().nth(1),
            Some((PhoneType::Mobile, "+1 555 0103"))
        );
        assert!(list.view(3).is_none());
    }
}
