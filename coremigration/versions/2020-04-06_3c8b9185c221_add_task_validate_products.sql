-- Add task_validate_products.
--
-- Revision ID: 3c8b9185c221
-- Revises: 3323bcb934e7
-- Create Date: 2020-04-06 09:17:49.395612
--
-- Inserts the task task_validate_products (is_task false until 9736496e3eba).
--
-- wfo:revision 3c8b9185c221
-- wfo:down_revision 3323bcb934e7
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade
INSERT INTO workflows (name, target, description) VALUES ('task_validate_products', 'SYSTEM', 'Validate products') ON CONFLICT DO NOTHING;

-- wfo:downgrade
DELETE FROM workflows WHERE name = 'task_validate_products';
