//! serde's type errors in the words of the marketer who edits the rules:
//! `invalid type: string "vier", expected u8` becomes `expected a whole number
//! from 0 to 255, found the text "vier"`. serde has worded these messages the
//! same way for years ("invalid type: X, expected Y", "invalid value: ...");
//! anything else passes through unchanged.

/// The message, reworded when it is one of serde's type or value errors.
pub fn for_marketer(message: &str) -> String {
    let Some(rest) = message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: ")) else {
        return message.to_string();
    };
    let Some((found, expected)) = rest.rsplit_once(", expected ") else { return message.to_string() };
    format!("expected {}, found {}", expected_words(expected), found_words(found))
}

/// What serde's `Deserialize` impls say they expect.
fn expected_words(expected: &str) -> String {
    let words = match expected {
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" => "a whole number from 0 to 4294967295",
        "u64" | "usize" => "a whole number of 0 or more",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "f32" | "f64" => "a number",
        "a string" | "a borrowed string" | "a character" => "a text",
        "a boolean" => "true or false",
        "a sequence" => "a list",
        "a map" => "an object",
        other if other.starts_with("struct ") => "an object",
        other if other.starts_with("a sequence") || other.starts_with("tuple") => "a list",
        other => return other.to_string(),
    };
    words.to_string()
}

/// How serde names the value it found.
fn found_words(found: &str) -> String {
    let inner = |prefix: &str| found.strip_prefix(prefix).map(|v| v.trim_matches('`').to_string());
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    if let Some(n) = inner("integer ").or_else(|| inner("floating point ")) {
        return format!("the number {n}");
    }
    if let Some(b) = inner("boolean ") {
        return b;
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "an object".into(),
        "unit value" | "null" => "null".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::for_marketer;

    #[test]
    fn type_errors_speak_the_marketers_language() {
        assert_eq!(
            for_marketer("invalid type: string \"vier\", expected u8"),
            "expected a whole number from 0 to 255, found the text \"vier\""
        );
        assert_eq!(
            for_marketer("invalid value: integer `300`, expected u8"),
            "expected a whole number from 0 to 255, found the number 300"
        );
        assert_eq!(for_marketer("invalid type: integer `4`, expected a string"), "expected a text, found the number 4");
        assert_eq!(
            for_marketer("invalid type: string \"ja\", expected a boolean"),
            "expected true or false, found the text \"ja\""
        );
        assert_eq!(for_marketer("invalid type: map, expected a sequence"), "expected a list, found an object");
        assert_eq!(for_marketer("invalid type: sequence, expected struct Exclude"), "expected an object, found a list");
        assert_eq!(
            for_marketer("invalid type: floating point `1.5`, expected u32"),
            "expected a whole number from 0 to 4294967295, found the number 1.5"
        );
        assert_eq!(for_marketer("unknown field `limt`, expected `limit`"), "unknown field `limt`, expected `limit`");
    }
}
