//! `sakshy import incidents`: a file with bad rows is refused naming each row, field and reason and writes
//! nothing; `--skip-invalid` imports the rest and `--report` writes the problems as CSV; re-importing writes
//! nothing twice; a mapping file, `--map` and `--crs` read another system's export.

use crate::import::{Sandbox, fixture};

fn toy_city() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    sandbox
}

#[test]
fn bad_rows_are_listed_by_row_field_and_reason_and_nothing_is_written() {
    let sandbox = toy_city();
    let stderr = sandbox.fails(&["import", "incidents", &fixture("incidents-bad.csv")]);
    for needle in [
        "4 of 7 rows invalid; nothing was imported",
        "row 4, field datetime: \"05/03/2025 10:00\" is not a date and time",
        "row 5, field article: unknown article UK 434 (KoAP 434 exists: write it with its code)",
        "row 7, field lat: the point (lon 42.260000, lat 69.530000) is outside the city's bounding box; with the two \
         coordinates swapped it would be inside",
        "row 8, field source_id: source id \"E-1\" is also used by row 2",
    ] {
        assert!(stderr.contains(needle), "{needle:?} in:\n{stderr}");
    }
    // Nothing was written: the three good rows of the bad file are all new to the valid file's import.
    assert_eq!(
        sandbox.ok(&["import", "incidents", &fixture("incidents-valid.csv"), "--source", "erdr"]).trim(),
        "incidents: 3 imported, 0 already imported, 0 invalid"
    );
}

#[test]
fn skip_invalid_imports_the_good_rows_and_the_report_lists_the_others() {
    let sandbox = toy_city();
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("problems.csv").display().to_string();
    let output = sandbox.run(&[
        "import",
        "incidents",
        &fixture("incidents-bad.csv"),
        "--source",
        "erdr",
        "--skip-invalid",
        "--report",
        &report,
    ]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "incidents: 3 imported, 0 already imported, 4 invalid");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("skipped: row ").count(), 4, "{stderr}");
    let written = std::fs::read_to_string(&report).expect("the report is written");
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines[0], "row,field,column,reason,message");
    assert_eq!(lines.len(), 5, "{written}");
    assert!(lines[1].starts_with("4,datetime,datetime,bad_datetime,"), "{written}");
    assert!(lines[4].starts_with("8,source_id,source_id,duplicate_id,"), "{written}");
    // The same rows from the same source are already there; the valid file's rows are the same three.
    assert_eq!(
        sandbox.ok(&["import", "incidents", &fixture("incidents-valid.csv"), "--source", "erdr"]).trim(),
        "incidents: 0 imported, 3 already imported, 0 invalid"
    );
}

#[test]
fn re_importing_a_file_writes_nothing_twice() {
    let sandbox = toy_city();
    let file = fixture("incidents-valid.csv");
    assert_eq!(
        sandbox.ok(&["import", "incidents", &file]).trim(),
        "incidents: 3 imported, 0 already imported, 0 invalid"
    );
    assert_eq!(
        sandbox.ok(&["import", "incidents", &file]).trim(),
        "incidents: 0 imported, 3 already imported, 0 invalid",
        "the source defaults to the file's name, so the same file is the same source"
    );
}

#[test]
fn another_systems_export_is_read_through_a_mapping_file_and_its_crs() {
    let sandbox = toy_city();
    let file = fixture("incidents-mapped.csv");
    let mapping = fixture("incidents-mapping.txt");
    // Without the mapping, the columns are not found.
    let stderr = sandbox.fails(&["import", "incidents", &file]);
    assert!(stderr.contains("column \"source_id\" (field source_id) is not in the header"), "{stderr}");
    // With it but in WGS84, the planar columns do not fit.
    let stderr = sandbox.fails(&["import", "incidents", &file, "--map-file", &mapping]);
    assert!(stderr.contains("EPSG:4326 coordinates are read from lat and lon; x and y were mapped"), "{stderr}");
    assert_eq!(
        sandbox
            .ok(&["import", "incidents", &file, "--map-file", &mapping, "--crs", "EPSG:32642", "--source", "kui"])
            .trim(),
        "incidents: 3 imported, 0 already imported, 0 invalid"
    );
    // `--map` overrides the mapping file: reading the hour from the date column is refused row by row.
    let stderr = sandbox.fails(&[
        "import",
        "incidents",
        &file,
        "--map-file",
        &mapping,
        "--map",
        "hour=Дата",
        "--crs",
        "EPSG:32642",
        "--source",
        "kui-2",
    ]);
    assert!(stderr.contains("row 2, field hour (column Дата): \"14.03.2025\" is not an hour"), "{stderr}");
    let stderr = sandbox.fails(&["import", "incidents", &file, "--crs", "EPSG:3857"]);
    assert!(stderr.contains("unsupported coordinate reference system \"EPSG:3857\""), "{stderr}");
}

#[test]
fn incidents_need_a_city() {
    let sandbox = Sandbox::new();
    let stderr = sandbox.fails(&["import", "incidents", &fixture("incidents-valid.csv")]);
    assert!(stderr.contains("no city is stored yet"), "{stderr}");
}
