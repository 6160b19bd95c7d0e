//! Place-based analytics for Sakshy: pure functions from values to values, about places and times, never
//! about persons.
//!
//! Analyses project WGS84 coordinates once into local metres ([`projection`]) and work in plain Euclidean
//! space there. Gridded methods share one [`grid::Grid`] convention; every randomised method draws from
//! [`random::stream`], so a seed gives the same answer on one thread and on many. This crate does no I/O and
//! depends on nothing of ours.

pub mod evaluation;
pub mod fdr;
pub mod forecast;
pub mod gistar;
pub mod grid;
pub mod kde;
pub mod knox;
pub mod moran;
pub mod projection;
pub mod random;
mod special;
pub mod survey;
pub mod svg;
pub mod synthetic;
pub mod temporal;
pub mod weights;

pub use grid::{Grid, GridError};
pub use projection::LocalProjection;
