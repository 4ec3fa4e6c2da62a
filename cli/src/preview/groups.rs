//! The A/B arms and holdout groups a preview can put its visitor in. Groups
//! are a hash of the widget and the visitor id (`treue_core::targeting::split`),
//! so a group is chosen by choosing a visitor id that the same hash puts there:
//! the preview never bends the split, it only picks who is looking.

use serde::Serialize;
use treue_core::rules::target::Target;
use treue_core::rules::{split, Rules, Section};

/// One group a visitor can be in, with an id that lands there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The section, e.g. "upgrade".
    pub section: &'static str,
    /// "holdout", "shown" (no variants) or the variant's name.
    pub group: String,
    /// A visitor id in this group; as the customer id for a customer.
    pub visitor: String,
}

/// How many ids are tried per group: a variant of weight 1 among 100 still
/// has a visitor within a few hundred, and a 0.1 % holdout within a few thousand.
const TRIES: u32 = 100_000;

/// Every group of every targeted section in `rules`.
pub fn groups(rules: &Rules) -> Vec<Group> {
    let mut out = Vec::new();
    if let Some(s) = &rules.cross_sell {
        of(s, &mut out);
    }
    if let Some(s) = &rules.upgrade {
        of(s, &mut out);
    }
    if let Some(s) = &rules.loyalty {
        of(s, &mut out);
    }
    if let Some(s) = &rules.nps {
        of(s, &mut out);
    }
    out
}

fn of<S: Section>(section: &S, out: &mut Vec<Group>) {
    let Some(target) = section.target() else { return };
    let key = S::KEY;
    if target.holdout > 0.0 {
        push(out, key, "holdout", |id| split::in_holdout(target.holdout, key, id));
    }
    if target.variants.is_empty() {
        if target.holdout > 0.0 {
            push(out, key, "shown", |id| !split::in_holdout(target.holdout, key, id));
        }
        return;
    }
    for variant in &target.variants {
        push(out, key, &variant.name, |id| in_variant(target, key, id, &variant.name));
    }
}

fn in_variant(target: &Target, key: &str, id: &str, name: &str) -> bool {
    !split::in_holdout(target.holdout, key, id)
        && split::variant(&target.variants, key, id).is_some_and(|v| v.name == name)
}

fn push(out: &mut Vec<Group>, section: &'static str, group: &str, lands: impl Fn(&str) -> bool) {
    let found = (0..TRIES).map(|i| format!("preview-{i}")).find(|id| lands(id));
    if let Some(visitor) = found {
        out.push(Group { section, group: group.to_string(), visitor });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(json: &str) -> Rules {
        treue_core::rules::load(serde_json::from_str::<serde_json::Value>(json).unwrap()).unwrap().rules
    }

    #[test]
    fn each_group_gets_a_visitor_the_split_puts_there() {
        let rules = rules(
            r#"{"version":1,"upgrade":{"target":{"holdout":0.2,"variants":[{"name":"a"},{"name":"b","weight":3}]}},
                "nps":{"target":{"holdout":0.5}}}"#,
        );
        let found = groups(&rules);
        let names: Vec<_> = found.iter().map(|g| format!("{}:{}", g.section, g.group)).collect();
        assert_eq!(names, ["upgrade:holdout", "upgrade:a", "upgrade:b", "nps:holdout", "nps:shown"]);
        let target = rules.upgrade.as_ref().unwrap().target.as_ref().unwrap();
        assert!(split::in_holdout(0.2, "upgrade", &found[0].visitor));
        assert!(in_variant(target, "upgrade", &found[1].visitor, "a"));
        assert!(in_variant(target, "upgrade", &found[2].visitor, "b"));
        assert!(!in_variant(target, "upgrade", &found[2].visitor, "a"));
        assert!(!split::in_holdout(0.5, "nps", &found[4].visitor));
    }

    #[test]
    fn untargeted_sections_have_no_groups() {
        assert!(groups(&rules(r#"{"version":1,"cross_sell":{},"upgrade":{"target":{"page":["cart"]}}}"#)).is_empty());
    }
}
