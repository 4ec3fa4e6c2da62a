//! ISO 4217 currencies: how many digits their minor unit has. One table for
//! the compiler (prices in a feed become minor units) and the events (minor
//! units become GA4's major-unit prices).

/// Digits after the decimal separator of `currency` (ISO 4217's table: the
/// exceptions to 2 are listed, everything else, unknown codes too, is 2).
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND"
        | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_digits_follow_iso_4217() {
        assert_eq!(minor_digits("EUR"), 2);
        assert_eq!(minor_digits("CHF"), 2);
        assert_eq!(minor_digits("JPY"), 0);
        assert_eq!(minor_digits("KWD"), 3);
        assert_eq!(minor_digits("CLF"), 4);
        assert_eq!(minor_digits("UYW"), 4);
    }
}
