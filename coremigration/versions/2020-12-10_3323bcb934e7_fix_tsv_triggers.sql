-- Fix tsv triggers.
--
-- Revision ID: 3323bcb934e7
-- Revises: a76b9185b334
-- Create Date: 2020-12-10 09:22:46.491454
--
-- The reference reworks the triggers of its tsvector column on subscriptions here. wfo does not create that
-- machinery (see c112305b07d3), so this revision does nothing on either database.
--
-- wfo:revision 3323bcb934e7
-- wfo:down_revision a76b9185b334
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade
-- Nothing: the tsvector machinery this revision changes is not part of wfo's schema.

-- wfo:downgrade
-- Nothing to undo.
