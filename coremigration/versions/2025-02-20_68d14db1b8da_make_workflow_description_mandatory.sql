-- Make workflow description mandatory.
--
-- Revision ID: 68d14db1b8da
-- Revises: fc5c993a4b4a
-- Create Date: 2025-02-20 16:39:34.889953
--
-- workflows.description becomes NOT NULL; a workflow without a description stops the upgrade with a message.
--
-- wfo:revision 68d14db1b8da
-- wfo:down_revision fc5c993a4b4a
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM workflows WHERE description IS NULL) THEN
        RAISE EXCEPTION 'workflows without a description: %; write a revision that fills workflows.description first',
            (SELECT string_agg(name, ', ' ORDER BY name) FROM workflows WHERE description IS NULL);
    END IF;
END
$$;
ALTER TABLE workflows ALTER COLUMN description SET NOT NULL;

-- wfo:downgrade postgres
ALTER TABLE workflows ALTER COLUMN description DROP NOT NULL;

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
