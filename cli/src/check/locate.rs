//! Finds where a JSON path such as `loyalty.tiers[1].threshold` is in the
//! source text, so a problem found on the parsed document can be reported with
//! its line and column. A small scanner over text that already parsed: it never
//! panics, and when the path goes further than the text it stops at the deepest
//! part it found (the section of an unknown field, the object missing a key).

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, PartialEq)]
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// Where `path` is in `text`: the key of an object member, the start of an
/// array element, or the whole document for the empty path.
pub fn locate(text: &str, path: &str) -> Position {
    let steps = steps(path);
    let mut scanner = Scanner { text: text.as_bytes(), pos: 0 };
    scanner.skip_ws();
    let offset = scanner.find(&steps);
    position(text, offset)
}

/// The position of a byte offset.
pub fn position(text: &str, offset: usize) -> Position {
    let mut cut = offset.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &text[..cut];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position { line, column: before[line_start..].chars().count() + 1 }
}

/// `a.b[2].c` as keys and indexes. Keys may themselves contain dots (text
/// override keys such as `cross_sell.title`); `find` joins them back as needed.
fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        while let Some((index, after)) = rest.split_once(']') {
            match index.parse() {
                Ok(i) => out.push(Step::Index(i)),
                Err(_) => return out,
            }
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    out
}

struct Scanner<'t> {
    text: &'t [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Skips `expected` (after whitespace); false if something else is there.
    fn eat(&mut self, expected: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(expected) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// The offset of `steps` inside the value at the current position.
    fn find(&mut self, steps: &[Step]) -> usize {
        self.skip_ws();
        let here = self.pos;
        match (steps.first(), self.peek()) {
            (None, _) => here,
            (Some(Step::Key(_)), Some(b'{')) => self.find_member(steps).unwrap_or(here),
            (Some(Step::Index(i)), Some(b'[')) => self.find_element(*i, &steps[1..]).unwrap_or(here),
            _ => here,
        }
    }

    fn find_member(&mut self, steps: &[Step]) -> Option<usize> {
        self.pos += 1;
        if self.eat(b'}') {
            return None;
        }
        loop {
            self.skip_ws();
            let key_at = self.pos;
            let key = self.string()?;
            if !self.eat(b':') {
                return None;
            }
            if let Some(used) = matching_keys(&key, steps) {
                let rest = &steps[used..];
                return Some(if rest.is_empty() { key_at } else { self.find(rest) });
            }
            self.skip_value()?;
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn find_element(&mut self, index: usize, rest: &[Step]) -> Option<usize> {
        self.pos += 1;
        if self.eat(b']') {
            return None;
        }
        for i in 0.. {
            self.skip_ws();
            if i == index {
                return Some(self.find(rest));
            }
            self.skip_value()?;
            if !self.eat(b',') {
                return None;
            }
        }
        None
    }

    /// Reads a string at the current position, decoding escapes.
    fn string(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let byte = self.peek()?;
            self.pos += 1;
            match byte {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escaped = self.peek()?;
                    self.pos += 1;
                    let decoded = match escaped {
                        b'n' => '\n',
                        b't' => '\t',
                        b'r' => '\r',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'u' => {
                            let hex = std::str::from_utf8(self.text.get(self.pos..self.pos + 4)?).ok()?;
                            self.pos += 4;
                            // Surrogate pairs do not occur in rules keys; a lone one becomes U+FFFD.
                            char::from_u32(u32::from_str_radix(hex, 16).ok()?).unwrap_or('\u{fffd}')
                        }
                        other => char::from(other),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(decoded.encode_utf8(&mut buf).as_bytes());
                }
                other => out.push(other),
            }
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            b'"' => self.string().map(drop),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.pos += 1;
                if self.eat(close) {
                    return Some(());
                }
                loop {
                    if open == b'{' {
                        self.skip_ws();
                        self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                    }
                    self.skip_value()?;
                    if self.eat(close) {
                        return Some(());
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            _ => {
                // Number, true, false, null: up to the next delimiter.
                while !matches!(self.peek(), None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')) {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

/// How many leading key steps `key` stands for: 1 for `tiers`, 2 for the key
/// `cross_sell.title` against the steps `cross_sell`, `title`.
fn matching_keys(key: &str, steps: &[Step]) -> Option<usize> {
    let mut joined = String::new();
    for (n, step) in steps.iter().enumerate() {
        let Step::Key(part) = step else { return None };
        if n > 0 {
            joined.push('.');
        }
        joined.push_str(part);
        if joined == key {
            return Some(n + 1);
        }
        if !key.starts_with(joined.as_str()) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
  "version": 1,
  "loyalty": {
    "tiers": [
      { "id": "silver", "threshold": 100 },
      {
        "id": "gold",
        "threshold": -5
      }
    ]
  },
  "texts": { "en": { "cross_sell.title": "Also \"nice\"", "price.sale": "Sale" } },
  "nps": {"sample": [1, [2, 3], {"x": "]"}], "after": 4}
}"#;

    fn at(path: &str) -> (usize, usize) {
        let p = locate(DOC, path);
        (p.line, p.column)
    }

    #[test]
    fn finds_keys_and_elements() {
        assert_eq!(at(""), (1, 1));
        assert_eq!(at("version"), (2, 3));
        assert_eq!(at("loyalty"), (3, 3));
        assert_eq!(at("loyalty.tiers"), (4, 5));
        assert_eq!(at("loyalty.tiers[0]"), (5, 7));
        assert_eq!(at("loyalty.tiers[0].threshold"), (5, 25));
        assert_eq!(at("loyalty.tiers[1]"), (6, 7));
        assert_eq!(at("loyalty.tiers[1].threshold"), (8, 9));
    }

    #[test]
    fn keys_with_dots_and_escapes() {
        assert_eq!(at("texts.en.cross_sell.title"), (12, 22));
        assert_eq!(at("texts.en.price.sale"), (12, 59));
    }

    #[test]
    fn skips_nested_values_and_brackets_in_strings() {
        assert_eq!(at("nps.after"), (13, 46));
        assert_eq!(at("nps.sample[2]"), (13, 33));
        assert_eq!(at("nps.sample[2].x"), (13, 34));
    }

    #[test]
    fn stops_at_the_deepest_part_found() {
        assert_eq!(at("loyalty.tiers[5].threshold"), (4, 14));
        assert_eq!(at("loyalty.missing"), (3, 14));
        assert_eq!(at("nowhere.at.all"), (1, 1));
        assert_eq!(at("version.deeper"), (2, 14));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in ["", "{", "{\"a\"", "[1,", "{\"a\":\"\\u12", "\"ä", "{\"a\": {\"b\": [}}"] {
            for path in ["", "a", "a.b[0]", "[3]", "a[x]", "a..b"] {
                let p = locate(text, path);
                assert!(p.line >= 1 && p.column >= 1);
            }
        }
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(locate("{\"ä\": 1, \"b\": 2}", "b"), Position { line: 1, column: 10 });
    }
}
