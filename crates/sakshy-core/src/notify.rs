//! Which moments of an appeal's life are worth telling someone about: the resident (receipt, redirect,
//! extension — which the law requires them to hear of — answer, reopening, closing) and subscribed systems
//! (every one of those).
//!
//! Pure: it compares two versions of an appeal. Queuing (an outbox written in the same transaction) and
//! delivery (e-mail, signed webhooks) belong to the store and the web layer.

use crate::workflow::{Appeal, AppealState};

/// A moment worth a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// The appeal was registered: the receipt number and due date.
    Registered,
    /// An agency sent its part to another agency (the APPK requires telling the applicant).
    Redirected,
    /// An agency extended its due date, with a reason (the APPK requires telling the applicant within 3 working
    /// days).
    Extended,
    /// Every agency has answered.
    Answered,
    /// The resident disagreed; work continues.
    Reopened,
    /// The appeal was closed.
    Closed,
    /// An agency's task is past due: for supervisors and subscribed systems, not the resident.
    Escalated,
}

impl NoticeKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Registered => "registered",
            NoticeKind::Redirected => "redirected",
            NoticeKind::Extended => "extended",
            NoticeKind::Answered => "answered",
            NoticeKind::Reopened => "reopened",
            NoticeKind::Closed => "closed",
            NoticeKind::Escalated => "escalated",
        }
    }

    /// Whether the resident is told (escalations are internal).
    pub fn for_resident(self) -> bool {
        self != NoticeKind::Escalated
    }

    /// Parses the wire name.
    pub fn parse(text: &str) -> Option<NoticeKind> {
        [
            NoticeKind::Registered,
            NoticeKind::Redirected,
            NoticeKind::Extended,
            NoticeKind::Answered,
            NoticeKind::Reopened,
            NoticeKind::Closed,
            NoticeKind::Escalated,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

/// A notice: what happened, and the number of the history event it belongs to (which, with the appeal's id,
/// is the notice's idempotency key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    /// What happened.
    pub kind: NoticeKind,
    /// The history event it belongs to, 0-based.
    pub event_no: usize,
}

/// The notices that moving from `before` (`None` for a new appeal) to `after` calls for, in history order.
pub fn notices(before: Option<&Appeal>, after: &Appeal) -> Vec<Notice> {
    let start = before.map_or(0, |appeal| appeal.history.len());
    let mut out = Vec::new();
    if before.is_none() && !after.history.is_empty() {
        out.push(Notice { kind: NoticeKind::Registered, event_no: 0 });
    }
    for (event_no, event) in after.history.iter().enumerate().skip(start) {
        let kind = match event.action {
            "redirect" => NoticeKind::Redirected,
            "extend" => NoticeKind::Extended,
            "reopen" => NoticeKind::Reopened,
            "close" => NoticeKind::Closed,
            "escalate" => NoticeKind::Escalated,
            _ => continue,
        };
        out.push(Notice { kind, event_no });
    }
    let was_answered = before.is_some_and(|appeal| appeal.state() == AppealState::Answered);
    if after.state() == AppealState::Answered && !was_answered && after.history.len() > start {
        out.push(Notice { kind: NoticeKind::Answered, event_no: after.history.len() - 1 });
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::calendar::WorkingCalendar;
    use crate::code::Code;
    use crate::workflow::{Action, Actor, Clocks, WorkflowRules};

    #[test]
    fn a_registration_an_extension_and_the_last_answer_are_notices_other_steps_are_not() {
        let calendar = WorkingCalendar::kazakhstan();
        let day = NaiveDate::from_ymd_opt(2026, 4, 14).unwrap();
        let clocks = Clocks::new(&calendar, day, 15).unwrap();
        let code = |c: &str| Code::parse(c).unwrap();
        let appeal = Appeal::register([code("POL_UIP"), code("SOCIAL")], None, None, clocks, 1, &Actor::Resident);
        assert_eq!(notices(None, &appeal), [Notice { kind: NoticeKind::Registered, event_no: 0 }]);
        let boss = Actor::Supervisor { user: "s".into(), district: None };
        let rules = WorkflowRules { reopen_working_days: 10 };
        let step = |appeal: &Appeal, action: Action| appeal.apply(&boss, &action, 2, day, &calendar, rules).unwrap();
        let accepted = step(&appeal, Action::Accept { agency: code("POL_UIP") });
        assert!(notices(Some(&appeal), &accepted).is_empty(), "accepting is internal");
        let extended = step(
            &accepted,
            Action::Extend { agency: code("POL_UIP"), due: clocks.extension_limit, reason: "r".into() },
        );
        assert_eq!(notices(Some(&accepted), &extended), [Notice { kind: NoticeKind::Extended, event_no: 3 }]);
        let one_answer = step(&extended, Action::Answer { agency: code("POL_UIP"), text: "t".into() });
        assert!(notices(Some(&extended), &one_answer).is_empty(), "social protection has not answered yet");
        let accepted_social = step(&one_answer, Action::Accept { agency: code("SOCIAL") });
        let answered = step(&accepted_social, Action::Answer { agency: code("SOCIAL"), text: "t".into() });
        assert_eq!(notices(Some(&accepted_social), &answered), [Notice { kind: NoticeKind::Answered, event_no: 6 }]);
        assert_eq!(NoticeKind::parse("answered"), Some(NoticeKind::Answered));
    }
}
