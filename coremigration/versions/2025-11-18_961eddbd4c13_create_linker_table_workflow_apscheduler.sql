-- Create linker table workflow_apscheduler.
--
-- Revision ID: 961eddbd4c13
-- Revises: 850dccac3b02
-- Create Date: 2025-11-18 10:38:57.211087
--
-- Creates apscheduler_jobs (when the reference's scheduler has not created it already) and the table
-- workflows_apscheduler_jobs linking schedules to workflows, and inserts the task task_validate_subscriptions. As in
-- the reference, the task comes out with is_task false; 9736496e3eba corrects it. wfo's scheduler does not use
-- these tables, so SQLite gets only the task.
--
-- This revision replaces 29bf76c597fe, which earlier wfo builds wrote to add the same task: a database or a data
-- revision naming that id is treated as naming this one, and since every statement here may run again, running
-- the upgrade once more brings such a database onto the reference's chain.
--
-- wfo:revision 961eddbd4c13
-- wfo:down_revision 850dccac3b02
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:replaces 29bf76c597fe
-- wfo:transaction per-revision

-- wfo:upgrade postgres
CREATE TABLE IF NOT EXISTS apscheduler_jobs (
    id            varchar(191)     NOT NULL,
    next_run_time double precision,
    job_state     bytea            NOT NULL,
    CONSTRAINT apscheduler_jobs_pkey PRIMARY KEY (id)
);
-- The unique constraint repeats the primary key, so PostgreSQL keeps only one of them, under this name.
CREATE TABLE IF NOT EXISTS workflows_apscheduler_jobs (
    workflow_id uuid         NOT NULL,
    schedule_id varchar(512) NOT NULL,
    PRIMARY KEY (workflow_id, schedule_id),
    CONSTRAINT fk_workflow FOREIGN KEY (workflow_id) REFERENCES public.workflows (workflow_id) ON DELETE CASCADE,
    CONSTRAINT fk_schedule FOREIGN KEY (schedule_id) REFERENCES public.apscheduler_jobs (id) ON DELETE CASCADE,
    CONSTRAINT uq_workflow_schedule UNIQUE (workflow_id, schedule_id)
);
CREATE INDEX IF NOT EXISTS ix_workflows_apscheduler_jobs_schedule_id ON workflows_apscheduler_jobs (schedule_id);
INSERT INTO workflows (name, target, description) VALUES ('task_validate_subscriptions', 'SYSTEM', 'Validate subscriptions') ON CONFLICT DO NOTHING;

-- wfo:downgrade postgres
DROP TABLE IF EXISTS workflows_apscheduler_jobs;
-- The reference leaves apscheduler_jobs, which its scheduler may have created; wfo drops it only when it holds
-- no jobs, so that a downgrade to base leaves an empty database.
DO $$
BEGIN
    IF to_regclass('apscheduler_jobs') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM apscheduler_jobs) THEN
        DROP TABLE apscheduler_jobs;
    END IF;
END
$$;
DELETE FROM workflows WHERE name = 'task_validate_subscriptions';

-- wfo:upgrade sqlite
INSERT INTO workflows (name, target, description) VALUES ('task_validate_subscriptions', 'SYSTEM', 'Validate subscriptions') ON CONFLICT DO NOTHING;

-- wfo:downgrade sqlite
DELETE FROM workflows WHERE name = 'task_validate_subscriptions';
