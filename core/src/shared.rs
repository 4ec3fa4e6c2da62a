//! Texts and lists that share one buffer. A decoded catalogue of 100,000
//! products has about a million texts and lists; one allocation each made
//! decoding slow and memory large. Here every product's field is a range into a
//! buffer shared by the whole catalogue (reference counted, so a clone is a
//! counter increment), and reads like the `str` or slice it stands for.
//! `group_by` builds such lists of ranges for the per-catalogue tables.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::ops::Deref;
use std::rc::Rc;

/// A string: `Deref<Target = str>`, hashed, compared and printed like one.
#[derive(Clone)]
pub struct Text {
    // `Rc<String>` rather than `Rc<str>`: a thin pointer keeps a `Text` at 12
    // bytes in wasm32, and the decoder hands over its buffer without a copy.
    buffer: Rc<String>,
    start: u32,
    end: u32,
}

impl Text {
    /// `buffer[start..end]`; a range that is not one reads as "" (the decoder
    /// checks its ranges, so this never happens to a real catalogue).
    #[inline(always)]
    pub(crate) fn new(buffer: &Rc<String>, start: u32, end: u32) -> Text {
        Text { buffer: buffer.clone(), start, end }
    }

    pub fn as_str(&self) -> &str {
        self.buffer.get(self.start as usize..self.end as usize).unwrap_or("")
    }

    /// Cuts to at most `max` bytes, at a character boundary.
    pub fn truncate(&mut self, max: usize) {
        // The range's length first: most texts are short, and reading one costs more.
        if (self.end.saturating_sub(self.start) as usize) <= max {
            return;
        }
        let text = self.as_str();
        if text.len() > max {
            let mut cut = max;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            self.end = self.start + cut as u32;
        }
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::from(String::new())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        let end = text.len() as u32;
        Text { buffer: Rc::new(text), start: 0, end }
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::from(text.to_string())
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Text {
        Text::from(text.as_str())
    }
}

impl From<Text> for String {
    fn from(text: Text) -> String {
        text.as_str().to_string()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

/// As `str` hashes, so that a `HashMap<Text, _>` is looked up by `&str`.
impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Texts come from the merchant's catalogue, not from visitors, so a fast
/// unkeyed hash is safe; with 100,000 products SipHash was a tenth of decoding.
#[derive(Default)]
pub struct TextHasher(u64);

/// For a `HashMap` keyed by texts of the catalogue.
pub type TextHash = BuildHasherDefault<TextHasher>;

impl Hasher for TextHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.write_u64(u64::from_le_bytes(word.try_into().unwrap_or_default()));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            self.write_u64(rest.iter().rev().fold(0, |word, &b| word << 8 | u64::from(b)));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
    }

    /// A multiply mixes each bit only into the bits above it: without this
    /// step (MurmurHash3's finaliser), SKUs such as "P000123" that differ in
    /// their last bytes differed only in high bits, and the tables, which
    /// index by the low ones, filled in long runs.
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h = (h ^ (h >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h = (h ^ (h >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        h ^ (h >> 33)
    }
}

/// A list: `Deref<Target = [T]>`, compared and printed like a slice.
pub struct List<T> {
    items: Rc<Vec<T>>,
    start: u32,
    end: u32,
}

impl<T> List<T> {
    /// `items[start..end]`; a range that is not one reads as empty.
    #[inline(always)]
    pub(crate) fn new(items: &Rc<Vec<T>>, start: u32, end: u32) -> List<T> {
        List { items: items.clone(), start, end }
    }

    pub fn as_slice(&self) -> &[T] {
        self.items.get(self.start as usize..self.end as usize).unwrap_or(&[])
    }

    /// Keeps at most the first `len` items.
    pub fn truncate(&mut self, len: usize) {
        if (self.end.saturating_sub(self.start) as usize) > len && self.as_slice().len() > len {
            self.end = self.start + len as u32;
        }
    }
}

// Not derived: a derive would ask `T: Clone` and `T: Default`, which sharing needs neither of.
impl<T> Clone for List<T> {
    fn clone(&self) -> List<T> {
        List { items: self.items.clone(), start: self.start, end: self.end }
    }
}

impl<T> Default for List<T> {
    fn default() -> List<T> {
        List::from(Vec::new())
    }
}

impl<T> Deref for List<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(items: Vec<T>) -> List<T> {
        let end = items.len() as u32;
        List { items: Rc::new(items), start: 0, end }
    }
}

impl<T, const N: usize> From<[T; N]> for List<T> {
    fn from(items: [T; N]) -> List<T> {
        List::from(Vec::from(items))
    }
}

impl<T> FromIterator<T> for List<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> List<T> {
        List::from(items.into_iter().collect::<Vec<_>>())
    }
}

impl<'a, T> IntoIterator for &'a List<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<T: PartialEq> PartialEq for List<T> {
    fn eq(&self, other: &List<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq> Eq for List<T> {}

impl<T: PartialEq<U>, U> PartialEq<Vec<U>> for List<T> {
    fn eq(&self, other: &Vec<U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PartialEq<U>, U, const N: usize> PartialEq<[U; N]> for List<T> {
    fn eq(&self, other: &[U; N]) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: fmt::Debug> fmt::Debug for List<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

/// Values grouped by a group number below `groups`, each group in the order
/// given (a counting sort, no comparisons): group `g` is
/// `values[starts[g]..starts[g + 1]]`. An item naming no group is left out.
pub(crate) fn group_by<T: Copy + Default>(groups: usize, items: &[(usize, T)]) -> (Vec<usize>, Vec<T>) {
    let mut starts = vec![0; groups + 1];
    for &(group, _) in items {
        if let Some(count) = starts.get_mut(group + 1) {
            *count += 1;
        }
    }
    for g in 1..starts.len() {
        starts[g] += starts[g - 1];
    }
    let mut next = starts.clone();
    let mut values = vec![T::default(); starts.last().copied().unwrap_or(0)];
    for &(group, value) in items {
        if let Some(at) = next.get_mut(group) {
            if let Some(slot) = values.get_mut(*at) {
                *slot = value;
            }
            *at += 1;
        }
    }
    (starts, values)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn a_text_reads_hashes_and_cuts_like_its_str() {
        let buffer = Rc::new("SKU-1Kamera Größe".to_string());
        let sku = Text::new(&buffer, 0, 5);
        let title = Text::new(&buffer, 5, buffer.len() as u32);
        assert_eq!(sku, "SKU-1");
        assert_eq!(format!("{title} {title:?}"), "Kamera Größe \"Kamera Größe\"");
        let index: HashMap<Text, u32> = [(sku.clone(), 7)].into_iter().collect();
        assert_eq!(index.get("SKU-1"), Some(&7));
        // "Größe": the cut falls inside "ö" and moves back before it.
        let mut cut = title.clone();
        cut.truncate(9);
        assert_eq!(cut, "Kamera Gr");
        assert_eq!(Text::new(&buffer, 3, 99), "");
        assert_eq!(Text::default(), "");
    }

    #[test]
    fn lists_share_one_buffer_and_compare_as_slices() {
        let items = Rc::new(vec![1, 2, 3, 4]);
        let mut list = List::new(&items, 1, 4);
        assert_eq!(list, vec![2, 3, 4]);
        list.truncate(2);
        assert_eq!(list, [2, 3]);
        assert_eq!(list, List::from(vec![2, 3]));
        assert_eq!(List::new(&items, 3, 9).len(), 0);
        assert_eq!(format!("{:?}", list.iter().sum::<i32>()), "5");
    }

    #[test]
    fn group_by_keeps_the_order_within_each_group() {
        let (starts, values) = group_by(3, &[(2, 'a'), (0, 'b'), (2, 'c'), (9, 'x'), (0, 'd')]);
        assert_eq!(starts, [0, 2, 2, 4]);
        assert_eq!(values, ['b', 'd', 'a', 'c']);
    }
}
