//! Tools the catalogue and its per-catalogue tables share: a fast hash for
//! its texts, a table of strings stored once, and grouping by a counting sort.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Texts come from the merchant's catalogue, not from visitors, so a fast
/// unkeyed hash is safe; with 100,000 products SipHash was a tenth of decoding.
#[derive(Default)]
pub struct TextHasher(u64);

/// For a `HashMap` keyed by texts of the catalogue.
pub type TextHash = BuildHasherDefault<TextHasher>;

impl Hasher for TextHasher {
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        // Words as arrays and the rest by hand, not `chunks_exact` and a fold:
        // at opt-level "z" those were calls per word, and SKUs are hashed by the 100,000.
        let mut rest = bytes;
        while let Some((word, after)) = rest.split_first_chunk::<8>() {
            self.write_u64(u64::from_le_bytes(*word));
            rest = after;
        }
        if !rest.is_empty() {
            let mut word = 0u64;
            for &b in rest.iter().rev() {
                word = word << 8 | u64::from(b);
            }
            self.write_u64(word);
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
    }

    /// A multiply mixes each bit only into the bits above it: without this
    /// step (MurmurHash3's finaliser), SKUs such as "P000123" that differ in
    /// their last bytes differed only in high bits, and the tables, which
    /// index by the low ones, filled in long runs.
    #[inline(always)]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h = (h ^ (h >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h = (h ^ (h >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        h ^ (h >> 33)
    }
}

/// Strings stored once, each named by its index in order of first use
/// (the payload's shared strings and URL prefixes, a built catalogue's shared strings).
/// `S` hashes the texts: the compiler's encoder, which builds a table per
/// shard, gives it `TextHash`.
pub(crate) struct StringTable<'a, S = std::hash::RandomState> {
    index: HashMap<&'a str, usize, S>,
    pub list: Vec<&'a str>,
}

impl<S: Default> Default for StringTable<'_, S> {
    fn default() -> Self {
        StringTable { index: HashMap::default(), list: Vec::new() }
    }
}

impl<'a, S: std::hash::BuildHasher> StringTable<'a, S> {
    pub fn add(&mut self, s: &'a str) -> usize {
        let next = self.list.len();
        *self.index.entry(s).or_insert_with(|| {
            self.list.push(s);
            next
        })
    }

    pub fn get(&self, s: &str) -> Option<usize> {
        self.index.get(s).copied()
    }
}

/// The range a pair of `group_by`'s starts spans (`starts.windows(2)`); empty
/// for anything but a pair.
pub(crate) fn window_range(pair: &[usize]) -> std::ops::Range<usize> {
    match pair {
        [start, end] => *start..*end,
        _ => 0..0,
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
    let mut total = 0;
    for start in starts.iter_mut() {
        total += *start;
        *start = total;
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
    use super::*;

    #[test]
    fn group_by_keeps_the_order_within_each_group() {
        let (starts, values) = group_by(3, &[(2, 'a'), (0, 'b'), (2, 'c'), (9, 'x'), (0, 'd')]);
        assert_eq!(starts, [0, 2, 2, 4]);
        assert_eq!(values, ['b', 'd', 'a', 'c']);
    }
}
