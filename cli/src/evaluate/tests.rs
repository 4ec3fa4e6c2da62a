//! A history small enough to work out by hand.

use std::path::PathBuf;

use super::*;
use crate::compile::shop::ProductsFile;

/// Training (before 2026-03-10): A B, A B, A C, A C, A B, D.
/// Held out: A B, C D, A C.
fn shop(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("treue-evaluate-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let products = dir.join("products.csv");
    let mut csv = String::from("sku,title,url,price,currency,category\n");
    for sku in ["A", "B", "C", "D"] {
        csv += &format!("{sku},Produkt {sku},/p/{sku},1.00,EUR,Kategorie {sku}\n");
    }
    std::fs::write(&products, csv).unwrap();
    let orders = dir.join("orders.csv");
    let baskets: [(&[&str], u32); 9] = [
        (&["A", "B"], 1),
        (&["A", "B"], 2),
        (&["A", "C"], 3),
        (&["A", "C"], 4),
        (&["A", "B"], 5),
        (&["D"], 6),
        (&["A", "B"], 10),
        (&["C", "D"], 11),
        (&["A", "C"], 12),
    ];
    let mut csv = String::from("order_id,sku,date\n");
    for (i, (skus, day)) in baskets.iter().enumerate() {
        for sku in *skus {
            csv += &format!("O{i},{sku},2026-03-{day:02}\n");
        }
    }
    std::fs::write(&orders, csv).unwrap();
    (products, orders)
}

fn args(products: PathBuf, orders: PathBuf) -> Args {
    Args {
        products: ProductsFile { products: Some(products), feed: None },
        orders,
        rules: None,
        holdout_days: None,
        holdout_from: Date::parse("2026-03-10"),
        k: Some(2),
        mining: MiningOptions {
            top_k: Some(10),
            min_support: 2,
            ranking: Some(Ranking::Confidence),
            half_life_days: None,
        },
        input: Default::default(),
        max_baskets: 100,
        seed: 1,
        json: true,
    }
}

#[test]
fn hit_rate_and_mrr_match_a_history_worked_out_by_hand() {
    let (products, orders) = shop("by-hand");
    let report = evaluate(&args(products, orders), &mut Problems::new(true, true)).unwrap();
    assert_eq!((report.training_orders, report.held_out_orders, report.evaluated_baskets), (6, 3, 3));
    // n(A) 5, n(B) 3, n(C) 2, n(D) 1: A and B make the first half of the 11 purchases.
    assert_eq!(report.head_products, 2);
    // Partners by confidence: A -> B (3/5), C (2/5); B -> A; C -> A; D none.
    // Shop bestsellers fill up: A, B, C, D. Each basket has two items, so
    // the product page (the other item) and the cart (the rest) are the same case.
    //   A B: hide A, B shows [A, C]: hit at 1.  hide B, A shows [B, C]: hit at 1.
    //   C D: hide C, D shows [A, B]: miss.      hide D, C shows [A, B]: miss.
    //   A C: hide A, C shows [A, B]: hit at 1.  hide C, A shows [B, C]: hit at 2.
    let treue = &report.methods[0];
    assert_eq!(treue.name, "treue (confidence)");
    for f in [&treue.product_page, &treue.cart] {
        assert_eq!(f.cases, 6);
        assert!((f.hit_rate - 4.0 / 6.0).abs() < 1e-12, "{f:?}");
        assert!((f.mrr - 3.5 / 6.0).abs() < 1e-12, "{f:?}");
        // Per basket hits (2, 0, 2) of 2 cases around p = 2/3: residuals 2/3, -4/3, 2/3;
        // sqrt(8/3 · 3/2) / 6 = 1/3.
        assert!((f.hit_rate_se - 1.0 / 3.0).abs() < 1e-12, "{f:?}");
        // A, B and C were shown, D never: 3 of 4 products.
        assert_eq!(f.coverage, 0.75);
        // Hidden C, D, C are outside the head: one hit (C behind B) in three.
        assert_eq!(f.long_tail_cases, 3);
        assert!((f.long_tail_hit_rate - 1.0 / 3.0).abs() < 1e-12, "{f:?}");
    }
    // Bestsellers ignore the anchor: [A, B] less the cart, then C.
    //   hide A (cart B): [A, C] hit.  hide B (cart A): [B, C] hit.  hide C (cart D): [A, B] miss.
    //   hide D (cart C): [A, B] miss. hide A (cart C): [A, B] hit.  hide C (cart A): [B, C] hit at 2.
    let bestsellers = &report.methods[1];
    assert_eq!(bestsellers.name, "bestsellers");
    assert!((bestsellers.cart.hit_rate - 4.0 / 6.0).abs() < 1e-12);
    assert!((bestsellers.cart.mrr - 3.5 / 6.0).abs() < 1e-12);
}

#[test]
fn holding_out_by_days_counts_back_from_the_newest_order() {
    let (products, orders) = shop("days");
    let mut a = args(products, orders);
    a.holdout_from = None;
    a.holdout_days = Some(2); // 2026-03-11 and 12: the last two orders
    let report = evaluate(&a, &mut Problems::new(true, true)).unwrap();
    assert_eq!((report.holdout_from.as_str(), report.held_out_orders), ("2026-03-11", 2));
    assert_eq!(report.methods[0].cart.cases, 4);
}

/// 20 pairs (A_i, R_i) and 6 staples in most orders: each day A_i is bought once
/// with R_i and twice with all staples. Confidence puts the six staples first
/// (2/3 > 1/3) and R_i seventh, behind the limit of 4; cosine puts R_i first, since
/// R_i is bought with nothing else (1 / sqrt(3 · 1) = 0.58 against 2 / sqrt(3 · 64) = 0.14).
fn staples_and_pairs(days: i32) -> (Shop, Orders) {
    let products: Vec<treue_core::catalogue::ProductRecord> = (0..46)
        .map(|i| treue_core::catalogue::ProductRecord {
            sku: format!("P{i}"),
            title: format!("Produkt {i}"),
            url: format!("/p/{i}"),
            price: 100,
            ..Default::default()
        })
        .collect();
    let skus = products.iter().enumerate().map(|(i, p)| (p.sku.clone(), i as ProductId)).collect();
    let shop = Shop {
        products,
        categories: vec!["Alles".into()],
        skus,
        currency: "EUR".into(),
        rows: 46,
        read: String::new(),
    };
    let (staples, a, r) = (0..6u32, |i: u32| 6 + i, |i: u32| 26 + i);
    let mut orders = Orders::default();
    let start = Date::parse("2026-01-01").unwrap();
    for day in 0..days {
        let mut baskets: Vec<Vec<ProductId>> = Vec::new();
        for i in 0..20 {
            baskets.push(vec![a(i), r(i)]);
            baskets.push(staples.clone().chain([a(i)]).collect());
            baskets.push(staples.clone().chain([a(i)]).collect());
        }
        baskets.extend((0..24).map(|_| staples.clone().collect()));
        for mut b in baskets {
            b.sort_unstable();
            orders.items.extend_from_slice(&b);
            orders.ends.push(orders.items.len());
            orders.dates.push(Some(start.add_days(day)));
        }
    }
    (shop, orders)
}

#[test]
fn compile_tunes_the_ranking_on_the_latest_orders_and_keeps_the_better_one() {
    let (shop, orders) = staples_and_pairs(10);
    let options = MiningOptions { top_k: None, min_support: 2, ranking: None, half_life_days: None };
    let tuning = tune(&shop, &orders, &options).unwrap().expect("enough held-out baskets");
    // The last 2 of 10 days are the latest fifth.
    assert_eq!(tuning.holdout_from, "2026-01-09");
    let trial =
        |ranking, top_k| tuning.trials.iter().find(|t| t.ranking == ranking && t.top_k == top_k).unwrap().clone();
    let (confidence, cosine) = (trial(Ranking::Confidence, 10), trial(Ranking::Cosine, 10));
    assert!(cosine.product_page_hit_rate > confidence.product_page_hit_rate, "{:?}", tuning.trials);
    // Tempered also puts R_i first: 8 / (24^¾ · 8^¼) = 0.44 against 16 / (24^¾ · 512^¼) = 0.31
    // over the 8 training days; as good as cosine, so the wider coverage of the two is kept.
    let tempered = trial(Ranking::Tempered, 10);
    assert_eq!(tempered.product_page_hit_rate, cosine.product_page_hit_rate);
    assert_ne!(tuning.ranking, Ranking::Confidence);
    let chosen = trial(tuning.ranking, 10);
    assert!(chosen.coverage >= tempered.coverage.max(cosine.coverage));
    // No product has more than 7 partners, so 20 find nothing more: 10 are kept.
    assert_eq!(tuning.top_k, 10);
    assert!(tuning.trials.iter().any(|t| t.top_k == 20));
}

#[test]
fn tuning_and_mining_together_counts_every_order_once_as_mining_them_all_would() {
    let (shop, orders) = staples_and_pairs(10);
    let counts = |m: &Miner| {
        let mut pairs: Vec<_> = m.pairs().map(|(a, b, c)| (a, b, c.n, c.w.to_bits())).collect();
        pairs.sort_unstable();
        let single: Vec<_> = (0..46).map(|i| m.product_orders(i)).collect();
        (pairs, single, m.orders(), m.big_baskets)
    };
    for half_life_days in [None, Some(3.0)] {
        let options = MiningOptions { top_k: None, min_support: 2, ranking: None, half_life_days };
        let (tuning, mined) = tune_and_mine(&shop, &orders, &options).unwrap();
        let mut all = Miner::new(shop::groups(&shop.products), half_life_days);
        all.add_all(orders.len(), |i| (orders.get(i), orders.date(i)));
        assert!(all.pair_count() > 100);
        assert_eq!(counts(&mined), counts(&all), "half-life {half_life_days:?}");
        // The same choice as tuning on its own.
        let alone = tune(&shop, &orders, &options).unwrap().expect("enough held-out baskets");
        let tuning = tuning.expect("enough held-out baskets");
        assert_eq!((tuning.ranking, tuning.top_k, tuning.baskets), (alone.ranking, alone.top_k, alone.baskets));
    }
}

/// A trial with these hits per basket, each basket giving `cases` cases (half product page, half cart).
fn trial(hits: &[u32], cases: u32, coverage: f64, top_k: usize) -> Trial {
    let rate = f64::from(hits.iter().sum::<u32>()) / f64::from(cases * hits.len() as u32);
    Trial {
        ranking: Ranking::Confidence,
        top_k,
        product_page_hit_rate: rate,
        cart_hit_rate: rate,
        coverage,
        difference_se: 0.0,
        hits: hits.to_vec(),
    }
}

#[test]
fn a_trial_is_as_good_as_the_best_within_two_standard_errors_of_the_difference() {
    // Three baskets of two items: 4 cases each.
    let sizes = [2, 2, 2];
    // Best: 8 of 12. B: 7 of 12, differences per basket (0, -1, 0) around -1/12 · 4:
    // residuals 1/3, -2/3, 1/3; sqrt(6/9 · 3/2) / 12 = 1/12, and 1/12 below is within 2/12.
    // C: 4 of 12, differences (-2, -2, 0) around -4/3: residuals -2/3, -2/3, 4/3;
    // sqrt(24/9 · 3/2) / 12 = 1/6, and 1/3 below is not less than 2/6.
    let mut trials = [trial(&[4, 4, 0], 4, 0.2, 40), trial(&[4, 3, 0], 4, 0.5, 20), trial(&[2, 2, 0], 4, 0.9, 10)];
    assert_eq!(as_good_as_best(&mut trials, &sizes, 0.0), [0, 1]);
    assert!((trials[1].difference_se - 1.0 / 12.0).abs() < 1e-12);
    assert!((trials[2].difference_se - 1.0 / 6.0).abs() < 1e-12);
    assert_eq!(trials[0].difference_se, 0.0);
    // A margin of 2/5 takes C in as well (1/3 below), whatever its standard error.
    assert_eq!(as_good_as_best(&mut trials, &sizes, 0.4), [0, 1, 2]);
    // The ranking: the widest coverage of A and B (C covers more but finds less).
    assert_eq!(widest_of_the_best(&mut trials, &sizes), 1);
    // The partners kept: the fewest of A (40) and B (20).
    assert_eq!(fewest_of_the_best(&mut trials, &sizes), 20);
}

#[test]
fn more_partners_must_find_half_a_point_more_to_be_kept() {
    // Four baskets of 500 items, 1,000 cases each. 40 partners find all; 10 partners miss
    // the same number in every basket, so the difference has no standard error at all:
    // significant however small, but 4 misses per basket (0.4 points) are not worth the bytes
    // and 6 (0.6 points) are.
    let sizes = [500; 4];
    let mut trials = [trial(&[1_000; 4], 1_000, 0.5, 40), trial(&[996; 4], 1_000, 0.5, 10)];
    assert_eq!(as_good_as_best(&mut trials, &sizes, 0.0), [0]);
    assert_eq!(fewest_of_the_best(&mut trials, &sizes), 10);
    let mut trials = [trial(&[1_000; 4], 1_000, 0.5, 40), trial(&[994; 4], 1_000, 0.5, 10)];
    assert_eq!(fewest_of_the_best(&mut trials, &sizes), 40);
}
