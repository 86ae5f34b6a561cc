-- Add process note field.
--
-- Revision ID: be3163f7c49d
-- Revises: 262744958e0c
-- Create Date: 2026-04-14 19:56:14.971237
--
-- Adds processes.note (up to 5000 characters; wfo stores an empty note as NULL).
--
-- wfo:revision be3163f7c49d
-- wfo:down_revision 262744958e0c
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade
ALTER TABLE processes ADD COLUMN note varchar(5000);

-- wfo:downgrade
ALTER TABLE processes DROP COLUMN note;
