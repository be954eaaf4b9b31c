//! Contact lists (CSV): the contacts of a campaign, their numbers, time zones and calling
//! windows, with the lists embedded in the binary. Errors are placed at the line and column
//! where the cell starts; a list named by several campaigns is read once and shared.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveTime;

use crate::input::{Collector, Diagnostic, LineIndex, Severity, read_text};
use crate::input::{did_you_mean, suggest};
use crate::output::InputKind;
use crate::world::{CallingWindow, PhoneType};

pub use super::contact_list::{
    ContactIter, ContactList, ContactListBuilder, ContactRow, ContactRows, ContactView, NewContact,
};

/// Contact lists compiled into the binary, by the name a scenario uses for them.
pub const EMBEDDED_CONTACT_LISTS: &[(&str, &str)] = &[
    (
        "renewals.csv",
        include_str!("../../assets/contacts/renewals.csv"),
    ),
    (
        "survey.csv",
        include_str!("../../assets/contacts/survey.csv"),
    ),
];

pub(super) enum ContactError {
    NotFound,
    Bad(Box<Diagnostic>),
}

pub(super) fn load_contacts(
    name: &str,
    dir: Option<&Path>,
    centre_minutes: i32,
    warnings: &mut Collector,
) -> Result<ContactList, ContactError> {
    if let Some((_, text)) = EMBEDDED_CONTACT_LISTS.iter().find(|(n, _)| *n == name) {
        return read_contacts(
            &format!("<embedded assets/contacts/{name}>"),
            text,
            centre_minutes,
            warnings,
        )
        .map_err(|d| ContactError::Bad(Box::new(d)));
    }
    let path: PathBuf = match dir {
        Some(d) => d.join(name),
        None => PathBuf::from(name),
    };
    if !path.is_file() {
        return Err(ContactError::NotFound);
    }
    crate::output::note_input(&path, InputKind::ContactList);
    let text = read_text(&path).map_err(|d| ContactError::Bad(Box::new(d)))?;
    read_contacts(&path.display().to_string(), &text, centre_minutes, warnings)
        .map_err(|d| ContactError::Bad(Box::new(d)))
}

/// Required columns of a contact list; any other column becomes a contact field.
const CONTACT_COLUMNS: &[&str] = &[
    "first_name",
    "last_name",
    "time_zone",
    "utc_offset_hours",
    "window_from",
    "window_till",
];
const PHONE_COLUMNS: &[&str] = &["home", "work", "mobile"];

/// Parses a contact list CSV. Errors name the file, line and column.
pub fn parse_contacts(
    file: &str,
    text: &str,
    centre_minutes: i32,
) -> Result<ContactList, Diagnostic> {
    read_contacts(file, text, centre_minutes, &mut Collector::new(file))
}

/// [`parse_contacts`], with the warnings (duplicate columns, empty calling windows) collected
/// in `warnings`.
pub fn read_contacts(
    file: &str,
    text: &str,
    centre_minutes: i32,
    warnings: &mut Collector,
) -> Result<ContactList, Diagnostic> {
    read_with(file, text, centre_minutes, warnings, true)
}

/// [`read_contacts`]; `plain`: rows without quotes or carriage returns are split directly
/// (false only in the tests that check it reads as the csv reader does).
fn read_with(
    file: &str,
    text: &str,
    centre_minutes: i32,
    warnings: &mut Collector,
    plain: bool,
) -> Result<ContactList, Diagnostic> {
    let csv = CsvText {
        file,
        text,
        lines: std::cell::OnceCell::new(),
    };
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| csv.malformed("cannot read the header", &e))?
        .clone();
    // The csv reader skips a byte order mark before the header.
    let header_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let columns = Columns::new(&headers);
    for required in CONTACT_COLUMNS {
        if columns.get(required).is_none() {
            return Err(csv.missing_column(required, &headers, header_start));
        }
    }
    for (i, h) in headers.iter().enumerate() {
        // The first column of each name is in the index: any other is a repeat of it.
        if let Some(first) = columns.get(h.trim()).filter(|&first| first != i) {
            let d = Diagnostic::new(
                Severity::Warning,
                file,
                format!(
                    "column \"{}\" appears twice (columns {} and {}); only the first is read",
                    h.trim(),
                    first + 1,
                    i + 1
                ),
            )
            .at_indexed(csv.lines(), field_span(text, header_start, i));
            warnings.push(d);
        }
    }
    let layout = Layout::new(&columns);
    let names: Vec<Arc<str>> = columns.fields.iter().map(|(_, h)| Arc::clone(h)).collect();
    // Where the rows start: the csv reader stands at the first byte after the header.
    let rows_from = reader.position().byte() as usize;
    let at = (rows_from, headers.len());
    if plain && let Some(list) = csv.plain_rows(at, &layout, &names, centre_minutes, warnings)? {
        return Ok(list);
    }
    let mut list = ContactListBuilder::new(names);
    // About the size of the file: every cell's text is kept once, tidied.
    list.reserve(0, text.len());
    // One record, read into again and again: no allocation a row.
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv.malformed("malformed CSV", &e)),
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        csv.row(&layout, &record, start, centre_minutes, &mut list)?;
        if let Some(window) = list.last_window().filter(|w| w.from == w.till) {
            csv.never_opens(warnings, start, &layout, window);
        }
    }
    Ok(list.finish())
}

/// The bytes [`CsvText::plain_rows`] stops at: the comma and line break it splits at, and the
/// quote and carriage return it leaves to the csv reader.
const PLAIN_STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    stops[b',' as usize] = true;
    stops[b'\n' as usize] = true;
    stops[b'"' as usize] = true;
    stops[b'\r' as usize] = true;
    stops
};

/// The cells of one row, by column.
trait Cells {
    fn cell(&self, i: usize) -> Option<&str>;
}

impl Cells for csv::StringRecord {
    fn cell(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
}

impl Cells for [&str] {
    fn cell(&self, i: usize) -> Option<&str> {
        self.get(i).copied()
    }
}

/// The columns a row is read from, found once for the whole list.
struct Layout {
    first_name: usize,
    last_name: usize,
    time_zone: usize,
    utc_offset_hours: usize,
    window_from: usize,
    window_till: usize,
    /// The number columns the list has, in the order they are checked.
    phones: Vec<(usize, PhoneType)>,
    /// Where the field columns are, in file order.
    fields: Vec<usize>,
}

impl Layout {
    /// The required columns are all there (checked before).
    fn new(columns: &Columns) -> Layout {
        let at = |name: &str| columns.get(name).unwrap_or(usize::MAX);
        Layout {
            first_name: at("first_name"),
            last_name: at("last_name"),
            time_zone: at("time_zone"),
            utc_offset_hours: at("utc_offset_hours"),
            window_from: at("window_from"),
            window_till: at("window_till"),
            phones: PHONE_COLUMNS
                .iter()
                .filter_map(|&p| {
                    let kind = PhoneType::parse(p).unwrap_or(PhoneType::Other);
                    columns.get(p).map(|i| (i, kind))
                })
                .collect(),
            fields: columns.fields.iter().map(|(i, _)| *i).collect(),
        }
    }
}

/// `s.trim()`, answered without decoding characters when `s` starts and ends with a
/// character that is not white space (nearly every cell).
fn trim(s: &str) -> &str {
    let solid = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii() && !char::from(b).is_whitespace());
    let bytes = s.as_bytes();
    if solid(bytes.first()) && solid(bytes.last()) {
        s
    } else {
        s.trim()
    }
}

/// A local time written `HH:MM` (what `NaiveTime::parse_from_str(s, "%H:%M")` accepts), read
/// without the format machinery when it is exactly two digits, a colon and two digits (every
/// list seen so far); anything else goes to chrono, which decides as before.
fn local_time(s: &str) -> Option<NaiveTime> {
    if let &[h1, h2, b':', m1, m2] = s.as_bytes()
        && [h1, h2, m1, m2].iter().all(u8::is_ascii_digit)
    {
        let hour = u32::from(h1 - b'0') * 10 + u32::from(h2 - b'0');
        let minute = u32::from(m1 - b'0') * 10 + u32::from(m2 - b'0');
        if let Some(t) = NaiveTime::from_hms_opt(hour, minute, 0) {
            return Some(t);
        }
    }
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

/// Where each column of a contact list is, by its trimmed name (the first, when two share one),
/// and the columns that become contact fields, each name stored once for all rows.
struct Columns<'h> {
    index: HashMap<&'h str, usize>,
    fields: Vec<(usize, Arc<str>)>,
}

impl<'h> Columns<'h> {
    fn new(headers: &'h csv::StringRecord) -> Columns<'h> {
        let mut index = HashMap::with_capacity(headers.len());
        for (i, h) in headers.iter().enumerate() {
            index.entry(h.trim()).or_insert(i);
        }
        let fields = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (i, h.trim()))
            .filter(|(i, h)| {
                index.get(h) == Some(i)
                    && !CONTACT_COLUMNS.contains(h)
                    && !PHONE_COLUMNS.contains(h)
            })
            .map(|(i, h)| (i, Arc::from(h)))
            .collect();
        Columns { index, fields }
    }

    fn get(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

/// The text of a contact list, for placing its diagnostics at a line and column.
struct CsvText<'a> {
    file: &'a str,
    text: &'a str,
    /// Built for the first diagnostic: a list without one never scans its text for lines.
    lines: std::cell::OnceCell<LineIndex<'a>>,
}

impl<'a> CsvText<'a> {
    fn lines(&self) -> &LineIndex<'a> {
        self.lines.get_or_init(|| LineIndex::new(self.text))
    }

    /// The rows from byte `from` on, when none holds a quote or a carriage return: then the
    /// csv reader's records are the non-empty lines and its cells what lies between commas,
    /// and splitting them so costs a fraction of its reading. `None` (and the csv reader reads
    /// the rows, giving their warnings) when the text has either, or a row has another number
    /// of cells than the header's `width`, so that the reader words that error as always. A
    /// row's own error, and the warnings before it, are the same either way.
    fn plain_rows(
        &self,
        (from, width): (usize, usize),
        layout: &Layout,
        names: &[Arc<str>],
        centre_minutes: i32,
        warnings: &mut Collector,
    ) -> Result<Option<ContactList>, Diagnostic> {
        let Some(rest) = self.text.get(from..) else {
            return Ok(None);
        };
        let mut list = ContactListBuilder::new(names.to_vec());
        list.reserve(0, rest.len());
        let mut never_open = Vec::new();
        let mut cells: Vec<&str> = Vec::with_capacity(width);
        let (mut line, mut cell, mut at) = (0, 0, 0);
        // One pass over the bytes: a comma ends a cell, a line break a row (the text's end is
        // one more), a quote or a carriage return hands the list to the csv reader.
        let bytes = rest.as_bytes();
        loop {
            let end = bytes[at..]
                .iter()
                .position(|&b| PLAIN_STOPS[usize::from(b)])
                .map_or(bytes.len(), |p| at + p);
            match bytes.get(end).copied().unwrap_or(b'\n') {
                b',' => {
                    cells.push(&rest[cell..end]);
                    (cell, at) = (end + 1, end + 1);
                    continue;
                }
                b'\n' => {}
                _ => return Ok(None),
            }
            // An empty line is no row, as for the csv reader.
            if end > line {
                cells.push(&rest[cell..end]);
                if cells.len() != width {
                    return Ok(None);
                }
                let start = from + line;
                if let Err(e) = self.row(layout, &cells[..], start, centre_minutes, &mut list) {
                    self.warn_never_open(warnings, layout, never_open);
                    return Err(e);
                }
                if let Some(window) = list.last_window().filter(|w| w.from == w.till) {
                    never_open.push((start, window));
                }
            }
            cells.clear();
            if end >= bytes.len() {
                break;
            }
            (line, cell, at) = (end + 1, end + 1, end + 1);
        }
        self.warn_never_open(warnings, layout, never_open);
        Ok(Some(list.finish()))
    }

    /// The warnings of rows read by [`CsvText::plain_rows`], given once it knows it reads them.
    fn warn_never_open(
        &self,
        warnings: &mut Collector,
        layout: &Layout,
        rows: Vec<(usize, CallingWindow)>,
    ) {
        for (start, window) in rows {
            self.never_opens(warnings, start, layout, window);
        }
    }

    /// The warning for the row at `start`, whose calling window never opens.
    fn never_opens(
        &self,
        warnings: &mut Collector,
        start: usize,
        layout: &Layout,
        window: CallingWindow,
    ) {
        if warnings.has_room(Severity::Warning) {
            let d = Diagnostic::new(
                Severity::Warning,
                self.file,
                format!(
                    "calling window {window} opens and closes at the same time, so this contact can never be called"
                ),
            )
            .at_indexed(self.lines(), field_span(self.text, start, layout.window_from))
            .expected("window_till later (or earlier, for a window past midnight) than window_from");
            warnings.push(d);
        } else {
            warnings.count_hidden(Severity::Warning);
        }
    }

    fn malformed(&self, what: &str, e: &csv::Error) -> Diagnostic {
        let d = Diagnostic::error(self.file, format!("{what}: {e}"));
        match e.position() {
            Some(p) => {
                let start = p.byte() as usize;
                d.at_indexed(self.lines(), start..start)
            }
            None => d,
        }
    }

    /// A required column that is missing: placed at the header most like it (a misspelling),
    /// or just past the last header.
    fn missing_column(
        &self,
        required: &str,
        headers: &csv::StringRecord,
        start: usize,
    ) -> Diagnostic {
        let s = suggest(required, headers.iter());
        let at = match s
            .first()
            .and_then(|close| headers.iter().position(|h| h == *close))
        {
            Some(i) => field_span(self.text, start, i),
            None => {
                let end = self.lines().line_text(1).len();
                end..end
            }
        };
        Diagnostic::error(
            self.file,
            format!("missing column \"{required}\"{}", did_you_mean(&s)),
        )
        .at_indexed(self.lines(), at)
        .expected(format!(
            "columns {} and at least one of {}",
            CONTACT_COLUMNS.join(", "),
            PHONE_COLUMNS.join(", ")
        ))
    }

    /// One row of a contact list, checked, added to `list`.
    fn row(
        &self,
        layout: &Layout,
        record: &(impl Cells + ?Sized),
        start: usize,
        centre_minutes: i32,
        list: &mut ContactListBuilder,
    ) -> Result<(), Diagnostic> {
        let get = |i: usize| trim(record.cell(i).unwrap_or(""));
        let bad = |column: usize, message: String, expected: &str| {
            // A column the list lacks (only a number column can be) is placed at the first.
            let column = if column == usize::MAX { 0 } else { column };
            let span = field_span(self.text, start, column);
            Diagnostic::error(self.file, message)
                .at_indexed(self.lines(), span)
                .expected(expected.to_string())
        };
        let offset_text = get(layout.utc_offset_hours);
        let offset: f64 = offset_text.parse().map_err(|_| {
            bad(
                layout.utc_offset_hours,
                format!("invalid utc_offset_hours \"{offset_text}\""),
                "a number of hours such as -8 or 5.5",
            )
        })?;
        // Earth's offsets run from -12 to +14; "inf" and "1e10" parse as numbers too, and
        // would overflow the minutes below.
        if !(-14.0..=14.0).contains(&offset) {
            return Err(bad(
                layout.utc_offset_hours,
                format!("utc_offset_hours \"{offset_text}\" is out of range"),
                "an offset between -14 and 14 hours",
            ));
        }
        let time = |column: usize, name: &str| {
            local_time(get(column)).ok_or_else(|| {
                bad(
                    column,
                    format!("invalid {name} \"{}\"", get(column)),
                    "a local time like 08:00",
                )
            })
        };
        let window = CallingWindow {
            from: time(layout.window_from, "window_from")?,
            till: time(layout.window_till, "window_till")?,
        };
        let mut phones = 0;
        for &(i, kind) in &layout.phones {
            let v = get(i);
            if !v.is_empty() {
                let before = list.buffer().len();
                crate::world::tidy_phone_into(v, list.buffer())
                    .map_err(|e| bad(i, e, "a phone number with 7 to 15 digits"))?;
                let number = list.span_from(before);
                list.phone(kind, number);
                phones += 1;
            }
        }
        if phones == 0 {
            let first_phone = layout.phones.first().map_or(usize::MAX, |p| p.0);
            return Err(bad(
                first_phone,
                "contact has no phone number".into(),
                "a home, work or mobile number",
            ));
        }
        for &i in &layout.fields {
            let value = list.text(get(i));
            list.field(value);
        }
        let first_name = list.text(get(layout.first_name));
        let last_name = list.text(get(layout.last_name));
        // Saturating: the offset is checked above, but the centre is the caller's.
        let minutes = ((offset * 60.0).round() as i32).saturating_sub(centre_minutes);
        let zone = list.zone(get(layout.time_zone), minutes);
        list.end_row(first_name, last_name, zone, window);
        Ok(())
    }
}

/// The byte span of field `field` (0-based) of the CSV record that starts at byte `start`,
/// following the quoting rules of the csv reader (a quoted field may hold commas, doubled
/// quotes and line breaks). A record with fewer fields gives the empty span at its end.
fn field_span(text: &str, start: usize, field: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let mut i = start.min(bytes.len());
    let mut n = 0;
    loop {
        let field_start = i;
        if bytes.get(i) == Some(&b'"') {
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < bytes.len() && !matches!(bytes[i], b',' | b'\n' | b'\r') {
            i += 1;
        }
        if n == field {
            return field_start..i;
        }
        if bytes.get(i) != Some(&b',') {
            return i..i;
        }
        i += 1;
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_errors_name_line_and_column() {
        let text = "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home\nA,B,ET,-5,08:00,21:00,555-0101x\n";
        let e = parse_contacts("c.csv", text, -300).unwrap_err();
        // The character column where the `home` field starts, not its field number (7).
        assert_eq!(e.location(), "c.csv:2:23");
        assert!(e.to_string().contains("^^^^^^^^^"), "{e}");
        // A missing column is placed at the header that looks like it...
        let e = parse_contacts("c.csv", "first_name,last_nam\n", -300).unwrap_err();
        assert!(e.message.contains("missing column \"last_name\""));
        assert_eq!(e.location(), "c.csv:1:12");
        // ...or just past the last header when none does.
        let e = parse_contacts("c.csv", "first_name,last_name,zone\n", -300).unwrap_err();
        assert!(e.message.contains("missing column \"time_zone\""), "{e}");
        assert_eq!(e.location(), "c.csv:1:26");
        // A quoted field with a comma and a doubled quote counts as one field.
        let text = "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home\n\"B, \"\"C\"\"\",D,ET,x,08:00,21:00,5550101\n";
        let e = parse_contacts("c.csv", text, -300).unwrap_err();
        assert_eq!(e.location(), "c.csv:2:17", "{e}");
    }

    #[test]
    fn csv_warnings_for_duplicate_columns_and_windows_that_never_open() {
        let text = "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home,Notes,Notes\nA,B,ET,-5,09:00,09:00,5550101,x,y\n";
        let mut warnings = Collector::new("c.csv");
        let rows = read_contacts("c.csv", text, -300, &mut warnings).unwrap();
        let warnings = warnings.finish();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0]
                .message
                .contains("column \"Notes\" appears twice")
        );
        assert_eq!(warnings[0].location(), "c.csv:1:84");
        assert!(warnings[1].message.contains("can never be called"));
        assert_eq!(warnings[1].location(), "c.csv:2:11");
        assert_eq!(rows[0].fields, vec![("Notes".into(), "x".to_string())]);
    }

    /// Reads `text` both ways: split directly and by the csv reader.
    fn both_ways(text: &str) -> [(Result<ContactList, Diagnostic>, Vec<Diagnostic>); 2] {
        [true, false].map(|plain| {
            let mut warnings = Collector::new("c.csv");
            let read = read_with("c.csv", text, -300, &mut warnings, plain);
            (read, warnings.finish())
        })
    }

    #[test]
    fn rows_split_directly_read_as_the_csv_reader_reads_them() {
        const HEADER: &str = "first_name,last_name,time_zone,utc_offset_hours,window_from,window_till,home,work,Notes";
        let texts = [
            // Blank lines between and after rows; a last row without a line break.
            format!(
                "{HEADER}\nA,B,ET,-5,08:00,21:00,5550101,,x\n\n\nC,D,PT,-8,9:00,17:30,,555 0102,\n\n"
            ),
            format!("{HEADER}\nA,B,ET,-5,08:00,21:00,5550101,,x"),
            // A byte order mark; cells with spaces and other white space around them.
            format!(
                "\u{feff}{HEADER}\n A , B\t,ET,-5, 08:00 ,21:00,+1  212 555 0101,,\u{a0}y\u{a0}\n"
            ),
            // Windows that never open, then a bad number: the warnings come before the error.
            format!(
                "{HEADER}\nA,B,ET,-5,09:00,09:00,5550101,,\nC,D,ET,-5,10:00,10:00,5550102,,\nE,F,ET,-5,08:00,21:00,55x,,\n"
            ),
            // A row with a cell too many, and one too few.
            format!("{HEADER}\nA,B,ET,-5,08:00,21:00,5550101,,,\n"),
            format!("{HEADER}\nA,B,ET,-5,09:00,09:00,5550101,,\nA,B,ET,-5,08:00,21:00,5550101\n"),
            // No number; a bad time; an offset out of range; a line of one space.
            format!("{HEADER}\nA,B,ET,-5,08:00,21:00,,,\n"),
            format!("{HEADER}\nA,B,ET,-5,8:5,21:00,5550101,,\n"),
            format!("{HEADER}\nA,B,ET,99,08:00,21:00,5550101,,\n"),
            format!("{HEADER}\n \n"),
            // Quotes or carriage returns anywhere: the csv reader reads it.
            format!("{HEADER}\n\"A, a\",B,ET,-5,08:00,21:00,5550101,,\n"),
            format!("{HEADER}\r\nA,B,ET,-5,08:00,21:00,5550101,,\r\n"),
            format!("{HEADER}\r\nA,B,ET,-5,08:00,21:00,5550101,,\n"),
            // A quoted header, plain rows.
            format!(
                "\"first_name\",{}\nA,B,ET,-5,08:00,21:00,5550101,,\n",
                &HEADER[11..]
            ),
            format!("{HEADER},Notes\nA,B,ET,-5,08:00,21:00,5550101,,x,y\n"),
            HEADER.to_string(),
        ];
        for text in &texts {
            let [(plain, plain_warnings), (csv, csv_warnings)] = both_ways(text);
            let shown = |w: &[Diagnostic]| w.iter().map(|d| d.to_string()).collect::<Vec<_>>();
            assert_eq!(shown(&plain_warnings), shown(&csv_warnings), "{text:?}");
            match (plain, csv) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{text:?}"),
                (a, b) => panic!("{text:?}: {a:?} but {b:?}"),
            }
        }
        // The first list is split directly (not handed back to the csv reader).
        let headers = csv::StringRecord::from(HEADER.split(',').collect::<Vec<_>>());
        let columns = Columns::new(&headers);
        let names: Vec<Arc<str>> = columns.fields.iter().map(|(_, n)| Arc::clone(n)).collect();
        let csv = CsvText {
            file: "c.csv",
            text: &texts[0],
            lines: std::cell::OnceCell::new(),
        };
        let mut warnings = Collector::new("c.csv");
        let layout = Layout::new(&columns);
        let at = (HEADER.len() + 1, headers.len());
        let split = csv.plain_rows(at, &layout, &names, -300, &mut warnings);
        assert_eq!(split.unwrap().map(|list| list.len()), Some(2));
        let [(plain, warnings), _] = both_ways(&texts[3]);
        assert!(plain.unwrap_err().message.contains("55x"));
        assert_eq!(warnings.len(), 2);
        let [(plain, _), _] = both_ways(&texts[2]);
        let row = &plain.unwrap()[0];
        assert_eq!(
            (row.first_name.as_str(), row.last_name.as_str()),
            ("A", "B")
        );
        assert_eq!(row.phones[0].1, "+1 212 555 0101");
        assert_eq!(row.fields[0].1, "y");
    }
}
