//! One widget event: the body of `POST {collector}/v1/events`. Survey
//! displays and dismissals (what the report's response rate counts) and the
//! recommendation lists' events (what the holdout compares).

use serde::{Deserialize, Serialize};

use crate::customer::Segment;
use crate::measure::holdout::Group;

/// At most this many items in one event.
pub const MAX_ITEMS: usize = 200;
/// The largest price in minor units: above 2^53 - 1 a JavaScript number is no longer exact.
pub const MAX_PRICE: u64 = (1 << 53) - 1;
/// The largest quantity of one item.
pub const MAX_QUANTITY: u64 = u32::MAX as u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventName {
    /// The survey was shown.
    SurveyShown,
    /// The survey was closed unanswered (also a display, never a score).
    SurveyDismissed,
    /// A list of suggestions was shown (or, for the control group, would have been).
    ViewItemList,
    /// A suggestion's link was followed.
    SelectItem,
    /// A suggestion was put into the cart.
    AddToCart,
    /// Points were redeemed.
    Redeem,
}

impl EventName {
    pub const ALL: [EventName; 6] = [
        EventName::SurveyShown,
        EventName::SurveyDismissed,
        EventName::ViewItemList,
        EventName::SelectItem,
        EventName::AddToCart,
        EventName::Redeem,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventName::SurveyShown => SHOWN,
            EventName::SurveyDismissed => DISMISSED,
            EventName::ViewItemList => "view_item_list",
            EventName::SelectItem => "select_item",
            EventName::AddToCart => "add_to_cart",
            EventName::Redeem => "redeem",
        }
    }

    pub fn from_name(name: &str) -> Option<EventName> {
        EventName::ALL.into_iter().find(|n| n.as_str() == name)
    }

    /// Survey events must name their survey.
    pub fn is_survey(self) -> bool {
        matches!(self, EventName::SurveyShown | EventName::SurveyDismissed)
    }
}

pub const SHOWN: &str = "survey_shown";
pub const DISMISSED: &str = "survey_dismissed";

/// Any event as a collector reads it, and a recommendation event as the bundle sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub name: EventName,
    /// RFC 3339, the visitor's clock.
    pub at: String,
    /// Required for survey events.
    pub survey: Option<String>,
    pub customer_id: Option<String>,
    pub segment: Option<Segment>,
    pub tier: Option<String>,
    /// The holdout group of recommendation events.
    pub group: Option<Group>,
    /// The A/B variant the visitor was shown (`target.variants`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// GA4's `item_list_name`: "cross_sell", "cart_cross_sell", "upgrade", "cart_upgrade".
    pub list: Option<String>,
    #[serde(default)]
    pub items: Vec<Item>,
    /// ISO 4217, of the items' prices.
    pub currency: Option<String>,
}

/// One product in an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub item_id: String,
    /// Minor units, as in the catalogue; at most [`MAX_PRICE`].
    pub price: Option<u64>,
    pub quantity: Option<u32>,
}

/// A survey was shown or closed unanswered, as the widget builds it; it reads as an [`Event`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyEvent {
    pub id: String,
    /// [`SHOWN`] or [`DISMISSED`].
    pub name: &'static str,
    /// RFC 3339, the visitor's clock.
    pub at: String,
    pub survey: String,
    pub customer_id: Option<String>,
    pub segment: Option<Segment>,
    pub tier: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::super::random_id;
    use super::*;

    #[test]
    fn survey_events_serialise_as_the_protocol_body_and_read_as_events() {
        let e = SurveyEvent {
            id: random_id('e', [0, 1, 2, 3, 250, 251, 252, 255]),
            name: DISMISSED,
            at: "2026-11-25T14:00:00.000Z".into(),
            survey: "nps".into(),
            customer_id: None,
            segment: Some(Segment::KeyAccount),
            tier: Some("gold".into()),
        };
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(
            text,
            r#"{"id":"e-00010203fafbfcff","name":"survey_dismissed","at":"2026-11-25T14:00:00.000Z","survey":"nps","customer_id":null,"segment":"key_account","tier":"gold"}"#
        );
        let read: Event = serde_json::from_str(&text).unwrap();
        assert_eq!(
            (read.name, read.survey.as_deref(), read.segment),
            (EventName::SurveyDismissed, Some("nps"), e.segment)
        );
        assert!(read.items.is_empty());
    }

    #[test]
    fn names_are_the_protocols() {
        let names: Vec<&str> = EventName::ALL.iter().map(|n| n.as_str()).collect();
        assert_eq!(
            names,
            ["survey_shown", "survey_dismissed", "view_item_list", "select_item", "add_to_cart", "redeem"]
        );
        for n in EventName::ALL {
            assert_eq!(serde_json::to_value(n).unwrap(), n.as_str());
            assert_eq!(EventName::from_name(n.as_str()), Some(n));
            assert_eq!(n.is_survey(), n.as_str().starts_with("survey_"));
        }
    }
}
