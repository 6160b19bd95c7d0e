//! The `sakshy` binary, run as a user runs it: in a temporary directory, on fixture files, checking what
//! it prints, its exit code, and what the database holds afterwards.

mod accounts;
mod analyze;
mod demo;
mod gazetteer;
mod import;
mod incidents;
mod retention;
mod surveys;
mod tidy;
