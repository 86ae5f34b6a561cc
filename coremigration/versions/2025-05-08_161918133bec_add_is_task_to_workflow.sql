-- Add is_task to workflow.
--
-- Revision ID: 161918133bec
-- Revises: 68d14db1b8da
-- Create Date: 2025-05-08 11:25:51.966410
--
-- Adds workflows.is_task (false). As in the reference, the core's tasks stay false here; 9736496e3eba and
-- aa1b92d0d07d correct them.
--
-- wfo:revision 161918133bec
-- wfo:down_revision 68d14db1b8da
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
ALTER TABLE workflows ADD COLUMN is_task boolean DEFAULT false NOT NULL;

-- wfo:downgrade postgres
ALTER TABLE workflows DROP COLUMN is_task;

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
