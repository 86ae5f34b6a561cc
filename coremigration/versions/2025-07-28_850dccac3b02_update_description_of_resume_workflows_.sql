-- Update description of resume workflows task.
--
-- Revision ID: 850dccac3b02
-- Revises: 93fc5834c7e5
-- Create Date: 2025-07-28 15:38:57.211087
--
-- The head of orchestrator-core 4.3.0 to 4.6.5: task_resume_workflows gets its new description. A database built
-- by earlier wfo versions, whose one revision created the whole 4.3.0 schema under this id, is at this revision
-- too.
--
-- wfo:revision 850dccac3b02
-- wfo:down_revision 93fc5834c7e5
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade
UPDATE workflows
SET description = 'Resume all workflows that are stuck on tasks with the status ''waiting'', ''created'' or ''resumed'''
WHERE name = 'task_resume_workflows';

-- wfo:downgrade
UPDATE workflows
SET description = 'Resume all workflows that are stuck on tasks with the status ''waiting'''
WHERE name = 'task_resume_workflows';
