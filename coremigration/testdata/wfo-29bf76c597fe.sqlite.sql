-- A database as earlier wfo builds left it: their one core revision 850dccac3b02 (the
-- whole 4.3.0 schema at once, core tasks inserted as tasks, no search view) and its own 29bf76c597fe.
-- The same tables for SQLite. uuid columns are TEXT holding the lower-case canonical form, with a default that
-- builds a random version 4 UUID. Timestamps are TEXT in UTC (YYYY-MM-DD HH:MM:SS.SSS+00:00), jsonb is TEXT,
-- booleans are 0/1. Unique constraints are written as unique indexes named as in PostgreSQL, because schema
-- inspection (Atlas) round-trips those without spurious differences. The JSON functions have no counterpart here.
CREATE TABLE engine_settings (
    global_lock       BOOLEAN NOT NULL PRIMARY KEY,
    running_processes INTEGER NOT NULL,
    CONSTRAINT check_running_processes_positive CHECK (running_processes >= 0)
);

CREATE TABLE workflows (
    workflow_id TEXT    NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    name        VARCHAR NOT NULL,
    target      VARCHAR NOT NULL,
    description TEXT    NOT NULL,
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    deleted_at  TEXT,
    is_task     BOOLEAN NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX workflows_name_key ON workflows (name);

CREATE TABLE products (
    product_id   TEXT         NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    name         VARCHAR      NOT NULL,
    description  TEXT         NOT NULL,
    product_type VARCHAR(255) NOT NULL,
    tag          VARCHAR(20)  NOT NULL,
    status       VARCHAR(255) NOT NULL,
    created_at   TEXT         NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    end_date     TEXT
);
CREATE UNIQUE INDEX products_name_key ON products (name);
CREATE INDEX ix_products_tag ON products (tag);

CREATE TABLE product_blocks (
    product_block_id TEXT         NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    name             VARCHAR      NOT NULL,
    description      TEXT         NOT NULL,
    tag              VARCHAR(20),
    status           VARCHAR(255),
    created_at       TEXT         NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    end_date         TEXT
);
CREATE UNIQUE INDEX product_blocks_name_key ON product_blocks (name);

CREATE TABLE resource_types (
    resource_type_id TEXT         NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    resource_type    VARCHAR(510) NOT NULL,
    description      TEXT
);
CREATE UNIQUE INDEX resource_types_resource_type_key ON resource_types (resource_type);

CREATE TABLE fixed_inputs (
    fixed_input_id TEXT    NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    name           VARCHAR NOT NULL,
    value          VARCHAR NOT NULL,
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    product_id     TEXT    NOT NULL REFERENCES products (product_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX fixed_inputs_name_product_id_key ON fixed_inputs (name, product_id);

CREATE TABLE product_product_blocks (
    product_id       TEXT NOT NULL REFERENCES products (product_id) ON DELETE CASCADE,
    product_block_id TEXT NOT NULL REFERENCES product_blocks (product_block_id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, product_block_id)
);

CREATE TABLE product_block_resource_types (
    product_block_id TEXT NOT NULL REFERENCES product_blocks (product_block_id) ON DELETE CASCADE,
    resource_type_id TEXT NOT NULL REFERENCES resource_types (resource_type_id) ON DELETE CASCADE,
    PRIMARY KEY (product_block_id, resource_type_id)
);

CREATE TABLE product_block_relations (
    in_use_by_id  TEXT    NOT NULL REFERENCES product_blocks (product_block_id) ON DELETE CASCADE,
    depends_on_id TEXT    NOT NULL REFERENCES product_blocks (product_block_id) ON DELETE CASCADE,
    min           INTEGER,
    max           INTEGER,
    PRIMARY KEY (in_use_by_id, depends_on_id)
);
CREATE UNIQUE INDEX product_block_relation_i_d_ix ON product_block_relations (in_use_by_id, depends_on_id);

CREATE TABLE products_workflows (
    product_id  TEXT NOT NULL REFERENCES products (product_id) ON DELETE CASCADE,
    workflow_id TEXT NOT NULL REFERENCES workflows (workflow_id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, workflow_id)
);

CREATE TABLE subscriptions (
    subscription_id TEXT         NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    description     TEXT         NOT NULL,
    status          VARCHAR(255) NOT NULL,
    product_id      TEXT         NOT NULL REFERENCES products (product_id),
    customer_id     VARCHAR      NOT NULL,
    insync          BOOLEAN      NOT NULL,
    start_date      TEXT,
    end_date        TEXT,
    note            TEXT,
    version         INTEGER      NOT NULL DEFAULT 1
);
CREATE INDEX ix_subscriptions_customer_id ON subscriptions (customer_id);
CREATE INDEX ix_subscriptions_product_id ON subscriptions (product_id);
CREATE INDEX ix_subscriptions_status ON subscriptions (status);
CREATE INDEX subscription_customer_ix ON subscriptions (subscription_id, customer_id);
CREATE INDEX subscription_product_ix ON subscriptions (subscription_id, product_id);

CREATE TABLE subscription_customer_descriptions (
    id              TEXT    NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    subscription_id TEXT    NOT NULL REFERENCES subscriptions (subscription_id) ON DELETE CASCADE,
    customer_id     VARCHAR NOT NULL,
    description     TEXT    NOT NULL,
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX uniq_customer_subscription_description
    ON subscription_customer_descriptions (customer_id, subscription_id);
CREATE INDEX ix_subscription_customer_descriptions_customer_id
    ON subscription_customer_descriptions (customer_id);
CREATE INDEX ix_subscription_customer_descriptions_subscription_id
    ON subscription_customer_descriptions (subscription_id);

CREATE TABLE subscription_instances (
    subscription_instance_id TEXT         NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    subscription_id          TEXT         NOT NULL REFERENCES subscriptions (subscription_id) ON DELETE CASCADE,
    product_block_id         TEXT         NOT NULL REFERENCES product_blocks (product_block_id),
    label                    VARCHAR(255)
);
CREATE INDEX ix_subscription_instances_product_block_id ON subscription_instances (product_block_id);
CREATE INDEX ix_subscription_instances_subscription_id ON subscription_instances (subscription_id);
CREATE INDEX subscription_instance_s_pb_ix
    ON subscription_instances (subscription_instance_id, subscription_id, product_block_id);

CREATE TABLE subscription_instance_values (
    subscription_instance_value_id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    subscription_instance_id       TEXT NOT NULL
        REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE,
    resource_type_id               TEXT NOT NULL REFERENCES resource_types (resource_type_id),
    value                          TEXT NOT NULL
);
CREATE INDEX ix_subscription_instance_values_resource_type_id
    ON subscription_instance_values (resource_type_id);
CREATE INDEX ix_subscription_instance_values_subscription_instance_id
    ON subscription_instance_values (subscription_instance_id);
CREATE INDEX siv_si_rt_ix
    ON subscription_instance_values (subscription_instance_value_id, subscription_instance_id, resource_type_id);

CREATE TABLE subscription_instance_relations (
    in_use_by_id      TEXT    NOT NULL
        REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE,
    depends_on_id     TEXT    NOT NULL
        REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE,
    order_id          INTEGER NOT NULL,
    domain_model_attr TEXT,
    PRIMARY KEY (in_use_by_id, depends_on_id, order_id)
);
CREATE UNIQUE INDEX subscription_relation_i_d_o_ix
    ON subscription_instance_relations (in_use_by_id, depends_on_id, order_id);

CREATE TABLE subscription_metadata (
    subscription_id TEXT NOT NULL REFERENCES subscriptions (subscription_id) ON DELETE CASCADE,
    metadata        TEXT NOT NULL
);
CREATE INDEX ix_subscription_metadata_subscription_id ON subscription_metadata (subscription_id);

CREATE TABLE processes (
    pid              TEXT         NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    assignee         VARCHAR(50)  NOT NULL DEFAULT 'SYSTEM',
    last_status      VARCHAR(50)  NOT NULL,
    last_step        VARCHAR(255),
    started_at       TEXT         NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    last_modified_at TEXT         NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    failed_reason    TEXT,
    traceback        TEXT,
    created_by       VARCHAR(255),
    is_task          BOOLEAN      NOT NULL DEFAULT 0,
    workflow_id      TEXT         NOT NULL
        CONSTRAINT processes_workflow_id_fkey REFERENCES workflows (workflow_id)
);
CREATE INDEX ix_processes_is_task ON processes (is_task);
CREATE INDEX ix_processes_pid ON processes (pid);

CREATE TABLE process_steps (
    stepid       TEXT         NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    pid          TEXT         NOT NULL REFERENCES processes (pid) ON DELETE CASCADE,
    name         VARCHAR      NOT NULL,
    status       VARCHAR(50)  NOT NULL,
    state        TEXT         NOT NULL,
    created_by   VARCHAR(255),
    completed_at TEXT         NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    commit_hash  VARCHAR(40),
    started_at   TEXT         NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
CREATE INDEX ix_process_steps_pid ON process_steps (pid);

CREATE TABLE processes_subscriptions (
    id              TEXT         NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    pid             TEXT         NOT NULL REFERENCES processes (pid) ON DELETE CASCADE,
    subscription_id TEXT         NOT NULL REFERENCES subscriptions (subscription_id),
    created_at      TEXT         NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    workflow_target VARCHAR(255) DEFAULT 'CREATE'
);
CREATE INDEX ix_processes_subscriptions_pid ON processes_subscriptions (pid);
CREATE INDEX ix_processes_subscriptions_subscription_id ON processes_subscriptions (subscription_id);
CREATE INDEX processes_subscriptions_ix ON processes_subscriptions (pid, subscription_id);

CREATE TABLE input_states (
    input_state_id TEXT NOT NULL PRIMARY KEY DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
    pid            TEXT NOT NULL REFERENCES processes (pid) ON DELETE CASCADE,
    input_state    TEXT NOT NULL,
    input_time     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    input_type     TEXT NOT NULL CONSTRAINT inputtype CHECK (input_type IN ('user_input', 'initial_state'))
);
CREATE INDEX ix_input_state_input_state_id ON input_states (input_state_id);

-- PostgreSQL bumps version in a BEFORE UPDATE trigger. SQLite cannot assign NEW, so these AFTER UPDATE triggers
-- write the bumped version back. The WHEN guard skips updates that already changed version, which includes the
-- trigger's own update, so they cannot recurse even with recursive_triggers on.
CREATE TRIGGER subscriptions_increment_version_trigger
    AFTER UPDATE ON subscriptions
    FOR EACH ROW
    WHEN NEW.version = OLD.version
BEGIN
    UPDATE subscriptions SET version = OLD.version + 1 WHERE subscription_id = NEW.subscription_id;
END;

CREATE TRIGGER subscription_customer_descriptions_increment_version_trigger
    AFTER UPDATE ON subscription_customer_descriptions
    FOR EACH ROW
    WHEN NEW.version = OLD.version
BEGIN
    UPDATE subscription_customer_descriptions SET version = OLD.version + 1 WHERE id = NEW.id;
END;

INSERT INTO engine_settings (global_lock, running_processes) VALUES (0, 0);

INSERT INTO workflows (name, target, description, is_task) VALUES
    ('modify_note', 'MODIFY', 'Modify Note', 0),
    ('task_clean_up_tasks', 'SYSTEM', 'Clean up old tasks', 1),
    ('task_resume_workflows', 'SYSTEM',
     'Resume all workflows that are stuck on tasks with the status ''waiting'', ''created'' or ''resumed''', 1),
    ('task_validate_products', 'SYSTEM', 'Validate products', 1),
    ('task_validate_product_type', 'SYSTEM', 'Validate all subscriptions of Product Type', 1);

INSERT INTO workflows (name, target, description, is_task)
VALUES ('task_validate_subscriptions', 'SYSTEM', 'Validate subscriptions', 1);

CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO alembic_version (version_num) VALUES ('29bf76c597fe');
