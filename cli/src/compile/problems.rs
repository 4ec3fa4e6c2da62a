//! What was wrong with the input: every problem names file, line and field, is
//! printed as it is found (so memory does not grow with bad rows), and counted.
//! With `--strict` the first one stops the run. Warnings are printed the same
//! way but the row is used, and `--strict` does not stop at them.

use std::fmt;
use std::io::{BufWriter, Write};

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    /// 1-based line in the file; 0 when the problem is not tied to a line.
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.field.is_empty()) {
            (0, true) => write!(f, "{}: {}", self.file, self.message),
            (0, false) => write!(f, "{}: {}: {}", self.file, self.field, self.message),
            (line, true) => write!(f, "{}:{line}: {}", self.file, self.message),
            (line, false) => write!(f, "{}:{line}: {}: {}", self.file, self.field, self.message),
        }
    }
}

/// Why the run stopped without writing a payload.
#[derive(Debug)]
pub struct Fatal(pub String);

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for Fatal {
    fn from(e: std::io::Error) -> Self {
        Fatal(e.to_string())
    }
}

pub struct Problems {
    strict: bool,
    json: bool,
    /// Buffered: a broken export can have millions of bad rows.
    out: BufWriter<Box<dyn Write>>,
    pub count: u64,
    pub warnings: u64,
    /// Kept for tests and callers that want to look; bounded.
    pub first: Vec<Problem>,
}

const KEEP: usize = 100;

impl Problems {
    pub fn new(strict: bool, json: bool) -> Self {
        let out: Box<dyn Write> = if json { Box::new(std::io::stdout()) } else { Box::new(std::io::stderr()) };
        Problems { strict, json, out: BufWriter::new(out), count: 0, warnings: 0, first: Vec::new() }
    }

    /// Problems printed nowhere, kept in `first` for a caller to report
    /// elsewhere (taken from it as they come, so never more than it holds).
    pub fn held() -> Self {
        let out: Box<dyn Write> = Box::new(std::io::sink());
        Problems { strict: false, json: false, out: BufWriter::new(out), count: 0, warnings: 0, first: Vec::new() }
    }

    /// Records a problem; in strict mode it becomes the reason to stop.
    pub fn report(&mut self, problem: Problem) -> Result<(), Fatal> {
        self.count += 1;
        if self.json {
            let line = serde_json::to_string(&serde_json::json!({ "problem": &problem })).unwrap_or_default();
            let _ = writeln!(self.out, "{line}");
        } else if !self.strict {
            let _ = writeln!(self.out, "{problem}");
        }
        if self.strict {
            return Err(Fatal(format!("stopped at the first problem (--strict): {problem}")));
        }
        if self.first.len() < KEEP {
            self.first.push(problem);
        }
        Ok(())
    }
}

impl Problems {
    /// Something the merchant should look at, though the row is used.
    pub fn warn(&mut self, problem: Problem) -> Result<(), Fatal> {
        self.warnings += 1;
        if self.json {
            let line = serde_json::to_string(&serde_json::json!({ "warning": &problem })).unwrap_or_default();
            let _ = writeln!(self.out, "{line}");
        } else {
            let _ = writeln!(self.out, "{problem}");
        }
        if self.first.len() < KEEP {
            self.first.push(problem);
        }
        Ok(())
    }
}

impl Drop for Problems {
    fn drop(&mut self) {
        let _ = self.out.flush();
    }
}

/// Builds problems for one file.
#[derive(Clone)]
pub struct Place {
    pub file: String,
    /// A Google feed: fields are named as the merchant wrote them (`g:id`, not `sku`).
    pub feed: bool,
}

impl Place {
    pub fn at(&self, line: u64, field: &str, message: impl Into<String>) -> Problem {
        let field = if self.feed { feed_name(field) } else { field };
        Problem { file: self.file.clone(), line, field: field.to_string(), message: message.into() }
    }
}

fn feed_name(field: &str) -> &str {
    match field {
        "sku" => "g:id",
        "title" => "g:title",
        "url" => "g:link",
        "image" => "g:image_link",
        "price" | "currency" => "g:price",
        "sale_price" => "g:sale_price",
        "category" => "g:product_type",
        "brand" => "g:brand",
        "group" => "g:item_group_id",
        "availability" => "g:availability",
        other => other,
    }
}
