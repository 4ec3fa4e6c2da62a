//! The NPS survey: who sees it and when (eligibility), and the score (issue 6).

pub mod rules;
pub mod score;
