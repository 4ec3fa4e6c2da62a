//! The widgets' built-in texts in German and English. Rules may override any
//! of them per locale; `{name}` placeholders are filled by `fill`.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    De,
    En,
}

impl Locale {
    /// Picks a locale from a BCP 47 tag such as "de-AT" or "en"; German for
    /// anything else, since German shops are who this is built for first.
    pub fn from_tag(tag: &str) -> Locale {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        if primary == "en" {
            Locale::En
        } else {
            Locale::De
        }
    }

    /// The tag handed to the browser's Intl formatters.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::De => "de-DE",
            Locale::En => "en-GB",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Locale::De => "de",
            Locale::En => "en",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Text {
    CrossSellTitle,
    CartCrossSellTitle,
    AddToCart,
    AddToCartLabel,
    BoughtTogether,
    Curated,
    CategoryBestseller,
    ShopBestseller,
    SalePrice,
    RegularPrice,
}

impl Text {
    /// The key a rules document uses to override this text.
    pub fn key(self) -> &'static str {
        match self {
            Text::CrossSellTitle => "cross_sell.title",
            Text::CartCrossSellTitle => "cross_sell.cart_title",
            Text::AddToCart => "cross_sell.add",
            Text::AddToCartLabel => "cross_sell.add_label",
            Text::BoughtTogether => "cross_sell.reason.bought_together",
            Text::Curated => "cross_sell.reason.curated",
            Text::CategoryBestseller => "cross_sell.reason.category_bestseller",
            Text::ShopBestseller => "cross_sell.reason.shop_bestseller",
            Text::SalePrice => "price.sale",
            Text::RegularPrice => "price.regular",
        }
    }

    pub fn builtin(self, locale: Locale) -> &'static str {
        use Locale::*;
        match (self, locale) {
            (Text::CrossSellTitle, De) => "Passt dazu",
            (Text::CrossSellTitle, En) => "Goes well with it",
            (Text::CartCrossSellTitle, De) => "Vervollständigen Sie Ihre Bestellung",
            (Text::CartCrossSellTitle, En) => "Complete your order",
            (Text::AddToCart, De) => "In den Warenkorb",
            (Text::AddToCart, En) => "Add to cart",
            (Text::AddToCartLabel, De) => "{title} in den Warenkorb legen",
            (Text::AddToCartLabel, En) => "Add {title} to cart",
            (Text::BoughtTogether, De) => "Oft zusammen gekauft mit {title}",
            (Text::BoughtTogether, En) => "Often bought together with {title}",
            (Text::Curated, De) => "Empfohlen zu {title}",
            (Text::Curated, En) => "Recommended with {title}",
            (Text::CategoryBestseller, De) => "Beliebt in {category}",
            (Text::CategoryBestseller, En) => "Popular in {category}",
            (Text::ShopBestseller, De) => "Bestseller",
            (Text::ShopBestseller, En) => "Bestseller",
            (Text::SalePrice, De) => "Angebotspreis",
            (Text::SalePrice, En) => "Sale price",
            (Text::RegularPrice, De) => "statt",
            (Text::RegularPrice, En) => "was",
        }
    }
}

/// Replaces `{name}` placeholders; unknown placeholders stay as they are so a
/// typo in an overridden text is visible rather than silently dropped.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

impl Text {
    /// Every text, for the rules check of override keys. Keep it in step with
    /// the enum: the match below stops compiling when a variant is added, as a
    /// reminder to list the new variant here too.
    pub const ALL: &'static [Text] = &[
        Text::CrossSellTitle,
        Text::CartCrossSellTitle,
        Text::AddToCart,
        Text::AddToCartLabel,
        Text::BoughtTogether,
        Text::Curated,
        Text::CategoryBestseller,
        Text::ShopBestseller,
        Text::SalePrice,
        Text::RegularPrice,
    ];

    #[allow(dead_code)]
    const fn listed_in_all(self) {
        match self {
            Text::CrossSellTitle
            | Text::CartCrossSellTitle
            | Text::AddToCart
            | Text::AddToCartLabel
            | Text::BoughtTogether
            | Text::Curated
            | Text::CategoryBestseller
            | Text::ShopBestseller
            | Text::SalePrice
            | Text::RegularPrice => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_from_tags() {
        assert_eq!(Locale::from_tag("en-US"), Locale::En);
        assert_eq!(Locale::from_tag("EN"), Locale::En);
        assert_eq!(Locale::from_tag("de-AT"), Locale::De);
        assert_eq!(Locale::from_tag("fr"), Locale::De);
        assert_eq!(Locale::from_tag(""), Locale::De);
    }

    #[test]
    fn fill_replaces_known_and_keeps_unknown_placeholders() {
        assert_eq!(fill("Oft mit {title} gekauft", &[("title", "Kamera")]), "Oft mit Kamera gekauft");
        assert_eq!(fill("{a}{b}{a}", &[("a", "x")]), "x{b}x");
        assert_eq!(fill("offen {", &[]), "offen {");
        assert_eq!(fill("ä{title}ö", &[("title", "ü")]), "äüö");
    }
}
