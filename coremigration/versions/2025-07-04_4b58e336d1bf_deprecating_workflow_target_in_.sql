-- Deprecating workflow target in ProcessSubscriptionTable.
--
-- Revision ID: 4b58e336d1bf
-- Revises: 161918133bec
-- Create Date: 2025-07-04 15:27:23.814954
--
-- processes_subscriptions.workflow_target may be NULL.
--
-- wfo:revision 4b58e336d1bf
-- wfo:down_revision 161918133bec
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
ALTER TABLE processes_subscriptions ALTER COLUMN workflow_target DROP NOT NULL;

-- wfo:downgrade postgres
ALTER TABLE processes_subscriptions ALTER COLUMN workflow_target SET NOT NULL;

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
