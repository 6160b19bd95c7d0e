//! Who a staff member is to Sakshy — a role and a scope — and the one policy that answers "may this person
//! see or do this to this appeal". Every API and page handler asks here; none decides on its own.
//!
//! Pure: principals come from sessions or API tokens, which the store and the web layer resolve.

use std::fmt;
use std::str::FromStr;

use crate::code::Code;
use crate::territory::UnknownVariant;
use crate::workflow::Actor;

/// What a staff member does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Territories, points, officers, agencies, categories, users.
    Administrator,
    /// Oversees appeals in a district or the city; may act on any task there.
    Supervisor,
    /// A district inspector: acts on police tasks in their quadrants.
    DistrictInspector,
    /// A police point's duty officer: files appeals for walk-in visitors and sees their quadrants' queue.
    DutyOfficer,
    /// An officer of a partner agency: sees and acts on their agency's tasks only.
    AgencyOfficer,
    /// Analyses places and times: sees appeals without personal data.
    Analyst,
    /// Reads, without personal data.
    ReadOnly,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 7] = [
        Role::Administrator,
        Role::Supervisor,
        Role::DistrictInspector,
        Role::DutyOfficer,
        Role::AgencyOfficer,
        Role::Analyst,
        Role::ReadOnly,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Supervisor => "supervisor",
            Role::DistrictInspector => "district_inspector",
            Role::DutyOfficer => "duty_officer",
            Role::AgencyOfficer => "agency_officer",
            Role::Analyst => "analyst",
            Role::ReadOnly => "read_only",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|role| role.as_str() == s.trim()).ok_or_else(|| UnknownVariant {
            value: s.trim().to_owned(),
            expected: "administrator supervisor district_inspector duty_officer agency_officer analyst read_only",
        })
    }
}

/// Where a staff member's role applies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The whole city.
    City,
    /// One district.
    District(Code),
    /// Some quadrants.
    Quadrants(Vec<Code>),
    /// One agency's tasks, wherever they are.
    Agency(Code),
}

impl Scope {
    /// The wire form: `city`, `district:CODE`, `quadrants:CODE;CODE`, `agency:CODE`.
    pub fn to_wire(&self) -> String {
        match self {
            Scope::City => "city".to_owned(),
            Scope::District(code) => format!("district:{code}"),
            Scope::Quadrants(codes) => {
                format!("quadrants:{}", codes.iter().map(Code::as_str).collect::<Vec<_>>().join(";"))
            }
            Scope::Agency(code) => format!("agency:{code}"),
        }
    }

    /// Parses the wire form.
    ///
    /// # Errors
    ///
    /// [`ScopeError`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Scope, ScopeError> {
        let text = text.trim();
        if text == "city" {
            return Ok(Scope::City);
        }
        let (kind, codes) = text.split_once(':').ok_or_else(|| ScopeError(text.to_owned()))?;
        let code = |c: &str| Code::parse(c).map_err(|_| ScopeError(text.to_owned()));
        match kind {
            "district" => Ok(Scope::District(code(codes)?)),
            "agency" => Ok(Scope::Agency(code(codes)?)),
            "quadrants" => {
                let list: Vec<Code> =
                    codes.split(';').filter(|c| !c.trim().is_empty()).map(code).collect::<Result<_, _>>()?;
                if list.is_empty() { Err(ScopeError(text.to_owned())) } else { Ok(Scope::Quadrants(list)) }
            }
            _ => Err(ScopeError(text.to_owned())),
        }
    }
}

/// A scope that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a scope: use city, district:CODE, quadrants:CODE;CODE or agency:CODE")]
pub struct ScopeError(pub String);

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Login, as written in histories and audit logs.
    pub login: String,
    /// Role.
    pub role: Role,
    /// Scope.
    pub scope: Scope,
}

/// The facts about an appeal the policy needs.
#[derive(Debug, Clone, Copy)]
pub struct AppealAccess<'a> {
    /// The quadrant it was filed in.
    pub quadrant: Option<&'a Code>,
    /// The district it was filed in.
    pub district: Option<&'a Code>,
    /// The agencies with a task on it.
    pub agencies: &'a [Code],
}

/// Why access is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    /// The role never does this.
    #[error("the role {role} may not {what}")]
    Role {
        /// The role.
        role: Role,
        /// What was attempted.
        what: &'static str,
    },
    /// The role may, but not outside its scope.
    #[error("this appeal is outside your scope ({scope})")]
    Scope {
        /// The scope, in wire form.
        scope: String,
    },
}

/// The police agency whose tasks district inspectors act on.
pub const DISTRICT_INSPECTOR_AGENCY: &str = "POL_UIP";

impl Principal {
    /// Whether the appeal lies within this principal's scope.
    pub fn covers(&self, appeal: AppealAccess<'_>) -> bool {
        match &self.scope {
            Scope::City => true,
            Scope::District(district) => appeal.district == Some(district),
            Scope::Quadrants(quadrants) => appeal.quadrant.is_some_and(|q| quadrants.contains(q)),
            Scope::Agency(agency) => appeal.agencies.contains(agency),
        }
    }

    /// May this principal see the appeal at all?
    ///
    /// # Errors
    ///
    /// [`AccessError::Scope`] when it is outside the principal's scope.
    pub fn may_view(&self, appeal: AppealAccess<'_>) -> Result<(), AccessError> {
        if self.covers(appeal) { Ok(()) } else { Err(AccessError::Scope { scope: self.scope.to_wire() }) }
    }

    /// May this principal see the resident's contact details? Only those who handle the appeal: supervisors,
    /// inspectors and duty officers of its quadrant, officers of an agency with a task on it. Analysts and read-only
    /// users never.
    ///
    /// # Errors
    ///
    /// [`AccessError`] saying why not.
    pub fn may_view_contact(&self, appeal: AppealAccess<'_>) -> Result<(), AccessError> {
        match self.role {
            Role::Analyst | Role::ReadOnly | Role::Administrator => {
                Err(AccessError::Role { role: self.role, what: "see residents' personal data" })
            }
            _ => self.may_view(appeal),
        }
    }

    /// May this principal read and write an appeal's internal notes? Those who handle or oversee it: supervisors,
    /// inspectors, duty officers and agency officers within their scope. Not analysts, read-only users or
    /// administrators: notes are free text and may hold personal data. Partner agencies read only their own
    /// agency's notes ([`Principal::own_tasks_only`]).
    ///
    /// # Errors
    ///
    /// [`AccessError`] saying why not.
    pub fn may_use_notes(&self, appeal: AppealAccess<'_>) -> Result<(), AccessError> {
        match self.role {
            Role::Analyst | Role::ReadOnly | Role::Administrator => {
                Err(AccessError::Role { role: self.role, what: "read or write internal notes" })
            }
            _ => self.may_view(appeal),
        }
    }

    /// May this principal keep a police point's reception log: see the day's walk-in visitors and file appeals on
    /// their behalf? Duty officers, and the district inspectors and supervisors over the points, within their
    /// scope (the handler lists only the points the scope reaches). Not administrators, partner agencies,
    /// analysts or read-only users.
    ///
    /// # Errors
    ///
    /// [`AccessError::Role`] for the other roles, and for an agency scope (which reaches no police point).
    pub fn may_receive_visitors(&self) -> Result<(), AccessError> {
        let role_may = matches!(self.role, Role::DutyOfficer | Role::DistrictInspector | Role::Supervisor);
        if role_may && !matches!(self.scope, Scope::Agency(_)) {
            Ok(())
        } else {
            Err(AccessError::Role { role: self.role, what: "keep a police point's reception log" })
        }
    }

    /// May this principal administer the city: load registry files and the working calendar, manage staff
    /// accounts, read the audit log? Administrators only.
    ///
    /// # Errors
    ///
    /// [`AccessError::Role`] for every other role.
    pub fn may_administer(&self) -> Result<(), AccessError> {
        if self.role == Role::Administrator {
            Ok(())
        } else {
            Err(AccessError::Role { role: self.role, what: "administer the city's registry and accounts" })
        }
    }

    /// May this principal run surveys and evaluations: load instruments, publish and close waves, issue
    /// invitations, import responses and population margins, define the pilot's evaluation? Analysts,
    /// supervisors and administrators — the interdepartmental group's analysts and their chiefs.
    ///
    /// # Errors
    ///
    /// [`AccessError::Role`] for every other role.
    pub fn may_run_surveys(&self) -> Result<(), AccessError> {
        match self.role {
            Role::Administrator | Role::Supervisor | Role::Analyst => Ok(()),
            Role::DistrictInspector | Role::DutyOfficer | Role::AgencyOfficer | Role::ReadOnly => {
                Err(AccessError::Role { role: self.role, what: "run surveys and evaluations" })
            }
        }
    }

    /// May this principal read place-based analytics (hotspots, near-repeat tables, time profiles)? They are
    /// about places and times, never about persons, and the interdepartmental group works from them: every staff
    /// role may, partner agencies included.
    ///
    /// # Errors
    ///
    /// None today; the signature keeps the one policy the place to change that.
    pub fn may_analyse(&self) -> Result<(), AccessError> {
        match self.role {
            Role::Administrator
            | Role::Supervisor
            | Role::DistrictInspector
            | Role::DutyOfficer
            | Role::AgencyOfficer
            | Role::Analyst
            | Role::ReadOnly => Ok(()),
        }
    }

    /// The workflow actor this principal acts as on an appeal, if the role acts on appeals at all.
    ///
    /// # Errors
    ///
    /// [`AccessError::Role`] for roles that never move appeals; [`AccessError::Scope`] outside the scope.
    pub fn actor(&self, appeal: AppealAccess<'_>) -> Result<Actor, AccessError> {
        self.may_view(appeal)?;
        let user = self.login.clone();
        match (self.role, &self.scope) {
            (Role::Supervisor, Scope::City) => Ok(Actor::Supervisor { user, district: None }),
            (Role::Supervisor, Scope::District(district)) => {
                Ok(Actor::Supervisor { user, district: Some(district.clone()) })
            }
            (Role::DistrictInspector, Scope::Quadrants(quadrants)) => Ok(Actor::DistrictInspector {
                user,
                agency: Code::parse(DISTRICT_INSPECTOR_AGENCY).expect("a valid code"),
                quadrants: quadrants.clone(),
            }),
            (Role::AgencyOfficer, Scope::Agency(agency)) => Ok(Actor::AgencyOfficer { user, agency: agency.clone() }),
            (role, _) => Err(AccessError::Role { role, what: "act on appeals" }),
        }
    }

    /// Whether the principal sees only their own agency's tasks on an appeal (partner agencies do).
    pub fn own_tasks_only(&self) -> Option<&Code> {
        match (&self.role, &self.scope) {
            (Role::AgencyOfficer, Scope::Agency(agency)) => Some(agency),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Code {
        Code::parse(text).unwrap()
    }

    #[test]
    fn scopes_round_trip_and_bad_ones_are_named() {
        for text in ["city", "district:SHY-ALF", "quadrants:SHY-ALF-Q01;SHY-ALF-Q02", "agency:SOCIAL"] {
            assert_eq!(Scope::parse(text).unwrap().to_wire(), text);
        }
        assert_eq!(
            Scope::parse("town").unwrap_err().to_string(),
            "\"town\" is not a scope: use city, district:CODE, quadrants:CODE;CODE or agency:CODE"
        );
        assert!(Scope::parse("quadrants:").is_err());
        assert_eq!("analyst".parse::<Role>(), Ok(Role::Analyst));
    }

    #[test]
    fn the_reception_log_is_for_the_roles_at_a_police_point() {
        let principal = |role, scope| Principal { login: "u".into(), role, scope };
        let q1 = Scope::Quadrants(vec![code("SHY-ALF-Q01")]);
        for role in [Role::DutyOfficer, Role::DistrictInspector, Role::Supervisor] {
            assert_eq!(principal(role, q1.clone()).may_receive_visitors(), Ok(()), "{role:?}");
        }
        for role in [Role::Administrator, Role::AgencyOfficer, Role::Analyst, Role::ReadOnly] {
            assert!(matches!(principal(role, Scope::City).may_receive_visitors(), Err(AccessError::Role { .. })));
        }
        let agency = principal(Role::DutyOfficer, Scope::Agency(code("SOCIAL")));
        assert!(agency.may_receive_visitors().is_err());
    }

    #[test]
    fn surveys_are_run_by_analysts_supervisors_and_administrators_and_read_by_everyone() {
        for role in Role::ALL {
            let principal = Principal { login: "u".into(), role, scope: Scope::City };
            let runs = matches!(role, Role::Administrator | Role::Supervisor | Role::Analyst);
            assert_eq!(principal.may_run_surveys().is_ok(), runs, "{role:?}");
            assert!(principal.may_analyse().is_ok(), "{role:?} reads the aggregates");
        }
    }

    #[test]
    fn the_policy_follows_role_and_scope() {
        let agencies = [code("POL_UIP"), code("SOCIAL")];
        let q1 = code("SHY-ALF-Q01");
        let alf = code("SHY-ALF");
        let appeal = AppealAccess { quadrant: Some(&q1), district: Some(&alf), agencies: &agencies };
        let principal = |role, scope| Principal { login: "u".into(), role, scope };
        let inspector = principal(Role::DistrictInspector, Scope::Quadrants(vec![q1.clone()]));
        assert!(matches!(inspector.actor(appeal), Ok(Actor::DistrictInspector { .. })));
        assert!(inspector.may_view_contact(appeal).is_ok());
        let elsewhere = principal(Role::DistrictInspector, Scope::Quadrants(vec![code("SHY-ABY-Q01")]));
        assert_eq!(elsewhere.may_view(appeal), Err(AccessError::Scope { scope: "quadrants:SHY-ABY-Q01".into() }));
        let social = principal(Role::AgencyOfficer, Scope::Agency(code("SOCIAL")));
        assert!(social.may_view(appeal).is_ok());
        assert_eq!(social.own_tasks_only(), Some(&code("SOCIAL")));
        let education = principal(Role::AgencyOfficer, Scope::Agency(code("EDU")));
        assert!(education.may_view(appeal).is_err());
        let analyst = principal(Role::Analyst, Scope::City);
        assert!(analyst.may_view(appeal).is_ok());
        assert_eq!(
            analyst.may_view_contact(appeal),
            Err(AccessError::Role { role: Role::Analyst, what: "see residents' personal data" })
        );
        assert!(matches!(analyst.actor(appeal), Err(AccessError::Role { .. })));
        let supervisor = principal(Role::Supervisor, Scope::District(alf.clone()));
        assert!(matches!(supervisor.actor(appeal), Ok(Actor::Supervisor { district: Some(_), .. })));
        assert!(principal(Role::Supervisor, Scope::District(code("SHY-ABY"))).may_view(appeal).is_err());
        assert!(principal(Role::DutyOfficer, Scope::Quadrants(vec![q1.clone()])).actor(appeal).is_err());
        assert!(principal(Role::DutyOfficer, Scope::Quadrants(vec![q1.clone()])).may_use_notes(appeal).is_ok());
        assert!(social.may_use_notes(appeal).is_ok());
        assert!(education.may_use_notes(appeal).is_err());
        for role in [Role::Analyst, Role::ReadOnly, Role::Administrator] {
            assert!(matches!(principal(role, Scope::City).may_use_notes(appeal), Err(AccessError::Role { .. })));
        }
    }
}
