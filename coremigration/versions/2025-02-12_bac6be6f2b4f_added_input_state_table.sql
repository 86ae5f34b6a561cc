-- Added Input State Table.
--
-- Revision ID: bac6be6f2b4f
-- Revises: 4fjdn13f83ga
-- Create Date: 2025-02-12 14:39:53.664284
--
-- Creates input_states (the initial and resume inputs of processes) with the enum inputtype. Unlike the
-- reference's, the downgrade also drops the enum, so upgrading again works.
--
-- wfo:revision bac6be6f2b4f
-- wfo:down_revision 4fjdn13f83ga
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
CREATE TYPE inputtype AS ENUM ('user_input', 'initial_state');
CREATE TABLE input_states (
    input_state_id uuid        DEFAULT uuid_generate_v4() NOT NULL,
    pid            uuid        NOT NULL,
    input_state    jsonb       NOT NULL,
    input_time     timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    input_type     inputtype   NOT NULL,
    CONSTRAINT input_states_pkey PRIMARY KEY (input_state_id),
    CONSTRAINT input_states_pid_fkey FOREIGN KEY (pid) REFERENCES processes (pid)
);
CREATE INDEX ix_input_state_input_state_id ON input_states (input_state_id);

-- wfo:downgrade postgres
DROP INDEX ix_input_state_input_state_id;
DROP TABLE input_states;
DROP TYPE IF EXISTS inputtype;

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
