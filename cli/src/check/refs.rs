//! References from the rules into a catalogue: SKUs and category paths that
//! must exist. Sections name most such fields by convention, so this check
//! needs no list per section: a field called `sku`, `skus` or ending in
//! `_sku`/`_skus` holds SKUs, one called `category`, `categories` or ending in
//! `_category`/`_categories` holds category paths. The value may be a string, a
//! list of strings, a list of records (checked field by field), or an object
//! whose keys are the names (per-category settings). The fields named for what
//! they do rather than what they hold are listed in `NAMED`.

use serde_json::Value;
use treue_core::rules::suggest;
use treue_core::rules::target::in_category;
use treue_core::rules::RuleError;
use treue_core::Catalogue;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Sku,
    Category,
}

/// Fields whose names do not say they hold SKUs or categories: an object's
/// keys and the lists it maps them to are names, or a list of names.
const NAMED: &[(&str, Kind)] = &[
    // {"CAM-1": ["SD-64", "BAG-1"]}
    ("cross_sell.links", Kind::Sku),
    // {"Fotografie > Kameras": ["Fotografie > Speicherkarten"]}
    ("cross_sell.complements", Kind::Category),
    // ["Kaffee", "Drucker > Tinte"]
    ("cross_sell.consumable", Kind::Category),
];

fn kind(field: &str) -> Option<Kind> {
    let is = |word: &str| field == word || field.ends_with(&format!("_{word}"));
    if is("sku") || is("skus") {
        Some(Kind::Sku)
    } else if is("category") || is("categories") {
        Some(Kind::Category)
    } else {
        None
    }
}

/// Every SKU or category named under `value` (at `path`) that `catalogue` lacks.
pub fn check(value: &Value, path: &str, catalogue: &Catalogue, errors: &mut Vec<RuleError>) {
    match value {
        Value::Object(members) => {
            for (field, inner) in members {
                let at = format!("{path}.{field}");
                if let Some(&(_, kind)) = NAMED.iter().find(|(named, _)| *named == at) {
                    names(inner, &at, kind, true, catalogue, errors);
                    continue;
                }
                match kind(field) {
                    Some(kind) => names(inner, &at, kind, false, catalogue, errors),
                    None => check(inner, &at, catalogue, errors),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check(item, &format!("{path}[{i}]"), catalogue, errors);
            }
        }
        _ => {}
    }
}

/// Names under a field that holds them. `mapped`: an object maps names to
/// names (`links`, `complements`), not to settings.
fn names(value: &Value, path: &str, kind: Kind, mapped: bool, catalogue: &Catalogue, errors: &mut Vec<RuleError>) {
    match value {
        Value::String(name) => one(name, path, kind, catalogue, errors),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("{path}[{i}]");
                match item {
                    // A list of records, such as `{"category": ..., "multiplier": 200}`.
                    Value::Object(_) => check(item, &at, catalogue, errors),
                    _ => names(item, &at, kind, false, catalogue, errors),
                }
            }
        }
        Value::Object(members) => {
            for (name, inner) in members {
                let at = format!("{path}.{name}");
                one(name, &at, kind, catalogue, errors);
                if mapped {
                    names(inner, &at, kind, false, catalogue, errors);
                } else {
                    check(inner, &at, catalogue, errors);
                }
            }
        }
        _ => {}
    }
}

fn one(name: &str, path: &str, kind: Kind, catalogue: &Catalogue, errors: &mut Vec<RuleError>) {
    let message = match kind {
        Kind::Sku if catalogue.id(name).is_none() => suggest::with_hint(
            format!("no product with SKU {name:?} in the catalogue"),
            name,
            catalogue.products().map(|p| p.sku()),
        ),
        Kind::Category if !catalogue.categories.iter().any(|c| in_category(c, name)) => suggest::with_hint(
            format!(
                "no category {name:?} in the catalogue (a full path such as \"Fotografie > Kameras\", or its start)"
            ),
            name,
            catalogue.categories.iter().map(String::as_str),
        ),
        _ => return,
    };
    errors.push(RuleError { path: path.to_string(), message });
}

#[cfg(test)]
mod tests {
    use super::*;
    use treue_core::catalogue::CatalogueDoc;

    fn catalogue() -> Catalogue {
        let doc: CatalogueDoc = serde_json::from_value(serde_json::json!({
            "version": 1, "currency": "EUR", "products": [
                {"sku": "CAM-1", "title": "Kamera", "url": "/cam-1", "price": 49900, "category": "Fotografie > Kameras"},
                {"sku": "SD-64", "title": "Karte", "url": "/sd-64", "price": 1900, "category": "Fotografie > Speicherkarten"}
            ]
        }))
        .unwrap();
        doc.into_catalogue().unwrap()
    }

    fn problems(section: Value) -> Vec<String> {
        let mut errors = Vec::new();
        check(&section, "cross_sell", &catalogue(), &mut errors);
        errors.into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn finds_unknown_skus_and_categories_by_field_name() {
        let found = problems(serde_json::json!({
            "pinned_skus": ["CAM-1", "CAM-2"],
            "links": [{"sku": "SD-64", "with_skus": ["SD-46"]}],
            "excluded_categories": ["Fotografie", "Haushalt"],
            "target": {"cart_categories": ["Fotografie > Kameras", "Fotografie > Kamera"]},
            "multiplier_by_category": {"Fotografie > Speicherkarten": 2, "Garten": 3},
            "limit": 4, "title": "CAM-9"
        }));
        assert_eq!(
            found,
            [
                "at cross_sell.excluded_categories[1]: no category \"Haushalt\" in the catalogue (a full path such as \"Fotografie > Kameras\", or its start)",
                "at cross_sell.links[0].with_skus[0]: no product with SKU \"SD-46\" in the catalogue; did you mean `SD-64`?",
                "at cross_sell.multiplier_by_category.Garten: no category \"Garten\" in the catalogue (a full path such as \"Fotografie > Kameras\", or its start)",
                "at cross_sell.pinned_skus[1]: no product with SKU \"CAM-2\" in the catalogue; did you mean `CAM-1`?",
                "at cross_sell.target.cart_categories[1]: no category \"Fotografie > Kamera\" in the catalogue (a full path such as \"Fotografie > Kameras\", or its start); did you mean `Fotografie > Kameras`?",
            ]
        );
    }

    #[test]
    fn links_complements_and_consumables_are_checked_too() {
        let found = problems(serde_json::json!({
            "links": {"CAM-1": ["SD-64", "RAD-0001"], "CAM-2": ["SD-64"]},
            "complements": {"Fotografie > Kameras": ["Zubehör > Schloesser", "Fotografie > Speicherkarte"]},
            "consumable": ["Fotografie > Speicherkarten", "Kaffe"]
        }));
        assert_eq!(
            found,
            [
                "at cross_sell.complements.Fotografie > Kameras[0]: no category \"Zubehör > Schloesser\" in the catalogue (a full path such as \"Fotografie > Kameras\", or its start)",
                "at cross_sell.complements.Fotografie > Kameras[1]: no category \"Fotografie > Speicherkarte\" in the catalogue (a full path such as \"Fotografie > Kameras\", or its start); did you mean `Fotografie > Speicherkarten`?",
                "at cross_sell.consumable[1]: no category \"Kaffe\" in the catalogue (a full path such as \"Fotografie > Kameras\", or its start)",
                "at cross_sell.links.CAM-1[1]: no product with SKU \"RAD-0001\" in the catalogue",
                "at cross_sell.links.CAM-2: no product with SKU \"CAM-2\" in the catalogue; did you mean `CAM-1`?",
            ]
        );
    }

    #[test]
    fn records_in_a_list_are_checked_field_by_field() {
        let mut errors = Vec::new();
        let earn = serde_json::json!({"categories": [{"category": "Fotografie", "multiplier": 200}, {"category": "Garten", "multiplier": 50}]});
        check(&earn, "loyalty.earn", &catalogue(), &mut errors);
        let found: Vec<String> = errors.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(
            found,
            ["at loyalty.earn.categories[1].category: no category \"Garten\" in the catalogue (a full path such as \"Fotografie > Kameras\", or its start)"]
        );
    }

    #[test]
    fn field_names_decide() {
        assert!(kind("sku") == Some(Kind::Sku) && kind("upgrade_skus") == Some(Kind::Sku));
        assert!(kind("categories") == Some(Kind::Category) && kind("cart_category") == Some(Kind::Category));
        assert!(kind("skus_limit").is_none() && kind("subcategory").is_none() && kind("title").is_none());
    }
}
