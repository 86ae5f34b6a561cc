/*
 * Header block comment; it is not a statement.
 * /* A nested comment; PostgreSQL allows this. */
 * Still in the outer comment;
 */

-- A line comment with a ; and a quote: it's fine.
ALTER TABLE workflows ADD COLUMN is_task boolean /* default; set below */ NOT NULL DEFAULT false;

UPDATE workflows
   SET is_task = true  -- tasks are workflows too; mark them
 WHERE name LIKE 'task\_%' /* outer /* inner; */ still outer; */;

/* only a comment; */ ;

DROP INDEX IF EXISTS ix_workflows_name;
