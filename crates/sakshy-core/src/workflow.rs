//! The life of an appeal: its tasks (one per agency that must act), the states they move through, who may move
//! them, the legal clocks they run against, and the append-only history every move leaves.
//!
//! Pure: [`Appeal::apply`] takes the appeal, an actor, an action and the current time and returns the next
//! appeal and the events to append, or says why not. Storing, notifying and showing are done elsewhere.

use chrono::NaiveDate;

use crate::calendar::{CalendarError, WorkingCalendar, extension_limit};
use crate::code::Code;

/// Working days to answer an administrative appeal (APPK art. 76).
pub const ANSWER_WORKING_DAYS: u32 = 15;
/// Working days within which an appeal outside an agency's competence must be redirected (APPK art. 65).
pub const REDIRECT_WORKING_DAYS: u32 = 3;
/// Working days before the due date from which a task counts as due soon.
pub const DUE_SOON_WORKING_DAYS: u32 = 2;

/// Every action name a history event can carry: `register` and the wire names of [`Action`].
pub const EVENT_ACTIONS: [&str; 11] =
    ["register", "accept", "start", "extend", "answer", "redirect", "reject", "reopen", "close", "escalate", "assign"];

/// Where one agency's task on an appeal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaskState {
    /// Registered, waiting for the agency to accept it.
    Registered,
    /// Accepted by the agency.
    Accepted,
    /// Being worked on.
    InProgress,
    /// Being worked on with an extended due date (reasoned, the resident notified).
    Extended,
    /// Answered to the resident.
    Answered,
    /// The resident disagreed with the answer; back with the agency.
    Reopened,
    /// Sent on to another agency, whose own task continues (this one is finished).
    Redirected,
    /// Rejected with a reason (e.g. a duplicate of another appeal); finished.
    Rejected,
}

impl TaskState {
    /// Every state.
    pub const ALL: [TaskState; 8] = [
        TaskState::Registered,
        TaskState::Accepted,
        TaskState::InProgress,
        TaskState::Extended,
        TaskState::Answered,
        TaskState::Reopened,
        TaskState::Redirected,
        TaskState::Rejected,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Registered => "registered",
            TaskState::Accepted => "accepted",
            TaskState::InProgress => "in_progress",
            TaskState::Extended => "extended",
            TaskState::Answered => "answered",
            TaskState::Reopened => "reopened",
            TaskState::Redirected => "redirected",
            TaskState::Rejected => "rejected",
        }
    }

    /// Whether the agency still owes work on the task.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TaskState::Registered
                | TaskState::Accepted
                | TaskState::InProgress
                | TaskState::Extended
                | TaskState::Reopened
        )
    }
}

/// Where the appeal as a whole stands, derived from its tasks (see [`Appeal::state`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppealState {
    /// No agency has accepted it yet.
    Registered,
    /// At least one agency is working on it.
    InProgress,
    /// At least one agency is working on it past the original due date, with a reasoned extension.
    Extended,
    /// Every task is answered or rejected, at least one answered.
    Answered,
    /// The resident disagreed; work continues.
    Reopened,
    /// Every task was rejected.
    Rejected,
    /// Closed: the resident accepted the answer, or the period to disagree ran out.
    Closed,
}

impl AppealState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AppealState::Registered => "registered",
            AppealState::InProgress => "in_progress",
            AppealState::Extended => "extended",
            AppealState::Answered => "answered",
            AppealState::Reopened => "reopened",
            AppealState::Rejected => "rejected",
            AppealState::Closed => "closed",
        }
    }
}

/// What someone does to an appeal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The agency accepts its task.
    Accept {
        /// The agency whose task it is.
        agency: Code,
    },
    /// The agency starts work.
    Start {
        /// The agency whose task it is.
        agency: Code,
    },
    /// The agency extends its due date, with a reason; the resident is notified.
    Extend {
        /// The agency whose task it is.
        agency: Code,
        /// The new due date: after the current one and at most two months after registration.
        due: NaiveDate,
        /// Why, as the resident will read it.
        reason: String,
    },
    /// The agency answers the resident.
    Answer {
        /// The agency whose task it is.
        agency: Code,
        /// The answer, as the resident will read it.
        text: String,
    },
    /// The agency sends its task to another agency, with a reason.
    Redirect {
        /// The agency whose task it is.
        agency: Code,
        /// The agency that takes the work over.
        to: Code,
        /// Why, as the resident will read it.
        reason: String,
    },
    /// The agency rejects its task with a reason; a duplicate names the original appeal.
    Reject {
        /// The agency whose task it is.
        agency: Code,
        /// Why, as the resident will read it.
        reason: String,
        /// The receipt number of the appeal this one duplicates.
        duplicate_of: Option<String>,
    },
    /// The resident disagrees with the answer, within the period allowed.
    Reopen {
        /// Why, as the resident wrote it.
        reason: String,
    },
    /// The appeal is closed: by the resident, by a supervisor, or when the period to disagree ran out.
    Close,
    /// The agency gives its task to one of its officers (by badge). Changes no state.
    Assign {
        /// The agency whose task it is.
        agency: Code,
        /// The officer's badge.
        officer: Code,
    },
    /// An agency's task is past due: the supervisor is alerted. Changes no state; recorded once per due date.
    Escalate {
        /// The agency whose task is overdue.
        agency: Code,
    },
}

impl Action {
    /// The wire name.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Accept { .. } => "accept",
            Action::Start { .. } => "start",
            Action::Extend { .. } => "extend",
            Action::Answer { .. } => "answer",
            Action::Redirect { .. } => "redirect",
            Action::Reject { .. } => "reject",
            Action::Reopen { .. } => "reopen",
            Action::Close => "close",
            Action::Escalate { .. } => "escalate",
            Action::Assign { .. } => "assign",
        }
    }

    fn agency(&self) -> Option<&Code> {
        match self {
            Action::Accept { agency }
            | Action::Start { agency }
            | Action::Extend { agency, .. }
            | Action::Answer { agency, .. }
            | Action::Redirect { agency, .. }
            | Action::Reject { agency, .. }
            | Action::Escalate { agency }
            | Action::Assign { agency, .. } => Some(agency),
            Action::Reopen { .. } | Action::Close => None,
        }
    }
}

/// Who acts, as far as the workflow needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The resident who filed the appeal (proved by the tracking token).
    Resident,
    /// An officer of an agency, acting on that agency's tasks.
    AgencyOfficer {
        /// Stable user identifier, for the history.
        user: String,
        /// The agency the officer works for.
        agency: Code,
    },
    /// A district inspector, acting on police tasks of the quadrants assigned to them.
    DistrictInspector {
        /// Stable user identifier, for the history.
        user: String,
        /// The police agency they belong to.
        agency: Code,
        /// Quadrants assigned.
        quadrants: Vec<Code>,
    },
    /// A supervisor, over a district or the whole city (`None`).
    Supervisor {
        /// Stable user identifier, for the history.
        user: String,
        /// The district supervised; `None` for the city.
        district: Option<Code>,
    },
    /// The system itself (timers: closing after the period to disagree).
    System,
}

impl Actor {
    /// How the actor is named in the history.
    pub fn label(&self) -> String {
        match self {
            Actor::Resident => "resident".to_owned(),
            Actor::AgencyOfficer { user, .. }
            | Actor::DistrictInspector { user, .. }
            | Actor::Supervisor { user, .. } => user.clone(),
            Actor::System => "system".to_owned(),
        }
    }
}

/// One agency's part of an appeal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The agency.
    pub agency: Code,
    /// Where the task stands.
    pub state: TaskState,
    /// When the task's answer is due.
    pub due: NaiveDate,
    /// The agency that redirected the work here, if any.
    pub redirected_from: Option<Code>,
    /// The officer (badge) the agency gave the task to, if any.
    pub assignee: Option<Code>,
}

/// The legal dates of an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    /// The working day the appeal counts as registered (APPK art. 64).
    pub registered_on: NaiveDate,
    /// The answer is due: 15 working days after registration, or the category's own term (APPK art. 76).
    pub due: NaiveDate,
    /// A redirect must happen by this day: 3 working days after registration.
    pub redirect_by: NaiveDate,
    /// No extension may go past this day: two months after registration.
    pub extension_limit: NaiveDate,
}

impl Clocks {
    /// The clocks of an appeal registered on `registered_on`, with `term_working_days` to answer.
    ///
    /// # Errors
    ///
    /// [`CalendarError::OutOfRange`] when the calendar does not cover the dates.
    pub fn new(
        calendar: &WorkingCalendar,
        registered_on: NaiveDate,
        term_working_days: u32,
    ) -> Result<Clocks, CalendarError> {
        Ok(Clocks {
            registered_on,
            due: calendar.add_working_days(registered_on, term_working_days)?,
            redirect_by: calendar.add_working_days(registered_on, REDIRECT_WORKING_DAYS)?,
            extension_limit: extension_limit(registered_on),
        })
    }
}

/// How a due date stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueStatus {
    /// More than [`DUE_SOON_WORKING_DAYS`] working days left.
    OnTime,
    /// Due within [`DUE_SOON_WORKING_DAYS`] working days (or today).
    DueSoon,
    /// Past due.
    Overdue,
}

/// How `due` stands on `today`.
///
/// # Errors
///
/// [`CalendarError::OutOfRange`] when the calendar does not cover the dates.
pub fn due_status(calendar: &WorkingCalendar, due: NaiveDate, today: NaiveDate) -> Result<DueStatus, CalendarError> {
    if today > due {
        return Ok(DueStatus::Overdue);
    }
    Ok(if calendar.working_days_between(today, due)? <= DUE_SOON_WORKING_DAYS {
        DueStatus::DueSoon
    } else {
        DueStatus::OnTime
    })
}

/// One line of an appeal's history. The history is append-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When, UTC epoch milliseconds.
    pub at_ms: i64,
    /// Who, as [`Actor::label`].
    pub actor: String,
    /// What: the action's wire name, or `register`.
    pub action: &'static str,
    /// The agency whose task moved, if one did.
    pub agency: Option<Code>,
    /// The task's state before, if a task moved.
    pub from: Option<TaskState>,
    /// The task's state after, if a task moved.
    pub to: Option<TaskState>,
    /// What the resident reads.
    pub public_comment: Option<String>,
}

/// An appeal's workflow state: its tasks, clocks and history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appeal {
    /// The quadrant it was filed in (for the district inspector's scope).
    pub quadrant: Option<Code>,
    /// The district it was filed in (for supervisors' scope).
    pub district: Option<Code>,
    /// One task per agency that must act, in the order they were created.
    pub tasks: Vec<Task>,
    /// Legal dates.
    pub clocks: Clocks,
    /// The local day it was answered (every task finished), from which the period to disagree runs; cleared on
    /// reopening.
    pub answered_on: Option<NaiveDate>,
    /// Whether it is closed.
    pub closed: bool,
    /// Everything that happened, oldest first.
    pub history: Vec<Event>,
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    /// The actor may not do this to this appeal.
    #[error("{actor} may not {action} this appeal")]
    Forbidden {
        /// Who tried.
        actor: String,
        /// What.
        action: &'static str,
    },
    /// The appeal has no task for that agency.
    #[error("the appeal has no task for agency {0}")]
    NoTask(String),
    /// The task (or appeal) is not in a state this action applies to.
    #[error("cannot {action} from state {state}")]
    InvalidTransition {
        /// What was tried.
        action: &'static str,
        /// The state it was in.
        state: &'static str,
    },
    /// A reason or answer text is required and was empty.
    #[error("a {0} is required")]
    MissingText(&'static str),
    /// An extension's date is not after the current due date or beyond the two-month limit.
    #[error("the new due date {due} must be after {current} and no later than {limit} (two months after registration)")]
    BadExtension {
        /// The date asked for.
        due: NaiveDate,
        /// The current due date.
        current: NaiveDate,
        /// The legal limit.
        limit: NaiveDate,
    },
    /// A redirect to the same agency or to one that already has an open task.
    #[error("cannot redirect to {0}: it is the same agency or already has an open task")]
    BadRedirect(String),
    /// The task is not overdue, or was escalated already for its current due date.
    #[error("the task is not overdue or was escalated already")]
    NotOverdue,
    /// The period in which the resident may disagree has passed.
    #[error("the period to disagree with the answer ended on {0}")]
    ReopenPeriodOver(NaiveDate),
    /// The calendar does not cover a date needed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// Settings of the workflow that a city may choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkflowRules {
    /// Working days after the answer during which the resident may disagree and reopen.
    pub reopen_working_days: u32,
}

impl Appeal {
    /// A newly registered appeal with one task per routed agency, all due on the appeal's due date.
    pub fn register(
        agencies: impl IntoIterator<Item = Code>,
        quadrant: Option<Code>,
        district: Option<Code>,
        clocks: Clocks,
        at_ms: i64,
        actor: &Actor,
    ) -> Appeal {
        let tasks: Vec<Task> = agencies
            .into_iter()
            .map(|agency| Task {
                agency,
                state: TaskState::Registered,
                due: clocks.due,
                redirected_from: None,
                assignee: None,
            })
            .collect();
        let history = tasks
            .iter()
            .map(|task| Event {
                at_ms,
                actor: actor.label(),
                action: "register",
                agency: Some(task.agency.clone()),
                from: None,
                to: Some(TaskState::Registered),
                public_comment: None,
            })
            .collect();
        Appeal { quadrant, district, tasks, clocks, answered_on: None, closed: false, history }
    }

    /// The state of the appeal as a whole.
    pub fn state(&self) -> AppealState {
        derive_state(self.tasks.iter().map(|task| task.state), self.closed)
    }

    /// The state of the appeal as a whole after each event of `history`, replayed from the events alone: a
    /// `register` event adds a task, a task move sets the agency's current task (the last one not redirected) to
    /// the event's `to`, `reopen` turns answered tasks reopened, `close` closes. A redirect and the registration
    /// with the receiving agency that follows it are one move: the redirect gets the state after both. For a history
    /// made by [`Appeal::register`] and [`Appeal::apply`], the last state is [`Appeal::state`].
    pub fn states_along(history: &[Event]) -> Vec<AppealState> {
        let mut tasks: Vec<(Option<&Code>, TaskState)> = Vec::new();
        let mut closed = false;
        let mut states: Vec<AppealState> = history
            .iter()
            .map(|event| {
                match (event.action, event.to) {
                    ("register", Some(to)) => tasks.push((event.agency.as_ref(), to)),
                    ("reopen", _) => {
                        for task in tasks.iter_mut().filter(|task| task.1 == TaskState::Answered) {
                            task.1 = TaskState::Reopened;
                        }
                    }
                    ("close", _) => closed = true,
                    (_, Some(to)) => {
                        if let Some(task) = tasks
                            .iter_mut()
                            .rev()
                            .find(|task| task.0 == event.agency.as_ref() && task.1 != TaskState::Redirected)
                        {
                            task.1 = to;
                        }
                    }
                    _ => {}
                }
                derive_state(tasks.iter().map(|task| task.1), closed)
            })
            .collect();
        for (i, pair) in history.windows(2).enumerate().rev() {
            if pair[0].action == "redirect" && pair[1].action == "register" && pair[0].at_ms == pair[1].at_ms {
                states[i] = states[i + 1];
            }
        }
        states
    }

    /// The latest due date among open tasks; the appeal's own due date when none is open.
    pub fn due(&self) -> NaiveDate {
        self.tasks.iter().filter(|task| task.state.is_open()).map(|task| task.due).max().unwrap_or(self.clocks.due)
    }

    /// Whether `actor` may take `action` on this appeal at all (the state is checked separately).
    pub fn may(&self, actor: &Actor, action: &Action) -> bool {
        let police_task_in_my_quadrant = |agency: &Code, my_agency: &Code, quadrants: &[Code]| {
            agency == my_agency && self.quadrant.as_ref().is_some_and(|q| quadrants.contains(q))
        };
        match (actor, action) {
            // Escalation is the timer's, not a person's.
            (_, Action::Escalate { .. }) => matches!(actor, Actor::System),
            (Actor::Resident, Action::Reopen { .. } | Action::Close) => true,
            (Actor::System, Action::Close) => true,
            (Actor::Supervisor { district, .. }, _) => {
                district.is_none() || district.as_ref() == self.district.as_ref()
            }
            (Actor::AgencyOfficer { agency: mine, .. }, _) => action.agency() == Some(mine),
            (Actor::DistrictInspector { agency: mine, quadrants, .. }, _) => {
                action.agency().is_some_and(|agency| police_task_in_my_quadrant(agency, mine, quadrants))
            }
            _ => false,
        }
    }

    /// Applies an action by an actor at `at_ms` (UTC) on `today` (the city's local date), returning the next
    /// appeal. The history only grows.
    ///
    /// # Errors
    ///
    /// [`WorkflowError`] says why the action is refused; the appeal is then unchanged.
    pub fn apply(
        &self,
        actor: &Actor,
        action: &Action,
        at_ms: i64,
        today: NaiveDate,
        calendar: &WorkingCalendar,
        rules: WorkflowRules,
    ) -> Result<Appeal, WorkflowError> {
        if !self.may(actor, action) {
            return Err(WorkflowError::Forbidden { actor: actor.label(), action: action.name() });
        }
        if self.closed {
            return Err(WorkflowError::InvalidTransition {
                action: action.name(),
                state: AppealState::Closed.as_str(),
            });
        }
        let mut next = self.clone();
        let mut event = Event {
            at_ms,
            actor: actor.label(),
            action: action.name(),
            agency: action.agency().cloned(),
            from: None,
            to: None,
            public_comment: None,
        };
        match action {
            Action::Reopen { reason } => {
                require_text(reason, "reason")?;
                if self.state() != AppealState::Answered {
                    return Err(WorkflowError::InvalidTransition { action: "reopen", state: self.state().as_str() });
                }
                let answered_on = self.answered_on.unwrap_or(today);
                let until = calendar.add_working_days(answered_on, rules.reopen_working_days)?;
                if today > until {
                    return Err(WorkflowError::ReopenPeriodOver(until));
                }
                let new_due =
                    calendar.add_working_days(calendar.next_working_day_on_or_after(today)?, ANSWER_WORKING_DAYS)?;
                for task in next.tasks.iter_mut().filter(|task| task.state == TaskState::Answered) {
                    task.state = TaskState::Reopened;
                    task.due = new_due;
                }
                next.answered_on = None;
                event.public_comment = Some(reason.clone());
                next.history.push(event);
                return Ok(next);
            }
            Action::Close => {
                if !matches!(self.state(), AppealState::Answered | AppealState::Rejected) {
                    return Err(WorkflowError::InvalidTransition { action: "close", state: self.state().as_str() });
                }
                next.closed = true;
                next.history.push(event);
                return Ok(next);
            }
            _ => {}
        }
        let agency = action.agency().expect("every other action names its agency");
        let idx = next
            .tasks
            .iter()
            .rposition(|task| &task.agency == agency && task.state != TaskState::Redirected)
            .ok_or_else(|| WorkflowError::NoTask(agency.to_string()))?;
        let from = next.tasks[idx].state;
        if let Action::Escalate { .. } = action {
            let task = &next.tasks[idx];
            let already = self
                .history
                .iter()
                .rev()
                .take_while(|e| !(e.action == "extend" && e.agency.as_ref() == Some(agency)))
                .any(|e| e.action == "escalate" && e.agency.as_ref() == Some(agency));
            if !task.state.is_open() || today <= task.due || already {
                return Err(WorkflowError::NotOverdue);
            }
            event.public_comment = None;
            next.history.push(event);
            return Ok(next);
        }
        if let Action::Assign { officer, .. } = action {
            if !from.is_open() {
                return Err(WorkflowError::InvalidTransition { action: "assign", state: from.as_str() });
            }
            next.tasks[idx].assignee = Some(officer.clone());
            event.public_comment = None;
            next.history.push(event);
            return Ok(next);
        }
        let invalid = || WorkflowError::InvalidTransition { action: action.name(), state: from.as_str() };
        let to = match action {
            Action::Accept { .. } => match from {
                TaskState::Registered => TaskState::Accepted,
                _ => return Err(invalid()),
            },
            Action::Start { .. } => match from {
                TaskState::Accepted | TaskState::Reopened => TaskState::InProgress,
                _ => return Err(invalid()),
            },
            Action::Extend { due, reason, .. } => {
                if !matches!(
                    from,
                    TaskState::Accepted | TaskState::InProgress | TaskState::Extended | TaskState::Reopened
                ) {
                    return Err(invalid());
                }
                require_text(reason, "reason")?;
                let current = next.tasks[idx].due;
                if *due <= current || *due > self.clocks.extension_limit {
                    return Err(WorkflowError::BadExtension { due: *due, current, limit: self.clocks.extension_limit });
                }
                next.tasks[idx].due = *due;
                event.public_comment = Some(reason.clone());
                TaskState::Extended
            }
            Action::Answer { text, .. } => {
                if !matches!(
                    from,
                    TaskState::Accepted | TaskState::InProgress | TaskState::Extended | TaskState::Reopened
                ) {
                    return Err(invalid());
                }
                require_text(text, "answer")?;
                event.public_comment = Some(text.clone());
                TaskState::Answered
            }
            Action::Redirect { to, reason, .. } => {
                if !matches!(from, TaskState::Registered | TaskState::Accepted | TaskState::InProgress) {
                    return Err(invalid());
                }
                require_text(reason, "reason")?;
                if to == agency || next.tasks.iter().any(|task| &task.agency == to && task.state.is_open()) {
                    return Err(WorkflowError::BadRedirect(to.to_string()));
                }
                // The receiving agency gets the remaining legal term, never less than a full one from today.
                let fresh =
                    calendar.add_working_days(calendar.next_working_day_on_or_after(today)?, ANSWER_WORKING_DAYS)?;
                next.tasks.push(Task {
                    agency: to.clone(),
                    state: TaskState::Registered,
                    due: next.tasks[idx].due.max(fresh),
                    redirected_from: Some(agency.clone()),
                    assignee: None,
                });
                event.public_comment = Some(reason.clone());
                TaskState::Redirected
            }
            Action::Reject { reason, .. } => {
                if !matches!(from, TaskState::Registered | TaskState::Accepted | TaskState::InProgress) {
                    return Err(invalid());
                }
                require_text(reason, "reason")?;
                event.public_comment = Some(reason.clone());
                TaskState::Rejected
            }
            Action::Reopen { .. } | Action::Close | Action::Escalate { .. } | Action::Assign { .. } => {
                unreachable!("handled above")
            }
        };
        next.tasks[idx].state = to;
        event.from = Some(from);
        event.to = Some(to);
        next.history.push(event);
        if let Action::Redirect { to: target, .. } = action {
            next.history.push(Event {
                at_ms,
                actor: actor.label(),
                action: "register",
                agency: Some(target.clone()),
                from: None,
                to: Some(TaskState::Registered),
                public_comment: None,
            });
        }
        if next.state() == AppealState::Answered && self.state() != AppealState::Answered {
            next.answered_on = Some(today);
        }
        Ok(next)
    }
}

/// The state of an appeal from the states of its tasks (redirected ones do not count) and whether it is closed.
fn derive_state(tasks: impl Iterator<Item = TaskState>, closed: bool) -> AppealState {
    if closed {
        return AppealState::Closed;
    }
    let live: Vec<TaskState> = tasks.filter(|state| *state != TaskState::Redirected).collect();
    if live.contains(&TaskState::Reopened) {
        AppealState::Reopened
    } else if !live.is_empty() && live.iter().all(|state| *state == TaskState::Rejected) {
        AppealState::Rejected
    } else if live.iter().all(|state| !state.is_open()) {
        AppealState::Answered
    } else if live.contains(&TaskState::Extended) {
        AppealState::Extended
    } else if live.iter().any(|state| matches!(state, TaskState::Accepted | TaskState::InProgress)) {
        AppealState::InProgress
    } else {
        AppealState::Registered
    }
}

fn require_text(text: &str, what: &'static str) -> Result<(), WorkflowError> {
    if text.trim().is_empty() { Err(WorkflowError::MissingText(what)) } else { Ok(()) }
}

#[cfg(test)]
mod tests;
