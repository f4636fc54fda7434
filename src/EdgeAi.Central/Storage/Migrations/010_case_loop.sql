-- Central schema 010 (SQLite and PostgreSQL, column types filled by the dialect; numbered apart from 002-009 so that migrations other branches add meanwhile keep their numbers): the city's case loop. Review before filing, the grid and department a case is routed to,
-- its deadline and supervision, the platform's evaluation. Times are Unix milliseconds (UTC).
ALTER TABLE incidents ADD COLUMN grid_code TEXT NULL;

ALTER TABLE cases ADD COLUMN device_id TEXT NULL;           -- the camera that opened the incident (dismissal counts)
ALTER TABLE cases ADD COLUMN camera_id TEXT NULL;
ALTER TABLE cases ADD COLUMN model TEXT NULL;               -- "name version" of the detector that fired
ALTER TABLE cases ADD COLUMN rule TEXT NULL;                -- the scenario rule that fired
ALTER TABLE cases ADD COLUMN review_policy TEXT NULL;       -- file | hold | record, decided when the case was opened
ALTER TABLE cases ADD COLUMN review_due_at {int} NULL;      -- a held case not reviewed by then follows review.timeout_action
ALTER TABLE cases ADD COLUMN reviewed_at {int} NULL;
ALTER TABLE cases ADD COLUMN reviewed_by TEXT NULL;         -- operator, or "timeout"
ALTER TABLE cases ADD COLUMN review_outcome TEXT NULL;      -- confirmed | dismissed
ALTER TABLE cases ADD COLUMN review_reason TEXT NULL;       -- dismissal reason: false_detection | duplicate | not_in_scope | other
ALTER TABLE cases ADD COLUMN review_note TEXT NULL;
ALTER TABLE cases ADD COLUMN grid_code TEXT NULL;
ALTER TABLE cases ADD COLUMN department TEXT NULL;
ALTER TABLE cases ADD COLUMN deadline_at {int} NULL;        -- 办结时限: set when the case goes to the platform
ALTER TABLE cases ADD COLUMN escalated_at {int} NULL;       -- 督办: overdue or reopened too often
ALTER TABLE cases ADD COLUMN escalation TEXT NULL;
ALTER TABLE cases ADD COLUMN reopen_count {int} NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN evaluation TEXT NULL;          -- 评价 sent by the platform (e.g. satisfied | basically_satisfied | dissatisfied)
ALTER TABLE cases ADD COLUMN evaluation_note TEXT NULL;
ALTER TABLE cases ADD COLUMN closed_at {int} NULL;

CREATE INDEX ix_cases_review_due ON cases (state, review_due_at);
CREATE INDEX ix_cases_deadline ON cases (deadline_at, escalated_at);
CREATE INDEX ix_cases_grid ON cases (grid_code);
