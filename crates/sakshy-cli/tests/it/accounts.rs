//! `sakshy user` and `sakshy apikey`, run as an administrator would.

use crate::import::{Sandbox, fixture};

#[test]
fn accounts_and_tokens_are_made_from_the_command_line_and_bad_input_is_named() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    let added = sandbox.ok(&[
        "user",
        "add",
        "uip.w1",
        "--name",
        "Нұрлан",
        "--role",
        "district_inspector",
        "--scope",
        "quadrants:TOY-W-Q1",
    ]);
    assert_eq!(added.trim(), "user uip.w1 added (district_inspector, quadrants:TOY-W-Q1)");
    let again = sandbox.fails(&["user", "add", "uip.w1", "--name", "x", "--role", "analyst", "--scope", "city"]);
    assert!(again.contains("user uip.w1 already exists"), "{again}");
    let bad_role = sandbox.fails(&["user", "add", "x", "--name", "x", "--role", "sheriff", "--scope", "city"]);
    assert!(bad_role.contains("--role: \"sheriff\" is not one of: administrator, supervisor"), "{bad_role}");
    let bad_scope = sandbox.fails(&["user", "add", "x", "--name", "x", "--role", "analyst", "--scope", "town"]);
    assert!(bad_scope.contains("--scope: \"town\" is not a scope"), "{bad_scope}");
    let token = sandbox.ok(&["apikey", "create", "--user", "uip.w1", "--label", "laptop"]);
    assert!(token.trim().starts_with("sk_") && token.trim().len() == 67, "{token}");
    let key = sandbox.ok(&["apikey", "create", "--open311", "--label", "fixmystreet"]);
    assert!(key.trim().starts_with("o311_"), "{key}");
    let ghost = sandbox.fails(&["apikey", "create", "--user", "ghost"]);
    assert!(ghost.contains("user ghost does not exist"), "{ghost}");
    assert!(sandbox.ok(&["user", "disable", "uip.w1"]).contains("disabled"));
}
