//! The widgets' built-in texts in German and English. Rules may override any
//! of them per locale; `{name}` placeholders are filled by `fill`.

/// German unless something says otherwise: German shops are who this is built for first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
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
    AddedToCart,
    BoughtTogether,
    Curated,
    CategoryBestseller,
    ShopBestseller,
    SalePrice,
    RegularPrice,
    Point,
    Points,
    EarnProduct,
    EarnCart,
    EarnJoin,
    EarnPromotion,
    EarnBreakdown,
    EarnBase,
    EarnCategory,
    EarnTier,
    EarnSignUp,
    JoinMagnet,
    LoyaltyTitle,
    Balance,
    TierLabel,
    NoTier,
    ToNextTier,
    ToNextTierBy,
    TierReached,
    TopTier,
    TierProgressLabel,
    TierProgressValue,
    KeepForever,
    KeepSecured,
    KeepSecuredOpen,
    KeepNeeds,
    KeepNeedsBy,
    KeepOtherwise,
    KeepOtherwiseNone,
    RedeemNeverDemotes,
    Benefits,
    Expiring,
    ExpiringPurchaseKeeps,
    RewardsTitle,
    Redeem,
    RedeemLabel,
    NextReward,
    Complement,
    UpgradeTitle,
    UpgradeDifference,
    UpgradeDifferenceLarge,
    UpgradeGains,
    UpgradeButton,
    UpgradeButtonLabel,
    UpgradeAdded,
    IndividualOption,
    NpsQuestion,
    NpsLeast,
    NpsMost,
    NpsNext,
    NpsClose,
    NpsClosed,
    NpsDetractor,
    NpsComment,
    NpsPassive,
    NpsPromoter,
    NpsReferral,
    NpsSend,
    NpsThanks,
}

impl Text {
    /// The key a rules document uses to override this text.
    pub fn key(self) -> &'static str {
        match self {
            Text::CrossSellTitle => "cross_sell.title",
            Text::CartCrossSellTitle => "cross_sell.cart_title",
            Text::AddToCart => "cross_sell.add",
            Text::AddToCartLabel => "cross_sell.add_label",
            Text::AddedToCart => "cross_sell.added",
            Text::BoughtTogether => "cross_sell.reason.bought_together",
            Text::Curated => "cross_sell.reason.curated",
            Text::CategoryBestseller => "cross_sell.reason.category_bestseller",
            Text::ShopBestseller => "cross_sell.reason.shop_bestseller",
            Text::SalePrice => "price.sale",
            Text::RegularPrice => "price.regular",
            Text::Point => "loyalty.point",
            Text::Points => "loyalty.points",
            Text::EarnProduct => "loyalty.earn_product",
            Text::EarnCart => "loyalty.earn_cart",
            Text::EarnJoin => "loyalty.earn_join",
            Text::EarnPromotion => "loyalty.earn_promotion",
            Text::EarnBreakdown => "loyalty.earn_breakdown",
            Text::EarnBase => "loyalty.earn_base",
            Text::EarnCategory => "loyalty.earn_category",
            Text::EarnTier => "loyalty.earn_tier",
            Text::EarnSignUp => "loyalty.earn_sign_up",
            Text::JoinMagnet => "loyalty.join",
            Text::LoyaltyTitle => "loyalty.title",
            Text::Balance => "loyalty.balance",
            Text::TierLabel => "loyalty.tier",
            Text::NoTier => "loyalty.no_tier",
            Text::ToNextTier => "loyalty.to_next_tier",
            Text::ToNextTierBy => "loyalty.to_next_tier_by",
            Text::TierReached => "loyalty.tier_reached",
            Text::TopTier => "loyalty.top_tier",
            Text::TierProgressLabel => "loyalty.progress_label",
            Text::TierProgressValue => "loyalty.progress_value",
            Text::KeepForever => "loyalty.keep_forever",
            Text::KeepSecured => "loyalty.keep_secured",
            Text::KeepSecuredOpen => "loyalty.keep_secured_open",
            Text::KeepNeeds => "loyalty.keep_needs",
            Text::KeepNeedsBy => "loyalty.keep_needs_by",
            Text::KeepOtherwise => "loyalty.keep_otherwise",
            Text::KeepOtherwiseNone => "loyalty.keep_otherwise_none",
            Text::RedeemNeverDemotes => "loyalty.redeem_never_demotes",
            Text::Benefits => "loyalty.benefits",
            Text::Expiring => "loyalty.expiring",
            Text::ExpiringPurchaseKeeps => "loyalty.expiring_purchase_keeps",
            Text::RewardsTitle => "loyalty.rewards",
            Text::Redeem => "loyalty.redeem",
            Text::RedeemLabel => "loyalty.redeem_label",
            Text::NextReward => "loyalty.next_reward",
            Text::Complement => "cross_sell.reason.complement",
            Text::UpgradeTitle => "upgrade.title",
            Text::UpgradeDifference => "upgrade.difference",
            Text::UpgradeDifferenceLarge => "upgrade.difference_large",
            Text::UpgradeGains => "upgrade.gains",
            Text::UpgradeButton => "upgrade.add",
            Text::UpgradeButtonLabel => "upgrade.add_label",
            Text::UpgradeAdded => "upgrade.added",
            Text::IndividualOption => "upgrade.individual",
            Text::NpsQuestion => "nps.question",
            Text::NpsLeast => "nps.least",
            Text::NpsMost => "nps.most",
            Text::NpsNext => "nps.next",
            Text::NpsClose => "nps.close",
            Text::NpsClosed => "nps.closed",
            Text::NpsDetractor => "nps.detractor",
            Text::NpsComment => "nps.comment",
            Text::NpsPassive => "nps.passive",
            Text::NpsPromoter => "nps.promoter",
            Text::NpsReferral => "nps.referral",
            Text::NpsSend => "nps.send",
            Text::NpsThanks => "nps.thanks",
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
            (Text::AddToCartLabel, En) => "Add to cart: {title}",
            (Text::AddedToCart, De) => "{title} in den Warenkorb gelegt",
            (Text::AddedToCart, En) => "{title} added to the cart",
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
            (Text::Point, De) => "1 Punkt",
            (Text::Point, En) => "1 point",
            (Text::Points, De) => "{points} Punkte",
            (Text::Points, En) => "{points} points",
            (Text::EarnProduct, De) => "Sammeln Sie {points} mit diesem Kauf",
            (Text::EarnProduct, En) => "Earn {points} with this purchase",
            (Text::EarnCart, De) => "Sammeln Sie {points} mit dieser Bestellung",
            (Text::EarnCart, En) => "Earn {points} with this order",
            (Text::EarnJoin, De) => "Jetzt Mitglied werden und {points} mit dieser Bestellung sammeln",
            (Text::EarnJoin, En) => "Join now and earn {points} with this order",
            (Text::EarnPromotion, De) => "inklusive Aktion „{name}“",
            (Text::EarnPromotion, En) => "including “{name}”",
            (Text::EarnBreakdown, De) => "So setzen sich die Punkte zusammen",
            (Text::EarnBreakdown, En) => "How the points add up",
            (Text::EarnBase, De) => "Grundpunkte",
            (Text::EarnBase, En) => "Base points",
            (Text::EarnCategory, De) => "Kategorie-Bonus",
            (Text::EarnCategory, En) => "Category bonus",
            (Text::EarnTier, De) => "Bonus für {tier}",
            (Text::EarnTier, En) => "{tier} bonus",
            (Text::EarnSignUp, De) => "Willkommensbonus",
            (Text::EarnSignUp, En) => "Welcome bonus",
            (Text::JoinMagnet, De) => "Werden Sie Mitglied: {points} Willkommensbonus",
            (Text::JoinMagnet, En) => "Join us: {points} welcome bonus",
            (Text::LoyaltyTitle, De) => "Ihr Treuekonto",
            (Text::LoyaltyTitle, En) => "Your loyalty account",
            (Text::Balance, De) => "Punktestand",
            (Text::Balance, En) => "Points balance",
            (Text::TierLabel, De) => "Status",
            (Text::TierLabel, En) => "Tier",
            (Text::NoTier, De) => "noch keiner",
            (Text::NoTier, En) => "none yet",
            (Text::ToNextTier, De) => "Noch {amount} bis {tier}",
            (Text::ToNextTier, En) => "{amount} to {tier}",
            (Text::ToNextTierBy, De) => "Noch {amount} bis {tier}, bis zum {date}",
            (Text::ToNextTierBy, En) => "{amount} to {tier}, until {date}",
            (Text::TierReached, De) => "Sie haben {tier} erreicht",
            (Text::TierReached, En) => "You have reached {tier}",
            (Text::TopTier, De) => "Sie haben die höchste Stufe erreicht",
            (Text::TopTier, En) => "You have reached the top tier",
            (Text::TierProgressLabel, De) => "Fortschritt bis {tier}",
            (Text::TierProgressLabel, En) => "Progress to {tier}",
            (Text::TierProgressValue, De) => "{now} von {goal} für {tier}",
            (Text::TierProgressValue, En) => "{now} of {goal} for {tier}",
            (Text::KeepForever, De) => "{tier} bleibt Ihnen erhalten.",
            (Text::KeepForever, En) => "You keep {tier} for good.",
            (Text::KeepSecured, De) => "{tier} ist Ihnen bis mindestens {date} sicher.",
            (Text::KeepSecured, En) => "{tier} is yours until at least {date}.",
            (Text::KeepSecuredOpen, De) => "Sie haben {tier} auch für den nächsten Zeitraum gesichert.",
            (Text::KeepSecuredOpen, En) => "You have secured {tier} for the next period too.",
            (Text::KeepNeeds, De) => "Mit noch {amount} behalten Sie {tier}.",
            (Text::KeepNeeds, En) => "{amount} more keeps {tier}.",
            (Text::KeepNeedsBy, De) => "Mit noch {amount} bis zum {date} behalten Sie {tier}.",
            (Text::KeepNeedsBy, En) => "{amount} more by {date} keeps {tier}.",
            (Text::KeepOtherwise, De) => "Sonst gilt ab {date} {tier}.",
            (Text::KeepOtherwise, En) => "Otherwise you move to {tier} on {date}.",
            (Text::KeepOtherwiseNone, De) => "Sonst endet Ihr Status am {date}.",
            (Text::KeepOtherwiseNone, En) => "Otherwise your tier ends on {date}.",
            (Text::RedeemNeverDemotes, De) => "Punkte einlösen kostet Sie nie Ihren Status.",
            (Text::RedeemNeverDemotes, En) => "Redeeming points never costs you your tier.",
            (Text::Benefits, De) => "Ihre Vorteile als {tier}",
            (Text::Benefits, En) => "Your {tier} benefits",
            (Text::Expiring, De) => "{points} verfallen am {date}.",
            (Text::Expiring, En) => "{points} expire on {date}.",
            (Text::ExpiringPurchaseKeeps, De) => "Ein Einkauf bis dahin erhält Ihr ganzes Guthaben.",
            (Text::ExpiringPurchaseKeeps, En) => "Any purchase before then keeps your whole balance.",
            (Text::RewardsTitle, De) => "Jetzt einlösbar",
            (Text::RewardsTitle, En) => "Redeem now",
            (Text::Redeem, De) => "Einlösen",
            (Text::Redeem, En) => "Redeem",
            (Text::RedeemLabel, De) => "{title} für {points} einlösen",
            (Text::RedeemLabel, En) => "Redeem {title} for {points}",
            (Text::NextReward, De) => "Noch {points} bis zur nächsten Prämie: {title}",
            (Text::NextReward, En) => "{points} to your next reward: {title}",
            (Text::Complement, De) => "Passend zu {title}",
            (Text::Complement, En) => "Goes with {title}",
            (Text::UpgradeTitle, De) => "Eine Stufe höher",
            (Text::UpgradeTitle, En) => "One step up",
            (Text::UpgradeDifference, De) => "Nur {amount} mehr als {title}",
            (Text::UpgradeDifference, En) => "Only {amount} more than {title}",
            (Text::UpgradeDifferenceLarge, De) => "{amount} mehr als {title}",
            (Text::UpgradeDifferenceLarge, En) => "{amount} more than {title}",
            (Text::UpgradeGains, De) => "Das bekommen Sie zusätzlich:",
            (Text::UpgradeGains, En) => "What you get in addition:",
            (Text::UpgradeButton, De) => "Stattdessen wählen",
            (Text::UpgradeButton, En) => "Choose instead",
            (Text::UpgradeButtonLabel, De) => "Stattdessen wählen: {title} statt {from}",
            (Text::UpgradeButtonLabel, En) => "Choose instead: {title} instead of {from}",
            (Text::UpgradeAdded, De) => "{title} statt {from} in den Warenkorb gelegt",
            (Text::UpgradeAdded, En) => "{title} added to the cart instead of {from}",
            (Text::IndividualOption, De) => "Individuelle Lösung",
            (Text::IndividualOption, En) => "Individual solution",
            (Text::NpsQuestion, De) => "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?",
            (Text::NpsQuestion, En) => "How likely are you to recommend us to a friend or colleague?",
            (Text::NpsLeast, De) => "0 = überhaupt nicht wahrscheinlich",
            (Text::NpsLeast, En) => "0 = not at all likely",
            (Text::NpsMost, De) => "10 = äußerst wahrscheinlich",
            (Text::NpsMost, En) => "10 = extremely likely",
            (Text::NpsNext, De) => "Weiter",
            (Text::NpsNext, En) => "Next",
            (Text::NpsClose, De) => "Umfrage schließen",
            (Text::NpsClose, En) => "Close the survey",
            (Text::NpsClosed, De) => "Umfrage geschlossen",
            (Text::NpsClosed, En) => "Survey closed",
            (Text::NpsDetractor, De) => "Das tut uns leid. Was hat Sie enttäuscht?",
            (Text::NpsDetractor, En) => "We are sorry. What disappointed you?",
            (Text::NpsComment, De) => "Möchten Sie uns mehr sagen? (freiwillig)",
            (Text::NpsComment, En) => "Anything else you would like to tell us? (optional)",
            (Text::NpsPassive, De) => "Was würde aus der {score} eine 10 machen?",
            (Text::NpsPassive, En) => "What would turn your {score} into a 10?",
            (Text::NpsPromoter, De) => "Vielen Dank! Schön, dass Sie uns weiterempfehlen würden.",
            (Text::NpsPromoter, En) => "Thank you! We are glad you would recommend us.",
            (Text::NpsReferral, De) => "Jetzt weiterempfehlen",
            (Text::NpsReferral, En) => "Recommend us now",
            (Text::NpsSend, De) => "Absenden",
            (Text::NpsSend, En) => "Send",
            (Text::NpsThanks, De) => "Vielen Dank für Ihre Antwort.",
            (Text::NpsThanks, En) => "Thank you for your answer.",
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
        Text::AddedToCart,
        Text::BoughtTogether,
        Text::Curated,
        Text::CategoryBestseller,
        Text::ShopBestseller,
        Text::SalePrice,
        Text::RegularPrice,
        Text::Point,
        Text::Points,
        Text::EarnProduct,
        Text::EarnCart,
        Text::EarnJoin,
        Text::EarnPromotion,
        Text::EarnBreakdown,
        Text::EarnBase,
        Text::EarnCategory,
        Text::EarnTier,
        Text::EarnSignUp,
        Text::JoinMagnet,
        Text::LoyaltyTitle,
        Text::Balance,
        Text::TierLabel,
        Text::NoTier,
        Text::ToNextTier,
        Text::ToNextTierBy,
        Text::TierReached,
        Text::TopTier,
        Text::TierProgressLabel,
        Text::TierProgressValue,
        Text::KeepForever,
        Text::KeepSecured,
        Text::KeepSecuredOpen,
        Text::KeepNeeds,
        Text::KeepNeedsBy,
        Text::KeepOtherwise,
        Text::KeepOtherwiseNone,
        Text::RedeemNeverDemotes,
        Text::Benefits,
        Text::Expiring,
        Text::ExpiringPurchaseKeeps,
        Text::RewardsTitle,
        Text::Redeem,
        Text::RedeemLabel,
        Text::NextReward,
        Text::Complement,
        Text::UpgradeTitle,
        Text::UpgradeDifference,
        Text::UpgradeDifferenceLarge,
        Text::UpgradeGains,
        Text::UpgradeButton,
        Text::UpgradeButtonLabel,
        Text::UpgradeAdded,
        Text::IndividualOption,
        Text::NpsQuestion,
        Text::NpsLeast,
        Text::NpsMost,
        Text::NpsNext,
        Text::NpsClose,
        Text::NpsClosed,
        Text::NpsDetractor,
        Text::NpsComment,
        Text::NpsPassive,
        Text::NpsPromoter,
        Text::NpsReferral,
        Text::NpsSend,
        Text::NpsThanks,
    ];

    #[allow(dead_code)]
    const fn listed_in_all(self) {
        match self {
            Text::CrossSellTitle
            | Text::CartCrossSellTitle
            | Text::AddToCart
            | Text::AddToCartLabel
            | Text::AddedToCart
            | Text::BoughtTogether
            | Text::Curated
            | Text::CategoryBestseller
            | Text::ShopBestseller
            | Text::SalePrice
            | Text::RegularPrice
            | Text::Point
            | Text::Points
            | Text::EarnProduct
            | Text::EarnCart
            | Text::EarnJoin
            | Text::EarnPromotion
            | Text::EarnBreakdown
            | Text::EarnBase
            | Text::EarnCategory
            | Text::EarnTier
            | Text::EarnSignUp
            | Text::JoinMagnet
            | Text::LoyaltyTitle
            | Text::Balance
            | Text::TierLabel
            | Text::NoTier
            | Text::ToNextTier
            | Text::ToNextTierBy
            | Text::TierReached
            | Text::TopTier
            | Text::TierProgressLabel
            | Text::TierProgressValue
            | Text::KeepForever
            | Text::KeepSecured
            | Text::KeepSecuredOpen
            | Text::KeepNeeds
            | Text::KeepNeedsBy
            | Text::KeepOtherwise
            | Text::KeepOtherwiseNone
            | Text::RedeemNeverDemotes
            | Text::Benefits
            | Text::Expiring
            | Text::ExpiringPurchaseKeeps
            | Text::RewardsTitle
            | Text::Redeem
            | Text::RedeemLabel
            | Text::NextReward
            | Text::Complement
            | Text::UpgradeTitle
            | Text::UpgradeDifference
            | Text::UpgradeDifferenceLarge
            | Text::UpgradeGains
            | Text::UpgradeButton
            | Text::UpgradeButtonLabel
            | Text::UpgradeAdded
            | Text::IndividualOption => {}
            Text::NpsQuestion
            | Text::NpsLeast
            | Text::NpsMost
            | Text::NpsNext
            | Text::NpsClose
            | Text::NpsClosed
            | Text::NpsDetractor
            | Text::NpsComment
            | Text::NpsPassive
            | Text::NpsPromoter
            | Text::NpsReferral
            | Text::NpsSend
            | Text::NpsThanks => {}
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
