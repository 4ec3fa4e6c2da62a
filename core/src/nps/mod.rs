//! The NPS survey: who sees it and when (eligibility), the survey's stages on
//! one page (flow), the queue of what goes to the collector (outbox), and the
//! score. What is answered (the bodies, reasons and limits) is the contract
//! with collectors, `crate::protocol`.

pub mod eligibility;
pub mod flow;
pub mod outbox;
pub mod rules;
pub mod score;
