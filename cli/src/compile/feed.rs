//! Google Merchant Center product feed: RSS 2.0, one `<item>` per product,
//! fields in the `g:` namespace (http://base.google.com/ns/1.0).

use super::item::{check, Item, RawItem};
use super::problems::{Fatal, Place, Problems};

pub fn read(_bytes: &[u8], place: &Place, _problems: &mut Problems) -> Result<(Vec<Item>, Option<String>, u64), Fatal> {
    Err(Fatal(format!("{}: feeds are not read yet", place.file)))
}

#[allow(dead_code)]
fn _unused(raw: RawItem, place: &Place, problems: &mut Problems) -> Result<Option<Item>, Fatal> {
    check(raw, &mut None, place, problems)
}
