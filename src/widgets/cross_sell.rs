//! "Goes with it" on product pages (`data-sku`) and "complete your order" on the
//! cart (`data-context="cart"`). The ranking is `treue_core::cross_sell`.

use treue_core::cross_sell::rules::CrossSellRules;
use treue_core::cross_sell::{self, Bestsellers, Context, Reason};
use treue_core::i18n::{fill, Text};
use treue_core::ProductId;
use yew::prelude::*;

use super::product_card::ProductCard;
use super::MountInfo;
use crate::embed::events::{self, AddToCart};
use crate::page::PageRef;

#[derive(Properties, PartialEq, Clone)]
pub struct CrossSellProps {
    pub page: PageRef,
    pub mount: MountInfo,
}

#[function_component(CrossSell)]
pub fn cross_sell(props: &CrossSellProps) -> Html {
    let page = &props.page;
    let catalogue = &page.catalogue;
    let rules = page.rules.cross_sell.as_ref();
    if rules.is_some_and(|r| !r.enabled) {
        return html! {};
    }
    let on_cart = props.mount.context.as_deref() == Some("cart");
    let in_cart: Vec<ProductId> = page.cart.iter().filter_map(|line| catalogue.id(&line.sku)).collect();
    let anchors = if on_cart {
        in_cart.clone()
    } else {
        props.mount.sku.as_deref().and_then(|sku| catalogue.id(sku)).into_iter().collect()
    };
    if anchors.is_empty() {
        return html! {};
    }
    let defaults = CrossSellRules::default();
    let ctx = Context { anchors, in_cart, ..Context::default() };
    let suggestions = cross_sell::suggest(catalogue, &Bestsellers::new(catalogue), rules.unwrap_or(&defaults), &ctx);
    if suggestions.is_empty() {
        return html! {};
    }

    let list = if on_cart { "cart_cross_sell" } else { "cross_sell" };
    let on_add = {
        let (host, page) = (props.mount.host.clone(), page.clone());
        Callback::from(move |id: ProductId| {
            let sku = &page.catalogue.product(id).sku;
            events::emit(&host, events::ADD_TO_CART, &AddToCart { sku, quantity: 1, list });
        })
    };
    let title = page.text(if on_cart { Text::CartCrossSellTitle } else { Text::CrossSellTitle });
    html! {
        <section class="cross-sell" aria-labelledby="treue-title">
            <h2 id="treue-title" class="heading">{ title }</h2>
            <ul class="cards">
                { for suggestions.iter().map(|s| html! {
                    <ProductCard key={s.product} page={page.clone()} product={s.product}
                        reason={AttrValue::from(reason(page, s.reason))} on_add={on_add.clone()} />
                }) }
            </ul>
        </section>
    }
}

fn reason(page: &PageRef, reason: Reason) -> String {
    let catalogue = &page.catalogue;
    match reason {
        Reason::Curated { anchor } => fill(page.text(Text::Curated), &[("title", &catalogue.product(anchor).title)]),
        Reason::BoughtTogether { anchor } => {
            fill(page.text(Text::BoughtTogether), &[("title", &catalogue.product(anchor).title)])
        }
        Reason::CategoryBestseller { anchor } => {
            let path = catalogue.category_name(anchor);
            let leaf = path.rsplit('>').next().unwrap_or(path).trim();
            fill(page.text(Text::CategoryBestseller), &[("category", leaf)])
        }
        Reason::Complement { anchor } => fill(page.text(Text::Curated), &[("title", &catalogue.product(anchor).title)]),
        Reason::ShopBestseller => page.text(Text::ShopBestseller).to_string(),
    }
}
