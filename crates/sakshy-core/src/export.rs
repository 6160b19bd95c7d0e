//! Writing territories back in the import format of `docs/formats.md`, so that an export can be edited and
//! imported again unchanged.

use serde_json::{Map, Value, json};

use crate::city::City;
use crate::geometry::polygonal_to_geojson;
use crate::territory::{Level, Territory};

/// The GeoJSON properties of a territory, as `docs/formats.md` defines them. The city's own settings
/// (`timezone`, `default_lang`) are added when `city` is given and the territory is that city.
pub fn territory_properties(territory: &Territory, city: Option<&City>) -> Map<String, Value> {
    let mut props = Map::new();
    props.insert("level".into(), json!(territory.level().as_str()));
    props.insert("code".into(), json!(territory.code().as_str()));
    if let Some(parent) = territory.parent() {
        props.insert("parent".into(), json!(parent.as_str()));
    }
    props.insert("name_kk".into(), json!(territory.name().kk()));
    props.insert("name_ru".into(), json!(territory.name().ru()));
    props.insert("name_en".into(), json!(territory.name().en()));
    if let Some(population) = territory.population() {
        props.insert("population".into(), json!(population));
    }
    if territory.level() == Level::Quadrant {
        props.insert("pilot".into(), json!(territory.pilot()));
    }
    props.insert("geometry_status".into(), json!(territory.status().as_str()));
    if let Some(city) = city.filter(|city| territory.level() == Level::City && &city.code == territory.code()) {
        props.insert("timezone".into(), json!(city.timezone.name()));
        props.insert("default_lang".into(), json!(city.default_lang.code()));
    }
    props
}

/// A GeoJSON `Feature` of a territory.
pub fn territory_feature(territory: &Territory, city: Option<&City>) -> Value {
    json!({
        "type": "Feature",
        "properties": territory_properties(territory, city),
        "geometry": polygonal_to_geojson(territory.geometry()),
    })
}

/// Writes territories as a territories file: a `FeatureCollection`, one feature per line so that diffs of
/// exported files stay readable.
pub fn territories_file<'a>(territories: impl IntoIterator<Item = &'a Territory>, city: Option<&City>) -> String {
    let features: Vec<String> =
        territories.into_iter().map(|territory| territory_feature(territory, city).to_string()).collect();
    format!("{{\"type\": \"FeatureCollection\", \"features\": [\n{}\n]}}\n", features.join(",\n"))
}

#[cfg(test)]
mod tests {
    use crate::fixtures::{collection, toy_features};
    use crate::import::parse_territories;

    #[test]
    fn an_export_reads_back_as_the_same_territories() {
        let file = parse_territories(&collection(&toy_features())).unwrap();
        let territories: Vec<_> = file.territories.iter().map(|t| t.value.clone()).collect();
        let text = super::territories_file(&territories, file.city.as_ref());
        let again = parse_territories(&text).unwrap();
        assert_eq!(again.city, file.city);
        assert_eq!(
            again.territories.iter().map(|t| &t.value).collect::<Vec<_>>(),
            territories.iter().collect::<Vec<_>>()
        );
        assert_eq!(text.lines().count(), 13, "header, 11 features, footer");
    }
}
