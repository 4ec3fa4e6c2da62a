//! One suggested product: image, title, price, why it is suggested, and an add
//! button. Shared by the cross-sell lists.

use treue_core::i18n::{fill, Text};
use treue_core::{link, ProductId};
use yew::prelude::*;

use crate::format;
use crate::page::PageRef;

#[derive(Properties, PartialEq, Clone)]
pub struct ProductCardProps {
    pub page: PageRef,
    pub product: ProductId,
    pub reason: AttrValue,
    pub on_add: Callback<ProductId>,
}

#[function_component(ProductCard)]
pub fn product_card(props: &ProductCardProps) -> Html {
    let page = &props.page;
    let product = page.catalogue.product(props.product);
    let locale = page.locale.tag();
    let currency = &page.catalogue.currency;
    let now = format::price(product.current_price(), currency, locale);
    let was = (product.current_price() < product.price).then(|| format::price(product.price, currency, locale));

    let image = product.image.as_deref().filter(|src| link::is_safe(src)).map(|src| {
        html! { <img class="image" src={src.to_string()} alt="" loading="lazy" decoding="async" width="160" height="160" /> }
    });
    let title = html! { <span class="title">{ &product.title }</span> };
    let title = if link::is_safe(&product.url) {
        html! { <a class="link" href={product.url.clone()}>{ image }{ title }</a> }
    } else {
        html! { <span class="link">{ image }{ title }</span> }
    };
    let on_add = {
        let (cb, id) = (props.on_add.clone(), props.product);
        Callback::from(move |_| cb.emit(id))
    };
    let label = fill(page.text(Text::AddToCartLabel), &[("title", &product.title)]);
    html! {
        <li class="card">
            { title }
            <span class="reason">{ props.reason.clone() }</span>
            <span class="price">
                if let Some(was) = was {
                    <span class="visually-hidden">{ page.text(Text::SalePrice) }{ " " }</span>
                    <span class="now sale">{ now }</span>
                    <s class="was"><span class="visually-hidden">{ page.text(Text::RegularPrice) }{ " " }</span>{ was }</s>
                } else {
                    <span class="now">{ now }</span>
                }
            </span>
            <button type="button" class="add" aria-label={label} onclick={on_add}>{ page.text(Text::AddToCart) }</button>
        </li>
    }
}
