//! Prices as exact minor units: "129.90" EUR -> 12990, never through a float.

/// Digits after the decimal separator for a currency: core's one ISO 4217 table.
pub use treue_core::currency::minor_digits;

/// The largest price in minor units that JavaScript numbers hold exactly (2^53 - 1).
pub const MAX_SAFE_MINOR: u64 = (1 << 53) - 1;

pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// Parses "129.90", "129,90", "129.9" or "129" into minor units. No sign, no
/// thousands separators, no more fraction digits than the currency has.
pub fn parse_amount(text: &str, digits: u32) -> Result<u64, String> {
    let text = text.trim();
    let (whole, fraction) = match text.find(['.', ',']) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || (text.len() > whole.len() && fraction.is_empty())
    {
        return Err(format!("{text:?} is not an amount such as 129.90"));
    }
    if fraction.len() as u32 > digits {
        return Err(format!("{text:?} has more than {digits} digits after the separator"));
    }
    let scale = 10u64.pow(digits);
    let overflow = || format!("{text:?} is too large");
    let whole: u64 = whole.parse().map_err(|_| overflow())?;
    let mut minor: u64 = 0;
    for b in fraction.bytes() {
        minor = minor * 10 + u64::from(b - b'0');
    }
    minor *= 10u64.pow(digits - fraction.len() as u32);
    whole.checked_mul(scale).and_then(|w| w.checked_add(minor)).ok_or_else(overflow)
}

/// Parses an amount written with a decimal comma, thousands grouped by dots
/// or not: "1.299,00", "1299,00", "24,9", "1.299". An amount with one dot and
/// up to the currency's fraction digits after it ("24.90") is read as a
/// decimal point, as a cell formatted as text keeps it.
pub fn parse_decimal_comma(text: &str, digits: u32) -> Result<u64, String> {
    let trimmed = text.trim();
    let (whole, fraction) = match trimmed.rfind(',') {
        Some(i) => (&trimmed[..i], Some(&trimmed[i + 1..])),
        None => (trimmed, None),
    };
    let groups: Vec<&str> = whole.split('.').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    if fraction.is_none() && groups.len() == 2 && !(grouped && groups[1].len() > digits as usize) {
        // "24.90": a decimal point after all.
        return parse_amount(trimmed, digits);
    }
    let whole = if grouped { groups.concat() } else { whole.to_string() };
    let plain = match fraction {
        Some(f) => format!("{whole}.{f}"),
        None => whole,
    };
    parse_amount(&plain, digits).map_err(|_| format!("{trimmed:?} is not an amount such as 1.299,90 or 24,90"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_become_exact_minor_units() {
        assert_eq!(parse_amount("129.90", 2), Ok(12990));
        assert_eq!(parse_amount("129,90", 2), Ok(12990));
        assert_eq!(parse_amount("129.9", 2), Ok(12990));
        assert_eq!(parse_amount(" 7 ", 2), Ok(700));
        assert_eq!(parse_amount("0.07", 2), Ok(7));
        assert_eq!(parse_amount("1500", 0), Ok(1500));
        assert_eq!(parse_amount("1.234", 3), Ok(1234));
        // 0.1 + 0.2 style float errors cannot happen: 19.99 is 1999 exactly.
        assert_eq!(parse_amount("19.99", 2), Ok(1999));
        assert_eq!(parse_amount("184467440737095516.15", 2), Ok(u64::MAX));
    }

    #[test]
    fn malformed_amounts_are_named() {
        for bad in ["", "-5", "1.000,00", "1,000.00", "12.", ".5", "12.345", "abc", "1e3", "€5"] {
            assert!(parse_amount(bad, 2).is_err(), "{bad}");
        }
        assert!(parse_amount("1.5", 0).unwrap_err().contains("more than 0 digits"));
        assert!(parse_amount("184467440737095516.16", 2).unwrap_err().contains("too large"));
    }

    #[test]
    fn decimal_commas_with_and_without_thousands_dots() {
        assert_eq!(parse_decimal_comma("1.299,00", 2), Ok(129_900));
        assert_eq!(parse_decimal_comma("1299,00", 2), Ok(129_900));
        assert_eq!(parse_decimal_comma("24,9", 2), Ok(2490));
        assert_eq!(parse_decimal_comma("1.299", 2), Ok(129_900));
        assert_eq!(parse_decimal_comma("1.234.567,89", 2), Ok(123_456_789));
        assert_eq!(parse_decimal_comma("24.90", 2), Ok(2490));
        assert_eq!(parse_decimal_comma("59", 2), Ok(5900));
        assert_eq!(parse_decimal_comma("1.234", 3), Ok(1234));
        for bad in ["12.34.5,00", "1,299.00", "", "-1,00", "1.29,00"] {
            assert!(parse_decimal_comma(bad, 2).is_err(), "{bad}");
        }
    }
}
