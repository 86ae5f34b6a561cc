-- Add Subscriptions search view.
--
-- Revision ID: e05bb1967eff
-- Revises: bed6bc0b197a
-- Create Date: 2023-03-06 10:09:55.675588
--
-- Adds the materialized view subscriptions_search (one tsvector per subscription, first version), the function
-- refresh_subscriptions_search_view() that refreshes it and the five deferred triggers that call it; removes the
-- older tsvector machinery (only present on databases the reference built) and parse_websearch.
--
-- wfo:revision e05bb1967eff
-- wfo:down_revision bed6bc0b197a
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
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

CREATE OR REPLACE FUNCTION refresh_subscriptions_search_view() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY subscriptions_search;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER fi_refresh_search
    AFTER UPDATE ON fixed_inputs DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refresh_subscriptions_search_view();
CREATE CONSTRAINT TRIGGER products_refresh_search
    AFTER UPDATE ON products DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refresh_subscriptions_search_view();
CREATE CONSTRAINT TRIGGER sub_cust_desc_refresh_search
    AFTER INSERT OR UPDATE OR DELETE ON subscription_customer_descriptions DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refresh_subscriptions_search_view();
CREATE CONSTRAINT TRIGGER siv_refresh_search
    AFTER INSERT OR UPDATE OR DELETE ON subscription_instance_values DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refresh_subscriptions_search_view();
CREATE CONSTRAINT TRIGGER sub_refresh_search
    AFTER INSERT OR UPDATE OR DELETE ON subscriptions DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION refresh_subscriptions_search_view();

DROP TRIGGER IF EXISTS subscriptions_ins_trigger ON subscriptions;
DROP TRIGGER IF EXISTS subscriptions_upd_trigger ON subscriptions;
DROP TRIGGER IF EXISTS subscriptions_set_tsv_trigger ON subscriptions;
DROP TRIGGER IF EXISTS subscription_customer_descriptions_trigger ON subscription_customer_descriptions;
DROP TRIGGER IF EXISTS subscription_instance_values_trigger ON subscription_instance_values;
DROP TRIGGER IF EXISTS products_trigger ON products;
DROP TRIGGER IF EXISTS fixed_inputs_trigger ON fixed_inputs;
DROP FUNCTION IF EXISTS subscriptions_ins_trigger();
DROP FUNCTION IF EXISTS subscriptions_upd_trigger();
DROP FUNCTION IF EXISTS subscriptions_set_tsv_trigger();
DROP FUNCTION IF EXISTS subscription_customer_descriptions_trigger();
DROP FUNCTION IF EXISTS subscription_instance_values_trigger();
DROP FUNCTION IF EXISTS products_trigger();
DROP FUNCTION IF EXISTS fixed_inputs_trigger();
DROP FUNCTION IF EXISTS tsq_parse(regconfig, text);
DROP FUNCTION IF EXISTS tsq_parse(text);
DROP FUNCTION IF EXISTS tsq_parse(text, text);
DROP FUNCTION IF EXISTS tsq_process_tokens(regconfig, text[]);
DROP FUNCTION IF EXISTS tsq_process_tokens(text[]);
DROP FUNCTION IF EXISTS tsq_tokenize(text);
DROP FUNCTION IF EXISTS tsq_tokenize_character(tsq_state);
DROP FUNCTION IF EXISTS tsq_append_current_token(tsq_state);
DROP FUNCTION IF EXISTS array_nremove(anyarray, anyelement, integer);
DROP FUNCTION IF EXISTS generate_subscription_tsv(uuid);
DROP FUNCTION IF EXISTS parse_websearch(regconfig, text);
DROP FUNCTION IF EXISTS parse_websearch(text);
DROP TYPE IF EXISTS tsq_state;
ALTER TABLE subscriptions DROP COLUMN IF EXISTS tsv;

REFRESH MATERIALIZED VIEW subscriptions_search;

-- wfo:downgrade postgres
DROP TRIGGER IF EXISTS fi_refresh_search ON fixed_inputs;
DROP TRIGGER IF EXISTS products_refresh_search ON products;
DROP TRIGGER IF EXISTS sub_cust_desc_refresh_search ON subscription_customer_descriptions;
DROP TRIGGER IF EXISTS siv_refresh_search ON subscription_instance_values;
DROP TRIGGER IF EXISTS sub_refresh_search ON subscriptions;
DROP FUNCTION IF EXISTS refresh_subscriptions_search_view();
DROP MATERIALIZED VIEW IF EXISTS subscriptions_search CASCADE;

-- wfo:upgrade sqlite
-- Nothing on SQLite, which has no counterpart of these PostgreSQL objects.

-- wfo:downgrade sqlite
-- Nothing on SQLite, which has no counterpart of these PostgreSQL objects.
