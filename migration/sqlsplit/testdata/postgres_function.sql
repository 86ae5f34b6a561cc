-- Revision: add an audit function and its trigger (PostgreSQL).
-- Statements below are run one by one.

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    table_name  text        NOT NULL,            -- e.g. 'subscriptions'
    changed_at  timestamptz NOT NULL DEFAULT now(),
    note        text        DEFAULT 'n/a; see ''docs'''
);

CREATE OR REPLACE FUNCTION audit_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    msg text := 'row changed; table=' || TG_TABLE_NAME;  -- ; inside the body
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO audit_log (table_name, note) VALUES (TG_TABLE_NAME, E'deleted \'' || OLD.id || E'\'');
        RETURN OLD;
    END IF;
    INSERT INTO audit_log (table_name, note) VALUES (TG_TABLE_NAME, msg);
    RETURN NEW;
END;
$$;

CREATE FUNCTION add_note(p_table text, p_note text) RETURNS void AS $body$
    INSERT INTO audit_log (table_name, note) VALUES ($1, $2);  -- $1, $2 are parameters
    SELECT $q$quoted; $$ not the end$q$;
$body$ LANGUAGE sql;

CREATE TRIGGER subscriptions_audit
    AFTER INSERT OR UPDATE OR DELETE ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION audit_row();

COMMENT ON TABLE audit_log IS 'Audit trail; one row per change'
