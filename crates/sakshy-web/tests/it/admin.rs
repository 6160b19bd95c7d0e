//! Administering categories and routing over the API, with the change log.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{demo_file, spawn_app};

async fn put_csv(app: &crate::helpers::TestApp, path: &str, token: &str, body: String) -> (u16, Value) {
    let response = app
        .client
        .request(Method::PUT, format!("{}{path}", app.address))
        .bearer_auth(token)
        .header("Content-Type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn an_administrator_edits_categories_and_every_change_is_logged() {
    let app = spawn_app().await;
    let admin = app.staff_token("admin", "administrator", "city").await;
    let supervisor = app.staff_token("sup", "supervisor", "city").await;
    let renamed = demo_file("categories.csv").replace("Street lighting out", "Street lights out");
    let (status, _) = put_csv(&app, "/api/v1/admin/categories", &supervisor, renamed.clone()).await;
    assert_eq!(status, 403, "only administrators");
    let (status, summary) = put_csv(&app, "/api/v1/admin/categories", &admin, renamed).await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!((summary["changed"].as_u64(), summary["added"].as_u64()), (Some(1), Some(0)));
    let (_, categories) = app.get("/api/v1/categories").await;
    let lighting =
        categories["categories"].as_array().unwrap().iter().find(|c| c["code"] == "LIGHTING").unwrap().clone();
    assert_eq!(lighting["name"]["en"], "Street lights out", "served at once, without waiting for the refresh");
    let (status, log) = app.staff(Method::GET, "/api/v1/admin/changes?limit=1", &admin, None).await;
    assert_eq!(status, 200);
    let change = &log["changes"][0];
    assert_eq!(
        (change["code"].as_str(), change["change"].as_str(), change["actor"].as_str()),
        (Some("LIGHTING"), Some("changed"), Some("import:api:admin"))
    );
    assert_eq!(change["before"]["name_en"], "Street lighting out");
    assert_eq!(change["after"]["name_en"], "Street lights out");
    // A bad file changes nothing and lists its problems with their places.
    let broken = demo_file("categories.csv").replace(",high,", ",urgent,").replace("AKIM_VET", "AKIM_PETS");
    let (status, error) = put_csv(&app, "/api/v1/admin/categories?lang=en", &admin, broken).await;
    assert_eq!(status, 422, "{error}");
    assert!(error["error"]["message"].as_str().unwrap().ends_with("nothing was changed."));
    let problems = error["error"]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["location"].as_str().unwrap().starts_with("line ")
            && p["message"].as_str().unwrap().contains("urgent")),
        "{problems:?}"
    );
    let routing_bad = "district,category,replaces,agency\nSHY-XXX,*,AKIM_DISTR,AKIM_ALF\n".to_owned();
    let (status, _) = put_csv(&app, "/api/v1/admin/routing", &admin, routing_bad).await;
    assert_eq!(status, 422);
    let (_, after) = app.get("/api/v1/categories").await;
    assert_eq!(after, categories, "nothing changed");
}

/// The problems of a refused file, as `(location, message)`.
async fn problems_of(
    app: &crate::helpers::TestApp,
    path: &str,
    token: &str,
    body: &str,
) -> (String, Vec<(String, String)>) {
    let (status, error) = put_csv(app, path, token, body.to_owned()).await;
    assert_eq!(status, 422, "{error}");
    let problems = error["error"]["problems"].as_array().unwrap();
    let text = |value: &Value| value.as_str().unwrap().to_owned();
    (text(&error["error"]["message"]), problems.iter().map(|p| (text(&p["location"]), text(&p["message"]))).collect())
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(location, message)| ((*location).to_owned(), (*message).to_owned())).collect()
}

#[tokio::test]
async fn a_refused_file_names_each_problem_and_its_place_in_the_callers_language() {
    let app = spawn_app().await;
    let admin = app.staff_token("admin", "administrator", "city").await;
    let (_, before) = app.get("/api/v1/categories").await;
    let header = "code,group,urgency,track,primary,name_kk,name_ru,name_en,description_kk,description_ru,description_en,\
                  deadline_working_days";
    let rows = [
        "NOISE,public_order,urgent,administrative,POL_UIP,Шу,Шум,Noise,Түнгі шу,Ночной шум,Night noise,",
        "LITTER,public_order,low,administrative,AKIM_DISTR,,Мусор,Litter,Қоқыс,Мусор,Litter,",
        "DOGS,public_order,low,administrative,AKIM_DISTR,Иттер,Собаки,Dogs,Иттер,Собаки,Stray dogs,90",
        "PARKING,public_order,low,administrative,POL_UIP,Тұрақ,Парковка,Parking,Тұрақ,Парковка,Parking,",
        "PARKING,public_order,low,administrative,POL_UIP,Тұрақ,Парковка,Parking,Тұрақ,Парковка,Parking,",
    ];
    let broken = format!("{header}\n{}\n", rows.join("\n"));
    let no_track = "code,group,urgency,primary,name_kk,name_ru,name_en,description_kk,description_ru,description_en\n";

    let path = |lang: &str| format!("/api/v1/admin/categories?lang={lang}");
    let (message, problems) = problems_of(&app, &path("kk"), &admin, &broken).await;
    assert_eq!(message, "Файлда 4 қате бар; ештеңе өзгертілмеді.");
    assert_eq!(
        problems,
        pairs(&[
            (
                "2-жол, «urgency» бағаны",
                "«urgency» өрісінде «urgent» мәні жарамсыз; мүмкін мәндер: emergency, high, normal, low."
            ),
            ("3-жол, «name_kk» бағаны", "«name_kk» өрісі міндетті."),
            (
                "4-жол, «deadline_working_days» бағаны",
                "«deadline_working_days» өрісі жұмыс күндерінің бүтін саны болуы керек: кемінде 1, ең көбі 60."
            ),
            ("6-жол", "PARKING коды екі рет кездеседі (алғаш рет: 5-жол)."),
        ])
    );
    let (_, problems) = problems_of(&app, &path("kk"), &admin, no_track).await;
    assert_eq!(problems, pairs(&[("1-жол, «track» бағаны", "«track» бағаны міндетті.")]));

    let (_, problems) = problems_of(&app, &path("ru"), &admin, &broken).await;
    assert_eq!(
        problems,
        pairs(&[
            (
                "строка 2, столбец «urgency»",
                "Недопустимое значение «urgent» в поле «urgency»; допустимые значения: emergency, high, normal, low."
            ),
            ("строка 3, столбец «name_kk»", "Поле «name_kk» обязательно."),
            (
                "строка 4, столбец «deadline_working_days»",
                "Поле «deadline_working_days» должно быть целым числом рабочих дней от 1 до 60."
            ),
            ("строка 6", "Код PARKING встречается дважды (впервые: строка 5)."),
        ])
    );
    let (_, problems) = problems_of(&app, &path("ru"), &admin, no_track).await;
    assert_eq!(problems, pairs(&[("строка 1, столбец «track»", "Обязателен столбец «track».")]));

    let (_, problems) = problems_of(&app, &path("en"), &admin, &broken).await;
    assert_eq!(
        problems,
        pairs(&[
            (
                "line 2, column urgency",
                "The field \"urgency\" cannot be \"urgent\"; accepted values: emergency, high, normal, low."
            ),
            ("line 3, column name_kk", "The field \"name_kk\" is required."),
            (
                "line 4, column deadline_working_days",
                "The field \"deadline_working_days\" must be a whole number of working days from 1 to 60."
            ),
            ("line 6", "The code PARKING appears twice (first at line 5)."),
        ])
    );
    let (_, problems) = problems_of(&app, &path("en"), &admin, no_track).await;
    assert_eq!(problems, pairs(&[("line 1, column track", "The column \"track\" is required.")]));

    // Without `lang`, the request's other signals decide, and Kazakh is the default.
    let (_, problems) = problems_of(&app, "/api/v1/admin/categories", &admin, no_track).await;
    assert_eq!(problems[0].1, "«track» бағаны міндетті.");
    let (_, after) = app.get("/api/v1/categories").await;
    assert_eq!(after, before, "nothing changed");
}

#[tokio::test]
async fn administrators_read_and_export_the_audit_log_and_the_reading_is_audited_too() {
    let app = spawn_app().await;
    let admin = app.staff_token("admin", "administrator", "city").await;
    let supervisor = app.staff_token("sup", "supervisor", "city").await;
    // A supervisor opens an appeal with a contact: a personal-data view, audited.
    let body = serde_json::json!({
        "category": "NOISE", "description": "Loud music.", "location": {"lat": 42.29871, "lon": 69.6103},
        "contact": {"name": "Айгүл", "phone": "+7 701 000 00 00"}, "consent": true
    });
    let (status, created) = app.post_appeal(&body, &[]).await;
    assert_eq!(status, 201, "{created}");
    let receipt = created["receipt"].as_str().unwrap();
    let (status, _) = app.staff(Method::GET, &format!("/api/v1/staff/appeals/{receipt}"), &supervisor, None).await;
    assert_eq!(status, 200);

    let (status, refused) = app.staff(Method::GET, "/api/v1/admin/audit", &supervisor, None).await;
    assert_eq!(status, 403, "{refused}");
    let (status, log) = app.staff(Method::GET, "/api/v1/admin/audit?actor=sup&limit=10", &admin, None).await;
    assert_eq!(status, 200, "{log}");
    let events = log["events"].as_array().unwrap();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["actor"] == "sup"));
    let view = events.iter().find(|e| e["object"].as_str().unwrap().contains(receipt)).expect("the contact view");
    assert!(view["at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(view["from"], "127.0.0.1");
    // Reading the log is itself the newest event.
    let (_, newest) = app.staff(Method::GET, "/api/v1/admin/audit?limit=1", &admin, None).await;
    assert_eq!(
        (newest["events"][0]["action"].as_str(), newest["events"][0]["actor"].as_str()),
        (Some("view_audit"), Some("admin"))
    );
    // Pages of one, following next_page, give the same events in the same order as one page of ten.
    let mut paged = Vec::new();
    let mut path = "/api/v1/admin/audit?actor=sup&limit=1".to_owned();
    loop {
        let (status, page) = app.staff(Method::GET, &path, &admin, None).await;
        assert_eq!(status, 200, "{page}");
        paged.extend(page["events"].as_array().unwrap().iter().cloned());
        match page["meta"]["next_page"].as_str() {
            Some(next) => path = format!("/api/v1/admin/audit?actor=sup&limit=1&after={next}"),
            None => break,
        }
    }
    assert_eq!(&paged, events);
    // A bad time names its parameter in the caller's language.
    let (status, bad) = app.staff(Method::GET, "/api/v1/admin/audit?from=yesterday&lang=ru", &admin, None).await;
    assert_eq!(status, 400);
    assert_eq!(bad["error"]["field"], "from");
    assert!(bad["error"]["message"].as_str().unwrap().starts_with("«from» должно быть временем"), "{bad}");
    // The export: CSV with a byte-order mark, the header, every matching event; and it is audited as well.
    let response = app
        .client
        .get(format!("{}/api/v1/admin/audit.csv?actor=sup", app.address))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = response.bytes().await.unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBFat,actor,action,object,from\n"));
    let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert_eq!(csv.lines().count(), 1 + events.len(), "{csv}");
    assert!(csv.contains(receipt));
    let (_, audit) = app.staff(Method::GET, "/api/v1/admin/audit?action=export_audit", &admin, None).await;
    assert_eq!(audit["events"][0]["actor"], "admin");
}
