//! The gazetteer: streets and microdistricts of the city with a representative point each, for finding a
//! resident's quadrant by address. Names are searched after case folding in Rust, because SQLite's `lower()`
//! folds ASCII only and Kazakh and Russian names are Cyrillic.

use std::fmt;
use std::str::FromStr;

use geo_types::Point;

use crate::code::Code;
use crate::lang::Localized;
use crate::territory::UnknownVariant;

/// What a gazetteer place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// A street, avenue or lane.
    Street,
    /// A microdistrict (шағын аудан, микрорайон) or another named residential area.
    Microdistrict,
}

impl PlaceKind {
    /// The file and wire name: `street` or `microdistrict`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Street => "street",
            PlaceKind::Microdistrict => "microdistrict",
        }
    }
}

impl fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PlaceKind {
    type Err = UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "street" => Ok(PlaceKind::Street),
            "microdistrict" => Ok(PlaceKind::Microdistrict),
            other => Err(UnknownVariant { value: other.to_owned(), expected: "street microdistrict" }),
        }
    }
}

/// A named place of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Stable code, unique in the city.
    pub code: Code,
    /// Street or microdistrict.
    pub kind: PlaceKind,
    /// Names in kk/ru/en.
    pub name: Localized,
    /// A representative point inside the city, as (lon, lat) in WGS84.
    pub location: Point<f64>,
}

impl Place {
    /// The text searched for this place: its three names, folded (see [`fold`]), one per line.
    pub fn search_key(&self) -> String {
        format!("{}\n{}\n{}", fold(self.name.kk()), fold(self.name.ru()), fold(self.name.en()))
    }
}

/// Folds text for searching: lower case by Unicode rules (Ә→ә, Қ→қ, Ү→ү, І→і, Ё→ё …), `ё` read as `е`,
/// punctuation read as a space, and runs of spaces made one.
pub fn fold(text: &str) -> String {
    let lowered: String = text
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ё' => 'е',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of a search query, folded, longest first (the longest narrows a database search best).
pub fn query_words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = fold(query).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    words
}

/// Whether a folded search key holds every query word.
pub fn matches(search_key: &str, words: &[String]) -> bool {
    !words.is_empty() && words.iter().all(|word| search_key.contains(word.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_knows_kazakh_and_russian_capitals() {
        assert_eq!(fold("ҚАЙЫРЫМДЫ  Әлем, ҮЙ-ІШІ"), "қайырымды әлем үй іші");
        assert_eq!(fold("ЁЛОЧНАЯ ул."), "елочная ул");
        assert_eq!(fold("ҒҰҢҺӨ"), "ғұңһө");
    }

    #[test]
    fn every_word_must_match() {
        let place = Place {
            code: Code::parse("ST-001").unwrap(),
            kind: PlaceKind::Street,
            name: Localized::new("Тәуке хан даңғылы", "проспект Тауке хана", "Tauke Khan Avenue").unwrap(),
            location: Point::new(69.6, 42.3),
        };
        let key = place.search_key();
        assert!(matches(&key, &query_words("ТӘУКЕ ХАН")));
        assert!(matches(&key, &query_words("тауке, проспект")));
        assert!(!matches(&key, &query_words("тауке ленина")));
        assert!(!matches(&key, &query_words("  ,, ")));
        assert_eq!(query_words("хан тауке хан"), vec!["тауке", "хан"]);
    }
}
