//! Workflow tests: each transition by example, the rules of who may act, the legal clocks, and property
//! tests that no invalid transition is ever accepted and the history only grows.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn code(text: &str) -> Code {
    Code::parse(text).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const RULES: WorkflowRules = WorkflowRules { reopen_working_days: 10 };

/// The shipped calendar, parsed once for all tests.
fn calendar() -> &'static WorkingCalendar {
    static CALENDAR: std::sync::LazyLock<WorkingCalendar> = std::sync::LazyLock::new(WorkingCalendar::kazakhstan);
    &CALENDAR
}

fn inspector() -> Actor {
    Actor::DistrictInspector { user: "uip-1".into(), agency: code("POL_UIP"), quadrants: vec![code("SHY-ALF-Q01")] }
}

fn social() -> Actor {
    Actor::AgencyOfficer { user: "soc-1".into(), agency: code("SOCIAL") }
}

/// A domestic-conflict appeal registered on Friday 20 March 2026, just before Nauryz.
fn domestic() -> Appeal {
    let clocks = Clocks::new(calendar(), date(2026, 3, 20), ANSWER_WORKING_DAYS).unwrap();
    Appeal::register(
        [code("POL_UIP"), code("SOCIAL")],
        Some(code("SHY-ALF-Q01")),
        Some(code("SHY-ALF")),
        clocks,
        1,
        &Actor::Resident,
    )
}

fn act(appeal: &Appeal, actor: &Actor, action: Action) -> Result<Appeal, WorkflowError> {
    appeal.apply(actor, &action, 2, date(2026, 3, 26), calendar(), RULES)
}

#[test]
fn clocks_count_working_days_around_nauryz() {
    let clocks = domestic().clocks;
    // 21–25 March 2026 are days off (Nauryz and its transfers); 15 working days after Fri 20 March:
    // 26, 27, 30, 31 Mar, 1, 2, 3, 6, 7, 8, 9, 10, 13, 14, 15 Apr.
    assert_eq!(clocks.due, date(2026, 4, 15));
    assert_eq!(clocks.redirect_by, date(2026, 3, 30));
    assert_eq!(clocks.extension_limit, date(2026, 5, 20));
}

#[test]
fn an_appeal_is_answered_only_when_every_agency_has_answered() {
    let appeal = domestic();
    assert_eq!(appeal.state(), AppealState::Registered);
    let appeal = act(&appeal, &inspector(), Action::Accept { agency: code("POL_UIP") }).unwrap();
    assert_eq!(appeal.state(), AppealState::InProgress);
    let appeal = act(
        &appeal,
        &inspector(),
        Action::Answer { agency: code("POL_UIP"), text: "A preventive talk was held.".into() },
    )
    .unwrap();
    assert_eq!(appeal.state(), AppealState::Registered, "social protection has not accepted yet");
    let appeal = act(&appeal, &social(), Action::Accept { agency: code("SOCIAL") }).unwrap();
    assert_eq!(appeal.state(), AppealState::InProgress);
    let appeal = act(
        &appeal,
        &social(),
        Action::Answer { agency: code("SOCIAL"), text: "Referred to the crisis centre.".into() },
    )
    .unwrap();
    assert_eq!(appeal.state(), AppealState::Answered);
    assert_eq!(appeal.answered_on, Some(date(2026, 3, 26)));
    let closed = appeal.apply(&Actor::Resident, &Action::Close, 3, date(2026, 3, 27), calendar(), RULES).unwrap();
    assert_eq!(closed.state(), AppealState::Closed);
    let actions: Vec<&str> = closed.history.iter().map(|e| e.action).collect();
    assert_eq!(actions, ["register", "register", "accept", "answer", "accept", "answer", "close"]);
}

#[test]
fn each_agency_acts_only_on_its_own_task_and_inspectors_only_in_their_quadrants() {
    let appeal = domestic();
    assert_eq!(
        act(&appeal, &social(), Action::Accept { agency: code("POL_UIP") }),
        Err(WorkflowError::Forbidden { actor: "soc-1".into(), action: "accept" })
    );
    let elsewhere = Actor::DistrictInspector {
        user: "uip-9".into(),
        agency: code("POL_UIP"),
        quadrants: vec![code("SHY-ABY-Q01")],
    };
    assert!(matches!(
        act(&appeal, &elsewhere, Action::Accept { agency: code("POL_UIP") }),
        Err(WorkflowError::Forbidden { .. })
    ));
    let other_district = Actor::Supervisor { user: "sup-aby".into(), district: Some(code("SHY-ABY")) };
    assert!(matches!(
        act(&appeal, &other_district, Action::Accept { agency: code("SOCIAL") }),
        Err(WorkflowError::Forbidden { .. })
    ));
    let city = Actor::Supervisor { user: "sup".into(), district: None };
    assert!(act(&appeal, &city, Action::Accept { agency: code("SOCIAL") }).is_ok());
    assert!(matches!(
        act(&appeal, &Actor::Resident, Action::Accept { agency: code("SOCIAL") }),
        Err(WorkflowError::Forbidden { .. })
    ));
}

#[test]
fn extensions_need_a_reason_and_stay_within_two_months() {
    let appeal = act(&domestic(), &inspector(), Action::Accept { agency: code("POL_UIP") }).unwrap();
    let extend = |due: NaiveDate, reason: &str| Action::Extend { agency: code("POL_UIP"), due, reason: reason.into() };
    assert_eq!(act(&appeal, &inspector(), extend(date(2026, 5, 1), " ")), Err(WorkflowError::MissingText("reason")));
    assert_eq!(
        act(&appeal, &inspector(), extend(date(2026, 5, 21), "An expert opinion is needed.")),
        Err(WorkflowError::BadExtension {
            due: date(2026, 5, 21),
            current: date(2026, 4, 15),
            limit: date(2026, 5, 20)
        })
    );
    assert!(matches!(
        act(&appeal, &inspector(), extend(date(2026, 4, 10), "x")),
        Err(WorkflowError::BadExtension { .. })
    ));
    let extended = act(&appeal, &inspector(), extend(date(2026, 5, 20), "An expert opinion is needed.")).unwrap();
    assert_eq!(extended.state(), AppealState::Extended);
    assert_eq!(extended.due(), date(2026, 5, 20));
    assert_eq!(extended.history.last().unwrap().public_comment.as_deref(), Some("An expert opinion is needed."));
}

#[test]
fn a_redirect_hands_the_task_to_another_agency_with_a_fresh_term() {
    let appeal = domestic();
    let appeal = act(
        &appeal,
        &inspector(),
        Action::Redirect { agency: code("POL_UIP"), to: code("POL_JUV"), reason: "Children involved.".into() },
    )
    .unwrap();
    let juvenile = appeal.tasks.iter().find(|t| t.agency == code("POL_JUV")).unwrap();
    assert_eq!(juvenile.state, TaskState::Registered);
    assert_eq!(juvenile.redirected_from, Some(code("POL_UIP")));
    // Redirected on 26 March: a full term from then is 16 April, later than the original 15 April.
    assert_eq!(juvenile.due, date(2026, 4, 16));
    assert_eq!(appeal.tasks.iter().find(|t| t.agency == code("POL_UIP")).unwrap().state, TaskState::Redirected);
    assert_eq!(
        act(&appeal, &social(), Action::Redirect { agency: code("SOCIAL"), to: code("POL_JUV"), reason: "x".into() }),
        Err(WorkflowError::BadRedirect("POL_JUV".into())),
        "POL_JUV already has an open task"
    );
}

#[test]
fn the_resident_may_reopen_within_the_period_and_not_after() {
    let mut appeal = domestic();
    for (actor, agency) in [(inspector(), "POL_UIP"), (social(), "SOCIAL")] {
        appeal = act(&appeal, &actor, Action::Accept { agency: code(agency) }).unwrap();
        appeal = act(&appeal, &actor, Action::Answer { agency: code(agency), text: "Done.".into() }).unwrap();
    }
    let reopen = Action::Reopen { reason: "Nothing changed.".into() };
    // Answered on Thu 26 March; ten working days later is Thu 9 April.
    let late = appeal.apply(&Actor::Resident, &reopen, 3, date(2026, 4, 10), calendar(), RULES);
    assert_eq!(late, Err(WorkflowError::ReopenPeriodOver(date(2026, 4, 9))));
    let reopened = appeal.apply(&Actor::Resident, &reopen, 3, date(2026, 4, 9), calendar(), RULES).unwrap();
    assert_eq!(reopened.state(), AppealState::Reopened);
    assert!(reopened.tasks.iter().all(|t| t.state == TaskState::Reopened));
    assert_eq!(reopened.answered_on, None);
    let restarted = reopened
        .apply(&inspector(), &Action::Start { agency: code("POL_UIP") }, 4, date(2026, 4, 9), calendar(), RULES)
        .unwrap();
    assert_eq!(restarted.state(), AppealState::Reopened, "social protection still has to act again");
}

#[test]
fn a_rejected_appeal_can_be_closed_and_a_closed_one_cannot_move() {
    let mut appeal = domestic();
    for (actor, agency) in [(inspector(), "POL_UIP"), (social(), "SOCIAL")] {
        appeal = act(
            &appeal,
            &actor,
            Action::Reject {
                agency: code(agency),
                reason: "Duplicate.".into(),
                duplicate_of: Some("SHY-2026-000001".into()),
            },
        )
        .unwrap();
    }
    assert_eq!(appeal.state(), AppealState::Rejected);
    let closed = act(&appeal, &Actor::System, Action::Close).unwrap();
    assert_eq!(
        act(&closed, &Actor::Resident, Action::Reopen { reason: "No".into() }),
        Err(WorkflowError::InvalidTransition { action: "reopen", state: "closed" })
    );
}

/// The transitions a task allows, written out as a table independent of the implementation.
fn allowed(action: &str, from: TaskState) -> bool {
    use TaskState::*;
    match action {
        "accept" => from == Registered,
        "start" => matches!(from, Accepted | Reopened),
        "extend" | "answer" => matches!(from, Accepted | InProgress | Extended | Reopened),
        "redirect" | "reject" => matches!(from, Registered | Accepted | InProgress),
        _ => false,
    }
}

fn any_action() -> impl Strategy<Value = (usize, Action)> {
    let agency = prop_oneof![Just("POL_UIP"), Just("SOCIAL"), Just("POL_JUV")];
    (0usize..4, agency, 0u8..8, 1u32..60).prop_map(|(actor, agency, kind, days)| {
        let agency = code(agency);
        let action = match kind {
            0 => Action::Accept { agency },
            1 => Action::Start { agency },
            2 => Action::Extend {
                agency,
                due: date(2026, 4, 15) + chrono::Days::new(u64::from(days)),
                reason: "r".into(),
            },
            3 => Action::Answer { agency, text: "t".into() },
            4 => Action::Redirect { agency, to: code("POL_JUV"), reason: "r".into() },
            5 => Action::Reject { agency, reason: "r".into(), duplicate_of: None },
            6 => Action::Reopen { reason: "r".into() },
            _ => Action::Close,
        };
        (actor, action)
    })
}

proptest! {
    #[test]
    fn no_invalid_transition_is_ever_accepted_and_history_only_grows(steps in prop::collection::vec(any_action(), 1..40)) {
        let actors = [inspector(), social(), Actor::Resident, Actor::Supervisor { user: "sup".into(), district: None }];
        let mut appeal = domestic();
        for (actor_idx, action) in steps {
            let actor = &actors[actor_idx];
            let before = appeal.clone();
            match appeal.apply(actor, &action, 5, date(2026, 3, 27), calendar(), RULES) {
                Ok(next) => {
                    prop_assert!(next.history.len() > before.history.len());
                    prop_assert_eq!(&next.history[..before.history.len()], &before.history[..], "history is append-only");
                    prop_assert!(before.may(actor, &action));
                    if let Some(agency) = action.agency() {
                        let from = before.tasks.iter().rev().find(|t| &t.agency == agency && t.state != TaskState::Redirected).unwrap().state;
                        prop_assert!(allowed(action.name(), from), "{} from {:?} was accepted", action.name(), from);
                        prop_assert!(!before.closed);
                    }
                    for task in &next.tasks {
                        prop_assert!(task.due <= next.clocks.extension_limit.max(date(2026, 4, 16)), "{:?}", task);
                    }
                    // Replaying the stored history gives every event of this move the state the move led to.
                    let replayed = Appeal::states_along(&next.history);
                    prop_assert_eq!(replayed.len(), next.history.len());
                    for state in &replayed[before.history.len()..] {
                        prop_assert_eq!(*state, next.state(), "after {}", action.name());
                    }
                    appeal = next;
                }
                Err(_) => prop_assert_eq!(&appeal, &before),
            }
            // The appeal's state always agrees with its tasks.
            let live: Vec<TaskState> = appeal.tasks.iter().map(|t| t.state).filter(|s| *s != TaskState::Redirected).collect();
            if appeal.state() == AppealState::Answered {
                prop_assert!(live.iter().all(|s| !s.is_open()) && live.contains(&TaskState::Answered));
            }
            prop_assert!(appeal.tasks.iter().filter(|t| t.state.is_open()).count() <= 3);
        }
    }
}

#[test]
fn an_overdue_task_is_escalated_once_per_due_date() {
    let appeal = act(&domestic(), &inspector(), Action::Accept { agency: code("POL_UIP") }).unwrap();
    let escalate = Action::Escalate { agency: code("POL_UIP") };
    let on = |day: NaiveDate, appeal: &Appeal| appeal.apply(&Actor::System, &escalate, 9, day, calendar(), RULES);
    // Due 15 April 2026: not overdue that day, overdue the next.
    assert_eq!(on(date(2026, 4, 15), &appeal), Err(WorkflowError::NotOverdue));
    let escalated = on(date(2026, 4, 16), &appeal).unwrap();
    assert_eq!(escalated.history.last().unwrap().action, "escalate");
    assert_eq!(escalated.state(), appeal.state(), "escalation changes no state");
    assert_eq!(on(date(2026, 4, 17), &escalated), Err(WorkflowError::NotOverdue), "once per due date");
    // After an extension and a new lapse, it escalates again.
    let extended = escalated
        .apply(
            &inspector(),
            &Action::Extend { agency: code("POL_UIP"), due: date(2026, 4, 30), reason: "r".into() },
            10,
            date(2026, 4, 17),
            calendar(),
            RULES,
        )
        .unwrap();
    assert!(on(date(2026, 5, 4), &extended).is_ok());
    assert!(matches!(
        appeal.apply(&inspector(), &escalate, 9, date(2026, 4, 16), calendar(), RULES),
        Err(WorkflowError::Forbidden { .. }) | Err(WorkflowError::NotOverdue)
    ));
}

#[test]
fn every_action_has_an_event_name() {
    let agency = code("POL_UIP");
    let actions = [
        Action::Accept { agency: agency.clone() },
        Action::Start { agency: agency.clone() },
        Action::Extend { agency: agency.clone(), due: date(2026, 5, 1), reason: "r".into() },
        Action::Answer { agency: agency.clone(), text: "t".into() },
        Action::Redirect { agency: agency.clone(), to: code("SOCIAL"), reason: "r".into() },
        Action::Reject { agency: agency.clone(), reason: "r".into(), duplicate_of: None },
        Action::Reopen { reason: "r".into() },
        Action::Close,
        Action::Escalate { agency: agency.clone() },
        Action::Assign { agency, officer: code("SHY-00001") },
    ];
    for action in actions {
        assert!(
            EVENT_ACTIONS.contains(&action.name()),
            "{} is not in EVENT_ACTIONS, so stored events would lose it",
            action.name()
        );
    }
}

#[test]
fn an_agency_assigns_its_open_task_to_an_officer() {
    let appeal = act(&domestic(), &inspector(), Action::Accept { agency: code("POL_UIP") }).unwrap();
    let assigned =
        act(&appeal, &inspector(), Action::Assign { agency: code("POL_UIP"), officer: code("SHY-00001") }).unwrap();
    assert_eq!(assigned.tasks[0].assignee, Some(code("SHY-00001")));
    assert_eq!(assigned.state(), appeal.state());
    assert_eq!(assigned.history.last().unwrap().action, "assign");
    assert!(matches!(
        act(&appeal, &social(), Action::Assign { agency: code("POL_UIP"), officer: code("X") }),
        Err(WorkflowError::Forbidden { .. })
    ));
    let answered = act(&assigned, &inspector(), Action::Answer { agency: code("POL_UIP"), text: "t".into() }).unwrap();
    assert!(matches!(
        act(&answered, &inspector(), Action::Assign { agency: code("POL_UIP"), officer: code("X") }),
        Err(WorkflowError::InvalidTransition { .. })
    ));
}

#[test]
fn the_state_after_each_event_is_replayed_from_the_history() {
    use AppealState::*;
    let police = code("POL_UIP");
    let mut appeal = domestic();
    assert_eq!(Appeal::states_along(&appeal.history), [Registered, Registered]);
    for (actor, action) in [
        (inspector(), Action::Accept { agency: police.clone() }),
        (social(), Action::Redirect { agency: code("SOCIAL"), to: code("POL_JUV"), reason: "r".into() }),
        (inspector(), Action::Start { agency: police.clone() }),
        (inspector(), Action::Assign { agency: police.clone(), officer: code("SHY-00001") }),
        (inspector(), Action::Answer { agency: police.clone(), text: "t".into() }),
        (
            Actor::Supervisor { user: "sup".into(), district: None },
            Action::Reject { agency: code("POL_JUV"), reason: "r".into(), duplicate_of: None },
        ),
        (Actor::Resident, Action::Reopen { reason: "r".into() }),
    ] {
        appeal = act(&appeal, &actor, action).unwrap();
    }
    let actions: Vec<&str> = appeal.history.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        ["register", "register", "accept", "redirect", "register", "start", "assign", "answer", "reject", "reopen"]
    );
    assert_eq!(
        Appeal::states_along(&appeal.history),
        [
            // The redirect counts with the registration it causes; the police answered while the juvenile unit had
            // not yet accepted its task.
            Registered, Registered, InProgress, InProgress, InProgress, InProgress, InProgress, Registered, Answered,
            Reopened
        ]
    );
}
