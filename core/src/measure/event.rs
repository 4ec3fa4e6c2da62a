//! Recommendation events in two shapes: GA4's e-commerce shape for the page's
//! `dataLayer` (what shops' tag managers already understand), and the
//! collector's shape (`crate::protocol::Event`, docs/protocol.md). The browser
//! layer adds what core cannot know: an id and the time.

use serde::Serialize;

use super::holdout::Group;
use crate::catalogue::{Catalogue, ProductId};
use crate::customer::Customer;
use crate::protocol::{self, Event};

/// The recommendation events' names are the protocol's.
pub use crate::protocol::EventName as Name;

/// The dataLayer event of the control group: GA4 must not count a list nobody saw as viewed.
pub const EXPOSURE: &str = "treue_exposure";

/// One product in an event, at its position in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub product: ProductId,
    pub index: u32,
    pub quantity: u32,
}

/// What happened to which list, for which group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEvent {
    pub name: Name,
    /// GA4's `item_list_name`: "cross_sell", "cart_cross_sell", "upgrade", "cart_upgrade".
    pub list: &'static str,
    pub group: Group,
    /// The A/B variant the visitor was shown (`target.variants`), so that a
    /// merchant can compare variants by the same events.
    pub variant: Option<String>,
    pub items: Vec<Item>,
}

impl ListEvent {
    /// Items in list order, one each.
    pub fn list(name: Name, list: &'static str, group: Group, products: &[ProductId]) -> ListEvent {
        let items =
            products.iter().enumerate().map(|(i, &product)| Item { product, index: i as u32, quantity: 1 }).collect();
        ListEvent { name, list, group, variant: None, items }
    }

    pub fn in_variant(self, variant: Option<String>) -> ListEvent {
        ListEvent { variant, ..self }
    }

    /// What goes to `dataLayer.push`.
    pub fn data_layer<'a>(&'a self, catalogue: &'a Catalogue) -> DataLayerPush<'a> {
        let control = self.group == Group::Control;
        let digits = minor_digits(&catalogue.currency);
        let items: Vec<Ga4Item<'a>> = self
            .items
            .iter()
            .map(|item| {
                let p = catalogue.product(item.product);
                Ga4Item {
                    item_id: p.sku(),
                    item_name: p.title(),
                    item_brand: p.brand(),
                    item_category: catalogue.category_name(item.product),
                    item_list_id: self.list,
                    item_list_name: self.list,
                    index: item.index,
                    price: major(p.current_price(), digits),
                    quantity: item.quantity,
                }
            })
            .collect();
        let value = (self.name == Name::AddToCart).then(|| items.iter().map(|i| i.price * f64::from(i.quantity)).sum());
        DataLayerPush {
            event: if control { EXPOSURE } else { self.name.as_str() },
            treue_group: self.group,
            treue_variant: self.variant.as_deref(),
            treue_list: self.list,
            ecommerce: (!control).then(|| Ecommerce {
                item_list_id: self.list,
                item_list_name: self.list,
                currency: &catalogue.currency,
                value,
                items,
            }),
        }
    }

    /// What goes to `{collector}/v1/events`; `id` is unique per event, `at` RFC 3339.
    pub fn collector(&self, catalogue: &Catalogue, id: &str, at: &str, customer: Option<&Customer>) -> Event {
        Event {
            id: id.to_string(),
            name: self.name,
            at: at.to_string(),
            survey: None,
            customer_id: customer.map(|c| c.id.clone()).filter(|id| !id.is_empty()),
            segment: customer.and_then(|c| c.segment),
            tier: customer.and_then(|c| c.tier.clone()),
            group: Some(self.group),
            variant: self.variant.clone(),
            list: Some(self.list.to_string()),
            items: self
                .items
                .iter()
                .map(|item| protocol::Item {
                    item_id: catalogue.product(item.product).sku().to_string(),
                    price: Some(catalogue.product(item.product).current_price()),
                    quantity: Some(item.quantity),
                })
                .collect(),
            currency: Some(catalogue.currency.clone()),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DataLayerPush<'a> {
    pub event: &'static str,
    pub treue_group: Group,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub treue_variant: Option<&'a str>,
    pub treue_list: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ecommerce: Option<Ecommerce<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Ecommerce<'a> {
    pub item_list_id: &'static str,
    pub item_list_name: &'static str,
    pub currency: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    pub items: Vec<Ga4Item<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Ga4Item<'a> {
    pub item_id: &'a str,
    pub item_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_brand: Option<&'a str>,
    pub item_category: &'a str,
    pub item_list_id: &'static str,
    pub item_list_name: &'static str,
    pub index: u32,
    /// GA4 wants major units: 19.9, not 1990.
    pub price: f64,
    pub quantity: u32,
}

pub use crate::currency::minor_digits;

fn major(minor: u64, digits: u32) -> f64 {
    minor as f64 / 10f64.powi(digits as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::CatalogueDoc;
    use crate::customer::Segment;
    use serde_json::{json, to_value};

    fn fixture() -> Catalogue {
        let doc: CatalogueDoc = serde_json::from_str(include_str!("../../../tests/fixtures/catalogue.json")).unwrap();
        doc.into_catalogue().unwrap()
    }

    #[test]
    fn a_shown_list_is_a_ga4_view_item_list_in_major_units() {
        let c = fixture();
        let event = ListEvent::list(
            Name::ViewItemList,
            "cross_sell",
            Group::Treatment,
            &[c.id("SD-64").unwrap(), c.id("BAG-1").unwrap()],
        );
        assert_eq!(
            to_value(event.data_layer(&c)).unwrap(),
            json!({"event":"view_item_list","treue_group":"treatment","treue_list":"cross_sell","ecommerce":{
                "item_list_id":"cross_sell","item_list_name":"cross_sell","currency":"EUR","items":[
                {"item_id":"SD-64","item_name":"SDXC-Karte 64 GB <b>V30</b>","item_brand":"SanDisk","item_category":"Fotografie > Speicherkarten",
                 "item_list_id":"cross_sell","item_list_name":"cross_sell","index":0,"price":19.9,"quantity":1},
                {"item_id":"BAG-1","item_name":"Kameratasche Traveller","item_brand":"Lowepro","item_category":"Fotografie > Taschen",
                 "item_list_id":"cross_sell","item_list_name":"cross_sell","index":1,"price":59.0,"quantity":1}]}})
        );
    }

    #[test]
    fn add_to_cart_carries_the_list_name_and_its_value() {
        let c = fixture();
        let event = ListEvent {
            name: Name::AddToCart,
            list: "upgrade",
            group: Group::Treatment,
            variant: None,
            items: vec![Item { product: c.id("SUP-PLUS").unwrap(), index: 0, quantity: 2 }],
        };
        let push = to_value(event.data_layer(&c)).unwrap();
        assert_eq!(push["event"], "add_to_cart");
        assert_eq!(push["ecommerce"]["value"], 138.0);
        assert_eq!(push["ecommerce"]["items"][0]["item_list_name"], "upgrade");
        assert!(to_value(ListEvent::list(Name::SelectItem, "cross_sell", Group::Treatment, &[0]).data_layer(&c))
            .unwrap()["ecommerce"]
            .get("value")
            .is_none());
    }

    #[test]
    fn the_control_group_sends_an_exposure_without_ga4_items_and_the_collector_gets_what_it_would_have_seen() {
        let c = fixture();
        let event = ListEvent::list(Name::ViewItemList, "cart_cross_sell", Group::Control, &[c.id("BAG-1").unwrap()]);
        assert_eq!(
            to_value(event.data_layer(&c)).unwrap(),
            json!({"event":"treue_exposure","treue_group":"control","treue_list":"cart_cross_sell"})
        );
        let customer = Customer {
            id: "c-42".into(),
            segment: Some(Segment::KeyAccount),
            tier: Some("gold".into()),
            ..Customer::default()
        };
        assert_eq!(
            to_value(event.collector(&c, "e-1", "2026-11-25T14:00:00.000Z", Some(&customer))).unwrap(),
            json!({"id":"e-1","name":"view_item_list","at":"2026-11-25T14:00:00.000Z","survey":null,"customer_id":"c-42",
                   "segment":"key_account","tier":"gold","group":"control","list":"cart_cross_sell",
                   "items":[{"item_id":"BAG-1","price":5900,"quantity":1}],"currency":"EUR"})
        );
        let guest = to_value(event.collector(&c, "e-2", "t", None)).unwrap();
        assert_eq!((guest["customer_id"].clone(), guest["segment"].clone()), (json!(null), json!(null)));
    }

    #[test]
    fn the_variant_reaches_ga4_and_the_collector_only_when_there_is_one() {
        let c = fixture();
        let shown = ListEvent::list(Name::ViewItemList, "cross_sell", Group::Treatment, &[c.id("BAG-1").unwrap()])
            .in_variant(Some("bundle_first".into()));
        assert_eq!(to_value(shown.data_layer(&c)).unwrap()["treue_variant"], "bundle_first");
        assert_eq!(to_value(shown.collector(&c, "e-1", "t", None)).unwrap()["variant"], "bundle_first");
        let held = ListEvent::list(Name::ViewItemList, "cross_sell", Group::Control, &[0]).in_variant(Some("b".into()));
        assert_eq!(to_value(held.data_layer(&c)).unwrap()["treue_variant"], "b");
        let plain = ListEvent::list(Name::ViewItemList, "cross_sell", Group::Treatment, &[0]);
        assert!(to_value(plain.data_layer(&c)).unwrap().get("treue_variant").is_none());
        assert!(to_value(plain.collector(&c, "e-2", "t", None)).unwrap().get("variant").is_none());
    }

    #[test]
    fn currencies_without_cents_are_not_divided() {
        assert_eq!(major(1990, minor_digits("EUR")), 19.9);
        assert_eq!(major(1990, minor_digits("JPY")), 1990.0);
        assert_eq!(major(1990, minor_digits("KWD")), 1.99);
    }
}
