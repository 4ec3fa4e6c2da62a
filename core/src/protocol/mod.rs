//! The contract with collectors (docs/protocol.md): the bodies the bundle
//! posts and every collector reads, their names, ids and limits. The bundle
//! builds its bodies from these types and the reference collector reads them
//! into the same types, so neither can drift from the other.

mod answer;
mod event;
mod reason;

pub use answer::{Answer, MAX_COMMENT_CHARS, MAX_LOCALE_CHARS, MAX_ORDER_TOKEN_CHARS};
pub use event::{Event, EventName, Item, SurveyEvent, DISMISSED, MAX_ITEMS, MAX_PRICE, MAX_QUANTITY, SHOWN};
pub use reason::Reason;

pub use crate::customer::Segment;
pub use crate::measure::holdout::Group;
/// Promoter, passive or detractor: the score's group (detractors 0-6, passives 7-8, promoters 9-10).
pub use crate::nps::score::Group as ScoreGroup;

/// Where answers go, below the collector's base URL.
pub const ANSWERS_PATH: &str = "/v1/answers";
/// Where events go.
pub const EVENTS_PATH: &str = "/v1/events";
/// The largest body a collector must accept (a comment of 2000 characters fits with room to spare).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Ids (`id`, `survey`) and short names (`tier`, `page`, `variant`, `list`): at most this many characters.
pub const MAX_ID_CHARS: usize = 64;
/// Texts the shop chooses (`customer_id`, `item_id`): at most this many characters.
pub const MAX_TEXT_CHARS: usize = 128;
/// The survey an answer belongs to when the body names none.
pub const DEFAULT_SURVEY: &str = "nps";

/// An id on the wire: 1 to 64 letters, digits, `-` or `_`.
pub fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_ID_CHARS
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// An id: `prefix` ("a" for answers, "e" for events, "g" for guests), "-" and
/// 16 hex digits from 8 random bytes.
pub fn random_id(prefix: char, random: [u8; 8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(18);
    id.push(prefix);
    id.push('-');
    for b in random {
        for digit in [b >> 4, b & 15] {
            id.push(HEX.get(usize::from(digit)).map_or('0', |&c| char::from(c)));
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_are_protocol_ids() {
        let id = random_id('a', [0x5f, 0x0c, 0x2e, 0x9b, 0x1d, 0x7a, 0x4c, 0x38]);
        assert_eq!(id, "a-5f0c2e9b1d7a4c38");
        assert!(is_id(&id));
        assert!(!is_id("") && !is_id("a 1") && !is_id(&"a".repeat(MAX_ID_CHARS + 1)));
    }
}
