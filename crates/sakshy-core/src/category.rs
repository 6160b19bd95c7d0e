//! Appeal categories and routing: what a resident can report, how urgent it is, which legal track it
//! follows, and which agencies handle it — with per-district overrides (street lighting in one district goes to
//! that district's akimat).
//!
//! Pure rules over values: where categories come from (a file, the admin API) and where changes are recorded
//! is the store's business.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use crate::code::Code;
use crate::lang::Localized;
use crate::territory::UnknownVariant;

/// How fast a category must be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Urgency {
    /// A threat to life or a crime in progress: never queued; the resident is told to call 102/112/103.
    Emergency,
    /// The same day.
    High,
    /// Within the legal term (15 working days under the APPK).
    Normal,
    /// Informational or advisory.
    Low,
}

/// Which legal procedure an appeal in a category follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LegalTrack {
    /// An administrative appeal under the Administrative Procedural and Process Code (APPK): legal clocks apply.
    Administrative,
    /// Information about a criminal offence: registered by the police in the ERDR (or the KUI book); Sakshy keeps
    /// only the reference number, and APPK clocks do not apply.
    CrimeReport,
    /// Informational: no legal term, answered as a courtesy.
    Informational,
}

macro_rules! wire_names {
    ($name:ident, $expected:literal, { $($variant:ident = $wire:literal),+ $(,)? }) => {
        impl $name {
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
                    other => Err(UnknownVariant { value: other.to_owned(), expected: $expected }),
                }
            }
        }
    };
}

wire_names!(Urgency, "emergency high normal low", {
    Emergency = "emergency", High = "high", Normal = "normal", Low = "low",
});
wire_names!(LegalTrack, "administrative crime_report informational", {
    Administrative = "administrative", CrimeReport = "crime_report", Informational = "informational",
});

/// A category of appeal.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Stable code, e.g. `NOISE`.
    pub code: Code,
    /// The group it is listed under, e.g. `public_order`.
    pub group: Code,
    /// Names in kk/ru/en.
    pub name: Localized,
    /// What belongs here, in kk/ru/en, shown to residents when they choose.
    pub description: Localized,
    /// How fast it must be handled.
    pub urgency: Urgency,
    /// The legal procedure.
    pub track: LegalTrack,
    /// Whether an appeal may be filed without contact details. The APPK does not consider anonymous appeals,
    /// except those reporting a crime.
    pub anonymous_allowed: bool,
    /// The agency that owns appeals of this category.
    pub primary: Code,
    /// Agencies that always get a task of their own alongside the primary (a domestic conflict: police and social
    /// protection).
    pub joint: Vec<Code>,
    /// Agencies an appeal may be referred or redirected to.
    pub referral: Vec<Code>,
    /// A legal term other than the default, in working days.
    pub deadline_working_days: Option<u32>,
    /// Radius within which an open appeal of this category is offered as a possible duplicate, in metres.
    pub duplicate_radius_m: u32,
    /// How far back open appeals count as possible duplicates, in days.
    pub duplicate_window_days: u32,
}

/// A per-district override: in `district`, work that a category (or every category) routes to `replaces` goes
/// to `agency` instead — e.g. in Al-Farabi, the generic "district akim's office" is the Al-Farabi akimat.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoutingOverride {
    /// The district where the override applies.
    pub district: Code,
    /// The category it applies to; `None` for every category. A category's own override wins over `None`.
    pub category: Option<Code>,
    /// The agency the categories name.
    pub replaces: Code,
    /// The agency that does the work in this district instead.
    pub agency: Code,
}

/// Why a category set is inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CategoryError {
    /// A category names an agency that does not exist.
    #[error("category {category}: unknown agency {agency} ({role})")]
    UnknownAgency {
        /// The category.
        category: String,
        /// The agency code.
        agency: String,
        /// Where it was named: `primary`, `joint` or `referral`.
        role: &'static str,
    },
    /// An emergency category must be owned by an emergency line, so that the resident is told whom to call.
    #[error("category {0}: an emergency category's primary agency must be an emergency line (102, 112, 103)")]
    EmergencyWithoutLine(String),
    /// The primary agency is also listed as joint.
    #[error("category {0}: the primary agency is also listed as joint")]
    PrimaryAlsoJoint(String),
    /// An override names an unknown category, district or agency.
    #[error("routing override in {district} for {category} of {replaces}: unknown {what} {code}")]
    BadOverride {
        /// The override's district.
        district: String,
        /// The override's category, or `*`.
        category: String,
        /// The agency it replaces.
        replaces: String,
        /// What is unknown: `category`, `district` or `agency`.
        what: &'static str,
        /// The unknown code.
        code: String,
    },
    /// Two overrides for the same district, category and replaced agency.
    #[error("routing override in {district} for {category} of {replaces} is given twice")]
    DuplicateOverride {
        /// The district.
        district: String,
        /// The category, or `*`.
        category: String,
        /// The agency it replaces.
        replaces: String,
    },
}

/// The agencies an appeal is routed to: who owns it, and who works on it alongside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The agency that owns the appeal.
    pub primary: Code,
    /// Agencies with a task of their own.
    pub joint: Vec<Code>,
}

impl Route {
    /// Every agency with a task, the primary first.
    pub fn agencies(&self) -> impl Iterator<Item = &Code> {
        std::iter::once(&self.primary).chain(&self.joint)
    }
}

/// Categories and overrides, checked against each other and the agencies, ready to route.
#[derive(Debug, Clone)]
pub struct Routing {
    categories: Vec<Category>,
    by_code: HashMap<Code, usize>,
    /// (district, category or `None`, replaced agency) → agency.
    overrides: HashMap<(Code, Option<Code>, Code), Code>,
}

impl Routing {
    /// Checks categories and overrides against the known agencies (with which of them are emergency lines) and
    /// districts.
    ///
    /// # Errors
    ///
    /// Every [`CategoryError`] found, so that a file with several mistakes is fixed in one pass.
    pub fn new(
        categories: Vec<Category>,
        overrides: Vec<RoutingOverride>,
        agencies: &HashSet<Code>,
        emergency_lines: &HashSet<Code>,
        districts: &HashSet<Code>,
    ) -> Result<Routing, Vec<CategoryError>> {
        let mut errors = Vec::new();
        for category in &categories {
            let named = std::iter::once((&category.primary, "primary"))
                .chain(category.joint.iter().map(|a| (a, "joint")))
                .chain(category.referral.iter().map(|a| (a, "referral")));
            for (agency, role) in named {
                if !agencies.contains(agency) {
                    errors.push(CategoryError::UnknownAgency {
                        category: category.code.to_string(),
                        agency: agency.to_string(),
                        role,
                    });
                }
            }
            if category.urgency == Urgency::Emergency && !emergency_lines.contains(&category.primary) {
                errors.push(CategoryError::EmergencyWithoutLine(category.code.to_string()));
            }
            if category.joint.contains(&category.primary) {
                errors.push(CategoryError::PrimaryAlsoJoint(category.code.to_string()));
            }
        }
        let by_code: HashMap<Code, usize> =
            categories.iter().enumerate().map(|(idx, category)| (category.code.clone(), idx)).collect();
        let mut table = HashMap::new();
        for rule in overrides {
            let category_text = rule.category.as_ref().map_or_else(|| "*".to_owned(), ToString::to_string);
            let bad = |what: &'static str, code: &Code| CategoryError::BadOverride {
                district: rule.district.to_string(),
                category: category_text.clone(),
                replaces: rule.replaces.to_string(),
                what,
                code: code.to_string(),
            };
            if let Some(category) = &rule.category
                && !by_code.contains_key(category)
            {
                errors.push(bad("category", category));
            }
            if !districts.contains(&rule.district) {
                errors.push(bad("district", &rule.district));
            }
            for agency in [&rule.replaces, &rule.agency] {
                if !agencies.contains(agency) {
                    errors.push(bad("agency", agency));
                }
            }
            let key = (rule.district.clone(), rule.category.clone(), rule.replaces.clone());
            if table.insert(key, rule.agency.clone()).is_some() {
                errors.push(CategoryError::DuplicateOverride {
                    district: rule.district.to_string(),
                    category: category_text,
                    replaces: rule.replaces.to_string(),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Routing { categories, by_code, overrides: table })
    }

    /// Every category, in the order given.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// A category by code.
    pub fn category(&self, code: &Code) -> Option<&Category> {
        self.by_code.get(code).map(|&idx| &self.categories[idx])
    }

    /// The agency that does `agency`'s work for `category` in `district`: the category's own override, else the
    /// district's override for every category, else `agency` itself.
    pub fn local_agency(&self, category: &Code, district: Option<&Code>, agency: &Code) -> Code {
        let Some(district) = district else { return agency.clone() };
        self.overrides
            .get(&(district.clone(), Some(category.clone()), agency.clone()))
            .or_else(|| self.overrides.get(&(district.clone(), None, agency.clone())))
            .unwrap_or(agency)
            .clone()
    }

    /// The route of an appeal of `category` filed in `district` (if known): the primary and joint agencies, each
    /// replaced by the district's override where there is one.
    pub fn route(&self, category: &Category, district: Option<&Code>) -> Route {
        let primary = self.local_agency(&category.code, district, &category.primary);
        let mut joint: Vec<Code> = Vec::new();
        for agency in &category.joint {
            let local = self.local_agency(&category.code, district, agency);
            if local != primary && !joint.contains(&local) {
                joint.push(local);
            }
        }
        Route { primary, joint }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Code {
        Code::parse(text).unwrap()
    }

    fn category(text: &str, urgency: Urgency, primary: &str, joint: &[&str]) -> Category {
        Category {
            code: code(text),
            group: code("public_order"),
            name: Localized::new("a", "b", "c").unwrap(),
            description: Localized::new("a", "b", "c").unwrap(),
            urgency,
            track: LegalTrack::Administrative,
            anonymous_allowed: false,
            primary: code(primary),
            joint: joint.iter().map(|a| code(a)).collect(),
            referral: vec![],
            deadline_working_days: None,
            duplicate_radius_m: 150,
            duplicate_window_days: 30,
        }
    }

    fn set(codes: &[&str]) -> HashSet<Code> {
        codes.iter().map(|c| code(c)).collect()
    }

    fn routing() -> Routing {
        Routing::new(
            vec![
                category("LIGHTING", Urgency::Normal, "AKIM_DISTR", &[]),
                category("DOMESTIC", Urgency::High, "POL_UIP", &["SOCIAL"]),
                category("CRIME_NOW", Urgency::Emergency, "EMERG_102", &[]),
            ],
            vec![
                RoutingOverride {
                    district: code("SHY-ALF"),
                    category: None,
                    replaces: code("AKIM_DISTR"),
                    agency: code("AKIM_ALF"),
                },
                RoutingOverride {
                    district: code("SHY-ABY"),
                    category: Some(code("LIGHTING")),
                    replaces: code("AKIM_DISTR"),
                    agency: code("AKIM_HOUSING"),
                },
                RoutingOverride {
                    district: code("SHY-ABY"),
                    category: None,
                    replaces: code("AKIM_DISTR"),
                    agency: code("AKIM_ABY"),
                },
            ],
            &set(&["AKIM_DISTR", "AKIM_ALF", "AKIM_ABY", "AKIM_HOUSING", "POL_UIP", "SOCIAL", "EMERG_102"]),
            &set(&["EMERG_102"]),
            &set(&["SHY-ALF", "SHY-ABY"]),
        )
        .unwrap()
    }

    #[test]
    fn a_district_override_replaces_the_generic_agency_there_only() {
        let routing = routing();
        let lighting = routing.category(&code("LIGHTING")).unwrap();
        assert_eq!(routing.route(lighting, Some(&code("SHY-ALF"))).primary, code("AKIM_ALF"));
        assert_eq!(routing.route(lighting, Some(&code("SHY-ENB"))).primary, code("AKIM_DISTR"), "no override there");
        assert_eq!(routing.route(lighting, None).primary, code("AKIM_DISTR"));
        // A category's own override wins over the district's override for every category.
        assert_eq!(routing.route(lighting, Some(&code("SHY-ABY"))).primary, code("AKIM_HOUSING"));
        assert_eq!(
            routing.local_agency(&code("GARBAGE"), Some(&code("SHY-ABY")), &code("AKIM_DISTR")),
            code("AKIM_ABY")
        );
    }

    #[test]
    fn joint_agencies_get_tasks_alongside_the_primary() {
        let routing = routing();
        let domestic = routing.category(&code("DOMESTIC")).unwrap();
        let route = routing.route(domestic, None);
        assert_eq!(route.agencies().map(Code::as_str).collect::<Vec<_>>(), ["POL_UIP", "SOCIAL"]);
    }

    #[test]
    fn inconsistencies_are_all_reported() {
        let errors = Routing::new(
            vec![category("X", Urgency::Emergency, "POL_UIP", &["POL_UIP", "NOPE"])],
            vec![
                RoutingOverride {
                    district: code("SHY-ZZZ"),
                    category: Some(code("Y")),
                    replaces: code("POL_UIP"),
                    agency: code("AKIM_ALF"),
                },
                RoutingOverride {
                    district: code("SHY-ALF"),
                    category: None,
                    replaces: code("POL_UIP"),
                    agency: code("POL_UIP"),
                },
                RoutingOverride {
                    district: code("SHY-ALF"),
                    category: None,
                    replaces: code("POL_UIP"),
                    agency: code("POL_UIP"),
                },
            ],
            &set(&["POL_UIP"]),
            &set(&["EMERG_102"]),
            &set(&["SHY-ALF"]),
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "category X: unknown agency NOPE (joint)",
                "category X: an emergency category's primary agency must be an emergency line (102, 112, 103)",
                "category X: the primary agency is also listed as joint",
                "routing override in SHY-ZZZ for Y of POL_UIP: unknown category Y",
                "routing override in SHY-ZZZ for Y of POL_UIP: unknown district SHY-ZZZ",
                "routing override in SHY-ZZZ for Y of POL_UIP: unknown agency AKIM_ALF",
                "routing override in SHY-ALF for * of POL_UIP is given twice",
            ]
        );
    }
}
