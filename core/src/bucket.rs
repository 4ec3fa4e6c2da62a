//! The one stable hash that puts visitors into buckets: the holdout (shop-wide
//! and per widget), the A/B variants and the survey's sample. A hash, not a
//! random draw: no randomness and no storage, and a visitor stays in the same
//! bucket on every page, visit and device that carries the same id.

/// Buckets a share is measured in: a share of 0.1 is 1,000 of 10,000.
pub const BUCKETS: u64 = 10_000;

/// Whether the key `parts` falls in the first `share` (0..1) of the buckets.
/// Out-of-range shares clamp (validation reports them).
pub fn in_share(share: f64, parts: &[&str]) -> bool {
    if share.is_nan() {
        return false;
    }
    let cut = (share.clamp(0.0, 1.0) * BUCKETS as f64).round() as u64;
    fnv1a(parts) % BUCKETS < cut
}

/// 64-bit FNV-1a over the parts, each followed by a zero byte so that
/// ("ab", "c") and ("a", "bc") differ.
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.as_bytes().iter().chain(&[0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    // FNV's low bits mix poorly for short, similar keys; fold the high half in.
    hash ^ (hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_values() {
        // FNV-1a of "a\0", folded.
        let mut h: u64 = 0xcbf29ce484222325;
        for b in [b'a', 0] {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
        assert_eq!(fnv1a(&["a"]), h ^ (h >> 32));
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }

    #[test]
    fn a_share_holds_that_share_of_visitors() {
        let count = |share: f64| (0..10_000).filter(|i| in_share(share, &["w", &format!("v-{i:016x}")])).count();
        assert_eq!(count(0.0), 0);
        assert_eq!(count(1.0), 10_000);
        assert_eq!(count(f64::NAN), 0);
        let tenth = count(0.1);
        assert!((800..1200).contains(&tenth), "{tenth}");
    }
}
