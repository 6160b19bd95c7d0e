//! The administration pages over HTTP: a registry file previewed (nothing written) then applied, a bad file
//! refused with every problem in the administrator's language, staff accounts added, re-roled and disabled, and a
//! working-calendar year previewed and loaded.

use crate::helpers::{TestApp, spawn_app};
use crate::login::{Browser, PASSWORD, account, audit_actions, hidden};

fn demo_agencies() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/demo/shymkent/agencies.csv")).unwrap()
}

async fn admin(app: &TestApp) -> (Browser<'_>, String) {
    account(app, "admin", "administrator", "city", PASSWORD).await;
    let mut browser = Browser::new(app);
    assert_eq!(browser.login("admin", PASSWORD).await.status, 303);
    let page = browser.get("/staff/admin?lang=en").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = hidden(&page.body, "csrf");
    (browser, csrf)
}

#[tokio::test]
async fn an_administrator_previews_an_agencies_file_which_writes_nothing_then_applies_it() {
    // Arrange: the demo file with one agency renamed and one added.
    let app = spawn_app().await;
    let city = app.store.city().await.unwrap().unwrap().0;
    let before = app.store.agencies(city).await.unwrap();
    let file = demo_agencies().replace("Police emergency line 102", "Police line 102 (renamed)")
        + "YOUTH_CTR,other,Жастар орталығы,Молодёжный центр,Youth centre,,,\n";
    let (mut browser, csrf) = admin(&app).await;

    // Act: preview.
    let preview = browser
        .post(
            "/staff/admin/import?lang=en",
            &[("csrf", &csrf), ("kind", "agencies"), ("step", "preview"), ("text", &file)],
        )
        .await;

    // Assert: the preview names what changes and nothing is stored yet.
    assert_eq!(preview.status, 200, "{}", preview.body);
    let section = |id: &str| {
        let start = preview.body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no {id}"));
        preview.body[start..].split("</dd>").next().unwrap().to_owned()
    };
    assert!(section("p-added").contains("YOUTH_CTR"), "{}", section("p-added"));
    assert!(section("p-changed").contains("EMERG_102"), "{}", section("p-changed"));
    assert!(!section("p-changed").contains("EMERG_112"));
    assert_eq!(app.store.agencies(city).await.unwrap(), before, "a preview writes nothing");

    // Act: apply the text the preview carries.
    let text = preview.body.split("name=\"text\" value=").nth(1).unwrap();
    assert!(text.contains("YOUTH_CTR"), "the preview carries the file to apply");
    let applied = browser
        .post(
            "/staff/admin/import?lang=en",
            &[("csrf", &csrf), ("kind", "agencies"), ("step", "apply"), ("text", &file)],
        )
        .await;

    // Assert: stored, reported, audited.
    assert_eq!(applied.status, 200, "{}", applied.body);
    assert!(applied.body.contains("1 added, 1 changed"), "{}", applied.body);
    let after = app.store.agencies(city).await.unwrap();
    assert_eq!(after.len(), before.len() + 1);
    let renamed = after.iter().find(|a| a.code.as_str() == "EMERG_102").unwrap();
    assert_eq!(renamed.name.get(sakshy_core::Lang::En), "Police line 102 (renamed)");
    let registry = browser.get("/staff/admin?lang=en").await;
    assert!(registry.body.contains("YOUTH_CTR") && registry.body.contains("Youth centre"), "the snapshot reloaded");
    assert!(audit_actions(&app).await.iter().any(|(who, what, _)| who == "admin" && what == "import_registry"));
}

#[tokio::test]
async fn a_bad_file_is_refused_with_every_problem_in_the_administrators_language_and_nothing_changes() {
    // Arrange: two bad rows.
    let app = spawn_app().await;
    let city = app.store.city().await.unwrap().unwrap().0;
    let before = app.store.agencies(city).await.unwrap();
    let file = "code,kind,name_kk,name_ru,name_en,phone,email,website\n\
                NEW_ONE,circus,Цирк,Цирк,Circus,,,\n\
                NEW_TWO,other,,Пусто,Empty,,,\n";
    let (mut browser, csrf) = admin(&app).await;

    // Act: in Kazakh.
    let refused = browser
        .post(
            "/staff/admin/import?lang=kk",
            &[("csrf", &csrf), ("kind", "agencies"), ("step", "apply"), ("text", file)],
        )
        .await;

    // Assert
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("Файлда 2 қате бар"), "{}", refused.body);
    assert!(refused.body.contains("circus"), "the bad value is named: {}", refused.body);
    assert!(refused.body.contains('3'), "row numbers are named");
    assert!(!refused.body.contains("admin-apply"), "no message key leaks");
    assert_eq!(app.store.agencies(city).await.unwrap(), before);
}

#[tokio::test]
async fn an_administrator_adds_an_account_whose_password_is_shown_once_then_changes_its_role_and_disables_it() {
    // Arrange
    let app = spawn_app().await;
    let (mut browser, csrf) = admin(&app).await;

    // Act: add an inspector.
    let form = [
        ("csrf", csrf.as_str()),
        ("login", "new.inspector"),
        ("name", "Нұрлан Әбішев"),
        ("role", "district_inspector"),
        ("scope", "quadrants:SHY-ALF-Q01"),
    ];
    let added = browser.post("/staff/admin/users?lang=en", &form).await;

    // Assert: the password is shown once, is not cached, and works.
    assert_eq!(added.status, 200, "{}", added.body);
    let password = added.body.split("<code id=\"password\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert_eq!(password.len(), 16);
    let mut inspector = Browser::new(&app);
    assert_eq!(inspector.login("new.inspector", &password).await.status, 303);
    assert_eq!(inspector.get("/staff/reception").await.status, 200, "an inspector keeps the reception log");
    let users = browser.get("/staff/admin/users?lang=en").await;
    assert!(users.body.contains("new.inspector") && users.body.contains("District inspector"), "{}", users.body);
    assert!(!users.body.contains(&password), "the list never shows a password");

    // Act: a taken login and a bad scope are refused next to the form.
    let taken = browser.post("/staff/admin/users?lang=en", &form).await;
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("The login new.inspector is taken"), "{}", taken.body);

    // Act: make them an analyst; their open session ends so the new role applies at once.
    let role = [("csrf", csrf.as_str()), ("action", "role"), ("login", "new.inspector"), ("role", "analyst")];
    let changed = browser.post("/staff/admin/users/_?lang=en", &[role.as_slice(), &[("scope", "city")]].concat()).await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(inspector.get("/staff/reception").await.status, 303, "the old session has ended");
    assert_eq!(inspector.login("new.inspector", &password).await.status, 303);
    assert_eq!(inspector.get("/staff/reception").await.status, 403, "an analyst keeps no reception log");

    // Act: disable; the account can no longer sign in.
    let disabled =
        browser.post("/staff/admin/users/new.inspector?lang=en", &[("csrf", &csrf), ("action", "disable")]).await;
    assert_eq!(disabled.status, 303);
    assert_eq!(inspector.get("/staff").await.status, 303, "a disabled account's session has ended");
    assert_ne!(inspector.login("new.inspector", &password).await.status, 303, "a disabled account cannot sign in");

    // An administrator cannot lock themselves out.
    let own = browser.post("/staff/admin/users/admin?lang=en", &[("csrf", &csrf), ("action", "disable")]).await;
    assert_eq!(own.status, 422);
    let actions: Vec<String> = audit_actions(&app).await.into_iter().map(|(_, what, _)| what).collect();
    for expected in ["add_user", "role_user", "disable_user"] {
        assert!(actions.iter().any(|a| a == expected), "{expected} is audited: {actions:?}");
    }
}

#[tokio::test]
async fn a_calendar_year_is_previewed_then_loaded_and_a_bad_one_is_refused_by_line() {
    // Arrange: 2028 extends the shipped calendar (2025–2027).
    let app = spawn_app().await;
    let (mut browser, csrf) = admin(&app).await;
    let year = "date,kind,name_kk,name_ru,name_en\n\
                2028-01-01,holiday,Жаңа жыл,Новый год,New Year\n\
                2028-03-08,holiday,Халықаралық әйелдер күні,Международный женский день,International Women's Day\n";

    // Act: preview.
    let preview = browser
        .post(
            "/staff/admin/holidays?lang=en",
            &[("csrf", &csrf), ("step", "preview"), ("year", "2028"), ("text", year)],
        )
        .await;

    // Assert: shown as added, not yet in the calendar.
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains("International Women&#39;s Day") || preview.body.contains("International Women's Day")
    );
    assert!(preview.body.contains("<tr class=\"added\">"), "{}", preview.body);
    assert!(!browser.get("/staff/admin/holidays?lang=en").await.body.contains("year=2028"));

    // Act: apply.
    let loaded = browser
        .post("/staff/admin/holidays?lang=en", &[("csrf", &csrf), ("step", "apply"), ("year", "2028"), ("text", year)])
        .await;

    // Assert: the calendar now covers 2028.
    assert_eq!(loaded.status, 303, "{}", loaded.body);
    let page = browser.get("/staff/admin/holidays?year=2028&lang=en").await;
    assert!(page.body.contains("New Year") && page.body.contains("8 March 2028"), "{}", page.body);
    assert!(audit_actions(&app).await.iter().any(|(_, what, _)| what == "load_calendar"));

    // Act: a bad kind on line 3, in Russian.
    let bad = year.replace("2028-03-08,holiday", "2028-03-08,weekend");
    let refused = browser
        .post(
            "/staff/admin/holidays?lang=ru",
            &[("csrf", &csrf), ("step", "preview"), ("year", "2028"), ("text", &bad)],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Строка 3, столбец kind: «weekend»"), "{}", refused.body);

    // A year that would leave a gap is refused too.
    let gap = year.replace("2028", "2030");
    let refused = browser
        .post("/staff/admin/holidays?lang=en", &[("csrf", &csrf), ("step", "apply"), ("year", "2030"), ("text", &gap)])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("the year 2029 is missing"), "{}", refused.body);
}
