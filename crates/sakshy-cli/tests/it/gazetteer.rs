//! `sakshy import gazetteer`: a bad file is refused naming its row and column, and nothing of it is written.

use crate::import::{Sandbox, fixture};

#[test]
fn a_bad_gazetteer_names_row_and_column_and_writes_nothing() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    let stderr = sandbox.fails(&["import", "gazetteer", &fixture("gazetteer-bad-lat.csv")]);
    assert!(stderr.contains("line 3"), "the row is named: {stderr}");
    assert!(stderr.contains("lat"), "the column is named: {stderr}");
    // The good first row of the bad file was not written: the valid file adds both places.
    assert_eq!(
        sandbox.ok(&["import", "gazetteer", &fixture("gazetteer-valid.csv")]).trim(),
        "gazetteer places: 2 added, 0 changed, 0 unchanged"
    );
    assert_eq!(
        sandbox.ok(&["import", "gazetteer", &fixture("gazetteer-valid.csv")]).trim(),
        "gazetteer places: 0 added, 0 changed, 2 unchanged"
    );
}
