//! The settings of the city a Sakshy instance serves: its code, names, time zone and default language.

use chrono_tz::Tz;

use crate::code::Code;
use crate::lang::{Lang, Localized};

/// A city's settings. Its boundary is the [`crate::Territory`] of level city with the same code.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    /// Stable code, e.g. `SHY`.
    pub code: Code,
    /// Names in kk/ru/en.
    pub name: Localized,
    /// The zone in which times are shown and working days counted, e.g. `Asia/Almaty`.
    pub timezone: Tz,
    /// The language shown when neither the user nor the browser chose one.
    pub default_lang: Lang,
}
