//! `treue compile` and `treue inspect` as a merchant runs them.

use std::path::{Path, PathBuf};

use treue_core::catalogue::{Availability, CatalogueDoc};

mod common;

use common::{text, treue};

fn dir(name: &str) -> PathBuf {
    common::dir("compile", name)
}

const PRODUCTS: &str = "\
sku,title,url,image,price,sale_price,currency,category,brand,item_group,product_type,availability,labels,highlights,related
CAM-1,Lumix S5,/product.html?sku=CAM-1,/img/cam.svg,\"1299,00\",,EUR,Fotografie > Kameras,Panasonic,S5,Kamera,in stock,bestseller,4K|IBIS,SD-64|BAG-1
CAM-2,\"Lumix S5, Silber\",/product.html?sku=CAM-2,/img/cam.svg,1299.00,,EUR,Fotografie > Kameras,Panasonic,S5,Kamera,preorder,,,
SD-64,SDXC 64 GB,/product.html?sku=SD-64,/img/sd.svg,24.90,19.9,EUR,Fotografie > Speicherkarten,SanDisk,,,,consumable,,
BAG-1,Tasche,/product.html?sku=BAG-1,,59,,EUR,Fotografie > Taschen,,,,out_of_stock,,,
";

/// CAM-1 & BAG-1 share 2 of 5 orders (lift 2·5/(3·2) = 1.67); CAM-1 & SD-64 share 2 but
/// SD-64 is in 4 (lift 2·5/(3·4) = 0.83); CAM-1 & CAM-2 are variants.
const ORDERS: &str = "\
order_id,customer_id,sku,quantity,date
1,c1,CAM-1,1,2026-01-01
1,c1,BAG-1,1,2026-01-01
1,c1,SD-64,2,2026-01-01
2,c2,CAM-1,1,2026-01-02
2,c2,BAG-1,1,2026-01-02
2,c2,CAM-2,1,2026-01-02
3,c3,SD-64,1,2026-01-03T09:30:00+01:00
4,c4,SD-64,1,2026-01-04
4,c4,CAM-2,1,2026-01-04
5,c5,SD-64,1,2026-01-05
5,c5,CAM-1,1,2026-01-05
";

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

fn inspect(path: &str) -> CatalogueDoc {
    let out = treue(&["inspect", path]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn csv_and_orders_compile_to_a_payload_that_inspects_as_the_browser_json() {
    let d = dir("csv_and_orders");
    let (products, orders) = (write(&d, "products.csv", PRODUCTS), write(&d, "orders.csv", ORDERS));
    let out_path = d.join("catalogue.bin").display().to_string();
    let out = treue(&["compile", "--products", &products, "--orders", &orders, "--out", &out_path]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("4 products used, 0 skipped; 11 order lines used, 0 skipped, 5 orders"));
    assert!(std::fs::read(&out_path).unwrap().starts_with(b"TRUE\x03\x00"));

    let doc = inspect(&out_path);
    assert_eq!(doc.currency, "EUR");
    let p = |sku: &str| doc.products.iter().find(|p| p.sku == sku).unwrap();
    let cam = p("CAM-1");
    assert_eq!((cam.price, cam.sale_price), (129_900, None));
    assert_eq!(cam.category, "Fotografie > Kameras");
    assert_eq!(cam.group.as_deref(), Some("S5"));
    assert_eq!(cam.highlights, ["4K", "IBIS"]);
    assert_eq!(cam.labels, ["bestseller"]);
    assert_eq!(cam.curated, ["SD-64", "BAG-1"]);
    assert_eq!(cam.orders, 3);
    // Ranked by confidence: 2 of CAM-1's 3 orders hold SD-64, 2 hold BAG-1 (a tie, the
    // lower id first); CAM-2 is a variant. BAG-1 -> CAM-1 is 2/2, the strongest, so
    // 2/3 is step round(2/3 · 255) = 170.
    assert_eq!(cam.neighbours.iter().map(|n| n.sku.as_str()).collect::<Vec<_>>(), ["SD-64", "BAG-1"]);
    assert_eq!(cam.neighbours.iter().map(|n| n.score).collect::<Vec<_>>(), [170 * 257, 170 * 257]);
    assert_eq!(p("BAG-1").neighbours.iter().map(|n| n.sku.as_str()).collect::<Vec<_>>(), ["CAM-1"]);
    assert_eq!((p("SD-64").price, p("SD-64").sale_price), (2490, Some(1990)));
    assert_eq!(p("SD-64").orders, 4);
    assert_eq!(p("CAM-2").availability, Availability::Preorder);
    assert_eq!(p("BAG-1").availability, Availability::OutOfStock);
    assert_eq!(p("BAG-1").image, None);

    // What inspect prints is a JSON catalogue the browser (and inspect) accepts, unchanged.
    let json_path = write(&d, "catalogue.json", &serde_json::to_string(&doc).unwrap());
    assert_eq!(inspect(&json_path), doc);
    doc.clone().into_catalogue().unwrap();
}

#[test]
fn the_fixture_json_catalogue_inspects_to_itself() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/catalogue.json");
    let expected: CatalogueDoc = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let mut expected = expected.into_catalogue().map(|c| CatalogueDoc::from_catalogue(&c)).unwrap();
    let got = inspect(fixture);
    assert_eq!(got, expected);
    expected.version = 2;
    assert_ne!(got, expected);
}

#[test]
fn bad_rows_are_reported_by_file_line_and_field_and_skipped() {
    let d = dir("bad_rows");
    let products = PRODUCTS.to_string()
        + "X-1,Ohne Preis,/x,,,,EUR,X,,,,,,,\n"
        + "X-2,Dollar,/x,,1.00,,USD,X,,,,,,,\n"
        + "X-3,Bruch,/x,,1.005,,EUR,X,,,,,,,\n"
        + "X-4,Lager,/x,,1.00,,EUR,X,,,,vielleicht,,,\n"
        + "CAM-1,Doppelt,/x,,1.00,,EUR,X,,,,,,,GHOST\n";
    let orders = ORDERS.to_string() + "6,c6,GHOST,1,2026-01-06\n6,c6,SD-64,0,2026-01-06\n6,c6,SD-64,1,gestern\n";
    let (p, o) = (write(&d, "products.csv", &products), write(&d, "orders.csv", &orders));
    let out_path = d.join("c.bin").display().to_string();
    let out = treue(&["compile", "--products", &p, "--orders", &o, "--out", &out_path]);
    assert!(out.status.success());
    let err = text(&out.stderr);
    for expected in [
        format!("{p}:6: price: is empty (required)"),
        format!("{p}:7: currency: USD differs from the catalogue's currency EUR"),
        format!("{p}:8: price: \"1.005\" has more than 2 digits after the separator"),
        format!("{p}:9: availability: \"vielleicht\" is not one of in_stock, out_of_stock, preorder, backorder"),
        format!("{p}:10: sku: duplicate sku \"CAM-1\" (first on line 2)"),
        format!("{o}:13: sku: unknown sku \"GHOST\""),
        format!("{o}:14: quantity: \"0\" is not a whole number"),
        format!("{o}:15: date: \"gestern\" is not a date"),
        "4 products used, 5 skipped; 11 order lines used, 3 skipped".to_string(),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in\n{err}");
    }
    assert_eq!(inspect(&out_path).products.len(), 4);

    // --strict: the first problem stops the run and nothing is written.
    let strict_out = d.join("strict.bin");
    let out = treue(&["compile", "--products", &p, "--out", &strict_out.display().to_string(), "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains(&format!("(--strict): {p}:6: price: is empty")), "{}", text(&out.stderr));
    assert!(!strict_out.exists());

    // --json: one object per problem, then the summary.
    let out = treue(&["compile", "--products", &p, "--orders", &o, "--out", &out_path, "--json"]);
    let lines: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 8 + 1);
    assert_eq!(lines[0]["problem"]["line"], 6);
    assert_eq!(lines[0]["problem"]["field"], "price");
    assert_eq!(lines[8]["summary"]["products_skipped"], 5);
    assert_eq!(lines[8]["summary"]["order_lines_used"], 11);
}

#[test]
fn header_problems_stop_the_run_naming_the_columns() {
    let d = dir("header");
    let p = write(&d, "p.csv", "sku,title,url,price,currency,category,colour,size\nA,A,/a,1,EUR,X,rot,M\n");
    let out = treue(&["compile", "--products", &p, "--out", &d.join("c.bin").display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unknown column(s) \"colour\", \"size\""), "{}", text(&out.stderr));
    let p = write(&d, "q.csv", "sku,title,url,currency,category\nA,A,/a,EUR,X\n");
    let out = treue(&["compile", "--products", &p, "--out", &d.join("c.bin").display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("required column(s) missing: price"));
    let out = treue(&["compile", "--out", "x.bin"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn orders_that_are_not_contiguous_are_reported_and_split() {
    let d = dir("split");
    let p = write(&d, "p.csv", PRODUCTS);
    let o = write(
        &d,
        "o.csv",
        "order_id,customer_id,sku,quantity,date\n1,c,CAM-1,1,2026-01-01\n2,c,SD-64,1,2026-01-01\n1,c,BAG-1,1,2026-01-01\n",
    );
    let out = treue(&["compile", "--products", &p, "--orders", &o, "--out", &d.join("c.bin").display().to_string()]);
    assert!(out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{o}:4: order_id: order \"1\" continues after other orders")), "{err}");
    assert!(err.contains("3 orders"), "{err}");
}

const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
<channel>
<title>Shop</title>
<item>
  <g:id>CAM-1</g:id>
  <g:title>Lumix S5 &amp; Objektiv &#8211; Set</g:title>
  <g:link>https://shop.example/p/cam-1</g:link>
  <g:image_link>https://shop.example/img/cam-1.jpg</g:image_link>
  <g:price>1299.00 EUR</g:price>
  <g:sale_price>1199.00 EUR</g:sale_price>
  <g:availability>in stock</g:availability>
  <g:brand>Panasonic</g:brand>
  <g:product_type>Fotografie &gt; Kameras</g:product_type>
  <g:google_product_category>Cameras &amp; Optics &gt; Cameras</g:google_product_category>
  <g:item_group_id>S5</g:item_group_id>
  <g:custom_label_0>bestseller</g:custom_label_0>
  <g:custom_label_3>consumable</g:custom_label_3>
  <g:product_highlight>4K60</g:product_highlight>
  <g:product_highlight><![CDATA[Dual <I.S.>]]></g:product_highlight>
  <g:shipping><g:country>DE</g:country><g:price>4.90 EUR</g:price></g:shipping>
</item>
<item>
  <title>SD-Karte</title>
  <link>https://shop.example/p/sd-64</link>
  <g:id>SD-64</g:id>
  <g:price>24,90 EUR</g:price>
  <g:google_product_category>Electronics &gt; Memory</g:google_product_category>
  <g:availability>out of stock</g:availability>
</item>
<item>
  <g:id>X</g:id>
  <g:title>Ohne Preis</g:title>
  <g:link>/x</g:link>
  <g:google_product_category>1</g:google_product_category>
</item>
</channel>
</rss>
"#;

#[test]
fn google_feeds_compile_with_g_fields() {
    let d = dir("feed");
    let f = write(&d, "feed.xml", FEED);
    let out_path = d.join("c.bin").display().to_string();
    let out = treue(&["compile", "--feed", &f, "--out", &out_path]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(&format!("{f}:31: g:price: is empty (required)")), "{}", text(&out.stderr));
    let doc = inspect(&out_path);
    assert_eq!(doc.products.len(), 2);
    let cam = &doc.products[0];
    assert_eq!(cam.title, "Lumix S5 & Objektiv – Set");
    assert_eq!((cam.price, cam.sale_price), (129_900, Some(119_900)));
    assert_eq!(cam.category, "Fotografie > Kameras"); // product_type wins over Google's category
    assert_eq!(cam.product_type.as_deref(), Some("Fotografie > Kameras"));
    assert_eq!(cam.labels, ["bestseller", "consumable"]);
    assert_eq!(cam.highlights, ["4K60", "Dual <I.S.>"]);
    assert_eq!(cam.image.as_deref(), Some("https://shop.example/img/cam-1.jpg"));
    let sd = &doc.products[1];
    assert_eq!((sd.title.as_str(), sd.url.as_str()), ("SD-Karte", "https://shop.example/p/sd-64"));
    assert_eq!(sd.category, "Electronics > Memory");
    assert_eq!(sd.price, 2490);
    assert_eq!(sd.availability, Availability::OutOfStock);

    let broken = write(&d, "broken.xml", "<rss><channel><item><g:id>1</g:id></item>");
    let out = treue(&["compile", "--feed", &broken, "--out", &out_path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("not a well-formed XML feed"), "{}", text(&out.stderr));
}

#[test]
fn inspect_refuses_other_payload_versions_and_damaged_files() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/version-99.bin");
    let out = treue(&["inspect", fixture]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("version 99 is not supported"), "{}", text(&out.stderr));
    let d = dir("inspect_damaged");
    let (p, o) = (write(&d, "p.csv", PRODUCTS), write(&d, "o.csv", ORDERS));
    let path = d.join("c.bin");
    assert!(treue(&["compile", "--products", &p, "--orders", &o, "--out", &path.display().to_string()])
        .status
        .success());
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    let out = treue(&["inspect", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("checksum mismatch"), "{}", text(&out.stderr));
}
