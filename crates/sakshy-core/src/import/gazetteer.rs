//! Reading the gazetteer file: CSV with `code, kind, name_kk, name_ru, name_en, lat, lon` (format in
//! `docs/formats.md`).

use geo_types::Point;

use super::{Fields, ImportFailure, InvalidReason, Located, Location, at_column, check_duplicates, finish, read_csv};
use crate::code::Code;
use crate::gazetteer::{Place, PlaceKind};

/// Parses gazetteer places from CSV.
///
/// # Errors
///
/// [`ImportFailure`] with every problem, each naming its line and column.
pub fn parse_gazetteer_csv(text: &str) -> Result<Vec<Located<Place>>, ImportFailure> {
    let rows = read_csv(text, &["code", "kind", "name_kk", "name_ru", "name_en", "lat", "lon"])?;
    let mut failure = ImportFailure::default();
    let mut places = Vec::new();
    for (line, row) in rows {
        let fields = Fields::Csv(&row);
        let parsed = (|| {
            let coordinate = |name: &str, limit: f64| {
                fields.required_parsed(name, |text| match text.parse::<f64>() {
                    Ok(value) if value.is_finite() && value.abs() <= limit => Ok(value),
                    _ => Err(InvalidReason::NumberOutOfRange { min: -limit, max: limit }),
                })
            };
            Ok(Place {
                code: fields.required_parsed("code", Code::parse)?,
                kind: fields.required_parsed("kind", str::parse::<PlaceKind>)?,
                name: fields.names()?,
                location: {
                    let (lat, lon) = (coordinate("lat", 90.0)?, coordinate("lon", 180.0)?);
                    Point::new(lon, lat)
                },
            })
        })();
        match parsed {
            Ok(place) => places.push(Located { location: Location::Line { line, column: None }, value: place }),
            Err(kind) => failure.errors.push(at_column(line, kind)),
        }
    }
    check_duplicates(&places, |place| &place.code, &mut failure);
    finish(places, failure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ProblemKind;

    #[test]
    fn a_good_file_parses_and_a_bad_one_names_line_and_column() {
        let good = "code,kind,name_kk,name_ru,name_en,lat,lon\n\
                    ST-1,street,Қазыбек би көшесі,улица Казыбек би,Kazybek Bi Street,42.31,69.59\n";
        let places = parse_gazetteer_csv(good).unwrap();
        assert_eq!(places[0].value.kind, PlaceKind::Street);
        assert_eq!(places[0].value.location, Point::new(69.59, 42.31));
        let bad = "code,kind,name_kk,name_ru,name_en,lat,lon\n\
                   ST-1,street,Қазыбек би көшесі,улица Казыбек би,Kazybek Bi Street,42.31,69.59\n\
                   ST-2,alley,Х,Х,X,42.31,69.59\n\
                   ST-3,street,Х,Х,X,north,69.59\n";
        let failure = parse_gazetteer_csv(bad).unwrap_err();
        assert_eq!(failure.errors.len(), 2);
        assert_eq!(failure.errors[0].location, Location::Line { line: 3, column: Some("kind".into()) });
        assert!(matches!(failure.errors[0].kind, ProblemKind::Invalid { .. }));
        assert_eq!(failure.errors[1].location, Location::Line { line: 4, column: Some("lat".into()) });
    }
}
