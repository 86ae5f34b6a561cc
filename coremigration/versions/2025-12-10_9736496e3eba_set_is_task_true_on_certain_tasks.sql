-- Set is_task=true on certain tasks.
--
-- Revision ID: 9736496e3eba
-- Revises: 961eddbd4c13
-- Create Date: 2025-12-10 16:42:29.060382
--
-- Makes task_clean_up_tasks, task_resume_workflows, task_validate_products and task_validate_subscriptions tasks
-- (is_task true). task_validate_product_type follows in aa1b92d0d07d; past processes keep their is_task. No
-- downgrade, as in the reference.
--
-- wfo:revision 9736496e3eba
-- wfo:down_revision 961eddbd4c13
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade
UPDATE workflows SET is_task = true WHERE name = 'task_clean_up_tasks' AND is_task = false;
UPDATE workflows SET is_task = true WHERE name = 'task_resume_workflows' AND is_task = false;
UPDATE workflows SET is_task = true WHERE name = 'task_validate_products' AND is_task = false;
UPDATE workflows SET is_task = true WHERE name = 'task_validate_subscriptions' AND is_task = false;

-- wfo:downgrade
-- Nothing to undo.
