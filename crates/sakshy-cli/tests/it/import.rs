//! Every class of import error: the message names the feature or line, the exit code is non-zero, and the
//! database is unchanged.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary database and a way to run `sakshy` against it.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let sandbox = Sandbox { dir: tempfile::tempdir().expect("temp dir") };
        sandbox.ok(&["migrate"]);
        sandbox
    }

    pub fn db(&self) -> String {
        format!("sqlite:{}", self.dir.path().join("sakshy.db").display())
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sakshy"))
            .args(["--db", &self.db()])
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("SAKSHY_DB")
            .env_remove("RUST_LOG")
            .output()
            .expect("run sakshy")
    }

    /// A path in the sandbox's directory.
    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Runs a command that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(output.status.success(), "sakshy {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("utf-8 output")
    }

    /// Runs a command that must fail; returns its standard error.
    pub fn fails(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            !output.status.success(),
            "sakshy {args:?} should have failed: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        String::from_utf8(output.stderr).expect("utf-8 output")
    }

    /// The registry as the CLI sees it: exported territories, and the points, officers and agencies lists.
    pub fn registry(&self) -> String {
        let territories = self.run(&["export", "territories"]);
        format!("{}{}", String::from_utf8_lossy(&territories.stdout), String::from_utf8_lossy(&territories.stderr))
    }
}

pub fn fixture(name: &str) -> String {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    path.display().to_string()
}

/// A sandbox holding the valid toy city, points, officers and agencies.
fn loaded() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson"), "--valid-from", "2026-01-01"]);
    sandbox.ok(&["import", "points", &fixture("points-valid.csv")]);
    sandbox.ok(&["import", "officers", &fixture("officers-valid.csv")]);
    sandbox.ok(&["import", "agencies", &fixture("agencies-valid.csv")]);
    sandbox
}

/// Imports a bad file into a loaded sandbox and checks the message and that nothing changed.
fn check_refused(what: &str, file: &str, expected: &[&str]) {
    let sandbox = loaded();
    let before = sandbox.registry();
    let located_before = sandbox.ok(&["locate", "42.25", "69.52", "--json"]);
    let stderr = sandbox.fails(&["import", what, &fixture(file)]);
    for needle in expected {
        assert!(stderr.contains(needle), "{file}: expected {needle:?} in:\n{stderr}");
    }
    assert!(
        stderr.contains("nothing was imported") || stderr.contains("not valid JSON") || stderr.contains("error"),
        "{stderr}"
    );
    assert_eq!(sandbox.registry(), before, "{file}: territories unchanged");
    assert_eq!(sandbox.ok(&["locate", "42.25", "69.52", "--json"]), located_before, "{file}: registry unchanged");
}

#[test]
fn a_valid_import_reports_what_it_did_and_a_repeat_changes_nothing() {
    let sandbox = Sandbox::new();
    let first = sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    assert_eq!(first.trim(), "territories: 11 added, 0 changed (new version), 0 unchanged; registry revision 1");
    let again = sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    assert_eq!(again.trim(), "territories: 0 added, 0 changed (new version), 11 unchanged; registry revision 1");
    assert_eq!(
        sandbox.ok(&["import", "points", &fixture("points-valid.csv")]).trim(),
        "police points: 1 added, 0 changed, 0 unchanged"
    );
    assert_eq!(
        sandbox.ok(&["import", "points", &fixture("points-valid.csv")]).trim(),
        "police points: 0 added, 0 changed, 1 unchanged"
    );
}

#[test]
fn an_export_imports_back_unchanged() {
    let sandbox = loaded();
    let exported = sandbox.ok(&["export", "territories"]);
    let path = sandbox.dir.path().join("export.geojson");
    std::fs::write(&path, &exported).unwrap();
    let summary = sandbox.ok(&["import", "territories", &path.display().to_string()]);
    assert!(summary.contains("0 added, 0 changed (new version), 11 unchanged"), "{summary}");
}

#[test]
fn a_redrawn_boundary_keeps_the_old_version_for_the_past() {
    let sandbox = loaded();
    let stderr_and_out =
        sandbox.run(&["import", "territories", &fixture("territories-gap.geojson"), "--valid-from", "2026-06-01"]);
    assert!(stderr_and_out.status.success());
    let warnings = String::from_utf8_lossy(&stderr_and_out.stderr);
    assert!(
        warnings.contains("warning: feature 1 (TOY-W): ") && warnings.contains("covered by no quadrant (a gap)"),
        "{warnings}"
    );
    let now = sandbox.ok(&["export", "territories"]);
    let then = sandbox.ok(&["export", "territories", "--at", "2026-03-01T00:00:00Z"]);
    assert_ne!(now, then);
    assert!(then.contains("[69.5,42.3]") && now.contains("[69.5,42.28]"), "old and new boundaries of TOY-W-Q1");
}

#[test]
fn not_json() {
    check_refused("territories", "territories-not-json.geojson", &["file: not valid JSON: EOF while parsing"]);
}

#[test]
fn not_a_feature_collection() {
    check_refused("territories", "territories-not-collection.geojson", &["file: expected a GeoJSON FeatureCollection"]);
}

#[test]
fn missing_property() {
    check_refused("territories", "territories-missing-name.geojson", &["feature 2 (TOY-W-Q1): name_ru is required"]);
}

#[test]
fn unknown_level() {
    check_refused(
        "territories",
        "territories-bad-level.geojson",
        &["feature 2 (TOY-W-Q1): level: \"block\" is not one of: city, district, quadrant"],
    );
}

#[test]
fn swapped_coordinates() {
    check_refused(
        "territories",
        "territories-swapped-coordinates.geojson",
        &[
            "feature 2 (TOY-W-Q1): lies",
            "m² outside its parent TOY-W",
            "with longitude and latitude swapped it would fall on its parent",
        ],
    );
}

#[test]
fn ring_not_closed() {
    check_refused(
        "territories",
        "territories-ring-not-closed.geojson",
        &["feature 2 (TOY-W-Q1): geometry: polygon 0, ring 0 is not closed"],
    );
}

#[test]
fn self_intersection() {
    check_refused(
        "territories",
        "territories-self-intersection.geojson",
        &["feature 2 (TOY-W-Q1): geometry: invalid polygon:", "self-intersection"],
    );
}

#[test]
fn duplicate_code() {
    check_refused(
        "territories",
        "territories-duplicate-code.geojson",
        &["feature 11 (TOY-W-Q2): code TOY-W-Q2 appears twice (also at feature 3 (TOY-W-Q2))"],
    );
}

#[test]
fn unknown_parent() {
    check_refused(
        "territories",
        "territories-unknown-parent.geojson",
        &["feature 2 (TOY-W-Q1): parent TOY-X is not a known district"],
    );
}

#[test]
fn outside_parent() {
    check_refused(
        "territories",
        "territories-outside-parent.geojson",
        &["feature 3 (TOY-W-Q2): lies", "m² outside its parent TOY-W"],
    );
}

#[test]
fn overlapping_quadrants() {
    check_refused("territories", "territories-overlap.geojson", &["feature 3 (TOY-W-Q2): overlaps TOY-W-Q1 by"]);
}

#[test]
fn no_city_in_an_empty_database() {
    let sandbox = Sandbox::new();
    let stderr = sandbox.fails(&["import", "territories", &fixture("territories-no-city.geojson")]);
    assert!(stderr.contains("file: no city: the file must contain one feature with level \"city\""), "{stderr}");
    assert!(sandbox.registry().contains("no city is stored yet"), "still empty");
}

#[test]
fn points_serving_an_unknown_quadrant() {
    check_refused("points", "points-unknown-quadrant.csv", &["line 2, column quadrants: unknown quadrant TOY-W-Q9"]);
}

#[test]
fn points_with_bad_hours() {
    check_refused(
        "points",
        "points-bad-hours.csv",
        &["line 2, column hours: hours: \"9-18\" is not a time range: use HH:MM-HH:MM"],
    );
}

#[test]
fn points_missing_a_column() {
    check_refused("points", "points-missing-column.csv", &["line 1, column hours: column hours is required"]);
}

#[test]
fn officers_at_an_unknown_point() {
    check_refused("officers", "officers-unknown-point.csv", &["line 2, column point: unknown police point P9"]);
}

#[test]
fn officers_with_an_unknown_rank() {
    check_refused("officers", "officers-bad-rank.csv", &["line 2, column rank: rank: \"general\" is not one of:"]);
}

#[test]
fn officers_listed_twice() {
    check_refused(
        "officers",
        "officers-duplicate-badge.csv",
        &["line 3: code SHY-00001 appears twice (also at line 2)"],
    );
}

#[test]
fn agencies_of_an_unknown_kind() {
    check_refused("agencies", "agencies-bad-kind.csv", &["line 2, column kind: kind: \"school\" is not one of:"]);
}

#[test]
fn agencies_with_a_bad_phone() {
    check_refused(
        "agencies",
        "agencies-bad-phone.csv",
        &["line 2, column phone: phone: \"call us\" is not a phone number"],
    );
}

#[test]
fn a_missing_file_is_named() {
    let sandbox = Sandbox::new();
    let stderr = sandbox.fails(&["import", "territories", "no-such-file.geojson"]);
    assert!(stderr.contains("reading no-such-file.geojson"), "{stderr}");
}
