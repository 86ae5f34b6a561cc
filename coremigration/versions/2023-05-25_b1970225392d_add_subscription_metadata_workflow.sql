-- Add subscription metadata workflow.
--
-- Revision ID: b1970225392d
-- Revises: e05bb1967eff
-- Create Date: 2023-05-25 09:22:46.491454
--
-- Creates subscription_metadata: free JSON metadata per subscription, without a primary key as in the reference.
-- The reference's downgrade fails once the search view reads this table (da5c9f4cce1c); wfo's drops the view first
-- and puts back the view's first version, which is what the view is at e05bb1967eff.
--
-- wfo:revision b1970225392d
-- wfo:down_revision e05bb1967eff
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
CREATE TABLE subscription_metadata (
    subscription_id uuid  NOT NULL,
    metadata        jsonb NOT NULL,
    CONSTRAINT subscription_metadata_subscription_id_fkey FOREIGN KEY (subscription_id)
        REFERENCES subscriptions (subscription_id) ON DELETE CASCADE
);
CREATE INDEX ix_subscription_metadata_subscription_id ON subscription_metadata (subscription_id);

-- wfo:downgrade postgres
DROP MATERIALIZED VIEW IF EXISTS subscriptions_search;
DROP TABLE IF EXISTS subscription_metadata;

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
       to_tsvector('simple', concat_ws(', ', spi.sub_info, spi.prod_info, fi.fi_info, rti.rt_info, ci.cust_info)) AS tsv
FROM subscriptions s
    LEFT JOIN sub_prod_info spi ON spi.subscription_id = s.subscription_id
    LEFT JOIN fi_info fi ON fi.subscription_id = s.subscription_id
    LEFT JOIN rt_info rti ON rti.subscription_id = s.subscription_id
    LEFT JOIN cust_info ci ON ci.subscription_id = s.subscription_id;

CREATE INDEX subscriptions_search_tsv_idx ON subscriptions_search USING gin (tsv);
CREATE UNIQUE INDEX subscriptions_search_subscription_id_idx ON subscriptions_search (subscription_id);

REFRESH MATERIALIZED VIEW subscriptions_search;

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
