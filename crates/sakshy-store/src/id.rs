//! Application-generated row ids: time-ordered 63-bit integers, so that no table needs a sequence.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A new id: milliseconds since the Unix epoch in the high 41 bits, and in the low 22 bits a per-process
/// counter that starts at a random value.
///
/// Ids sort by creation time, which keeps B-tree inserts local on SQLite and PostgreSQL, and ids made by one
/// process in the same millisecond still sort in the order they were made. Two processes collide only if they
/// make an id in the same millisecond with counters at the same value (1 in 4 million).
pub(crate) fn new_id() -> i64 {
    static COUNTER: OnceLock<AtomicU32> = OnceLock::new();
    let counter = COUNTER.get_or_init(|| AtomicU32::new(rand::random::<u32>()));
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    (now_ms << 22) | i64::from(counter.fetch_add(1, Ordering::Relaxed) & 0x3F_FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_distinct_and_time_ordered() {
        let first = new_id();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = new_id();
        assert!(first > 0 && second > first);
    }

    #[test]
    fn ids_made_in_one_millisecond_are_distinct() {
        let ids: std::collections::HashSet<i64> = (0..10_000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 10_000);
    }
}
