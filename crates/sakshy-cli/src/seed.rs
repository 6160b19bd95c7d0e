//! Synthetic appeals for the demo city: a few hundred across categories, quadrants and states, each with a
//! plausible history, made through the same intake and workflow code real appeals go through and stored with
//! the `synthetic` flag so that every view can label them.
//!
//! Deterministic for a seed. Demo only: nothing here runs for a real city.

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use geo_types::Point;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sakshy_core::calendar::WorkingCalendar;
use sakshy_core::intake::{self, Channel, Contact, Decision, IntakeContext, LocationInput, Submission};
use sakshy_core::registry::Phone;
use sakshy_core::workflow::{Action, Actor, Appeal, WorkflowRules};
use sakshy_core::{Code, Lang, Level};
use sakshy_store::Store;
use sakshy_web::Registry;

/// Categories residents file most, with relative weights (emergencies are diverted, so none here).
const MIX: &[(&str, u32)] = &[
    ("NOISE", 14),
    ("LIGHTING", 10),
    ("GARBAGE", 9),
    ("STRAY_DOGS", 8),
    ("PARKING", 7),
    ("ROADS", 7),
    ("NEIGHBOUR", 6),
    ("PUBLIC_DRINKING", 5),
    ("DOMESTIC", 4),
    ("JUVENILE", 4),
    ("DRUG_GRAFFITI", 4),
    ("FRAUD", 3),
    ("THEFT", 3),
    ("ABANDONED_BLDG", 3),
    ("HOOLIGANISM", 3),
    ("VULNERABLE", 2),
    ("SAFETY_INFRA", 2),
    ("CONSULT", 2),
    ("FEEDBACK", 2),
    ("COMPLAINT_POLICE", 1),
];

const DESCRIPTIONS: &[(Lang, &str)] = &[
    (Lang::Kk, "Синтетикалық демо өтініш: тұрғын мәселені сипаттайды."),
    (Lang::Ru, "Синтетическое демо-обращение: житель описывает проблему."),
    (Lang::En, "Synthetic demo appeal: a resident describes the problem."),
];

/// Seeds `count` synthetic appeals registered over the `days` days before `now`.
///
/// # Errors
///
/// When the registry has no categories or the database fails.
pub async fn seed_appeals(
    store: &Store,
    registry: &Registry,
    count: usize,
    days: i64,
    now: DateTime<Utc>,
    seed: u64,
) -> anyhow::Result<usize> {
    let routing = registry.routing.as_ref().context("the demo city has no categories")?;
    let calendar = WorkingCalendar::kazakhstan();
    let office_hours = sakshy_web::HttpConfig::standard().office_hours;
    let rules = WorkflowRules { reopen_working_days: 10 };
    let context = IntakeContext {
        routing,
        locator: &registry.locator,
        points: &registry.points,
        agencies: &registry.agencies,
        calendar: &calendar,
        office_hours: &office_hours,
    };
    let quadrants: Vec<_> = registry.level(Level::Quadrant).collect();
    let zone: Tz = registry.city.timezone;
    let mut rng = StdRng::seed_from_u64(seed);
    let total_weight: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut created = 0;
    for _ in 0..count {
        let mut pick = rng.random_range(0..total_weight);
        let category = MIX
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map_or("NOISE", |(c, _)| c);
        // Busier near the centre: a quarter of appeals in the pilot district's quadrants.
        let pool: Vec<_> = if rng.random_bool(0.25) {
            quadrants.iter().filter(|q| q.territory.parent().is_some_and(|p| p.as_str() == "SHY-ALF")).collect()
        } else {
            quadrants.iter().collect()
        };
        let quadrant = &pool[rng.random_range(0..pool.len())].territory;
        let Some(point) = point_in(quadrant, &registry.locator, &mut rng) else { continue };
        // Skewed towards recent weeks, as an active service's intake is.
        let age: f64 = rng.random::<f64>().powi(2);
        let received_utc = now - Duration::minutes(30 + (age * (days * 24 * 60) as f64) as i64);
        let received_local = received_utc.with_timezone(&zone);
        let (lang, text) = DESCRIPTIONS[rng.random_range(0..DESCRIPTIONS.len())];
        let submission = Submission {
            category: Code::parse(category).expect("demo category codes are valid"),
            description: text.to_owned(),
            location: LocationInput::Point(point),
            lang,
            contact: Some(Contact {
                name: Some(format!("Demo resident {}", rng.random_range(1000..9999))),
                phone: Some(
                    Phone::parse(&format!(
                        "+7 700 000 {:02} {:02}",
                        rng.random_range(0..100),
                        rng.random_range(0..100)
                    ))
                    .expect("synthetic phone"),
                ),
                email: None,
            }),
            consent: true,
            channel: if rng.random_bool(0.2) { Channel::Staff } else { Channel::Web },
        };
        let Ok(Decision::Register(new)) = intake::decide(submission, received_local.naive_local(), context) else {
            continue;
        };
        let at_ms = received_utc.timestamp_millis();
        let workflow = Appeal::register(
            new.agencies.clone(),
            new.location.quadrant.clone(),
            new.location.district.clone(),
            new.clocks,
            at_ms,
            &Actor::Resident,
        );
        let version = new
            .location
            .quadrant
            .as_ref()
            .and_then(|code| quadrants.iter().find(|v| v.territory.code() == code))
            .map(|v| v.version_id);
        let appeal = store
            .create_appeal(
                registry.city_id,
                registry.city.code.as_str(),
                &new,
                &workflow,
                version,
                true,
                None,
                sakshy_store::Attachments::default(),
                at_ms,
            )
            .await?;
        created += 1;
        // Move it along as far as the time since registration allows.
        let today = now.with_timezone(&zone).date_naive();
        let mut day = new.clocks.registered_on;
        let mut current = workflow;
        for agency in new.agencies.clone() {
            let officer = Actor::AgencyOfficer { user: format!("demo:{agency}"), agency: agency.clone() };
            let steps = plan_steps(&mut rng, &agency, current.clocks.extension_limit);
            for action in steps {
                day = next_day(&calendar, day, rng.random_range(0..4));
                if day > today {
                    break;
                }
                let step_at = local_noon(day, zone, &mut rng);
                match current.apply(&officer, &action, step_at, day, &calendar, rules) {
                    Ok(next) => {
                        let stored = next.clone();
                        store
                            .update_appeal(registry.city_id, appeal.appeal_id, step_at, move |_| {
                                Ok::<_, sakshy_store::StorageError>(stored.clone())
                            })
                            .await?;
                        current = next;
                    }
                    Err(_) => break,
                }
            }
        }
        if current.state() == sakshy_core::workflow::AppealState::Answered && rng.random_bool(0.6) {
            let close_day = next_day(&calendar, day, 10);
            if close_day <= today
                && let Ok(next) = current.apply(
                    &Actor::System,
                    &Action::Close,
                    local_noon(close_day, zone, &mut rng),
                    close_day,
                    &calendar,
                    rules,
                )
            {
                store
                    .update_appeal(registry.city_id, appeal.appeal_id, now.timestamp_millis(), move |_| {
                        Ok::<_, sakshy_store::StorageError>(next.clone())
                    })
                    .await?;
            }
        }
    }
    Ok(created)
}

/// What an agency does with its task, drawn at random: most accept, work and answer; some extend, redirect,
/// reject, or stall.
fn plan_steps(rng: &mut StdRng, agency: &Code, extension_limit: NaiveDate) -> Vec<Action> {
    let roll: f64 = rng.random();
    let accept = Action::Accept { agency: agency.clone() };
    let start = Action::Start { agency: agency.clone() };
    let answer = Action::Answer {
        agency: agency.clone(),
        text: "Synthetic answer: the problem was looked into and addressed.".into(),
    };
    if roll < 0.05 {
        vec![Action::Reject {
            agency: agency.clone(),
            reason: "Synthetic: a duplicate of an earlier appeal.".into(),
            duplicate_of: None,
        }]
    } else if roll < 0.10 && agency.as_str() != "POL_UIP" {
        vec![Action::Redirect {
            agency: agency.clone(),
            to: Code::parse("POL_UIP").expect("valid"),
            reason: "Synthetic: outside this agency's competence.".into(),
        }]
    } else if roll < 0.18 {
        vec![
            accept,
            start,
            Action::Extend {
                agency: agency.clone(),
                due: extension_limit,
                reason: "Synthetic: an inspection is needed.".into(),
            },
            answer,
        ]
    } else {
        vec![accept, start, answer]
    }
}

fn next_day(calendar: &WorkingCalendar, day: NaiveDate, working_days: u32) -> NaiveDate {
    calendar.add_working_days(day, working_days).unwrap_or(day)
}

fn local_noon(day: NaiveDate, zone: Tz, rng: &mut StdRng) -> i64 {
    let time = day.and_hms_opt(rng.random_range(9..18), rng.random_range(0..60), 0).expect("valid time");
    time.and_local_timezone(zone).earliest().map_or(0, |t| t.timestamp_millis())
}

/// A random point inside a quadrant, found by rejection sampling in its bounding box.
fn point_in(quadrant: &sakshy_core::Territory, locator: &sakshy_core::Locator, rng: &mut StdRng) -> Option<Point<f64>> {
    let bbox = quadrant.bbox();
    (0..50).find_map(|_| {
        let lon = rng.random_range(bbox.min().x..bbox.max().x);
        let lat = rng.random_range(bbox.min().y..bbox.max().y);
        (locator.quadrant_code_at(lon, lat) == Some(quadrant.code())).then_some(Point::new(lon, lat))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn demo_store(dir: &tempfile::TempDir, name: &str) -> Store {
        let store = Store::connect(&format!("sqlite:{}", dir.path().join(name).display())).await.unwrap();
        store.migrate().await.unwrap();
        store
    }

    /// The appeals' (category, state), oldest first, as the store has them.
    async fn summary(store: &Store) -> Vec<(String, String)> {
        let city = store.city().await.unwrap().unwrap().0;
        let mut rows = store.list_appeals(city, &sakshy_store::AppealFilter::default(), None, 500).await.unwrap();
        rows.reverse();
        assert!(rows.iter().all(|row| row.synthetic), "every seeded appeal is labelled synthetic");
        rows.into_iter().map(|row| (row.category, row.state)).collect()
    }

    #[tokio::test]
    async fn the_demo_seeds_labelled_synthetic_appeals_in_many_states_deterministically() {
        let dir = tempfile::tempdir().unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-25T10:00:00+05:00").unwrap().with_timezone(&Utc);
        let mut summaries = Vec::new();
        for name in ["a.db", "b.db"] {
            let store = demo_store(&dir, name).await;
            crate::demo::load_files(&store).await.unwrap();
            let registry = Registry::load(&store).await.unwrap().unwrap();
            let created = seed_appeals(&store, &registry, 40, 120, now, 7).await.unwrap();
            assert_eq!(created, 40);
            summaries.push(summary(&store).await);
        }
        assert_eq!(summaries[0], summaries[1], "the same seed gives the same appeals");
        let states: std::collections::BTreeSet<&str> = summaries[0].iter().map(|(_, s)| s.as_str()).collect();
        assert!(states.len() >= 4, "{states:?}");
        assert!(summaries[0].iter().all(|(category, _)| MIX.iter().any(|(c, _)| c == category)));
    }
}
