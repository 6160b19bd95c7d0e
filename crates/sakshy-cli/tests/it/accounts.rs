//! `sakshy user` and `sakshy apikey`, run as an administrator would: accounts, roles, passwords (from standard
//! input or generated and shown once, never logged) and tokens.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::import::{Sandbox, fixture};

/// Runs `sakshy` with `input` on standard input and debug logging on; returns (success, stdout, stderr).
fn run_with_stdin(sandbox: &Sandbox, args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sakshy"))
        .args(["--db", &sandbox.db()])
        .args(args)
        .env_remove("SAKSHY_DB")
        .env("RUST_LOG", "debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sakshy");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    let output = child.wait_with_output().expect("wait for sakshy");
    (
        output.status.success(),
        String::from_utf8(output.stdout).expect("utf-8"),
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

/// The stored password hash of an account, read with the store, and whether `password` matches it.
fn password_matches(sandbox: &Sandbox, login: &str, password: &str) -> bool {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let store = sakshy_store::Store::connect(&sandbox.db()).await.expect("open");
        let city = store.city().await.expect("read city").expect("a city").0;
        let credentials = store.staff_credentials(city, login).await.expect("read account").expect("the account");
        let hash = credentials.password_hash.expect("a password is set");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        store.close().await;
        sakshy_web::auth::verify_password(password, &hash)
    })
}

/// The generated password a command printed.
fn printed_password(stdout: &str) -> String {
    let line = stdout.lines().find_map(|l| l.strip_prefix("password (shown once): ")).expect("a printed password");
    assert_eq!(line.chars().count(), 16, "{line}");
    line.to_owned()
}

#[test]
fn a_generated_password_is_printed_once_and_works_and_a_reset_replaces_it() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    let added =
        sandbox.ok(&["user", "add", "sup.w", "--name", "Сәуле", "--role", "supervisor", "--scope", "district:TOY-W"]);
    let first = printed_password(&added);
    assert!(password_matches(&sandbox, "sup.w", &first));
    assert!(!password_matches(&sandbox, "sup.w", "something else"));

    let reset = sandbox.ok(&["user", "reset-password", "sup.w"]);
    assert!(reset.starts_with("password of sup.w reset; its sessions ended"), "{reset}");
    let second = printed_password(&reset);
    assert_ne!(first, second);
    assert!(password_matches(&sandbox, "sup.w", &second));
    assert!(!password_matches(&sandbox, "sup.w", &first), "the old password no longer works");
    let ghost = sandbox.fails(&["user", "reset-password", "ghost"]);
    assert!(ghost.contains("user ghost does not exist"), "{ghost}");
}

#[test]
fn a_password_from_standard_input_is_never_printed_or_logged_and_a_short_one_is_refused() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    let secret = "Құпия-сөз-2026-long";
    let args = ["user", "add", "an.w", "--name", "A", "--role", "analyst", "--scope", "city", "--password-stdin"];
    let (ok, stdout, stderr) = run_with_stdin(&sandbox, &args, &format!("{secret}\n"));
    assert!(ok, "{stderr}");
    assert_eq!(stdout.trim(), "user an.w added (analyst, city)");
    assert!(!stdout.contains(secret) && !stderr.contains(secret), "the password leaked: {stdout} {stderr}");
    assert!(password_matches(&sandbox, "an.w", secret));

    let args = ["user", "reset-password", "an.w", "--password-stdin"];
    let (ok, _, stderr) = run_with_stdin(&sandbox, &args, "short\n");
    assert!(!ok);
    assert!(stderr.contains("the password must have at least 10 characters"), "{stderr}");
    assert!(password_matches(&sandbox, "an.w", secret), "a refused reset changes nothing");
    let args = ["user", "add", "x.w", "--name", "X", "--role", "analyst", "--scope", "city", "--password-stdin"];
    let (ok, _, _) = run_with_stdin(&sandbox, &args, "short\n");
    assert!(!ok, "a short password is refused before the account is made");
    let exists = sandbox.fails(&["user", "role", "x.w", "--role", "analyst", "--scope", "city"]);
    assert!(exists.contains("user x.w does not exist"), "{exists}");
}

#[test]
fn a_role_change_is_stored_and_bad_roles_and_scopes_are_named() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    sandbox.ok(&["user", "add", "u.w", "--name", "U", "--role", "district_inspector", "--scope", "quadrants:TOY-W-Q1"]);
    let changed = sandbox.ok(&["user", "role", "u.w", "--role", "supervisor", "--scope", "district:TOY-W"]);
    assert_eq!(changed.trim(), "user u.w is now supervisor (district:TOY-W)");
    let bad_role = sandbox.fails(&["user", "role", "u.w", "--role", "sheriff", "--scope", "city"]);
    assert!(bad_role.contains("--role: \"sheriff\" is not one of"), "{bad_role}");
    let bad_scope = sandbox.fails(&["user", "role", "u.w", "--role", "analyst", "--scope", "town"]);
    assert!(bad_scope.contains("--scope: \"town\" is not a scope"), "{bad_scope}");
    assert!(sandbox.ok(&["user", "disable", "u.w"]).contains("disabled"));
    assert!(sandbox.ok(&["user", "enable", "u.w"]).contains("enabled"));
}

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
    assert_eq!(added.lines().next(), Some("user uip.w1 added (district_inspector, quadrants:TOY-W-Q1)"));
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
