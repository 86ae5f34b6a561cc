-- Add generic workflows to core.
--
-- Revision ID: a76b9185b334
-- Revises: c112305b07d3
-- Create Date: 2020-10-19 09:17:49.395612
--
-- Inserts the core's first workflows: modify_note and the tasks task_clean_up_tasks and task_resume_workflows.
-- They come out with is_task false once 161918133bec adds that column, as in the reference; 9736496e3eba makes the
-- tasks tasks.
--
-- wfo:revision a76b9185b334
-- wfo:down_revision c112305b07d3
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade
INSERT INTO workflows (name, target, description) VALUES ('modify_note', 'MODIFY', 'Modify Note') ON CONFLICT DO NOTHING;
INSERT INTO workflows (name, target, description) VALUES ('task_clean_up_tasks', 'SYSTEM', 'Clean up old tasks') ON CONFLICT DO NOTHING;
INSERT INTO workflows (name, target, description) VALUES ('task_resume_workflows', 'SYSTEM', 'Resume all workflows that are stuck on tasks with the status ''waiting''') ON CONFLICT DO NOTHING;

-- wfo:downgrade
DELETE FROM workflows WHERE name = 'modify_note';
DELETE FROM workflows WHERE name = 'task_clean_up_tasks';
DELETE FROM workflows WHERE name = 'task_resume_workflows';
