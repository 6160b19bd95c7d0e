-- The officer (badge) an agency gave its task to.

ALTER TABLE appeal_task ADD COLUMN assignee TEXT;
