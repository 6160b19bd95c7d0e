//! Storage tests: every test runs on SQLite and, when `TEST_DATABASE_URL` is set, on PostgreSQL.

mod appeal;
mod backend;
mod category;
mod gazetteer;
mod open311;
mod preview;
mod outbox;
mod registry;
mod retention;
mod session;
mod staff;
mod territory;
