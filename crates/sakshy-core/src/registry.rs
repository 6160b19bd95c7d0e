//! The registry: police points, officers and partner agencies.
//!
//! Records here have public fields because each field's type carries its own invariant (a [`Code`], a
//! [`Localized`] name, parsed [`OpeningHours`]); cross-record checks (does the quadrant exist?) are in
//! [`crate::import`].

use std::str::FromStr;

use geo_types::Point;

use crate::code::Code;
use crate::hours::OpeningHours;
use crate::lang::Localized;
use crate::territory::UnknownVariant;

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name used in files and APIs.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownVariant;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($wire => Ok($name::$variant),)+
                    other => Err(UnknownVariant {
                        value: other.to_owned(),
                        expected: concat!($($wire, " "),+),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// What kind of police point a place is.
    PointKind {
        /// A prefabricated modular police post (модульный пост полиции).
        ModularPost = "modular_post",
        /// A district police point (участковый пункт полиции, УПП).
        DistrictPoint = "district_point",
        /// A police department or division building.
        Department = "department",
    }
}

wire_enum! {
    /// A service a police point offers to residents.
    PoliceService {
        /// Reception of residents by the district inspector.
        Reception = "reception",
        /// Written appeals are accepted.
        Appeals = "appeals",
        /// Certificates and documents.
        Documents = "documents",
        /// The juvenile inspector receives here.
        Juvenile = "juvenile",
        /// Legal consultation.
        Consultation = "consultation",
        /// Lost and found property.
        LostFound = "lost_found",
        /// A base for patrols.
        PatrolBase = "patrol_base",
    }
}

wire_enum! {
    /// An officer's job in the service model.
    OfficerRole {
        /// District police inspector (учаскелік полиция инспекторы, УПИ / УИП).
        DistrictInspector = "district_inspector",
        /// Assistant of a district inspector.
        AssistantInspector = "assistant_inspector",
        /// Juvenile police inspector.
        JuvenileInspector = "juvenile_inspector",
        /// Patrol officer.
        Patrol = "patrol",
        /// Duty officer at a police point or department.
        DutyOfficer = "duty_officer",
    }
}

wire_enum! {
    /// A police rank.
    OfficerRank {
        /// Sergeant.
        Sergeant = "sergeant",
        /// Senior sergeant.
        SeniorSergeant = "senior_sergeant",
        /// Sergeant major (старшина).
        SergeantMajor = "sergeant_major",
        /// Lieutenant.
        Lieutenant = "lieutenant",
        /// Senior lieutenant.
        SeniorLieutenant = "senior_lieutenant",
        /// Captain.
        Captain = "captain",
        /// Major.
        Major = "major",
        /// Lieutenant colonel.
        LieutenantColonel = "lieutenant_colonel",
        /// Colonel.
        Colonel = "colonel",
    }
}

wire_enum! {
    /// What kind of body an agency is.
    AgencyKind {
        /// A police unit.
        Police = "police",
        /// A department of the akimat (city or district administration).
        Akimat = "akimat",
        /// Education.
        Education = "education",
        /// Health.
        Health = "health",
        /// Employment and social protection.
        SocialProtection = "social_protection",
        /// The prosecutor's office.
        Prosecutor = "prosecutor",
        /// An emergency line (102, 112, 103): appeals are diverted there, never queued.
        Emergency = "emergency",
        /// Anything else (e.g. a condominium association).
        Other = "other",
    }
}

/// A public phone number: `+`, digits, spaces, dashes and parentheses, with 3 to 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

/// Why a string is not a phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a phone number: use +, digits, spaces, dashes and parentheses, 3 to 15 digits")]
pub struct PhoneError(pub String);

impl Phone {
    /// Parses a phone number, keeping the writing as given (trimmed).
    ///
    /// # Errors
    ///
    /// [`PhoneError`] when a character is not allowed or the digit count is out of range.
    pub fn parse(raw: &str) -> Result<Phone, PhoneError> {
        let text = raw.trim();
        let allowed = text
            .chars()
            .enumerate()
            .all(|(idx, c)| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && idx == 0));
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if !allowed || !(3..=15).contains(&digits) {
            return Err(PhoneError(raw.to_owned()));
        }
        Ok(Phone(text.to_owned()))
    }

    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A police point where residents can find the police: a modular post, a district point or a department.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicePoint {
    /// Stable code.
    pub code: Code,
    /// Kind of point.
    pub kind: PointKind,
    /// Names in kk/ru/en.
    pub name: Localized,
    /// Postal address in Kazakh.
    pub address_kk: String,
    /// Postal address in Russian.
    pub address_ru: String,
    /// Public phone.
    pub phone: Option<Phone>,
    /// Location, WGS84 (lon, lat).
    pub location: Point<f64>,
    /// Weekly opening hours in the city's zone.
    pub hours: OpeningHours,
    /// Services offered.
    pub services: Vec<PoliceService>,
    /// Codes of the quadrants this point serves.
    pub quadrants: Vec<Code>,
}

/// A police officer of the service model. Names here are the officers' public, professional identity.
#[derive(Debug, Clone, PartialEq)]
pub struct Officer {
    /// Badge (service) number, unique.
    pub badge: Code,
    /// Full name as the officer writes it.
    pub name: String,
    /// Rank.
    pub rank: OfficerRank,
    /// Job.
    pub role: OfficerRole,
    /// Work phone.
    pub phone: Option<Phone>,
    /// Codes of the quadrants the officer serves.
    pub quadrants: Vec<Code>,
    /// Code of the police point where the officer receives residents.
    pub point: Option<Code>,
    /// Reception hours at that point.
    pub reception_hours: Option<OpeningHours>,
}

/// A partner agency to which appeals and plan measures are routed.
#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    /// Stable code, e.g. `AKIM_DISTR`.
    pub code: Code,
    /// Kind of body.
    pub kind: AgencyKind,
    /// Names in kk/ru/en.
    pub name: Localized,
    /// Public phone.
    pub phone: Option<Phone>,
    /// Public e-mail.
    pub email: Option<String>,
    /// Web site.
    pub website: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_enums_round_trip_and_list_what_they_accept() {
        for kind in PointKind::ALL {
            assert_eq!(kind.as_str().parse::<PointKind>(), Ok(*kind));
        }
        let err = "kiosk".parse::<PointKind>().unwrap_err();
        assert_eq!(err.to_string(), "\"kiosk\" is not one of: modular_post, district_point, department");
    }

    #[test]
    fn phones_allow_common_writing_and_reject_letters() {
        assert_eq!(Phone::parse(" +7 (7252) 53-02-02 ").unwrap().as_str(), "+7 (7252) 53-02-02");
        assert_eq!(Phone::parse("102").unwrap().as_str(), "102");
        assert!(Phone::parse("call me").is_err());
        assert!(Phone::parse("7+7").is_err());
        assert!(Phone::parse("12").is_err());
    }
}
