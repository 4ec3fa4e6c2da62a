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
    pub const ALL: [Kind; 5] = [Kind::CrossSell, Kind::Upgrade, Kind::Loyalty, Kind::PointsPreview, Kind::Nps];
    pub const NAMES: &'static [&'static str] = &[
        Kind::CrossSell.name(),
        Kind::Upgrade.name(),
        Kind::Loyalty.name(),
        Kind::PointsPreview.name(),
        Kind::Nps.name(),
    ];

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

    /// What `data-treue` says for this kind.
    pub const fn name(self) -> &'static str {
        match self {
            Kind::CrossSell => "cross-sell",
            Kind::Upgrade => "upgrade",
            Kind::Loyalty => "loyalty",
            Kind::PointsPreview => "points-preview",
            Kind::Nps => "nps",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        let name = name.trim();
        Kind::ALL.into_iter().find(|k| k.name() == name)
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

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.name()), Some(kind));
            assert_eq!(Kind::parse(&format!(" {} ", kind.name())), Some(kind));
        }
        assert_eq!(Kind::NAMES.len(), Kind::ALL.len());
        assert_eq!(Kind::parse("upsell"), None);
    }
}
