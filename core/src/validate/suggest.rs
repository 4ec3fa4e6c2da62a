//! "Did you mean": the closest known name to a misspelt one, so a marketer who
//! writes `limt` is told `limit` rather than handed the whole list.

/// The candidate closest to `word`, if it is close enough to be a likely typo
/// (a third of the word's length in edits, at least one).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest(word, &mut candidates.into_iter())
}

/// `closest` over any iterator, compiled once (the bundle reports misspelt
/// names in several places, each with its own kind of list).
fn nearest<'a>(word: &str, candidates: &mut dyn Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .map(|c| (distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// `message` with " (did you mean `x`?)" added when `word` has a close candidate.
pub fn with_hint<'a>(message: String, word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match nearest(word, &mut candidates.into_iter()) {
        Some(hint) => format!("{message}; did you mean `{hint}`?"),
        None => message,
    }
}

/// Adds a suggestion to serde's "unknown field `x`, expected `a` or `b`" and
/// "unknown variant ..." messages, whose wording serde has kept stable for years.
/// The names are the backquoted words: the first is the unknown one.
pub fn explain_serde(message: String) -> String {
    if !(message.starts_with("unknown field `") || message.starts_with("unknown variant `")) {
        return message;
    }
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let Some((&word, candidates)) = quoted.split_first() else { return message };
    with_hint(message.clone(), word, candidates.iter().copied())
}

/// Levenshtein distance over characters, with transpositions counted as one
/// edit (the commonest typo: `tresh` / `thresh`).
#[expect(
    clippy::indexing_slicing,
    reason = "the table's rows are b.len() + 1 long and i, j stay within 1..=a.len() and 1..=b.len()"
)]
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("limit", "limit"), 0);
        assert_eq!(distance("limt", "limit"), 1);
        assert_eq!(distance("limti", "limit"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggests_only_close_names() {
        let keys = ["cross_sell", "upgrade", "loyalty", "nps", "measure"];
        assert_eq!(closest("crosssell", keys), Some("cross_sell"));
        assert_eq!(closest("Loyality", keys), Some("loyalty"));
        assert_eq!(closest("nsp", keys), Some("nps"));
        assert_eq!(closest("banner", keys), None);
    }

    #[test]
    fn serde_messages_get_a_hint() {
        let m = explain_serde("unknown field `limt`, expected `enabled` or `limit`".into());
        assert_eq!(m, "unknown field `limt`, expected `enabled` or `limit`; did you mean `limit`?");
        let m = explain_serde("unknown variant `mobil`, expected `mobile` or `desktop`".into());
        assert!(m.ends_with("did you mean `mobile`?"), "{m}");
        let m = explain_serde("unknown field `zzz`, expected `enabled` or `limit`".into());
        assert!(!m.contains("did you mean"), "{m}");
        assert_eq!(explain_serde("invalid type: string".into()), "invalid type: string");
    }
}
