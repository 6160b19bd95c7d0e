//! Intake: turning what a resident (or an officer on their behalf) submits into a registered appeal, or —
//! for an emergency — into a diversion to 102/112/103 with no appeal at all.
//!
//! Pure checks and decisions: the category and its rules, the contact and consent, the location and the
//! quadrant it falls in, routing, and the legal clocks. Receipt numbers, tokens and storage are the store's.

use chrono::NaiveDateTime;
use geo_types::Point;

use crate::calendar::{CalendarError, WorkingCalendar};
use crate::category::{Category, LegalTrack, Routing, Urgency};
use crate::code::Code;
use crate::hours::OpeningHours;
use crate::lang::Lang;
use crate::locate::{LocateOutcome, Locator};
use crate::registry::{Agency, Phone, PolicePoint};
use crate::workflow::{ANSWER_WORKING_DAYS, Clocks};

/// The longest description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 4_000;

/// How an appeal reached Sakshy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// The resident portal.
    Web,
    /// The JSON API.
    Api,
    /// Open311 GeoReport v2.
    Open311,
    /// An officer, on behalf of a walk-in visitor.
    Staff,
}

impl Channel {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Api => "api",
            Channel::Open311 => "open311",
            Channel::Staff => "staff",
        }
    }
}

/// Where the problem is, as the resident gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum LocationInput {
    /// A WGS84 point (lon, lat).
    Point(Point<f64>),
    /// A police point, by code (the resident came there, or the problem is there).
    PolicePoint(Code),
    /// Free address text, when no point is known.
    Address(String),
    /// Address text with the point a gazetteer gave it (the street's or microdistrict's representative point):
    /// the text is kept for the handler, the point places the appeal in a quadrant.
    LocatedAddress {
        /// The address as the resident typed it.
        text: String,
        /// The gazetteer's point, (lon, lat).
        point: Point<f64>,
    },
    /// An address given by a visitor at a police point, entered by the officer who received them there: the
    /// text is kept, the gazetteer's point (if it knows the address) places the appeal in a quadrant, and the
    /// police point is recorded as where the appeal was received.
    AddressAtPolicePoint {
        /// The address as the visitor gave it.
        text: String,
        /// The gazetteer's point, (lon, lat), if it knows the address.
        point: Option<Point<f64>>,
        /// The police point that received the visitor.
        police_point: Code,
    },
}

/// A resident's contact details. Personal data: kept apart, masked, and erased after the retention period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Name, as given.
    pub name: Option<String>,
    /// Phone.
    pub phone: Option<Phone>,
    /// E-mail.
    pub email: Option<String>,
}

impl Contact {
    /// Whether any detail is given.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.phone.is_none() && self.email.is_none()
    }
}

/// What was submitted, already parsed field by field.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// The category code.
    pub category: Code,
    /// What happened, in the resident's words.
    pub description: String,
    /// Where.
    pub location: LocationInput,
    /// The language the resident writes and wants answers in.
    pub lang: Lang,
    /// Contact details, if any.
    pub contact: Option<Contact>,
    /// Consent to the processing of personal data (required when contact details are given).
    pub consent: bool,
    /// How it arrived.
    pub channel: Channel,
}

/// Where a registered appeal is, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedLocation {
    /// The point, if known.
    pub point: Option<Point<f64>>,
    /// The address text, if given.
    pub address: Option<String>,
    /// The police point named, if any.
    pub police_point: Option<Code>,
    /// The quadrant the point falls in.
    pub quadrant: Option<Code>,
    /// That quadrant's district.
    pub district: Option<Code>,
}

/// An appeal ready to be stored: checked, located, routed and clocked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAppeal {
    /// The submission, with the description trimmed.
    pub submission: Submission,
    /// The category's legal track.
    pub track: LegalTrack,
    /// Where.
    pub location: ResolvedLocation,
    /// The agencies that get a task, the owning agency first.
    pub agencies: Vec<Code>,
    /// The legal dates.
    pub clocks: Clocks,
}

/// What intake decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// An emergency: no appeal is created; the resident is told to call these numbers now.
    Divert {
        /// The category.
        category: Code,
        /// The numbers to call, the category's own line first.
        call: Vec<String>,
    },
    /// Register this appeal.
    Register(Box<NewAppeal>),
}

/// Why a submission is refused. Each names the field at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IntakeError {
    /// No category with this code.
    #[error("category: unknown category {0}")]
    UnknownCategory(String),
    /// The description is empty.
    #[error("description: describe the problem")]
    EmptyDescription,
    /// The description is too long.
    #[error("description: {chars} characters; at most {MAX_DESCRIPTION_CHARS} are accepted")]
    DescriptionTooLong {
        /// Characters given.
        chars: usize,
    },
    /// The category needs contact details: the APPK does not consider anonymous appeals unless they report a crime.
    #[error(
        "contact: this category needs a name and a phone or e-mail (anonymous appeals are considered only when they report a crime)"
    )]
    ContactRequired,
    /// Contact details were given without consent to process them.
    #[error("consent: consent to the processing of personal data is required when contact details are given")]
    ConsentRequired,
    /// The point lies outside every quadrant of the city.
    #[error("location: the point is outside the city; the nearest quadrant is {nearest} ({distance_m:.0} m away)")]
    OutsideCity {
        /// The nearest quadrant's code.
        nearest: String,
        /// Distance to it, metres.
        distance_m: f64,
    },
    /// No police point with this code.
    #[error("location: unknown police point {0}")]
    UnknownPolicePoint(String),
    /// The address text is empty.
    #[error("location: the address is empty")]
    EmptyAddress,
    /// The calendar does not cover today.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// No categories are loaded, so nothing can be routed.
    #[error("category: no categories are loaded")]
    NoRouting,
}

impl IntakeError {
    /// The field at fault, for forms and API errors.
    pub fn field(&self) -> &'static str {
        match self {
            IntakeError::UnknownCategory(_) | IntakeError::NoRouting => "category",
            IntakeError::EmptyDescription | IntakeError::DescriptionTooLong { .. } => "description",
            IntakeError::ContactRequired => "contact",
            IntakeError::ConsentRequired => "consent",
            IntakeError::OutsideCity { .. } | IntakeError::UnknownPolicePoint(_) | IntakeError::EmptyAddress => {
                "location"
            }
            IntakeError::Calendar(_) => "received_at",
        }
    }
}

/// What intake needs to know about the city.
#[derive(Debug, Clone, Copy)]
pub struct IntakeContext<'a> {
    /// Categories and routing.
    pub routing: &'a Routing,
    /// Quadrants and police points.
    pub locator: &'a Locator,
    /// Police points, to resolve a point code to a place.
    pub points: &'a [PolicePoint],
    /// Agencies, for the emergency numbers.
    pub agencies: &'a [Agency],
    /// The working-day calendar.
    pub calendar: &'a WorkingCalendar,
    /// Office hours of the receiving bodies: an appeal received after them registers the next working day.
    pub office_hours: &'a OpeningHours,
}

/// Checks a submission received at `received_local` (the city's local time) and decides what to do with it.
///
/// # Errors
///
/// [`IntakeError`] for the first problem found, naming its field.
pub fn decide(
    submission: Submission,
    received_local: NaiveDateTime,
    context: IntakeContext<'_>,
) -> Result<Decision, IntakeError> {
    let category: &Category = context
        .routing
        .category(&submission.category)
        .ok_or_else(|| IntakeError::UnknownCategory(submission.category.to_string()))?;
    if category.urgency == Urgency::Emergency {
        return Ok(Decision::Divert {
            category: category.code.clone(),
            call: emergency_numbers(category, context.agencies),
        });
    }
    let description = submission.description.trim().to_owned();
    if description.is_empty() {
        return Err(IntakeError::EmptyDescription);
    }
    let chars = description.chars().count();
    if chars > MAX_DESCRIPTION_CHARS {
        return Err(IntakeError::DescriptionTooLong { chars });
    }
    let contact = submission.contact.clone().filter(|contact| !contact.is_empty());
    match &contact {
        Some(_) if !submission.consent => return Err(IntakeError::ConsentRequired),
        Some(contact) if !category.anonymous_allowed && contact.phone.is_none() && contact.email.is_none() => {
            return Err(IntakeError::ContactRequired);
        }
        None if !category.anonymous_allowed => return Err(IntakeError::ContactRequired),
        _ => {}
    }
    let location = resolve_location(&submission.location, context)?;
    let route = context.routing.route(category, location.district.as_ref());
    let registered_on = context.calendar.registration_date(received_local, context.office_hours)?;
    let term = category.deadline_working_days.unwrap_or(ANSWER_WORKING_DAYS);
    let clocks = Clocks::new(context.calendar, registered_on, term)?;
    Ok(Decision::Register(Box::new(NewAppeal {
        submission: Submission { description, contact, ..submission },
        track: category.track,
        location,
        agencies: route.agencies().cloned().collect(),
        clocks,
    })))
}

/// The numbers to call for an emergency category: its own line first, then 112.
pub fn emergency_numbers(category: &Category, agencies: &[Agency]) -> Vec<String> {
    let phone = |code: &Code| {
        agencies.iter().find(|a| &a.code == code).and_then(|a| a.phone.as_ref()).map(|p| p.as_str().to_owned())
    };
    let mut numbers: Vec<String> = phone(&category.primary).into_iter().collect();
    if !numbers.iter().any(|n| n == "112") {
        numbers.push("112".to_owned());
    }
    numbers
}

fn resolve_location(input: &LocationInput, context: IntakeContext<'_>) -> Result<ResolvedLocation, IntakeError> {
    let (point, address, police_point) = match input {
        LocationInput::Point(point) => (Some(*point), None, None),
        LocationInput::PolicePoint(code) => {
            let found = context
                .points
                .iter()
                .find(|p| &p.code == code)
                .ok_or_else(|| IntakeError::UnknownPolicePoint(code.to_string()))?;
            (Some(found.location), None, Some(code.clone()))
        }
        LocationInput::Address(text) => {
            let text = text.trim();
            if text.is_empty() {
                return Err(IntakeError::EmptyAddress);
            }
            (None, Some(text.to_owned()), None)
        }
        LocationInput::LocatedAddress { text, point } => {
            let text = text.trim();
            if text.is_empty() {
                return Err(IntakeError::EmptyAddress);
            }
            (Some(*point), Some(text.to_owned()), None)
        }
        LocationInput::AddressAtPolicePoint { text, point, police_point } => {
            if !context.points.iter().any(|p| &p.code == police_point) {
                return Err(IntakeError::UnknownPolicePoint(police_point.to_string()));
            }
            let text = text.trim();
            if text.is_empty() {
                return Err(IntakeError::EmptyAddress);
            }
            (*point, Some(text.to_owned()), Some(police_point.clone()))
        }
    };
    let (quadrant, district) = match point {
        Some(point) => match context.locator.locate(point.x(), point.y()) {
            LocateOutcome::Inside { quadrant, district } => {
                (Some(quadrant.code().clone()), district.map(|d| d.code().clone()))
            }
            LocateOutcome::Outside { nearest: Some((quadrant, distance_m)) } => {
                return Err(IntakeError::OutsideCity { nearest: quadrant.code().to_string(), distance_m });
            }
            LocateOutcome::Outside { nearest: None } => (None, None),
        },
        None => (None, None),
    };
    Ok(ResolvedLocation { point, address, police_point, quadrant, district })
}

#[cfg(test)]
mod tests;
