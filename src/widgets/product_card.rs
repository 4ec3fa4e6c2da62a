//! One suggested product: image, title, price, why it is suggested, and an add
//! button. Shared by the cross-sell lists; `price` and `picture` by the upgrade card.

use treue_core::i18n::{fill, Text};
use treue_core::{link, Product, ProductId};
use yew::prelude::*;

use crate::format;
use crate::page::PageRef;

#[derive(Properties, PartialEq, Clone)]
pub struct ProductCardProps {
    pub page: PageRef,
    pub product: ProductId,
    pub reason: AttrValue,
    pub on_add: Callback<ProductId>,
    /// The visitor follows the product link.
    pub on_select: Callback<ProductId>,
}

#[function_component(ProductCard)]
pub fn product_card(props: &ProductCardProps) -> Html {
    let page = &props.page;
    let product = page.catalogue().product(props.product);
    let on_add = {
        let (cb, id) = (props.on_add.clone(), props.product);
        Callback::from(move |_| cb.emit(id))
    };
    let label = fill(page.text(Text::AddToCartLabel), &[("title", product.title())]);
    html! {
        <li class="card">
            { picture(product, 160, props.product, &props.on_select) }
            <span class="reason" dir="auto" title={props.reason.clone()}>{ props.reason.clone() }</span>
            { price(page, product) }
            <button type="button" class="add" aria-label={label} onclick={on_add}>{ page.text(Text::AddToCart) }</button>
        </li>
    }
}

/// Image and title, a link to the product when its URL is safe. The title may
/// be cut on the card; its text stays whole for screen readers and shows whole
/// on hover.
pub fn picture(product: Product, size: u32, id: ProductId, on_select: &Callback<ProductId>) -> Html {
    let image = product.image().filter(|src| link::is_safe(src)).map(|src| {
        html! { <Thumbnail src={AttrValue::from(src.to_string())} {size} /> }
    });
    let title = html! { <span class="title" dir="auto" title={product.title().to_string()}>{ product.title() }</span> };
    let url = product.url();
    if link::is_safe(&url) {
        let on_click = {
            let on_select = on_select.clone();
            Callback::from(move |_| on_select.emit(id))
        };
        html! { <a class="link" href={url} onclick={on_click}>{ image }{ title }</a> }
    } else {
        html! { <span class="link">{ image }{ title }</span> }
    }
}

#[derive(Properties, PartialEq)]
struct ThumbnailProps {
    src: AttrValue,
    size: u32,
}

/// The product's image with its size up front (no layout shift), loaded
/// lazily; one that is missing or refused leaves a blank box of the same size.
#[function_component(Thumbnail)]
fn thumbnail(props: &ThumbnailProps) -> Html {
    let failed = use_state(|| false);
    let size = props.size.to_string();
    if *failed {
        return html! { <span class="image missing" aria-hidden="true"></span> };
    }
    let onerror = Callback::from(move |_: Event| failed.set(true));
    html! { <img class="image" src={props.src.clone()} alt="" loading="lazy" decoding="async" width={size.clone()} height={size} {onerror} /> }
}

/// The price for the locale; a sale price first, the regular one struck through.
pub fn price(page: &PageRef, product: Product) -> Html {
    let locale = page.locale.tag();
    let currency = &page.catalogue().currency;
    let now = format::price(product.current_price(), currency, locale);
    let was = (product.current_price() < product.price()).then(|| format::price(product.price(), currency, locale));
    html! {
        <span class="price">
            if let Some(was) = was {
                <span class="visually-hidden">{ page.text(Text::SalePrice) }{ " " }</span>
                <span class="now sale">{ now }</span>
                <s class="was"><span class="visually-hidden">{ page.text(Text::RegularPrice) }{ " " }</span>{ was }</s>
            } else {
                <span class="now">{ now }</span>
            }
        </span>
    }
}
