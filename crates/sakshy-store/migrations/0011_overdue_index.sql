-- The overdue queue walks the newest-first index until it has a page of appeals past their due date. With the
-- state and due date in that index, each step is checked on the index entry alone (SQLite defers the table
-- read until a row qualifies; PostgreSQL can scan it index-only), instead of reading every recent appeal's row.

DROP INDEX appeal_by_created;
CREATE INDEX appeal_by_created ON appeal (city_id, created_at, appeal_id, state, due_on);
