//! The domain of Sakshy: territories (city → district → quadrant), the registry of police points, officers
//! and agencies, opening hours, the import formats, and point lookup.
//!
//! This crate is pure. It must not do I/O, read the clock or the environment, or depend on an async runtime:
//! every function takes values and returns values, so the domain can be tested and benchmarked alone.
//! Nothing here is `Serialize`: wire formats belong to the web crate.

pub mod access;
pub mod calendar;
pub mod category;
pub mod city;
pub mod code;
pub mod export;
pub mod gazetteer;
pub mod geometry;
pub mod hours;
pub mod import;
pub mod incident;
pub mod intake;
pub mod lang;
pub mod locate;
pub mod notify;
pub mod registry;
pub mod survey;
pub mod territory;
pub mod workflow;

#[cfg(test)]
mod fixtures;

pub use city::City;
pub use code::{Code, CodeError};
pub use hours::{OpeningHours, OpeningHoursError};
pub use lang::{Lang, Localized};
pub use locate::{LocateOutcome, Locator, NearbyPoint};
pub use registry::{Agency, AgencyKind, Officer, OfficerRank, OfficerRole, PointKind, PolicePoint, PoliceService};
pub use territory::{GeometryStatus, Level, Territory, TerritoryVersion};
