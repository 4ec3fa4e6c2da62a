//! Why a detractor is unhappy: the quick picks (from the seed texts' list of
//! why customers leave). One label per locale, the same in the widget and in
//! the report, so the merchant reads what the visitor clicked.

use serde::{Deserialize, Serialize};

use crate::i18n::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

    /// The id on the wire, e.g. "not_attentive".
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

    pub fn from_id(id: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The quick pick's label, phrased from the visitor's side; the report prints the same.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_ids_are_the_protocols_and_read_back() {
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
            assert_eq!(Reason::from_id(r.id()), Some(r));
            assert!(!r.label(Locale::De).is_empty() && !r.label(Locale::En).is_empty());
        }
        assert_eq!(Reason::from_id("too_slow"), None);
    }
}
