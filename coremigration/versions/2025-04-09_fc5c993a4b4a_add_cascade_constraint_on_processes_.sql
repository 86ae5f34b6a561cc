-- add cascade constraint on processes input state.
--
-- Revision ID: fc5c993a4b4a
-- Revises: 42b3d076a85b
-- Create Date: 2025-04-09 18:27:31.922214
--
-- Deleting a process deletes its input states.
--
-- wfo:revision fc5c993a4b4a
-- wfo:down_revision 42b3d076a85b
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
ALTER TABLE input_states DROP CONSTRAINT input_states_pid_fkey;
ALTER TABLE input_states ADD CONSTRAINT input_states_pid_fkey
    FOREIGN KEY (pid) REFERENCES processes (pid) ON DELETE CASCADE;

-- wfo:downgrade postgres
ALTER TABLE input_states DROP CONSTRAINT input_states_pid_fkey;
ALTER TABLE input_states ADD CONSTRAINT input_states_pid_fkey FOREIGN KEY (pid) REFERENCES processes (pid);

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
