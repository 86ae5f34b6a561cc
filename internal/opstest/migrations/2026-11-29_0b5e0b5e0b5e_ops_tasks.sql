-- The test tasks of the operating tests.
--
-- wfo:revision 0b5e0b5e0b5e
-- wfo:down_revision
-- wfo:branch_labels
-- wfo:depends_on 29bf76c597fe

-- wfo:upgrade
INSERT INTO workflows (name, target, description, is_task) VALUES ('task_approve', 'SYSTEM', 'Wait for an approval', true);
INSERT INTO workflows (name, target, description, is_task) VALUES ('task_flaky', 'SYSTEM', 'Fail until a file exists', true);
INSERT INTO workflows (name, target, description, is_task) VALUES ('task_callback', 'SYSTEM', 'Await an external system', true);

-- wfo:downgrade
DELETE FROM workflows WHERE name IN ('task_approve', 'task_flaky', 'task_callback');
