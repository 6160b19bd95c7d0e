-- Indexes for the staff queue's newest-first order, alone and under its most common filters.

CREATE INDEX appeal_by_created ON appeal (city_id, created_at, appeal_id);
CREATE INDEX appeal_by_state_created ON appeal (city_id, state, created_at, appeal_id);
CREATE INDEX appeal_task_by_agency_appeal ON appeal_task (city_id, agency_code, appeal_id);
