//! Relevance conditions: the subset of XLSForm's `relevant` expressions that Sakshy reads and evaluates.
//!
//! `${name}` references, `'…'` and `"…"` strings, numbers, `= != < <= > >=`, `and`, `or`, `not(…)`,
//! `selected(${x}, 'v')`, `count-selected(${x})`, `string-length(…)`, `true()`, `false()` and parentheses.
//! Values follow `XPath` 1.0: a reference is its answer as a string (`''` when missing); `=` and `!=` compare
//! numbers when either side is a number and strings otherwise; `<`, `<=`, `>`, `>=` compare numbers, and a
//! string that is not a number (such as a missing answer) is NaN, so every such comparison with it is false.

use std::fmt;

use super::Answers;

/// A parsed relevance condition, with its source text.
#[derive(Debug, Clone)]
pub struct Expr {
    source: String,
    node: Node,
}

impl PartialEq for Expr {
    /// Two conditions are equal when they parse to the same tree, however they are spaced.
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

/// A problem in a condition's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at character {position}: {kind}")]
pub struct ExprError {
    /// Where, as a 0-based character offset in the source.
    pub position: usize,
    /// What is wrong.
    pub kind: ExprErrorKind,
}

/// What is wrong in a condition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExprErrorKind {
    /// The condition is empty.
    #[error("the condition is empty")]
    Empty,
    /// A character that starts no token.
    #[error("unexpected character {0:?}")]
    UnexpectedChar(char),
    /// A string literal without its closing quote.
    #[error("the string is not closed")]
    UnterminatedString,
    /// A `${` without its `}` or with no valid name inside.
    #[error("a reference must be written ${{name}}")]
    BadReference,
    /// A token where something else was expected.
    #[error("unexpected {found:?}, expected {expected}")]
    Unexpected {
        /// The token found.
        found: String,
        /// What could come here.
        expected: &'static str,
    },
    /// The condition ends too early.
    #[error("the condition ends early, expected {expected}")]
    UnexpectedEnd {
        /// What could come here.
        expected: &'static str,
    },
    /// A function Sakshy does not evaluate.
    #[error("unknown function {0:?}: use not, selected, count-selected, string-length, true or false")]
    UnknownFunction(String),
    /// A function called with the wrong number of arguments.
    #[error("{function} takes {expected} argument(s), not {found}")]
    ArgumentCount {
        /// The function.
        function: &'static str,
        /// Arguments it takes.
        expected: usize,
        /// Arguments given.
        found: usize,
    },
    /// A bare name, such as `.`, or a path, which Sakshy does not evaluate.
    #[error("{0:?} is not supported here: refer to items as ${{name}}")]
    BareName(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Ref(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Not(Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Cmp(Op, Box<Node>, Box<Node>),
    Selected(Box<Node>, Box<Node>),
    CountSelected(Box<Node>),
    StringLength(Box<Node>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
}

impl Value {
    fn truthy(&self) -> bool {
        match self {
            Value::Str(s) => !s.is_empty(),
            Value::Num(n) => *n != 0.0 && !n.is_nan(),
            Value::Bool(b) => *b,
        }
    }

    fn number(&self) -> f64 {
        match self {
            Value::Str(s) => to_number(s),
            Value::Num(n) => *n,
            Value::Bool(b) => f64::from(u8::from(*b)),
        }
    }

    fn string(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Num(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
        }
    }
}

/// `XPath`'s `number()`: a decimal number with optional sign and surrounding spaces, else NaN.
fn to_number(s: &str) -> f64 {
    let t = s.trim();
    let plain = !t.is_empty()
        && t.trim_start_matches('-').chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.chars().any(|c| c.is_ascii_digit());
    if plain { t.parse().unwrap_or(f64::NAN) } else { f64::NAN }
}

impl Expr {
    /// Parses a condition.
    ///
    /// # Errors
    ///
    /// [`ExprError`] with the character offset of the first problem.
    pub fn parse(src: &str) -> Result<Expr, ExprError> {
        let tokens = lex(src)?;
        if tokens.is_empty() {
            return Err(ExprError { position: 0, kind: ExprErrorKind::Empty });
        }
        let mut parser = Parser { tokens, at: 0, end: src.chars().count() };
        let node = parser.or()?;
        if let Some(token) = parser.tokens.get(parser.at) {
            return Err(ExprError {
                position: token.position,
                kind: ExprErrorKind::Unexpected { found: token.kind.text(), expected: "and, or or the end" },
            });
        }
        Ok(Expr { source: src.trim().to_owned(), node })
    }

    /// `(a) and (b)`: both conditions, as a group's relevance joins its members'.
    pub fn and(a: &Expr, b: &Expr) -> Expr {
        Expr {
            source: format!("({}) and ({})", a.source, b.source),
            node: Node::And(Box::new(a.node.clone()), Box::new(b.node.clone())),
        }
    }

    /// Whether the condition holds for these answers (a missing answer is `''`).
    pub fn eval(&self, answers: &Answers) -> bool {
        eval(&self.node, answers).truthy()
    }

    /// The item names referred to, in order of first appearance, each once.
    pub fn references(&self) -> Vec<String> {
        let mut names = Vec::new();
        collect(&self.node, &mut names);
        names
    }

    /// The condition as written (trimmed).
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

fn collect(node: &Node, names: &mut Vec<String>) {
    match node {
        Node::Ref(name) => {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        Node::Str(_) | Node::Num(_) | Node::Bool(_) => {}
        Node::Not(a) | Node::CountSelected(a) | Node::StringLength(a) => collect(a, names),
        Node::And(a, b) | Node::Or(a, b) | Node::Cmp(_, a, b) | Node::Selected(a, b) => {
            collect(a, names);
            collect(b, names);
        }
    }
}

fn eval(node: &Node, answers: &Answers) -> Value {
    match node {
        Node::Ref(name) => Value::Str(answers.get(name).map(|v| v.trim().to_owned()).unwrap_or_default()),
        Node::Str(s) => Value::Str(s.clone()),
        Node::Num(n) => Value::Num(*n),
        Node::Bool(b) => Value::Bool(*b),
        Node::Not(a) => Value::Bool(!eval(a, answers).truthy()),
        Node::And(a, b) => Value::Bool(eval(a, answers).truthy() && eval(b, answers).truthy()),
        Node::Or(a, b) => Value::Bool(eval(a, answers).truthy() || eval(b, answers).truthy()),
        Node::Cmp(op, a, b) => {
            let (a, b) = (eval(a, answers), eval(b, answers));
            Value::Bool(compare(*op, &a, &b))
        }
        Node::Selected(a, b) => {
            let (set, wanted) = (eval(a, answers).string(), eval(b, answers).string());
            let wanted = wanted.trim();
            Value::Bool(set.split_whitespace().any(|choice| choice == wanted))
        }
        Node::CountSelected(a) => Value::Num(eval(a, answers).string().split_whitespace().count() as f64),
        Node::StringLength(a) => Value::Num(eval(a, answers).string().chars().count() as f64),
    }
}

fn compare(op: Op, a: &Value, b: &Value) -> bool {
    let numeric = |x: f64, y: f64| match op {
        Op::Eq => x == y,
        Op::Ne => x != y,
        Op::Lt => x < y,
        Op::Le => x <= y,
        Op::Gt => x > y,
        Op::Ge => x >= y,
    };
    match (op, a, b) {
        (Op::Eq | Op::Ne, Value::Bool(_), _) | (Op::Eq | Op::Ne, _, Value::Bool(_)) => {
            let eq = a.truthy() == b.truthy();
            if op == Op::Eq { eq } else { !eq }
        }
        (Op::Eq | Op::Ne, Value::Str(x), Value::Str(y)) => {
            if op == Op::Eq {
                x == y
            } else {
                x != y
            }
        }
        _ => numeric(a.number(), b.number()),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum TokenKind {
    Ref(String),
    Str(String),
    Num(f64),
    Name(String),
    Op(Op),
    LParen,
    RParen,
    Comma,
}

impl TokenKind {
    fn text(&self) -> String {
        match self {
            TokenKind::Ref(name) => format!("${{{name}}}"),
            TokenKind::Str(s) => format!("'{s}'"),
            TokenKind::Num(n) => n.to_string(),
            TokenKind::Name(name) => name.clone(),
            TokenKind::Op(op) => op.as_str().to_owned(),
            TokenKind::LParen => "(".to_owned(),
            TokenKind::RParen => ")".to_owned(),
            TokenKind::Comma => ",".to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: TokenKind,
    position: usize,
}

pub(crate) fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

pub(crate) fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '.'
}

fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let err = |position, kind| Err(ExprError { position, kind });
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let kind = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '$' => {
                if chars.get(i + 1) != Some(&'{') {
                    return err(start, ExprErrorKind::BadReference);
                }
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '}' {
                    j += 1;
                }
                if j >= chars.len() {
                    return err(start, ExprErrorKind::BadReference);
                }
                let name: String = chars[i + 2..j].iter().collect();
                let name = name.trim().to_owned();
                let mut name_chars = name.chars();
                if !name_chars.next().is_some_and(is_name_start) || !name_chars.all(is_name_char) {
                    return err(start, ExprErrorKind::BadReference);
                }
                i = j + 1;
                TokenKind::Ref(name)
            }
            '\'' | '"' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != c {
                    j += 1;
                }
                if j >= chars.len() {
                    return err(start, ExprErrorKind::UnterminatedString);
                }
                let s: String = chars[i + 1..j].iter().collect();
                i = j + 1;
                TokenKind::Str(s)
            }
            c if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                    j += 1;
                }
                let text: String = chars[i..j].iter().collect();
                let Ok(n) = text.parse::<f64>() else {
                    return err(start, ExprErrorKind::UnexpectedChar(c));
                };
                i = j;
                TokenKind::Num(n)
            }
            '=' => {
                i += 1;
                TokenKind::Op(Op::Eq)
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                i += 2;
                TokenKind::Op(Op::Ne)
            }
            '<' | '>' => {
                let eq = chars.get(i + 1) == Some(&'=');
                i += if eq { 2 } else { 1 };
                TokenKind::Op(match (c, eq) {
                    ('<', false) => Op::Lt,
                    ('<', true) => Op::Le,
                    ('>', false) => Op::Gt,
                    _ => Op::Ge,
                })
            }
            '(' => {
                i += 1;
                TokenKind::LParen
            }
            ')' => {
                i += 1;
                TokenKind::RParen
            }
            ',' => {
                i += 1;
                TokenKind::Comma
            }
            c if is_name_start(c) || c == '.' => {
                let mut j = i + 1;
                while j < chars.len() && (is_name_char(chars[j]) || chars[j] == '/') {
                    j += 1;
                }
                i = j;
                TokenKind::Name(chars[start..j].iter().collect())
            }
            c => return err(start, ExprErrorKind::UnexpectedChar(c)),
        };
        tokens.push(Token { kind, position: start });
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&TokenKind> {
        self.tokens.get(self.at).map(|t| &t.kind)
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(TokenKind::Name(name)) if name == word)
    }

    fn unexpected(&self, expected: &'static str) -> ExprError {
        match self.tokens.get(self.at) {
            Some(token) => ExprError {
                position: token.position,
                kind: ExprErrorKind::Unexpected { found: token.kind.text(), expected },
            },
            None => ExprError { position: self.end, kind: ExprErrorKind::UnexpectedEnd { expected } },
        }
    }

    fn expect(&mut self, kind: &TokenKind, expected: &'static str) -> Result<(), ExprError> {
        if self.peek() == Some(kind) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn or(&mut self) -> Result<Node, ExprError> {
        let mut left = self.and()?;
        while self.is_word("or") {
            self.at += 1;
            let right = self.and()?;
            left = Node::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, ExprError> {
        let mut left = self.comparison()?;
        while self.is_word("and") {
            self.at += 1;
            let right = self.comparison()?;
            left = Node::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Node, ExprError> {
        let left = self.primary()?;
        if let Some(TokenKind::Op(op)) = self.peek() {
            let op = *op;
            self.at += 1;
            let right = self.primary()?;
            return Ok(Node::Cmp(op, Box::new(left), Box::new(right)));
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<Node, ExprError> {
        const VALUE: &str = "a value, ${name}, a function or (";
        let Some(token) = self.tokens.get(self.at).cloned() else {
            return Err(self.unexpected(VALUE));
        };
        self.at += 1;
        match token.kind {
            TokenKind::Ref(name) => Ok(Node::Ref(name)),
            TokenKind::Str(s) => Ok(Node::Str(s)),
            TokenKind::Num(n) => Ok(Node::Num(n)),
            TokenKind::LParen => {
                let inner = self.or()?;
                self.expect(&TokenKind::RParen, ")")?;
                Ok(inner)
            }
            TokenKind::Name(name) => {
                if self.peek() != Some(&TokenKind::LParen) {
                    return Err(ExprError { position: token.position, kind: ExprErrorKind::BareName(name) });
                }
                let (function, arity): (&'static str, usize) = match name.as_str() {
                    "not" => ("not", 1),
                    "selected" => ("selected", 2),
                    "count-selected" => ("count-selected", 1),
                    "string-length" => ("string-length", 1),
                    "true" => ("true", 0),
                    "false" => ("false", 0),
                    _ => {
                        return Err(ExprError { position: token.position, kind: ExprErrorKind::UnknownFunction(name) });
                    }
                };
                self.at += 1;
                let mut args = Vec::new();
                if self.peek() != Some(&TokenKind::RParen) {
                    loop {
                        args.push(self.or()?);
                        if self.peek() == Some(&TokenKind::Comma) {
                            self.at += 1;
                        } else {
                            break;
                        }
                    }
                }
                self.expect(&TokenKind::RParen, ", or )")?;
                if args.len() != arity {
                    return Err(ExprError {
                        position: token.position,
                        kind: ExprErrorKind::ArgumentCount { function, expected: arity, found: args.len() },
                    });
                }
                let mut args = args.into_iter().map(Box::new);
                let mut next = || args.next().unwrap_or_else(|| Box::new(Node::Bool(false)));
                Ok(match function {
                    "not" => Node::Not(next()),
                    "selected" => {
                        let set = next();
                        Node::Selected(set, next())
                    }
                    "count-selected" => Node::CountSelected(next()),
                    "string-length" => Node::StringLength(next()),
                    "true" => Node::Bool(true),
                    _ => Node::Bool(false),
                })
            }
            other => {
                self.at -= 1;
                let _ = other;
                Err(self.unexpected(VALUE))
            }
        }
    }
}
