//! Upgrades: a higher-value item of the same family within the price step the
//! rules allow, with what the visitor gains for the difference (issue 4).

pub mod rules;
