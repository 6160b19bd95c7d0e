//! Writing territories back in the import format of `docs/formats.md`, so that an export can be edited and
//! imported again unchanged.

use serde_json::{Map, Value, json};

use crate::category::{Category, RoutingOverride};
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

/// A category as the columns of the categories file (`docs/formats.md`), in file order. The store logs changes in
/// this shape, so a log entry reads like the file line that made it.
pub fn category_columns(category: &Category) -> Vec<(&'static str, String)> {
    let list = |codes: &[crate::code::Code]| codes.iter().map(ToString::to_string).collect::<Vec<_>>().join(";");
    vec![
        ("code", category.code.to_string()),
        ("group", category.group.to_string()),
        ("urgency", category.urgency.as_str().to_owned()),
        ("track", category.track.as_str().to_owned()),
        ("anonymous_allowed", category.anonymous_allowed.to_string()),
        ("primary", category.primary.to_string()),
        ("joint", list(&category.joint)),
        ("referral", list(&category.referral)),
        ("deadline_working_days", category.deadline_working_days.map(|d| d.to_string()).unwrap_or_default()),
        ("duplicate_radius_m", category.duplicate_radius_m.to_string()),
        ("duplicate_window_days", category.duplicate_window_days.to_string()),
        ("name_kk", category.name.kk().to_owned()),
        ("name_ru", category.name.ru().to_owned()),
        ("name_en", category.name.en().to_owned()),
        ("description_kk", category.description.kk().to_owned()),
        ("description_ru", category.description.ru().to_owned()),
        ("description_en", category.description.en().to_owned()),
    ]
}

/// The same columns as a JSON object.
pub fn category_json(category: &Category) -> Value {
    Value::Object(category_columns(category).into_iter().map(|(k, v)| (k.to_owned(), Value::String(v))).collect())
}

/// A routing override as a JSON object with the columns of the routing file.
pub fn routing_json(rule: &RoutingOverride) -> Value {
    json!({
        "district": rule.district.as_str(),
        "category": rule.category.as_ref().map_or("*", |c| c.as_str()),
        "replaces": rule.replaces.as_str(),
        "agency": rule.agency.as_str(),
    })
}

#[cfg(test)]
mod tests {
    use crate::fixtures::{collection, toy_features};
    use crate::import::parse_territories;

    #[test]
    fn category_columns_read_back_as_the_same_category() {
        let header = "code,group,urgency,track,anonymous_allowed,primary,joint,referral,deadline_working_days,duplicate_radius_m,duplicate_window_days,name_kk,name_ru,name_en,description_kk,description_ru,description_en";
        let line = "DOMESTIC,family_youth,high,administrative,false,POL_UIP,SOCIAL,EDU;KDN,10,150,30,Жанжал,Конфликт,Conflict,а,б,c";
        let category = crate::import::parse_categories_csv(&format!("{header}\n{line}\n")).unwrap().remove(0).value;
        let columns = super::category_columns(&category);
        assert_eq!(columns.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(","), header);
        assert_eq!(columns.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join(","), line);
    }

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
