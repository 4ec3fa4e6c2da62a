//! Values inside messages to merchants and marketers ("found 1.5", "duplicate
//! sku \"A-1\""), written without Rust's float printing and without `{:?}`:
//! those bring about 8 KB (floats) and Unicode's printable tables (about 3 KB
//! brotli) into the browser bundle, where only these messages used them.

use std::fmt::{self, Write};

/// A number as the marketer wrote it, to six decimals: `0.1` prints as "0.1",
/// `25.0` as "25", `0.1234567` as "0.123457".
pub struct Decimal(pub f64);

/// Below this, `x * 1e6` is exact enough to round to the right millionth
/// (it stays far below 2^53).
const LIMIT: f64 = 1e9;

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        if x.is_nan() {
            return f.write_str("NaN");
        }
        if x.abs() >= LIMIT {
            return f.write_str(if x > 0.0 { "1000000000 or more" } else { "-1000000000 or less" });
        }
        let millionths = (x.abs() * 1e6).round() as u64;
        if x < 0.0 && millionths > 0 {
            f.write_str("-")?;
        }
        write!(f, "{}", millionths / 1_000_000)?;
        let fraction = millionths % 1_000_000;
        if fraction > 0 {
            let digits = format!("{fraction:06}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        Ok(())
    }
}

/// A text in double quotes, as `{:?}` shows it: `"` and `\` are escaped, and
/// so are control characters, so that a stray newline stays visible.
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\0' => f.write_str("\\0")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_ascii_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => f.write_char(c)?,
            }
        }
        f.write_str("\"")
    }
}

#[cfg(test)]
mod tests {
    use super::{Decimal, Quoted};

    fn text(x: f64) -> String {
        Decimal(x).to_string()
    }

    #[test]
    fn numbers_print_as_written() {
        assert_eq!(text(25.0), "25");
        assert_eq!(text(1.5), "1.5");
        assert_eq!(text(0.1), "0.1");
        assert_eq!(text(-0.1), "-0.1");
        assert_eq!(text(0.05), "0.05");
        assert_eq!(text(0.0), "0");
        assert_eq!(text(-0.0), "0");
        assert_eq!(text(1000.000001), "1000.000001");
    }

    #[test]
    fn more_decimals_are_rounded_to_six() {
        assert_eq!(text(0.1234567), "0.123457");
        assert_eq!(text(0.9999999), "1");
        assert_eq!(text(-0.0000001), "0");
    }

    #[test]
    fn huge_numbers_say_so() {
        assert_eq!(text(1e300), "1000000000 or more");
        assert_eq!(text(-1e13), "-1000000000 or less");
        assert_eq!(text(999_999_999.5), "999999999.5");
        assert_eq!(text(123_456_789.123456), "123456789.123456");
    }

    #[test]
    fn texts_are_quoted_as_debug_quotes_them() {
        for text in
            ["A-1", "", "say \"hi\"", "back\\slash", "two\nlines\ttab\r", "bell\u{7}", "nul\0", "del\u{7f}", "Größe ✓"]
        {
            assert_eq!(Quoted(text).to_string(), format!("{text:?}"), "{text:?}");
        }
    }
}
