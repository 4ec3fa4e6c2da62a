//! Measuring what the widgets earn: the holdout (control group) and the
//! events in GA4's e-commerce shape (issue 4).

pub mod event;
pub mod holdout;
pub mod rules;
