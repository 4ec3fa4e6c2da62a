//! The order history, written as it is generated: one order at a time, so
//! millions of lines need no more memory than the assortment.

use std::io::{self, Write};

use treue_core::date::Date;

use super::assortment::{fit_together, Assortment, CATEGORIES, LOOSE};
use super::rng::{Rng, Weighted};

/// How likely an anchor's order holds each planted partner.
pub const PARTNER_CHANCE: f64 = 0.65;
/// How likely an anchor's order holds a product of a loosely related category.
const LOOSE_CHANCE: f64 = 0.15;
/// Share of orders built around an anchor (camera, coffee machine, shoe, phone).
const ANCHOR_ORDERS: f64 = 0.45;

pub struct Plan {
    pub lines: usize,
    pub until: Date,
    pub months: i32,
}

/// Writes `orders.csv` rows (with header) and returns (orders, lines) written.
pub fn write(out: &mut impl Write, rng: &mut Rng, a: &Assortment, plan: &Plan) -> io::Result<(usize, usize)> {
    writeln!(out, "order_id,customer_id,sku,quantity,date")?;
    let first = plan.until.add_months(-plan.months).add_days(1);
    let days = first.days_until(plan.until) as usize + 1;
    let customers = (plan.lines / 20).clamp(300, 1_000_000);
    // Big-ticket anchors come with their partners; they rarely turn up as noise.
    let anyone =
        Weighted::new(
            a.products.iter().map(|p| if p.partners.is_empty() { p.popularity } else { p.popularity / 10.0 }),
        );
    let anchors: Vec<usize> = (0..a.products.len()).filter(|&i| !a.products[i].partners.is_empty()).collect();
    let anchor = Weighted::new(anchors.iter().map(|&i| a.products[i].popularity));
    // Per loosely related category, what a buyer of the anchor category may take from it
    // (of service contracts only the line that covers the anchor's family).
    let loose: Vec<(usize, Vec<Vec<usize>>)> = LOOSE
        .iter()
        .filter(|&&(c, _)| !a.ranges[c].is_empty())
        .map(|&(c, to)| {
            let anchor = &a.products[a.ranges[c].start];
            (
                c,
                to.iter()
                    .map(|&t| a.ranges[t].clone().filter(|&k| fit_together(anchor, &a.products[k])).collect())
                    .collect(),
            )
        })
        .collect();

    let mut items: Vec<usize> = Vec::with_capacity(16);
    let (mut orders, mut lines) = (0, 0);
    while lines < plan.lines {
        items.clear();
        let mut noise = 1 + rng.below(3);
        if !anchors.is_empty() && rng.chance(ANCHOR_ORDERS) {
            let main = anchors[anchor.draw(rng)];
            items.push(main);
            for &partner in &a.products[main].partners {
                if rng.chance(PARTNER_CHANCE) {
                    items.push(partner);
                }
            }
            for (_, lists) in loose.iter().filter(|(c, _)| *c == a.products[main].category) {
                for list in lists.iter().filter(|l| !l.is_empty()) {
                    if rng.chance(LOOSE_CHANCE) {
                        items.push(list[rng.below(list.len())]);
                    }
                }
            }
            noise = rng.below(2);
        }
        for _ in 0..noise {
            items.push(anyone.draw(rng));
        }
        dedup_keep_order(&mut items);

        orders += 1;
        // Chronological: the day follows the share of lines written so far.
        let day = first.add_days((lines * days / plan.lines.max(1)) as i32);
        // A few loyal customers buy often; most buy once or twice.
        let u = rng.unit();
        let customer = (customers as f64 * u * u) as usize + 1;
        for &i in &items {
            let p = &a.products[i];
            let quantity = if CATEGORIES[p.category].consumable && rng.chance(0.4) { 2 + rng.below(2) } else { 1 };
            writeln!(out, "B{orders:07},K{customer:06},{},{quantity},{day}", p.sku)?;
            lines += 1;
        }
    }
    Ok((orders, lines))
}

fn dedup_keep_order(items: &mut Vec<usize>) {
    let mut seen = 0;
    for k in 0..items.len() {
        if !items[..seen].contains(&items[k]) {
            items[seen] = items[k];
            seen += 1;
        }
    }
    items.truncate(seen);
}
