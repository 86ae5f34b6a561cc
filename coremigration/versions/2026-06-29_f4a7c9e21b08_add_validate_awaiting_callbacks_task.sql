-- Add Validate Awaiting Callbacks task.
--
-- Revision ID: f4a7c9e21b08
-- Revises: cab8b6a0ac92
-- Create Date: 2026-06-29 09:00:00.000000
--
-- The head of orchestrator-core 5.1.1 and 5.1.2. Inserts the task task_validate_awaiting_callbacks, a task from the
-- start (is_task true), which fails processes whose callback step waited longer than its timeout. An existing row
-- of that name is kept. The downgrade deletes the row by name.
--
-- wfo:revision f4a7c9e21b08
-- wfo:down_revision cab8b6a0ac92
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade
INSERT INTO workflows (name, target, is_task, description) VALUES ('task_validate_awaiting_callbacks', 'SYSTEM', true, 'Fail callback steps that exceeded their timeout') ON CONFLICT DO NOTHING;

-- wfo:downgrade
DELETE FROM workflows WHERE name = 'task_validate_awaiting_callbacks';
