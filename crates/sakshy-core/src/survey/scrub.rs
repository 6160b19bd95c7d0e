//! Scrubbing open text of personal data before analysts see it: phone numbers, e-mail addresses, IINs and
//! personal names are replaced with `[phone]`, `[email]`, `[id]` and `[name]`.
//!
//! Numbers: any run of at least 9 digits, allowing up to two separators (space, `-`, `(`, `)`) between digit
//! groups, and with an optional leading `+` (so every Kazakhstan number, `+7 (701) 123-45-67` or `87011234567`);
//! a bare run of exactly 12 digits is an IIN. Names are found from a shipped list of given names
//! (`data/surveys/given-names.txt`; those marked `*` are also ordinary words and count only next to another sign
//! of a name), patronymics (`-ович`, `-овна`, `-ұлы`, `-қызы`, `-uly`, …), surname-shaped words (`-ов`, `-ева`,
//! `-ин`, `-ский`, `-енко`, …) next to a given name, a patronymic or an initial, any capitalised word after a title
//! (`капитан`, `участковый`, `инспектор`, `mr`, …) or before a Kazakh honorific (`мырза`, `ханым`, `аға`, …).
//! Case endings (Russian and Kazakh) are recognised. Words after street markers (`ул.`, `проспект`) or before
//! `көшесі`/`даңғылы` are streets, not people. Adjacent name words become one `[name]`.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Text with personal data replaced, and how many of each kind were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scrubbed {
    /// The text, with `[phone]`, `[email]`, `[id]` and `[name]` in place of what was found.
    pub text: String,
    /// Phone numbers (and other runs of 9 or more digits) replaced.
    pub phones: usize,
    /// E-mail addresses replaced.
    pub emails: usize,
    /// Names replaced (a full name, e.g. surname, given name and patronymic, counts once).
    pub names: usize,
    /// IINs (12 digits) replaced.
    pub ids: usize,
}

const GIVEN_NAMES: &str = include_str!("../../../../data/surveys/given-names.txt");

/// Whether a given name is also an ordinary word (`*` in the list) and so needs company to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Given {
    Strong,
    Ambiguous,
}

fn given_names() -> &'static HashMap<String, Given> {
    static NAMES: OnceLock<HashMap<String, Given>> = OnceLock::new();
    NAMES.get_or_init(|| {
        GIVEN_NAMES
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| match line.strip_suffix('*') {
                Some(name) => (name.trim().to_lowercase(), Given::Ambiguous),
                None => (line.to_lowercase(), Given::Strong),
            })
            .collect()
    })
}

/// Case endings stripped to find a name's base form: Russian, then Kazakh, then English possessive.
const NAME_SUFFIXES: &[&str] = &[
    "ның", "нің", "дың", "дің", "тың", "тің", "мен", "бен", "пен", "нан", "нен", "дан", "ден", "тан", "тен", "ға",
    "ге", "қа", "ке", "ны", "ні", "ды", "ді", "ты", "ті", "да", "де", "та", "те", "ом", "ем", "ём", "ой", "ей", "ою",
    "ею", "а", "я", "у", "ю", "е", "и", "ы", "'s", "’s",
];

fn given(lower: &str) -> Option<Given> {
    let names = given_names();
    if let Some(kind) = names.get(lower) {
        return Some(*kind);
    }
    for suffix in NAME_SUFFIXES {
        let Some(stem) = lower.strip_suffix(suffix) else { continue };
        if stem.chars().count() < 3 {
            continue;
        }
        for ending in ["", "а", "я", "й", "ь"] {
            if let Some(kind) = names.get(&format!("{stem}{ending}")) {
                return Some(*kind);
            }
        }
    }
    None
}

const KAZAKH_SUFFIXES: &[&str] = &[
    "ның", "нің", "дың", "дің", "тың", "тің", "мен", "бен", "пен", "нан", "нен", "дан", "ден", "тан", "тен", "ға",
    "ге", "қа", "ке", "ны", "ні", "ды", "ді", "ты", "ті", "да", "де", "та", "те", "на", "не",
];

const SURNAME_STEMS: &[&str] = &["ов", "ев", "ёв", "ин", "ын"];
const SURNAME_CASES: &[&str] = &["", "а", "у", "ым", "ом", "е", "ой", "ою", "ых", "ы", "ым"];
const ADJECTIVE_STEMS: &[&str] = &["ск", "цк"];
const ADJECTIVE_CASES: &[&str] = &["ий", "ая", "ого", "ому", "им", "ом", "ой", "ую"];
const LATIN_SURNAME: &[&str] = &["ov", "ova", "ev", "eva", "in", "ina", "sky", "skiy", "skaya", "enko", "yev", "yeva"];

/// Ordinary words of surname shape (lowercase).
const NOT_SURNAMES: &[&str] = &[
    "домов",
    "годов",
    "часов",
    "столов",
    "районов",
    "случаев",
    "машина",
    "машины",
    "машину",
    "картина",
    "причина",
    "причины",
    "половина",
    "мужчина",
    "мужчины",
    "женщина",
    "женщины",
    "вершина",
    "глубина",
    "витрина",
    "магазин",
    "магазина",
    "бензин",
    "один",
    "господин",
    "гражданин",
    "гражданина",
    "русский",
    "русская",
    "казахский",
    "казахская",
    "городской",
    "городская",
    "полицейский",
    "полицейская",
    "каспийский",
    "английский",
    "детский",
    "морской",
    "дворов",
    "подъездов",
    "фонарей",
    "кроме",
    "также",
    "domain",
    "cabin",
    "within",
    "begin",
    "main",
    "again",
    "certain",
    "captain",
    "mountain",
    "rain",
    "train",
    "brain",
    "chain",
];

fn surname_shaped(lower: &str) -> bool {
    if lower.chars().count() < 5 || NOT_SURNAMES.contains(&lower) {
        return false;
    }
    let mut forms = vec![lower.to_owned()];
    for suffix in KAZAKH_SUFFIXES {
        if let Some(stem) = lower.strip_suffix(suffix)
            && stem.chars().count() >= 5
        {
            forms.push(stem.to_owned());
        }
    }
    forms.iter().any(|form| {
        SURNAME_STEMS.iter().any(|stem| SURNAME_CASES.iter().any(|case| form.ends_with(&format!("{stem}{case}"))))
            || ADJECTIVE_STEMS
                .iter()
                .any(|stem| ADJECTIVE_CASES.iter().any(|case| form.ends_with(&format!("{stem}{case}"))))
            || form.ends_with("енко")
            || LATIN_SURNAME.iter().any(|ending| form.ends_with(ending))
    })
}

const PATRONYMIC_ENDINGS: &[&str] = &[
    "ович", "евич", "овна", "евна", "ична", "ұлы", "қызы", "улы", "кызы", "ovich", "evich", "ovna", "evna", "ichna",
    "uly", "kyzy", "qyzy", "uly",
];
const PATRONYMIC_CASES: &[&str] = &["", "а", "у", "ем", "е", "ы", "ой", "ну"];

fn patronymic(lower: &str) -> bool {
    if lower.chars().count() < 6 {
        return false;
    }
    PATRONYMIC_ENDINGS.iter().any(|ending| {
        PATRONYMIC_CASES.iter().any(|case| {
            let base = ending.strip_suffix('а').filter(|_| !case.is_empty()).unwrap_or(ending);
            lower.ends_with(&format!("{base}{case}")) || lower.ends_with(&format!("{ending}{case}"))
        })
    })
}

/// Titles and ranks after which a capitalised word is a name (prefixes, to match declined forms).
const TITLE_PREFIXES: &[&str] = &[
    "капитан",
    "майор",
    "лейтенант",
    "сержант",
    "полковник",
    "подполковник",
    "участков",
    "инспектор",
    "следовател",
    "дознавател",
    "старшин",
    "прапорщик",
    "господин",
    "госпож",
    "гражданин",
    "гражданк",
    "товарищ",
    "начальник",
    "тергеуші",
    "азамат",
    "officer",
    "captain",
    "inspector",
    "sergeant",
    "lieutenant",
    "detective",
    "constable",
];
/// Titles matched exactly (short words that would match too much as prefixes).
const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "г-н", "г-жа", "major", "мистер"];
/// Kazakh honorifics that follow a name.
const HONORIFICS: &[&str] = &[
    "мырза",
    "мырзаға",
    "мырзамен",
    "мырзаның",
    "ханым",
    "ханымға",
    "ханыммен",
    "ханымның",
    "апай",
    "апайға",
    "апаймен",
    "апайдың",
    "ағай",
    "ағайға",
    "ағаймен",
    "ағайдың",
    "аға",
    "ағаға",
    "ағамен",
    "ағаның",
    "әпке",
    "әпкеге",
    "апа",
    "апаға",
    "ата",
    "атаға",
];
/// Words after which a capitalised word names a street.
const STREET_BEFORE: &[&str] = &[
    "ул",
    "улица",
    "улице",
    "улицы",
    "улицу",
    "пр",
    "пр-т",
    "проспект",
    "проспекте",
    "проспекта",
    "мкр",
    "микрорайон",
    "микрорайоне",
    "бульвар",
    "переулок",
    "st",
    "street",
    "ave",
    "avenue",
];
/// Words before which a capitalised word names a street.
const STREET_AFTER: &[&str] = &[
    "көшесі",
    "көшесінде",
    "көшесіндегі",
    "көшесіне",
    "даңғылы",
    "даңғылында",
    "шағынауданы",
    "street",
    "avenue",
    "st",
    "ave",
    "улица",
    "проспект",
];

#[derive(Debug, Default, Clone)]
struct Word {
    start: usize,
    end: usize,

    capitalised: bool,
    initial: bool,
    sentence_start: bool,
    given: Option<Given>,
    patronymic: bool,
    surname: bool,
    title: bool,
    honorific: bool,
    street_before: bool,
    street_after: bool,
    street: bool,
    name: bool,
}

/// Scrubs phone numbers, e-mail addresses, IINs and personal names from `text` (see the module's docs).
pub fn scrub_text(text: &str) -> Scrubbed {
    let mut scrubbed = Scrubbed { text: String::new(), phones: 0, emails: 0, names: 0, ids: 0 };
    let text = scrub_emails(text, &mut scrubbed.emails);
    let text = scrub_numbers(&text, &mut scrubbed.phones, &mut scrubbed.ids);
    scrubbed.text = scrub_names(&text, &mut scrubbed.names);
    scrubbed
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-".contains(c)
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.'
}

fn scrub_emails(text: &str, count: &mut usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' {
            i += 1;
            continue;
        }
        let mut start = i;
        while start > copied && is_local_char(chars[start - 1]) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < chars.len() && is_domain_char(chars[end]) {
            end += 1;
        }
        while end > i + 1 && matches!(chars[end - 1], '.' | '-') {
            end -= 1;
        }
        let domain: String = chars[i + 1..end].iter().collect();
        let tld_ok = domain.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
        });
        if start < i && tld_ok {
            out.extend(&chars[copied..start]);
            out.push_str("[email]");
            *count += 1;
            copied = end;
            i = end;
        } else {
            i += 1;
        }
    }
    out.extend(&chars[copied..]);
    out
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '(' | ')' | '\u{a0}' | '\u{2013}' | '\u{2011}')
}

fn scrub_numbers(text: &str, phones: &mut usize, ids: &mut usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts = c.is_ascii_digit()
            || (matches!(c, '+' | '(') && chars.get(i + 1).is_some_and(char::is_ascii_digit))
            || (c == '+' && chars.get(i + 1) == Some(&' ') && chars.get(i + 2).is_some_and(char::is_ascii_digit));
        if !starts {
            out.push(c);
            i += 1;
            continue;
        }
        let (mut j, mut digits, mut separated) = (i, 0, c == '+');
        if !c.is_ascii_digit() {
            j += 1;
        }
        let mut end = j;
        loop {
            while j < chars.len() && chars[j].is_ascii_digit() {
                digits += 1;
                j += 1;
            }
            end = end.max(j);
            let mut k = j;
            while k < chars.len() && k - j < 2 && is_separator(chars[k]) {
                k += 1;
            }
            if k > j && k < chars.len() && chars[k].is_ascii_digit() {
                separated = true;
                j = k;
            } else {
                break;
            }
        }
        if digits >= 9 {
            if digits == 12 && !separated {
                out.push_str("[id]");
                *ids += 1;
            } else {
                out.push_str("[phone]");
                *phones += 1;
            }
        } else {
            out.extend(&chars[i..end]);
        }
        i = end;
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic()
}

fn words(chars: &[char]) -> Vec<Word> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_word_char(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (is_word_char(chars[i])
                || (matches!(chars[i], '-' | '\'' | '’') && chars.get(i + 1).is_some_and(|c| is_word_char(*c))))
        {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        let lower = text.to_lowercase();
        let first_upper = text.chars().next().is_some_and(char::is_uppercase);
        let len = text.chars().count();
        let initial = len == 1 && first_upper && chars.get(i) == Some(&'.');
        let capitalised = first_upper && len >= 2 && text.chars().skip(1).any(char::is_lowercase);
        let mut back = start;
        while back > 0 && (chars[back - 1].is_whitespace() || "«»\"'()—–-".contains(chars[back - 1])) {
            back -= 1;
        }
        let sentence_start = back == 0 || ".!?…:;\n".contains(chars[back - 1]);
        words.push(Word {
            start,
            end: i,
            given: if capitalised { given(&lower) } else { None },
            patronymic: capitalised && patronymic(&lower),
            surname: capitalised && surname_shaped(&lower),
            title: TITLES.contains(&lower.as_str()) || TITLE_PREFIXES.iter().any(|p| lower.starts_with(p)),
            honorific: HONORIFICS.contains(&lower.as_str()),
            street_before: STREET_BEFORE.contains(&lower.as_str()),
            street_after: STREET_AFTER.contains(&lower.as_str()),

            capitalised,
            initial,
            sentence_start,
            ..Word::default()
        });
    }
    words
}

/// Whether two consecutive words are adjacent: only spaces between them, or a dot and spaces after an
/// initial, a title abbreviation or a street abbreviation.
fn adjacent(chars: &[char], left: &Word, right: &Word) -> bool {
    let gap = &chars[left.end..right.start];
    let dotted = left.initial || left.title || left.street_before;
    match gap {
        [] => false,
        ['.', rest @ ..] if dotted => rest.iter().all(|c| c.is_whitespace() && *c != '\n'),
        _ => gap.iter().all(|c| c.is_whitespace() && *c != '\n'),
    }
}

fn scrub_names(text: &str, count: &mut usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut words = words(&chars);
    let n = words.len();
    let adj: Vec<bool> = (0..n.saturating_sub(1)).map(|i| adjacent(&chars, &words[i], &words[i + 1])).collect();
    let prev = |i: usize| i.checked_sub(1).filter(|&p| adj[p]);
    let next = |i: usize| Some(i + 1).filter(|&k| k < n && adj[i]);
    for i in 0..n {
        if words[i].initial && i > 0 && adj[i - 1] && words[i - 1].initial {
            words[i].sentence_start = false;
        }
        if let Some(p) = prev(i)
            && words[p].initial
        {
            words[i].sentence_start = false;
        }
    }
    // Streets: after a street marker, before a street suffix, spreading over adjacent capitalised words and
    // initials.
    for i in 0..n {
        let after_marker = prev(i).is_some_and(|p| words[p].street_before);
        let before_suffix = next(i).is_some_and(|k| words[k].street_after);
        if (after_marker || before_suffix) && (words[i].capitalised || words[i].initial) {
            words[i].street = true;
        }
    }
    for i in (0..n).rev() {
        if words[i].street
            && let Some(p) = prev(i)
            && (words[p].initial || words[p].capitalised)
            && !words[p].street_before
        {
            words[p].street = true;
        }
    }
    for word in words.iter_mut() {
        word.name = !word.street && (word.given == Some(Given::Strong) || word.patronymic);
    }
    loop {
        let mut changed = false;
        for i in 0..n {
            let w = &words[i];
            if w.name || w.street || !(w.capitalised || w.initial) {
                continue;
            }
            let neighbours: Vec<&Word> =
                [prev(i), next(i)].into_iter().flatten().map(|k| &words[k]).filter(|o| !o.street).collect();
            let near_name = neighbours.iter().any(|o| o.name);
            let near_initial = neighbours.iter().any(|o| o.initial);
            let near_surname = neighbours.iter().any(|o| o.surname);
            let after_initial = prev(i).is_some_and(|p| words[p].initial);
            let after_title =
                prev(i).is_some_and(|p| words[p].title && (!words[p].capitalised || words[p].sentence_start));
            let before_honorific = next(i).is_some_and(|k| words[k].honorific);
            let is_name = if w.initial {
                // "И.И. Иванов", "Иванов И.И.", "А. Серікбаев": initials next to a name, or in a chain.
                near_name
                    || near_surname
                    || neighbours.iter().any(|o| o.given.is_some())
                    || next(i).is_some_and(|k| words[k].initial)
            } else if w.surname || w.given == Some(Given::Ambiguous) {
                near_name || near_initial || after_title || before_honorific || (w.given.is_some() && near_surname)
            } else {
                after_title || (before_honorific && !w.sentence_start) || after_initial
            };
            if is_name {
                words[i].name = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Initials left alone next to a name word join it.
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < n {
        if !words[i].name {
            i += 1;
            continue;
        }
        let mut last = i;
        while last + 1 < n && adj[last] && words[last + 1].name {
            last += 1;
        }
        let mut end = words[last].end;
        if words[last].initial && chars.get(end) == Some(&'.') {
            end += 1;
        }
        out.extend(&chars[copied..words[i].start]);
        out.push_str("[name]");
        *count += 1;
        copied = end;
        i = last + 1;
    }
    out.extend(&chars[copied..]);
    out
}
