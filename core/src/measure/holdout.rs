//! The holdout: a fixed share of visitors, the control group, sees no
//! suggestions, so that what the suggestions earn can be measured against it.
//! Assignment is a hash of the experiment name and the visitor id: the same
//! visitor is in the same group on every page and every visit.

use serde::{Deserialize, Serialize};

use crate::targeting::split::in_holdout;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Sees the suggestions.
    Treatment,
    /// Sees none; only an exposure event records what it would have seen.
    Control,
}

impl Group {
    pub const ALL: [Group; 2] = [Group::Treatment, Group::Control];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Treatment => "treatment",
            Group::Control => "control",
        }
    }
}

/// The group of `visitor` when `share` (0.0 to 1.0) of all visitors are held
/// out. The same stable hash as a widget's own `target.holdout`
/// (`targeting::split`), keyed by the experiment's name instead of the widget's.
pub fn assign(experiment: &str, visitor: &str, share: f64) -> Group {
    if in_holdout(share, experiment, visitor) {
        Group::Control
    } else {
        Group::Treatment
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn controls(experiment: &str, share: f64, n: usize) -> usize {
        (0..n).filter(|i| assign(experiment, &format!("v-{i:016x}"), share) == Group::Control).count()
    }

    #[test]
    fn the_share_is_held_out_and_nobody_at_zero() {
        assert_eq!(controls("treue", 0.0, 10_000), 0);
        assert_eq!(controls("treue", 1.0, 1_000), 1_000);
        // 10 % of 20,000: binomial standard deviation ~42, so 1,850..2,150 is > 3.5 sigma.
        let held = controls("treue", 0.1, 20_000);
        assert!((1_850..=2_150).contains(&held), "{held}");
        let half = controls("treue", 0.5, 20_000);
        assert!((9_750..=10_250).contains(&half), "{half}");
    }

    #[test]
    fn a_visitor_keeps_the_group_and_a_new_experiment_reshuffles() {
        let ids: Vec<String> = (0..2_000).map(|i| format!("v-{i}")).collect();
        let first: Vec<Group> = ids.iter().map(|v| assign("treue", v, 0.5)).collect();
        let again: Vec<Group> = ids.iter().map(|v| assign("treue", v, 0.5)).collect();
        assert_eq!(first, again);
        let other: Vec<Group> = ids.iter().map(|v| assign("winter", v, 0.5)).collect();
        let moved = first.iter().zip(&other).filter(|(a, b)| a != b).count();
        assert!((800..=1_200).contains(&moved), "{moved}");
        // Growing the share only moves visitors into control, never out of it.
        for v in &ids {
            if assign("treue", v, 0.1) == Group::Control {
                assert_eq!(assign("treue", v, 0.2), Group::Control);
            }
        }
    }
}
