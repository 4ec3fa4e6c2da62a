//! The encoder's side of the primitives in `reader.rs`.

#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.bytes.push((value as u8 & 0x7F) | 0x80);
            value >>= 7;
        }
        self.bytes.push(value as u8);
    }

    pub fn index(&mut self, value: usize) {
        self.varint(value as u64);
    }

    pub fn str(&mut self, s: &str) {
        self.index(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }
}

/// Zigzag: small negative and positive differences both become small varints.
pub fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}
