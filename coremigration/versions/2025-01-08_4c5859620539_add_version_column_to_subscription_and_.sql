-- Add version column to subscription and subscription customer descriptions.
--
-- Revision ID: 4c5859620539
-- Revises: 460ec6748e37
-- Create Date: 2025-01-08 15:07:41.957937
--
-- Adds version columns to subscriptions and subscription_customer_descriptions, and triggers that increase them
-- on every update (optimistic locking).
--
-- wfo:revision 4c5859620539
-- wfo:down_revision 460ec6748e37
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
ALTER TABLE subscription_customer_descriptions ADD COLUMN version integer DEFAULT 1 NOT NULL;
ALTER TABLE subscriptions ADD COLUMN version integer DEFAULT 1 NOT NULL;

CREATE FUNCTION increment_version() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;

CREATE TRIGGER subscriptions_increment_version_trigger
    BEFORE UPDATE ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION increment_version();
CREATE TRIGGER subscription_customer_descriptions_increment_version_trigger
    BEFORE UPDATE ON subscription_customer_descriptions
    FOR EACH ROW EXECUTE FUNCTION increment_version();

-- wfo:downgrade postgres
ALTER TABLE subscriptions DROP COLUMN version;
ALTER TABLE subscription_customer_descriptions DROP COLUMN version;
DROP TRIGGER IF EXISTS subscriptions_increment_version_trigger ON subscriptions;
DROP TRIGGER IF EXISTS subscription_customer_descriptions_increment_version_trigger ON subscription_customer_descriptions;
DROP FUNCTION IF EXISTS increment_version();

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
