//! Google Merchant Center product feed: RSS 2.0 (one `<item>` per product) or
//! Atom 1.0 (one `<entry>`), fields in the `g:` namespace
//! (http://base.google.com/ns/1.0). Fields the catalogue has no use for
//! (description, gtin, shipping, ...) are skipped. HTML's named entities
//! (`&eacute;`), which XML does not know but feeds built from shop HTML carry,
//! are read with a warning.

use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;

use super::item::{check, Item, RawItem};
use super::problems::{Fatal, Place, Problem, Problems};

const GOOGLE: &[u8] = b"http://base.google.com/ns/1.0";
const ATOM: &[u8] = b"http://www.w3.org/2005/Atom";

/// Counts lines up to a byte offset, moving forward only.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl Lines<'_> {
    fn at(&mut self, pos: u64) -> u64 {
        let pos = (pos as usize).min(self.bytes.len());
        if pos > self.pos {
            self.line += self.bytes[self.pos..pos].iter().filter(|&&b| b == b'\n').count() as u64;
            self.pos = pos;
        }
        self.line
    }
}

/// An item's fields as text, before they are checked.
#[derive(Default)]
pub struct FeedItem {
    pub raw: RawItem,
    price: Option<String>,
    sale_price: Option<String>,
    product_types: Vec<String>,
    google_category: Option<String>,
}

impl FeedItem {
    /// An empty item starting on `line`.
    pub fn at(line: u64) -> Self {
        FeedItem { raw: RawItem { line, ..RawItem::default() }, ..FeedItem::default() }
    }
}

#[allow(dead_code)] // compile names the format (`read_format`); other callers need only the items
pub fn read(bytes: &[u8], place: &Place, problems: &mut Problems) -> Result<(Vec<Item>, Option<String>, u64), Fatal> {
    read_format(bytes, place, problems).map(|(items, currency, rows, _)| (items, currency, rows))
}

/// The usable items, the catalogue's currency, the number of items, the format's name.
pub type FeedRead = (Vec<Item>, Option<String>, u64, &'static str);

/// `read`, also naming the format read ("RSS 2.0" or "Atom 1.0"). `bytes` is UTF-8.
pub fn read_format(bytes: &[u8], place: &Place, problems: &mut Problems) -> Result<FeedRead, Fatal> {
    let mut reader = NsReader::from_reader(bytes);
    let mut format = "RSS 2.0";
    // The element whose text is being read, for naming where an entity was.
    let mut element = String::new();
    let mut lines = Lines { bytes, pos: 0, line: 1 };
    let mut items = Vec::new();
    let mut currency = None;
    let mut rows = 0;
    let mut item: Option<FeedItem> = None;
    // The field being read inside an item: its name and its text so far.
    let mut field: Option<(String, String)> = None;
    let mut depth = 0u32;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            let line = lines.at(reader.error_position());
            Fatal(format!("{}:{line}: not a well-formed XML feed: {e}", place.file))
        })?;
        match event {
            Event::Start(e) => {
                let (ns, local) = reader.resolve_element(e.name());
                let name = String::from_utf8_lossy(local.as_ref()).into_owned();
                depth += 1;
                // An undeclared `g:` prefix is taken to mean Google's namespace, as feeds intend.
                let google = match &ns {
                    ResolveResult::Bound(Namespace(n)) => *n == GOOGLE,
                    ResolveResult::Unknown(prefix) => prefix.as_slice() == b"g",
                    ResolveResult::Unbound => false,
                };
                let atom = matches!(&ns, ResolveResult::Bound(Namespace(n)) if *n == ATOM);
                let plain = matches!(ns, ResolveResult::Unbound) || atom;
                if depth == 1 && atom && name == "feed" {
                    format = "Atom 1.0";
                }
                if item.is_none() {
                    if (plain && name == "item") || (atom && name == "entry") {
                        let line = lines.at(position);
                        item = Some(FeedItem { raw: RawItem { line, ..RawItem::default() }, ..FeedItem::default() });
                    }
                } else if field.is_none() && atom && name == "link" {
                    atom_link(&e, &mut item)?;
                } else if field.is_none() && (google || (plain && (name == "title" || name == "link"))) {
                    field = Some((name.clone(), String::new()));
                }
                element = if google { format!("g:{name}") } else { name };
            }
            Event::Empty(e) => {
                let (ns, local) = reader.resolve_element(e.name());
                if matches!(&ns, ResolveResult::Bound(Namespace(n)) if *n == ATOM) && local.as_ref() == b"link" {
                    atom_link(&e, &mut item)?;
                }
            }
            Event::Text(t) => {
                if let Some((_, text)) = &mut field {
                    text.push_str(&t.decode().map_err(|e| Fatal(format!("{}: {e}", place.file)))?);
                }
            }
            Event::CData(t) => {
                if let Some((_, text)) = &mut field {
                    text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = &mut field {
                    let name = r.decode().map_err(|e| Fatal(format!("{}: {e}", place.file)))?;
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => text.push(c),
                        _ => match quick_xml::escape::resolve_xml_entity(&name) {
                            Some(s) => text.push_str(s),
                            None => text.push_str(html_entity(&name, &element, lines.at(position), place, problems)?),
                        },
                    }
                } else if item.is_some() && r.resolve_char_ref().ok().flatten().is_none() {
                    // Outside the fields read, an HTML entity is harmless, but still not XML.
                    let name = r.decode().map_err(|e| Fatal(format!("{}: {e}", place.file)))?;
                    if quick_xml::escape::resolve_xml_entity(&name).is_none() {
                        html_entity(&name, &element, lines.at(position), place, problems)?;
                    }
                }
            }
            Event::End(e) => {
                depth -= 1;
                let local = e.local_name();
                let name = local.as_ref();
                if let Some((field_name, text)) = field.take_if(|(f, _)| f.as_bytes() == name) {
                    if let Some(it) = &mut item {
                        assign(it, &field_name, text);
                    }
                } else if field.is_none() && (name == b"item" || name == b"entry") {
                    if let Some(it) = item.take() {
                        rows += 1;
                        if let Some(raw) = finish(it, place, problems)? {
                            if let Some(ok) = check(raw, &mut currency, place, problems)? {
                                items.push(ok);
                            }
                        }
                    }
                }
            }
            Event::Eof if depth != 0 => {
                let line = lines.at(position);
                return Err(Fatal(format!(
                    "{}:{line}: not a well-formed XML feed: it ends inside an element, so it was probably cut off; \
                     export the feed again",
                    place.file
                )));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((items, currency, rows, format))
}

/// An Atom `<link href="...">`: the item's page (rel "alternate", the default).
fn atom_link(e: &quick_xml::events::BytesStart, item: &mut Option<FeedItem>) -> Result<(), Fatal> {
    let Some(it) = item else { return Ok(()) };
    let attribute = |key: &[u8]| {
        e.attributes().flatten().find(|a| a.key.local_name().as_ref() == key).map(|a| {
            a.unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
        })
    };
    let rel = attribute(b"rel");
    if rel.as_deref().is_none_or(|r| r == "alternate") && it.raw.url.is_none() {
        it.raw.url = attribute(b"href").as_deref().and_then(super::item::cell);
    }
    Ok(())
}

/// An HTML named entity (`&eacute;`): its text, with a warning; an unknown name stops the run.
fn html_entity(
    name: &str,
    element: &str,
    line: u64,
    place: &Place,
    problems: &mut Problems,
) -> Result<&'static str, Fatal> {
    match quick_xml::escape::resolve_html5_entity(name) {
        Some(text) => {
            let code: Vec<String> = text.chars().map(|c| format!("&#{};", u32::from(c))).collect();
            let message = format!(
                "&{name}; is an HTML entity, which XML does not define; read as {text:?} \
                 (write the character itself or {})",
                code.concat()
            );
            problems.warn(Problem { field: element.to_string(), ..place.at(line, "", message) })?;
            Ok(text)
        }
        None => Err(Fatal(format!(
            "{}:{line}: {element}: unknown entity &{name}; (neither XML nor HTML defines it; write the character itself)",
            place.file
        ))),
    }
}

pub fn assign(it: &mut FeedItem, name: &str, text: String) {
    let value = super::item::cell(&text);
    let raw = &mut it.raw;
    match name {
        "id" => raw.sku = value,
        "title" => raw.title = raw.title.take().or(value),
        "link" => raw.url = raw.url.take().or(value),
        "image_link" => raw.image = value,
        "price" => it.price = value,
        "sale_price" => it.sale_price = value,
        "availability" => raw.availability = value,
        "brand" => raw.brand = value,
        "product_type" => it.product_types.extend(value),
        "google_product_category" => it.google_category = value,
        "item_group_id" => raw.group = value,
        "custom_label_0" | "custom_label_1" | "custom_label_2" | "custom_label_3" | "custom_label_4" => {
            raw.labels.extend(value)
        }
        "product_highlight" => raw.highlights.extend(value),
        _ => {}
    }
}

/// Splits Google's "129.90 EUR" into amount and currency and picks the category.
pub fn finish(it: FeedItem, place: &Place, problems: &mut Problems) -> Result<Option<RawItem>, Fatal> {
    let mut raw = it.raw;
    let line = raw.line;
    if let Some(price) = &it.price {
        match split_price(price) {
            Some((amount, code)) => {
                raw.price = Some(amount);
                raw.currency = Some(code);
            }
            None => {
                problems.report(place.at(line, "price", format!("{price:?} is not a price such as \"129.90 EUR\"")))?;
                return Ok(None);
            }
        }
    }
    if let Some(sale) = &it.sale_price {
        match split_price(sale) {
            Some((amount, code)) if Some(&code) == raw.currency.as_ref() => raw.sale_price = Some(amount),
            _ => {
                let message = format!("{sale:?} is not a price in the item's currency such as \"99.90 EUR\"; ignored");
                problems.report(place.at(line, "sale_price", message))?;
            }
        }
    }
    raw.product_type = it.product_types.first().cloned();
    raw.category = raw.product_type.clone().or(it.google_category);
    Ok(Some(raw))
}

/// "129.90 EUR" (or "EUR 129.90") -> ("129.90", "EUR").
fn split_price(text: &str) -> Option<(String, String)> {
    let mut parts = text.split_whitespace();
    let (a, b) = (parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let is_code = |s: &str| s.len() == 3 && s.bytes().all(|c| c.is_ascii_alphabetic());
    match (is_code(a), is_code(b)) {
        (false, true) => Some((a.to_string(), b.to_ascii_uppercase())),
        (true, false) => Some((b.to_string(), a.to_ascii_uppercase())),
        _ => None,
    }
}
