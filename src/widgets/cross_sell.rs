//! "Goes with it" on product pages (`data-sku`) and "complete your order" on the
//! cart (`data-context="cart"`). The ranking is `treue_core::cross_sell`. A
//! visitor in the holdout's control group sees nothing; an exposure event
//! records what they would have seen.

use treue_core::category;
use treue_core::cross_sell::Reason;
use treue_core::i18n::{fill, Text};
use treue_core::measure::event::{Item, ListEvent, Name};
use treue_core::measure::holdout::Group;
use treue_core::ProductId;
use web_sys::Element;
use yew::prelude::*;

use super::focus::use_refocus;
use super::product_card::ProductCard;
use crate::analytics;
use crate::embed::events::{self, AddToCart};
use crate::impression;
use crate::page::{Arm, MountInfo, PageRef};

#[derive(Properties, PartialEq, Clone)]
pub struct CrossSellProps {
    pub page: PageRef,
    pub mount: MountInfo,
    pub arm: Arm,
}

/// Sends `view_item_list` once per distinct list shown (or, for the control
/// group, withheld), when `host` has been seen (`crate::impression`). A list
/// this widget already counted is not counted again when it comes back.
#[hook]
pub(super) fn use_view_event(page: &PageRef, host: &Element, list: &'static str, arm: &Arm, products: Vec<ProductId>) {
    let counted = use_mut_ref(Vec::<(Vec<ProductId>, Arm)>::new);
    let (page, host) = (page.clone(), host.clone());
    use_effect_with((products, arm.clone()), move |(products, arm)| {
        let shown = (products.clone(), arm.clone());
        let fresh = !products.is_empty() && !counted.borrow().contains(&shown);
        let watch = fresh.then(|| {
            impression::when_seen(&host, move || {
                let event = ListEvent::list(Name::ViewItemList, list, shown.1.group, &shown.0);
                analytics::track(&page, &event.in_variant(shown.1.variant_name()));
                counted.borrow_mut().push(shown);
            })
        });
        move || drop(watch)
    });
}

/// `select_item` or `add_to_cart` for the product at `index` of `list`.
pub(super) fn track_item(page: &PageRef, arm: &Arm, name: Name, list: &'static str, product: ProductId, index: usize) {
    let items = vec![Item { product, index: index as u32, quantity: 1 }];
    analytics::track(page, &ListEvent { name, list, group: arm.group, variant: arm.variant_name(), items });
}

#[function_component(CrossSell)]
pub fn cross_sell(props: &CrossSellProps) -> Html {
    let page = &props.page;
    let spot = props.mount.spot();
    let list = if spot.is_cart() { "cart_cross_sell" } else { "cross_sell" };
    let suggestions = page.cross_sell(&spot);
    let products: Vec<ProductId> = suggestions.iter().map(|s| s.product).collect();
    let arm = &props.arm;
    use_view_event(page, &props.mount.host, list, arm, products.clone());
    let section = use_node_ref();
    let used = use_refocus(&section, products.clone());
    // What was last put in the cart, said politely: the card goes, the news stays.
    let added = use_state(String::new);
    if arm.group == Group::Control || (suggestions.is_empty() && added.is_empty()) {
        return html! {};
    }

    let position = move |id: ProductId| products.iter().position(|&p| p == id).unwrap_or(0);
    let on_add = {
        let (host, page, arm, position) = (props.mount.host.clone(), page.clone(), arm.clone(), position.clone());
        let added = added.setter();
        Callback::from(move |id: ProductId| {
            track_item(&page, &arm, Name::AddToCart, list, id, position(id));
            used.set(Some(position(id)));
            let product = page.catalogue().product(id);
            added.set(fill(page.text(Text::AddedToCart), &[("title", product.title())]));
            let sku = &product.sku();
            events::emit(&host, events::ADD_TO_CART, &AddToCart { sku, quantity: 1, list });
        })
    };
    let on_select = {
        let (page, arm) = (page.clone(), arm.clone());
        Callback::from(move |id: ProductId| track_item(&page, &arm, Name::SelectItem, list, id, position(id)))
    };
    let title = page.text(if spot.is_cart() { Text::CartCrossSellTitle } else { Text::CrossSellTitle });
    html! {
        <>
            if !suggestions.is_empty() {
                <section class="cross-sell" aria-labelledby="treue-title" ref={section}>
                    <h2 id="treue-title" class="heading" tabindex="-1">{ title }</h2>
                    <ul class="cards">
                        { for suggestions.iter().map(|s| html! {
                            <ProductCard key={s.product} page={page.clone()} product={s.product}
                                reason={AttrValue::from(reason(page, s.reason))} on_add={on_add.clone()} on_select={on_select.clone()} />
                        }) }
                    </ul>
                </section>
            }
            <p class="visually-hidden announce" role="status">{ (*added).clone() }</p>
        </>
    }
}

fn reason(page: &PageRef, reason: Reason) -> String {
    let catalogue = page.catalogue();
    let about = |text: Text, anchor: ProductId| fill(page.text(text), &[("title", catalogue.product(anchor).title())]);
    match reason {
        Reason::Curated { anchor } => about(Text::Curated, anchor),
        Reason::BoughtTogether { anchor } => about(Text::BoughtTogether, anchor),
        Reason::Complement { anchor } => about(Text::Complement, anchor),
        Reason::CategoryBestseller { anchor } => {
            let leaf = category::leaf(catalogue.category_name(anchor));
            fill(page.text(Text::CategoryBestseller), &[("category", leaf)])
        }
        Reason::ShopBestseller => page.text(Text::ShopBestseller).to_string(),
    }
}
