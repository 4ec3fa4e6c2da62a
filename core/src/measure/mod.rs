//! Measuring what the widgets earn: the holdout (control group) and the
//! events in GA4's e-commerce shape (issue 4).

pub mod rules;
