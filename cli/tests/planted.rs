//! The whole chain a merchant runs, on the sample shop's order history with
//! planted associations: `treue sample` → `treue compile` → the payload the
//! browser decodes → `cross_sell::suggest`. Every anchor with enough orders
//! gets its planted partners first after the merchant's curated links, as the
//! reason "bought together".

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use treue_core::cross_sell::rules::CrossSellRules;
use treue_core::cross_sell::{self, Bestsellers, Context, Reason};
use treue_core::payload;

fn run(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_treue")).args(args).output().unwrap();
    assert!(out.status.success(), "treue {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn planted_partners_come_first_after_compiling_the_sample_history() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("planted");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let d = |f: &str| dir.join(f).to_string_lossy().into_owned();
    run(&["sample", "--out", &d(""), "--products", "600", "--order-lines", "60000", "--seed", "3"]);
    run(&["compile", "--products", &d("products.csv"), "--orders", &d("orders.csv"), "--out", &d("catalogue.bin")]);

    let catalogue = payload::decode(std::fs::read(d("catalogue.bin")).unwrap()).unwrap();
    let mut planted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in std::fs::read_to_string(d("planted.csv")).unwrap().lines().skip(1) {
        let (anchor, partner) = line.split_once(',').unwrap();
        planted.entry(anchor.to_string()).or_default().push(partner.to_string());
    }

    let bestsellers = Bestsellers::new(&catalogue);
    let rules = CrossSellRules { limit: 8, ..CrossSellRules::default() };
    let mut checked = 0;
    for (anchor, partners) in &planted {
        let id = catalogue.id(anchor).unwrap();
        // A planted pair needs a few orders before any miner can see it.
        if catalogue.product(id).orders() < 30 {
            continue;
        }
        let out = cross_sell::suggest(&catalogue, &bestsellers, &rules, &Context::product(id, Vec::new()));
        // The merchant's own links come first by design; the mined ones follow.
        let mined: Vec<_> = out.iter().filter(|s| !matches!(s.reason, Reason::Curated { .. })).collect();
        let head: Vec<&str> = mined.iter().take(partners.len()).map(|s| catalogue.product(s.product).sku()).collect();
        let mut want: Vec<&str> = partners.iter().map(String::as_str).collect();
        let mut got = head.clone();
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want, "{anchor}: planted partners {partners:?} first, got {head:?}");
        assert!(mined.iter().take(partners.len()).all(|s| matches!(s.reason, Reason::BoughtTogether { .. })));
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} anchors had enough orders to check");
}
