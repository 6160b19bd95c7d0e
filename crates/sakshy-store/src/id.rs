//! Application-generated row ids: time-ordered 63-bit integers, so that no table needs a sequence.

use std::time::{SystemTime, UNIX_EPOCH};

/// A new id: milliseconds since the Unix epoch in the high 41 bits, 22 random bits below.
///
/// Ids sort roughly by creation time, which keeps B-tree inserts local on SQLite and PostgreSQL; a
/// collision needs two ids in the same millisecond with the same 22 random bits (1 in 4 million).
pub(crate) fn new_id() -> i64 {
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    (now_ms << 22) | i64::from(rand::random::<u32>() & 0x3F_FFFF)
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
}
