//! Black-box HTTP tests: the app served on 127.0.0.1:0 over a fresh SQLite file with the demo city, and
//! real HTTP requests.

mod admin;
mod appeals;
mod helpers;
mod locate;
mod notify;
mod open311;
mod registry;
mod schema;
mod service;
mod staff;
