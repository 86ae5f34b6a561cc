-- A database as earlier wfo builds left it: their one core revision 850dccac3b02 (the
-- whole 4.3.0 schema at once, core tasks inserted as tasks, no search view) and its own 29bf76c597fe.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE TYPE inputtype AS ENUM ('user_input', 'initial_state');

CREATE TABLE engine_settings (
    global_lock       boolean NOT NULL,
    running_processes integer NOT NULL,
    CONSTRAINT engine_settings_pkey PRIMARY KEY (global_lock),
    CONSTRAINT check_running_processes_positive CHECK (running_processes >= 0)
);

CREATE TABLE workflows (
    workflow_id uuid        DEFAULT uuid_generate_v4() NOT NULL,
    name        varchar     NOT NULL,
    target      varchar     NOT NULL,
    description text        NOT NULL,
    created_at  timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    deleted_at  timestamptz,
    is_task     boolean     DEFAULT false NOT NULL,
    CONSTRAINT workflows_pkey PRIMARY KEY (workflow_id),
    CONSTRAINT workflows_name_key UNIQUE (name)
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

CREATE TABLE resource_types (
    resource_type_id uuid         DEFAULT uuid_generate_v4() NOT NULL,
    resource_type    varchar(510) NOT NULL,
    description      text,
    CONSTRAINT resource_types_pkey PRIMARY KEY (resource_type_id),
    CONSTRAINT resource_types_resource_type_key UNIQUE (resource_type)
);

CREATE TABLE fixed_inputs (
    fixed_input_id uuid        DEFAULT uuid_generate_v4() NOT NULL,
    name           varchar     NOT NULL,
    value          varchar     NOT NULL,
    created_at     timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    product_id     uuid        NOT NULL,
    CONSTRAINT fixed_inputs_pkey PRIMARY KEY (fixed_input_id),
    CONSTRAINT fixed_inputs_name_product_id_key UNIQUE (name, product_id),
    CONSTRAINT fixed_inputs_product_id_fkey FOREIGN KEY (product_id)
        REFERENCES products (product_id) ON DELETE CASCADE
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

CREATE TABLE product_block_resource_types (
    product_block_id uuid NOT NULL,
    resource_type_id uuid NOT NULL,
    CONSTRAINT product_block_resource_types_pkey PRIMARY KEY (product_block_id, resource_type_id),
    CONSTRAINT product_block_resource_types_product_block_id_fkey FOREIGN KEY (product_block_id)
        REFERENCES product_blocks (product_block_id) ON DELETE CASCADE,
    CONSTRAINT product_block_resource_types_resource_type_id_fkey FOREIGN KEY (resource_type_id)
        REFERENCES resource_types (resource_type_id) ON DELETE CASCADE
);

CREATE TABLE product_block_relations (
    in_use_by_id  uuid    NOT NULL,
    depends_on_id uuid    NOT NULL,
    min           integer,
    max           integer,
    CONSTRAINT product_block_relations_pkey PRIMARY KEY (in_use_by_id, depends_on_id),
    CONSTRAINT product_block_relations_in_use_by_id_fkey FOREIGN KEY (in_use_by_id)
        REFERENCES product_blocks (product_block_id) ON DELETE CASCADE,
    CONSTRAINT product_block_relations_depends_on_id_fkey FOREIGN KEY (depends_on_id)
        REFERENCES product_blocks (product_block_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX product_block_relation_i_d_ix ON product_block_relations (in_use_by_id, depends_on_id);

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
    customer_id     varchar      NOT NULL,
    insync          boolean      NOT NULL,
    start_date      timestamptz,
    end_date        timestamptz,
    note            text,
    version         integer      DEFAULT 1 NOT NULL,
    CONSTRAINT subscriptions_pkey PRIMARY KEY (subscription_id),
    CONSTRAINT subscriptions_product_id_fkey FOREIGN KEY (product_id)
        REFERENCES products (product_id)
);
CREATE INDEX ix_subscriptions_customer_id ON subscriptions (customer_id);
CREATE INDEX ix_subscriptions_product_id ON subscriptions (product_id);
CREATE INDEX ix_subscriptions_status ON subscriptions (status);
CREATE INDEX subscription_customer_ix ON subscriptions (subscription_id, customer_id);
CREATE INDEX subscription_product_ix ON subscriptions (subscription_id, product_id);

CREATE TABLE subscription_customer_descriptions (
    id              uuid        DEFAULT uuid_generate_v4() NOT NULL,
    subscription_id uuid        NOT NULL,
    customer_id     varchar     NOT NULL,
    description     text        NOT NULL,
    created_at      timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    version         integer     DEFAULT 1 NOT NULL,
    CONSTRAINT subscription_customer_descriptions_pkey PRIMARY KEY (id),
    CONSTRAINT uniq_customer_subscription_description UNIQUE (customer_id, subscription_id),
    CONSTRAINT subscription_customer_descriptions_subscription_id_fkey FOREIGN KEY (subscription_id)
        REFERENCES subscriptions (subscription_id) ON DELETE CASCADE
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
    CONSTRAINT subscription_instances_subscription_id_fkey FOREIGN KEY (subscription_id)
        REFERENCES subscriptions (subscription_id) ON DELETE CASCADE,
    CONSTRAINT subscription_instances_product_block_id_fkey FOREIGN KEY (product_block_id)
        REFERENCES product_blocks (product_block_id)
);
CREATE INDEX ix_subscription_instances_product_block_id ON subscription_instances (product_block_id);
CREATE INDEX ix_subscription_instances_subscription_id ON subscription_instances (subscription_id);
CREATE INDEX subscription_instance_s_pb_ix
    ON subscription_instances (subscription_instance_id, subscription_id, product_block_id);

CREATE TABLE subscription_instance_values (
    subscription_instance_value_id uuid DEFAULT uuid_generate_v4() NOT NULL,
    subscription_instance_id       uuid NOT NULL,
    resource_type_id               uuid NOT NULL,
    value                          text NOT NULL,
    CONSTRAINT subscription_instance_values_pkey PRIMARY KEY (subscription_instance_value_id),
    CONSTRAINT subscription_instance_values_subscription_instance_id_fkey FOREIGN KEY (subscription_instance_id)
        REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE,
    CONSTRAINT subscription_instance_values_resource_type_id_fkey FOREIGN KEY (resource_type_id)
        REFERENCES resource_types (resource_type_id)
);
CREATE INDEX ix_subscription_instance_values_resource_type_id
    ON subscription_instance_values (resource_type_id);
CREATE INDEX ix_subscription_instance_values_subscription_instance_id
    ON subscription_instance_values (subscription_instance_id);
CREATE INDEX siv_si_rt_ix
    ON subscription_instance_values (subscription_instance_value_id, subscription_instance_id, resource_type_id);

CREATE TABLE subscription_instance_relations (
    in_use_by_id      uuid    NOT NULL,
    depends_on_id     uuid    NOT NULL,
    order_id          integer NOT NULL,
    domain_model_attr text,
    CONSTRAINT subscription_instance_relations_pkey PRIMARY KEY (in_use_by_id, depends_on_id, order_id),
    CONSTRAINT subscription_instance_relations_in_use_by_id_fkey FOREIGN KEY (in_use_by_id)
        REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE,
    CONSTRAINT subscription_instance_relations_depends_on_id_fkey FOREIGN KEY (depends_on_id)
        REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX subscription_relation_i_d_o_ix
    ON subscription_instance_relations (in_use_by_id, depends_on_id, order_id);

-- No primary key, as in orchestrator-core: the ORM treats subscription_id as one.
CREATE TABLE subscription_metadata (
    subscription_id uuid  NOT NULL,
    metadata        jsonb NOT NULL,
    CONSTRAINT subscription_metadata_subscription_id_fkey FOREIGN KEY (subscription_id)
        REFERENCES subscriptions (subscription_id) ON DELETE CASCADE
);
CREATE INDEX ix_subscription_metadata_subscription_id ON subscription_metadata (subscription_id);

-- workflow_id comes last: orchestrator-core added it to an existing table (048219045729).
CREATE TABLE processes (
    pid              uuid         DEFAULT uuid_generate_v4() NOT NULL,
    assignee         varchar(50)  DEFAULT 'SYSTEM' NOT NULL,
    last_status      varchar(50)  NOT NULL,
    last_step        varchar(255),
    started_at       timestamptz  DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_modified_at timestamptz  DEFAULT CURRENT_TIMESTAMP NOT NULL,
    failed_reason    text,
    traceback        text,
    created_by       varchar(255),
    is_task          boolean      DEFAULT false NOT NULL,
    workflow_id      uuid         NOT NULL,
    CONSTRAINT processes_pkey PRIMARY KEY (pid),
    CONSTRAINT processes_workflow_id_fkey FOREIGN KEY (workflow_id)
        REFERENCES workflows (workflow_id)
);
CREATE INDEX ix_processes_is_task ON processes (is_task);
CREATE INDEX ix_processes_pid ON processes (pid);

-- started_at comes last: orchestrator-core added it to an existing table (93fc5834c7e5).
CREATE TABLE process_steps (
    stepid       uuid         DEFAULT uuid_generate_v4() NOT NULL,
    pid          uuid         NOT NULL,
    name         varchar      NOT NULL,
    status       varchar(50)  NOT NULL,
    state        jsonb        NOT NULL,
    created_by   varchar(255),
    completed_at timestamptz  DEFAULT statement_timestamp() NOT NULL,
    commit_hash  varchar(40),
    started_at   timestamptz  DEFAULT statement_timestamp() NOT NULL,
    CONSTRAINT process_steps_pkey PRIMARY KEY (stepid),
    CONSTRAINT process_steps_pid_fkey FOREIGN KEY (pid)
        REFERENCES processes (pid) ON DELETE CASCADE
);
CREATE INDEX ix_process_steps_pid ON process_steps (pid);

CREATE TABLE processes_subscriptions (
    id              uuid         DEFAULT uuid_generate_v4() NOT NULL,
    pid             uuid         NOT NULL,
    subscription_id uuid         NOT NULL,
    created_at      timestamptz  DEFAULT CURRENT_TIMESTAMP NOT NULL,
    workflow_target varchar(255) DEFAULT 'CREATE',
    CONSTRAINT processes_subscriptions_pkey PRIMARY KEY (id),
    CONSTRAINT processes_subscriptions_pid_fkey FOREIGN KEY (pid)
        REFERENCES processes (pid) ON DELETE CASCADE,
    CONSTRAINT processes_subscriptions_subscription_id_fkey FOREIGN KEY (subscription_id)
        REFERENCES subscriptions (subscription_id)
);
CREATE INDEX ix_processes_subscriptions_pid ON processes_subscriptions (pid);
CREATE INDEX ix_processes_subscriptions_subscription_id ON processes_subscriptions (subscription_id);
CREATE INDEX processes_subscriptions_ix ON processes_subscriptions (pid, subscription_id);

CREATE TABLE input_states (
    input_state_id uuid        DEFAULT uuid_generate_v4() NOT NULL,
    pid            uuid        NOT NULL,
    input_state    jsonb       NOT NULL,
    input_time     timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    input_type     inputtype   NOT NULL,
    CONSTRAINT input_states_pkey PRIMARY KEY (input_state_id),
    CONSTRAINT input_states_pid_fkey FOREIGN KEY (pid)
        REFERENCES processes (pid) ON DELETE CASCADE
);
CREATE INDEX ix_input_state_input_state_id ON input_states (input_state_id);

-- Optimistic locking: every UPDATE of a subscription or customer description bumps its version.
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
    FOR EACH ROW
    EXECUTE FUNCTION increment_version();

CREATE TRIGGER subscription_customer_descriptions_increment_version_trigger
    BEFORE UPDATE ON subscription_customer_descriptions
    FOR EACH ROW
    EXECUTE FUNCTION increment_version();

-- The fields of one instance as a jsonb object: its id, owner subscription and block name, and one key per
-- resource type holding the array of its values in ascending order. NULL when the instance does not exist.
CREATE FUNCTION subscription_instance_fields_as_json(sub_inst_id uuid) RETURNS jsonb
    LANGUAGE sql
    STABLE PARALLEL SAFE
AS $body$
    SELECT jsonb_build_object(
               'subscription_instance_id', si.subscription_instance_id,
               'owner_subscription_id', si.subscription_id,
               'name', pb.name
           )
           || coalesce(
               (SELECT jsonb_object_agg(rv.resource_type, rv.vals)
                FROM (SELECT rt.resource_type,
                             jsonb_agg(siv.value ORDER BY siv.value ASC) AS vals
                      FROM subscription_instance_values siv
                      JOIN resource_types rt ON rt.resource_type_id = siv.resource_type_id
                      WHERE siv.subscription_instance_id = si.subscription_instance_id
                      GROUP BY rt.resource_type) AS rv),
               '{}'::jsonb)
    FROM subscription_instances si
    JOIN product_blocks pb ON pb.product_block_id = si.product_block_id
    WHERE si.subscription_instance_id = sub_inst_id
$body$;

-- One instance with its nested instances: the fields above plus one key per domain_model_attr of its outgoing
-- relations, holding the array of the nested instances (recursively) in order_id order. Relations without a
-- domain_model_attr are left out.
CREATE FUNCTION subscription_instance_as_json(sub_inst_id uuid) RETURNS jsonb
    LANGUAGE sql
    STABLE PARALLEL SAFE
AS $body$
    SELECT subscription_instance_fields_as_json(sub_inst_id)
           || coalesce(
               (SELECT jsonb_object_agg(nested.domain_model_attr, nested.instances)
                FROM (SELECT sir.domain_model_attr,
                             jsonb_agg(subscription_instance_as_json(sir.depends_on_id)
                                       ORDER BY sir.order_id ASC) AS instances
                      FROM subscription_instance_relations sir
                      WHERE sir.in_use_by_id = sub_inst_id
                        AND sir.domain_model_attr IS NOT NULL
                      GROUP BY sir.domain_model_attr) AS nested),
               '{}'::jsonb)
$body$;

INSERT INTO engine_settings (global_lock, running_processes) VALUES (false, 0);

INSERT INTO workflows (name, target, description, is_task) VALUES
    ('modify_note', 'MODIFY', 'Modify Note', false),
    ('task_clean_up_tasks', 'SYSTEM', 'Clean up old tasks', true),
    ('task_resume_workflows', 'SYSTEM',
     'Resume all workflows that are stuck on tasks with the status ''waiting'', ''created'' or ''resumed''', true),
    ('task_validate_products', 'SYSTEM', 'Validate products', true),
    ('task_validate_product_type', 'SYSTEM', 'Validate all subscriptions of Product Type', true);

INSERT INTO workflows (name, target, description, is_task)
VALUES ('task_validate_subscriptions', 'SYSTEM', 'Validate subscriptions', true);

CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO alembic_version (version_num) VALUES ('29bf76c597fe');
