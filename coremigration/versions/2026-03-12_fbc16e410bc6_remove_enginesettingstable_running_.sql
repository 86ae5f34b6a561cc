-- Remove EngineSettingsTable.running_processes.
--
-- Revision ID: fbc16e410bc6
-- Revises: aa1b92d0d07d
-- Create Date: 2026-03-12 10:51:02.886509
--
-- Drops engine_settings.running_processes (wfo counts running processes in the processes table), renames the
-- index on input_states.input_state_id, and reworks the linker table's keys as the reference does: its primary key,
-- named uq_workflow_schedule, becomes a unique constraint of that name. Unlike the reference's, the downgrade also
-- puts back the check on running_processes.
--
-- wfo:revision fbc16e410bc6
-- wfo:down_revision aa1b92d0d07d
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
ALTER TABLE engine_settings DROP COLUMN running_processes;
DROP INDEX ix_input_state_input_state_id;
CREATE INDEX ix_input_states_input_state_id ON input_states (input_state_id);
CREATE INDEX ix_workflows_apscheduler_jobs_workflow_id ON workflows_apscheduler_jobs (workflow_id);
ALTER TABLE workflows_apscheduler_jobs DROP CONSTRAINT uq_workflow_schedule;
ALTER TABLE workflows_apscheduler_jobs ADD CONSTRAINT uq_workflow_schedule UNIQUE (workflow_id, schedule_id);

-- wfo:downgrade postgres
DROP INDEX ix_workflows_apscheduler_jobs_workflow_id;
DROP INDEX ix_input_states_input_state_id;
CREATE INDEX ix_input_state_input_state_id ON input_states (input_state_id);
ALTER TABLE engine_settings ADD COLUMN running_processes integer DEFAULT 0 NOT NULL;
ALTER TABLE engine_settings ADD CONSTRAINT check_running_processes_positive CHECK (running_processes >= 0);

-- wfo:upgrade sqlite
-- SQLite cannot drop a column that a CHECK names: the table is rebuilt (nothing refers to it).
CREATE TABLE engine_settings_new (
    global_lock BOOLEAN NOT NULL PRIMARY KEY
);
INSERT INTO engine_settings_new (global_lock) SELECT global_lock FROM engine_settings;
DROP TABLE engine_settings;
ALTER TABLE engine_settings_new RENAME TO engine_settings;
DROP INDEX ix_input_state_input_state_id;
CREATE INDEX ix_input_states_input_state_id ON input_states (input_state_id);

-- wfo:downgrade sqlite
CREATE TABLE engine_settings_old (
    global_lock       BOOLEAN NOT NULL PRIMARY KEY,
    running_processes INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT check_running_processes_positive CHECK (running_processes >= 0)
);
INSERT INTO engine_settings_old (global_lock) SELECT global_lock FROM engine_settings;
DROP TABLE engine_settings;
ALTER TABLE engine_settings_old RENAME TO engine_settings;
DROP INDEX ix_input_states_input_state_id;
CREATE INDEX ix_input_state_input_state_id ON input_states (input_state_id);
