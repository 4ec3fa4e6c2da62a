//! Delimited text as shops export it: the encoding (see `text`), the separator
//! (comma, semicolon as German Excel writes, or tab as in Google's text
//! feeds) detected from the header row, and a last row that the file cut off
//! told apart from a complete one.

use std::fmt;
use std::io::Read;

use encoding_rs::Encoding;

use super::problems::{Fatal, Place, Problems};
use super::text::{Detected, Text, Unreadable};

/// The longest line a CSV may have: rows are held whole, so memory stays
/// bounded even for a file without line ends. Far above any real row.
const MAX_LINE: u64 = 64 << 20;

/// How to read an input, from the command line: `None` detects.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reading {
    pub encoding: Option<&'static Encoding>,
    pub delimiter: Option<u8>,
}

/// `--delimiter`: `,`, `;`, `tab` (or a tab character), `|`.
pub fn delimiter_for(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        t if t.len() == 1 && t.is_ascii() && !t.as_bytes()[0].is_ascii_alphanumeric() && t != "\"" => {
            Ok(t.as_bytes()[0])
        }
        _ => Err(format!("--delimiter {text:?} is not one character such as , or ; or tab")),
    }
}

/// What was read: encoding and separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub encoding: Detected,
    pub delimiter: u8,
    pub delimiter_given: bool,
}

impl Format {
    /// German Excel writes semicolons because the comma is its decimal separator.
    pub fn decimal_comma(&self) -> bool {
        self.delimiter == b';'
    }
}

impl Format {
    /// What the summary says; `amounts`: the file has prices, so decimal commas matter.
    pub fn describe(&self, amounts: bool) -> String {
        let separator = separator_name(self.delimiter);
        let decimal = if amounts && self.decimal_comma() { ", decimal commas" } else { "" };
        let how = if self.delimiter_given { " (--delimiter)" } else { "" };
        format!("separated by {separator}{decimal}{how}, {}", self.encoding)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(true))
    }
}

/// The separator the header row uses most, outside quotes; a comma when it has none.
pub fn detect_delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// What to do with a last row that has all its cells but no line end.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Unterminated {
    /// Skip it: in orders a cut `SKU-12` reads `SKU-1`, another product.
    Skip,
    /// Keep it with a warning: spreadsheets often write no final line break.
    Keep,
}

/// One step through the rows.
pub enum Row {
    /// A row with as many cells as the header, starting on this line.
    Read(u64),
    /// A row that was reported and cannot be used.
    Skipped,
    End,
}

/// How a last row without a line end is met.
pub enum LastRow {
    /// Complete, or ended by a line end.
    Complete,
    /// The file ends inside a quoted cell opened on this row.
    InsideQuotes,
    /// The file ends without a line end after this row: it may be cut short.
    Unterminated,
}

/// A CSV reader over decoded text, with the header row read.
pub struct Delimited<R: Read> {
    pub csv: csv::Reader<Text<R>>,
    pub header: csv::ByteRecord,
    pub format: Format,
}

impl<R: Read> Delimited<R> {
    pub fn open(input: R, reading: &Reading, place: &Place) -> Result<Self, Fatal> {
        let text = Text::new(input, reading.encoding).map_err(|e| fatal(e, place))?;
        Self::from_text(text, reading, place)
    }

    /// Over text already opened (and perhaps peeked at).
    pub fn from_text(mut text: Text<R>, reading: &Reading, place: &Place) -> Result<Self, Fatal> {
        text.limit_lines(MAX_LINE);
        let delimiter = match reading.delimiter {
            Some(d) => d,
            None => detect_delimiter(text.peek_line().map_err(|e| fatal(e, place))?),
        };
        let mut csv = csv::ReaderBuilder::new().flexible(true).delimiter(delimiter).from_reader(text);
        let header = match csv.byte_headers() {
            Ok(h) => h.clone(),
            Err(e) => return Err(csv_fatal(e, place, "cannot read the header row")),
        };
        let encoding = csv.get_ref().detected();
        Ok(Delimited {
            csv,
            header,
            format: Format { encoding, delimiter, delimiter_given: reading.delimiter.is_some() },
        })
    }

    /// The next row, `Ok(false)` at the end. Unreadable text stops the run.
    pub fn next(&mut self, record: &mut csv::ByteRecord) -> Result<bool, csv::Error> {
        let more = self.csv.read_byte_record(record)?;
        self.format.encoding = self.csv.get_ref().detected();
        Ok(more)
    }

    /// Reads the next row into `record`. Unreadable text stops the run; a row
    /// with the wrong number of cells or cut off at the end is reported.
    pub fn row(
        &mut self,
        record: &mut csv::ByteRecord,
        unterminated: Unterminated,
        place: &Place,
        problems: &mut Problems,
    ) -> Result<Row, Fatal> {
        match self.next(record) {
            Ok(false) => return Ok(Row::End),
            Ok(true) => {}
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => return Err(csv_fatal(e, place, "unreadable")),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.report(place.at(line, "", format!("unreadable row: {e}")))?;
                return Ok(Row::Skipped);
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        let last = self.last_row(record);
        let last_line = self.last_line();
        let complete = record.len() == self.header.len();
        let message = match last {
            LastRow::InsideQuotes => format!(
                "the file ends inside a quoted cell opened on line {line}: it was probably cut off; the row is \
                 skipped (export the file again, or close the quote)"
            ),
            LastRow::Unterminated if complete && unterminated == Unterminated::Keep => {
                let message = format!(
                    "the file ends on line {last_line} without a line end: it was probably cut off; check its \
                     last row, or end it with a line break if it is complete; the row is kept"
                );
                problems.warn(place.at(last_line, "", message))?;
                return Ok(Row::Read(line));
            }
            LastRow::Unterminated => format!(
                "the file ends on line {last_line} without a line end: it was probably cut off; export the file \
                 again, or end it with a line break if it is complete; the row is skipped"
            ),
            LastRow::Complete if complete => return Ok(Row::Read(line)),
            LastRow::Complete => {
                let hint = self.format.cells_hint(record);
                let message = format!("has {} cells, the header has {}{hint}", record.len(), self.header.len());
                problems.report(place.at(line, "", message))?;
                return Ok(Row::Skipped);
            }
        };
        problems.report(place.at(last_line, "", message))?;
        Ok(Row::Skipped)
    }

    /// Whether `record`, just read, is the file's last and how it ends.
    fn last_row(&self, record: &csv::ByteRecord) -> LastRow {
        let text = self.csv.get_ref();
        let start = record.position().map_or(0, |p| p.byte());
        if !text.at_end() || self.csv.position().byte() < text.decoded() {
            return LastRow::Complete;
        }
        match text.text_from(start) {
            Some(row) if ends_inside_quotes(&row, self.format.delimiter) => LastRow::InsideQuotes,
            _ if !text.ends_with_newline() => LastRow::Unterminated,
            _ => LastRow::Complete,
        }
    }

    /// The line the text ends on.
    fn last_line(&self) -> u64 {
        self.csv.get_ref().lines()
    }
}

impl Format {
    /// Why a row may have the wrong number of cells: one cell holding another separator.
    pub fn cells_hint(&self, record: &csv::ByteRecord) -> String {
        if record.len() != 1 {
            return String::new();
        }
        let cell = record.get(0).unwrap_or_default();
        match [b',', b';', b'\t'].into_iter().find(|&d| d != self.delimiter && cell.contains(&d)) {
            Some(d) => format!(
                " (the row holds {} but the file is separated by {}: was it exported with another separator?)",
                separator_name(d),
                separator_name(self.delimiter)
            ),
            None => String::new(),
        }
    }
}

/// Whether a row, read as CSV from its start, is still inside quotes at its end.
fn ends_inside_quotes(row: &[u8], delimiter: u8) -> bool {
    let mut quoted = false;
    let mut field_start = true;
    let mut i = 0;
    while i < row.len() {
        let b = row[i];
        if quoted {
            if b == b'"' {
                if row.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else if b == b'"' && field_start {
            quoted = true;
        }
        field_start = !quoted && (b == delimiter || b == b'\n');
        i += 1;
    }
    quoted
}

/// A failure to read the text: the file and line, and what is wrong.
pub fn fatal(e: std::io::Error, place: &Place) -> Fatal {
    match Unreadable::within(&e) {
        Some(u) => Fatal(format!("{}:{}: {}", place.file, u.line, u.message)),
        None => Fatal(format!("{}: cannot read: {e}", place.file)),
    }
}

/// A CSV reader's error that stops the run (I/O, unreadable text).
pub fn csv_fatal(e: csv::Error, place: &Place, what: &str) -> Fatal {
    let message = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(io) => fatal(io, place),
        _ => Fatal(format!("{}: {what}: {message}", place.file)),
    }
}

/// A separator as the summary and messages name it.
pub fn separator_name(delimiter: u8) -> String {
    match delimiter {
        b',' => "commas".into(),
        b';' => "semicolons".into(),
        b'\t' => "tabs".into(),
        d => format!("{:?}", d as char),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_decides_the_separator() {
        assert_eq!(detect_delimiter(b"sku,title,url\n"), b',');
        assert_eq!(detect_delimiter(b"sku;title;\"a,b\";price\n"), b';');
        assert_eq!(detect_delimiter(b"id\ttitle\tlink\n"), b'\t');
        assert_eq!(detect_delimiter(b"sku\n"), b',');
    }

    #[test]
    fn quotes_left_open_are_found() {
        assert!(ends_inside_quotes(b"1,\"Tasche, gro", b','));
        assert!(ends_inside_quotes(b"1,\"a\"\"b\n", b','));
        assert!(!ends_inside_quotes(b"1,\"a\"\"b\",c", b','));
        assert!(!ends_inside_quotes(b"1,5\" Zoll,c", b','));
        assert!(ends_inside_quotes(b"1;\"x\n;y", b';'));
    }

    #[test]
    fn delimiters_by_name_or_character() {
        assert_eq!(delimiter_for("tab"), Ok(b'\t'));
        assert_eq!(delimiter_for(";"), Ok(b';'));
        assert!(delimiter_for("ab").is_err());
    }
}
