//! The NPS survey: who sees it and when (eligibility), the survey's stages on
//! one page (flow), what is asked and answered (survey; the bodies themselves are
//! `crate::protocol`'s), the queue of what
//! goes to the collector (outbox), and the score.

pub mod eligibility;
pub mod flow;
pub mod outbox;
pub mod rules;
pub mod score;
pub mod survey;
