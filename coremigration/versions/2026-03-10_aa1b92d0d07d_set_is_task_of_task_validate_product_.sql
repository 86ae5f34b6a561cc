-- set is_task of task_validate_product_type to true.
--
-- Revision ID: aa1b92d0d07d
-- Revises: d69e10434a04
-- Create Date: 2026-03-10 14:03:36.981457
--
-- Makes task_validate_product_type a task. No downgrade, as in the reference.
--
-- wfo:revision aa1b92d0d07d
-- wfo:down_revision d69e10434a04
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade
UPDATE workflows SET is_task = true WHERE name = 'task_validate_product_type';

-- wfo:downgrade
-- Nothing to undo.
