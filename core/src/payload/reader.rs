//! Bounded reading of the payload body. Every read checks what is left, and a
//! count is trusted only when that many items could still fit in the bytes
//! left, so hostile counts cannot make the decoder allocate without bound.

use super::PayloadError;

pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader of `bytes` from `pos` on: positions it gives are in `bytes`.
    pub fn at(bytes: &'a [u8], pos: usize) -> Self {
        Reader { bytes, pos: pos.min(bytes.len()) }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    // `match` rather than `ok_or(PayloadError::Truncated)`: at opt-level "z"
    // the eager error was built and dropped on every read, a tenth of decoding.
    #[inline(always)]
    pub fn byte(&mut self) -> Result<u8, PayloadError> {
        match self.bytes.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(PayloadError::Truncated),
        }
    }

    /// Unsigned LEB128: 7 bits a byte, low bits first. Most numbers in a
    /// payload are below 128 or 16,384: one or two bytes, read inline.
    #[inline(always)]
    pub fn varint(&mut self) -> Result<u64, PayloadError> {
        match self.bytes.get(self.pos) {
            Some(&b) if b < 0x80 => {
                self.pos += 1;
                Ok(u64::from(b))
            }
            // Two bytes (prices, steps to a partner, longer titles): without the loop.
            Some(&b) => match self.bytes.get(self.pos + 1) {
                Some(&c) if c < 0x80 => {
                    self.pos += 2;
                    Ok(u64::from(b & 0x7F) | u64::from(c) << 7)
                }
                _ => self.long_varint(),
            },
            None => Err(PayloadError::Truncated),
        }
    }

    /// `varint` with three bytes read inline too: for prices (three bytes from
    /// 163.84) and steps to partners (three bytes when the partner is far off
    /// in the catalogue), where the loop was a twentieth of decoding.
    #[inline(always)]
    pub fn varint3(&mut self) -> Result<u64, PayloadError> {
        if let Some(&[a, b, c]) = self.bytes.get(self.pos..self.pos + 3) {
            if a < 0x80 {
                self.pos += 1;
                return Ok(u64::from(a));
            }
            if b < 0x80 {
                self.pos += 2;
                return Ok(u64::from(a & 0x7F) | u64::from(b) << 7);
            }
            if c < 0x80 {
                self.pos += 3;
                return Ok(u64::from(a & 0x7F) | u64::from(b & 0x7F) << 7 | u64::from(c) << 14);
            }
        }
        self.varint()
    }

    /// Three bytes (steps to a distant partner, prices from 163.84) without
    /// the loop, which was a fifteenth of decoding; then the general case.
    fn long_varint(&mut self) -> Result<u64, PayloadError> {
        if let Some(&[a, b, c]) = self.bytes.get(self.pos..self.pos + 3) {
            if c < 0x80 {
                self.pos += 3;
                return Ok(u64::from(a & 0x7F) | u64::from(b & 0x7F) << 7 | u64::from(c) << 14);
            }
        }
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        let mut value = 0u64;
        for (i, &b) in rest.iter().take(10).enumerate() {
            let bits = u64::from(b & 0x7F);
            if i == 9 && bits > 1 {
                break;
            }
            value |= bits << (7 * i);
            if b & 0x80 == 0 {
                self.pos += i + 1;
                return Ok(value);
            }
        }
        if rest.len() < 10 && rest.iter().all(|&b| b & 0x80 != 0) {
            return Err(PayloadError::Truncated);
        }
        Err(corrupt("a number overflows 64 bits"))
    }

    #[inline(always)]
    pub fn u32(&mut self, what: &str) -> Result<u32, PayloadError> {
        match self.varint()? {
            n if n <= u64::from(u32::MAX) => Ok(n as u32),
            _ => Err(out_of_range(what)),
        }
    }

    /// A count of items that take at least one byte each.
    #[inline(always)]
    pub fn count(&mut self, what: &str) -> Result<usize, PayloadError> {
        let n = self.varint()?;
        if n > self.remaining() as u64 {
            return Err(too_many(what, n));
        }
        Ok(n as usize)
    }

    pub fn bytes(&mut self, len: usize) -> Result<&'a [u8], PayloadError> {
        match self.pos.checked_add(len).and_then(|end| Some((end, self.bytes.get(self.pos..end)?))) {
            Some((end, slice)) => {
                self.pos = end;
                Ok(slice)
            }
            None => Err(PayloadError::Truncated),
        }
    }

    /// A length-prefixed UTF-8 string, borrowed from the payload.
    pub fn str(&mut self, what: &str) -> Result<&'a str, PayloadError> {
        std::str::from_utf8(self.text()?).map_err(|_| PayloadError::Corrupt(format!("{what} is not UTF-8")))
    }

    /// The bytes of a length-prefixed string.
    #[inline(always)]
    pub fn text(&mut self) -> Result<&'a [u8], PayloadError> {
        let len = self.varint()?;
        if len > self.remaining() as u64 {
            return Err(PayloadError::Truncated);
        }
        self.bytes(len as usize)
    }

    /// Where a length-prefixed string stands in the bytes, for a caller that
    /// keeps the bytes and checks UTF-8 over many strings at once.
    #[inline(always)]
    pub fn span(&mut self) -> Result<(usize, usize), PayloadError> {
        let len = self.varint()?;
        if len > self.remaining() as u64 {
            return Err(PayloadError::Truncated);
        }
        let start = self.pos;
        self.pos += len as usize;
        Ok((start, self.pos))
    }
}

#[cold]
fn out_of_range(what: &str) -> PayloadError {
    PayloadError::Corrupt(format!("{what} is out of range"))
}

#[cold]
fn too_many(what: &str, n: u64) -> PayloadError {
    PayloadError::Corrupt(format!("{what} count {n} exceeds the bytes left"))
}

pub fn corrupt(message: &str) -> PayloadError {
    PayloadError::Corrupt(message.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_back_and_overlong_ones_are_rejected() {
        let mut r = Reader::at(&[0x00, 0x7F, 0x80, 0x01, 0xE5, 0x8E, 0x26], 0);
        assert_eq!(r.varint(), Ok(0));
        assert_eq!(r.varint(), Ok(127));
        assert_eq!(r.varint(), Ok(128));
        assert_eq!(r.varint(), Ok(624_485));
        assert_eq!(r.varint(), Err(PayloadError::Truncated));
        let max = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        assert_eq!(Reader::at(&max, 0).varint(), Ok(u64::MAX));
        let over = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02];
        assert!(matches!(Reader::at(&over, 0).varint(), Err(PayloadError::Corrupt(_))));
        let endless = [0x80; 11];
        assert!(matches!(Reader::at(&endless, 0).varint(), Err(PayloadError::Corrupt(_))));
    }

    #[test]
    fn counts_larger_than_the_bytes_left_are_refused_before_allocating() {
        // 2^32 items claimed, 1 byte left.
        let mut r = Reader::at(&[0x80, 0x80, 0x80, 0x80, 0x10, 0x00], 0);
        assert!(matches!(r.count("products"), Err(PayloadError::Corrupt(m)) if m.contains("products")));
        let mut r = Reader::at(&[0x05, b'a', b'b'], 0);
        assert_eq!(r.str("title"), Err(PayloadError::Truncated));
        let mut r = Reader::at(&[0x02, 0xC3, 0x28], 0);
        assert!(matches!(r.str("title"), Err(PayloadError::Corrupt(_))));
    }
}
