-- Initial schema migration.
--
-- Revision ID: c112305b07d3
-- Revises: 
-- Create Date: 2020-10-19 08:48:12.231037
--
-- The root of orchestrator-core's schema branch: the uuid-ossp extension, the 17 core tables as the reference's
-- first release had them (processes.workflow by name, process_steps.executed_at, uuid customer ids,
-- parent_id/child_id relations) and the engine_settings row. The reference also created a tsvector column on
-- subscriptions with its own query parser and triggers, all of which its revision e05bb1967eff removes again;
-- wfo leaves that machinery out, so a database never stops in a state that needs it.
--
-- wfo:revision c112305b07d3
-- wfo:down_revision
-- wfo:branch_labels schema
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;

CREATE TABLE engine_settings (
    global_lock       boolean NOT NULL,
    running_processes integer NOT NULL,
    CONSTRAINT engine_settings_pkey PRIMARY KEY (global_lock),
    CONSTRAINT check_running_processes_positive CHECK (running_processes >= 0)
);

CREATE TABLE processes (
    pid              uuid         DEFAULT uuid_generate_v4() NOT NULL,
    workflow         varchar(255) NOT NULL,
    assignee         varchar(50)  DEFAULT 'SYSTEM' NOT NULL,
    last_status      varchar(50)  NOT NULL,
    last_step        varchar(255),
    started_at       timestamptz  DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_modified_at timestamptz  DEFAULT CURRENT_TIMESTAMP NOT NULL,
    failed_reason    text,
    traceback        text,
    created_by       varchar(255),
    is_task          boolean      DEFAULT false NOT NULL,
    CONSTRAINT processes_pkey PRIMARY KEY (pid)
);
CREATE INDEX ix_processes_is_task ON processes (is_task);
CREATE INDEX ix_processes_pid ON processes (pid);

CREATE TABLE product_blocks (
    product_block_id uuid         DEFAULT uuid_generate_v4() NOT NULL,
    name             varchar      NOT NULL,
    description      text         NOT NULL,
    tag              varchar(20),
    status           varchar(255),
    created_at       timestamptz  DEFAULT CURRENT_TIMESTAMP NOT NULL,
    end_date         timestamptz,
    CONSTRAINT product_blocks_pkey PRIMARY KEY (product_block_id),
    CONSTRAINT product_blocks_name_key UNIQUE (name)
);

CREATE TABLE products (
    product_id   uuid         DEFAULT uuid_generate_v4() NOT NULL,
    name         varchar      NOT NULL,
    description  text         NOT NULL,
    product_type varchar(255) NOT NULL,
    tag          varchar(20)  NOT NULL,
    status       varchar(255) NOT NULL,
    created_at   timestamptz  DEFAULT CURRENT_TIMESTAMP NOT NULL,
    end_date     timestamptz,
    CONSTRAINT products_pkey PRIMARY KEY (product_id),
    CONSTRAINT products_name_key UNIQUE (name)
);
CREATE INDEX ix_products_tag ON products (tag);

CREATE TABLE resource_types (
    resource_type_id uuid         DEFAULT uuid_generate_v4() NOT NULL,
    resource_type    varchar(510) NOT NULL,
    description      text,
    CONSTRAINT resource_types_pkey PRIMARY KEY (resource_type_id),
    CONSTRAINT resource_types_resource_type_key UNIQUE (resource_type)
);

CREATE TABLE workflows (
    workflow_id uuid        DEFAULT uuid_generate_v4() NOT NULL,
    name        varchar     NOT NULL,
    target      varchar     NOT NULL,
    description text,
    created_at  timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT workflows_pkey PRIMARY KEY (workflow_id),
    CONSTRAINT workflows_name_key UNIQUE (name)
);

CREATE TABLE fixed_inputs (
    fixed_input_id uuid        DEFAULT uuid_generate_v4() NOT NULL,
    name           varchar     NOT NULL,
    value          varchar     NOT NULL,
    created_at     timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    product_id     uuid        NOT NULL,
    CONSTRAINT fixed_inputs_pkey PRIMARY KEY (fixed_input_id),
    CONSTRAINT fixed_inputs_product_id_fkey FOREIGN KEY (product_id)
        REFERENCES products (product_id) ON DELETE CASCADE,
    CONSTRAINT fixed_inputs_name_product_id_key UNIQUE (name, product_id)
);

CREATE TABLE process_steps (
    stepid      uuid         DEFAULT uuid_generate_v4() NOT NULL,
    pid         uuid         NOT NULL,
    name        varchar      NOT NULL,
    status      varchar(50)  NOT NULL,
    state       jsonb        NOT NULL,
    created_by  varchar(255),
    executed_at timestamptz  DEFAULT statement_timestamp() NOT NULL,
    commit_hash varchar(40),
    CONSTRAINT process_steps_pkey PRIMARY KEY (stepid),
    CONSTRAINT process_steps_pid_fkey FOREIGN KEY (pid)
        REFERENCES processes (pid) ON DELETE CASCADE
);
CREATE INDEX ix_process_steps_pid ON process_steps (pid);

CREATE TABLE product_block_resource_types (
    product_block_id uuid NOT NULL,
    resource_type_id uuid NOT NULL,
    CONSTRAINT product_block_resource_types_pkey PRIMARY KEY (product_block_id, resource_type_id),
    CONSTRAINT product_block_resource_types_product_block_id_fkey FOREIGN KEY (product_block_id)
        REFERENCES product_blocks (product_block_id) ON DELETE CASCADE,
    CONSTRAINT product_block_resource_types_resource_type_id_fkey FOREIGN KEY (resource_type_id)
        REFERENCES resource_types (resource_type_id) ON DELETE CASCADE
);

CREATE TABLE product_product_blocks (
    product_id       uuid NOT NULL,
    product_block_id uuid NOT NULL,
    CONSTRAINT product_product_blocks_pkey PRIMARY KEY (product_id, product_block_id),
    CONSTRAINT product_product_blocks_product_id_fkey FOREIGN KEY (product_id)
        REFERENCES products (product_id) ON DELETE CASCADE,
    CONSTRAINT product_product_blocks_product_block_id_fkey FOREIGN KEY (product_block_id)
        REFERENCES product_blocks (product_block_id) ON DELETE CASCADE
);

CREATE TABLE products_workflows (
    product_id  uuid NOT NULL,
    workflow_id uuid NOT NULL,
    CONSTRAINT products_workflows_pkey PRIMARY KEY (product_id, workflow_id),
    CONSTRAINT products_workflows_product_id_fkey FOREIGN KEY (product_id)
        REFERENCES products (product_id) ON DELETE CASCADE,
    CONSTRAINT products_workflows_workflow_id_fkey FOREIGN KEY (workflow_id)
        REFERENCES workflows (workflow_id) ON DELETE CASCADE
);

CREATE TABLE subscriptions (
    subscription_id uuid         DEFAULT uuid_generate_v4() NOT NULL,
    description     text         NOT NULL,
    status          varchar(255) NOT NULL,
    product_id      uuid         NOT NULL,
    customer_id     uuid         NOT NULL,
    insync          boolean      NOT NULL,
    start_date      timestamptz,
    end_date        timestamptz,
    note            text,
    CONSTRAINT subscriptions_pkey PRIMARY KEY (subscription_id),
    CONSTRAINT subscriptions_product_id_fkey FOREIGN KEY (product_id)
        REFERENCES products (product_id)
);
CREATE INDEX ix_subscriptions_customer_id ON subscriptions (customer_id);
CREATE INDEX ix_subscriptions_product_id ON subscriptions (product_id);
CREATE INDEX ix_subscriptions_status ON subscriptions (status);
CREATE INDEX subscription_customer_ix ON subscriptions (subscription_id, customer_id);
CREATE INDEX subscription_product_ix ON subscriptions (subscription_id, product_id);

CREATE TABLE processes_subscriptions (
    id              uuid         DEFAULT uuid_generate_v4() NOT NULL,
    pid             uuid         NOT NULL,
    subscription_id uuid         NOT NULL,
    created_at      timestamptz  DEFAULT CURRENT_TIMESTAMP NOT NULL,
    workflow_target varchar(255) DEFAULT 'CREATE' NOT NULL,
    CONSTRAINT processes_subscriptions_pkey PRIMARY KEY (id),
    CONSTRAINT processes_subscriptions_pid_fkey FOREIGN KEY (pid)
        REFERENCES processes (pid) ON DELETE CASCADE,
    CONSTRAINT processes_subscriptions_subscription_id_fkey FOREIGN KEY (subscription_id)
        REFERENCES subscriptions (subscription_id)
);
CREATE INDEX ix_processes_subscriptions_pid ON processes_subscriptions (pid);
CREATE INDEX ix_processes_subscriptions_subscription_id ON processes_subscriptions (subscription_id);
CREATE INDEX processes_subscriptions_ix ON processes_subscriptions (pid, subscription_id);

CREATE TABLE subscription_customer_descriptions (
    id              uuid        DEFAULT uuid_generate_v4() NOT NULL,
    subscription_id uuid        NOT NULL,
    customer_id     uuid        NOT NULL,
    description     text        NOT NULL,
    created_at      timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    CONSTRAINT subscription_customer_descriptions_pkey PRIMARY KEY (id),
    CONSTRAINT subscription_customer_descriptions_subscription_id_fkey FOREIGN KEY (subscription_id)
        REFERENCES subscriptions (subscription_id) ON DELETE CASCADE,
    CONSTRAINT uniq_customer_subscription_description UNIQUE (customer_id, subscription_id)
);
CREATE INDEX ix_subscription_customer_descriptions_customer_id
    ON subscription_customer_descriptions (customer_id);
CREATE INDEX ix_subscription_customer_descriptions_subscription_id
    ON subscription_customer_descriptions (subscription_id);

CREATE TABLE subscription_instances (
    subscription_instance_id uuid         DEFAULT uuid_generate_v4() NOT NULL,
    subscription_id          uuid         NOT NULL,
    product_block_id         uuid         NOT NULL,
    label                    varchar(255),
    CONSTRAINT subscription_instances_pkey PRIMARY KEY (subscription_instance_id),
    CONSTRAINT subscription_instances_product_block_id_fkey FOREIGN KEY (product_block_id)
        REFERENCES product_blocks (product_block_id),
    CONSTRAINT subscription_instances_subscription_id_fkey FOREIGN KEY (subscription_id)
        REFERENCES subscriptions (subscription_id) ON DELETE CASCADE
);
CREATE INDEX ix_subscription_instances_product_block_id ON subscription_instances (product_block_id);
CREATE INDEX ix_subscription_instances_subscription_id ON subscription_instances (subscription_id);
CREATE INDEX subscription_instance_s_pb_ix
    ON subscription_instances (subscription_instance_id, subscription_id, product_block_id);

CREATE TABLE subscription_instance_relations (
    parent_id         uuid    NOT NULL,
    child_id          uuid    NOT NULL,
    order_id          integer NOT NULL,
    domain_model_attr text,
    CONSTRAINT subscription_instance_relations_pkey PRIMARY KEY (parent_id, child_id, order_id),
    CONSTRAINT subscription_instance_relations_parent_id_fkey FOREIGN KEY (parent_id)
        REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE,
    CONSTRAINT subscription_instance_relations_child_id_fkey FOREIGN KEY (child_id)
        REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX subscription_relation_p_c_o_ix
    ON subscription_instance_relations (parent_id, child_id, order_id);

CREATE TABLE subscription_instance_values (
    subscription_instance_value_id uuid DEFAULT uuid_generate_v4() NOT NULL,
    subscription_instance_id       uuid NOT NULL,
    resource_type_id               uuid NOT NULL,
    value                          text NOT NULL,
    CONSTRAINT subscription_instance_values_pkey PRIMARY KEY (subscription_instance_value_id),
    CONSTRAINT subscription_instance_values_resource_type_id_fkey FOREIGN KEY (resource_type_id)
        REFERENCES resource_types (resource_type_id),
    CONSTRAINT subscription_instance_values_subscription_instance_id_fkey FOREIGN KEY (subscription_instance_id)
        REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE
);
CREATE INDEX ix_subscription_instance_values_resource_type_id
    ON subscription_instance_values (resource_type_id);
CREATE INDEX ix_subscription_instance_values_subscription_instance_id
    ON subscription_instance_values (subscription_instance_id);
CREATE INDEX siv_si_rt_ix
    ON subscription_instance_values (subscription_instance_value_id, subscription_instance_id, resource_type_id);

INSERT INTO engine_settings VALUES (false, 0);

-- wfo:downgrade postgres
-- The uuid-ossp extension stays, as in the reference: other schemas may use it.
DROP TABLE subscription_instance_values;
DROP TABLE subscription_instance_relations;
DROP TABLE subscription_instances;
DROP TABLE subscription_customer_descriptions;
DROP TABLE processes_subscriptions;
DROP TABLE subscriptions;
DROP TABLE products_workflows;
DROP TABLE product_product_blocks;
DROP TABLE product_block_resource_types;
DROP TABLE process_steps;
DROP TABLE fixed_inputs;
DROP TABLE workflows;
DROP TABLE resource_types;
DROP TABLE products;
DROP TABLE product_blocks;
DROP TABLE processes;
DROP TABLE engine_settings;

-- wfo:upgrade sqlite
-- SQLite gets the tables as they are at 850dccac3b02 (orchestrator-core 4.3.0) here, in one step; the later
-- structural revisions up to that id do nothing on SQLite, and the revisions that insert or change rows do the
-- same as on PostgreSQL. uuid columns are TEXT holding the lower-case canonical form, with a default that builds
-- a random version 4 UUID. Timestamps are TEXT in UTC (YYYY-MM-DD HH:MM:SS.SSS+00:00), jsonb is TEXT, booleans
-- are 0/1. Unique constraints are written as unique indexes named as in PostgreSQL, because schema inspection
-- round-trips those without spurious differences. The search machinery and the JSON functions have no
-- counterpart here.
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

-- wfo:downgrade sqlite
DROP TRIGGER subscription_customer_descriptions_increment_version_trigger;
DROP TRIGGER subscriptions_increment_version_trigger;
DROP TABLE input_states;
DROP TABLE processes_subscriptions;
DROP TABLE process_steps;
DROP TABLE processes;
DROP TABLE subscription_metadata;
DROP TABLE subscription_instance_relations;
DROP TABLE subscription_instance_values;
DROP TABLE subscription_instances;
DROP TABLE subscription_customer_descriptions;
DROP TABLE subscriptions;
DROP TABLE products_workflows;
DROP TABLE product_block_relations;
DROP TABLE product_block_resource_types;
DROP TABLE product_product_blocks;
DROP TABLE fixed_inputs;
DROP TABLE resource_types;
DROP TABLE product_blocks;
DROP TABLE products;
DROP TABLE workflows;
DROP TABLE engine_settings;
