//! Black-box HTTP tests: the app served on 127.0.0.1:0 over a fresh SQLite file with the demo city, and
//! real HTTP requests.

/// A flow (HTTP or browser) as two tests over the demo city: on SQLite, and on PostgreSQL when
/// `TEST_DATABASE_URL` is set.
macro_rules! on_both_engines {
    ($sqlite:ident, $postgres:ident, $flow:ident) => {
        #[tokio::test]
        async fn $sqlite() {
            let app = crate::helpers::spawn_app().await;
            $flow(&app).await;
        }

        #[tokio::test]
        async fn $postgres() {
            let Some(app) = crate::helpers::spawn_app_on_postgres().await else { return };
            $flow(&app).await;
            crate::helpers::drop_postgres(app).await;
        }
    };
}

mod admin;
mod admin_pages;
mod analytics;
mod appeals;
mod browser;
mod evaluation;
mod helpers;
mod locate;
mod login;
mod notify;
mod open311;
mod portal;
mod reception;
mod registry;
mod schema;
mod service;
mod staff;
mod surveys;
