//! Storage tests: every test runs on SQLite and, when `TEST_DATABASE_URL` is set, on PostgreSQL.

mod appeal;
mod backend;
mod category;
mod gazetteer;
mod incident;
mod open311;
mod outbox;
mod preview;
mod registry;
mod retention;
mod session;
mod staff;
mod survey;
mod territory;
