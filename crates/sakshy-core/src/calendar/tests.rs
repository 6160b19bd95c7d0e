//! Tests of the working-day calendar: the shipped Kazakhstan years against published counts, APPK terms worked
//! out by hand, registration after hours, parse errors, and the add/between inverse as a property.

use super::*;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, hour: u32, minute: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(hour, minute, 0).unwrap()
}

fn kz() -> WorkingCalendar {
    WorkingCalendar::kazakhstan()
}

fn working_days_in(calendar: &WorkingCalendar, first: NaiveDate, last: NaiveDate) -> usize {
    first.iter_days().take_while(|day| *day <= last).filter(|day| calendar.is_working_day(*day).unwrap()).count()
}

const HEADER: &str = "# a comment\n# another\ndate,kind,name_kk,name_ru,name_en\n";

fn parse_row(row: &str) -> Result<CalendarYear, CalendarError> {
    CalendarYear::parse(2026, &format!("{HEADER}{row}\n"))
}

#[test]
fn the_shipped_calendar_covers_2025_to_2027() {
    let calendar = kz();
    assert_eq!((calendar.first_year(), calendar.last_year()), (2025, 2027));
}

#[test]
fn working_day_counts_match_the_published_calendars() {
    let calendar = kz();
    // 2025: 246 working days, 119 days of rest on a five-day week (production calendar 2025).
    assert_eq!(working_days_in(&calendar, date(2025, 1, 1), date(2025, 12, 31)), 246);
    // 2026: published as 246 in December 2025; 30 August stopped being a holiday after the 15 March 2026
    // referendum, so Monday 31 August is a working day and the year has 247 (see the 2026 file's header).
    assert_eq!(working_days_in(&calendar, date(2026, 1, 1), date(2026, 12, 31)), 247);
    // January 2026: 19 working days, 12 days of rest.
    assert_eq!(working_days_in(&calendar, date(2026, 1, 1), date(2026, 1, 31)), 19);
    // 2027: Labour Code transfers only (orders not yet published), Kurban Ait on a Sunday.
    assert_eq!(working_days_in(&calendar, date(2027, 1, 1), date(2027, 12, 31)), 247);
    // The same count through working_days_between, which excludes its first date.
    assert_eq!(calendar.working_days_between(date(2025, 12, 31), date(2026, 12, 31)), Ok(247));
}

#[test]
fn transfers_and_orders_are_applied() {
    let calendar = kz();
    let working = |y, m, d| calendar.is_working_day(date(y, m, d)).unwrap();
    assert!(!working(2025, 1, 3), "Friday 3 Jan 2025: day off moved from Sunday 5 Jan by order");
    assert!(working(2025, 1, 5), "Sunday 5 Jan 2025: working day by the same order");
    assert!(!working(2025, 3, 10), "8 March 2025 was a Saturday");
    assert!(!working(2026, 1, 7), "Orthodox Christmas");
    assert!(!working(2026, 3, 9), "8 March 2026 was a Sunday");
    assert!(!working(2026, 3, 24) && !working(2026, 3, 25), "Nauryz 21-22 March 2026 fell on a weekend");
    assert!(working(2026, 3, 26));
    assert!(!working(2026, 5, 11), "9 May 2026 was a Saturday");
    assert!(!working(2026, 5, 27), "Kurban Ait 2026");
    assert!(working(2026, 8, 31), "30 August is no longer Constitution Day");
    assert!(!working(2027, 1, 4), "2 January 2027 is a Saturday");
    assert!(!working(2027, 3, 15), "Constitution Day from 2027");
    assert!(working(2027, 8, 30));
    assert!(working(2026, 2, 10) && !working(2026, 2, 14), "an ordinary Tuesday and Saturday");
}

#[test]
fn fifteen_working_days_from_just_before_nauryz_2026() {
    let calendar = kz();
    let registered = date(2026, 3, 20); // Friday
    // Not counted: 21-22 (weekend), 23 (Nauryz), 24-25 (transferred days off).
    // 1: Thu 26, 2: Fri 27, 3: Mon 30, 4: Tue 31 March, 5: Wed 1, 6: Thu 2, 7: Fri 3, 8: Mon 6, 9: Tue 7,
    // 10: Wed 8, 11: Thu 9, 12: Fri 10, 13: Mon 13, 14: Tue 14, 15: Wed 15 April.
    assert_eq!(calendar.add_working_days(registered, 15), Ok(date(2026, 4, 15)));
    assert_eq!(calendar.add_working_days(registered, 3), Ok(date(2026, 3, 30)), "redirect within 3 working days");
    assert_eq!(calendar.add_working_days(registered, 0), Ok(registered));
    assert_eq!(calendar.working_days_between(registered, date(2026, 4, 15)), Ok(15));
    // The worked example in the docs of add_working_days.
    assert_eq!(calendar.add_working_days(date(2026, 2, 2), 15), Ok(date(2026, 2, 23)));
    // Starting on a non-working day: the first working day after Sunday 22 March is Thursday 26.
    assert_eq!(calendar.add_working_days(date(2026, 3, 22), 1), Ok(date(2026, 3, 26)));
}

#[test]
fn next_working_day_skips_holidays_and_transfers() {
    let calendar = kz();
    assert_eq!(calendar.next_working_day_on_or_after(date(2026, 3, 21)), Ok(date(2026, 3, 26)));
    assert_eq!(calendar.next_working_day_on_or_after(date(2026, 3, 20)), Ok(date(2026, 3, 20)));
    assert!(calendar.next_working_day_on_or_after(date(2024, 12, 31)).is_err());
}

#[test]
fn registration_moves_after_hours_and_non_working_days_to_the_next_working_day() {
    let calendar = kz();
    let office = OpeningHours::parse("Mo-Fr 09:00-13:00,14:00-18:00").unwrap();
    let register = |when| calendar.registration_date(when, &office).unwrap();
    // Friday 20 March 2026, a working day.
    assert_eq!(register(at(2026, 3, 20, 7, 30)), date(2026, 3, 20), "before opening: the same day");
    assert_eq!(register(at(2026, 3, 20, 13, 30)), date(2026, 3, 20), "lunch break: the same day");
    assert_eq!(register(at(2026, 3, 20, 17, 59)), date(2026, 3, 20));
    assert_eq!(register(at(2026, 3, 20, 18, 0)), date(2026, 3, 26), "closing time is exclusive; Nauryz follows");
    assert_eq!(register(at(2026, 3, 20, 18, 30)), date(2026, 3, 26));
    // Saturday 7 March 2026: Sunday 8 is the holiday, Monday 9 its day off, so Tuesday 10.
    assert_eq!(register(at(2026, 3, 7, 10, 0)), date(2026, 3, 10));
    // Monday 23 March 2026 (Nauryz) during what would be office hours.
    assert_eq!(register(at(2026, 3, 23, 10, 0)), date(2026, 3, 26));
    // Sunday 5 January 2025 was a working day by order: an office open Mo-Fr only counts it as after hours.
    assert_eq!(register(at(2025, 1, 5, 10, 0)), date(2025, 1, 6));
    let every_day = OpeningHours::parse("Mo-Su 09:00-18:00").unwrap();
    assert_eq!(calendar.registration_date(at(2025, 1, 5, 10, 0), &every_day), Ok(date(2025, 1, 5)));
    let always = OpeningHours::always();
    assert_eq!(calendar.registration_date(at(2026, 3, 20, 23, 59), &always), Ok(date(2026, 3, 20)));
    assert_eq!(calendar.registration_date(at(2026, 3, 21, 12, 0), &always), Ok(date(2026, 3, 26)));
}

#[test]
fn extension_limit_is_two_calendar_months() {
    assert_eq!(extension_limit(date(2026, 3, 20)), date(2026, 5, 20));
    assert_eq!(extension_limit(date(2025, 12, 31)), date(2026, 2, 28), "clamped to the end of February");
    assert_eq!(extension_limit(date(2027, 12, 31)), date(2028, 2, 29), "leap year");
}

#[test]
fn holidays_are_named_in_three_languages() {
    let calendar = kz();
    let nauryz = calendar.holiday(date(2026, 3, 21)).unwrap().unwrap();
    assert_eq!(nauryz.kind(), DayKind::Holiday);
    assert_eq!(nauryz.date(), date(2026, 3, 21));
    assert_eq!(nauryz.name().kk(), "Наурыз мейрамы");
    assert_eq!(nauryz.name().en(), "Nauryz");
    let unity = calendar.holiday(date(2027, 5, 1)).unwrap().unwrap();
    assert_eq!(unity.name().kk(), "Қазақстан халқының бірлігі мерекесі");
    assert_eq!(calendar.holiday(date(2026, 3, 24)).unwrap().map(Holiday::kind), Some(DayKind::DayOff));
    assert_eq!(calendar.holiday(date(2025, 1, 5)).unwrap().map(Holiday::kind), Some(DayKind::WorkingDay));
    assert_eq!(calendar.holiday(date(2026, 2, 10)), Ok(None));
    assert_eq!(calendar.holiday(date(2026, 8, 30)), Ok(None));
}

#[test]
fn dates_outside_the_calendar_are_errors() {
    let calendar = kz();
    let outside = |date| CalendarError::OutOfRange { date, first_year: 2025, last_year: 2027 };
    assert_eq!(calendar.is_working_day(date(2024, 12, 31)), Err(outside(date(2024, 12, 31))));
    assert_eq!(calendar.is_working_day(date(2028, 1, 1)), Err(outside(date(2028, 1, 1))));
    assert_eq!(calendar.holiday(date(2028, 1, 1)), Err(outside(date(2028, 1, 1))));
    // The answer would lie in 2028: the error names the first uncovered date.
    assert_eq!(calendar.add_working_days(date(2027, 12, 28), 5), Err(outside(date(2028, 1, 1))));
    assert_eq!(calendar.add_working_days(date(2027, 12, 28), u32::MAX), Err(outside(date(2028, 1, 1))));
    assert_eq!(calendar.working_days_between(date(2026, 1, 1), date(2028, 1, 2)), Err(outside(date(2028, 1, 2))));
    let office = OpeningHours::parse("Mo-Fr 09:00-18:00").unwrap();
    assert_eq!(calendar.registration_date(at(2027, 12, 31, 19, 0), &office), Err(outside(date(2028, 1, 1))));
    assert_eq!(
        outside(date(2024, 12, 31)).to_string(),
        "2024-12-31 is outside the working-day calendar, which covers 2025 to 2027"
    );
}

#[test]
fn between_is_zero_when_to_is_not_after_from() {
    let calendar = kz();
    assert_eq!(calendar.working_days_between(date(2026, 3, 20), date(2026, 3, 20)), Ok(0));
    assert_eq!(calendar.working_days_between(date(2026, 4, 15), date(2026, 3, 20)), Ok(0));
}

#[test]
fn parse_errors_name_line_and_column() {
    // Lines 1-2 are comments and line 3 the header: the first record is line 4.
    let err = parse_row("2026-13-01,holiday,a,b,c").unwrap_err();
    assert_eq!(err, CalendarError::BadDate { line: 4, value: "2026-13-01".into() });
    assert_eq!(err.to_string(), "line 4, column date: \"2026-13-01\" is not a date (use YYYY-MM-DD)");
    assert_eq!(
        parse_row("2025-03-21,holiday,a,b,c"),
        Err(CalendarError::WrongYear { line: 4, date: date(2025, 3, 21), year: 2026 })
    );
    let err = parse_row("2026-03-21,holliday,a,b,c").unwrap_err();
    assert_eq!(err.to_string(), "line 4, column kind: unknown kind \"holliday\": use holiday, day_off or working_day");
    assert_eq!(
        parse_row("2026-03-20,working_day,a,b,c"),
        Err(CalendarError::WorkingDayOnWeekday { line: 4, date: date(2026, 3, 20), weekday: Weekday::Fri })
    );
    assert_eq!(
        parse_row("2026-03-21,day_off,a,b,c").unwrap_err().to_string(),
        "line 4, column kind: 2026-03-21 is a Sat: day_off is only for a Monday to Friday"
    );
    let err = parse_row("2026-03-23,holiday,a,b,c\n# comment\n2026-03-23,day_off,a,b,c").unwrap_err();
    assert_eq!(err, CalendarError::DuplicateDate { line: 6, date: date(2026, 3, 23), first_line: 4 });
    assert_eq!(err.to_string(), "line 6, column date: 2026-03-23 is already listed on line 4");
    assert_eq!(
        parse_row("2026-03-23,holiday,a, ,c").unwrap_err().to_string(),
        "line 4, column name_ru: the name is empty"
    );
    assert_eq!(
        CalendarYear::parse(2026, "# c\ndate,kind,name_kk,name_en\n"),
        Err(CalendarError::MissingColumn { line: 2, column: "name_ru" })
    );
    assert_eq!(
        parse_row("2026-03-23,holiday,a,b,c\n# comment\n2026-03-24,day_off,a,b").unwrap_err().to_string(),
        "line 6: 4 fields where the header has 5"
    );
    assert_eq!(CalendarYear::parse(i32::MAX, HEADER), Err(CalendarError::UnsupportedYear { year: i32::MAX }));
}

#[test]
fn a_parsed_year_is_sorted_and_keeps_extra_columns_out() {
    let text = "date,name_en,kind,name_kk,name_ru,note\n\
                2026-12-16,Independence Day,holiday,Тәуелсіздік күні,День Независимости,x\n\
                2026-01-01,New Year,holiday,Жаңа жыл,Новый год,\n";
    let year = CalendarYear::parse(2026, text).unwrap();
    assert_eq!(year.year(), 2026);
    let dates: Vec<NaiveDate> = year.days().iter().map(Holiday::date).collect();
    assert_eq!(dates, vec![date(2026, 1, 1), date(2026, 12, 16)]);
    assert_eq!(year.days()[1].name().ru(), "День Независимости");
}

#[test]
fn years_must_be_distinct_and_consecutive() {
    let empty = |year| CalendarYear::parse(year, "date,kind,name_kk,name_ru,name_en\n").unwrap();
    assert_eq!(WorkingCalendar::new(Vec::new()), Err(CalendarError::NoYears));
    assert_eq!(WorkingCalendar::new(vec![empty(2026), empty(2026)]), Err(CalendarError::DuplicateYear { year: 2026 }));
    assert_eq!(
        WorkingCalendar::new(vec![empty(2027), empty(2025)]),
        Err(CalendarError::MissingYear { year: 2026, first_year: 2025, last_year: 2027 })
    );
    // Without listed dates a year is Monday to Friday: 2026 has 261 weekdays.
    let plain = WorkingCalendar::new(vec![empty(2026)]).unwrap();
    assert_eq!(plain.working_days_between(date(2026, 1, 1), date(2026, 12, 31)), Ok(260), "1 January excluded");
}

proptest! {
    #[test]
    fn add_and_between_are_inverse_and_add_is_monotone(offset in 0u64..1064, n in 0u32..60) {
        // 2025-01-01 plus 0..1064 days covers 2025-01-01 to 2027-11-30.
        let calendar = kz();
        let start = date(2025, 1, 1) + chrono::Days::new(offset);
        let last = date(2027, 12, 31);
        let left_in_calendar = calendar.working_days_between(start, last).unwrap();
        for k in [n, n + 1] {
            if k > left_in_calendar {
                // The answer would lie in 2028: an error, never a guess.
                let outside = CalendarError::OutOfRange { date: date(2028, 1, 1), first_year: 2025, last_year: 2027 };
                prop_assert_eq!(calendar.add_working_days(start, k), Err(outside));
            }
        }
        prop_assume!(n < left_in_calendar);
        let end = calendar.add_working_days(start, n).unwrap();
        prop_assert_eq!(calendar.working_days_between(start, end), Ok(n));
        let next = calendar.add_working_days(start, n + 1).unwrap();
        prop_assert!(next > end);
        prop_assert!(calendar.is_working_day(next).unwrap());
        prop_assert_eq!(calendar.working_days_between(start, next), Ok(n + 1));
        prop_assert_eq!(calendar.working_days_between(end, next), Ok(1));
    }
}
