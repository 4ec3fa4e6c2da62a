//! An input file's bytes as UTF-8 text, whatever the shop's tools wrote:
//! UTF-8 with or without a byte order mark, UTF-16 with one (Excel's "Unicode
//! text"), an XML declaration's encoding, else Windows-1252 (what German Excel
//! and many shop systems write) once the bytes turn out not to be UTF-8.
//!
//! Read in chunks, so memory stays bounded however large the file is, and
//! checked on the way: a NUL byte or other control character means the file
//! is not text (a database dump, a zip, a file padded with zeros) and stops
//! the run at once rather than after gigabytes. Carriage returns before a line
//! feed are dropped, so Windows line ends count as one line like any other.

use std::fmt;
use std::io::{self, Read};

use encoding_rs::{Decoder, Encoding, UTF_8, WINDOWS_1252};

const CHUNK: usize = 64 * 1024;
/// The header row (or XML declaration) is looked for in at most this much text.
const PEEK_LIMIT: usize = 1 << 20;

/// How the file's encoding was decided, for the summary and for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Valid UTF-8 throughout (or plain ASCII).
    Default,
    ByteOrderMark,
    XmlDeclaration,
    /// Bytes that are not UTF-8 appeared before any UTF-8 text.
    NotUtf8,
    /// `--encoding`.
    Given,
}

/// The encoding a file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encoding: &'static Encoding,
    pub reason: Reason,
}

impl fmt::Display for Detected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.encoding.name();
        match self.reason {
            Reason::Default => write!(f, "{name}"),
            Reason::ByteOrderMark => write!(f, "{name} (byte order mark)"),
            Reason::XmlDeclaration => write!(f, "{name} (as the XML declaration says)"),
            Reason::NotUtf8 => write!(f, "{name} (the bytes are not UTF-8)"),
            Reason::Given => write!(f, "{name} (--encoding)"),
        }
    }
}

/// `--encoding`: an encoding label as browsers know them ("utf-8", "latin1",
/// "windows-1252", "utf-16le", ...).
pub fn encoding_for(label: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        format!("--encoding {label:?} is not an encoding name such as utf-8, windows-1252, iso-8859-1 or utf-16le")
    })
}

/// Why reading stopped: the file is not text in a usable encoding. Carried
/// through `io::Error` so the CSV and XML readers pass it up unchanged.
#[derive(Debug)]
pub struct Unreadable {
    /// 1-based line of the decoded text where it was found.
    pub line: u64,
    pub message: String,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Unreadable {}

impl Unreadable {
    /// The `Unreadable` inside an I/O error, if that is what it carries.
    pub fn within(error: &io::Error) -> Option<&Unreadable> {
        error.get_ref().and_then(|e| e.downcast_ref::<Unreadable>())
    }
}

enum Mode {
    /// Not decided yet: UTF-8 so far. `fallback`: switch to Windows-1252 at
    /// the first invalid byte if no UTF-8 text came before it.
    Utf8 {
        fallback: bool,
        non_ascii: bool,
    },
    Decoding(Decoder),
}

/// A `Read` of UTF-8 text over a file in any of the encodings above.
pub struct Text<R> {
    inner: R,
    mode: Mode,
    detected: Detected,
    /// Bytes read from the file and not yet decoded (a partial character).
    raw: Vec<u8>,
    /// Decoded text not yet handed out.
    out: Vec<u8>,
    out_pos: usize,
    /// A `\r` held back at the end of a chunk, in case a `\n` follows.
    held_cr: bool,
    eof: bool,
    /// Bytes of the file before the decoded text (a byte order mark).
    skipped: u64,
    /// Bytes of the file decoded so far, and before the current chunk.
    consumed: u64,
    consumed_before: u64,
    /// Line feeds in the text decoded so far.
    newlines: u64,
    /// Decoded bytes handed on (after carriage returns were dropped).
    decoded: u64,
    /// The last two chunks of decoded text, for telling whether the last row is complete.
    previous: Vec<u8>,
    latest: Vec<u8>,
    /// A line longer than this stops the run (0: no limit).
    max_line: u64,
    /// Bytes since the last line feed.
    line_length: u64,
}

impl<R: Read> Text<R> {
    /// `given`: `--encoding`, which overrides every detection.
    pub fn new(mut inner: R, given: Option<&'static Encoding>) -> io::Result<Self> {
        // The first bytes decide on a byte order mark and an XML declaration.
        let mut start = Vec::with_capacity(CHUNK);
        while start.len() < 1024 {
            if read_more(&mut inner, &mut start)? == 0 {
                break;
            }
        }
        let sniffed = Encoding::for_bom(&start);
        let (encoding, reason, skip) = match (given, sniffed) {
            (Some(e), _) => (e, Reason::Given, sniffed.filter(|(b, _)| *b == e).map_or(0, |(_, n)| n)),
            (None, Some((e, n))) => (e, Reason::ByteOrderMark, n),
            (None, None) => match xml_declared(&start) {
                Some(e) if e != UTF_8 => (e, Reason::XmlDeclaration, 0),
                _ => (UTF_8, Reason::Default, 0),
            },
        };
        let mode = if encoding == UTF_8 {
            Mode::Utf8 { fallback: reason == Reason::Default, non_ascii: false }
        } else {
            Mode::Decoding(encoding.new_decoder_without_bom_handling())
        };
        start.drain(..skip);
        Ok(Text {
            inner,
            mode,
            detected: Detected { encoding, reason },
            raw: start,
            out: Vec::with_capacity(CHUNK * 3),
            out_pos: 0,
            held_cr: false,
            eof: false,
            skipped: skip as u64,
            consumed: 0,
            consumed_before: 0,
            newlines: 0,
            decoded: 0,
            previous: Vec::with_capacity(CHUNK),
            latest: Vec::with_capacity(CHUNK),
            max_line: 0,
            line_length: 0,
        })
    }

    /// The encoding read (final once the whole file is read: a UTF-8 guess can
    /// still turn into Windows-1252).
    pub fn detected(&self) -> Detected {
        self.detected
    }

    /// The text up to and including the first line feed (or all of it, or the
    /// first MiB), without consuming it.
    pub fn peek_line(&mut self) -> io::Result<&[u8]> {
        loop {
            let pending = &self.out[self.out_pos..];
            if pending.contains(&b'\n') || self.eof || pending.len() >= PEEK_LIMIT {
                let end = pending.iter().position(|&b| b == b'\n').map_or(pending.len(), |i| i + 1);
                return Ok(&self.out[self.out_pos..self.out_pos + end]);
            }
            self.fill()?;
        }
    }

    /// The first byte that is not white space, without consuming anything
    /// (`None` for a blank file): `<` begins an XML feed.
    pub fn peek_start(&mut self) -> io::Result<Option<u8>> {
        loop {
            if let Some(&b) = self.out[self.out_pos..].iter().find(|b| !b.is_ascii_whitespace()) {
                return Ok(Some(b));
            }
            if self.eof || self.out.len() - self.out_pos >= PEEK_LIMIT {
                return Ok(None);
            }
            self.fill()?;
        }
    }

    /// Stops the run at a line longer than `bytes`: a CSV row holds it in
    /// memory whole, so a file without line ends would otherwise fill it.
    pub fn limit_lines(&mut self, bytes: u64) {
        self.max_line = bytes;
    }

    /// Whether the text read so far ends with a line feed.
    pub fn ends_with_newline(&self) -> bool {
        self.latest.last().or(self.previous.last()) == Some(&b'\n')
    }

    /// The decoded text from byte `from` to the end, if still held (the last
    /// one or two chunks are).
    pub fn text_from(&self, from: u64) -> Option<Vec<u8>> {
        let held = (self.previous.len() + self.latest.len()) as u64;
        let held_from = self.decoded - held;
        (from >= held_from && from <= self.decoded).then(|| {
            let mut text = [self.previous.as_slice(), self.latest.as_slice()].concat();
            text.drain(..(from - held_from) as usize);
            text
        })
    }

    /// Whether all of the file has been read and handed out.
    pub fn at_end(&self) -> bool {
        self.eof && self.out_pos == self.out.len()
    }

    /// Bytes of text handed out so far (positions as the CSV reader counts them).
    pub fn decoded(&self) -> u64 {
        self.decoded
    }

    /// Lines in the text read so far (a last line without a line feed counts).
    pub fn lines(&self) -> u64 {
        self.newlines + u64::from(self.decoded > 0 && !self.ends_with_newline())
    }

    fn fail(&self, line: u64, message: String) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, Unreadable { line, message })
    }

    /// Decodes the next chunk of the file into `out`.
    fn fill(&mut self) -> io::Result<()> {
        if self.eof {
            return Ok(());
        }
        if self.out_pos == self.out.len() {
            self.out.clear();
            self.out_pos = 0;
        }
        let mut last = false;
        if self.raw.len() < CHUNK / 2 {
            last = read_more(&mut self.inner, &mut self.raw)? == 0;
        }
        let start = self.out.len();
        self.consumed_before = self.consumed;
        self.decode(start, last)?;
        self.eof = last;
        self.after_decode(start)
    }

    fn decode(&mut self, start: usize, last: bool) -> io::Result<()> {
        match &mut self.mode {
            Mode::Utf8 { fallback, non_ascii } => {
                let (valid, invalid) = match std::str::from_utf8(&self.raw) {
                    Ok(_) => (self.raw.len(), false),
                    Err(e) => (e.valid_up_to(), e.error_len().is_some() || last),
                };
                let good = &self.raw[..valid];
                if !*non_ascii && !good.is_ascii() {
                    *non_ascii = true;
                }
                self.out.extend_from_slice(good);
                self.raw.drain(..valid);
                self.consumed += valid as u64;
                if invalid {
                    if *fallback && !*non_ascii {
                        // Everything before was ASCII, which Windows-1252 reads the same.
                        self.detected = Detected { encoding: WINDOWS_1252, reason: Reason::NotUtf8 };
                        self.mode = Mode::Decoding(WINDOWS_1252.new_decoder_without_bom_handling());
                        return self.decode(start, last);
                    }
                    let line = self.newlines + count_newlines(&self.out[start..]) + 1;
                    let message = if *fallback {
                        "this line is not UTF-8, but lines before it are: the file mixes encodings. Save it again \
                         as UTF-8 (in Excel: \"CSV UTF-8\"), or give --encoding windows-1252 if most of it is"
                            .to_string()
                    } else {
                        let says =
                            if self.detected.reason == Reason::Given { "--encoding" } else { "its byte order mark" };
                        format!(
                            "this line is not UTF-8 although {says} says so; save the file again as UTF-8 or give \
                             --encoding windows-1252"
                        )
                    };
                    return Err(self.fail(line, message));
                }
            }
            Mode::Decoding(decoder) => {
                let mut read = 0;
                loop {
                    let room = decoder.max_utf8_buffer_length(self.raw.len() - read).unwrap_or(CHUNK * 4).max(16);
                    let len = self.out.len();
                    self.out.resize(len + room, 0);
                    let (_, r, w, _) = decoder.decode_to_utf8(&self.raw[read..], &mut self.out[len..], last);
                    read += r;
                    self.consumed += r as u64;
                    self.out.truncate(len + w);
                    if read == self.raw.len() {
                        break;
                    }
                }
                self.raw.clear();
            }
        }
        Ok(())
    }

    /// Refuses binary content, counts lines, drops `\r` before `\n`, keeps the tail.
    fn after_decode(&mut self, start: usize) -> io::Result<()> {
        let new = &self.out[start..];
        // A branch-free pass (vectorised), then the exact place only when needed.
        if new.iter().fold(false, |bad, &b| bad | is_binary(b)) {
            let at = new.iter().position(|&b| is_binary(b)).unwrap_or(0);
            let line = self.newlines + count_newlines(&new[..at]) + 1;
            let what = match new[at] {
                0 => "a NUL byte".to_string(),
                b => format!("the control character 0x{b:02X}"),
            };
            // Where in the file: the bytes before this chunk, then this chunk's text in the file's encoding.
            let before = String::from_utf8_lossy(&new[..at]);
            let (mut encoded, _, _) = self.detected.encoding.encode(&before);
            if self.detected.encoding.output_encoding() != self.detected.encoding {
                // UTF-16 cannot be encoded to; its code units are two bytes each.
                encoded = before.encode_utf16().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>().into();
            }
            let byte = self.skipped + self.consumed_before + encoded.len() as u64;
            let at_file = format!(" at byte {byte}");
            let single_byte = self.detected.encoding == UTF_8 || self.detected.encoding == WINDOWS_1252;
            let hint = if single_byte && new[at] == 0 && looks_like_utf16(new) {
                "; it looks like UTF-16 without a byte order mark: give --encoding utf-16le"
            } else {
                "; export it again, or check it is the right file"
            };
            let message = format!("{what}{at_file}: this is not a CSV or feed text file{hint}");
            return Err(self.fail(line, message));
        }
        self.newlines += count_newlines(new);
        if std::mem::take(&mut self.held_cr) && self.out.get(start) != Some(&b'\n') {
            self.out.insert(start, b'\r');
        }
        if self.out[start..].contains(&b'\r') {
            let mut kept = Vec::with_capacity(self.out.len() - start);
            let new = &self.out[start..];
            for (i, &b) in new.iter().enumerate() {
                if !(b == b'\r' && new.get(i + 1) == Some(&b'\n')) {
                    kept.push(b);
                }
            }
            if kept.last() == Some(&b'\r') && !self.eof {
                kept.pop();
                self.held_cr = true;
            }
            self.out.truncate(start);
            self.out.extend_from_slice(&kept);
        }
        let new = &self.out[start..];
        self.decoded += new.len() as u64;
        if !new.is_empty() {
            std::mem::swap(&mut self.previous, &mut self.latest);
            self.latest.clear();
            self.latest.extend_from_slice(new);
        }
        if self.max_line > 0 {
            self.line_length = match new.iter().rposition(|&b| b == b'\n') {
                Some(i) => (new.len() - i - 1) as u64,
                None => self.line_length + new.len() as u64,
            };
            if self.line_length > self.max_line {
                let message = format!(
                    "line {} runs past {} MiB without a line end: this is not a CSV file (or a quote is never closed)",
                    self.newlines + 1,
                    self.max_line >> 20
                );
                return Err(self.fail(self.newlines + 1, message));
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Text<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.fill()?;
        }
        let pending = &self.out[self.out_pos..];
        let n = pending.len().min(buf.len());
        buf[..n].copy_from_slice(&pending[..n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Appends up to a chunk from `inner` to `buf`; 0 at the end of the file.
fn read_more(inner: &mut impl Read, buf: &mut Vec<u8>) -> io::Result<usize> {
    let len = buf.len();
    buf.resize(len + CHUNK, 0);
    let n = loop {
        match inner.read(&mut buf[len..]) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                buf.truncate(len);
                return Err(e);
            }
            Ok(n) => break n,
        }
    };
    buf.truncate(len + n);
    Ok(n)
}

/// Control characters that text files do not hold (tab, line feed, form feed
/// and carriage return are text; so is 0x1A, which old DOS tools append).
fn is_binary(b: u8) -> bool {
    b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' && b != 0x0C && b != 0x1A
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// Every other byte NUL in the first bytes: ASCII text in UTF-16.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    head.len() >= 8 && (head.iter().skip(1).step_by(2).all(|&b| b == 0) || head.iter().step_by(2).all(|&b| b == 0))
}

/// The encoding an XML declaration names: `<?xml version="1.0" encoding="ISO-8859-1"?>`.
fn xml_declared(start: &[u8]) -> Option<&'static Encoding> {
    let start = start.trim_ascii_start().strip_prefix(b"<?xml")?;
    let end = start.windows(2).position(|w| w == b"?>")?;
    let declaration = std::str::from_utf8(&start[..end]).ok()?;
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = after[1..].split(quote).next()?;
    Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], given: Option<&'static Encoding>) -> Result<(String, Detected), String> {
        let mut text = Text::new(bytes, given).map_err(|e| e.to_string())?;
        let mut out = String::new();
        match text.read_to_string(&mut out) {
            Ok(_) => Ok((out, text.detected())),
            Err(e) => {
                let u = Unreadable::within(&e).expect("an Unreadable");
                Err(format!("{}: {}", u.line, u.message))
            }
        }
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let (text, d) = read("sku\nMÜ-1\n".as_bytes(), None).unwrap();
        assert_eq!((text.as_str(), d.encoding, d.reason), ("sku\nMÜ-1\n", UTF_8, Reason::Default));
        let (text, d) = read(b"\xEF\xBB\xBFsku\n", None).unwrap();
        assert_eq!((text.as_str(), d.reason), ("sku\n", Reason::ByteOrderMark));
    }

    #[test]
    fn windows_1252_when_not_utf8_even_far_into_the_file() {
        let mut bytes = "sku\n".repeat(50_000).into_bytes();
        bytes.extend_from_slice(b"M\xDC-1;\x80\n");
        let (text, d) = read(&bytes, None).unwrap();
        assert!(text.ends_with("sku\nMÜ-1;€\n"));
        assert_eq!((d.encoding, d.reason), (WINDOWS_1252, Reason::NotUtf8));
        assert_eq!(d.to_string(), "windows-1252 (the bytes are not UTF-8)");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "sku\r\nMÜ-1\r\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, d) = read(&bytes, None).unwrap();
        assert_eq!((text.as_str(), d.encoding), ("sku\nMÜ-1\n", encoding_rs::UTF_16LE));
    }

    #[test]
    fn an_xml_declaration_is_honoured() {
        let (text, d) = read(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>\xE9</t>", None).unwrap();
        assert_eq!(
            (text.as_str(), d.encoding, d.reason),
            ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>é</t>", WINDOWS_1252, Reason::XmlDeclaration)
        );
    }

    #[test]
    fn given_encoding_overrides() {
        let (text, d) = read("Ã¼".as_bytes(), Some(encoding_for("latin1").unwrap())).unwrap();
        assert_eq!((text.as_str(), d.reason), ("ÃƒÂ¼", Reason::Given));
        assert_eq!(
            encoding_for("klingon").unwrap_err(),
            "--encoding \"klingon\" is not an encoding name such as utf-8, windows-1252, iso-8859-1 or utf-16le"
        );
    }

    #[test]
    fn mixed_encodings_name_the_line() {
        let bytes = [b"a\n\xC3\x9C\nb\n".as_slice(), b"\xDC\n"].concat();
        assert_eq!(
            read(&bytes, None).unwrap_err(),
            "4: this line is not UTF-8, but lines before it are: the file mixes encodings. Save it again as UTF-8 (in Excel: \"CSV UTF-8\"), or give --encoding windows-1252 if most of it is"
        );
    }

    #[test]
    fn crlf_becomes_lf_even_across_chunks() {
        let mut bytes = "a,b\r\n".repeat(CHUNK / 5 + 7).into_bytes();
        bytes.extend_from_slice(b"\"x\ry\"\r\n");
        let (text, _) = read(&bytes, None).unwrap();
        assert_eq!(text, "a,b\n".repeat(CHUNK / 5 + 7) + "\"x\ry\"\n");
    }

    #[test]
    fn a_line_without_end_is_bounded() {
        let bytes = vec![b'a'; 3 * CHUNK];
        let mut text = Text::new(bytes.as_slice(), None).unwrap();
        text.limit_lines(CHUNK as u64);
        let e = text.read_to_end(&mut Vec::new()).unwrap_err();
        let u = Unreadable::within(&e).unwrap();
        assert_eq!(
            (u.line, u.message.as_str()),
            (1, "line 1 runs past 0 MiB without a line end: this is not a CSV file (or a quote is never closed)")
        );
    }

    #[test]
    fn binary_content_stops_at_once_with_its_place() {
        assert_eq!(
            read(b"sku\nA-1\n\0\0\0\0", None).unwrap_err(),
            "3: a NUL byte at byte 8: this is not a CSV or feed text file; export it again, or check it is the right file"
        );
        let utf16: Vec<u8> = "sku,title\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert!(read(&utf16, None)
            .unwrap_err()
            .ends_with("it looks like UTF-16 without a byte order mark: give --encoding utf-16le"));
    }
}
