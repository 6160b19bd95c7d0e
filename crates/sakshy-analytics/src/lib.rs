//! Place-based analytics for Sakshy: pure functions from values to values, about places and times, never
//! about persons.
//!
//! Analyses project WGS84 coordinates once into local metres ([`projection`]) and work in plain Euclidean
//! space there. This crate does no I/O and depends on nothing of ours.

pub mod projection;

pub use projection::LocalProjection;
