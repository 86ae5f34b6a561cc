-- Add node and port workflows
--
-- Revision ID: 10a642f569db
-- Revises: 7c3f9a2e6b10
-- Create Date: 2026-11-24 23:32:59.624125
--
-- wfo:revision 10a642f569db
-- wfo:down_revision 7c3f9a2e6b10
-- wfo:branch_labels
-- wfo:depends_on 29bf76c597fe

-- wfo:upgrade
-- Link workflow modify_note (MODIFY) to product type Lag, Node, Port.
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Lag' AND w.name = 'modify_note'
ON CONFLICT DO NOTHING;
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Node' AND w.name = 'modify_note'
ON CONFLICT DO NOTHING;
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Port' AND w.name = 'modify_note'
ON CONFLICT DO NOTHING;

-- Add workflow create_node (CREATE) for product type Node.
INSERT INTO workflows (name, target, description, is_task)
VALUES ('create_node', 'CREATE', 'Create Node', false)
ON CONFLICT (name) DO UPDATE SET deleted_at = NULL;
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Node' AND w.name = 'create_node'
ON CONFLICT DO NOTHING;

-- Add workflow modify_node (MODIFY) for product type Node.
INSERT INTO workflows (name, target, description, is_task)
VALUES ('modify_node', 'MODIFY', 'Modify Node', false)
ON CONFLICT (name) DO UPDATE SET deleted_at = NULL;
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Node' AND w.name = 'modify_node'
ON CONFLICT DO NOTHING;

-- Add workflow terminate_node (TERMINATE) for product type Node.
INSERT INTO workflows (name, target, description, is_task)
VALUES ('terminate_node', 'TERMINATE', 'Terminate Node', false)
ON CONFLICT (name) DO UPDATE SET deleted_at = NULL;
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Node' AND w.name = 'terminate_node'
ON CONFLICT DO NOTHING;

-- Add workflow validate_node (VALIDATE) for product type Node.
INSERT INTO workflows (name, target, description, is_task)
VALUES ('validate_node', 'VALIDATE', 'Validate Node', false)
ON CONFLICT (name) DO UPDATE SET deleted_at = NULL;
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Node' AND w.name = 'validate_node'
ON CONFLICT DO NOTHING;

-- Add workflow create_port (CREATE) for product type Port.
INSERT INTO workflows (name, target, description, is_task)
VALUES ('create_port', 'CREATE', 'Create Port', false)
ON CONFLICT (name) DO UPDATE SET deleted_at = NULL;
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Port' AND w.name = 'create_port'
ON CONFLICT DO NOTHING;

-- Add workflow modify_port (MODIFY) for product type Port.
INSERT INTO workflows (name, target, description, is_task)
VALUES ('modify_port', 'MODIFY', 'Modify Port', false)
ON CONFLICT (name) DO UPDATE SET deleted_at = NULL;
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Port' AND w.name = 'modify_port'
ON CONFLICT DO NOTHING;

-- Add workflow terminate_port (TERMINATE) for product type Port.
INSERT INTO workflows (name, target, description, is_task)
VALUES ('terminate_port', 'TERMINATE', 'Terminate Port', false)
ON CONFLICT (name) DO UPDATE SET deleted_at = NULL;
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Port' AND w.name = 'terminate_port'
ON CONFLICT DO NOTHING;

-- Add workflow validate_port (VALIDATE) for product type Port.
INSERT INTO workflows (name, target, description, is_task)
VALUES ('validate_port', 'VALIDATE', 'Validate Port', false)
ON CONFLICT (name) DO UPDATE SET deleted_at = NULL;
INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id FROM products p CROSS JOIN workflows w
WHERE p.product_type = 'Port' AND w.name = 'validate_port'
ON CONFLICT DO NOTHING;

-- wfo:downgrade
-- Remove workflow validate_port (VALIDATE) of product type Port.
DELETE FROM products_workflows WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'validate_port');
UPDATE workflows SET deleted_at = CURRENT_TIMESTAMP
WHERE name = 'validate_port' AND EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);
DELETE FROM workflows
WHERE name = 'validate_port' AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);

-- Remove workflow terminate_port (TERMINATE) of product type Port.
DELETE FROM products_workflows WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'terminate_port');
UPDATE workflows SET deleted_at = CURRENT_TIMESTAMP
WHERE name = 'terminate_port' AND EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);
DELETE FROM workflows
WHERE name = 'terminate_port' AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);

-- Remove workflow modify_port (MODIFY) of product type Port.
DELETE FROM products_workflows WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'modify_port');
UPDATE workflows SET deleted_at = CURRENT_TIMESTAMP
WHERE name = 'modify_port' AND EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);
DELETE FROM workflows
WHERE name = 'modify_port' AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);

-- Remove workflow create_port (CREATE) of product type Port.
DELETE FROM products_workflows WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'create_port');
UPDATE workflows SET deleted_at = CURRENT_TIMESTAMP
WHERE name = 'create_port' AND EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);
DELETE FROM workflows
WHERE name = 'create_port' AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);

-- Remove workflow validate_node (VALIDATE) of product type Node.
DELETE FROM products_workflows WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'validate_node');
UPDATE workflows SET deleted_at = CURRENT_TIMESTAMP
WHERE name = 'validate_node' AND EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);
DELETE FROM workflows
WHERE name = 'validate_node' AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);

-- Remove workflow terminate_node (TERMINATE) of product type Node.
DELETE FROM products_workflows WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'terminate_node');
UPDATE workflows SET deleted_at = CURRENT_TIMESTAMP
WHERE name = 'terminate_node' AND EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);
DELETE FROM workflows
WHERE name = 'terminate_node' AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);

-- Remove workflow modify_node (MODIFY) of product type Node.
DELETE FROM products_workflows WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'modify_node');
UPDATE workflows SET deleted_at = CURRENT_TIMESTAMP
WHERE name = 'modify_node' AND EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);
DELETE FROM workflows
WHERE name = 'modify_node' AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);

-- Remove workflow create_node (CREATE) of product type Node.
DELETE FROM products_workflows WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'create_node');
UPDATE workflows SET deleted_at = CURRENT_TIMESTAMP
WHERE name = 'create_node' AND EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);
DELETE FROM workflows
WHERE name = 'create_node' AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.workflow_id = workflows.workflow_id);

-- Remove workflow modify_note (MODIFY) from product type Lag, Node, Port.
DELETE FROM products_workflows
WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'modify_note')
  AND product_id IN (SELECT product_id FROM products WHERE product_type = 'Lag');
DELETE FROM products_workflows
WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'modify_note')
  AND product_id IN (SELECT product_id FROM products WHERE product_type = 'Node');
DELETE FROM products_workflows
WHERE workflow_id IN (SELECT workflow_id FROM workflows WHERE name = 'modify_note')
  AND product_id IN (SELECT product_id FROM products WHERE product_type = 'Port');
