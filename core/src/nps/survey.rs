//! What a visitor answers: the answer and the survey's displays and
//! dismissals. Their bodies are the contract with collectors and live in
//! [`crate::protocol`]; the widget reads them here under the survey's name.

pub use crate::protocol::{random_id, Answer, Reason, SurveyEvent, DISMISSED, MAX_COMMENT_CHARS, SHOWN};
