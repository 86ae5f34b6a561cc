-- Validate Product Type.
--
-- Revision ID: 4fjdn13f83ga
-- Revises: 4c5859620539
-- Create Date: 2025-10-13 16:21:43.956814
--
-- Inserts the task task_validate_product_type (is_task false until aa1b92d0d07d).
--
-- wfo:revision 4fjdn13f83ga
-- wfo:down_revision 4c5859620539
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade
INSERT INTO workflows (name, target, description) VALUES ('task_validate_product_type', 'SYSTEM', 'Validate all subscriptions of Product Type') ON CONFLICT DO NOTHING;

-- wfo:downgrade
DELETE FROM workflows WHERE name = 'task_validate_product_type';
