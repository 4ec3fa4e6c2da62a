use super::writer::{zigzag, Writer};
use super::*;
use crate::catalogue::{Catalogue, CatalogueDoc, Neighbour, ProductRecord};

fn fixture() -> Catalogue {
    let json = include_str!("../../../tests/fixtures/catalogue.json");
    serde_json::from_str::<CatalogueDoc>(json).unwrap().into_catalogue().unwrap()
}

/// The fixture plus every optional field filled, shared and absolute URLs.
fn rich() -> Catalogue {
    let c = fixture();
    let mut products = c.records();
    let p = &mut products[0];
    p.highlights = ["4K60 10 bit", "Dual I.S. 2"].map(String::from).into();
    p.labels = ["bestseller", "consumable"].map(String::from).into();
    p.product_type = Some("Kameras > Vollformat".into());
    p.availability = Availability::Backorder;
    p.url = "https://shop.example/p/lumix-s5?ref=x".into();
    products[1].availability = Availability::Preorder;
    products[1].highlights = vec!["Dual I.S. 2".into()];
    products[1].sale_price = Some(0);
    products[2].price = u64::MAX;
    // The SKU twice in a URL, in an image, or (SKU "CAM-2" in "/p/CAM-2x") inside a longer word.
    products[3].url = "/p/SD-128/SD-128.html?x=SD-1".into();
    products[3].image = Some("https://cdn.example/SD-128".into());
    products[1].url = "/p/CAM-2x".into();
    Catalogue::new(c.currency, c.categories, products).unwrap()
}

#[test]
fn long_texts_and_many_url_prefixes_come_back_whole() {
    // Lengths from 128 and URL codes from 128 take two bytes or more between
    // texts; the decoder must clear their high bits and only theirs.
    let c = fixture();
    let mut products = c.records();
    for (i, p) in products.iter_mut().enumerate() {
        p.title = format!("Größe {i} ").repeat(40);
        p.url = format!("https://shop-{i}.example/ä/{}", "ü".repeat(70));
        p.image = Some(format!("https://cdn.example/{i}/{}", "x".repeat(200)));
    }
    let mut more = products[0].clone();
    for i in 0..300 {
        more.sku = format!("MORE-{i}");
        more.url = format!("https://more-{i}.example/p/{}", more.sku);
        products.push(more.clone());
    }
    let c = Catalogue::new(c.currency, c.categories, products).unwrap();
    assert_eq!(decode(encode(&c)), Ok(c.clone()));
    assert!(c.product(0).title().starts_with("Größe 0 Größe 0"));
}

#[test]
fn round_trip_gives_back_the_same_catalogue() {
    for c in [fixture(), rich()] {
        let bytes = encode(&c);
        assert!(is_payload(&bytes));
        assert_eq!(decode(bytes.clone()), Ok(c));
    }
    let empty = Catalogue::new("JPY".into(), vec![], vec![]).unwrap();
    assert_eq!(decode(encode(&empty)), Ok(empty));
}

#[test]
fn shared_strings_and_url_prefixes_are_stored_once() {
    let bytes = encode(&fixture());
    let count = |needle: &[u8]| bytes.windows(needle.len()).filter(|w| *w == needle).count();
    // Five products link to "/product.html?sku=..." and two are in "Kaffee > ..."-categories.
    assert_eq!(count(b"/product.html?sku="), 1);
    assert_eq!(count(b"/img/"), 1);
    assert_eq!(count(b"Panasonic"), 1);
    assert_eq!(count(b"Fotografie > Kameras"), 1);
    // "/product.html?sku=CAM-1" is its prefix and the SKU: the SKU is stored once, in the SKU column.
    assert_eq!(count(b"CAM-1"), 1);
}

#[test]
fn header_is_magic_version_flags_length_checksum() {
    let bytes = encode(&fixture());
    assert_eq!(&bytes[0..4], b"TRUE");
    assert_eq!(&bytes[4..6], &[3, 0]);
    assert_eq!(&bytes[6..8], &[0, 0]);
    let len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    assert_eq!(len, bytes.len() - HEADER_LEN);
    assert_eq!(u32::from_le_bytes(bytes[12..16].try_into().unwrap()), checksum(&bytes[16..]));
}

#[test]
fn other_versions_are_refused_by_number() {
    let fixture = include_bytes!("../../../tests/fixtures/version-99.bin");
    let err = decode(fixture.to_vec()).unwrap_err().to_string();
    assert!(err.contains("version 99 is not supported"), "{err}");
    let mut bytes = encode(&fixture_catalogue_small());
    // Version 2 (neighbours as varints) and 1 (CRC-32) are read no more: a
    // catalogue compiled by an older treue is named as such.
    for old in [1, 2] {
        bytes[4] = old;
        let err = decode(bytes.clone()).unwrap_err().to_string();
        assert!(err.contains(&format!("version {old} is not supported (this bundle reads version 3)")), "{err}");
    }
    bytes[4] = 4;
    assert!(decode(bytes.clone()).unwrap_err().to_string().contains("version 4 is not supported"));
    assert_eq!(decode(b"{\"version\":1}".to_vec()), Err(PayloadError::NotAPayload));
}

fn fixture_catalogue_small() -> Catalogue {
    let c = fixture();
    let mut products = c.records();
    products.truncate(2);
    products[0].neighbours = Default::default();
    Catalogue::new(c.currency, c.categories, products).unwrap()
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = encode(&rich());
    for len in 0..bytes.len() {
        assert!(decode(bytes[..len].to_vec()).is_err(), "cut at {len} of {}", bytes.len());
    }
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn random_byte_flips_are_errors() {
    let bytes = encode(&rich());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..5_000 {
        let mut damaged = bytes.clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(damaged.len());
            damaged[at] ^= 1 + rng.below(255) as u8;
        }
        assert!(decode(damaged.clone()).is_err());
    }
}

/// Rewrites the checksum so that damage gets past it: what a hostile payload does.
fn sealed(mut bytes: Vec<u8>) -> Vec<u8> {
    let len = (bytes.len() - HEADER_LEN) as u32;
    bytes[8..12].copy_from_slice(&len.to_le_bytes());
    let sum = checksum(&bytes[HEADER_LEN..]);
    bytes[12..16].copy_from_slice(&sum.to_le_bytes());
    bytes
}

#[test]
fn hostile_payloads_with_a_valid_checksum_never_panic() {
    let bytes = encode(&rich());
    let mut rng = Rng(42);
    let mut accepted = 0;
    for round in 0..20_000 {
        let mut damaged = bytes.clone();
        match round % 3 {
            0 => {
                let at = HEADER_LEN + rng.below(bytes.len() - HEADER_LEN);
                damaged[at] = rng.next() as u8;
            }
            1 => {
                let at = HEADER_LEN + rng.below(bytes.len() - HEADER_LEN);
                damaged.truncate(at);
            }
            _ => {
                // A huge varint where a count or index was.
                let at = HEADER_LEN + rng.below(bytes.len() - HEADER_LEN);
                damaged.splice(at..at, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
            }
        }
        // Some damage stays valid (a letter in a title changes): that must decode.
        if decode(sealed(damaged)).is_ok() {
            accepted += 1;
        }
    }
    assert!(accepted < 20_000);
}

fn body_with(products: impl FnOnce(&mut Writer)) -> Vec<u8> {
    let mut w = Writer::default();
    w.str("EUR");
    w.index(1); // strings
    w.str(&"x".repeat(1000));
    w.index(1); // prefixes
    w.str("");
    w.index(1); // categories
    w.index(0);
    products(&mut w);
    with_header(&w.bytes)
}

/// A sealed payload of `body`.
fn with_header(body: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0; HEADER_LEN];
    bytes[..4].copy_from_slice(MAGIC);
    bytes[4..6].copy_from_slice(&VERSION.to_le_bytes());
    bytes.extend_from_slice(body);
    sealed(bytes)
}

#[test]
fn huge_counts_are_refused_before_allocating() {
    let payload = body_with(|w| w.varint(u64::from(u32::MAX)));
    assert!(matches!(decode(payload.clone()), Err(PayloadError::Corrupt(m)) if m.contains("product count")));
    // 1,000 products claimed, a byte each left: each needs 16 columns.
    let payload = body_with(|w| {
        w.index(1_000);
        (0..1_000).for_each(|_| w.index(0));
    });
    assert!(matches!(decode(payload.clone()), Err(PayloadError::Corrupt(m)) if m.contains("product count 1000")));
}

#[test]
fn a_long_shared_string_named_over_and_over_is_refused_as_categories_and_kept_once_as_labels() {
    // A 1000-byte string named 1,200,000 times: a 1.2 MB payload whose categories
    // (copied, one `String` each) would expand to 1.2 GB.
    let long = "x".repeat(1000);
    let categories = 1_200_000;
    let mut w = Writer::default();
    w.str("EUR");
    w.index(1);
    w.str(&long);
    w.index(0); // URL prefixes
    w.index(categories);
    (0..categories).for_each(|_| w.index(0));
    w.index(0); // products
    let err = decode(with_header(&w.bytes)).unwrap_err().to_string();
    assert!(err.contains("expand"), "{err}");

    // As 60 labels of each of 20,000 products (`body_with`'s one string), it is stored once.
    let n = 20_000;
    let payload = body_with(|w| {
        w.index(n);
        (0..n).for_each(|i| w.str(&i.to_string())); // sku
        (0..n).for_each(|_| w.str("t")); // title
        (0..n).for_each(|_| {
            w.index(0);
            w.str("u")
        });
        (0..n).for_each(|_| w.index(0)); // image
        (0..n).for_each(|_| w.index(1)); // price
        (0..n).for_each(|_| w.index(0)); // sale
        (0..n).for_each(|_| w.index(0)); // category
        (0..3 * n).for_each(|_| w.index(0)); // brand, group, type
        (0..n).for_each(|_| w.index(0)); // availability
        (0..n).for_each(|_| w.index(0)); // orders
        (0..n).for_each(|_| w.index(0)); // highlights
        (0..n).for_each(|_| {
            w.index(60);
            (0..60).for_each(|_| w.index(0))
        });
        w.index(1); // score unit
        w.bytes.extend([1, 1]); // one byte a step and a score
        (0..2 * n).for_each(|_| w.index(0)); // neighbours, curated
    });
    let c = decode(payload.clone()).unwrap();
    assert_eq!(c.product(19_999).labels().len(), 60);
    assert!(c.product(19_999).labels().iter().all(|label| label == long));
}

#[test]
fn texts_that_are_not_utf8_are_refused_by_field() {
    let one = |sku: &[u8], title: &[u8]| {
        body_with(|w| {
            w.index(1);
            for text in [sku, title] {
                w.index(text.len());
                w.bytes.extend_from_slice(text);
            }
            w.index(0); // url: no prefix, "u"
            w.str("u");
            (0..3).for_each(|_| w.index(0)); // image, price, sale
            (0..4).for_each(|_| w.index(0)); // category, brand, group, type
            (0..4).for_each(|_| w.index(0)); // availability, orders, highlights, labels
            w.index(1); // score unit
            w.bytes.extend([1, 1]); // one byte a step and a score
            (0..2).for_each(|_| w.index(0)); // neighbours, curated
        })
    };
    assert_eq!(decode(one(b"A", b"t")).unwrap().product(0).title(), "t");
    let err = decode(one(b"A", b"t\xFF")).unwrap_err().to_string();
    assert!(err.contains("title is not UTF-8"), "{err}");
    let err = decode(one(b"\xFFA", b"t")).unwrap_err().to_string();
    assert!(err.contains("sku is not UTF-8"), "{err}");
    // "ä" is C3 A4. Split between the SKU and the title, the two texts would be
    // UTF-8 together; in the payload the title's length stands between them.
    let err = decode(one(b"A\xC3", b"\xA4t")).unwrap_err().to_string();
    assert!(err.contains("is not UTF-8"), "{err}");
    // A length written in two bytes (1 as 0x81 0x00, which a reader accepts):
    // uncleared, its 0x81 would complete the SKU's C3 to "Á" and hide the cut.
    let overlong = body_with(|w| {
        w.index(1);
        w.index(2);
        w.bytes.extend_from_slice(b"A\xC3");
        w.bytes.extend_from_slice(&[0x81, 0x00, b't']);
        w.index(0);
        w.str("u");
        (0..3).for_each(|_| w.index(0));
        (0..4).for_each(|_| w.index(0));
        (0..4).for_each(|_| w.index(0));
        w.index(1);
        w.bytes.extend([1, 1]);
        (0..2).for_each(|_| w.index(0));
    });
    let err = decode(overlong).unwrap_err().to_string();
    assert!(err.contains("sku is not UTF-8"), "{err}");
    // Shared strings are checked with the other texts, and a category on its own.
    let bytes = encode(&rich());
    let c = decode(bytes.clone()).unwrap();
    let (layout, spans) = (c.columns().layout, &c.columns().texts.spans);
    let prefix = (0..layout.prefixes as u32).map(|i| layout.prefix(i)).find(|&t| spans[t][1] > spans[t][0]).unwrap();
    let string =
        |s: &str| (0..layout.strings as u32).map(|i| layout.string(i)).find(|&t| c.columns().texts.get(t) == s);
    let (label, category) = (string("bestseller").unwrap(), string("Fotografie > Kameras").unwrap());
    for (text, field) in [(label, "string"), (category, "string"), (prefix, "URL prefix")] {
        let mut damaged = bytes.clone();
        damaged[spans[text][0] as usize] = 0xFF;
        let err = decode(sealed(damaged)).unwrap_err().to_string();
        assert!(err.contains(&format!("{field} is not UTF-8")), "{err}");
    }
}

#[test]
fn scores_come_back_exact_in_the_unit_they_share() {
    assert_eq!(zigzag(0), 0);
    assert_eq!(zigzag(-1), 1);
    assert_eq!(zigzag(1), 2);
    assert_eq!(writer::unzigzag(zigzag(-65535)), -65535);
    let c = fixture();
    let mut products = c.records();
    products[0].neighbours = vec![
        Neighbour { product: 2, score: 65535 },
        Neighbour { product: 4, score: 0 },
        Neighbour { product: 3, score: 65535 },
    ];
    let c = Catalogue::new(c.currency, c.categories, products).unwrap();
    assert_eq!(decode(encode(&c)), Ok(c.clone()));
    // The compiler's scores are multiples of 257 and are stored in that unit: one byte a score.
    let with_scores = |f: &dyn Fn(u16) -> u16| {
        let mut products = c.records();
        for p in &mut products {
            let rescored =
                p.neighbours.iter().enumerate().map(|(i, nb)| Neighbour { score: f(50 - 10 * i as u16), ..*nb });
            p.neighbours = rescored.collect();
        }
        Catalogue::new(c.currency.clone(), c.categories.clone(), products).unwrap()
    };
    let (units, odd) = (with_scores(&|level| level * 257), with_scores(&|level| level * 257 + 1));
    assert_eq!(decode(encode(&units)), Ok(units.clone()));
    assert_eq!(decode(encode(&odd)), Ok(odd.clone()));
    let partners = units.products().map(|p| p.neighbours().len()).sum::<usize>();
    // A second byte per score, less the byte more that the unit 257 takes over 1.
    assert_eq!(encode(&odd).len() - encode(&units).len(), partners - 1);
}

/// `n` products with the neighbours' section `section` (after the score unit).
fn with_neighbours(n: usize, unit: u64, section: &[u8]) -> Vec<u8> {
    body_with(|w| {
        w.index(n);
        (0..n).for_each(|i| w.str(&format!("P{i}"))); // sku
        (0..n).for_each(|_| w.str("t")); // title
        (0..n).for_each(|_| {
            w.index(0);
            w.str("u")
        });
        (0..9 * n).for_each(|_| w.index(0)); // image, price, sale, category, brand, group, type, availability, orders
        (0..2 * n).for_each(|_| w.index(0)); // highlights, labels
        w.varint(unit);
        w.bytes.extend_from_slice(section);
        (0..n).for_each(|_| w.index(0)); // curated
    })
}

#[test]
fn neighbours_are_read_from_their_planes_in_every_width() {
    // Product 0: partners 2 (step +2, zigzag 4) and 1 (+1, zigzag 2), 9 and 5 units;
    // product 2: partner 0 (-2, zigzag 3), 300 units (two score bytes).
    let section = [1, 2, /* counts */ 2, 0, 1, /* steps */ 4, 2, 3, /* scores */ 9, 5, 44, 0, 0, 1];
    let c = decode(with_neighbours(3, 2, &section)).unwrap();
    let list = |i: u32| c.product(i).neighbours().to_vec();
    assert_eq!(list(0), [Neighbour { product: 2, score: 18 }, Neighbour { product: 1, score: 10 }]);
    assert_eq!(list(1), []);
    assert_eq!(list(2), [Neighbour { product: 0, score: 600 }]);
    // Steps in four bytes: the planes' higher bytes are 0 here.
    let wide = [4, 1, 1, 0, 0, 2, 0, 0, 0, 7];
    assert_eq!(decode(with_neighbours(3, 1, &wide)).unwrap().product(0).neighbours()[0].product, 1);
    // A far partner takes three bytes; a catalogue of 70,000 products round-trips.
    let n = 70_000;
    let mut products: Vec<_> = (0..n)
        .map(|i| ProductRecord { sku: format!("S{i}"), title: "t".into(), url: "u".into(), ..Default::default() })
        .collect();
    products[0].neighbours = vec![Neighbour { product: n as u32 - 1, score: 257 }];
    products[n - 1].neighbours = vec![Neighbour { product: 0, score: 514 }];
    let far = Catalogue::new("EUR".into(), vec!["c".into()], products).unwrap();
    assert_eq!(decode(encode(&far)), Ok(far));
}

#[test]
fn bad_neighbours_are_named_and_nothing_is_allocated_for_planes_that_are_not_there() {
    let err = |section: &[u8], unit: u64| decode(with_neighbours(3, unit, section)).unwrap_err().to_string();
    // Product 2's partner at step +1 is product 3 of 3.
    let e = err(&[1, 1, 0, 0, 1, 2, 1], 1);
    assert!(e.contains("product 2") && e.contains("neighbours") && e.contains("refers to product 3 of 3"), "{e}");
    // Product 0's partner at step -1.
    let e = err(&[1, 1, 1, 0, 0, 1, 1], 1);
    assert!(e.contains("refers to product -1 of 3"), "{e}");
    // 255 units of 258 overflow a score.
    assert!(err(&[1, 1, 1, 0, 0, 2, 255], 258).contains("a neighbour score is out of range"));
    assert!(err(&[1, 1, 0, 0, 0], 0).contains("the score unit is out of range"));
    for widths in [[0, 1], [5, 1], [1, 0], [1, 3]] {
        assert!(err(&[widths[0], widths[1], 0, 0, 0], 1).contains("unknown width"), "{widths:?}");
    }
    // Counts that promise 3 x 255 partners in a few bytes: truncated, before any allocation for them.
    assert_eq!(decode(with_neighbours(3, 1, &[4, 2, 255, 255, 255, 1, 2, 3])), Err(PayloadError::Truncated));
}

#[test]
fn bad_references_inside_a_well_formed_payload_are_catalogue_errors() {
    // Catalogue::new refuses duplicates, so build the bytes from a valid one and swap the SKU.
    let bytes = encode(&fixture());
    let from = bytes.windows(5).position(|w| w == b"CAM-2").unwrap();
    let mut dup = bytes.clone();
    dup[from..from + 5].copy_from_slice(b"CAM-1");
    let err = decode(sealed(dup)).unwrap_err();
    assert!(matches!(&err, PayloadError::Catalogue(e) if e.message.contains("duplicate sku")), "{err}");
}

/// Pending on its first poll, ready on the next: a pause that really waits.
struct Later(bool);

impl std::future::Future for Later {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            return std::task::Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

#[test]
fn decoding_in_stages_pauses_between_them_and_gives_the_same_catalogue() {
    use std::future::Future;
    let c = rich();
    let bytes = encode(&c);
    let pauses = std::cell::Cell::new(0);
    let mut decoding = std::pin::pin!(decode_paced(bytes.clone(), || {
        pauses.set(pauses.get() + 1);
        Later(false)
    }));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut polls = 1;
    let result = loop {
        match decoding.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(result) => break result,
            std::task::Poll::Pending => polls += 1,
        }
    };
    assert_eq!(result, Ok(c));
    assert_eq!((pauses.get(), polls), (4, 5), "each of the four pauses gave the caller a turn");
    // A broken payload fails in the stage that reads the broken part, as without pauses.
    let mut cut = bytes.clone();
    cut.truncate(cut.len() - 3);
    let mut decoding = std::pin::pin!(decode_paced(cut, || std::future::ready(())));
    assert!(matches!(decoding.as_mut().poll(&mut cx), std::task::Poll::Ready(Err(_))));
}

#[test]
fn a_fingerprint_changes_with_the_file_and_a_payloads_comes_from_its_header() {
    let bytes = encode(&fixture());
    let len = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
    assert_eq!(fingerprint(&bytes), format!("{len}-{}", checksum(&bytes[HEADER_LEN..])));
    let mut other = fixture().records();
    other[0].price += 1;
    let other = encode(&Catalogue::new("EUR".into(), fixture().categories, other).unwrap());
    assert_ne!(fingerprint(&bytes), fingerprint(&other));
    let json = br#"{"version":1,"currency":"EUR","categories":[],"products":[]}"#;
    let mut changed = json.to_vec();
    changed[14] = b'2';
    assert_eq!(fingerprint(json), fingerprint(json));
    assert_ne!(fingerprint(json), fingerprint(&changed));
    assert_eq!(fingerprint(json), format!("{}-{}", json.len(), checksum(json)));
}

#[test]
fn partners_set_on_a_built_catalogue_encode_as_if_built_with_them() {
    let shop = rich();
    let n = shop.len() as u32;
    let orders: Vec<u32> = (0..n).map(|i| 7 * i + 1).collect();
    let lists: Vec<Vec<Neighbour>> =
        (0..n).map(|i| (1..n).map(|d| Neighbour { product: (i + d) % n, score: 257 * d as u16 }).collect()).collect();
    let mut records = shop.records();
    for (r, (&o, list)) in records.iter_mut().zip(orders.iter().zip(&lists)) {
        r.orders = o;
        r.neighbours = list.clone();
    }
    let built = Catalogue::new(shop.currency.clone(), shop.categories.clone(), records).unwrap();
    let mut set = shop.clone();
    set.set_partners(&orders, &lists).unwrap();
    assert_eq!(set, built);
    assert_eq!(encode(&set), encode(&built));
    assert_ne!(encode(&set), encode(&shop));
    // A partner beyond the products is refused, as `Catalogue::new` refuses it.
    let bad = vec![vec![Neighbour { product: n, score: 257 }]];
    assert_eq!(set.set_partners(&orders, &bad).unwrap_err().field, Some("neighbours"));
}
