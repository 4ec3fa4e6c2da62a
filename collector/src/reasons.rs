//! The detractor reasons the survey offers (docs/protocol.md), from the seed texts'
//! list of why customers leave, with the labels the report prints.

pub struct Reason {
    pub id: &'static str,
    pub de: &'static str,
    pub en: &'static str,
}

pub const REASONS: [Reason; 9] = [
    Reason { id: "not_attentive", de: "Mangelnde Aufmerksamkeit", en: "Not attentive" },
    Reason { id: "no_initiative", de: "Mangelnde Initiative", en: "No initiative" },
    Reason { id: "promise_broken", de: "Vereinbarung nicht eingehalten", en: "Promise not kept" },
    Reason { id: "errors_not_fixed", de: "Fehler nicht korrigiert", en: "Errors not fixed" },
    Reason { id: "incompetent", de: "Inkompetentes Gegenüber", en: "Incompetent contact" },
    Reason { id: "needs_not_understood", de: "Tiefere Bedürfnisse nicht erfasst", en: "Deeper needs not understood" },
    Reason { id: "not_taken_seriously", de: "Nicht ernst genommen", en: "Not taken seriously" },
    Reason { id: "price", de: "Preisgründe", en: "Price" },
    Reason { id: "other", de: "Sonstiges", en: "Other" },
];
