//! The detractor reasons the survey offers (docs/protocol.md), from the seed texts'
//! list of why customers leave, with the labels the report prints. The ids are
//! the survey's own (`treue_core::nps::survey::Reason`); the labels here are
//! the merchant's wording, the widget's are the visitor's.

use treue_core::nps::survey::Reason as Survey;

pub struct Reason {
    pub reason: Survey,
    pub de: &'static str,
    pub en: &'static str,
}

impl Reason {
    /// The id on the wire, e.g. "not_attentive".
    pub fn id(&self) -> &'static str {
        self.reason.id()
    }
}

pub const REASONS: [Reason; 9] = [
    Reason { reason: Survey::NotAttentive, de: "Mangelnde Aufmerksamkeit", en: "Not attentive" },
    Reason { reason: Survey::NoInitiative, de: "Mangelnde Initiative", en: "No initiative" },
    Reason { reason: Survey::PromiseBroken, de: "Vereinbarung nicht eingehalten", en: "Promise not kept" },
    Reason { reason: Survey::ErrorsNotFixed, de: "Fehler nicht korrigiert", en: "Errors not fixed" },
    Reason { reason: Survey::Incompetent, de: "Inkompetentes Gegenüber", en: "Incompetent contact" },
    Reason {
        reason: Survey::NeedsNotUnderstood,
        de: "Tiefere Bedürfnisse nicht erfasst",
        en: "Deeper needs not understood",
    },
    Reason { reason: Survey::NotTakenSeriously, de: "Nicht ernst genommen", en: "Not taken seriously" },
    Reason { reason: Survey::Price, de: "Preisgründe", en: "Price" },
    Reason { reason: Survey::Other, de: "Sonstiges", en: "Other" },
];
