//! Points, tiers, expiry and rewards (issue 5). Pure arithmetic in integer minor
//! units and whole points, with the date passed in.

pub mod earn;
pub mod expiry;
pub mod reward;
pub mod rules;
pub mod tier;
