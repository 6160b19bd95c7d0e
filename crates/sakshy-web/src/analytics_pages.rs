//! The analysts' page (`/staff/analytics`): for an area, an offence group and a window of dates, the hotspot map
//! (Gi\* classes with false-discovery-rate control, and the kernel density), the near-repeat table with its
//! finding in plain words, the weekday × hour heat map and the monthly trend against the year before, in the
//! reader's language. Every chart is SVG drawn by the server ([`sakshy_analytics::svg`]) with a title and a
//! description for screen readers; the page works without JavaScript. Synthetic (demo) incidents are announced
//! above everything else whenever the selection holds any.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_analytics::LocalProjection;
use sakshy_analytics::svg::{
    self, Breaks, ChartText, HeatMap, KnoxHeatTable, MonthlyChart, Scale, SeriesStyle, WeekHourHeatMap,
};
use sakshy_core::incident::OffenceGroup;
use sakshy_core::{Lang, Level};

use crate::analytics::{
    AnalysisQuery, Area, Source, default_cell, hotspots, load_events, near_repeat, parse_query, temporal,
};
use crate::auth::{StaffNav, StaffSession};
use crate::pages::{PageContext, page_context};
use crate::{AppState, Registry};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/staff/analytics", get(show_analytics))
}

/// Permutations behind the page's p-values: 999 for Gi\* (smallest p 0.001), 99 for the Knox table (as the
/// NRC's "p = 0.01" setting).
const GISTAR_PERMUTATIONS: usize = 999;
const KNOX_PERMUTATIONS: usize = 99;
const SEED: u64 = 1;

/// A choice in a list.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "staff/analytics.html")]
struct AnalyticsPage {
    page: PageContext,
    nav: StaffNav,
    areas: Vec<Choice>,
    sources: Vec<Choice>,
    groups: Vec<Choice>,
    categories: Vec<Choice>,
    from: String,
    to: String,
    area_name: String,
    /// "N incidents in this selection".
    n_events: String,
    /// Whether synthetic incidents are in the selection, and the sentence saying how many.
    synthetic: Option<String>,
    error: Option<String>,
    finding: String,
    hotspot_svg: String,
    density_svg: String,
    knox_svg: String,
    week_svg: String,
    trend_svg: String,
}
page_context!(AnalyticsPage);

fn area_choices(registry: &Registry, page: &PageContext, selected: &Area) -> Vec<Choice> {
    let lang = page.lang;
    let mut choices =
        vec![Choice { value: "city".into(), label: page.t("analytics-whole-city"), selected: *selected == Area::City }];
    for version in registry.level(Level::District) {
        let code = version.territory.code();
        choices.push(Choice {
            value: format!("district:{code}"),
            label: version.territory.name().get(lang).to_owned(),
            selected: *selected == Area::District(code.clone()),
        });
        for quadrant in registry.level(Level::Quadrant).filter(|q| q.territory.parent() == Some(code)) {
            let q = quadrant.territory.code();
            choices.push(Choice {
                value: format!("quadrant:{q}"),
                label: format!("— {q} {}", quadrant.territory.name().get(lang)),
                selected: *selected == Area::Quadrant(q.clone()),
            });
        }
    }
    choices
}

fn area_name(registry: &Registry, page: &PageContext, area: &Area) -> String {
    let find = |level: Level, code: &sakshy_core::Code| {
        registry
            .level(level)
            .find(|v| v.territory.code() == code)
            .map_or_else(|| code.to_string(), |v| v.territory.name().get(page.lang).to_owned())
    };
    match area {
        Area::City => page.t("analytics-whole-city"),
        Area::District(code) => find(Level::District, code),
        Area::Quadrant(code) => format!("{code} {}", find(Level::Quadrant, code)),
    }
}

/// The quadrant boundaries inside the area, in the analysis' metres, to outline on the maps.
fn rings(registry: &Registry, area: &Area, projection: &LocalProjection) -> Vec<Vec<(f64, f64)>> {
    let district_of = |v: &sakshy_core::TerritoryVersion| v.territory.parent().cloned();
    registry
        .level(Level::Quadrant)
        .filter(|v| match area {
            Area::City => true,
            Area::District(code) => district_of(v).as_ref() == Some(code),
            Area::Quadrant(code) => v.territory.code() == code,
        })
        .flat_map(|v| v.territory.geometry().0.iter().map(|polygon| polygon.exterior().clone()).collect::<Vec<_>>())
        .map(|ring| ring.0.iter().map(|c| projection.forward(c.x, c.y)).collect())
        .collect()
}

/// A number as people of the page's language write it: a comma for the decimal point in kk and ru.
pub(crate) fn local_number(lang: Lang, value: f64) -> String {
    let text = svg::format_number(value);
    match lang {
        Lang::En => text,
        Lang::Kk | Lang::Ru => text.replace('.', ","),
    }
}

/// The finding of the Knox table in words, or that there is none, as a sentence.
fn finding_text(
    page: &PageContext,
    findings: &sakshy_analytics::knox::Findings,
    group: Option<OffenceGroup>,
) -> String {
    let text = finding_words(page, findings, group);
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn finding_words(
    page: &PageContext,
    findings: &sakshy_analytics::knox::Findings,
    group: Option<OffenceGroup>,
) -> String {
    let what = group.map_or_else(|| page.t("analytics-an-offence"), |g| g.name(page.lang).to_lowercase());
    let number = |v: f64| FluentValue::from(local_number(page.lang, v));
    if let Some(f) = &findings.near_repeat {
        return page.tr(
            "analytics-finding-near",
            &[
                ("distance", number(f.distance_to_m)),
                ("days", number(f.days_to)),
                ("percent", FluentValue::from(f.percent_more_likely.round() as i64)),
                ("what", FluentValue::from(what)),
            ],
        );
    }
    if let Some(f) = &findings.repeat {
        return page.tr(
            "analytics-finding-repeat",
            &[
                ("days", number(f.days_to)),
                ("percent", FluentValue::from(f.percent_more_likely.round() as i64)),
                ("what", FluentValue::from(what)),
            ],
        );
    }
    page.t("analytics-finding-none")
}

const MONTHS: [[&str; 12]; 3] = [
    ["қаң", "ақп", "нау", "сәу", "мам", "мау", "шіл", "там", "қыр", "қаз", "қар", "жел"],
    ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
];

const DAYS: [[&str; 7]; 3] = [
    ["Дс", "Сс", "Ср", "Бс", "Жм", "Сн", "Жс"],
    ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"],
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
];

fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::Kk => 0,
        Lang::Ru => 1,
        Lang::En => 2,
    }
}

/// Draws every chart of the page; an analysis that cannot run leaves its chart out and says why.
fn charts(
    registry: &Registry,
    page: &PageContext,
    query: &AnalysisQuery,
    events: &crate::analytics::Events,
) -> Result<(String, [String; 5]), String> {
    let lang = page.lang;
    let format = |v: f64| local_number(lang, v);
    let rings = rings(registry, &query.area, &events.projection);
    let hot = hotspots(registry, query, events, default_cell(&query.area), GISTAR_PERMUTATIONS, SEED)?;
    let z: Vec<f64> = hot
        .z
        .iter()
        .zip(&hot.inside)
        .map(|(z, &share)| if share > 0.0 { z.unwrap_or(0.0) } else { f64::NAN })
        .collect();
    let labels = [
        page.t("analytics-cold-99"),
        page.t("analytics-cold-95"),
        page.t("analytics-cold-90"),
        page.t("analytics-not-significant"),
        page.t("analytics-hot-90"),
        page.t("analytics-hot-95"),
        page.t("analytics-hot-99"),
    ];
    let label_refs: [&str; 7] = std::array::from_fn(|i| labels[i].as_str());
    let (hot_title, hot_desc) = (page.t("analytics-hotspots-title"), page.t("analytics-hotspots-desc"));
    let units = [page.t("analytics-unit-m"), page.t("analytics-unit-km")];
    let hotspot_svg = svg::heat_map(&HeatMap {
        text: ChartText { id: "hotspots", title: &hot_title, description: &hot_desc },
        grid: &hot.grid,
        values: &z,
        scale: Scale::HotCold { bins: Some(&hot.bins), labels: label_refs },
        legend_title: &page.t("analytics-gi-legend"),
        rings: &rings,
        points: &[],
        distance_units: [&units[0], &units[1]],
        format: &format,
    })
    .map_err(|err| err.to_string())?;
    // Density per km², outside the area not drawn.
    let density: Vec<f64> = hot
        .intensity
        .iter()
        .zip(&hot.inside)
        .map(|(&v, &share)| if share > 0.0 { v * 1.0e6 } else { f64::NAN })
        .collect();
    let (density_title, density_desc) = (
        page.tr("analytics-density-title", &[("bandwidth", FluentValue::from(hot.bandwidth_m.round() as i64))]),
        page.t("analytics-density-desc"),
    );
    let density_svg = svg::heat_map(&HeatMap {
        text: ChartText { id: "density", title: &density_title, description: &density_desc },
        grid: &hot.grid,
        values: &density,
        scale: Scale::Sequential { breaks: &Breaks::Quantile(6) },
        legend_title: &page.t("analytics-density-legend"),
        rings: &rings,
        points: &[],
        distance_units: [&units[0], &units[1]],
        format: &format,
    })
    .map_err(|err| err.to_string())?;
    let (finding, knox_svg) = if events.points.len() >= 2 {
        let (table, findings) = near_repeat(events, KNOX_PERMUTATIONS, SEED)?;
        let metres = |v: f64| format!("{} {}", local_number(lang, v), units[0]);
        let mut row_labels = vec![page.t("analytics-same-place")];
        for pair in table.space_edges.windows(2) {
            row_labels.push(format!("{}–{}", local_number(lang, pair[0]), metres(pair[1])));
        }
        row_labels.push(page.tr(
            "analytics-beyond-m",
            &[("distance", FluentValue::from(local_number(lang, *table.space_edges.last().unwrap_or(&0.0))))],
        ));
        let mut col_labels: Vec<String> = table
            .time_edges
            .windows(2)
            .map(|pair| {
                page.tr(
                    "analytics-days-band",
                    &[
                        ("from", FluentValue::from(local_number(lang, pair[0]))),
                        ("to", FluentValue::from(local_number(lang, pair[1]))),
                    ],
                )
            })
            .collect();
        col_labels.push(page.tr(
            "analytics-beyond-days",
            &[("days", FluentValue::from(local_number(lang, *table.time_edges.last().unwrap_or(&0.0))))],
        ));
        let significant: Vec<Vec<bool>> =
            table.p_value.iter().map(|row| row.iter().map(|&p| p <= 0.05).collect()).collect();
        let (title, desc) = (page.t("analytics-knox-title"), page.t("analytics-knox-desc"));
        let svg = svg::knox_table(&KnoxHeatTable {
            text: ChartText { id: "knox", title: &title, description: &desc },
            row_header: &page.t("analytics-distance"),
            col_header: &page.t("analytics-time"),
            row_labels: &row_labels,
            col_labels: &col_labels,
            knox_ratio: &table.knox_ratio,
            significant: &significant,
            legend_title: &page.t("analytics-knox-legend"),
            significant_label: &page.t("analytics-significant"),
            missing_label: &page.t("analytics-no-pairs"),
            format: &format,
        })
        .map_err(|err| err.to_string())?;
        (finding_text(page, &findings, query.group), svg)
    } else {
        (page.t("analytics-too-few-page"), String::new())
    };
    let (matrix, trend) = temporal(query, events)?;
    let li = lang_index(lang);
    let (week_title, week_desc) = (page.t("analytics-week-title"), page.t("analytics-week-desc"));
    let week_svg = svg::week_hour_heat_map(&WeekHourHeatMap {
        text: ChartText { id: "week", title: &week_title, description: &week_desc },
        counts: &matrix.counts,
        hour_unknown: Some(&matrix.hour_unknown),
        day_labels: DAYS[li],
        hour_label: &page.t("analytics-hour"),
        unknown_label: &page.t("analytics-hour-unknown"),
        legend_title: &page.t("analytics-events"),
        breaks: &Breaks::Quantile(5),
        format: &format,
    })
    .map_err(|err| err.to_string())?;
    let month_labels: Vec<String> =
        trend.months.iter().map(|m| format!("{} {}", MONTHS[li][(m.month - 1) as usize], m.year % 100)).collect();
    let values: Vec<f64> = trend.months.iter().map(|m| m.count as f64).collect();
    let previous: Vec<Option<f64>> = trend.months.iter().map(|m| m.previous_year.map(|v| v as f64)).collect();
    let (trend_title, trend_desc) = (page.t("analytics-trend-title"), page.t("analytics-trend-desc"));
    let trend_svg = svg::monthly_chart(&MonthlyChart {
        text: ChartText { id: "trend", title: &trend_title, description: &trend_desc },
        month_labels: &month_labels,
        values: &values,
        previous_year: Some(&previous),
        series_label: &page.t("analytics-this-year"),
        previous_label: &page.t("analytics-year-before"),
        y_label: &page.t("analytics-events"),
        style: SeriesStyle::Bars,
        format: &format,
    })
    .map_err(|err| err.to_string())?;
    Ok((finding, [hotspot_svg, density_svg, knox_svg, week_svg, trend_svg]))
}

async fn show_analytics(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if let Err(err) = session.principal.may_analyse() {
        return crate::console::error_page(page.clone(), &crate::staff::access_error(&err, page.lang));
    }
    let Some(registry) = state.registry() else { return page.no_city() };
    let lang = page.lang;
    let (query, error) = match parse_query(&registry, &params, lang) {
        Ok(query) => (query, None),
        Err(err) => {
            let message = err.to_json()["error"]["message"].as_str().unwrap_or_default().to_owned();
            let fallback = parse_query(&registry, &HashMap::new(), lang).expect("the default query is valid");
            (fallback, Some(message))
        }
    };
    let events = match load_events(&state, &registry, &query).await {
        Ok(events) => events,
        Err(err) => return crate::console::error_page(page, &err),
    };
    let (n_events, synthetic) = (events.points.len(), events.synthetic);
    let drawn = {
        let (registry, query, page) = (registry.clone(), query.clone(), page.clone());
        tokio::task::spawn_blocking(move || charts(&registry, &page, &query, &events)).await
    };
    let (finding, [hotspot_svg, density_svg, knox_svg, week_svg, trend_svg]) = match drawn {
        Ok(Ok(drawn)) => drawn,
        Ok(Err(reason)) => return crate::pages::internal_error(&std::io::Error::other(reason)),
        Err(err) => return crate::pages::internal_error(&err),
    };
    let groups = std::iter::once(Choice {
        value: "all".into(),
        label: page.t("analytics-all-groups"),
        selected: query.group.is_none(),
    })
    .chain(OffenceGroup::ALL.iter().map(|g| Choice {
        value: g.as_str().into(),
        label: g.name(lang).to_owned(),
        selected: query.group == Some(*g),
    }))
    .collect();
    let sources = [
        (Source::Incidents, "incidents", "analytics-source-incidents"),
        (Source::Appeals, "appeals", "analytics-source-appeals"),
    ]
    .into_iter()
    .map(|(source, value, key)| Choice { value: value.into(), label: page.t(key), selected: query.source == source })
    .collect();
    let categories = std::iter::once(Choice {
        value: "all".into(),
        label: page.t("analytics-all-categories"),
        selected: query.category.is_none(),
    })
    .chain(registry.routing.iter().flat_map(|r| r.categories()).map(|c| Choice {
        value: c.code.to_string(),
        label: c.name.get(lang).to_owned(),
        selected: query.category.as_ref() == Some(&c.code),
    }))
    .collect();
    let view = AnalyticsPage {
        nav: StaffNav::of(&session),
        areas: area_choices(&registry, &page, &query.area),
        sources,
        groups,
        categories,
        from: query.from.to_string(),
        to: query.to.to_string(),
        area_name: area_name(&registry, &page, &query.area),
        n_events: page.tn("analytics-n-events", "count", n_events as i64),
        synthetic: (synthetic > 0).then(|| page.tn("analytics-synthetic", "count", synthetic as i64)),
        finding,
        hotspot_svg,
        density_svg,
        knox_svg,
        week_svg,
        trend_svg,
        error: error.clone(),
        page,
    };
    if error.is_some() { view.page.render_with_status(StatusCode::BAD_REQUEST, &view) } else { view.page.render(&view) }
}

#[cfg(test)]
mod tests {
    use sakshy_analytics::Grid;

    use super::*;

    #[test]
    fn numbers_take_the_decimal_comma_in_kazakh_and_russian() {
        assert_eq!(local_number(Lang::En, 1.5), "1.5");
        assert_eq!(local_number(Lang::Ru, 1.5), "1,5");
        assert_eq!(local_number(Lang::Kk, 1.5), "1,5");
    }

    #[test]
    fn grids_used_here_keep_the_shared_convention() {
        let grid = Grid::covering_bounds((0.0, 0.0, 999.0, 999.0), 150.0).unwrap();
        assert_eq!((grid.ncols, grid.nrows), (7, 7));
    }
}
