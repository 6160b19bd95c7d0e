//! `sakshy retention run`, as a nightly job would run it.

use crate::import::{Sandbox, fixture};

#[test]
fn a_retention_run_reports_what_it_erased_and_can_run_again() {
    let sandbox = Sandbox::new();
    let no_city = sandbox.fails(&["retention", "run"]);
    assert!(no_city.contains("no city is stored yet"), "{no_city}");
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    let run = sandbox.ok(&["retention", "run", "--days", "30"]);
    assert_eq!(
        run.trim(),
        "personal data erased from 0 appeals finished more than 30 days ago (0 contacts, 0 photos) and the addresses \
         of 0 incidents older than that; both stay for the statistics"
    );
    let bad = sandbox.fails(&["retention", "run", "--days", "three"]);
    assert!(bad.contains("invalid value 'three' for '--days <DAYS>'"), "{bad}");
}
