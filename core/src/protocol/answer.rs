//! One survey answer: the body of `POST {collector}/v1/answers`.

use serde::{Deserialize, Serialize};

use super::reason::Reason;
use super::DEFAULT_SURVEY;
use crate::customer::Segment;
use crate::nps::score::Group;

/// The longest comment sent; longer text is cut (a collector refuses it).
pub const MAX_COMMENT_CHARS: usize = 2000;
/// A BCP 47 tag is at most this long.
pub const MAX_LOCALE_CHARS: usize = 35;
/// The shop's signed order token (docs/collector.md, verified answers).
pub const MAX_ORDER_TOKEN_CHARS: usize = 512;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// Made when the visitor answers; repeats of it are harmless.
    pub id: String,
    #[serde(default = "default_survey")]
    pub survey: String,
    pub score: u8,
    /// Detractors' quick picks; empty for anyone else.
    #[serde(default)]
    pub reasons: Vec<Reason>,
    pub comment: Option<String>,
    pub customer_id: Option<String>,
    pub segment: Option<Segment>,
    pub tier: Option<String>,
    /// The page type it was answered on (the mount point's `data-context`).
    pub page: Option<String>,
    /// Empty when a sender did not say.
    #[serde(default)]
    pub locale: String,
    /// RFC 3339, the visitor's clock.
    pub answered_at: String,
    /// The token the shop's backend signed for the order just placed, passed
    /// on from the customer (`order_token`): what makes an answer verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_token: Option<String>,
}

fn default_survey() -> String {
    DEFAULT_SURVEY.to_string()
}

impl Answer {
    /// Sets the follow-up: reasons only for detractors, the comment trimmed,
    /// empty as none, and cut to [`MAX_COMMENT_CHARS`].
    pub fn follow_up(&mut self, reasons: &[Reason], comment: &str) {
        self.reasons = if self.group() == Group::Detractor { reasons.to_vec() } else { Vec::new() };
        let comment = comment.trim();
        self.comment = (!comment.is_empty()).then(|| comment.chars().take(MAX_COMMENT_CHARS).collect());
    }

    pub fn group(&self) -> Group {
        Group::of(self.score)
    }
}

#[cfg(test)]
mod tests {
    use super::super::random_id;
    use super::*;

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
            order_token: None,
        }
    }

    #[test]
    fn serialises_as_the_protocol_body_and_reads_back() {
        let mut a = answer(3);
        a.follow_up(&[Reason::NotAttentive, Reason::Price], "  Keiner hat zurückgerufen. ");
        let text = serde_json::to_string(&a).unwrap();
        assert_eq!(
            text,
            r#"{"id":"a-5f0c2e9b1d7a4c38","survey":"nps","score":3,"reasons":["not_attentive","price"],"comment":"Keiner hat zurückgerufen.","customer_id":"c-42","segment":"A","tier":null,"page":"thank_you","locale":"de","answered_at":"2026-11-25T14:00:00.000Z"}"#
        );
        assert_eq!(serde_json::from_str::<Answer>(&text).unwrap(), a);
        let signed = Answer { order_token: Some("v1|o-1|c-42|1767225600|00".into()), ..a };
        let text = serde_json::to_string(&signed).unwrap();
        assert!(text.ends_with(r#","order_token":"v1|o-1|c-42|1767225600|00"}"#), "{text}");
        assert_eq!(serde_json::from_str::<Answer>(&text).unwrap(), signed);
    }

    #[test]
    fn the_smallest_body_reads_with_its_defaults() {
        let a: Answer = serde_json::from_str(r#"{"id":"a-1","score":9,"answered_at":"2026-11-25T14:00:00Z"}"#).unwrap();
        assert_eq!((a.survey.as_str(), a.locale.as_str(), a.reasons.len(), a.comment), ("nps", "", 0, None));
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
