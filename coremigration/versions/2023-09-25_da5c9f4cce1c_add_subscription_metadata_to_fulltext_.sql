-- Add subscription metadata to fulltext search index.
--
-- Revision ID: da5c9f4cce1c
-- Revises: 165303a20fb1
-- Create Date: 2023-09-25 10:23:13.520977
--
-- Rebuilds the search view so that it also indexes subscription_metadata (second version).
--
-- wfo:revision da5c9f4cce1c
-- wfo:down_revision 165303a20fb1
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
DROP MATERIALIZED VIEW IF EXISTS subscriptions_search;
CREATE MATERIALIZED VIEW IF NOT EXISTS subscriptions_search AS
WITH rt_info AS (
    SELECT si.subscription_id,
           concat_ws(', ',
                     string_agg(rt.resource_type || ':' || siv.value, ', ' ORDER BY rt.resource_type),
                     string_agg(DISTINCT 'subscription_instance_id:' || si.subscription_instance_id, ', ')) AS rt_info
    FROM subscription_instance_values siv
    JOIN resource_types rt ON rt.resource_type_id = siv.resource_type_id
    JOIN subscription_instances si ON si.subscription_instance_id = siv.subscription_instance_id
    GROUP BY si.subscription_id
), sub_prod_info AS (
    SELECT s.subscription_id,
           array_to_string(ARRAY['subscription_id:' || s.subscription_id, 'status:' || s.status,
                                 'insync:' || s.insync, 'subscription_description:' || s.description,
                                 'note:' || coalesce(s.note, ''), 'customer_id:' || s.customer_id,
                                 'product_id:' || s.product_id], ', ') AS sub_info,
           array_to_string(ARRAY['product_name:' || p.name, 'product_description:' || p.description,
                                 'tag:' || p.tag, 'product_type:', p.product_type], ', ') AS prod_info
    FROM subscriptions s
    JOIN products p ON p.product_id = s.product_id
), fi_info AS (
    SELECT s.subscription_id, string_agg(fi.name || ':' || fi.value, ', ' ORDER BY fi.name) AS fi_info
    FROM subscriptions s
    JOIN fixed_inputs fi ON fi.product_id = s.product_id
    GROUP BY s.subscription_id
), cust_info AS (
    SELECT scd.subscription_id, string_agg('customer_description: ' || scd.description, ', ') AS cust_info
    FROM subscription_customer_descriptions scd
    GROUP BY scd.subscription_id
)
SELECT s.subscription_id,
       to_tsvector('simple', concat_ws(', ', spi.sub_info, spi.prod_info, fi.fi_info, rti.rt_info, ci.cust_info,
                     sm.metadata::text)) AS tsv
FROM subscriptions s
    LEFT JOIN sub_prod_info spi ON spi.subscription_id = s.subscription_id
    LEFT JOIN fi_info fi ON fi.subscription_id = s.subscription_id
    LEFT JOIN rt_info rti ON rti.subscription_id = s.subscription_id
    LEFT JOIN cust_info ci ON ci.subscription_id = s.subscription_id
    LEFT JOIN subscription_metadata sm ON sm.subscription_id = s.subscription_id;

CREATE INDEX subscriptions_search_tsv_idx ON subscriptions_search USING gin (tsv);
CREATE UNIQUE INDEX subscriptions_search_subscription_id_idx ON subscriptions_search (subscription_id);

-- Refreshes at most once per 120 seconds; the view's comment holds the epoch of the last refresh.
CREATE OR REPLACE FUNCTION refresh_subscriptions_search_view() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    now_epoch  integer := extract(epoch FROM now())::integer;
    last_epoch integer := coalesce(obj_description('subscriptions_search'::regclass)::integer, 0);
BEGIN
    IF now_epoch - last_epoch > 120 THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY subscriptions_search;
        EXECUTE 'COMMENT ON MATERIALIZED VIEW subscriptions_search IS ' || quote_literal(now_epoch);
    END IF;
    RETURN NULL;
END;
$$;

REFRESH MATERIALIZED VIEW subscriptions_search;

-- wfo:downgrade postgres
-- Nothing to undo, as in the reference.

-- wfo:upgrade sqlite
-- Nothing on SQLite, which has no counterpart of these PostgreSQL objects.

-- wfo:downgrade sqlite
-- Nothing on SQLite, which has no counterpart of these PostgreSQL objects.
