//! The NPS survey: who sees it and when (eligibility), what is asked and
//! answered (survey; the bodies themselves are `crate::protocol`'s), and the
//! score: which group a score is in and the NPS with its interval.

pub mod eligibility;
pub mod rules;
pub mod score;
pub mod survey;
