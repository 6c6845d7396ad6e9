//! Gazetteer errors: every problem names `path:line: reason`, and all problems of a load are
//! reported together so an editor can fix a file in one pass.

use std::fmt;

/// One problem found while loading a gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Path of the file as the operator knows it (relative to the gazetteer root for the
    /// bundled set).
    pub path: String,
    /// 1-based line number, when the problem belongs to one line.
    pub line: Option<usize>,
    /// What is wrong, in words that say what to fix.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.reason),
            None => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

/// A gazetteer that was rejected whole. Nothing of it is ever served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct GazetteerError {
    /// Every problem found, in file and line order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for GazetteerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(
            f,
            "gazetteer rejected ({count} problem{})",
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

impl GazetteerError {
    /// An error with a single problem.
    pub fn single(path: impl Into<String>, line: Option<usize>, reason: impl Into<String>) -> Self {
        Self {
            problems: vec![Problem {
                path: path.into(),
                line,
                reason: reason.into(),
            }],
        }
    }
}

/// The path of problems that belong to no one file.
pub(crate) const WHOLE: &str = "(gazetteer)";

/// Collects problems while a load goes on, so one bad row does not hide the next.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub(crate) Vec<Problem>);

impl Problems {
    pub(crate) fn add(&mut self, path: &str, line: usize, reason: impl Into<String>) {
        self.0.push(Problem {
            path: path.to_owned(),
            line: Some(line),
            reason: reason.into(),
        });
    }

    pub(crate) fn add_file(&mut self, path: &str, reason: impl Into<String>) {
        self.0.push(Problem {
            path: path.to_owned(),
            line: None,
            reason: reason.into(),
        });
    }

    /// The problems in file and line order (a file's own problems first), whichever check
    /// found them: an editor fixes a file top to bottom. Problems of the whole gazetteer
    /// (`(gazetteer)`: no entity file at all) come last.
    pub(crate) fn into_result(mut self) -> Result<(), GazetteerError> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.sort_by(|a, b| {
            let key = |p: &Problem| (p.path == WHOLE, p.path.clone(), p.line);
            key(a).cmp(&key(b))
        });
        Err(GazetteerError { problems: self.0 })
    }
}
