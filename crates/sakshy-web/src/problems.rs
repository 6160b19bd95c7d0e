//! An import's problems in the caller's language: one Fluent message per kind of problem (and per reason a value
//! is refused), with the parts of the problem as arguments. The core's `Display` stays the English of the CLI.
//!
//! Numbers follow the rest of the crate: counts and indices as Fluent numbers (so that plurals work), areas in
//! whole square metres and coordinates as given, as text.

use fluent_templates::fluent_bundle::FluentValue;
use sakshy_core::Lang;
use sakshy_core::category::CategoryError;
use sakshy_core::code::CodeError;
use sakshy_core::geometry::{ExpectedGeometry, GeometryError, PolygonFault, PositionAt};
use sakshy_core::hours::OpeningHoursError;
use sakshy_core::import::{CsvError, InvalidReason, Location, Problem, ProblemKind};
use sakshy_core::territory::TerritoryError;

use crate::i18n::text;

/// A problem as the API shows it: where it is and what is wrong, both in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemText {
    /// The place in the file, e.g. `3-жол, «phone» бағаны`.
    pub location: String,
    /// What is wrong there.
    pub message: String,
}

type Args = Vec<(&'static str, FluentValue<'static>)>;

fn number(value: impl Into<f64>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}

fn count(value: usize) -> FluentValue<'static> {
    // Indices and counts in a file stay far below 2^53, where f64 is exact.
    number(value as f64)
}

fn string(value: impl ToString) -> FluentValue<'static> {
    FluentValue::from(value.to_string())
}

fn area(square_metres: f64) -> FluentValue<'static> {
    FluentValue::from(format!("{square_metres:.0}"))
}

/// Renders a problem, its place and its message, in `lang`.
pub fn render_problem(lang: Lang, problem: &Problem) -> ProblemText {
    let (key, args) = kind_message(lang, &problem.kind);
    ProblemText { location: location_text(lang, &problem.location), message: text(lang, key, &args) }
}

fn location_text(lang: Lang, location: &Location) -> String {
    let (key, args) = location_message(location);
    text(lang, key, &args)
}

fn location_message(location: &Location) -> (&'static str, Args) {
    match location {
        Location::File => ("import-at-file", vec![]),
        Location::Feature { index, code: None } => ("import-at-feature", vec![("index", count(*index))]),
        Location::Feature { index, code: Some(code) } => {
            ("import-at-feature-code", vec![("index", count(*index)), ("code", string(code))])
        }
        Location::Line { line, column: None } => ("import-at-line", vec![("line", number(*line as f64))]),
        Location::Line { line, column: Some(column) } => {
            ("import-at-line-column", vec![("line", number(*line as f64)), ("column", string(column))])
        }
    }
}

fn kind_message(lang: Lang, kind: &ProblemKind) -> (&'static str, Args) {
    match kind {
        ProblemKind::Json { line, column, .. } => {
            ("import-json", vec![("line", count(*line)), ("column", count(*column))])
        }
        ProblemKind::NotFeatureCollection => ("import-not-feature-collection", vec![]),
        ProblemKind::NotFeature => ("import-not-feature", vec![]),
        ProblemKind::Csv(CsvError::FieldCount { expected, found }) => {
            ("import-csv-field-count", vec![("expected", number(*expected as f64)), ("found", number(*found as f64))])
        }
        ProblemKind::Csv(CsvError::Other(detail)) => ("import-csv-unreadable", vec![("detail", string(detail))]),
        ProblemKind::Missing(field) => ("import-missing", vec![("field", string(field))]),
        ProblemKind::MissingColumn(column) => ("import-missing-column", vec![("column", string(column))]),
        ProblemKind::Invalid { property, reason } => reason_message(property, reason),
        ProblemKind::Geometry(err) => geometry_message(err),
        ProblemKind::Duplicate { code, first } => {
            ("import-duplicate", vec![("code", string(code)), ("first", string(location_text(lang, first)))])
        }
        ProblemKind::NoCity => ("import-no-city", vec![]),
        ProblemKind::SecondCity => ("import-second-city", vec![]),
        ProblemKind::OtherCity { file, stored } => {
            ("import-other-city", vec![("file", string(file)), ("stored", string(stored))])
        }
        ProblemKind::UnknownParent { parent, level } => {
            ("import-unknown-parent", vec![("parent", string(parent)), ("level", string(level.as_str()))])
        }
        ProblemKind::OutsideParent { parent, outside_m2, tolerance_m2, swapped } => (
            "import-outside-parent",
            vec![
                ("parent", string(parent)),
                ("outside", area(*outside_m2)),
                ("limit", area(*tolerance_m2)),
                ("swapped", string(swapped)),
            ],
        ),
        ProblemKind::Overlap { other, overlap_m2, tolerance_m2 } => (
            "import-overlap",
            vec![("other", string(other)), ("overlap", area(*overlap_m2)), ("limit", area(*tolerance_m2))],
        ),
        ProblemKind::Gap { gap_m2, child_level } => {
            ("import-gap", vec![("gap", area(*gap_m2)), ("level", string(child_level.as_str()))])
        }
        ProblemKind::UnknownQuadrant(code) => ("import-unknown-quadrant", vec![("code", string(code))]),
        ProblemKind::UnknownPoint(code) => ("import-unknown-point", vec![("code", string(code))]),
        ProblemKind::Routing(err) => routing_message(err),
    }
}

fn reason_message(property: &str, reason: &InvalidReason) -> (&'static str, Args) {
    let field = ("field", string(property));
    match reason {
        InvalidReason::NotText => ("import-not-text", vec![field]),
        InvalidReason::NotBoolean => ("import-not-boolean", vec![field]),
        InvalidReason::NotCount => ("import-not-count", vec![field]),
        InvalidReason::NotList => ("import-not-list", vec![field]),
        InvalidReason::NumberOutOfRange { min, max } => {
            ("import-number-out-of-range", vec![field, ("min", string(min)), ("max", string(max))])
        }
        InvalidReason::WorkingDaysOutOfRange { min, max } => {
            ("import-working-days-out-of-range", vec![field, ("min", number(*min)), ("max", number(*max))])
        }
        InvalidReason::NotEmail => ("import-not-email", vec![field]),
        InvalidReason::UnknownTimeZone(zone) => ("import-unknown-time-zone", vec![field, ("value", string(zone))]),
        InvalidReason::UnknownName(err) => (
            "import-unknown-name",
            vec![
                field,
                ("value", string(&err.value)),
                ("expected", string(err.expected.trim_end().replace(' ', ", "))),
            ],
        ),
        InvalidReason::UnknownLang(err) => ("import-unknown-lang", vec![field, ("value", string(&err.0))]),
        InvalidReason::Code(CodeError::Empty) => ("import-code-empty", vec![field]),
        InvalidReason::Code(CodeError::TooLong(code)) => ("import-code-too-long", vec![field, ("value", string(code))]),
        InvalidReason::Code(CodeError::BadChar { code, found }) => {
            ("import-code-bad-char", vec![field, ("value", string(code)), ("char", string(found))])
        }
        InvalidReason::Hours(err) => match err {
            OpeningHoursError::Empty => ("import-hours-empty", vec![field]),
            OpeningHoursError::NoTimes { rule } => ("import-hours-no-times", vec![field, ("rule", string(rule))]),
            OpeningHoursError::BadDay(day) => ("import-hours-bad-day", vec![field, ("value", string(day))]),
            OpeningHoursError::BadRange(range) => ("import-hours-bad-range", vec![field, ("value", string(range))]),
            OpeningHoursError::Backwards(range) => ("import-hours-backwards", vec![field, ("value", string(range))]),
            OpeningHoursError::Overlap { day, first, second } => (
                "import-hours-overlap",
                vec![field, ("day", string(day)), ("first", string(first)), ("second", string(second))],
            ),
        },
        InvalidReason::Phone(err) => ("import-phone", vec![field, ("value", string(&err.0))]),
        InvalidReason::EmptyText(err) => ("import-empty-text", vec![field, ("lang", string(err.0.code()))]),
        InvalidReason::Territory(err) => match err {
            TerritoryError::MissingParent(level) => {
                ("import-territory-missing-parent", vec![("level", string(level.as_str()))])
            }
            TerritoryError::CityWithParent => ("import-territory-city-with-parent", vec![]),
            TerritoryError::PilotNotQuadrant(level) => {
                ("import-territory-pilot-not-quadrant", vec![("level", string(level.as_str()))])
            }
            TerritoryError::EmptyGeometry => ("import-territory-empty-geometry", vec![]),
        },
    }
}

fn position_args(position: &PositionAt) -> Args {
    match position {
        PositionAt::Point => vec![("at", string("point"))],
        PositionAt::Ring { polygon, ring, index } => {
            vec![("at", string("ring")), ("polygon", count(*polygon)), ("ring", count(*ring)), ("index", count(*index))]
        }
    }
}

fn geometry_message(err: &GeometryError) -> (&'static str, Args) {
    match err {
        GeometryError::Missing => ("import-geometry-missing", vec![]),
        GeometryError::NotAnObject => ("import-geometry-not-object", vec![]),
        GeometryError::WrongType { found, expected } => {
            let expected = match expected {
                ExpectedGeometry::Point => "point",
                ExpectedGeometry::Polygonal => "polygonal",
            };
            ("import-geometry-wrong-type", vec![("found", string(found)), ("expected", string(expected))])
        }
        GeometryError::BadNesting(kind) => ("import-geometry-bad-nesting", vec![("type", string(kind))]),
        GeometryError::BadPosition { position } => ("import-geometry-bad-position", position_args(position)),
        GeometryError::OutOfRange { position, lon, lat } => {
            let mut args = position_args(position);
            args.extend([("lon", string(lon)), ("lat", string(lat))]);
            ("import-geometry-out-of-range", args)
        }
        GeometryError::RingNotClosed { polygon, ring } => {
            ("import-geometry-ring-not-closed", vec![("polygon", count(*polygon)), ("ring", count(*ring))])
        }
        GeometryError::RingTooShort { polygon, ring, positions } => (
            "import-geometry-ring-too-short",
            vec![("polygon", count(*polygon)), ("ring", count(*ring)), ("points", count(*positions))],
        ),
        GeometryError::Invalid(fault) => {
            let ring_args = |polygon: &usize, ring: &usize| vec![("polygon", count(*polygon)), ("ring", count(*ring))];
            let pair_args = |first: &usize, second: &usize| vec![("first", count(*first)), ("second", count(*second))];
            match fault {
                PolygonFault::TooFewDistinct { polygon, ring } => {
                    ("import-polygon-too-few-distinct", ring_args(polygon, ring))
                }
                PolygonFault::SelfIntersection { polygon, ring } => {
                    ("import-polygon-self-intersection", ring_args(polygon, ring))
                }
                PolygonFault::HoleOutside { polygon, ring } => {
                    ("import-polygon-hole-outside", ring_args(polygon, ring))
                }
                PolygonFault::RingsTouch { polygon, first, second } => {
                    let mut args = pair_args(first, second);
                    args.push(("polygon", count(*polygon)));
                    ("import-polygon-rings-touch", args)
                }
                PolygonFault::RingsOverlap { polygon, first, second } => {
                    let mut args = pair_args(first, second);
                    args.push(("polygon", count(*polygon)));
                    ("import-polygon-rings-overlap", args)
                }
                PolygonFault::PolygonsOverlap { first, second } => {
                    ("import-polygon-parts-overlap", pair_args(first, second))
                }
                PolygonFault::PolygonsTouch { first, second } => {
                    ("import-polygon-parts-touch", pair_args(first, second))
                }
            }
        }
    }
}

fn routing_message(err: &CategoryError) -> (&'static str, Args) {
    match err {
        CategoryError::UnknownAgency { category, agency, role } => (
            "import-routing-unknown-agency",
            vec![("category", string(category)), ("agency", string(agency)), ("role", string(role))],
        ),
        CategoryError::EmergencyWithoutLine(category) => {
            ("import-routing-emergency-without-line", vec![("category", string(category))])
        }
        CategoryError::PrimaryAlsoJoint(category) => {
            ("import-routing-primary-also-joint", vec![("category", string(category))])
        }
        CategoryError::BadOverride { district, category, replaces, what, code } => (
            "import-routing-bad-override",
            vec![
                ("district", string(district)),
                ("category", string(category)),
                ("replaces", string(replaces)),
                ("what", string(what)),
                ("code", string(code)),
            ],
        ),
        CategoryError::DuplicateOverride { district, category, replaces } => (
            "import-routing-duplicate-override",
            vec![("district", string(district)), ("category", string(category)), ("replaces", string(replaces))],
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use sakshy_core::category::CategoryError;
    use sakshy_core::lang::{EmptyText, UnknownLang};
    use sakshy_core::registry::PhoneError;
    use sakshy_core::territory::{Level, UnknownVariant};

    use super::*;
    use crate::i18n::text_strict;

    fn value(property: &str, reason: InvalidReason) -> ProblemKind {
        ProblemKind::Invalid { property: property.into(), reason }
    }

    /// One problem of every kind, every reason and every geometry fault.
    fn one_of_each() -> Vec<ProblemKind> {
        let (polygon, ring) = (0, 1);
        let at = PositionAt::Ring { polygon, ring, index: 3 };
        let reasons = vec![
            InvalidReason::NotText,
            InvalidReason::NotBoolean,
            InvalidReason::NotCount,
            InvalidReason::NotList,
            InvalidReason::NumberOutOfRange { min: -90.0, max: 90.0 },
            InvalidReason::WorkingDaysOutOfRange { min: 1, max: 60 },
            InvalidReason::NotEmail,
            InvalidReason::UnknownTimeZone("Mars/Olympus".into()),
            InvalidReason::UnknownName(UnknownVariant { value: "urgent".into(), expected: "high low " }),
            InvalidReason::UnknownLang(UnknownLang("de".into())),
            InvalidReason::Code(CodeError::Empty),
            InvalidReason::Code(CodeError::TooLong("X".repeat(65))),
            InvalidReason::Code(CodeError::BadChar { code: "КВ-1".into(), found: 'К' }),
            InvalidReason::Hours(OpeningHoursError::Empty),
            InvalidReason::Hours(OpeningHoursError::NoTimes { rule: "Mo".into() }),
            InvalidReason::Hours(OpeningHoursError::BadDay("Xx".into())),
            InvalidReason::Hours(OpeningHoursError::BadRange("9-18".into())),
            InvalidReason::Hours(OpeningHoursError::Backwards("18:00-09:00".into())),
            InvalidReason::Hours(OpeningHoursError::Overlap {
                day: "Tu",
                first: "09:00-12:00".into(),
                second: "11:00-13:00".into(),
            }),
            InvalidReason::Phone(PhoneError("call us".into())),
            InvalidReason::EmptyText(EmptyText(Lang::Ru)),
            InvalidReason::Territory(TerritoryError::MissingParent(Level::Quadrant)),
            InvalidReason::Territory(TerritoryError::CityWithParent),
            InvalidReason::Territory(TerritoryError::PilotNotQuadrant(Level::District)),
            InvalidReason::Territory(TerritoryError::EmptyGeometry),
        ];
        let geometry = vec![
            GeometryError::Missing,
            GeometryError::NotAnObject,
            GeometryError::WrongType { found: "LineString".into(), expected: ExpectedGeometry::Polygonal },
            GeometryError::BadNesting("MultiPolygon"),
            GeometryError::BadPosition { position: at },
            GeometryError::OutOfRange { position: PositionAt::Point, lon: 42.3, lat: 169.6 },
            GeometryError::RingNotClosed { polygon, ring },
            GeometryError::RingTooShort { polygon, ring, positions: 3 },
            GeometryError::Invalid(PolygonFault::TooFewDistinct { polygon, ring }),
            GeometryError::Invalid(PolygonFault::SelfIntersection { polygon, ring }),
            GeometryError::Invalid(PolygonFault::HoleOutside { polygon, ring }),
            GeometryError::Invalid(PolygonFault::RingsTouch { polygon, first: 0, second: 1 }),
            GeometryError::Invalid(PolygonFault::RingsOverlap { polygon, first: 1, second: 2 }),
            GeometryError::Invalid(PolygonFault::PolygonsOverlap { first: 0, second: 1 }),
            GeometryError::Invalid(PolygonFault::PolygonsTouch { first: 0, second: 1 }),
        ];
        let routing = vec![
            CategoryError::UnknownAgency { category: "NOISE".into(), agency: "KDN".into(), role: "joint" },
            CategoryError::EmergencyWithoutLine("FIRE".into()),
            CategoryError::PrimaryAlsoJoint("NOISE".into()),
            CategoryError::BadOverride {
                district: "SHY-XXX".into(),
                category: "*".into(),
                replaces: "AKIM_DISTR".into(),
                what: "district",
                code: "SHY-XXX".into(),
            },
            CategoryError::DuplicateOverride {
                district: "SHY-ALF".into(),
                category: "LIGHTING".into(),
                replaces: "AKIM_DISTR".into(),
            },
        ];
        let mut kinds = vec![
            ProblemKind::Json { line: 1, column: 2, detail: "key must be a string at line 1 column 2".into() },
            ProblemKind::NotFeatureCollection,
            ProblemKind::NotFeature,
            ProblemKind::Csv(CsvError::FieldCount { expected: 11, found: 2 }),
            ProblemKind::Csv(CsvError::Other("I/O error".into())),
            ProblemKind::Missing("name_ru".into()),
            ProblemKind::MissingColumn("hours".into()),
            ProblemKind::Duplicate { code: "SHY-00001".into(), first: Location::Line { line: 2, column: None } },
            ProblemKind::NoCity,
            ProblemKind::SecondCity,
            ProblemKind::OtherCity { file: "ALA".into(), stored: "SHY".into() },
            ProblemKind::UnknownParent { parent: "TOY-X".into(), level: Level::District },
            ProblemKind::OutsideParent {
                parent: "TOY-W".into(),
                outside_m2: 1234.4,
                tolerance_m2: 100.0,
                swapped: true,
            },
            ProblemKind::Overlap { other: "TOY-W-Q1".into(), overlap_m2: 9876.5, tolerance_m2: 4500.0 },
            ProblemKind::Gap { gap_m2: 250.0, child_level: Level::Quadrant },
            ProblemKind::UnknownQuadrant("TOY-W-Q9".into()),
            ProblemKind::UnknownPoint("P9".into()),
        ];
        kinds.extend(reasons.into_iter().map(|reason| value("hours", reason)));
        kinds.extend(geometry.into_iter().map(ProblemKind::Geometry));
        kinds.extend(routing.into_iter().map(ProblemKind::Routing));
        kinds
    }

    fn locations() -> Vec<Location> {
        vec![
            Location::File,
            Location::Feature { index: 2, code: None },
            Location::Feature { index: 2, code: Some("SHY-ALF-Q01".into()) },
            Location::Line { line: 3, column: None },
            Location::Line { line: 3, column: Some("phone".into()) },
        ]
    }

    fn import_keys(ftl: &str) -> BTreeSet<&str> {
        ftl.lines()
            .filter(|line| line.starts_with("import-"))
            .filter_map(|line| line.split_once(" = ").map(|(key, _)| key.trim()))
            .collect()
    }

    #[test]
    fn every_problem_has_a_message_in_every_language() {
        let mut used = BTreeSet::new();
        let (kinds, places) = (one_of_each(), locations());
        let messages = kinds.iter().map(|kind| kind_message(Lang::En, kind)).chain(places.iter().map(location_message));
        for (key, args) in messages {
            for lang in Lang::ALL {
                let shown = text_strict(lang, key, &args);
                assert!(shown.as_deref().is_some_and(|shown| !shown.is_empty()), "{key} in {lang}: {shown:?}");
            }
            used.insert(key);
        }
        // Every message of the block is some problem's: a variant without an example here would leave its message
        // unused, and a message without a variant is dead.
        for ftl in [
            include_str!("../locales/kk/main.ftl"),
            include_str!("../locales/ru/main.ftl"),
            include_str!("../locales/en/main.ftl"),
        ] {
            assert_eq!(import_keys(ftl), used);
        }
    }

    fn shown(lang: Lang, kind: ProblemKind, location: Location) -> (String, String) {
        let shown = render_problem(lang, &Problem { location, kind });
        (shown.location, shown.message)
    }

    #[test]
    fn places_and_messages_read_naturally_in_each_language() {
        let column = || Location::Line { line: 3, column: Some("phone".into()) };
        let phone = || value("phone", InvalidReason::Phone(PhoneError("call us".into())));
        assert_eq!(
            shown(Lang::Kk, phone(), column()),
            (
                "3-жол, «phone» бағаны".into(),
                "«phone» өрісі: «call us» — телефон нөмірі емес; +, цифрлар, бос орын, сызықша және жақша \
                 қолданыңыз, цифрлар саны 3-тен 15-ке дейін."
                    .into()
            )
        );
        assert_eq!(shown(Lang::Ru, phone(), column()).0, "строка 3, столбец «phone»");
        assert_eq!(shown(Lang::En, phone(), column()).0, column().to_string(), "English places read as the CLI's");
        let feature = || Location::Feature { index: 2, code: Some("SHY-ALF-Q01".into()) };
        let outside = |swapped| ProblemKind::OutsideParent {
            parent: "TOY-W".into(),
            outside_m2: 1234.5,
            tolerance_m2: 99.6,
            swapped,
        };
        assert_eq!(
            shown(Lang::Kk, outside(false), feature()),
            (
                "№2 нысан (SHY-ALF-Q01)".into(),
                "Аумақтың 1234 м² бөлігі TOY-W шекарасынан тыс жатыр (рұқсат етілген шегі 100 м²).".into()
            )
        );
        assert_eq!(
            shown(Lang::En, outside(true), feature()).1,
            "The territory lies 1234 m² outside its parent TOY-W (tolerance 100 m²). With longitude and latitude \
             swapped it would fall on its parent: GeoJSON positions are [longitude, latitude]."
        );
        let gap = ProblemKind::Gap { gap_m2: 250.0, child_level: Level::Quadrant };
        assert_eq!(
            shown(Lang::Kk, gap, Location::File),
            ("файл".into(), "Аумақтың 250 м² бөлігі ешбір квадрантқа кірмейді (бос орын).".into())
        );
        let fields = |found| ProblemKind::Csv(CsvError::FieldCount { expected: 11, found });
        let line = || Location::Line { line: 4, column: None };
        assert_eq!(shown(Lang::Ru, fields(2), line()).1, "В строке 2 значения, а в заголовке 11 столбцов.");
        assert_eq!(shown(Lang::Ru, fields(21), line()).1, "В строке 21 значение, а в заголовке 11 столбцов.");
        assert_eq!(shown(Lang::En, fields(1), line()).1, "The record has 1 field, but the header has 11 columns.");
        let json = |line| ProblemKind::Json { line, column: 7, detail: String::new() };
        assert_eq!(shown(Lang::Kk, json(0), Location::File).1, "Файл жарамды JSON емес.");
        assert_eq!(shown(Lang::Kk, json(3), Location::File).1, "Файл жарамды JSON емес: қате 3-жолдың 7-таңбасында.");
        let overlap = value(
            "hours",
            InvalidReason::Hours(OpeningHoursError::Overlap {
                day: "We",
                first: "09:00-12:00".into(),
                second: "11:00-13:00".into(),
            }),
        );
        assert_eq!(
            shown(Lang::Ru, overlap, line()).1,
            "Поле «hours»: в среду пересекаются интервалы 09:00-12:00 и 11:00-13:00."
        );
        let duplicate =
            ProblemKind::Duplicate { code: "SHY-00001".into(), first: Location::Line { line: 2, column: None } };
        assert_eq!(shown(Lang::Kk, duplicate, line()).1, "SHY-00001 коды екі рет кездеседі (алғаш рет: 2-жол).");
        let short = ProblemKind::Geometry(GeometryError::RingTooShort { polygon: 0, ring: 1, positions: 3 });
        assert_eq!(
            shown(Lang::Ru, short, feature()).1,
            "В кольце № 1 полигона № 0 всего 3 точки; замкнутому кольцу нужно не меньше 4."
        );
        let missing_parent = value("parent", InvalidReason::Territory(TerritoryError::MissingParent(Level::Quadrant)));
        assert_eq!(
            shown(Lang::Kk, missing_parent, feature()).1,
            "Квадранттың қай ауданға жататыны («parent» өрісі) көрсетілмеген."
        );
    }
}
