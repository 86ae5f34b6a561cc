-- Add workflow_id to processes table.
--
-- Revision ID: 048219045729
-- Revises: da5c9f4cce1c
-- Create Date: 2023-12-06 15:33:46.997517
--
-- Replaces processes.workflow (the workflow's name) by processes.workflow_id, a foreign key to workflows, and adds
-- workflows.deleted_at for soft deletes. A process whose workflow no longer exists stops the upgrade with a message
-- naming the processes to back up and delete.
--
-- wfo:revision 048219045729
-- wfo:down_revision da5c9f4cce1c
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
ALTER TABLE processes ADD COLUMN workflow_id uuid;
UPDATE processes SET workflow_id = workflows.workflow_id FROM workflows WHERE processes.workflow = workflows.name;
DO $$
DECLARE
    orphans text;
BEGIN
    SELECT string_agg(pid::text || ' (' || workflow || ')', ', ') INTO orphans FROM processes WHERE workflow_id IS NULL;
    IF orphans IS NOT NULL THEN
        RAISE EXCEPTION 'processes whose workflow no longer exists: %; back them up, delete them and upgrade again', orphans;
    END IF;
END
$$;
ALTER TABLE processes ALTER COLUMN workflow_id SET NOT NULL;
ALTER TABLE processes ADD CONSTRAINT processes_workflow_id_fkey
    FOREIGN KEY (workflow_id) REFERENCES workflows (workflow_id);
ALTER TABLE processes DROP COLUMN workflow;
ALTER TABLE workflows ADD COLUMN deleted_at timestamptz;

-- wfo:downgrade postgres
ALTER TABLE processes ADD COLUMN workflow varchar DEFAULT '' NOT NULL;
UPDATE processes SET workflow = workflows.name FROM workflows WHERE processes.workflow_id = workflows.workflow_id;
ALTER TABLE processes DROP CONSTRAINT processes_workflow_id_fkey;
ALTER TABLE processes DROP COLUMN workflow_id;
ALTER TABLE workflows DROP COLUMN deleted_at;

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
