//! Stable codes that name territories, police points, agencies and officers across imports.

use std::fmt;

/// A stable, human-readable identifier such as `SHY-ALF-Q01`: 1–64 characters from `A–Z a–z 0–9 - _ .`.
///
/// Codes are what files and URLs use; database ids never leave the store.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code(String);

/// Why a string is not a [`Code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// The code is empty.
    #[error("the code is empty")]
    Empty,
    /// The code is longer than 64 characters.
    #[error("the code {0:?} is longer than 64 characters")]
    TooLong(String),
    /// The code has a character outside `A–Z a–z 0–9 - _ .`.
    #[error("the code {code:?} contains {found:?}; only A-Z, a-z, 0-9, '-', '_' and '.' are allowed")]
    BadChar {
        /// The code as given.
        code: String,
        /// The first offending character.
        found: char,
    },
}

impl Code {
    /// Parses a code, trimming surrounding white space.
    ///
    /// # Errors
    ///
    /// [`CodeError`] says what is wrong.
    pub fn parse(raw: &str) -> Result<Code, CodeError> {
        let code = raw.trim();
        if code.is_empty() {
            return Err(CodeError::Empty);
        }
        if code.chars().count() > 64 {
            return Err(CodeError::TooLong(code.to_owned()));
        }
        if let Some(found) = code.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
            return Err(CodeError::BadChar { code: code.to_owned(), found });
        }
        Ok(Code(code.to_owned()))
    }

    /// The code as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_accepts_the_documented_alphabet() {
        assert_eq!(Code::parse(" SHY-ALF-Q01 ").unwrap().as_str(), "SHY-ALF-Q01");
        assert_eq!(Code::parse("a_b.c").unwrap().as_str(), "a_b.c");
    }

    #[test]
    fn code_rejects_empty_long_and_foreign_characters() {
        assert_eq!(Code::parse("  "), Err(CodeError::Empty));
        assert!(matches!(Code::parse(&"x".repeat(65)), Err(CodeError::TooLong(_))));
        assert_eq!(Code::parse("КВ-1"), Err(CodeError::BadChar { code: "КВ-1".into(), found: 'К' }));
    }
}
