//! The offence taxonomy: articles of the Criminal Code (UK RK) and of the Code of Administrative Offences
//! (`KoAP RK`), each in one group of `shared/reference/taxonomy.md`, with names in kk/ru/en.
//!
//! The articles are data, `data/taxonomy/kz/offences.csv`, compiled in; the groups are code, because analyses
//! and filters name them. Reading an article as people write it (`188`, `ст. 188 ч. 2 УК РК`, `КоАП 434`,
//! `108-1-бап`) is here too. Nothing here reads files.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::gazetteer::fold;
use crate::import::CsvError;
use crate::lang::{EmptyText, Lang, Localized};
use crate::territory::UnknownVariant;

/// The code an article belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LegalCode {
    /// The Criminal Code of the Republic of Kazakhstan (UK RK, 2014): crimes and criminal misdemeanours.
    Criminal,
    /// The Code of Administrative Offences (`KoAP RK`, 2014): petty offences.
    Administrative,
}

impl LegalCode {
    /// The short name used in offence codes: `UK` or `KoAP`.
    pub fn as_str(self) -> &'static str {
        match self {
            LegalCode::Criminal => "UK",
            LegalCode::Administrative => "KoAP",
        }
    }

    /// The other code.
    pub fn other(self) -> LegalCode {
        match self {
            LegalCode::Criminal => LegalCode::Administrative,
            LegalCode::Administrative => LegalCode::Criminal,
        }
    }
}

/// An article of a code, with its sub-article: `UK 188`, `UK 108-1`, `KoAP 434-2`.
///
/// Parts and paragraphs of an article (`ч. 2`, `п. 3`) are not kept: the taxonomy groups whole articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OffenceCode {
    code: LegalCode,
    article: u16,
    sub_article: Option<u16>,
}

/// Why a text is not an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleError {
    /// No article number could be found in the text.
    #[error("{0:?} is not an article: write e.g. 188, UK 188, 108-1 or KoAP 434")]
    NoArticle(String),
    /// The text names both codes.
    #[error("{0:?} names both the Criminal Code and the Code of Administrative Offences")]
    BothCodes(String),
}

impl OffenceCode {
    /// The article `article` (with `sub_article`, as in 108-1) of `code`.
    pub fn new(code: LegalCode, article: u16, sub_article: Option<u16>) -> OffenceCode {
        OffenceCode { code, article, sub_article }
    }

    /// The code the article belongs to.
    pub fn legal_code(self) -> LegalCode {
        self.code
    }

    /// The article number: 188 for `UK 188-1`.
    pub fn article(self) -> u16 {
        self.article
    }

    /// The sub-article: 1 for `UK 108-1`.
    pub fn sub_article(self) -> Option<u16> {
        self.sub_article
    }

    /// The same article number in the other code (a hint when one is unknown: `KoAP 434` written as a bare 434).
    pub fn in_other_code(self) -> OffenceCode {
        OffenceCode { code: self.code.other(), ..self }
    }

    /// Reads an article as it is written in police data.
    ///
    /// The code is named by `UK`, `УК`, `ҚК` (criminal) or `KoAP`, `КоАП`, `ӘҚБтК` (administrative), anywhere
    /// in the text and in any case; without one, the article is of the Criminal Code. The article number is the
    /// one marked as such (`ст. 188`, `статья 188`, `art. 188`, `188-бап`), or else the first number not marked
    /// as a part or paragraph (`ч. 2`, `п. 3`, `part 2`, `2-бөлігі`). A sub-article follows a hyphen: `108-1`.
    ///
    /// # Errors
    ///
    /// [`ArticleError::NoArticle`] when no number is found, [`ArticleError::BothCodes`] when both codes are named.
    ///
    /// # Examples
    ///
    /// ```
    /// use sakshy_core::incident::{LegalCode, OffenceCode};
    /// let code = OffenceCode::parse("ч. 2 ст. 188 УК РК").unwrap();
    /// assert_eq!(code, OffenceCode::new(LegalCode::Criminal, 188, None));
    /// assert_eq!(OffenceCode::parse("КоАП 434-1").unwrap().to_string(), "KoAP 434-1");
    /// ```
    pub fn parse(text: &str) -> Result<OffenceCode, ArticleError> {
        let tokens = tokenize(text);
        let mut criminal = false;
        let mut administrative = false;
        for token in &tokens {
            if let Token::Word(word) = token {
                match word.as_str() {
                    "UK" | "УК" | "ҚК" | "CC" => criminal = true,
                    "KOAP" | "КОАП" | "ӘҚБТК" | "ӘҚБК" => administrative = true,
                    _ => {}
                }
            }
        }
        let code = match (criminal, administrative) {
            (true, true) => return Err(ArticleError::BothCodes(text.trim().to_owned())),
            (_, true) => LegalCode::Administrative,
            _ => LegalCode::Criminal,
        };
        let numbers: Vec<(usize, u16, Option<u16>)> = tokens
            .iter()
            .enumerate()
            .filter_map(|(idx, token)| match token {
                Token::Number(article, sub) => Some((idx, *article, *sub)),
                Token::Word(_) => None,
            })
            .collect();
        let word_at = |idx: Option<usize>| match idx.and_then(|idx| tokens.get(idx)) {
            Some(Token::Word(word)) => word.as_str(),
            _ => "",
        };
        let marked = numbers.iter().find(|(idx, ..)| {
            ARTICLE_BEFORE.contains(&word_at(idx.checked_sub(1))) || word_at(Some(idx + 1)).starts_with("БА")
        });
        let unmarked = || {
            numbers.iter().find(|(idx, ..)| {
                !PART_BEFORE.contains(&word_at(idx.checked_sub(1)))
                    && !PART_AFTER.iter().any(|part| word_at(Some(idx + 1)).starts_with(part))
            })
        };
        match marked.or_else(unmarked) {
            Some(&(_, article, sub_article)) => Ok(OffenceCode { code, article, sub_article }),
            None => Err(ArticleError::NoArticle(text.trim().to_owned())),
        }
    }
}

/// Words that mark the next number as the article.
const ARTICLE_BEFORE: [&str; 8] = ["СТ", "СТАТЬЯ", "СТАТЬИ", "СТАТЬЕ", "ART", "ARTICLE", "БАП", "БАБЫ"];
/// Words that mark the next number as a part or paragraph.
const PART_BEFORE: [&str; 9] = ["Ч", "ЧАСТЬ", "ЧАСТИ", "П", "ПУНКТ", "ПУНКТА", "PART", "P", "PARA"];
/// Kazakh words after a number that make it a part or paragraph (`2-бөлігі`, `3-тармағы`).
const PART_AFTER: [&str; 2] = ["БӨЛІ", "ТАРМА"];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// Letters, upper-cased.
    Word(String),
    /// A number, with a sub-number after a hyphen.
    Number(u16, Option<u16>),
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut idx = 0;
    let digits = |start: usize| -> (Option<u16>, usize) {
        let end = chars[start..].iter().position(|c| !c.is_ascii_digit()).map_or(chars.len(), |len| start + len);
        let number: String = chars[start..end].iter().collect();
        (number.parse().ok(), end)
    };
    while idx < chars.len() {
        let c = chars[idx];
        if c.is_ascii_digit() {
            let (number, end) = digits(idx);
            idx = end;
            let is_hyphen = |c: char| matches!(c, '-' | '‐' | '‑' | '–');
            let mut sub = None;
            if idx + 1 < chars.len() && is_hyphen(chars[idx]) && chars[idx + 1].is_ascii_digit() {
                let (sub_number, end) = digits(idx + 1);
                sub = sub_number;
                idx = end;
            }
            // A number too large for an article is kept as a word, so that it is never taken for one.
            tokens.push(match number {
                Some(number) => Token::Number(number, sub),
                None => Token::Word(String::new()),
            });
        } else if c.is_alphabetic() {
            let end = chars[idx..].iter().position(|c| !c.is_alphabetic()).map_or(chars.len(), |len| idx + len);
            tokens.push(Token::Word(chars[idx..end].iter().flat_map(|c| c.to_uppercase()).collect()));
            idx = end;
        } else {
            idx += 1;
        }
    }
    tokens
}

impl fmt::Display for OffenceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code.as_str(), self.article)?;
        if let Some(sub) = self.sub_article {
            write!(f, "-{sub}")?;
        }
        Ok(())
    }
}

impl FromStr for OffenceCode {
    type Err = ArticleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OffenceCode::parse(s)
    }
}

/// The group of an offence, for analyses and the interface (`taxonomy.md`, "Suggested UI groups").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OffenceGroup {
    /// Violent offences against the person: murder, harm to health, battery, threats.
    Violent,
    /// Offences against property: theft, robbery, extortion, damage.
    Property,
    /// Fraud, including by telephone and the internet.
    Fraud,
    /// Drug offences.
    Drugs,
    /// Public order: hooliganism, vandalism, noise, public drinking.
    PublicOrder,
    /// Family and domestic violence, protective orders.
    Domestic,
    /// Road traffic.
    Traffic,
    /// Sexual offences.
    Sexual,
    /// Public safety: weapons, fire safety.
    PublicSafety,
    /// Everything else.
    Other,
}

impl OffenceGroup {
    /// Every group, in display order.
    pub const ALL: [OffenceGroup; 10] = [
        OffenceGroup::Violent,
        OffenceGroup::Property,
        OffenceGroup::Fraud,
        OffenceGroup::Drugs,
        OffenceGroup::PublicOrder,
        OffenceGroup::Domestic,
        OffenceGroup::Traffic,
        OffenceGroup::Sexual,
        OffenceGroup::PublicSafety,
        OffenceGroup::Other,
    ];

    /// The file, database and wire name: `violent`, `property`, `fraud`, `drugs`, `public_order`, `domestic`,
    /// `traffic`, `sexual`, `public_safety`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            OffenceGroup::Violent => "violent",
            OffenceGroup::Property => "property",
            OffenceGroup::Fraud => "fraud",
            OffenceGroup::Drugs => "drugs",
            OffenceGroup::PublicOrder => "public_order",
            OffenceGroup::Domestic => "domestic",
            OffenceGroup::Traffic => "traffic",
            OffenceGroup::Sexual => "sexual",
            OffenceGroup::PublicSafety => "public_safety",
            OffenceGroup::Other => "other",
        }
    }

    /// The group's name in `lang`. Russian and Kazakh names follow `taxonomy.md`; those it does not give
    /// (sexual, public safety, other) are working translations.
    pub fn name(self, lang: Lang) -> &'static str {
        let [kk, ru, en] = match self {
            OffenceGroup::Violent => ["Зорлық-зомбылық", "Насильственные", "Violent"],
            OffenceGroup::Property => ["Мүліктік", "Имущественные", "Property"],
            OffenceGroup::Fraud => ["Алаяқтық", "Мошенничество, интернет", "Fraud & cyber"],
            OffenceGroup::Drugs => ["Есірткі", "Наркопреступления", "Drugs"],
            OffenceGroup::PublicOrder => ["Қоғамдық тәртіп", "Общественный порядок", "Public order"],
            OffenceGroup::Domestic => ["Отбасылық-тұрмыстық", "Семейно-бытовые", "Domestic"],
            OffenceGroup::Traffic => ["Жол қозғалысы", "Дорожное движение", "Traffic"],
            OffenceGroup::Sexual => ["Жыныстық қылмыстар", "Половые преступления", "Sexual"],
            OffenceGroup::PublicSafety => ["Қоғамдық қауіпсіздік", "Общественная безопасность", "Public safety"],
            OffenceGroup::Other => ["Басқалар", "Прочие", "Other"],
        };
        match lang {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// The group a label names: its code (`public_order`) or its name in any of the three languages, whatever
    /// the case, spacing and punctuation (`Public order`, `ОБЩЕСТВЕННЫЙ ПОРЯДОК`, `қоғамдық тәртіп`).
    pub fn from_label(label: &str) -> Option<OffenceGroup> {
        let folded = fold(label);
        OffenceGroup::ALL.into_iter().find(|group| {
            folded == fold(group.as_str()) || Lang::ALL.iter().any(|&lang| folded == fold(group.name(lang)))
        })
    }
}

impl fmt::Display for OffenceGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OffenceGroup {
    type Err = UnknownVariant;

    /// Parses the code only (`public_order`); [`OffenceGroup::from_label`] also takes names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OffenceGroup::ALL.into_iter().find(|group| group.as_str() == s.trim()).ok_or_else(|| UnknownVariant {
            value: s.trim().to_owned(),
            expected: "violent property fraud drugs public_order domestic traffic sexual public_safety other",
        })
    }
}

/// How well an article's number and title are attested (the labels of `taxonomy.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// Seen in an official or near-official artefact.
    Confirmed,
    /// One secondary source.
    Medium,
    /// Plausible, not checked: check against adilet.zan.kz before the product shows it.
    Unverified,
}

/// An offence the taxonomy knows.
#[derive(Debug, Clone, PartialEq)]
pub struct Offence {
    /// The article.
    pub code: OffenceCode,
    /// Its group.
    pub group: OffenceGroup,
    /// Its title in kk/ru/en (Kazakh titles are working translations).
    pub name: Localized,
    /// How well the article is attested.
    pub confidence: Confidence,
}

/// The offences Sakshy knows, by article.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    offences: Vec<Offence>,
    by_code: HashMap<OffenceCode, usize>,
}

/// Why a taxonomy file is not usable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TaxonomyError {
    /// The CSV could not be read.
    #[error("line {line}: unreadable CSV: {error}")]
    Csv {
        /// Line in the file, 1-based.
        line: u64,
        /// What the reader said.
        error: CsvError,
    },
    /// A column is missing or empty.
    #[error("line {line}: {column} is required")]
    Missing {
        /// Line in the file, 1-based.
        line: u64,
        /// The column.
        column: &'static str,
    },
    /// A code is not an article.
    #[error("line {line}: {error}")]
    Code {
        /// Line in the file, 1-based.
        line: u64,
        /// Why.
        error: ArticleError,
    },
    /// A code is written otherwise than the canonical `UK 188` / `KoAP 434-1`.
    #[error("line {line}: write the code {found:?} as {canonical:?}")]
    NotCanonical {
        /// Line in the file, 1-based.
        line: u64,
        /// The code as written.
        found: String,
        /// The code as it must be written.
        canonical: String,
    },
    /// A group is not one of the groups.
    #[error("line {line}: {error}")]
    Group {
        /// Line in the file, 1-based.
        line: u64,
        /// Why.
        error: UnknownVariant,
    },
    /// A name is empty in one language.
    #[error("line {line}: {error}")]
    Name {
        /// Line in the file, 1-based.
        line: u64,
        /// Which language.
        error: EmptyText,
    },
    /// A confidence is not `C`, `M` or `U`.
    #[error("line {line}: confidence {found:?} is not C, M or U")]
    Confidence {
        /// Line in the file, 1-based.
        line: u64,
        /// The value found.
        found: String,
    },
    /// An article is listed twice.
    #[error("line {line}: {code} is listed twice")]
    Duplicate {
        /// Line in the file, 1-based.
        line: u64,
        /// The article.
        code: OffenceCode,
    },
}

impl Taxonomy {
    /// The taxonomy shipped with Sakshy: `data/taxonomy/kz/offences.csv`.
    pub fn kazakhstan() -> &'static Taxonomy {
        static SHIPPED: OnceLock<Taxonomy> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            Taxonomy::parse(include_str!("../../../../data/taxonomy/kz/offences.csv"))
                .expect("the shipped taxonomy file is valid (checked by the incident tests)")
        })
    }

    /// Reads a taxonomy file: CSV with `code, group, name_kk, name_ru, name_en, confidence`; lines starting with
    /// `#` are comments.
    ///
    /// # Errors
    ///
    /// [`TaxonomyError`] for the first line that is not usable.
    pub fn parse(text: &str) -> Result<Taxonomy, TaxonomyError> {
        let mut reader =
            csv::ReaderBuilder::new().trim(csv::Trim::All).comment(Some(b'#')).from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|err| TaxonomyError::Csv { line: 1, error: err.into() })?
            .iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        let mut offences: Vec<Offence> = Vec::new();
        let mut by_code = HashMap::new();
        for record in reader.records() {
            let record = record.map_err(|err| TaxonomyError::Csv {
                line: err.position().map_or(0, csv::Position::line),
                error: err.into(),
            })?;
            let line = record.position().map_or(0, csv::Position::line);
            let field = |column: &'static str| -> Result<&str, TaxonomyError> {
                headers
                    .iter()
                    .position(|header| header == column)
                    .and_then(|idx| record.get(idx))
                    .filter(|value| !value.is_empty())
                    .ok_or(TaxonomyError::Missing { line, column })
            };
            let written = field("code")?;
            let code = OffenceCode::parse(written).map_err(|error| TaxonomyError::Code { line, error })?;
            if code.to_string() != written {
                return Err(TaxonomyError::NotCanonical {
                    line,
                    found: written.to_owned(),
                    canonical: code.to_string(),
                });
            }
            let group = field("group")?.parse().map_err(|error| TaxonomyError::Group { line, error })?;
            let name = Localized::new(field("name_kk")?, field("name_ru")?, field("name_en")?)
                .map_err(|error| TaxonomyError::Name { line, error })?;
            let confidence = match field("confidence")? {
                "C" => Confidence::Confirmed,
                "M" => Confidence::Medium,
                "U" => Confidence::Unverified,
                other => return Err(TaxonomyError::Confidence { line, found: other.to_owned() }),
            };
            if by_code.insert(code, offences.len()).is_some() {
                return Err(TaxonomyError::Duplicate { line, code });
            }
            offences.push(Offence { code, group, name, confidence });
        }
        Ok(Taxonomy { offences, by_code })
    }

    /// The offence of an article, if the taxonomy knows it.
    pub fn get(&self, code: OffenceCode) -> Option<&Offence> {
        self.by_code.get(&code).map(|&idx| &self.offences[idx])
    }

    /// Every offence, in file order.
    pub fn offences(&self) -> &[Offence] {
        &self.offences
    }
}
