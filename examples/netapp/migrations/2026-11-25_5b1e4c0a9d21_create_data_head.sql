-- Create data head.
--
-- Revision ID: 5b1e4c0a9d21
-- Revises: 
-- Create Date: 2026-11-25 09:00:00.000000
--
-- wfo:revision 5b1e4c0a9d21
-- wfo:down_revision
-- wfo:branch_labels data
-- wfo:depends_on 850dccac3b02
-- wfo:transaction per-revision

-- wfo:upgrade

-- wfo:downgrade
