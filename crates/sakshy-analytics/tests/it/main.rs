//! Integration tests of the analytics, one module a method, each against reference values kept in
//! `tests/fixtures/` (made by the scripts in `tools/reference/`) and the golden Near Repeat Calculator outputs.

mod evaluation;
mod kde;
mod knox;
mod spatial_stats;
mod survey;
mod temporal_forecast;
