//! The account panel (`data-treue="loyalty"`): balance, tier, progress to the
//! next tier with a text equivalent, what keeps the tier, points about to
//! lapse, rewards to redeem now and the points to the next one. A guest sees
//! the sign-up bonus instead. Everything is computed from props on each
//! render, keyed by the customer id, so nothing of a previous customer stays.
//! The arithmetic is `treue_core::loyalty`; this file only words and draws it.

use treue_core::customer::Customer;
use treue_core::i18n::{fill, Text};
use treue_core::loyalty::reward;
use treue_core::loyalty::rules::{Basis, LoyaltyRules};
use treue_core::loyalty::tier::{self, Keep, Progress};
use yew::prelude::*;

use crate::embed::events::{self, Redeem};
use crate::format;
use crate::page::{MountInfo, PageRef};

#[derive(Properties, PartialEq, Clone)]
pub struct LoyaltyProps {
    pub page: PageRef,
    pub mount: MountInfo,
}

#[function_component(Loyalty)]
pub fn loyalty(props: &LoyaltyProps) -> Html {
    let page = &props.page;
    let rules = &page.shop.loyalty;
    if !rules.enabled {
        return html! {};
    }
    let Some(customer) = page.customer.as_deref() else {
        let bonus = rules.earn.bonus.sign_up;
        if bonus == 0 {
            return html! {};
        }
        return html! {
            <section class="loyalty guest" key="guest">
                <p class="join">{ fill(page.text(Text::JoinMagnet), &[("points", &points(page, bonus))]) }</p>
            </section>
        };
    };
    let today = page.today();
    // No balance from the shop: no figure and no rewards, rather than a false 0.
    let balance = customer.points;
    let current = rules.tiers.as_ref().and_then(|t| tier::current(t, customer));
    let progress = rules.tiers.as_ref().map(|t| tier::progress(t, customer, today));
    let tier_name = current.map_or_else(|| page.text(Text::NoTier).to_string(), |(_, t)| t.name.clone());

    html! {
        <section class="loyalty" key={customer.id.clone()} aria-labelledby="treue-loyalty-title">
            <h2 id="treue-loyalty-title" class="heading">{ page.text(Text::LoyaltyTitle) }</h2>
            <dl class="summary">
                if let Some(balance) = balance {
                    <div><dt>{ page.text(Text::Balance) }</dt><dd class="balance">{ points(page, balance) }</dd></div>
                }
                if rules.tiers.is_some() {
                    <div><dt>{ page.text(Text::TierLabel) }</dt><dd class="tier">{ tier_name }</dd></div>
                }
            </dl>
            { progress.map(|p| tier_section(page, &p)).unwrap_or_default() }
            { expiry_note(page, customer) }
            { balance.map(|b| rewards(page, rules, b, current.map(|(i, _)| i), &props.mount)).unwrap_or_default() }
        </section>
    }
}

fn tier_section(page: &PageRef, p: &Progress) -> Html {
    let amount = |n| amount(page, p.basis, n);
    let bar = match &p.next {
        Some(next) => {
            let name = next.tier.name.as_str();
            let text = match next.by {
                _ if next.left == 0 => fill(page.text(Text::TierReached), &[("tier", name)]),
                Some(by) => fill(
                    page.text(Text::ToNextTierBy),
                    &[("amount", &amount(next.left)), ("tier", name), ("date", &format::date(page.locale.tag(), by))],
                ),
                None => fill(page.text(Text::ToNextTier), &[("amount", &amount(next.left)), ("tier", name)]),
            };
            let goal = next.tier.threshold.max(1);
            let now = p.qualifying.min(goal);
            let value = fill(
                page.text(Text::TierProgressValue),
                &[("now", &amount(p.qualifying)), ("goal", &amount(next.tier.threshold)), ("tier", name)],
            );
            html! {
                <div class="tier-progress">
                    // A native <progress> needs no inline style (strict CSP) and
                    // is announced as a progress bar with the text value below.
                    <progress class="bar" role="progressbar" max={goal.to_string()} value={now.to_string()}
                        aria-valuemin="0" aria-valuemax={goal.to_string()} aria-valuenow={now.to_string()}
                        aria-valuetext={value} aria-label={fill(page.text(Text::TierProgressLabel), &[("tier", name)])} />
                    <p class="progress-text">{ text }</p>
                </div>
            }
        }
        None if p.current.is_some() => html! { <p class="progress-text">{ page.text(Text::TopTier) }</p> },
        None => html! {},
    };
    let keep = keep_text(page, p);
    let benefits = p.current.filter(|t| !t.benefits.is_empty()).map(|t| {
        html! {
            <div class="benefits">
                <h3 class="subheading">{ fill(page.text(Text::Benefits), &[("tier", &t.name)]) }</h3>
                <ul>{ for t.benefits.iter().map(|b| html! { <li>{ b }</li> }) }</ul>
            </div>
        }
    });
    html! {
        <>
            { bar }
            if !keep.is_empty() {
                <p class="keep">{ keep }</p>
            }
            if p.basis == Basis::PointsEarned {
                <p class="note">{ page.text(Text::RedeemNeverDemotes) }</p>
            }
            { benefits }
        </>
    }
}

/// What keeps or loses the current tier, in one or two plain sentences.
fn keep_text(page: &PageRef, p: &Progress) -> String {
    let Some(tier) = p.current else { return String::new() };
    let name = tier.name.as_str();
    match &p.keep {
        Keep::Nothing => String::new(),
        Keep::Forever => fill(page.text(Text::KeepForever), &[("tier", name)]),
        Keep::Secured { until: Some(until) } => {
            fill(page.text(Text::KeepSecured), &[("tier", name), ("date", &format::date(page.locale.tag(), *until))])
        }
        Keep::Secured { until: None } => fill(page.text(Text::KeepSecuredOpen), &[("tier", name)]),
        Keep::Needs { left, by, to, on } => {
            let left = amount(page, p.basis, *left);
            let mut text = match by {
                Some(by) => fill(
                    page.text(Text::KeepNeedsBy),
                    &[("amount", &left), ("date", &format::date(page.locale.tag(), *by)), ("tier", name)],
                ),
                None => fill(page.text(Text::KeepNeeds), &[("amount", &left), ("tier", name)]),
            };
            if let Some(on) = on {
                text.push(' ');
                text.push_str(&match to {
                    Some(lower) => fill(
                        page.text(Text::KeepOtherwise),
                        &[("tier", &lower.name), ("date", &format::date(page.locale.tag(), *on))],
                    ),
                    None => {
                        fill(page.text(Text::KeepOtherwiseNone), &[("date", &format::date(page.locale.tag(), *on))])
                    }
                });
            }
            text
        }
    }
}

fn expiry_note(page: &PageRef, customer: &Customer) -> Html {
    let Some(lapse) = page.expiry_warning(customer) else {
        return html! {};
    };
    let text = fill(
        page.text(Text::Expiring),
        &[("points", &points(page, lapse.points)), ("date", &format::date(page.locale.tag(), lapse.on))],
    );
    html! {
        <p class="expiring">
            { text }
            if lapse.purchase_keeps {
                { " " }{ page.text(Text::ExpiringPurchaseKeeps) }
            }
        </p>
    }
}

fn rewards(page: &PageRef, rules: &LoyaltyRules, balance: u64, tier: Option<usize>, mount: &MountInfo) -> Html {
    let found = reward::for_customer(rules, balance, tier);
    let items = found.reachable.iter().map(|r| {
        let cost = points(page, r.cost);
        let label = fill(page.text(Text::RedeemLabel), &[("title", &r.title), ("points", &cost)]);
        let onclick = {
            let (host, id, cost) = (mount.host.clone(), r.id.clone(), r.cost);
            // The shop's backend redeems and then calls setCustomer with the new balance.
            Callback::from(move |_| events::emit(&host, events::REDEEM, &Redeem { reward: &id, points: cost }))
        };
        html! {
            <li class="reward" key={r.id.clone()}>
                <span class="reward-title">{ &r.title }</span>
                <span class="reward-cost">{ cost }</span>
                <button type="button" class="add" aria-label={label} {onclick}>{ page.text(Text::Redeem) }</button>
            </li>
        }
    });
    let next = found.next.map(|(r, left)| {
        let text = fill(page.text(Text::NextReward), &[("points", &points(page, left)), ("title", &r.title)]);
        html! { <p class="next-reward">{ text }</p> }
    });
    html! {
        <>
            if !found.reachable.is_empty() {
                <div class="rewards">
                    <h3 class="subheading">{ page.text(Text::RewardsTitle) }</h3>
                    <ul class="reward-list">{ for items }</ul>
                </div>
            }
            { next }
        </>
    }
}

/// "1 Punkt", "1.234 Punkte"; negative parts of a breakdown keep their sign.
pub(crate) fn points(page: &PageRef, n: impl Into<i128>) -> String {
    let n = n.into();
    if n == 1 {
        return page.text(Text::Point).to_string();
    }
    fill(page.text(Text::Points), &[("points", &format::number(n, page.locale.tag()))])
}

/// A tier amount: points, or money for a spend-based programme.
fn amount(page: &PageRef, basis: Basis, n: u64) -> String {
    match basis {
        Basis::PointsEarned => points(page, n),
        Basis::Spend => format::price(n, &page.catalogue().currency, page.locale.tag()),
    }
}
