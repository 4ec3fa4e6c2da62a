//! The widget kinds a mount point asks for with `data-treue="…"`, and where
//! on the page it stands.

/// A widget kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    CrossSell,
    Upgrade,
    Loyalty,
    PointsPreview,
    Nps,
}

impl Kind {
    pub const NAMES: &'static [&'static str] = &["cross-sell", "upgrade", "loyalty", "points-preview", "nps"];

    /// The rules section that steers this widget.
    pub fn section(self) -> &'static str {
        match self {
            Kind::CrossSell => "cross_sell",
            Kind::Upgrade => "upgrade",
            Kind::Loyalty | Kind::PointsPreview => "loyalty",
            Kind::Nps => "nps",
        }
    }

    /// The suggestion widgets, which the shop-wide holdout (`measure.holdout`) measures.
    pub fn is_measured(self) -> bool {
        matches!(self, Kind::CrossSell | Kind::Upgrade)
    }

    pub fn parse(name: &str) -> Option<Kind> {
        match name.trim() {
            "cross-sell" => Some(Kind::CrossSell),
            "upgrade" => Some(Kind::Upgrade),
            "loyalty" => Some(Kind::Loyalty),
            "points-preview" => Some(Kind::PointsPreview),
            "nps" => Some(Kind::Nps),
            _ => None,
        }
    }
}

/// What a widget is about, from its mount point: the cart (`data-context="cart"`),
/// one product (`data-sku`), or neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spot<'a> {
    Cart,
    Product(&'a str),
    Nothing,
}

impl<'a> Spot<'a> {
    pub fn of(sku: Option<&'a str>, context: Option<&str>) -> Spot<'a> {
        match (context, sku) {
            (Some("cart"), _) => Spot::Cart,
            (_, Some(sku)) => Spot::Product(sku),
            _ => Spot::Nothing,
        }
    }

    pub fn is_cart(&self) -> bool {
        *self == Spot::Cart
    }
}
