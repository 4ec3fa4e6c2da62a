use super::*;

fn lines(report: &Report) -> Vec<String> {
    report
        .problems
        .iter()
        .map(|p| {
            let at = if p.path.is_empty() { String::new() } else { format!("at {}: ", p.path) };
            format!("{}:{}: {at}{}", p.line, p.column, p.message)
        })
        .collect()
}

#[test]
fn syntax_errors_have_line_and_column() {
    let report = check("rules.json", "{\n  \"version\": 1,\n  \"cross_sell\": {\"limit\": 4,}\n}", None);
    assert_eq!(report.problems.len(), 1);
    let p = &report.problems[0];
    assert_eq!((p.line, p.column, p.kind), (3, 29, "syntax"));
    assert_eq!(p.message, "trailing comma");
}

#[test]
fn every_problem_in_one_run_in_file_order() {
    let text = r#"{
  "$schema": "../pkg/rules.schema.json",
  "version": 1,
  "measure": { "collector": "mailto:x" },
  "cross_sell": {
    "limt": 4
  },
  "loyality": {},
  "texts": { "en": { "cross_sell.titel": "Also" } }
}"#;
    let report = check("rules.json", text, None);
    assert_eq!(
        lines(&report),
        [
            "4:16: at measure.collector: expected an http(s) URL or a path starting with /, found \"mailto:x\"",
            "6:5: at cross_sell.limt: unknown field `limt`, expected one of `target`, `enabled`, `limit`, `per_category`, `links`, `complements`, `consumable`, `exclude`, `price`; did you mean `limit`?",
            "8:3: at loyality: unknown key `loyality`: expected a widget section (cross_sell, upgrade, measure, loyalty, nps) or a setting ($schema, version, locale, texts); did you mean `loyalty`?",
            "9:22: at texts.en.cross_sell.titel: unknown text `cross_sell.titel`; did you mean `cross_sell.title`?",
        ]
    );
    assert_eq!(report.disabled, ["cross_sell", "measure"]);
    assert!(report.problems.iter().all(|p| p.kind == "rules"));
}

#[test]
fn not_an_object() {
    let report = check("rules.json", "[1, 2]", None);
    assert_eq!(lines(&report).len(), 1);
    assert!(lines(&report)[0].starts_with("1:1: expected a JSON object"), "{:?}", lines(&report));
}

fn catalogue() -> Catalogue {
    let doc: CatalogueDoc = serde_json::from_value(serde_json::json!({
        "version": 1, "currency": "EUR", "products": [
            {"sku": "CAM-1", "title": "Kamera", "url": "/cam-1", "price": 49900, "category": "Fotografie > Kameras"}
        ]
    }))
    .unwrap();
    doc.into_catalogue().unwrap()
}

#[test]
fn catalogue_references_are_checked_when_a_catalogue_is_given() {
    // `target` is shared by every section, so its categories are checked the same way.
    let text = "{\n  \"version\": 1,\n  \"nps\": { \"x_categories\": [\"Fotografie\", \"Garten\"] }\n}";
    let without = check("rules.json", text, None);
    assert!(without.problems.iter().all(|p| p.kind == "rules"));
    let with = check("rules.json", text, Some(&catalogue()));
    let refs: Vec<&Problem> = with.problems.iter().filter(|p| p.kind == "catalogue").collect();
    assert_eq!(refs.len(), 1, "{with:?}");
    assert_eq!((refs[0].line, refs[0].path.as_str()), (3, "nps.x_categories[1]"));
}

#[test]
fn reads_json_catalogues_and_names_unreadable_ones() {
    let dir = std::env::temp_dir().join(format!("treue-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("catalogue.json");
    std::fs::write(&good, serde_json::to_vec(&CatalogueDoc::from_catalogue(&catalogue())).unwrap()).unwrap();
    assert_eq!(read_catalogue(&good).unwrap().len(), 1);
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "<html>").unwrap();
    assert!(read_catalogue(&bad).unwrap_err().contains("neither a treue payload nor a JSON catalogue"));
    assert!(read_catalogue(&dir.join("missing.bin")).unwrap_err().contains("could not be read"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_schema_describes_the_document() {
    let schema: Value = serde_json::from_str(&schema()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(schema["additionalProperties"], Value::Bool(false));
    let properties = &schema["properties"];
    for key in ["$schema", "version", "locale", "texts", "cross_sell", "upgrade", "measure", "loyalty", "nps"] {
        assert!(properties.get(key).is_some(), "{key} missing from the schema");
    }
    assert!(properties["locale"]["description"].as_str().unwrap_or_default().contains("\"de\" or \"en\""));
    // Text keys are offered with the built-in wording.
    let texts = schema.pointer("/definitions/Texts/properties/en/properties/cross_sell.title/description");
    assert_eq!(texts.and_then(Value::as_str), Some("Built in: \"Goes well with it\""));
    // The shared targeting object is closed to unknown keys, with its criteria described.
    let target = serde_json::to_value(schemars::schema_for!(rules::target::Target)).unwrap();
    assert_eq!(target["additionalProperties"], Value::Bool(false));
    assert!(target["properties"]["holdout"]["description"].as_str().unwrap_or_default().contains("control group"));
}

/// Every example in examples/rules checks clean: they are what marketers copy.
#[test]
fn every_example_checks_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/rules");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let report = check(&path.display().to_string(), &text, None);
            assert_eq!(lines(&report), Vec::<String>::new(), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 6, "expected an example per lever, found {seen}");
}

#[test]
fn type_errors_are_worded_for_the_marketer() {
    let text = "{\n  \"version\": 1,\n  \"cross_sell\": { \"limit\": \"vier\" },\n  \"upgrade\": { \"limit\": 300 },\n  \"nps\": { \"survey\": 5 }\n}";
    let report = check("rules.json", text, None);
    assert_eq!(
        lines(&report),
        [
            "3:19: at cross_sell.limit: expected a whole number from 0 to 255, found the text \"vier\"",
            "4:16: at upgrade.limit: expected a whole number from 0 to 255, found the number 300",
            "5:12: at nps.survey: expected a text, found the number 5",
        ]
    );
}

#[test]
fn every_sku_and_category_the_rules_name_is_looked_up() {
    let text = r#"{
  "version": 1,
  "cross_sell": {
    "links": { "CAM-1": ["RAD-0001"] },
    "complements": { "Fotografie > Kameras": ["Zubehör > Schloesser"] },
    "consumable": ["Fotografie > Kamera"]
  }
}"#;
    let report = check("rules.json", text, Some(&catalogue()));
    assert_eq!(
        lines(&report),
        [
            "4:26: at cross_sell.links.CAM-1[0]: no product with SKU \"RAD-0001\" in the catalogue",
            "5:47: at cross_sell.complements.Fotografie > Kameras[0]: no category \"Zubehör > Schloesser\" in the catalogue (a full path such as \"Fotografie > Kameras\", or its start)",
            "6:20: at cross_sell.consumable[0]: no category \"Fotografie > Kamera\" in the catalogue (a full path such as \"Fotografie > Kameras\", or its start); did you mean `Fotografie > Kameras`?",
        ]
    );
}
