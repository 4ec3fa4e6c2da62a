//! The visitor as the shop knows them. The shop owns the truth (balances,
//! tiers, purchases); treue only reads it, from `treue.setCustomer({...})` or a
//! `<script type="application/json" id="treue-customer">` element. Field names
//! are snake_case, like the rules document and GA4's event fields.

use serde::{Deserialize, Serialize};

use crate::date::Date;

/// Customer value segment (ABC analysis), plus key accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Segment {
    A,
    B,
    C,
    #[serde(rename = "key_account")]
    KeyAccount,
}

impl Segment {
    /// In the order reports list them.
    pub const ALL: [Segment; 4] = [Segment::A, Segment::B, Segment::C, Segment::KeyAccount];

    /// The name on the wire and in the rules.
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::A => "A",
            Segment::B => "B",
            Segment::C => "C",
            Segment::KeyAccount => "key_account",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expiring {
    pub points: u64,
    /// The day they lapse.
    pub on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Customer {
    /// The shop's customer id: stored state is keyed by it.
    pub id: String,
    pub segment: Option<Segment>,
    /// Current point balance.
    pub points: Option<u64>,
    /// Current tier id, as named in the rules.
    pub tier: Option<String>,
    /// Spend in the current tier window, in minor units.
    pub tier_spend: Option<u64>,
    /// Points earned in the current tier window (spending points never lowers it).
    pub tier_points: Option<u64>,
    /// First day of the customer's rolling tier window (joining or last tier change).
    pub tier_window_start: Option<Date>,
    /// Points that lapse soon, and when.
    pub expiring: Option<Expiring>,
    /// In payment default: only cash terms, no instalment or deferred-payment offers.
    pub payment_default: bool,
    /// When this customer last answered or was shown a survey, on any device.
    pub last_survey: Option<Date>,
    pub last_purchase: Option<Date>,
    /// SKUs this customer bought before.
    pub purchased: Vec<String>,
    /// On the thank-you page: the token the shop's backend signed for the
    /// order just placed, sent with a survey answer so that the collector can
    /// mark it verified (docs/collector.md).
    pub order_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_a_shop_passes() {
        let c: Customer = serde_json::from_str(
            r#"{"id":"c-42","segment":"key_account","points":1200,"expiring":{"points":200,"on":"2026-12-31"},
                "last_survey":"2026-10-01","purchased":["CAM-1"],"payment_default":true}"#,
        )
        .unwrap();
        assert_eq!(c.segment, Some(Segment::KeyAccount));
        assert_eq!(c.expiring.unwrap().on, Date::parse("2026-12-31").unwrap());
        assert!(c.payment_default);
        let guest_like: Customer = serde_json::from_str(r#"{"id":"c-1"}"#).unwrap();
        assert_eq!(guest_like.points, None);
        assert!(serde_json::from_str::<Customer>(r#"{"id":"x","segment":"D"}"#).is_err());
        for s in Segment::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
