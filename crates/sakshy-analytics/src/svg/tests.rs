//! Tests of the SVG charts: snapshots of a small example of each (committed in `tests/fixtures/svg_*.svg`;
//! rewrite them with `UPDATE_SNAPSHOTS=1` and review the diff), well-formedness, the grid convention on screen,
//! and the contrast of every text colour.

use super::*;

/// Compares `svg` with the committed snapshot `tests/fixtures/svg_{name}.svg`, or rewrites it when
/// `UPDATE_SNAPSHOTS` is set.
fn snapshot(name: &str, svg: &str) {
    let path = format!("{}/tests/fixtures/svg_{name}.svg", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, svg).expect("write the snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no snapshot {path}: run with UPDATE_SNAPSHOTS=1 and review it"));
    assert!(expected == svg, "{name} differs from {path}; run with UPDATE_SNAPSHOTS=1 and review the diff:\n{svg}");
}

/// Checks that every element is closed in order, that the root is one `<svg>` with a title and description,
/// that ids are unique and that nothing is fetched from outside.
pub(super) fn assert_well_formed(svg: &str) {
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
    assert!(svg.contains("role=\"img\"") && svg.contains("<title id=") && svg.contains("<desc id="));
    let mut open: Vec<String> = Vec::new();
    let mut rest = svg;
    let mut roots = 0;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("every tag ends") + start;
        let tag = &rest[start + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "closing {name}");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().expect("a tag name").to_owned();
            if open.is_empty() {
                roots += 1;
            }
            open.push(name);
        }
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in <{tag}>");
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    assert_eq!(roots, 1);
    let mut ids: Vec<&str> = svg.split(" id=\"").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate ids");
    assert!(!svg.contains("href") && !svg.contains("http://www.w3.org/1999") && !svg.contains("<script"));
}

const HOT_COLD_LABELS: [&str; 7] = [
    "Cold spot, 99 % confidence",
    "Cold spot, 95 % confidence",
    "Cold spot, 90 % confidence",
    "Not significant",
    "Hot spot, 90 % confidence",
    "Hot spot, 95 % confidence",
    "Hot spot, 99 % confidence",
];

fn small_grid() -> Grid {
    Grid::new(1000.0, 2000.0, 250.0, 4, 3).unwrap()
}

fn heat_map_of<'a>(grid: &'a Grid, values: &'a [f64], scale: Scale<'a>) -> HeatMap<'a> {
    HeatMap {
        text: ChartText { id: "map", title: "Events per cell", description: "Counts of events in 250 m cells." },
        grid,
        values,
        scale,
        legend_title: "Events",
        rings: &[],
        points: &[],
        distance_units: ["m", "km"],
        format: &format_number,
    }
}

#[test]
fn a_sequential_heat_map_matches_its_snapshot() {
    let grid = small_grid();
    let values = [0.0, 1.0, 2.0, 2.0, 3.0, f64::NAN, 5.0, 8.0, 0.0, 0.0, 1.0, 13.0];
    let rings = vec![vec![(1000.0, 2000.0), (1500.0, 2000.0), (1500.0, 2750.0), (1000.0, 2750.0)]];
    let points = [(1125.0, 2125.0), (1900.0, 2600.0)];
    let breaks = Breaks::EqualInterval(4);
    let map = HeatMap {
        rings: &rings,
        points: &points,
        ..heat_map_of(&grid, &values, Scale::Sequential { breaks: &breaks })
    };
    let svg = heat_map(&map).unwrap();
    assert_well_formed(&svg);
    snapshot("heat_map", &svg);
}

#[test]
fn a_hot_cold_map_matches_its_snapshot_and_classifies_by_the_normal_thresholds() {
    let grid = small_grid();
    let z = [-3.0, -2.0, -1.7, 0.0, 1.0, 1.644, 1.645, 1.96, 2.575, 2.58, f64::NAN, 4.0];
    let svg = heat_map(&heat_map_of(&grid, &z, Scale::HotCold { bins: None, labels: HOT_COLD_LABELS })).unwrap();
    assert_well_formed(&svg);
    snapshot("hot_cold", &svg);
    let (classes, legend) =
        classify(&z, &Scale::HotCold { bins: None, labels: HOT_COLD_LABELS }, &format_number).unwrap();
    // Entry 0 is +3 (hot 99 %), entry 6 is −3.
    let bins: Vec<Option<i8>> = classes.iter().map(|c| c.map(|c| 3 - c as i8)).collect();
    let expected = [-3, -2, -1, 0, 0, 0, 1, 2, 2, 3];
    assert_eq!(bins[..10].iter().map(|b| b.unwrap()).collect::<Vec<_>>(), expected);
    assert_eq!((bins[10], bins[11]), (None, Some(3)));
    assert_eq!(legend[0].label, "Hot spot, 99 % confidence");
    assert_eq!(legend[6].colour, "#4575b4");
    // Given bins win over the thresholds.
    let given = [0i8; 12];
    let (classes, _) =
        classify(&z, &Scale::HotCold { bins: Some(&given), labels: HOT_COLD_LABELS }, &format_number).unwrap();
    assert!(classes.iter().enumerate().all(|(i, c)| if i == 10 { c.is_none() } else { *c == Some(3) }));
}

#[test]
fn row_zero_is_drawn_at_the_bottom_and_nan_cells_are_not_drawn() {
    let grid = Grid::new(0.0, 0.0, 100.0, 1, 2).unwrap();
    let breaks = Breaks::EqualInterval(1);
    let svg = heat_map(&heat_map_of(&grid, &[1.0, f64::NAN], Scale::Sequential { breaks: &breaks })).unwrap();
    // Cells are 40 px (the largest cell); the map starts at y = 48, so row 0 (south) is at y = 88.
    let cells: Vec<&str> =
        svg.split("<rect ").filter(|r| r.contains("fill=\"#fd8d3c\"") && !r.contains("stroke")).collect();
    assert_eq!(cells.len(), 1, "{svg}");
    assert!(cells[0].starts_with(r#"x="16" y="88" width="40" height="40""#), "{}", cells[0]);
}

#[test]
fn equal_neighbours_along_a_row_are_one_rectangle() {
    let grid = Grid::new(0.0, 0.0, 10.0, 100, 1).unwrap();
    let values = vec![3.0; 100];
    let breaks = Breaks::EqualInterval(5);
    let svg = heat_map(&heat_map_of(&grid, &values, Scale::Sequential { breaks: &breaks })).unwrap();
    let cells = svg.matches(r##"fill="#fd8d3c"/>"##).count();
    assert_eq!(cells, 1, "{svg}");
}

#[test]
fn a_categorical_map_draws_only_whole_category_numbers() {
    let grid = Grid::new(0.0, 0.0, 10.0, 3, 1).unwrap();
    let classes = [
        Category { colour: LISA_COLOURS[0], label: "Not significant" },
        Category { colour: LISA_COLOURS[1], label: "High-High" },
    ];
    let (drawn, legend) =
        classify(&[1.0, 0.5, 7.0], &Scale::Categorical { classes: &classes }, &format_number).unwrap();
    assert_eq!(drawn, vec![Some(1), None, None]);
    assert_eq!(legend[1].label, "High-High");
    let bad = [Category { colour: "red", label: "x" }];
    assert_eq!(
        classify(&[0.0], &Scale::Categorical { classes: &bad }, &format_number).err(),
        Some(SvgError::BadColour("red".to_owned()))
    );
    let svg = heat_map(&heat_map_of(&grid, &[1.0, 0.0, 1.0], Scale::Categorical { classes: &classes })).unwrap();
    assert_well_formed(&svg);
}

#[test]
fn the_knox_table_matches_its_snapshot() {
    let rows: Vec<String> = ["Same location", "1 to 100 m", "101 to 200 m", "More than 200 m"].map(String::from).into();
    let cols: Vec<String> = ["0 to 7 days", "8 to 14 days", "More than 14 days"].map(String::from).into();
    let ratio = vec![
        vec![Some(1.65), Some(0.91), Some(1.02)],
        vec![Some(1.69), Some(1.1), Some(0.97)],
        vec![Some(1.32), None, Some(0.45)],
        vec![Some(0.99), Some(1.0), Some(2.5)],
    ];
    let significant =
        vec![vec![true, false, false], vec![true, false, false], vec![true, false, false], vec![false, false, false]];
    let table = KnoxHeatTable {
        text: ChartText { id: "knox", title: "Near repeats <burglary & theft>", description: "Knox ratios." },
        row_header: "Distance",
        col_header: "Time between events",
        row_labels: &rows,
        col_labels: &cols,
        knox_ratio: &ratio,
        significant: &significant,
        legend_title: "Knox ratio",
        significant_label: "Significant (p ≤ 0.05)",
        missing_label: "No pairs expected",
        format: &|v| format!("{v:.2}"),
    };
    let svg = knox_table(&table).unwrap();
    assert_well_formed(&svg);
    assert!(svg.contains("Near repeats &lt;burglary &amp; theft&gt;"));
    assert!(svg.contains(">1.65*</text>") && svg.contains(">0.91</text>") && svg.contains(">–</text>"));
    snapshot("knox_table", &svg);
    let short = KnoxHeatTable { row_labels: &rows[..3], ..table };
    assert!(matches!(knox_table(&short), Err(SvgError::Length { what: "knox_ratio rows", .. })));
}

#[test]
fn the_week_hour_matrix_matches_its_snapshot() {
    let mut counts = [[0.0; 24]; 7];
    for (day, row) in counts.iter_mut().enumerate() {
        for (hour, cell) in row.iter_mut().enumerate() {
            *cell = ((day * 7 + hour * 3) % 11) as f64;
        }
    }
    let unknown = [1.0, 0.0, 2.0, 0.0, 0.0, 5.0, 3.0];
    let breaks = Breaks::EqualInterval(5);
    let chart = WeekHourHeatMap {
        text: ChartText { id: "wh", title: "When events happen", description: "Events by weekday and hour." },
        counts: &counts,
        hour_unknown: Some(&unknown),
        day_labels: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        hour_label: "Hour of day",
        unknown_label: "Hour unknown",
        legend_title: "Events",
        breaks: &breaks,
        format: &format_number,
    };
    let svg = week_hour_heat_map(&chart).unwrap();
    assert_well_formed(&svg);
    assert_eq!(svg.matches("stroke-width=\"1\"/>").count(), 7 * 24);
    snapshot("week_hour", &svg);
}

#[test]
fn the_monthly_chart_matches_its_snapshot() {
    let labels: Vec<String> = (1..=12).map(|m| format!("2025-{m:02}")).collect();
    let values = [12.0, 9.0, 15.0, 20.0, 18.0, 22.0, 30.0, 28.0, 19.0, 14.0, 11.0, 10.0];
    let previous: Vec<Option<f64>> = [
        None,
        None,
        Some(10.0),
        Some(16.0),
        Some(21.0),
        Some(25.0),
        Some(26.0),
        None,
        Some(17.0),
        Some(12.0),
        Some(9.0),
        Some(8.0),
    ]
    .into();
    let chart = MonthlyChart {
        text: ChartText { id: "trend", title: "Events per month", description: "Monthly counts, 2025." },
        month_labels: &labels,
        values: &values,
        previous_year: Some(&previous),
        series_label: "2025",
        previous_label: "Same month a year earlier",
        y_label: "Events",
        style: SeriesStyle::Bars,
        format: &format_number,
    };
    let svg = monthly_chart(&chart).unwrap();
    assert_well_formed(&svg);
    // Two dashed pieces: the legend swatch and one path with two gaps → one path element.
    assert_eq!(svg.matches("stroke-dasharray").count(), 2);
    snapshot("monthly", &svg);
    let line = monthly_chart(&MonthlyChart { style: SeriesStyle::Line, previous_year: None, ..chart }).unwrap();
    assert_well_formed(&line);
    assert_eq!(line.matches("<circle").count(), 12);
    let bad = MonthlyChart { values: &values[..3], ..chart };
    assert!(matches!(monthly_chart(&bad), Err(SvgError::Length { what: "month_labels", .. })));
}

#[test]
fn stacked_charts_are_one_document() {
    let grid = small_grid();
    let breaks = Breaks::Quantile(3);
    let values: Vec<f64> = (0..12).map(f64::from).collect();
    let a = heat_map(&heat_map_of(&grid, &values, Scale::Sequential { breaks: &breaks })).unwrap();
    // Charts shown together need ids of their own.
    let mut second = heat_map_of(&grid, &values, Scale::HotCold { bins: None, labels: HOT_COLD_LABELS });
    second.text.id = "second";
    let b = heat_map(&second).unwrap();
    let (wa, ha) = chart_size(&a).unwrap();
    let (_, hb) = chart_size(&b).unwrap();
    let both = stack(&ChartText { id: "both", title: "Two maps", description: "Two maps." }, &[a, b]).unwrap();
    assert_well_formed(&both);
    let (w, h) = chart_size(&both).unwrap();
    assert_eq!((w, h), (wa.max(w), CHART_TOP + ha + hb));
    assert_eq!(
        stack(&ChartText { id: "x", title: "x", description: "x" }, &["<p/>".to_owned()]),
        Err(SvgError::NotAChart(0))
    );
}

#[test]
fn every_text_colour_passes_wcag_aa() {
    for ink in [INK, INK_SOFT] {
        assert!(contrast_ratio(ink, "#ffffff").unwrap() >= 4.5, "{ink}");
    }
    for fill in RATIO_COLOURS.iter().chain(&SEQUENTIAL).chain(&HOT_COLD).chain(&LISA_COLOURS).chain(&[MISSING]) {
        let text = text_on(fill).unwrap();
        assert!(contrast_ratio(fill, text).unwrap() >= 4.5, "{text} on {fill}");
    }
    // Lines and bars need 3:1 against the background (WCAG 1.4.11).
    for series in [SERIES, SERIES_PREVIOUS] {
        assert!(contrast_ratio(series, "#ffffff").unwrap() >= 3.0, "{series}");
    }
    // The worst background for black-or-white text still gives 4.58:1.
    let worst = (0..=255u32)
        .map(|g| format!("#{g:02x}{g:02x}{g:02x}"))
        .map(|c| contrast_ratio(&c, text_on(&c).unwrap()).unwrap())
        .fold(f64::INFINITY, f64::min);
    assert!(worst >= 4.5, "{worst}");
}

#[test]
fn numbers_are_short_and_round() {
    for (value, text) in [
        (0.0, "0"),
        (182_194.0, "182194"),
        (1.65, "1.65"),
        (1.0, "1"),
        (0.000_123_4, "0.000123"),
        (12.5, "12.5"),
        (-2.5, "-2.5"),
        (999.4, "999"),
        (f64::NAN, "–"),
    ] {
        assert_eq!(format_number(value), text, "{value}");
    }
    assert_eq!(nice_ticks(28.0), vec![0.0, 10.0, 20.0, 30.0]);
    assert_eq!(nice_ticks(0.0), vec![0.0, 1.0]);
    assert_eq!(nice_ticks(100.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
}

#[test]
fn class_edges_follow_the_breaks() {
    let values = [0.0, 1.0, 2.0, 3.0, 4.0, f64::NAN];
    assert_eq!(class_edges(&values, &Breaks::EqualInterval(4)).unwrap(), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
    assert_eq!(class_edges(&values, &Breaks::Quantile(2)).unwrap(), vec![0.0, 2.0, 4.0]);
    assert_eq!(class_edges(&[5.0, 5.0], &Breaks::Quantile(3)).unwrap(), vec![5.0, 5.0]);
    assert_eq!(class_edges(&[f64::NAN], &Breaks::EqualInterval(3)).unwrap(), Vec::<f64>::new());
    assert_eq!(class_edges(&values, &Breaks::EqualInterval(0)), Err(SvgError::BadClasses(0)));
    assert_eq!(class_edges(&values, &Breaks::Explicit(vec![1.0, 1.0])), Err(SvgError::BadBreaks));
    let (classes, legend) =
        classify(&values, &Scale::Sequential { breaks: &Breaks::Explicit(vec![1.0, 2.0, 3.0]) }, &format_number)
            .unwrap();
    // Below the first edge → first class, above the last → last class, NaN → not drawn.
    assert_eq!(classes, vec![Some(0), Some(0), Some(1), Some(1), Some(1), None]);
    assert_eq!(legend.iter().map(|e| e.label.as_str()).collect::<Vec<_>>(), ["1 – 2", "2 – 3"]);
    assert!(matches!(
        heat_map(&heat_map_of(&small_grid(), &[1.0], Scale::Sequential { breaks: &Breaks::EqualInterval(3) })),
        Err(SvgError::Length { what: "values", got: 1, expected: 12 })
    ));
}

#[test]
fn cells_of_large_grids_meet_on_whole_pixels() {
    // 151 columns: 640 / 151 = 4.24 px, drawn as 4 px so that rows and columns leave no seams.
    let grid = Grid::new(0.0, 0.0, 100.0, 151, 151).unwrap();
    let values: Vec<f64> = (0..grid.len()).map(|i| (i % 7) as f64).collect();
    let breaks = Breaks::EqualInterval(3);
    let svg = heat_map(&heat_map_of(&grid, &values, Scale::Sequential { breaks: &breaks })).unwrap();
    let cells: Vec<&str> = svg.split("<rect ").skip(3).filter(|r| !r.contains("stroke")).collect();
    assert!(cells.len() > 151);
    for cell in cells {
        for attribute in ["y=\"", "height=\""] {
            let value = cell.split(attribute).nth(1).unwrap().split('"').next().unwrap();
            assert!(!value.contains('.'), "{attribute}{value} in {cell}");
        }
    }
}
