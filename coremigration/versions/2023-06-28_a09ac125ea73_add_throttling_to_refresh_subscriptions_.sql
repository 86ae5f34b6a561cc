-- Add throttling to refresh_subscriptions_view trigger.
--
-- Revision ID: a09ac125ea73
-- Revises: b1970225392d
-- Create Date: 2023-06-28 15:33:36.248121
--
-- Makes refresh_subscriptions_search_view() refresh the view at most once per 120 seconds.
--
-- wfo:revision a09ac125ea73
-- wfo:down_revision b1970225392d
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
-- Refreshes at most once per 120 seconds; the view's comment holds the epoch of the last refresh.
CREATE OR REPLACE FUNCTION refresh_subscriptions_search_view() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    now_epoch  integer := extract(epoch FROM now())::integer;
    last_epoch integer := coalesce(obj_description('subscriptions_search'::regclass)::integer, 0);
BEGIN
    IF now_epoch - last_epoch > 120 THEN
        REFRESH MATERIALIZED VIEW subscriptions_search;
        EXECUTE 'COMMENT ON MATERIALIZED VIEW subscriptions_search IS ' || quote_literal(now_epoch);
    END IF;
    RETURN NULL;
END;
$$;

-- wfo:downgrade postgres
-- Nothing to undo, as in the reference.

-- wfo:upgrade sqlite
-- Nothing on SQLite, which has no counterpart of these PostgreSQL objects.

-- wfo:downgrade sqlite
-- Nothing on SQLite, which has no counterpart of these PostgreSQL objects.
