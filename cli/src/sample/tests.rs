use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use treue_core::date::Date;

use super::{generate, Args, PRODUCTS_HEADER};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("treue-sample-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    d
}

fn sample(name: &str, products: usize, order_lines: usize, seed: u64) -> PathBuf {
    sample_with(name, products, order_lines, seed, None)
}

fn sample_with(name: &str, products: usize, order_lines: usize, seed: u64, partners: Option<u8>) -> PathBuf {
    let out = dir(name);
    let until = Date::parse("2026-11-24").unwrap();
    let args = Args { out: out.clone(), products, order_lines, seed, until, partners };
    generate(&args).unwrap();
    out
}

/// A minimal CSV reader (quoted fields with doubled quotes), enough for our own output.
fn rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| {
            let mut cells = vec![String::new()];
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '"' if quoted && chars.peek() == Some(&'"') => {
                        chars.next();
                        cells.last_mut().unwrap().push('"');
                    }
                    '"' => quoted = !quoted,
                    ',' if !quoted => cells.push(String::new()),
                    _ => cells.last_mut().unwrap().push(c),
                }
            }
            cells
        })
        .collect()
}

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap()
}

#[test]
fn the_same_seed_gives_the_same_shop_and_another_seed_another() {
    let a = sample("seed-a", 200, 5_000, 7);
    let b = sample("seed-b", 200, 5_000, 7);
    let c = sample("seed-c", 200, 5_000, 8);
    for file in ["products.csv", "orders.csv", "shop.json", "planted.csv"] {
        assert_eq!(read(&a, file), read(&b, file), "{file} differs for one seed");
    }
    assert_ne!(read(&a, "products.csv"), read(&c, "products.csv"));
    assert_ne!(read(&a, "orders.csv"), read(&c, "orders.csv"));
}

#[test]
fn products_csv_has_the_fixed_header_and_well_formed_rows() {
    let d = sample("format", 600, 2_000, 1);
    let text = read(&d, "products.csv");
    let all = rows(&text);
    assert_eq!(text.lines().next().unwrap(), PRODUCTS_HEADER);
    let products = &all[1..];
    assert_eq!(products.len(), 600);
    let skus: HashSet<&str> = products.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(skus.len(), 600, "SKUs are unique");
    let mut categories = HashSet::new();
    let (mut sales, mut out_of_stock, mut groups) = (0, 0, HashMap::<&str, usize>::new());
    let money = |s: &str| {
        let (euros, cents) = s.split_once('.').expect("a decimal point");
        assert!(!euros.is_empty() && euros.bytes().all(|b| b.is_ascii_digit()) && cents.len() == 2, "{s}");
        euros.parse::<u64>().unwrap() * 100 + cents.parse::<u64>().unwrap()
    };
    for r in products {
        assert_eq!(r.len(), 15, "{r:?}");
        let sku = &r[0];
        assert_eq!(r[2], format!("/product.html?sku={sku}"));
        assert!(r[3].starts_with("/img/") && r[3].ends_with(".svg"), "{}", r[3]);
        let price = money(&r[4]);
        assert!(price >= 900, "{sku} costs {price}");
        if !r[5].is_empty() {
            assert!(money(&r[5]) < price, "{sku}: the sale price is lower");
            sales += 1;
        }
        assert_eq!(r[6], "EUR");
        assert!(r[7].contains(" > "), "a category path: {}", r[7]);
        categories.insert(r[7].clone());
        assert!(!r[8].is_empty(), "{sku} has a brand");
        if !r[9].is_empty() {
            *groups.entry(&r[9]).or_default() += 1;
        }
        assert!(r[10].starts_with(&r[7]), "the product type lies below the category");
        assert!(["in_stock", "out_of_stock", "preorder", "backorder"].contains(&r[11].as_str()), "{}", r[11]);
        out_of_stock += (r[11] == "out_of_stock") as usize;
        for label in r[12].split('|').filter(|l| !l.is_empty()) {
            assert!(["bestseller", "consumable"].contains(&label), "{label}");
        }
        assert!(!r[13].is_empty(), "{sku} has highlights");
        for related in r[14].split('|').filter(|l| !l.is_empty()) {
            assert!(skus.contains(related), "{sku} relates to {related}, which exists");
        }
    }
    assert!(categories.len() >= 10, "{categories:?}");
    assert!(sales > 20 && out_of_stock > 10, "sales {sales}, out of stock {out_of_stock}");
    assert!(groups.values().filter(|&&n| n > 1).count() > 20, "item groups of several variants");
    assert!(products.iter().any(|r| r[1].contains(',')), "titles with commas are quoted and read back whole");
}

#[test]
fn support_contracts_form_an_upgrade_family_whose_higher_step_adds_highlights() {
    let d = sample("upgrade", 600, 1_000, 1);
    let all = rows(&read(&d, "products.csv"));
    let contracts: Vec<_> =
        all[1..].iter().filter(|r| r[10] == "Service > Service-Verträge > Support-Vertrag > Geräte").collect();
    let basis = contracts.iter().find(|r| r[1].ends_with("Basis")).expect("a basic contract");
    let premium = contracts.iter().find(|r| r[1].ends_with("Premium")).expect("a premium contract");
    assert!(basis[13].contains("Mo-Fr 8-18 Uhr"));
    assert!(premium[13].contains("rund um die Uhr"));
    assert!(premium[13].starts_with(&basis[13]), "the higher step keeps what the lower offers and adds to it");
    assert!(premium[4].parse::<f64>().unwrap() > basis[4].parse::<f64>().unwrap());
}

#[test]
fn orders_csv_is_contiguous_dated_and_about_the_asked_size() {
    let d = sample("orders", 600, 20_000, 3);
    let text = read(&d, "orders.csv");
    let all = rows(&text);
    assert_eq!(all[0].join(","), "order_id,customer_id,sku,quantity,date");
    let lines = &all[1..];
    assert!(lines.len() >= 20_000 && lines.len() < 20_020, "{} lines", lines.len());
    let skus: HashSet<String> = rows(&read(&d, "products.csv"))[1..].iter().map(|r| r[0].clone()).collect();
    let (first, last) = (Date::parse("2025-05-25").unwrap(), Date::parse("2026-11-24").unwrap());
    let mut finished = HashSet::new();
    let mut current = String::new();
    let mut customers = HashSet::new();
    let (mut earliest, mut latest) = (last, first);
    for r in lines {
        assert_eq!(r.len(), 5);
        if r[0] != current {
            assert!(finished.insert(r[0].clone()), "order {} is contiguous", r[0]);
            current = r[0].clone();
        }
        customers.insert(r[1].clone());
        assert!(skus.contains(&r[2]), "{} is a product", r[2]);
        assert!(r[3].parse::<u32>().unwrap() >= 1);
        assert_eq!(r[4].len(), 10);
        let day = Date::parse(&r[4]).unwrap();
        assert!(day >= first && day <= last, "{day} lies in the 18 months");
        earliest = earliest.min(day);
        latest = latest.max(day);
    }
    assert!(earliest.days_until(latest) > 500, "spread over the whole period");
    assert!((300..=5_000).contains(&customers.len()), "{} customers", customers.len());
}

#[test]
fn planted_partners_are_bought_together_far_more_than_anything_else() {
    let d = sample("planted", 600, 60_000, 1);
    let mut orders: HashMap<String, Vec<String>> = HashMap::new();
    for r in &rows(&read(&d, "orders.csv"))[1..] {
        orders.entry(r[0].clone()).or_default().push(r[2].clone());
    }
    let mut together: HashMap<&str, HashMap<&str, u32>> = HashMap::new();
    for items in orders.values() {
        for a in items {
            for b in items.iter().filter(|b| *b != a) {
                *together.entry(a).or_default().entry(b).or_default() += 1;
            }
        }
    }
    let mut planted: HashMap<String, Vec<String>> = HashMap::new();
    for r in &rows(&read(&d, "planted.csv"))[1..] {
        planted.entry(r[0].clone()).or_default().push(r[1].clone());
    }
    // Camera, coffee machine, shoe and phone anchors all have planted partners.
    for prefix in ["KAM-", "KVA-", "LAU-", "SMA-"] {
        assert!(planted.keys().any(|k| k.starts_with(prefix)), "{prefix} anchors");
    }
    let mut checked = 0;
    for (anchor, partners) in &planted {
        let Some(with) = together.get(anchor.as_str()) else { continue };
        let orders_of_anchor = orders.values().filter(|items| items.contains(anchor)).count();
        if orders_of_anchor < 30 {
            continue;
        }
        let weakest_partner = partners.iter().map(|p| with.get(p.as_str()).copied().unwrap_or(0)).min().unwrap();
        let strongest_other =
            with.iter().filter(|(sku, _)| !partners.iter().any(|p| p == *sku)).map(|(_, &n)| n).max().unwrap_or(0);
        assert!(
            weakest_partner > 2 * strongest_other,
            "{anchor}: planted partners {weakest_partner} times, other products up to {strongest_other}"
        );
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} anchors with enough orders");
}

#[test]
fn with_partners_every_product_has_that_many_other_partners_outside_its_item_group() {
    let d = sample_with("partners", 700, 1_000, 3, Some(10));
    let products = rows(&read(&d, "products.csv"));
    let group: HashMap<&str, &str> = products[1..].iter().map(|r| (r[0].as_str(), r[9].as_str())).collect();
    let mut planted: HashMap<String, HashSet<String>> = HashMap::new();
    let mut lines = 0;
    for r in &rows(&read(&d, "planted.csv"))[1..] {
        let (sku, partner) = (&r[0], &r[1]);
        assert_ne!(sku, partner, "{sku} is planted as its own partner");
        let g = group[sku.as_str()];
        assert!(g.is_empty() || g != group[partner.as_str()], "{sku} and {partner} are variants of {g}");
        planted.entry(sku.clone()).or_default().insert(partner.clone());
        lines += 1;
    }
    assert_eq!(planted.len(), 700, "every product has planted partners");
    assert!(planted.values().all(|p| p.len() == 10), "ten each");
    assert_eq!(lines, 7_000, "no partner twice");
}

#[test]
fn too_few_products_for_the_categories_is_a_clear_error() {
    let args = Args {
        out: dir("few"),
        products: 5,
        order_lines: 10,
        seed: 1,
        until: Date::parse("2026-11-24").unwrap(),
        partners: None,
    };
    assert!(generate(&args).unwrap_err().contains("at least 14"));
}

#[test]
fn every_category_picture_the_sample_names_exists_in_the_demo_shop() {
    let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("../www");
    for category in super::assortment::CATEGORIES.iter() {
        let image = www.join(format!("img/{}.svg", category.slug));
        assert!(image.is_file(), "{} is missing", image.display());
    }
}

#[test]
fn service_contracts_are_bought_and_linked_only_with_the_family_their_line_covers() {
    let d = sample("service-lines", 600, 60_000, 1);
    let products = rows(&read(&d, "products.csv"));
    // The product type ends in the line, older model years with theirs: "Kaffee (2025)".
    let line = |r: &Vec<String>| r[10].rsplit(" > ").next().unwrap().split(" (").next().unwrap().to_string();
    let info: HashMap<String, (String, String)> =
        products[1..].iter().map(|r| (r[0].clone(), (r[7].clone(), line(r)))).collect();
    let fits = |anchor_category: &str, service_line: &str| match anchor_category {
        "Fotografie > Kameras" | "Fotografie > Objektive" | "Fotografie > Stative" => service_line == "Foto",
        "Kaffee > Kaffeevollautomaten" => service_line == "Kaffee",
        _ => service_line == "Geräte",
    };
    let is_service = |sku: &str| info[sku].0 == "Service > Service-Verträge";
    let mut linked = 0;
    for r in &products[1..] {
        for related in r[14].split('|').filter(|s| !s.is_empty() && is_service(s)) {
            assert!(fits(&r[7], &info[related].1), "{} ({}) is linked to {related} ({})", r[0], r[7], info[related].1);
            linked += 1;
        }
    }
    assert!(linked >= 5, "only {linked} curated service links");
    // In orders built around a coffee machine or a camera, every contract fits it.
    let mut orders: HashMap<String, Vec<String>> = HashMap::new();
    for r in &rows(&read(&d, "orders.csv"))[1..] {
        orders.entry(r[0].clone()).or_default().push(r[2].clone());
    }
    let mut seen = HashMap::<&str, u32>::new();
    for items in orders.values() {
        let main = &items[0];
        let category = info[main].0.as_str();
        if !matches!(category, "Kaffee > Kaffeevollautomaten" | "Fotografie > Kameras") {
            continue;
        }
        // The anchor's partners follow it; noise comes last and may be anything.
        for sku in items.iter().skip(1).take(4).filter(|s| is_service(s)) {
            *seen.entry(if fits(category, &info[sku].1) { "fits" } else { "misfits" }).or_default() += 1;
        }
    }
    let (fit, misfit) = (seen.get("fits").copied().unwrap_or(0), seen.get("misfits").copied().unwrap_or(0));
    assert!(fit > 3 * misfit, "contracts in anchor orders: {fit} fit, {misfit} do not");
}
