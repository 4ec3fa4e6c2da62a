//! One page view as every widget sees it: the loaded catalogue and rules, and
//! what the shop and the browser said about the visit, resolved once per
//! change (the cart against the catalogue, its value and categories, the
//! customer, one `today`). Widgets draw from it; every decision they need is a
//! method here, tested natively.

use std::cell::OnceCell;
use std::rc::Rc;

use crate::catalogue::Catalogue;
use crate::cross_sell::rules::CrossSellRules;
use crate::cross_sell::{self, Bestsellers, Context, Suggestion};
use crate::customer::Customer;
use crate::date::Date;
use crate::i18n::{Locale, Text};
use crate::loyalty::earn::{self, Line, Preview};
use crate::loyalty::expiry::{self, Lapse};
use crate::loyalty::rules::LoyaltyRules;
use crate::loyalty::tier;
use crate::measure::holdout::{self, Group};
use crate::nps::rules::NpsRules;
use crate::payload::shards::Held;
use crate::rules::{Rules, Section};
use crate::targeting::split::{self, Audience, Variant};
use crate::targeting::target::{Device, PageType, Target, Visit};
use crate::upgrade::rules::UpgradeRules;
use crate::upgrade::{self, Families, Upgrade};

mod cart;
mod kind;
#[cfg(test)]
mod tests;

pub use cart::{Cart, CartLine};
pub use kind::{Kind, Spot};

/// What loads once per page: the catalogue, the rules with every widget's
/// section or its defaults, and the lookup tables the engines read, each built
/// the first time a widget needs it (a page without an upgrade widget never
/// builds the families).
#[derive(Debug)]
pub struct Shop {
    pub catalogue: Catalogue,
    /// The document's settings (`texts`, `measure`, which sections are off);
    /// its widget sections are moved into the fields below.
    /// Shared (`Rc`) with the shop a page assembles on more shards
    /// (`with_shards`): cloning them would be code in the bundle for nothing.
    pub rules: Rc<Rules>,
    pub cross_sell: Rc<CrossSellRules>,
    pub upgrade: Rc<UpgradeRules>,
    pub loyalty: Rc<LoyaltyRules>,
    pub nps: Rc<NpsRules>,
    bestsellers: OnceCell<Bestsellers>,
    families: OnceCell<Families>,
    /// On a sharded catalogue, the shards `catalogue` was assembled from.
    held: Option<Held>,
}

impl Shop {
    pub fn new(catalogue: Catalogue, mut rules: Rules) -> Shop {
        Shop {
            cross_sell: Rc::new(rules.cross_sell.take().unwrap_or_default()),
            upgrade: Rc::new(rules.upgrade.take().unwrap_or_default()),
            loyalty: Rc::new(rules.loyalty.take().unwrap_or_default()),
            nps: Rc::new(rules.nps.take().unwrap_or_default()),
            catalogue,
            rules: Rc::new(rules),
            bestsellers: OnceCell::new(),
            families: OnceCell::new(),
            held: None,
        }
    }

    /// A shop on the shards `held` of a sharded catalogue, assembled into
    /// `catalogue` (`payload::shards::assemble`); its bestsellers come ranked
    /// by the index over the whole shop, which the few shards cannot tell.
    pub fn sharded(catalogue: Catalogue, rules: Rules, bestsellers: Bestsellers, held: Held) -> Shop {
        let mut shop = Shop::new(catalogue, rules);
        shop.bestsellers = OnceCell::from(bestsellers);
        shop.held = Some(held);
        shop
    }

    /// The same rules on more shards: the page fetched some.
    pub fn with_shards(&self, catalogue: Catalogue, bestsellers: Bestsellers, held: Held) -> Shop {
        Shop {
            catalogue,
            rules: self.rules.clone(),
            cross_sell: self.cross_sell.clone(),
            upgrade: self.upgrade.clone(),
            loyalty: self.loyalty.clone(),
            nps: self.nps.clone(),
            bestsellers: OnceCell::from(bestsellers),
            families: OnceCell::new(),
            held: Some(held),
        }
    }

    /// Whether the widgets can answer about `sku` as on the single file:
    /// always on one file; on shards when its own shard is held.
    pub fn answers_for(&self, sku: &str) -> bool {
        self.held.as_ref().is_none_or(|held| held.anchors(sku))
    }

    pub fn bestsellers(&self) -> &Bestsellers {
        self.bestsellers.get_or_init(|| Bestsellers::new(&self.catalogue))
    }

    pub fn families(&self) -> &Families {
        self.families.get_or_init(|| Families::new(&self.catalogue))
    }

    /// Whether `families` is built yet (it is built on first use, the
    /// longest single step of an upgrade widget's first render).
    pub fn families_built(&self) -> bool {
        self.families.get().is_some()
    }

    /// `measure.collector`, where answers and events go.
    pub fn collector(&self) -> Option<&str> {
        self.rules.measure.as_ref().and_then(|m| m.collector.as_deref())
    }
}

/// What the browser reads about the page view when anything changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// Today in the visitor's own time zone: promotions end at their midnight.
    pub today: Date,
    /// The URL's path, e.g. "/kameras/eos-r8".
    pub path: Rc<str>,
    pub device: Device,
}

/// The snapshot every widget renders from; replaced as a whole when anything changes.
#[derive(Debug, Clone)]
pub struct Page {
    pub shop: Rc<Shop>,
    pub locale: Locale,
    pub customer: Option<Rc<Customer>>,
    pub cart: Rc<Cart>,
    pub facts: Facts,
    /// The A/B variant one widget shows, when it has wording of its own; set
    /// on that widget's copy of the snapshot only.
    pub variant: Option<Rc<Variant>>,
}

/// Who a widget is for on this page view: the holdout group and the A/B variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arm {
    pub group: Group,
    pub variant: Option<Rc<Variant>>,
}

impl Arm {
    pub fn variant_name(&self) -> Option<String> {
        self.variant.as_ref().map(|v| v.name.clone())
    }
}

impl Page {
    /// Resolves the shop's cart lines and customer into a snapshot.
    pub fn new(
        shop: Rc<Shop>,
        locale: Locale,
        customer: Option<Rc<Customer>>,
        lines: &[CartLine],
        facts: Facts,
    ) -> Page {
        let mut cart = Cart::resolve(&shop.catalogue, lines);
        cart.incomplete = lines.iter().any(|line| !shop.answers_for(&line.sku));
        let cart = Rc::new(cart);
        Page { shop, locale, customer, cart, facts, variant: None }
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.shop.catalogue
    }

    pub fn rules(&self) -> &Rules {
        &self.shop.rules
    }

    pub fn today(&self) -> Date {
        self.facts.today
    }

    /// The shop's customer id, when it gave one.
    pub fn customer_id(&self) -> Option<&str> {
        self.customer.as_deref().map(|c| c.id.as_str()).filter(|id| !id.is_empty())
    }

    /// The wording for `text` in this locale: the variant's, else the rules',
    /// else the built-in one.
    pub fn text(&self, text: Text) -> &str {
        let locale = self.locale;
        self.variant
            .as_ref()
            .and_then(|v| v.text(locale, text))
            .or_else(|| self.shop.rules.texts.get(locale, text))
            .unwrap_or_else(|| text.builtin(locale))
    }

    /// Whether the widget `kind` shows on this page view (a page of type
    /// `page`), and in which arm: `None` when its section is off by errors or
    /// its `target` rules this view out. A visitor is in the control group
    /// when the widget's own `target.holdout` holds them out or, for the
    /// suggestion widgets, the shop-wide `measure.holdout` does. `browser_id`
    /// gives this browser's visitor id; it is asked only when a holdout or a
    /// target needs it, so most pages never make or store one.
    pub fn arm(&self, kind: Kind, page: PageType, browser_id: &mut dyn FnMut() -> String) -> Option<Arm> {
        let rules = &self.shop.rules;
        let section = kind.section();
        if rules.is_off(section) {
            return None;
        }
        let mut known: Option<String> = None;
        let mut browser_id = || known.get_or_insert_with(&mut *browser_id).clone();
        let shop_wide = match rules.measure.as_ref() {
            Some(m) if kind.is_measured() && m.holdout_share() > 0.0 => {
                holdout::assign(&m.experiment, &browser_id(), m.holdout_share())
            }
            _ => Group::Treatment,
        };
        let treated = Arm { group: shop_wide, variant: None };
        let Some(target) = self.target(kind) else { return Some(treated) };
        let categories = self.cart.categories(&self.shop.catalogue);
        let visit = Visit {
            page,
            path: &self.facts.path,
            customer: self.customer.as_deref(),
            cart_value: self.cart.value,
            cart_categories: &categories,
            device: self.facts.device,
            today: self.facts.today,
        };
        let visitor = match self.customer_id() {
            Some(id) => id.to_string(),
            None => browser_id(),
        };
        match split::audience(target, section, &visit, &visitor) {
            Audience::NotTargeted => None,
            // The variant is drawn apart from the holdout, so a held-out visitor's
            // exposure still says which variant they would have seen.
            Audience::Holdout => Some(Arm {
                group: Group::Control,
                variant: split::variant(&target.variants, section, &visitor).cloned().map(Rc::new),
            }),
            Audience::Shown { variant } => Some(Arm { variant: variant.cloned().map(Rc::new), ..treated }),
        }
    }

    fn target(&self, kind: Kind) -> Option<&Target> {
        let shop = &self.shop;
        match kind {
            Kind::CrossSell => shop.cross_sell.target(),
            Kind::Upgrade => shop.upgrade.target(),
            Kind::Loyalty | Kind::PointsPreview => shop.loyalty.target(),
            Kind::Nps => shop.nps.target(),
        }
    }

    /// What the suggestion engines work from at `spot`; `None` when there is
    /// nothing to suggest for (an unknown SKU, an empty cart).
    pub fn context(&self, spot: &Spot) -> Option<Context> {
        let catalogue = &self.shop.catalogue;
        let in_cart = self.cart.ids();
        let ctx = match spot {
            // A line or product whose shard is not held: nothing rather than
            // an answer the single file would not give.
            Spot::Cart if self.cart.incomplete => return None,
            Spot::Product(sku) if !self.shop.answers_for(sku) => return None,
            Spot::Cart => Context::cart(in_cart),
            Spot::Product(sku) => Context::product(catalogue.id(sku)?, in_cart),
            Spot::Nothing => return None,
        };
        (!ctx.anchors.is_empty()).then(|| ctx.with_customer(catalogue, self.customer.as_deref()))
    }

    /// "Goes with it" at `spot`, best first; empty when the section is off.
    pub fn cross_sell(&self, spot: &Spot) -> Vec<Suggestion> {
        let shop = &self.shop;
        match self.context(spot) {
            Some(ctx) if shop.cross_sell.enabled => {
                cross_sell::suggest(&shop.catalogue, shop.bestsellers(), &shop.cross_sell, &ctx)
            }
            _ => Vec::new(),
        }
    }

    /// The upgrades at `spot`: the one best step on a product page, one per
    /// line on the cart.
    pub fn upgrades(&self, spot: &Spot) -> Vec<Upgrade> {
        let shop = &self.shop;
        let mut upgrades = match self.context(spot) {
            Some(ctx) if shop.upgrade.enabled => {
                upgrade::suggest(&shop.catalogue, shop.families(), &shop.upgrade, &ctx)
            }
            _ => Vec::new(),
        };
        if !spot.is_cart() {
            upgrades.truncate(1);
        }
        upgrades
    }

    /// The points the product at `spot`, or the whole cart, earns: for a
    /// customer in their tier; for a guest what joining earns (the entry
    /// tier's bonus and the sign-up bonus). `None` when loyalty is off or it
    /// earns nothing.
    pub fn points_preview(&self, spot: &Spot) -> Option<Preview<'_>> {
        let rules = &self.shop.loyalty;
        if !rules.enabled {
            return None;
        }
        let catalogue = &self.shop.catalogue;
        let line =
            |id, quantity| Line::new(catalogue.category_name(id), catalogue.product(id).current_price(), quantity);
        let lines: Vec<Line> = match spot {
            Spot::Cart => self.cart.lines.iter().map(|&(id, quantity)| line(id, quantity)).collect(),
            Spot::Product(sku) => catalogue.id(sku).map(|id| line(id, 1)).into_iter().collect(),
            Spot::Nothing => Vec::new(),
        };
        if lines.is_empty() {
            return None;
        }
        let customer = self.customer.as_deref();
        let tier = rules.tiers.as_ref().and_then(|t| tier::for_preview(t, customer));
        let mut preview = earn::preview(&rules.earn, &lines, self.facts.today, tier);
        if customer.is_none() {
            preview = preview.with_sign_up(&rules.earn);
        }
        (preview.total > 0).then_some(preview)
    }

    /// The points about to lapse that the account panel warns about today.
    pub fn expiry_warning(&self, customer: &Customer) -> Option<Lapse> {
        expiry::warning_under(self.shop.loyalty.expiry.as_ref(), customer, self.facts.today)
    }
}
