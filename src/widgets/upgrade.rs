//! The upgrade card on product pages (`data-sku`) and the cart
//! (`data-context="cart"`): the next step up in the family, what it costs more
//! and what it adds. The choice is `treue_core::upgrade`. Choosing it sends
//! `treue:add-to-cart` with `replaces`, the SKU it would replace.

use serde::Serialize;
use treue_core::i18n::{fill, Text};
use treue_core::measure::event::Name;
use treue_core::measure::holdout::Group;
use treue_core::upgrade::{Offer, Upgrade};
use treue_core::ProductId;
use yew::prelude::*;

use super::cross_sell::{track_item, use_view_event};
use super::focus::{use_refocus, Used};
use super::product_card::{picture, price};
use crate::embed::events;
use crate::format;
use crate::page::{Arm, MountInfo, PageRef};

#[derive(Properties, PartialEq, Clone)]
pub struct UpgradeProps {
    pub page: PageRef,
    pub mount: MountInfo,
    pub arm: Arm,
}

/// The detail of the `treue:add-to-cart` event an upgrade sends.
#[derive(Debug, Serialize)]
struct AddUpgrade<'a> {
    sku: &'a str,
    quantity: u32,
    list: &'a str,
    /// The SKU the shop should take out of the cart (or off the page) for it.
    replaces: &'a str,
}

#[function_component(UpgradeCard)]
pub fn upgrade_card(props: &UpgradeProps) -> Html {
    let page = &props.page;
    let spot = props.mount.spot();
    let list = if spot.is_cart() { "cart_upgrade" } else { "upgrade" };
    let upgrades = page.upgrades(&spot);
    let products: Vec<ProductId> = upgrades.iter().map(|u| u.to).collect();
    use_view_event(page, &props.mount.host, list, &props.arm, products.clone());
    let section = use_node_ref();
    let used = use_refocus(&section, products);
    // The choice redraws the card (the next step up, or none): said politely.
    let added = use_state(String::new);
    if props.arm.group == Group::Control || (upgrades.is_empty() && added.is_empty()) {
        return html! {};
    }
    let chosen = Chosen { used, added: added.setter() };
    html! {
        <>
            if !upgrades.is_empty() {
                <section class="upgrade" aria-labelledby="treue-upgrade-title" ref={section}>
                    <h2 id="treue-upgrade-title" class="heading" tabindex="-1">{ page.text(Text::UpgradeTitle) }</h2>
                    <ul class="cards">
                        { for upgrades.iter().enumerate().map(|(index, u)| card(props, list, index, u, &chosen)) }
                    </ul>
                </section>
            }
            <p class="visually-hidden announce" role="status">{ (*added).clone() }</p>
        </>
    }
}

/// What choosing an upgrade leaves behind: where focus was, and the announcement.
struct Chosen {
    used: Used,
    added: UseStateSetter<String>,
}

fn card(props: &UpgradeProps, list: &'static str, index: usize, u: &Upgrade, chosen: &Chosen) -> Html {
    let (page, mount) = (&props.page, &props.mount);
    let catalogue = page.catalogue();
    let (from, to) = (catalogue.product(u.from), catalogue.product(u.to));
    let amount = format::price(u.difference, &catalogue.currency, page.locale.tag());
    let difference = fill(page.text(u.difference_text(catalogue)), &[("amount", &amount), ("title", from.title())]);
    let label = fill(page.text(Text::UpgradeButtonLabel), &[("title", to.title()), ("from", from.title())]);
    let gains_id = format!("treue-gains-{index}");
    let on_select = {
        let (page, arm) = (page.clone(), props.arm.clone());
        Callback::from(move |id: ProductId| track_item(&page, &arm, Name::SelectItem, list, id, index))
    };
    let on_add = {
        let (page, arm, host, (from, to)) = (page.clone(), props.arm.clone(), mount.host.clone(), (u.from, u.to));
        let (used, added) = (chosen.used.clone(), chosen.added.clone());
        Callback::from(move |_| {
            track_item(&page, &arm, Name::AddToCart, list, to, index);
            used.set(Some(index));
            let (title, from_title) = (page.catalogue().product(to).title(), page.catalogue().product(from).title());
            added.set(fill(page.text(Text::UpgradeAdded), &[("title", title), ("from", from_title)]));
            let (sku, replaces) = (&page.catalogue().product(to).sku(), &page.catalogue().product(from).sku());
            events::emit(&host, events::ADD_TO_CART, &AddUpgrade { sku, quantity: 1, list, replaces });
        })
    };
    html! {
        <li key={u.to} class="card upgrade-card">
            { picture(to, 96, u.to, &on_select) }
            if u.offer == Offer::Individual {
                <span class="badge">{ page.text(Text::IndividualOption) }</span>
            }
            <span class="difference" dir="auto">{ difference }</span>
            if !u.gains.is_empty() {
                <span class="gains-heading" id={gains_id.clone()}>{ page.text(Text::UpgradeGains) }</span>
                <ul class="gains" aria-labelledby={gains_id}>
                    { for u.gains.iter().filter_map(|&i| to.highlights().get(i)).map(|gain| html! { <li dir="auto">{ gain }</li> }) }
                </ul>
            }
            { price(page, to) }
            <button type="button" class="add" aria-label={label} onclick={on_add}>{ page.text(Text::UpgradeButton) }</button>
        </li>
    }
}
