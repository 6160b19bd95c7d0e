//! Tests of the survey and evaluation charts: well-formedness, what is (and is not) written for estimated,
//! suppressed and empty areas, the classes and outlines of the map, the positions of interval glyphs, error bars
//! and start lines read back from the document, the contrast of every text, stable output and the errors.
//!
//! With `SVG_SAMPLES=/some/dir` set, the sample charts are also written there to be looked at.

use super::evaluation::{POST, PRE};
use super::plot::{GRIDLINE, SERIES_COLOURS, nice_range};
use super::survey::{GLYPH_W, HALO, HATCH, HIGHLIGHT_W, YL_GN_BU, class_of, map_ramp};
use super::tests::assert_well_formed;
use super::*;

/// The opening tags starting with `start` (e.g. `<path `), without the `<` … `>`.
fn tags<'a>(svg: &'a str, start: &str) -> Vec<&'a str> {
    svg.match_indices(start).map(|(i, _)| &svg[i..i + svg[i..].find('>').unwrap()]).collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let key = format!(" {name}=\"");
    let start = tag.find(&key).unwrap_or_else(|| panic!("no {name} in {tag}")) + key.len();
    &tag[start..start + tag[start..].find('"').unwrap()]
}

fn num(tag: &str, name: &str) -> f64 {
    attr(tag, name).parse().unwrap_or_else(|_| panic!("{name} is not a number in {tag}"))
}

/// The texts of all `<text>` elements, in order, with their opening tags.
fn texts(svg: &str) -> Vec<(&str, &str)> {
    svg.match_indices("<text ")
        .map(|(i, _)| {
            let open_end = i + svg[i..].find('>').unwrap();
            let close = open_end + svg[open_end..].find("</text>").unwrap();
            (&svg[i..open_end], &svg[open_end + 1..close])
        })
        .collect()
}

/// The numbers of a path's `d` attribute, in order.
fn path_numbers(tag: &str) -> Vec<f64> {
    attr(tag, "d").split(|c: char| c.is_ascii_alphabetic() || c == ' ').filter_map(|t| t.parse().ok()).collect()
}

fn sample(name: &str, svg: &str) {
    if let Some(dir) = std::env::var_os("SVG_SAMPLES") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.svg")), svg).unwrap();
    }
}

fn square(x: f64, y: f64, side: f64) -> Vec<Vec<(f64, f64)>> {
    vec![vec![(x, y), (x + side, y), (x + side, y + side), (x, y + side)]]
}

const EN: NumberFormat<'static> = &format_number;

struct MapFixture {
    rings: Vec<Vec<Vec<(f64, f64)>>>,
    breaks: Breaks,
}

impl MapFixture {
    fn new() -> MapFixture {
        // Four 1 km quadrants in a 2 × 2 block and an L-shaped one to their east.
        let l_shape = vec![vec![
            (2000.0, 0.0),
            (3000.0, 0.0),
            (3000.0, 300.0),
            (2300.0, 300.0),
            (2300.0, 2000.0),
            (2000.0, 2000.0),
        ]];
        MapFixture {
            rings: vec![
                square(0.0, 0.0, 1000.0),
                square(1000.0, 0.0, 1000.0),
                square(0.0, 1000.0, 1000.0),
                square(1000.0, 1000.0, 1000.0),
                l_shape,
            ],
            breaks: Breaks::Explicit(vec![0.0, 50.0, 75.0, 100.0]),
        }
    }

    fn areas(&self) -> Vec<ChoroplethArea<'_>> {
        let values = [
            AreaValue::Estimate { value: 62.0, low: 55.0, high: 69.0 },
            AreaValue::Estimate { value: 40.0, low: 30.0, high: 50.0 },
            AreaValue::Suppressed,
            AreaValue::NoData,
            AreaValue::Estimate { value: 81.5, low: 74.0, high: 120.0 },
        ];
        let labels = ["Q01", "Q02", "Q03", "Q04", "Q05"];
        self.rings
            .iter()
            .zip(values)
            .zip(labels)
            .enumerate()
            .map(|(k, ((rings, value), label))| ChoroplethArea { rings, label, value, highlight: k == 0 })
            .collect()
    }

    fn map<'a>(&'a self, areas: &'a [ChoroplethArea<'a>]) -> Choropleth<'a> {
        Choropleth {
            text: ChartText { id: "trust", title: "Trust in the police", description: "Trust index by quadrant." },
            areas,
            breaks: &self.breaks,
            domain: (0.0, 100.0),
            legend_title: "Trust index",
            suppressed_label: "Fewer than 30 answers",
            no_data_label: "No answers",
            interval_label: "95 % interval",
            distance_units: ["m", "km"],
            format: EN,
        }
    }
}

/// The fill paths of the areas, in the order of the areas.
fn area_paths(svg: &str) -> Vec<&str> {
    tags(svg, "<path ").into_iter().filter(|t| t.contains("stroke-width=\"0.8\"")).collect()
}

#[test]
fn the_choropleth_writes_numbers_and_intervals_only_for_estimated_areas() {
    let fixture = MapFixture::new();
    let areas = fixture.areas();
    let svg = choropleth(&fixture.map(&areas)).unwrap();
    assert_well_formed(&svg);
    sample("choropleth", &svg);
    // The labels on the map, in order: each estimated area's label, then its number with its interval.
    let on_map: Vec<&str> =
        texts(&svg).into_iter().filter(|(tag, _)| tag.contains("paint-order")).map(|(_, text)| text).collect();
    assert_eq!(on_map, ["Q01", "62 (55–69)", "Q02", "40 (30–50)", "Q03", "Q04", "Q05", "81.5 (74–120)"]);
    // One glyph per estimated area, plus the legend's sample.
    assert_eq!(svg.matches("<g class=\"interval\">").count(), 4);
    // Screen readers hear every area, the suppressed ones without a number.
    assert!(svg.contains(
        "Trust index by quadrant. Q01: 62 (55–69). Q02: 40 (30–50). Q03: Fewer than 30 answers. Q04: No answers. \
         Q05: 81.5 (74–120).</desc>"
    ));
    // Suppressed: the hatch; no data: light grey.
    let paths = area_paths(&svg);
    assert_eq!(paths.len(), 5);
    assert_eq!(attr(paths[2], "fill"), "url(#trust-hatch)");
    assert!(svg.contains("<pattern id=\"trust-hatch\"") && svg.contains(&format!("stroke=\"{HATCH}\"")));
    assert_eq!(attr(paths[3], "fill"), MISSING);
    // The legend shows the hatch, the grey and the sample glyph with its label.
    let legend_swatches: Vec<&str> = tags(&svg, "<rect ").into_iter().filter(|t| t.contains("width=\"14\"")).collect();
    assert_eq!(
        legend_swatches.iter().map(|t| attr(t, "fill")).collect::<Vec<_>>(),
        [YL_GN_BU[0], YL_GN_BU[4], YL_GN_BU[8], "url(#trust-hatch)", MISSING]
    );
    assert!(svg.contains(">95 % interval</text>") && svg.contains(">Fewer than 30 answers</text>"));
}

#[test]
fn an_area_is_filled_with_the_colour_of_its_class() {
    let fixture = MapFixture::new();
    let areas = fixture.areas();
    let svg = choropleth(&fixture.map(&areas)).unwrap();
    let paths = area_paths(&svg);
    let edges = [0.0, 50.0, 75.0, 100.0];
    // 3 classes spread over the 9-class ramp: lightest, middle, darkest.
    assert_eq!(map_ramp(3), [YL_GN_BU[0], YL_GN_BU[4], YL_GN_BU[8]]);
    for (k, (value, class)) in [(0, (62.0, 1)), (1, (40.0, 0)), (4, (81.5, 2))] {
        assert_eq!(class_of(&edges, value), class);
        assert_eq!(attr(paths[k], "fill"), map_ramp(3)[class], "area {k}");
    }
    // Quantile breaks over the estimated values only (suppressed and empty areas do not count).
    let quantiles = Breaks::Quantile(3);
    let svg = choropleth(&Choropleth { breaks: &quantiles, ..fixture.map(&areas) }).unwrap();
    let fills: Vec<&str> = area_paths(&svg).iter().map(|t| attr(t, "fill")).collect();
    // Three values, three quantile classes: the lowest two edges coincide and merge, leaving two classes.
    assert_eq!(fills, [YL_GN_BU[8], YL_GN_BU[0], "url(#trust-hatch)", MISSING, YL_GN_BU[8]]);
}

#[test]
fn a_highlighted_area_has_a_thick_outline_on_top() {
    let fixture = MapFixture::new();
    let mut areas = fixture.areas();
    let svg = choropleth(&fixture.map(&areas)).unwrap();
    let outlines: Vec<&str> =
        tags(&svg, "<path ").into_iter().filter(|t| t.contains(&format!("stroke-width=\"{HIGHLIGHT_W}\""))).collect();
    assert_eq!(outlines.len(), 1);
    assert_eq!(attr(outlines[0], "fill"), "none");
    assert_eq!(attr(outlines[0], "d"), attr(area_paths(&svg)[0], "d"));
    // After every area, so that neighbours do not cover it.
    assert!(svg.find(outlines[0]).unwrap() > svg.find(area_paths(&svg)[4]).unwrap());
    areas[0].highlight = false;
    let plain = choropleth(&fixture.map(&areas)).unwrap();
    assert!(!plain.contains(&format!("stroke-width=\"{HIGHLIGHT_W}\"")));
}

#[test]
fn the_interval_glyph_spans_the_domain_and_marks_low_value_and_high() {
    let fixture = MapFixture::new();
    let areas = fixture.areas();
    let svg = choropleth(&fixture.map(&areas)).unwrap();
    let axes = tags(&svg, "<line class=\"axis\"");
    let bars = tags(&svg, "<line class=\"bar\"");
    let ticks = tags(&svg, "<line class=\"tick\"");
    // Areas 0, 1 and 4, then the legend's sample.
    for (k, (low, value, high)) in [(0, (55.0, 62.0, 69.0)), (1, (30.0, 40.0, 50.0)), (2, (74.0, 81.5, 100.0))] {
        let (a0, a1) = (num(axes[k], "x1"), num(axes[k], "x2"));
        assert!((a1 - a0 - GLYPH_W).abs() < 0.11, "{}", axes[k]);
        // Domain 0–100; the high end of area 4 (120) is drawn at the domain's edge.
        let at = |v: f64| a0 + v / 100.0 * (a1 - a0);
        assert!((num(bars[k], "x1") - at(low)).abs() < 0.11, "{} vs {}", bars[k], at(low));
        assert!((num(bars[k], "x2") - at(high)).abs() < 0.11, "{} vs {}", bars[k], at(high));
        assert!((num(ticks[k], "x1") - at(value)).abs() < 0.11, "{} vs {}", ticks[k], at(value));
        assert_eq!(num(ticks[k], "x1"), num(ticks[k], "x2"));
    }
}

#[test]
fn labels_sit_inside_their_area() {
    use geo::{Contains, LineString, Point, Polygon};
    let fixture = MapFixture::new();
    // A square's label is at its centre.
    assert_eq!(survey::label_point(&fixture.rings[0]), Some((500.0, 500.0)));
    // The L's centroid is outside it; the label goes inside.
    let l = &fixture.rings[4];
    let (x, y) = survey::label_point(l).unwrap();
    let polygon = Polygon::new(LineString::from(l[0].clone()), vec![]);
    assert!(polygon.contains(&Point::new(x, y)), "({x}, {y})");
    // North up: the northern quadrants' labels are above the southern ones on screen.
    let areas = fixture.areas();
    let svg = choropleth(&fixture.map(&areas)).unwrap();
    let label_y = |label: &str| {
        let (tag, _) = texts(&svg).into_iter().find(|(_, t)| *t == label).unwrap();
        num(tag, "y")
    };
    assert!(label_y("Q03") < label_y("Q01"));
    assert_eq!(label_y("Q03"), label_y("Q04"));
}

struct IntervalFixture {
    waves: Vec<String>,
    a: Vec<Option<IntervalPoint>>,
    b: Vec<Option<IntervalPoint>>,
}

impl IntervalFixture {
    fn new() -> IntervalFixture {
        let p = |value, low, high| Some(IntervalPoint { value, low, high });
        IntervalFixture {
            waves: ["Wave 1", "Wave 2", "Wave 3"].map(String::from).into(),
            a: vec![p(55.0, 50.0, 60.0), p(61.0, 57.0, 65.0), p(66.0, 60.0, 72.0)],
            b: vec![p(48.0, 40.0, 56.0), None, p(52.0, 45.0, 59.0)],
        }
    }

    fn series(&self) -> [IntervalSeries<'_>; 2] {
        [
            IntervalSeries { label: "Pilot (Q01)", points: &self.a, emphasis: true },
            IntervalSeries { label: "Other quadrants", points: &self.b, emphasis: false },
        ]
    }

    fn chart<'a>(&'a self, series: &'a [IntervalSeries<'a>]) -> IntervalChart<'a> {
        IntervalChart {
            text: ChartText { id: "waves", title: "Trust by wave", description: "Trust index by wave." },
            x_labels: &self.waves,
            series,
            y_label: "Trust index",
            y_domain: Some((0.0, 100.0)),
            suppressed_label: "Fewer than 30 answers",
            format: EN,
        }
    }
}

/// (x, y of the low end, y of the high end) of each error bar.
fn error_bars(svg: &str) -> Vec<(&str, f64, f64, f64)> {
    tags(svg, "<path class=\"error-bar\"")
        .into_iter()
        .map(|t| {
            let n = path_numbers(t);
            assert_eq!(n[0], n[2], "a vertical bar: {t}");
            (attr(t, "stroke"), n[0], n[1], n[3])
        })
        .collect()
}

/// (value, y) of each horizontal gridline with its tick label.
fn gridlines(svg: &str) -> Vec<(f64, f64)> {
    let lines: Vec<f64> = tags(svg, "<line ")
        .into_iter()
        .filter(|t| t.contains(&format!("stroke=\"{GRIDLINE}\"")))
        .map(|t| num(t, "y1"))
        .collect();
    let labels: Vec<f64> = texts(svg)
        .into_iter()
        .filter(|(tag, _)| tag.contains("text-anchor=\"end\""))
        .map(|(_, text)| text.parse().unwrap())
        .collect();
    lines.into_iter().zip(labels).map(|(y, v)| (v, y)).collect()
}

#[test]
fn error_bars_map_low_and_high_onto_the_axis() {
    let fixture = IntervalFixture::new();
    let series = fixture.series();
    let svg = interval_chart(&fixture.chart(&series)).unwrap();
    assert_well_formed(&svg);
    sample("interval_chart", &svg);
    let grid = gridlines(&svg);
    assert_eq!(grid.iter().map(|g| g.0).collect::<Vec<_>>(), [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    let (y0, y100) = (grid[0].1, grid[5].1);
    let y_of = |v: f64| y0 + (y100 - y0) * v / 100.0;
    // The emphasised series is drawn last: the other's two bars, then the pilot's three.
    let bars = error_bars(&svg);
    assert_eq!(bars.len(), 5);
    let expected = [
        (SERIES_COLOURS[1], 40.0, 56.0),
        (SERIES_COLOURS[1], 45.0, 59.0),
        (SERIES_COLOURS[0], 50.0, 60.0),
        (SERIES_COLOURS[0], 57.0, 65.0),
        (SERIES_COLOURS[0], 60.0, 72.0),
    ];
    for (bar, (colour, low, high)) in bars.iter().zip(expected) {
        assert_eq!(bar.0, colour);
        assert!((bar.2 - y_of(low)).abs() < 0.11 && (bar.3 - y_of(high)).abs() < 0.11, "{bar:?} vs {low}–{high}");
    }
    // The two series are side by side in a wave, not on top of each other; the pilot is thicker.
    assert!((bars[0].1 - bars[2].1 - 14.0).abs() < 0.11, "{bars:?}");
    // The gap is listed for screen readers.
    assert!(svg.contains("Trust index by wave. Fewer than 30 answers: Other quadrants — Wave 2.</desc>"));
    // Distinct markers: circles for the first series, squares for the second (3 + 1 legend, 2 + 1 legend).
    assert_eq!(tags(&svg, "<circle ").len(), 4);
    assert_eq!(
        tags(&svg, "<rect ").iter().filter(|t| t.contains(&format!("fill=\"{}\"", SERIES_COLOURS[1]))).count(),
        3
    );
}

#[test]
fn a_fitted_vertical_axis_covers_every_interval() {
    let fixture = IntervalFixture::new();
    let series = fixture.series();
    let svg = interval_chart(&IntervalChart { y_domain: None, ..fixture.chart(&series) }).unwrap();
    let values: Vec<f64> = gridlines(&svg).iter().map(|g| g.0).collect();
    assert_eq!(values, [40.0, 50.0, 60.0, 70.0, 80.0]);
    assert_eq!(nice_range(-0.3, 0.2), [-0.3, -0.2, -0.1, 0.0, 0.1, 0.2]);
    assert_eq!(nice_range(5.0, 5.0), [4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6]);
}

fn event_points() -> Vec<EventPoint> {
    let p =
        |period, estimate: f64, half: f64| EventPoint { period, estimate, low: estimate - half, high: estimate + half };
    vec![p(-3, 0.4, 1.0), p(-2, -0.2, 0.9), p(-1, 0.0, 0.0), p(0, -1.5, 1.0), p(1, -2.0, 1.1), p(2, -2.4, 1.3)]
}

fn event_chart(points: &[EventPoint]) -> EventStudyChart<'_> {
    EventStudyChart {
        text: ChartText { id: "es", title: "Effect of the pilot", description: "Event-study coefficients." },
        points,
        reference_period: -1,
        x_label: "Months since the pilot started",
        y_label: "Effect on events per month",
        start_label: "Pilot starts",
        pre_label: "Before",
        post_label: "After",
        reference_label: "Reference month (0)",
        format: EN,
    }
}

#[test]
fn the_event_study_marks_the_start_between_minus_one_and_zero() {
    let points = event_points();
    let svg = event_study_chart(&event_chart(&points)).unwrap();
    assert_well_formed(&svg);
    sample("event_study", &svg);
    // Five bars: the reference period has none.
    let bars = error_bars(&svg);
    assert_eq!(bars.len(), 5);
    let x_of = |k: usize| bars[k].1;
    // Periods −3, −2 | 0, 1, 2: pre-period bars in one colour, post-period in another.
    assert_eq!(bars.iter().map(|b| b.0).collect::<Vec<_>>(), [PRE.0, PRE.0, POST.0, POST.0, POST.0]);
    let step = x_of(3) - x_of(2);
    assert!((x_of(2) - x_of(1) - 2.0 * step).abs() < 0.2, "period −1 sits between −2 and 0");
    let start = tags(&svg, "<line class=\"start\"");
    assert_eq!(start.len(), 1);
    let start_x = num(start[0], "x1");
    assert!((start_x - (x_of(1) + 1.5 * step)).abs() < 0.2, "{start_x} not between −1 and 0");
    assert_eq!(attr(start[0], "stroke-dasharray"), "4 3");
    assert!(svg.contains(">Pilot starts</text>"));
    // The reference period is a hollow marker on the zero line.
    let zero_y = num(tags(&svg, "<line class=\"zero\"")[0], "y1");
    let hollow: Vec<&str> = tags(&svg, "<circle ").into_iter().filter(|t| attr(t, "fill") == "#ffffff").collect();
    assert_eq!(hollow.len(), 2, "the marker and its legend key");
    assert!((num(hollow[1], "cx") - (x_of(1) + step)).abs() < 0.2);
    assert_eq!(num(hollow[1], "cy"), zero_y);
    // Error bars map low and high: the zero line and a gridline fix the scale.
    let grid = gridlines(&svg);
    let (v1, y1) = *grid.iter().find(|g| g.0 != 0.0).unwrap();
    let y_of = |v: f64| zero_y + (y1 - zero_y) * v / v1;
    assert!((bars[4].2 - y_of(-3.7)).abs() < 0.15 && (bars[4].3 - y_of(-1.1)).abs() < 0.15, "{:?}", bars[4]);
    for label in ["Before", "After", "Reference month (0)", "Months since the pilot started", "-3", "2"] {
        assert!(svg.contains(&format!(">{label}</text>")), "{label}");
    }
}

#[test]
fn the_panel_chart_draws_the_start_before_the_first_treated_month() {
    let months: Vec<String> = (1..=8).map(|m| format!("2025-{m:02}")).collect();
    let treated = [Some(10.0), Some(11.0), Some(12.0), Some(9.0), Some(7.0), None, Some(6.0), Some(6.5)];
    let comparison = [Some(9.0), Some(9.5), Some(10.0), Some(10.0), Some(9.8), Some(10.1), Some(9.9), Some(10.3)];
    let series = [
        PanelSeries { label: "Pilot quadrant", values: &treated, emphasis: true },
        PanelSeries { label: "Comparison quadrants", values: &comparison, emphasis: false },
    ];
    let chart = PanelChart {
        text: ChartText { id: "panel", title: "Events per month", description: "Monthly means." },
        month_labels: &months,
        series: &series,
        start_index: 4,
        start_label: "Pilot starts",
        y_label: "Events per quadrant",
        format: EN,
    };
    let svg = panel_chart(&chart).unwrap();
    assert_well_formed(&svg);
    sample("panel", &svg);
    // The treated series is thicker and broken where a month is missing: two pieces in one path.
    let lines: Vec<&str> = tags(&svg, "<path ").into_iter().filter(|t| t.contains("stroke-linejoin")).collect();
    assert_eq!(lines.len(), 2);
    // The comparison series has every month: its x positions are the months'.
    let month_x: Vec<f64> = path_numbers(lines[0]).iter().step_by(2).copied().collect();
    assert_eq!(month_x.len(), 8);
    let start_x = num(tags(&svg, "<line class=\"start\"")[0], "x1");
    assert!((start_x - (month_x[3] + month_x[4]) / 2.0).abs() < 0.11, "{start_x} vs {month_x:?}");
    assert_eq!(attr(lines[1], "stroke"), SERIES_COLOURS[0]);
    assert_eq!(attr(lines[1], "stroke-width"), "3");
    assert_eq!(attr(lines[1], "d").matches('M').count(), 2);
    assert_eq!(attr(lines[0], "stroke-width"), "1.5");
    let bad = PanelChart { start_index: 8, ..chart };
    assert_eq!(panel_chart(&bad), Err(SvgError::OutOfRange { what: "start_index", index: 8, len: 8 }));
    let short = [PanelSeries { values: &comparison[..7], ..series[1] }];
    assert_eq!(
        panel_chart(&PanelChart { series: &short, ..chart }),
        Err(SvgError::SeriesLength { what: "values", index: 0, got: 7, expected: 8 })
    );
    let nan =
        [series[0], PanelSeries { values: &[None, None, Some(f64::NAN), None, None, None, None, None], ..series[1] }];
    assert_eq!(
        panel_chart(&PanelChart { series: &nan, ..chart }),
        Err(SvgError::NotFinite { what: "series", index: 1, point: Some(2) })
    );
    assert_eq!(panel_chart(&PanelChart { series: &[], ..chart }), Err(SvgError::Empty("series")));
}

#[test]
fn every_text_has_at_least_4_5_to_1_contrast_with_what_is_behind_it() {
    // On the white background: the two inks. Behind map labels: the white halo.
    for ink in [INK, INK_SOFT] {
        assert!(contrast_ratio(ink, "#ffffff").unwrap() >= 4.5, "{ink}");
    }
    assert!(contrast_ratio(INK, HALO).unwrap() >= 4.5);
    // Lines, markers and the hatch need 3:1 against white (WCAG 1.4.11).
    for colour in SERIES_COLOURS.iter().chain(&[HATCH, PRE.0, POST.0]) {
        assert!(contrast_ratio(colour, "#ffffff").unwrap() >= 3.0, "{colour}");
    }
    let fixture = MapFixture::new();
    let areas = fixture.areas();
    let map = choropleth(&fixture.map(&areas)).unwrap();
    let frame = tags(&map, "<rect ").into_iter().find(|t| t.contains("fill=\"none\"")).unwrap();
    let (fx, fy, fw, fh) = (num(frame, "x"), num(frame, "y"), num(frame, "width"), num(frame, "height"));
    let interval = IntervalFixture::new();
    let series = interval.series();
    let points = event_points();
    let charts = [map.clone(), interval_chart(&interval.chart(&series)).unwrap(), {
        event_study_chart(&event_chart(&points)).unwrap()
    }];
    for (k, svg) in charts.iter().enumerate() {
        for (tag, text) in texts(svg) {
            let fill = attr(tag, "fill");
            assert!(fill == INK || fill == INK_SOFT, "{fill} for {text}");
            // Text over the map (anything but white) has a white halo under it.
            let (x, y) = if tag.contains(" x=\"") { (num(tag, "x"), num(tag, "y")) } else { (0.0, 0.0) };
            if k == 0 && (fx..=fx + fw).contains(&x) && (fy..=fy + fh).contains(&y) {
                assert_eq!(attr(tag, "stroke"), HALO, "{text}");
                assert_eq!(attr(tag, "paint-order"), "stroke", "{text}");
            }
        }
    }
    // Glyphs sit on a white plate.
    assert_eq!(map.matches(&format!("rx=\"2\" fill=\"{HALO}\"")).count(), 4);
}

#[test]
fn the_same_input_gives_the_same_document() {
    let fixture = MapFixture::new();
    let areas = fixture.areas();
    assert_eq!(choropleth(&fixture.map(&areas)).unwrap(), choropleth(&fixture.map(&areas)).unwrap());
    let interval = IntervalFixture::new();
    let series = interval.series();
    assert_eq!(interval_chart(&interval.chart(&series)).unwrap(), interval_chart(&interval.chart(&series)).unwrap());
    let points = event_points();
    assert_eq!(event_study_chart(&event_chart(&points)).unwrap(), event_study_chart(&event_chart(&points)).unwrap());
}

#[test]
fn invalid_maps_are_refused_with_what_and_where() {
    let fixture = MapFixture::new();
    let areas = fixture.areas();
    let map = fixture.map(&areas);
    assert_eq!(choropleth(&Choropleth { areas: &[], ..map }), Err(SvgError::Empty("areas")));
    let mut bad = areas.clone();
    bad[1].value = AreaValue::Estimate { value: f64::NAN, low: 1.0, high: 2.0 };
    assert_eq!(
        choropleth(&Choropleth { areas: &bad, ..map }),
        Err(SvgError::NotFinite { what: "areas", index: 1, point: None })
    );
    bad[1].value = AreaValue::Estimate { value: 40.0, low: 41.0, high: 50.0 };
    assert_eq!(
        choropleth(&Choropleth { areas: &bad, ..map }),
        Err(SvgError::BadInterval { what: "areas", index: 1, point: None })
    );
    bad[1].value = AreaValue::Estimate { value: 40.0, low: 30.0, high: 39.0 };
    assert!(matches!(choropleth(&Choropleth { areas: &bad, ..map }), Err(SvgError::BadInterval { index: 1, .. })));
    let line = vec![vec![(0.0, 0.0), (1.0, 1.0)]];
    let mut bad = areas.clone();
    bad[3].rings = &line;
    assert_eq!(choropleth(&Choropleth { areas: &bad, ..map }), Err(SvgError::NoRing(3)));
    let inf = vec![vec![(0.0, 0.0), (1.0, f64::INFINITY), (1.0, 0.0)]];
    bad[3].rings = &inf;
    assert_eq!(
        choropleth(&Choropleth { areas: &bad, ..map }),
        Err(SvgError::NotFinite { what: "areas.rings", index: 3, point: None })
    );
    assert_eq!(choropleth(&Choropleth { domain: (100.0, 0.0), ..map }), Err(SvgError::BadDomain("domain")));
    let breaks = Breaks::Quantile(12);
    assert_eq!(choropleth(&Choropleth { breaks: &breaks, ..map }), Err(SvgError::BadClasses(12)));
    // Every area suppressed: no classes, still a map.
    let hidden: Vec<ChoroplethArea<'_>> =
        areas.iter().map(|a| ChoroplethArea { value: AreaValue::Suppressed, ..*a }).collect();
    let breaks = Breaks::EqualInterval(4);
    let svg = choropleth(&Choropleth { areas: &hidden, breaks: &breaks, ..map }).unwrap();
    assert_well_formed(&svg);
    assert_eq!(area_paths(&svg).iter().filter(|t| attr(t, "fill") == "url(#trust-hatch)").count(), 5);
}

#[test]
fn invalid_plots_are_refused_with_what_and_where() {
    let fixture = IntervalFixture::new();
    let series = fixture.series();
    let chart = fixture.chart(&series);
    assert_eq!(interval_chart(&IntervalChart { series: &[], ..chart }), Err(SvgError::Empty("series")));
    assert_eq!(interval_chart(&IntervalChart { x_labels: &[], ..chart }), Err(SvgError::Empty("x_labels")));
    let short = [series[0], IntervalSeries { points: &fixture.b[..2], ..series[1] }];
    assert_eq!(
        interval_chart(&IntervalChart { series: &short, ..chart }),
        Err(SvgError::SeriesLength { what: "points", index: 1, got: 2, expected: 3 })
    );
    let mut points = fixture.a.clone();
    points[2] = Some(IntervalPoint { value: 50.0, low: 51.0, high: 60.0 });
    let bad = [IntervalSeries { points: &points, ..series[0] }];
    assert_eq!(
        interval_chart(&IntervalChart { series: &bad, ..chart }),
        Err(SvgError::BadInterval { what: "series", index: 0, point: Some(2) })
    );
    points[2] = Some(IntervalPoint { value: 50.0, low: f64::NEG_INFINITY, high: 60.0 });
    let bad = [IntervalSeries { points: &points, ..series[0] }];
    assert_eq!(
        interval_chart(&IntervalChart { series: &bad, ..chart }),
        Err(SvgError::NotFinite { what: "series", index: 0, point: Some(2) })
    );
    assert_eq!(
        interval_chart(&IntervalChart { y_domain: Some((0.0, f64::NAN)), ..chart }),
        Err(SvgError::BadDomain("y_domain"))
    );

    let mut points = event_points();
    assert_eq!(event_study_chart(&event_chart(&[])), Err(SvgError::Empty("points")));
    points.swap(3, 4);
    assert_eq!(event_study_chart(&event_chart(&points)), Err(SvgError::NotAscending { what: "points", index: 4 }));
    points.swap(3, 4);
    points[5].high = points[5].estimate - 0.1;
    assert_eq!(
        event_study_chart(&event_chart(&points)),
        Err(SvgError::BadInterval { what: "points", index: 5, point: None })
    );
    points[5].high = f64::NAN;
    assert_eq!(
        event_study_chart(&event_chart(&points)),
        Err(SvgError::NotFinite { what: "points", index: 5, point: None })
    );
    // The messages say where.
    assert_eq!(
        SvgError::NotFinite { what: "series", index: 1, point: Some(2) }.to_string(),
        "series 1 point 2 has a number that is not finite"
    );
}
