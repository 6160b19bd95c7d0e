//! The three languages of Sakshy (Kazakh, Russian, English) and text that exists in all three.
//!
//! Kazakh is the default everywhere. This module knows nothing about how a language is chosen for a request.

use std::fmt;
use std::str::FromStr;

/// A user-interface and content language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Kazakh (қазақ тілі), the default.
    #[default]
    Kk,
    /// Russian.
    Ru,
    /// English.
    En,
}

impl Lang {
    /// All languages, default first.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The BCP 47 code: `kk`, `ru` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The error for a language code that is not `kk`, `ru` or `en`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: expected kk, ru or en")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "kk" | "kk-kz" | "kaz" => Ok(Lang::Kk),
            "ru" | "ru-ru" | "ru-kz" | "rus" => Ok(Lang::Ru),
            "en" | "en-us" | "en-gb" | "eng" => Ok(Lang::En),
            _ => Err(UnknownLang(s.to_owned())),
        }
    }
}

/// A text given in Kazakh, Russian and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Localized {
    kk: String,
    ru: String,
    en: String,
}

/// The error for a [`Localized`] text with an empty language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {0} text is empty")]
pub struct EmptyText(pub Lang);

impl Localized {
    /// Builds a text from its three languages, trimming each.
    ///
    /// # Errors
    ///
    /// [`EmptyText`] names the first language whose text is empty after trimming.
    pub fn new(kk: &str, ru: &str, en: &str) -> Result<Self, EmptyText> {
        let (kk, ru, en) = (kk.trim(), ru.trim(), en.trim());
        for (lang, text) in [(Lang::Kk, kk), (Lang::Ru, ru), (Lang::En, en)] {
            if text.is_empty() {
                return Err(EmptyText(lang));
            }
        }
        Ok(Localized { kk: kk.to_owned(), ru: ru.to_owned(), en: en.to_owned() })
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }

    /// The Kazakh text.
    pub fn kk(&self) -> &str {
        &self.kk
    }

    /// The Russian text.
    pub fn ru(&self) -> &str {
        &self.ru
    }

    /// The English text.
    pub fn en(&self) -> &str {
        &self.en
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_parses_codes_and_regional_variants() {
        assert_eq!("kk".parse::<Lang>(), Ok(Lang::Kk));
        assert_eq!("ru-KZ".parse::<Lang>(), Ok(Lang::Ru));
        assert_eq!(" EN ".parse::<Lang>(), Ok(Lang::En));
        assert_eq!("de".parse::<Lang>(), Err(UnknownLang("de".into())));
    }

    #[test]
    fn localized_rejects_an_empty_language_and_names_it() {
        assert_eq!(Localized::new("Шымкент", " ", "Shymkent"), Err(EmptyText(Lang::Ru)));
        let name = Localized::new(" Әл-Фараби ", "Аль-Фараби", "Al-Farabi").unwrap();
        assert_eq!(name.get(Lang::Kk), "Әл-Фараби");
        assert_eq!(name.get(Lang::En), "Al-Farabi");
    }
}
