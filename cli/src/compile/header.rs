//! The header row of a CSV input: columns in any order, unknown, repeated or
//! missing required ones are errors that name them.

use super::delimited::{separator_name, Format};
use super::problems::{Fatal, Place};

/// For each of `columns`, its position in the file (if present).
pub fn columns<const N: usize>(
    header: &csv::ByteRecord,
    columns: &[&str; N],
    required: &[&str],
    place: &Place,
) -> Result<[Option<usize>; N], Fatal> {
    let fail = |message: String| Err(Fatal(format!("{}:1: {message}", place.file)));
    let mut found = [None; N];
    let mut unknown = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(name);
        let name = name.trim().trim_start_matches('\u{feff}');
        match columns.iter().position(|c| *c == name) {
            Some(c) if found[c].is_some() => return fail(format!("column {name:?} appears twice")),
            Some(c) => found[c] = Some(i),
            None => unknown.push(format!("{name:?}")),
        }
    }
    if !unknown.is_empty() {
        return fail(format!("unknown column(s) {}; the columns are {}", unknown.join(", "), columns.join(",")));
    }
    let missing: Vec<&str> =
        required.iter().filter(|r| !columns.iter().zip(&found).any(|(c, f)| c == *r && f.is_some())).copied().collect();
    if !missing.is_empty() {
        return fail(format!("required column(s) missing: {}", missing.join(", ")));
    }
    Ok(found)
}

/// `columns`, saying so when the header is likely split at the wrong separator.
pub fn columns_in<const N: usize>(
    header: &csv::ByteRecord,
    columns: &[&str; N],
    required: &[&str],
    place: &Place,
    format: &Format,
) -> Result<[Option<usize>; N], Fatal> {
    self::columns(header, columns, required, place).map_err(|Fatal(message)| {
        let text: Vec<u8> = header.iter().flat_map(|c| c.iter().copied()).collect();
        let other = [b',', b';', b'\t'].into_iter().find(|&d| d != format.delimiter && text.contains(&d));
        match other {
            Some(d) => Fatal(format!(
                "{message} (the header was split at {}, but holds {}: give --delimiter {})",
                separator_name(format.delimiter),
                separator_name(d),
                match d {
                    b'\t' => "tab".to_string(),
                    d => format!("'{}'", d as char),
                }
            )),
            None => Fatal(message),
        }
    })
}
