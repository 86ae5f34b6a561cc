-- Add the task task_validate_subscriptions.
--
-- Revision ID: 29bf76c597fe
-- Revises: 850dccac3b02
-- Create Date: 2026-11-24 12:00:00.000000
--
-- Registers the core task task_validate_subscriptions ("Validate subscriptions"), which orchestrator-core added
-- after 4.3.0 (in its revision 961eddbd4c13, together with tables for its scheduler that wfo does not need). It is
-- inserted as a task (is_task true). The downgrade removes it; it fails while processes of the task exist, as
-- orchestrator-core's delete_workflow does.
--
-- wfo:revision 29bf76c597fe
-- wfo:down_revision 850dccac3b02
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
INSERT INTO workflows (name, target, description, is_task)
VALUES ('task_validate_subscriptions', 'SYSTEM', 'Validate subscriptions', true);

-- wfo:downgrade postgres
DELETE FROM workflows WHERE name = 'task_validate_subscriptions';

-- wfo:upgrade sqlite
INSERT INTO workflows (name, target, description, is_task)
VALUES ('task_validate_subscriptions', 'SYSTEM', 'Validate subscriptions', 1);

-- wfo:downgrade sqlite
DELETE FROM workflows WHERE name = 'task_validate_subscriptions';
