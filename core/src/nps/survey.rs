//! What a visitor answers: the detractor reasons (from the
//! seed texts' list of why customers leave), and the bodies the collector
//! receives (PROTOCOL.md): the answer (`POST /v1/answers`) and the survey's
//! displays and dismissals (`POST /v1/events`).

use serde::{Deserialize, Serialize};

use super::score::Group;
use crate::customer::Segment;
use crate::i18n::Locale;

/// The longest comment sent; longer text is cut (the collector refuses it).
pub const MAX_COMMENT_CHARS: usize = 2000;

/// Why a detractor is unhappy: the quick picks, ids as in the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    NotAttentive,
    NoInitiative,
    PromiseBroken,
    ErrorsNotFixed,
    Incompetent,
    NeedsNotUnderstood,
    NotTakenSeriously,
    Price,
    Other,
}

impl Reason {
    /// In the order the widget offers them (the seed text's, most frequent first).
    pub const ALL: [Reason; 9] = [
        Reason::NotAttentive,
        Reason::NoInitiative,
        Reason::PromiseBroken,
        Reason::ErrorsNotFixed,
        Reason::Incompetent,
        Reason::NeedsNotUnderstood,
        Reason::NotTakenSeriously,
        Reason::Price,
        Reason::Other,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Reason::NotAttentive => "not_attentive",
            Reason::NoInitiative => "no_initiative",
            Reason::PromiseBroken => "promise_broken",
            Reason::ErrorsNotFixed => "errors_not_fixed",
            Reason::Incompetent => "incompetent",
            Reason::NeedsNotUnderstood => "needs_not_understood",
            Reason::NotTakenSeriously => "not_taken_seriously",
            Reason::Price => "price",
            Reason::Other => "other",
        }
    }

    /// The quick pick's label, phrased from the visitor's side.
    pub fn label(self, locale: Locale) -> &'static str {
        use Locale::*;
        match (self, locale) {
            (Reason::NotAttentive, De) => "Mangelnde Aufmerksamkeit",
            (Reason::NotAttentive, En) => "Not attentive to me",
            (Reason::NoInitiative, De) => "Mangelnde Initiative",
            (Reason::NoInitiative, En) => "No initiative",
            (Reason::PromiseBroken, De) => "Vereinbarung nicht eingehalten",
            (Reason::PromiseBroken, En) => "A promise was not kept",
            (Reason::ErrorsNotFixed, De) => "Fehler nicht korrigiert",
            (Reason::ErrorsNotFixed, En) => "Errors were not fixed",
            (Reason::Incompetent, De) => "Inkompetente Beratung",
            (Reason::Incompetent, En) => "Incompetent advice",
            (Reason::NeedsNotUnderstood, De) => "Meine Bedürfnisse wurden nicht verstanden",
            (Reason::NeedsNotUnderstood, En) => "My needs were not understood",
            (Reason::NotTakenSeriously, De) => "Nicht ernst genommen",
            (Reason::NotTakenSeriously, En) => "Not taken seriously",
            (Reason::Price, De) => "Preis",
            (Reason::Price, En) => "Price",
            (Reason::Other, De) => "Etwas anderes",
            (Reason::Other, En) => "Something else",
        }
    }
}

/// One survey answer, exactly the body of `POST {collector}/v1/answers`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// Made when the visitor answers; repeats of it are harmless.
    pub id: String,
    pub survey: String,
    pub score: u8,
    pub reasons: Vec<Reason>,
    pub comment: Option<String>,
    pub customer_id: Option<String>,
    pub segment: Option<Segment>,
    pub tier: Option<String>,
    /// The page type it was answered on (the mount point's `data-context`).
    pub page: Option<String>,
    pub locale: String,
    /// RFC 3339, the visitor's clock.
    pub answered_at: String,
}

impl Answer {
    /// Sets the follow-up: reasons only for detractors, the comment trimmed,
    /// empty as none, and cut to [`MAX_COMMENT_CHARS`].
    pub fn follow_up(&mut self, reasons: &[Reason], comment: &str) {
        self.reasons = if Group::of(self.score) == Group::Detractor { reasons.to_vec() } else { Vec::new() };
        let comment = comment.trim();
        self.comment = (!comment.is_empty()).then(|| comment.chars().take(MAX_COMMENT_CHARS).collect());
    }
}

/// A survey was shown or closed unanswered: the report's displays and
/// dismissals (a dismissal is never a score).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyEvent {
    pub id: String,
    /// "survey_shown" or "survey_dismissed".
    pub name: &'static str,
    /// RFC 3339, the visitor's clock.
    pub at: String,
    pub survey: String,
    pub customer_id: Option<String>,
    pub segment: Option<Segment>,
    pub tier: Option<String>,
}

pub const SHOWN: &str = "survey_shown";
pub const DISMISSED: &str = "survey_dismissed";

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
    fn reason_ids_are_the_protocols() {
        let ids: Vec<&str> = Reason::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(
            ids,
            [
                "not_attentive",
                "no_initiative",
                "promise_broken",
                "errors_not_fixed",
                "incompetent",
                "needs_not_understood",
                "not_taken_seriously",
                "price",
                "other"
            ]
        );
        for r in Reason::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.id());
            assert!(!r.label(Locale::De).is_empty() && !r.label(Locale::En).is_empty());
        }
    }

    fn answer(score: u8) -> Answer {
        Answer {
            id: random_id('a', [0x5f, 0x0c, 0x2e, 0x9b, 0x1d, 0x7a, 0x4c, 0x38]),
            survey: "nps".into(),
            score,
            reasons: Vec::new(),
            comment: None,
            customer_id: Some("c-42".into()),
            segment: Some(Segment::A),
            tier: None,
            page: Some("thank_you".into()),
            locale: "de".into(),
            answered_at: "2026-11-25T14:00:00.000Z".into(),
        }
    }

    #[test]
    fn serialises_as_the_protocol_body() {
        let mut a = answer(3);
        a.follow_up(&[Reason::NotAttentive, Reason::Price], "  Keiner hat zurückgerufen. ");
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"id":"a-5f0c2e9b1d7a4c38","survey":"nps","score":3,"reasons":["not_attentive","price"],"comment":"Keiner hat zurückgerufen.","customer_id":"c-42","segment":"A","tier":null,"page":"thank_you","locale":"de","answered_at":"2026-11-25T14:00:00.000Z"}"#
        );
    }

    #[test]
    fn events_serialise_as_the_protocol_body() {
        let e = SurveyEvent {
            id: random_id('e', [0, 1, 2, 3, 250, 251, 252, 255]),
            name: DISMISSED,
            at: "2026-11-25T14:00:00.000Z".into(),
            survey: "nps".into(),
            customer_id: None,
            segment: Some(Segment::KeyAccount),
            tier: Some("gold".into()),
        };
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"id":"e-00010203fafbfcff","name":"survey_dismissed","at":"2026-11-25T14:00:00.000Z","survey":"nps","customer_id":null,"segment":"key_account","tier":"gold"}"#
        );
    }

    #[test]
    fn follow_up_keeps_reasons_for_detractors_only_and_cuts_long_comments() {
        let mut a = answer(8);
        a.follow_up(&[Reason::Price], "   ");
        assert_eq!((a.reasons.len(), a.comment.as_deref()), (0, None));
        let mut a = answer(6);
        a.follow_up(&[Reason::Price], &"ü".repeat(MAX_COMMENT_CHARS + 5));
        assert_eq!(a.reasons, [Reason::Price]);
        assert_eq!(a.comment.map(|c| c.chars().count()), Some(MAX_COMMENT_CHARS));
    }
}
