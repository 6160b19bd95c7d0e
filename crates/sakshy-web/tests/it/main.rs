//! Black-box HTTP tests: the app served on 127.0.0.1:0 over a fresh SQLite file with the demo city, and
//! real HTTP requests.

mod admin;
mod admin_pages;
mod analytics;
mod appeals;
mod browser;
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
