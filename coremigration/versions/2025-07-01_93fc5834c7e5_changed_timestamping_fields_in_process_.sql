-- Changed timestamping fields in process_steps.
--
-- Revision ID: 93fc5834c7e5
-- Revises: 4b58e336d1bf
-- Create Date: 2025-07-01 14:20:44.755694
--
-- process_steps.executed_at becomes completed_at, and a new started_at is filled from the step before (or the
-- process's start for the first step).
--
-- wfo:revision 93fc5834c7e5
-- wfo:down_revision 4b58e336d1bf
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
ALTER TABLE process_steps ADD COLUMN started_at timestamptz DEFAULT statement_timestamp() NOT NULL;
ALTER TABLE process_steps RENAME COLUMN executed_at TO completed_at;
UPDATE process_steps AS s
SET started_at = coalesce(
    (SELECT max(b.completed_at) FROM process_steps AS b WHERE b.pid = s.pid AND b.completed_at < s.completed_at),
    (SELECT p.started_at FROM processes AS p WHERE p.pid = s.pid));

-- wfo:downgrade postgres
ALTER TABLE process_steps DROP COLUMN started_at;
ALTER TABLE process_steps RENAME COLUMN completed_at TO executed_at;

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
