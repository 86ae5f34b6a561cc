-- Convert unlimited text fields to limited nullable strings and normalize empty subscription notes.
--
-- Revision ID: d69e10434a04
-- Revises: 9736496e3eba
-- Create Date: 2026-01-12 14:17:58.255515
--
-- Limits eleven text columns (notes 5000 characters, descriptions 2000, failed_reason and resource values 10000,
-- traceback 50000, domain_model_attr 255), cutting longer values first (traceback keeps its end), and stores
-- empty subscription notes as NULL. The search view is rebuilt around the type changes. SQLite does not enforce
-- declared lengths, so there only the values are cut and the notes emptied; wfo's writers keep to the limits on
-- both databases.
--
-- wfo:revision d69e10434a04
-- wfo:down_revision 9736496e3eba
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
DROP TRIGGER IF EXISTS fi_refresh_search ON fixed_inputs;
DROP TRIGGER IF EXISTS products_refresh_search ON products;
DROP TRIGGER IF EXISTS sub_cust_desc_refresh_search ON subscription_customer_descriptions;
DROP TRIGGER IF EXISTS siv_refresh_search ON subscription_instance_values;
DROP TRIGGER IF EXISTS sub_refresh_search ON subscriptions;
DROP FUNCTION IF EXISTS refresh_subscriptions_search_view();
DROP MATERIALIZED VIEW IF EXISTS subscriptions_search CASCADE;

UPDATE subscriptions SET note = NULL WHERE note IS NOT NULL AND trim(note) = '';
UPDATE subscriptions SET note = substr(note, 1, 5000) WHERE length(note) > 5000;
UPDATE subscriptions SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE processes SET failed_reason = substr(failed_reason, 1, 10000) WHERE length(failed_reason) > 10000;
UPDATE processes SET traceback = right(traceback, 50000) WHERE length(traceback) > 50000;
UPDATE products SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE product_blocks SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE resource_types SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE workflows SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE subscription_customer_descriptions SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE subscription_instance_values SET value = substr(value, 1, 10000) WHERE length(value) > 10000;
UPDATE subscription_instance_relations SET domain_model_attr = substr(domain_model_attr, 1, 255) WHERE length(domain_model_attr) > 255;

ALTER TABLE subscriptions ALTER COLUMN note TYPE varchar(5000);
ALTER TABLE subscriptions ALTER COLUMN description TYPE varchar(2000);
ALTER TABLE processes ALTER COLUMN failed_reason TYPE varchar(10000);
ALTER TABLE processes ALTER COLUMN traceback TYPE varchar(50000);
ALTER TABLE products ALTER COLUMN description TYPE varchar(2000);
ALTER TABLE product_blocks ALTER COLUMN description TYPE varchar(2000);
ALTER TABLE resource_types ALTER COLUMN description TYPE varchar(2000);
ALTER TABLE workflows ALTER COLUMN description TYPE varchar(2000);
ALTER TABLE subscription_customer_descriptions ALTER COLUMN description TYPE varchar(2000);
ALTER TABLE subscription_instance_values ALTER COLUMN value TYPE varchar(10000);
ALTER TABLE subscription_instance_relations ALTER COLUMN domain_model_attr TYPE varchar(255);

CREATE MATERIALIZED VIEW subscriptions_search AS
WITH rt_info AS (
    SELECT si.subscription_id,
           concat_ws(' ',
                     string_agg(rt.resource_type || ' ' || siv.value, ' '),
                     string_agg(DISTINCT 'subscription_instance_id:' || si.subscription_instance_id, ' ')) AS rt_info
    FROM subscription_instance_values siv
    JOIN resource_types rt ON rt.resource_type_id = siv.resource_type_id
    JOIN subscription_instances si ON si.subscription_instance_id = siv.subscription_instance_id
    GROUP BY si.subscription_id
), sub_prod_info AS (
    SELECT s.subscription_id,
           array_to_string(ARRAY['subscription_id:' || s.subscription_id, 'status:' || s.status,
                                 'insync:' || s.insync, 'subscription_description:' || s.description,
                                 'note:' || coalesce(s.note, ''), 'customer_id:' || s.customer_id,
                                 'product_id:' || s.product_id], ' ') AS sub_info,
           array_to_string(ARRAY['product_name:' || p.name, 'product_description:' || p.description,
                                 'tag:' || p.tag, 'product_type:', p.product_type], ' ') AS prod_info
    FROM subscriptions s
    JOIN products p ON p.product_id = s.product_id
), fi_info AS (
    SELECT s.subscription_id, string_agg(fi.name || ':' || fi.value, ' ') AS fi_info
    FROM subscriptions s
    JOIN fixed_inputs fi ON fi.product_id = s.product_id
    GROUP BY s.subscription_id
), cust_info AS (
    SELECT scd.subscription_id, string_agg('customer_description: ' || scd.description, ' ') AS cust_info
    FROM subscription_customer_descriptions scd
    GROUP BY scd.subscription_id
)
SELECT s.subscription_id,
       to_tsvector('simple', replace(concat_ws(' ', spi.sub_info, spi.prod_info, fi.fi_info, rti.rt_info, ci.cust_info,
                     sm.metadata::text), '-', '_')) AS tsv
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

REFRESH MATERIALIZED VIEW subscriptions_search;

-- wfo:downgrade postgres
DROP TRIGGER IF EXISTS fi_refresh_search ON fixed_inputs;
DROP TRIGGER IF EXISTS products_refresh_search ON products;
DROP TRIGGER IF EXISTS sub_cust_desc_refresh_search ON subscription_customer_descriptions;
DROP TRIGGER IF EXISTS siv_refresh_search ON subscription_instance_values;
DROP TRIGGER IF EXISTS sub_refresh_search ON subscriptions;
DROP FUNCTION IF EXISTS refresh_subscriptions_search_view();
DROP MATERIALIZED VIEW IF EXISTS subscriptions_search CASCADE;

ALTER TABLE subscriptions ALTER COLUMN note TYPE text;
ALTER TABLE subscriptions ALTER COLUMN description TYPE text;
ALTER TABLE processes ALTER COLUMN failed_reason TYPE text;
ALTER TABLE processes ALTER COLUMN traceback TYPE text;
ALTER TABLE products ALTER COLUMN description TYPE text;
ALTER TABLE product_blocks ALTER COLUMN description TYPE text;
ALTER TABLE resource_types ALTER COLUMN description TYPE text;
ALTER TABLE workflows ALTER COLUMN description TYPE text;
ALTER TABLE subscription_customer_descriptions ALTER COLUMN description TYPE text;
ALTER TABLE subscription_instance_values ALTER COLUMN value TYPE text;
ALTER TABLE subscription_instance_relations ALTER COLUMN domain_model_attr TYPE text;

CREATE MATERIALIZED VIEW subscriptions_search AS
WITH rt_info AS (
    SELECT si.subscription_id,
           concat_ws(' ',
                     string_agg(rt.resource_type || ' ' || siv.value, ' '),
                     string_agg(DISTINCT 'subscription_instance_id:' || si.subscription_instance_id, ' ')) AS rt_info
    FROM subscription_instance_values siv
    JOIN resource_types rt ON rt.resource_type_id = siv.resource_type_id
    JOIN subscription_instances si ON si.subscription_instance_id = siv.subscription_instance_id
    GROUP BY si.subscription_id
), sub_prod_info AS (
    SELECT s.subscription_id,
           array_to_string(ARRAY['subscription_id:' || s.subscription_id, 'status:' || s.status,
                                 'insync:' || s.insync, 'subscription_description:' || s.description,
                                 'note:' || coalesce(s.note, ''), 'customer_id:' || s.customer_id,
                                 'product_id:' || s.product_id], ' ') AS sub_info,
           array_to_string(ARRAY['product_name:' || p.name, 'product_description:' || p.description,
                                 'tag:' || p.tag, 'product_type:', p.product_type], ' ') AS prod_info
    FROM subscriptions s
    JOIN products p ON p.product_id = s.product_id
), fi_info AS (
    SELECT s.subscription_id, string_agg(fi.name || ':' || fi.value, ' ') AS fi_info
    FROM subscriptions s
    JOIN fixed_inputs fi ON fi.product_id = s.product_id
    GROUP BY s.subscription_id
), cust_info AS (
    SELECT scd.subscription_id, string_agg('customer_description: ' || scd.description, ' ') AS cust_info
    FROM subscription_customer_descriptions scd
    GROUP BY scd.subscription_id
)
SELECT s.subscription_id,
       to_tsvector('simple', replace(concat_ws(' ', spi.sub_info, spi.prod_info, fi.fi_info, rti.rt_info, ci.cust_info,
                     sm.metadata::text), '-', '_')) AS tsv
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

REFRESH MATERIALIZED VIEW subscriptions_search;

-- wfo:upgrade sqlite
UPDATE subscriptions SET note = NULL WHERE note IS NOT NULL AND trim(note) = '';
UPDATE subscriptions SET note = substr(note, 1, 5000) WHERE length(note) > 5000;
UPDATE subscriptions SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE processes SET failed_reason = substr(failed_reason, 1, 10000) WHERE length(failed_reason) > 10000;
UPDATE processes SET traceback = substr(traceback, -50000) WHERE length(traceback) > 50000;
UPDATE products SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE product_blocks SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE resource_types SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE workflows SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE subscription_customer_descriptions SET description = substr(description, 1, 2000) WHERE length(description) > 2000;
UPDATE subscription_instance_values SET value = substr(value, 1, 10000) WHERE length(value) > 10000;
UPDATE subscription_instance_relations SET domain_model_attr = substr(domain_model_attr, 1, 255) WHERE length(domain_model_attr) > 255;

-- wfo:downgrade sqlite
-- Nothing to undo: cut values and emptied notes are not restored, as in the reference.
