//! Targeting shared by every widget's rules section: who sees a widget
//! (`target`), its A/B arms (`variant`) and how visitors are split among
//! them and the holdout (`split`). Under the sections, beside the base they
//! are checked with (`validate`).

pub mod split;
pub mod target;
pub mod variant;
