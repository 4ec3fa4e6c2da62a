//! The NPS survey: who sees it and when (eligibility), what is asked and
//! answered (survey), and the score (issue 6).

pub mod eligibility;
pub mod rules;
pub mod score;
pub mod survey;
