//! The base every part of the rules document is checked with: a problem at a
//! JSON path (`RuleError`), a validator that carries the path down to each
//! field (`Problems`), and "did you mean" for misspelt names (`suggest`).
//! Below the sections (`cross_sell::rules`, ...), the targeting and the texts;
//! the document (`rules`) sits above them all.

use std::fmt;

pub mod suggest;

/// A problem in the rules document, at a JSON path such as `cross_sell.limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    pub message: String,
}

impl RuleError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        RuleError { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || self.path == "." {
            f.write_str(&self.message)
        } else {
            write!(f, "at {}: {}", self.path, self.message)
        }
    }
}

/// Collects the problems below one JSON path: a validator names the field and
/// what is wrong with it; the path is carried down for it.
pub struct Problems<'e> {
    path: String,
    errors: &'e mut Vec<RuleError>,
}

impl<'e> Problems<'e> {
    pub fn new(path: impl Into<String>, errors: &'e mut Vec<RuleError>) -> Problems<'e> {
        Problems { path: path.into(), errors }
    }

    /// The path problems are reported at, e.g. `cross_sell.target`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The problems below `field` (a key, or an index such as `[2]`).
    pub fn at(&mut self, field: &str) -> Problems<'_> {
        let path = match (self.path.is_empty(), field.starts_with('[')) {
            (true, _) | (false, true) => format!("{}{field}", self.path),
            (false, false) => format!("{}.{field}", self.path),
        };
        Problems { path, errors: self.errors }
    }

    /// A problem at this path.
    pub fn add(&mut self, message: impl Into<String>) {
        self.errors.push(RuleError::new(self.path.clone(), message));
    }

    /// A problem at `field` below this path.
    pub fn field(&mut self, field: &str, message: impl Into<String>) {
        self.at(field).add(message);
    }

    /// The list itself, for a validator that still takes a path and the list
    /// (`Texts::read`, the sections' `validate`).
    pub fn list(&mut self) -> &mut Vec<RuleError> {
        self.errors
    }

    /// How many problems were found so far, here and elsewhere.
    pub fn count(&self) -> usize {
        self.errors.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_carry_their_path_down_to_each_field() {
        let mut errors = Vec::new();
        let mut section = Problems::new("cross_sell", &mut errors);
        section.field("limit", "expected 1 to 24");
        let mut target = section.at("target");
        target.at("url").field("[2]", "expected a path");
        target.add("contradicts itself");
        assert_eq!(section.count(), 3);
        let paths: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            paths,
            [
                "at cross_sell.limit: expected 1 to 24",
                "at cross_sell.target.url[2]: expected a path",
                "at cross_sell.target: contradicts itself"
            ]
        );
        let mut top = Vec::new();
        Problems::new("", &mut top).field("version", "missing");
        assert_eq!(top[0].to_string(), "at version: missing");
    }
}
