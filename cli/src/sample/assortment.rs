//! The demo shop's assortment: fourteen categories of German product lines,
//! each with brands, price tiers that form upgrade families, variants
//! (colours, sizes, capacities) and the products generated from them.

use super::rng::Rng;

/// One step of an upgrade family: what it is called, what it costs, and what
/// it adds over the step below (highlights accumulate upwards).
pub struct Tier {
    pub suffix: &'static str,
    /// Price range in cents.
    pub price: (u64, u64),
    pub adds: &'static [&'static str],
}

pub struct Category {
    pub name: &'static str,
    pub path: &'static str,
    pub slug: &'static str,
    pub prefix: &'static str,
    /// Share of the assortment.
    pub weight: u32,
    pub noun: &'static str,
    pub lines: &'static [(&'static str, &'static str)],
    pub tiers: &'static [Tier],
    /// Variants of one item group; empty: no variants.
    pub variants: &'static [&'static str],
    /// Percent each further variant costs more (capacities), 0 for colours and sizes.
    pub variant_step: u64,
    pub consumable: bool,
    pub blurb: &'static str,
}

const fn tier(suffix: &'static str, lo: u64, hi: u64, adds: &'static [&'static str]) -> Tier {
    Tier { suffix, price: (lo * 100, hi * 100), adds }
}

pub const KAMERAS: usize = 0;
pub const OBJEKTIVE: usize = 1;
pub const SPEICHERKARTEN: usize = 2;
pub const TASCHEN: usize = 3;
pub const STATIVE: usize = 4;
pub const VOLLAUTOMATEN: usize = 5;
pub const BOHNEN: usize = 6;
pub const PFLEGE: usize = 7;
pub const LAUFSCHUHE: usize = 8;
pub const SOCKEN: usize = 9;
pub const SMARTPHONES: usize = 10;
pub const HUELLEN: usize = 11;
pub const LADEGERAETE: usize = 12;
pub const SERVICE: usize = 13;

pub static CATEGORIES: [Category; 14] = [
    Category {
        name: "Kameras",
        path: "Fotografie > Kameras",
        slug: "kameras",
        prefix: "KAM",
        weight: 8,
        noun: "Systemkamera",
        lines: &[
            ("Panasonic", "Lumix S5 II"),
            ("Sony", "Alpha 7 IV"),
            ("Nikon", "Z 6II"),
            ("Canon", "EOS R8"),
            ("Fujifilm", "X-T5"),
            ("OM System", "OM-5"),
        ],
        tiers: &[
            tier("Gehäuse", 799, 1899, &["Vollformat-Sensor", "4K-Video mit 60 fps", "Bildstabilisator im Gehäuse"]),
            tier("Kit 24-105 mm", 1999, 2799, &["Zoomobjektiv 24-105 mm inklusive"]),
        ],
        variants: &["Schwarz", "Silber"],
        variant_step: 0,
        consumable: false,
        blurb: "Spiegellose Systemkamera für Reise, Reportage und Familie.",
    },
    Category {
        name: "Objektive",
        path: "Fotografie > Objektive",
        slug: "objektive",
        prefix: "OBJ",
        weight: 7,
        noun: "Objektiv",
        lines: &[
            ("Sigma", "24-70 mm F2.8 DG DN Art"),
            ("Tamron", "28-75 mm F2.8 Di III"),
            ("Sony", "FE 50 mm F1.8"),
            ("Samyang", "AF 35 mm F1.4"),
            ("Viltrox", "AF 85 mm F1.8"),
            ("Nikon", "Z 24-120 mm F4 S"),
        ],
        tiers: &[
            tier("", 179, 699, &["Autofokus mit Schrittmotor", "Filtergewinde 67 mm"]),
            tier("II", 749, 1499, &["wetterfest abgedichtet", "schnellerer Linearmotor"]),
        ],
        variants: &[],
        variant_step: 0,
        consumable: false,
        blurb: "Lichtstarkes Objektiv mit kurzer Naheinstellgrenze.",
    },
    Category {
        name: "Speicherkarten",
        path: "Fotografie > Speicherkarten",
        slug: "speicherkarten",
        prefix: "SPK",
        weight: 7,
        noun: "SDXC-Karte",
        lines: &[
            ("SanDisk", "Extreme"),
            ("Lexar", "Professional"),
            ("Kingston", "Canvas React"),
            ("Samsung", "PRO Plus"),
        ],
        tiers: &[
            tier("", 14, 29, &["UHS-I, V30", "bis 170 MB/s lesen"]),
            tier("PRO", 39, 79, &["UHS-II, V90", "bis 300 MB/s lesen", "für 8K-Video"]),
        ],
        variants: &["64 GB", "128 GB", "256 GB"],
        variant_step: 60,
        consumable: false,
        blurb: "Schnelle Speicherkarte für Serienbilder und 4K-Video.",
    },
    Category {
        name: "Kamerataschen",
        path: "Fotografie > Kamerataschen",
        slug: "kamerataschen",
        prefix: "TAS",
        weight: 6,
        noun: "Kameratasche",
        lines: &[
            ("Lowepro", "Adventura"),
            ("Peak Design", "Everyday Sling"),
            ("Manfrotto", "Advanced"),
            ("Thule", "Covert"),
            ("Tenba", "Skyline"),
        ],
        tiers: &[
            tier("10 L", 39, 89, &["gepolsterte Trennwände", "Regenhülle"]),
            tier("20 L Pro", 119, 229, &["Laptopfach 15 Zoll", "Stativhalterung"]),
        ],
        variants: &["Schwarz", "Oliv", "Sand"],
        variant_step: 0,
        consumable: false,
        blurb: "Robuste Tasche mit flexibler Einteilung für Kamera und Zubehör.",
    },
    Category {
        name: "Stative",
        path: "Fotografie > Stative",
        slug: "stative",
        prefix: "STA",
        weight: 5,
        noun: "Reisestativ",
        lines: &[("Rollei", "C5i"), ("Manfrotto", "Befree"), ("Benro", "Rhino"), ("Sirui", "Traveler 5")],
        tiers: &[
            tier("Aluminium", 59, 149, &["Traglast 8 kg", "Kugelkopf mit Arca-Platte"]),
            tier("Carbon", 169, 399, &["nur 1,2 kg leicht", "Traglast 12 kg"]),
        ],
        variants: &[],
        variant_step: 0,
        consumable: false,
        blurb: "Kompaktes Stativ für Landschaft, Langzeitbelichtung und Video.",
    },
    Category {
        name: "Kaffeevollautomaten",
        path: "Kaffee > Kaffeevollautomaten",
        slug: "kaffeevollautomaten",
        prefix: "KVA",
        weight: 8,
        noun: "Kaffeevollautomat",
        lines: &[
            ("Jura", "E8"),
            ("De'Longhi", "Magnifica Evo"),
            ("Siemens", "EQ.6 plus"),
            ("Melitta", "Barista TS"),
            ("Philips", "5400 LatteGo"),
        ],
        tiers: &[
            tier("", 449, 799, &["Kegelmahlwerk aus Edelstahl", "2 Tassen gleichzeitig"]),
            tier("Plus", 899, 1699, &["Milchsystem mit One-Touch-Cappuccino", "App-Steuerung"]),
        ],
        variants: &["Schwarz", "Edelstahl"],
        variant_step: 0,
        consumable: false,
        blurb: "Frisch gemahlener Kaffee auf Knopfdruck, vom Ristretto bis zum Latte macchiato.",
    },
    Category {
        name: "Kaffeebohnen",
        path: "Kaffee > Kaffeebohnen",
        slug: "kaffeebohnen",
        prefix: "BOH",
        weight: 8,
        noun: "Kaffeebohnen 1 kg",
        lines: &[
            ("Rösterei Kontor", "Hafenröstung"),
            ("Lavazza", "Qualità Oro"),
            ("Dallmayr", "Crema d'Oro"),
            ("Tchibo", "Barista Caffè Crema"),
            ("Mövenpick", "Espresso"),
        ],
        tiers: &[
            tier("", 12, 19, &["ganze Bohnen", "schonend trommelgeröstet"]),
            tier("Single Origin", 24, 34, &["100 % Arabica aus einer Herkunft", "Röstdatum auf der Packung"]),
        ],
        variants: &[],
        variant_step: 0,
        consumable: true,
        blurb: "Aromatische Bohnen für Vollautomat und Siebträger.",
    },
    Category {
        name: "Entkalker & Pflege",
        path: "Kaffee > Entkalker & Pflege",
        slug: "entkalker",
        prefix: "ENT",
        weight: 6,
        noun: "Entkalker",
        lines: &[
            ("Jura", "Entkalkungstabletten"),
            ("Melitta", "Perfect Clean"),
            ("Durgol", "Swiss Espresso"),
            ("De'Longhi", "EcoDecalk"),
        ],
        tiers: &[
            tier("3er-Pack", 9, 16, &["für alle Vollautomaten", "biologisch abbaubar"]),
            tier("Pflegeset", 24, 39, &["mit Reinigungstabletten", "mit Milchsystemreiniger"]),
        ],
        variants: &[],
        variant_step: 0,
        consumable: true,
        blurb: "Schützt den Vollautomaten vor Kalk und verlängert seine Lebensdauer.",
    },
    Category {
        name: "Laufschuhe",
        path: "Sport > Laufschuhe",
        slug: "laufschuhe",
        prefix: "LAU",
        weight: 10,
        noun: "Laufschuh",
        lines: &[
            ("Asics", "Gel-Nimbus 26"),
            ("Brooks", "Ghost 16"),
            ("Saucony", "Ride 17"),
            ("On", "Cloudmonster"),
            ("Hoka", "Clifton 9"),
            ("adidas", "Adizero SL"),
        ],
        tiers: &[
            tier("", 99, 149, &["Dämpfung für lange Läufe", "atmungsaktives Mesh"]),
            tier("Pro", 159, 229, &["Carbonplatte für Tempo", "nur 230 g"]),
        ],
        variants: &["Größe 40", "Größe 41", "Größe 42", "Größe 43", "Größe 44", "Größe 45"],
        variant_step: 0,
        consumable: false,
        blurb: "Leichter Laufschuh für Training und Wettkampf.",
    },
    Category {
        name: "Sportsocken",
        path: "Sport > Sportsocken",
        slug: "sportsocken",
        prefix: "SOC",
        weight: 6,
        noun: "Laufsocken 3er-Pack",
        lines: &[("Falke", "RU4"), ("CEP", "Run 4.0"), ("Asics", "Performance"), ("Saucony", "Inferno")],
        tiers: &[
            tier("", 12, 19, &["atmungsaktiv", "Polsterung an Ferse und Zehen"]),
            tier("Kompression", 24, 39, &["Kompressionszonen", "Blasenschutz"]),
        ],
        variants: &["Größe 39-42", "Größe 43-46"],
        variant_step: 0,
        consumable: true,
        blurb: "Sitzen fest, scheuern nicht und trocknen schnell.",
    },
    Category {
        name: "Smartphones",
        path: "Elektronik > Smartphones",
        slug: "smartphones",
        prefix: "SMA",
        weight: 9,
        noun: "Smartphone",
        lines: &[
            ("Samsung", "Galaxy S24"),
            ("Apple", "iPhone 15"),
            ("Google", "Pixel 8"),
            ("Xiaomi", "14"),
            ("Fairphone", "5"),
            ("Nothing", "Phone (2)"),
        ],
        tiers: &[
            tier("128 GB", 399, 799, &["6,2-Zoll-OLED-Display", "50-MP-Kamera"]),
            tier("256 GB", 899, 1199, &["doppelter Speicher", "Teleobjektiv mit 3-fach-Zoom"]),
        ],
        variants: &["Schwarz", "Weiß", "Blau"],
        variant_step: 0,
        consumable: false,
        blurb: "Schnelles Smartphone mit starker Kamera und Akku für den ganzen Tag.",
    },
    Category {
        name: "Handyhüllen",
        path: "Elektronik > Handyhüllen",
        slug: "handyhuellen",
        prefix: "HUE",
        weight: 7,
        noun: "Handyhülle",
        lines: &[("Spigen", "Ultra Hybrid"), ("OtterBox", "Defender"), ("Nillkin", "CamShield"), ("Mujjo", "Leder")],
        tiers: &[
            tier("", 14, 24, &["stoßfeste Ecken", "erhöhter Kamerarand"]),
            tier("Pro", 29, 49, &["MagSafe-kompatibel", "Fallschutz bis 4 m"]),
        ],
        variants: &["Transparent", "Schwarz", "Dunkelblau"],
        variant_step: 0,
        consumable: false,
        blurb: "Schützt das Smartphone, ohne aufzutragen.",
    },
    Category {
        name: "Ladegeräte",
        path: "Elektronik > Ladegeräte",
        slug: "ladegeraete",
        prefix: "LAD",
        weight: 6,
        noun: "USB-C-Ladegerät",
        lines: &[("Anker", "Nano"), ("Belkin", "BoostCharge"), ("Ugreen", "Nexode"), ("Samsung", "Super Fast")],
        tiers: &[
            tier("30 W", 19, 29, &["USB Power Delivery", "kompakt wie ein Würfel"]),
            tier("65 W", 39, 79, &["lädt auch Laptops", "zwei Anschlüsse gleichzeitig"]),
        ],
        variants: &[],
        variant_step: 0,
        consumable: false,
        blurb: "Lädt Smartphone, Kopfhörer und Tablet schnell und kühl.",
    },
    Category {
        name: "Service-Verträge",
        path: "Service > Service-Verträge",
        slug: "service",
        prefix: "SRV",
        weight: 2,
        noun: "Support-Vertrag",
        lines: &[("Kontor Service", "Geräte"), ("Kontor Service", "Kaffee"), ("Kontor Service", "Foto")],
        tiers: &[
            tier("Basis", 49, 79, &["Hotline Mo-Fr 8-18 Uhr", "Antwort innerhalb eines Werktags"]),
            tier("Premium", 99, 139, &["Hotline rund um die Uhr", "Vor-Ort-Austausch am nächsten Tag"]),
        ],
        variants: &[],
        variant_step: 0,
        consumable: false,
        blurb: "Schnelle Hilfe, wenn etwas nicht funktioniert: ein Jahr lang, ohne Zusatzkosten.",
    },
];

/// The planted associations: buyers of the first category's products buy
/// their partner in each listed category far more often than chance.
pub const PLANTED: [(usize, &[usize]); 4] = [
    (KAMERAS, &[SPEICHERKARTEN, TASCHEN]),
    (VOLLAUTOMATEN, &[BOHNEN, PFLEGE]),
    (LAUFSCHUHE, &[SOCKEN]),
    (SMARTPHONES, &[HUELLEN, LADEGERAETE]),
];

/// Weaker, category-level affinities: an anchor's order sometimes holds any
/// product of these categories (no single partner stands out).
pub const LOOSE: [(usize, &[usize]); 3] =
    [(KAMERAS, &[OBJEKTIVE, STATIVE, SERVICE]), (VOLLAUTOMATEN, &[SERVICE]), (SMARTPHONES, &[SERVICE])];

/// The service line that covers a category's products: a photo contract goes
/// with a camera, not with a coffee machine.
pub fn service_line(category: usize) -> &'static str {
    match category {
        KAMERAS | OBJEKTIVE | STATIVE => "Foto",
        VOLLAUTOMATEN => "Kaffee",
        _ => "Geräte",
    }
}

/// Whether two products may be bought together in the generated orders: a
/// service contract only with products of the family its line covers.
pub fn fit_together(a: &Product, b: &Product) -> bool {
    let covers =
        |service: &Product, other: &Product| other.category == SERVICE || service.line == service_line(other.category);
    (a.category != SERVICE || covers(a, b)) && (b.category != SERVICE || covers(b, a))
}

pub struct Product {
    pub sku: String,
    pub title: String,
    pub category: usize,
    pub brand: &'static str,
    /// The product line ("Lumix S5 II", for services the family covered: "Kaffee").
    pub line: &'static str,
    pub item_group: String,
    pub product_type: String,
    /// Cents.
    pub price: u64,
    pub sale_price: Option<u64>,
    pub availability: &'static str,
    pub stock: u32,
    pub labels: Vec<&'static str>,
    pub highlights: Vec<&'static str>,
    /// Curated partners (SKUs).
    pub related: Vec<String>,
    pub description: String,
    /// How often visitors pick it when they pick at random.
    pub popularity: f64,
    /// The planted partners (indices into the assortment).
    pub partners: Vec<usize>,
}

impl Product {
    pub fn url(&self) -> String {
        format!("/product.html?sku={}", self.sku)
    }
    pub fn image(&self) -> String {
        format!("/img/{}.svg", CATEGORIES[self.category].slug)
    }
}

pub struct Assortment {
    pub products: Vec<Product>,
    /// Per category, the range of its products in `products`.
    pub ranges: Vec<std::ops::Range<usize>>,
}

/// How many products each category gets: by weight, at least one each.
fn shares(total: usize) -> Vec<usize> {
    let weights: u32 = CATEGORIES.iter().map(|c| c.weight).sum();
    let mut counts: Vec<usize> =
        CATEGORIES.iter().map(|c| (total * c.weight as usize / weights as usize).max(1)).collect();
    let n = counts.len();
    let mut i = 0;
    while counts.iter().sum::<usize>() < total {
        counts[i % n] += 1;
        i += 1;
    }
    counts
}

/// A shop price: 1299.00 above 100 euros, 24.90 or 24.99 below.
fn shop_price(rng: &mut Rng, cents: u64) -> u64 {
    let euros = cents / 100;
    if euros >= 100 {
        (euros / 10 * 10 + 9) * 100
    } else {
        euros * 100 + if rng.chance(0.5) { 90 } else { 99 }
    }
}

/// `partners`: every product gets this many planted partners (see `plant_everywhere`).
pub fn generate(rng: &mut Rng, total: usize, partners: Option<usize>) -> Assortment {
    let counts = shares(total);
    let mut products = Vec::with_capacity(total);
    let mut ranges = Vec::with_capacity(CATEGORIES.len());
    for (c, cat) in CATEGORIES.iter().enumerate() {
        let start = products.len();
        let mut group = 0;
        while products.len() - start < counts[c] {
            let (brand, model) = cat.lines[group % cat.lines.len()];
            let t = (group / cat.lines.len()) % cat.tiers.len();
            let edition = group / (cat.lines.len() * cat.tiers.len());
            let tier = &cat.tiers[t];
            let highlights: Vec<&'static str> = cat.tiers[..=t].iter().flat_map(|t| t.adds.iter().copied()).collect();
            let mut base = String::from(brand);
            for part in [model, cat.noun, tier.suffix] {
                if !part.is_empty() {
                    base.push(' ');
                    base.push_str(part);
                }
            }
            // Older model years of a line: their own family, so an upgrade stays within one year.
            let year = if edition > 0 { format!(" ({})", 2026 - edition as i32 % 12) } else { String::new() };
            if edition > 0 {
                base.push_str(&year);
            }
            let raw = rng.between(tier.price.0, tier.price.1);
            let price = shop_price(rng, raw);
            let on_sale = rng.chance(0.12);
            let variants = if cat.variants.is_empty() { 1 } else { 1 + rng.below(cat.variants.len()) };
            let variants = variants.min(counts[c] - (products.len() - start));
            let item_group =
                if cat.variants.is_empty() { String::new() } else { format!("{}-G{:04}", cat.prefix, group + 1) };
            // The upgrade family: one product line, whose tiers are its steps.
            let product_type = format!("{} > {} > {model}{year}", cat.path, cat.noun);
            for v in 0..variants {
                let seq = products.len() - start + 1;
                let title = match cat.variants.get(v) {
                    Some(variant) => format!("{base}, {variant}"),
                    None => base.clone(),
                };
                let price = price + price * v as u64 * cat.variant_step / 100 / 100 * 100;
                let discount = rng.between(75, 90);
                let sale_price = Some(shop_price(rng, price * discount / 100)).filter(|&s| on_sale && s < price);
                let roll = rng.unit();
                let (availability, stock) = match roll {
                    r if r < 0.84 => ("in_stock", rng.between(3, 240) as u32),
                    r if r < 0.92 => ("out_of_stock", 0),
                    r if r < 0.96 => ("backorder", 0),
                    _ => ("preorder", 0),
                };
                let u = rng.unit();
                let popularity = (1.0 + 100.0 * u * u * u) * if cat.consumable { 2.0 } else { 1.0 };
                let mut labels = Vec::new();
                if u > 0.965 {
                    labels.push("bestseller");
                }
                if cat.consumable {
                    labels.push("consumable");
                }
                let description = format!("{} Das Wichtigste: {}.", cat.blurb, highlights.join(", "));
                products.push(Product {
                    sku: format!("{}-{:05}", cat.prefix, seq),
                    title,
                    category: c,
                    brand,
                    line: model,
                    item_group: item_group.clone(),
                    product_type: product_type.clone(),
                    price,
                    sale_price,
                    availability,
                    stock,
                    labels,
                    highlights: highlights.clone(),
                    related: Vec::new(),
                    description,
                    popularity,
                    partners: Vec::new(),
                });
            }
            group += 1;
        }
        ranges.push(start..products.len());
    }
    let mut assortment = Assortment { products, ranges };
    plant(rng, &mut assortment);
    if let Some(k) = partners {
        plant_everywhere(&mut assortment, k);
    }
    assortment
}

/// The partner in category `into` of the `j`-th product of an anchor category:
/// a fixed spread, so every anchor has its own partner where the partner
/// category is large enough.
fn partner_of(j: usize, into: &std::ops::Range<usize>) -> usize {
    into.start + (j * 31 + 7) % into.len()
}

fn plant(rng: &mut Rng, a: &mut Assortment) {
    for (anchor, partners) in PLANTED {
        for (j, i) in a.ranges[anchor].clone().enumerate() {
            for &p in partners {
                let partner = partner_of(j, &a.ranges[p]);
                a.products[i].partners.push(partner);
                // A planted partner is buyable, so the demo always shows it.
                let pp = &mut a.products[partner];
                if pp.availability != "in_stock" {
                    pp.availability = "in_stock";
                    pp.stock = 40;
                }
            }
        }
    }
    // A few curated links, as a merchant sets them by hand.
    for (from, to) in [(KAMERAS, OBJEKTIVE), (VOLLAUTOMATEN, SERVICE), (SMARTPHONES, SERVICE)] {
        for (j, i) in a.ranges[from].clone().enumerate() {
            if rng.chance(0.25) {
                let fitting: Vec<usize> =
                    a.ranges[to].clone().filter(|&k| fit_together(&a.products[i], &a.products[k])).collect();
                if let Some(&k) = fitting.get((j * 3 + 1) % fitting.len().max(1)) {
                    let sku = a.products[k].sku.clone();
                    a.products[i].related.push(sku);
                }
            }
        }
    }
}

/// Every product gets `k` planted partners (those it has already count), as
/// shops' co-purchases go: in communities (one camera system's bodies, lenses,
/// cards and bags; one coffee machine line's beans and descaler). A product
/// at a given share of its category's range takes its partners from the
/// categories it is planted or loosely linked with, in either direction, and
/// from its own, near the same share of theirs: within `k` places of it, at
/// offsets that differ by product, so every product is also some products'
/// partner. Never itself, never a variant of its own item group (the miner
/// does not count those).
fn plant_everywhere(a: &mut Assortment, k: usize) {
    let window = 2 * k + 1;
    for c in 0..CATEGORIES.len() {
        let mut related: Vec<usize> = PLANTED
            .iter()
            .chain(&LOOSE)
            .flat_map(|&(from, to)| {
                let linked = if from == c {
                    to.to_vec()
                } else if to.contains(&c) {
                    vec![from]
                } else {
                    Vec::new()
                };
                linked.into_iter()
            })
            .collect();
        related.push(c);
        related.sort_unstable();
        related.dedup();
        let own_len = a.ranges[c].len();
        for (j, i) in a.ranges[c].clone().enumerate() {
            for m in 0..4 * k {
                if a.products[i].partners.len() >= k {
                    break;
                }
                let into = a.ranges[related[m % related.len()]].clone();
                let centre = j * into.len() / own_len;
                // Within k places of the centre, either side.
                let offset = ((j * 7 + m * 5) % window) as i64 - k as i64;
                let partner = into.start + (centre as i64 + offset).rem_euclid(into.len() as i64) as usize;
                let (own, other) = (&a.products[i], &a.products[partner]);
                let same_group = !own.item_group.is_empty() && own.item_group == other.item_group;
                if partner != i && !same_group && !own.partners.contains(&partner) && fit_together(own, other) {
                    a.products[i].partners.push(partner);
                }
            }
        }
    }
}
