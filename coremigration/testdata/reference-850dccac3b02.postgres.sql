-- A PostgreSQL database as orchestrator-core 4.3.0 to 4.6.5 leaves it: the schema branch at its 4.3.0 head
-- 850dccac3b02 (alembic_version holds that id alone), with the core's rows as those releases insert them (every
-- core task with is_task false), followed by what a 4.6 installation adds at run time.
--
-- The schema part is a plain dump (pg_dump --inserts, session settings and comments left out) of the state the
-- reference's revisions c112305b07d3 to 850dccac3b02 produce: the tables, keys, indexes, the search view
-- subscriptions_search with its refresh function and triggers, the version triggers and the JSON functions.
-- Generated ids and times are those of one run; nothing depends on them. Function bodies refer to functions
-- defined later, so they are not checked when created (as pg_dump's own output arranges it).

SET check_function_bodies = false;

CREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;

CREATE TYPE public.inputtype AS ENUM (
    'user_input',
    'initial_state'
);

CREATE FUNCTION public.increment_version() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;

CREATE FUNCTION public.refresh_subscriptions_search_view() RETURNS trigger
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

CREATE FUNCTION public.subscription_instance_as_json(sub_inst_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
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
$$;

CREATE FUNCTION public.subscription_instance_fields_as_json(sub_inst_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
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
$$;

CREATE TABLE public.alembic_version (
    version_num character varying(32) NOT NULL
);

CREATE TABLE public.engine_settings (
    global_lock boolean NOT NULL,
    running_processes integer NOT NULL,
    CONSTRAINT check_running_processes_positive CHECK ((running_processes >= 0))
);

CREATE TABLE public.fixed_inputs (
    fixed_input_id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    name character varying NOT NULL,
    value character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    product_id uuid NOT NULL
);

CREATE TABLE public.input_states (
    input_state_id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    pid uuid NOT NULL,
    input_state jsonb NOT NULL,
    input_time timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    input_type public.inputtype NOT NULL
);

CREATE TABLE public.process_steps (
    stepid uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    pid uuid NOT NULL,
    name character varying NOT NULL,
    status character varying(50) NOT NULL,
    state jsonb NOT NULL,
    created_by character varying(255),
    completed_at timestamp with time zone DEFAULT statement_timestamp() NOT NULL,
    commit_hash character varying(40),
    started_at timestamp with time zone DEFAULT statement_timestamp() NOT NULL
);

CREATE TABLE public.processes (
    pid uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    assignee character varying(50) DEFAULT 'SYSTEM'::character varying NOT NULL,
    last_status character varying(50) NOT NULL,
    last_step character varying(255),
    started_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_modified_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    failed_reason text,
    traceback text,
    created_by character varying(255),
    is_task boolean DEFAULT false NOT NULL,
    workflow_id uuid NOT NULL
);

CREATE TABLE public.processes_subscriptions (
    id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    pid uuid NOT NULL,
    subscription_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    workflow_target character varying(255) DEFAULT 'CREATE'::character varying
);

CREATE TABLE public.product_block_relations (
    in_use_by_id uuid NOT NULL,
    depends_on_id uuid NOT NULL,
    min integer,
    max integer
);

CREATE TABLE public.product_block_resource_types (
    product_block_id uuid NOT NULL,
    resource_type_id uuid NOT NULL
);

CREATE TABLE public.product_blocks (
    product_block_id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    name character varying NOT NULL,
    description text NOT NULL,
    tag character varying(20),
    status character varying(255),
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    end_date timestamp with time zone
);

CREATE TABLE public.product_product_blocks (
    product_id uuid NOT NULL,
    product_block_id uuid NOT NULL
);

CREATE TABLE public.products (
    product_id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    name character varying NOT NULL,
    description text NOT NULL,
    product_type character varying(255) NOT NULL,
    tag character varying(20) NOT NULL,
    status character varying(255) NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    end_date timestamp with time zone
);

CREATE TABLE public.products_workflows (
    product_id uuid NOT NULL,
    workflow_id uuid NOT NULL
);

CREATE TABLE public.resource_types (
    resource_type_id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    resource_type character varying(510) NOT NULL,
    description text
);

CREATE TABLE public.subscription_customer_descriptions (
    id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    subscription_id uuid NOT NULL,
    customer_id character varying NOT NULL,
    description text NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    version integer DEFAULT 1 NOT NULL
);

CREATE TABLE public.subscription_instance_relations (
    in_use_by_id uuid NOT NULL,
    depends_on_id uuid NOT NULL,
    order_id integer NOT NULL,
    domain_model_attr text
);

CREATE TABLE public.subscription_instance_values (
    subscription_instance_value_id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    subscription_instance_id uuid NOT NULL,
    resource_type_id uuid NOT NULL,
    value text NOT NULL
);

CREATE TABLE public.subscription_instances (
    subscription_instance_id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    subscription_id uuid NOT NULL,
    product_block_id uuid NOT NULL,
    label character varying(255)
);

CREATE TABLE public.subscription_metadata (
    subscription_id uuid NOT NULL,
    metadata jsonb NOT NULL
);

CREATE TABLE public.subscriptions (
    subscription_id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    description text NOT NULL,
    status character varying(255) NOT NULL,
    product_id uuid NOT NULL,
    customer_id character varying NOT NULL,
    insync boolean NOT NULL,
    start_date timestamp with time zone,
    end_date timestamp with time zone,
    note text,
    version integer DEFAULT 1 NOT NULL
);

CREATE MATERIALIZED VIEW public.subscriptions_search AS
 WITH rt_info AS (
         SELECT si.subscription_id,
            concat_ws(' '::text, string_agg((((rt.resource_type)::text || ' '::text) || siv.value), ' '::text), string_agg(DISTINCT ('subscription_instance_id:'::text || si.subscription_instance_id), ' '::text)) AS rt_info
           FROM ((public.subscription_instance_values siv
             JOIN public.resource_types rt ON ((rt.resource_type_id = siv.resource_type_id)))
             JOIN public.subscription_instances si ON ((si.subscription_instance_id = siv.subscription_instance_id)))
          GROUP BY si.subscription_id
        ), sub_prod_info AS (
         SELECT s_1.subscription_id,
            array_to_string(ARRAY[('subscription_id:'::text || s_1.subscription_id), ('status:'::text || (s_1.status)::text), ('insync:'::text || s_1.insync), ('subscription_description:'::text || s_1.description), ('note:'::text || COALESCE(s_1.note, ''::text)), ('customer_id:'::text || (s_1.customer_id)::text), ('product_id:'::text || s_1.product_id)], ' '::text) AS sub_info,
            array_to_string(ARRAY[('product_name:'::text || (p.name)::text), ('product_description:'::text || p.description), ('tag:'::text || (p.tag)::text), 'product_type:'::text, (p.product_type)::text], ' '::text) AS prod_info
           FROM (public.subscriptions s_1
             JOIN public.products p ON ((p.product_id = s_1.product_id)))
        ), fi_info AS (
         SELECT s_1.subscription_id,
            string_agg((((fi_1.name)::text || ':'::text) || (fi_1.value)::text), ' '::text) AS fi_info
           FROM (public.subscriptions s_1
             JOIN public.fixed_inputs fi_1 ON ((fi_1.product_id = s_1.product_id)))
          GROUP BY s_1.subscription_id
        ), cust_info AS (
         SELECT scd.subscription_id,
            string_agg(('customer_description: '::text || scd.description), ' '::text) AS cust_info
           FROM public.subscription_customer_descriptions scd
          GROUP BY scd.subscription_id
        )
 SELECT s.subscription_id,
    to_tsvector('simple'::regconfig, replace(concat_ws(' '::text, spi.sub_info, spi.prod_info, fi.fi_info, rti.rt_info, ci.cust_info, (sm.metadata)::text), '-'::text, '_'::text)) AS tsv
   FROM (((((public.subscriptions s
     LEFT JOIN sub_prod_info spi ON ((spi.subscription_id = s.subscription_id)))
     LEFT JOIN fi_info fi ON ((fi.subscription_id = s.subscription_id)))
     LEFT JOIN rt_info rti ON ((rti.subscription_id = s.subscription_id)))
     LEFT JOIN cust_info ci ON ((ci.subscription_id = s.subscription_id)))
     LEFT JOIN public.subscription_metadata sm ON ((sm.subscription_id = s.subscription_id)))
  WITH NO DATA;

CREATE TABLE public.workflows (
    workflow_id uuid DEFAULT public.uuid_generate_v4() NOT NULL,
    name character varying NOT NULL,
    target character varying NOT NULL,
    description text NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    deleted_at timestamp with time zone,
    is_task boolean DEFAULT false NOT NULL
);

INSERT INTO public.alembic_version VALUES ('850dccac3b02');

INSERT INTO public.engine_settings VALUES (false, 0);

INSERT INTO public.workflows VALUES ('f19d66f4-3591-458e-aeb3-ce2d2f61b532', 'modify_note', 'MODIFY', 'Modify Note', '2026-11-29 13:10:20.186442+00', NULL, false);
INSERT INTO public.workflows VALUES ('9bd4eccd-b22a-4fe2-bb1f-3b37478df3f3', 'task_clean_up_tasks', 'SYSTEM', 'Clean up old tasks', '2026-11-29 13:10:20.186442+00', NULL, false);
INSERT INTO public.workflows VALUES ('69a9a2c2-39d4-4ae6-9037-fdbf44c1f7da', 'task_validate_products', 'SYSTEM', 'Validate products', '2026-11-29 13:10:20.201966+00', NULL, false);
INSERT INTO public.workflows VALUES ('110fb15a-ae8c-462a-b599-28db7a17a6bc', 'task_validate_product_type', 'SYSTEM', 'Validate all subscriptions of Product Type', '2026-11-29 13:10:20.733985+00', NULL, false);
INSERT INTO public.workflows VALUES ('5e7825c7-f1e6-4b24-8cd8-d87c32cfe6ad', 'task_resume_workflows', 'SYSTEM', 'Resume all workflows that are stuck on tasks with the status ''waiting'', ''created'' or ''resumed''', '2026-11-29 13:10:20.186442+00', NULL, false);

ALTER TABLE ONLY public.alembic_version
    ADD CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num);

ALTER TABLE ONLY public.engine_settings
    ADD CONSTRAINT engine_settings_pkey PRIMARY KEY (global_lock);

ALTER TABLE ONLY public.fixed_inputs
    ADD CONSTRAINT fixed_inputs_name_product_id_key UNIQUE (name, product_id);

ALTER TABLE ONLY public.fixed_inputs
    ADD CONSTRAINT fixed_inputs_pkey PRIMARY KEY (fixed_input_id);

ALTER TABLE ONLY public.input_states
    ADD CONSTRAINT input_states_pkey PRIMARY KEY (input_state_id);

ALTER TABLE ONLY public.process_steps
    ADD CONSTRAINT process_steps_pkey PRIMARY KEY (stepid);

ALTER TABLE ONLY public.processes
    ADD CONSTRAINT processes_pkey PRIMARY KEY (pid);

ALTER TABLE ONLY public.processes_subscriptions
    ADD CONSTRAINT processes_subscriptions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.product_block_relations
    ADD CONSTRAINT product_block_relations_pkey PRIMARY KEY (in_use_by_id, depends_on_id);

ALTER TABLE ONLY public.product_block_resource_types
    ADD CONSTRAINT product_block_resource_types_pkey PRIMARY KEY (product_block_id, resource_type_id);

ALTER TABLE ONLY public.product_blocks
    ADD CONSTRAINT product_blocks_name_key UNIQUE (name);

ALTER TABLE ONLY public.product_blocks
    ADD CONSTRAINT product_blocks_pkey PRIMARY KEY (product_block_id);

ALTER TABLE ONLY public.product_product_blocks
    ADD CONSTRAINT product_product_blocks_pkey PRIMARY KEY (product_id, product_block_id);

ALTER TABLE ONLY public.products
    ADD CONSTRAINT products_name_key UNIQUE (name);

ALTER TABLE ONLY public.products
    ADD CONSTRAINT products_pkey PRIMARY KEY (product_id);

ALTER TABLE ONLY public.products_workflows
    ADD CONSTRAINT products_workflows_pkey PRIMARY KEY (product_id, workflow_id);

ALTER TABLE ONLY public.resource_types
    ADD CONSTRAINT resource_types_pkey PRIMARY KEY (resource_type_id);

ALTER TABLE ONLY public.resource_types
    ADD CONSTRAINT resource_types_resource_type_key UNIQUE (resource_type);

ALTER TABLE ONLY public.subscription_customer_descriptions
    ADD CONSTRAINT subscription_customer_descriptions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.subscription_instance_relations
    ADD CONSTRAINT subscription_instance_relations_pkey PRIMARY KEY (in_use_by_id, depends_on_id, order_id);

ALTER TABLE ONLY public.subscription_instance_values
    ADD CONSTRAINT subscription_instance_values_pkey PRIMARY KEY (subscription_instance_value_id);

ALTER TABLE ONLY public.subscription_instances
    ADD CONSTRAINT subscription_instances_pkey PRIMARY KEY (subscription_instance_id);

ALTER TABLE ONLY public.subscriptions
    ADD CONSTRAINT subscriptions_pkey PRIMARY KEY (subscription_id);

ALTER TABLE ONLY public.subscription_customer_descriptions
    ADD CONSTRAINT uniq_customer_subscription_description UNIQUE (customer_id, subscription_id);

ALTER TABLE ONLY public.workflows
    ADD CONSTRAINT workflows_name_key UNIQUE (name);

ALTER TABLE ONLY public.workflows
    ADD CONSTRAINT workflows_pkey PRIMARY KEY (workflow_id);

CREATE INDEX ix_input_state_input_state_id ON public.input_states USING btree (input_state_id);

CREATE INDEX ix_process_steps_pid ON public.process_steps USING btree (pid);

CREATE INDEX ix_processes_is_task ON public.processes USING btree (is_task);

CREATE INDEX ix_processes_pid ON public.processes USING btree (pid);

CREATE INDEX ix_processes_subscriptions_pid ON public.processes_subscriptions USING btree (pid);

CREATE INDEX ix_processes_subscriptions_subscription_id ON public.processes_subscriptions USING btree (subscription_id);

CREATE INDEX ix_products_tag ON public.products USING btree (tag);

CREATE INDEX ix_subscription_customer_descriptions_customer_id ON public.subscription_customer_descriptions USING btree (customer_id);

CREATE INDEX ix_subscription_customer_descriptions_subscription_id ON public.subscription_customer_descriptions USING btree (subscription_id);

CREATE INDEX ix_subscription_instance_values_resource_type_id ON public.subscription_instance_values USING btree (resource_type_id);

CREATE INDEX ix_subscription_instance_values_subscription_instance_id ON public.subscription_instance_values USING btree (subscription_instance_id);

CREATE INDEX ix_subscription_instances_product_block_id ON public.subscription_instances USING btree (product_block_id);

CREATE INDEX ix_subscription_instances_subscription_id ON public.subscription_instances USING btree (subscription_id);

CREATE INDEX ix_subscription_metadata_subscription_id ON public.subscription_metadata USING btree (subscription_id);

CREATE INDEX ix_subscriptions_customer_id ON public.subscriptions USING btree (customer_id);

CREATE INDEX ix_subscriptions_product_id ON public.subscriptions USING btree (product_id);

CREATE INDEX ix_subscriptions_status ON public.subscriptions USING btree (status);

CREATE INDEX processes_subscriptions_ix ON public.processes_subscriptions USING btree (pid, subscription_id);

CREATE UNIQUE INDEX product_block_relation_i_d_ix ON public.product_block_relations USING btree (in_use_by_id, depends_on_id);

CREATE INDEX siv_si_rt_ix ON public.subscription_instance_values USING btree (subscription_instance_value_id, subscription_instance_id, resource_type_id);

CREATE INDEX subscription_customer_ix ON public.subscriptions USING btree (subscription_id, customer_id);

CREATE INDEX subscription_instance_s_pb_ix ON public.subscription_instances USING btree (subscription_instance_id, subscription_id, product_block_id);

CREATE INDEX subscription_product_ix ON public.subscriptions USING btree (subscription_id, product_id);

CREATE UNIQUE INDEX subscription_relation_i_d_o_ix ON public.subscription_instance_relations USING btree (in_use_by_id, depends_on_id, order_id);

CREATE UNIQUE INDEX subscriptions_search_subscription_id_idx ON public.subscriptions_search USING btree (subscription_id);

CREATE INDEX subscriptions_search_tsv_idx ON public.subscriptions_search USING gin (tsv);

CREATE CONSTRAINT TRIGGER fi_refresh_search AFTER UPDATE ON public.fixed_inputs DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.refresh_subscriptions_search_view();

CREATE CONSTRAINT TRIGGER products_refresh_search AFTER UPDATE ON public.products DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.refresh_subscriptions_search_view();

CREATE CONSTRAINT TRIGGER siv_refresh_search AFTER INSERT OR DELETE OR UPDATE ON public.subscription_instance_values DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.refresh_subscriptions_search_view();

CREATE CONSTRAINT TRIGGER sub_cust_desc_refresh_search AFTER INSERT OR DELETE OR UPDATE ON public.subscription_customer_descriptions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.refresh_subscriptions_search_view();

CREATE CONSTRAINT TRIGGER sub_refresh_search AFTER INSERT OR DELETE OR UPDATE ON public.subscriptions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.refresh_subscriptions_search_view();

CREATE TRIGGER subscription_customer_descriptions_increment_version_trigger BEFORE UPDATE ON public.subscription_customer_descriptions FOR EACH ROW EXECUTE FUNCTION public.increment_version();

CREATE TRIGGER subscriptions_increment_version_trigger BEFORE UPDATE ON public.subscriptions FOR EACH ROW EXECUTE FUNCTION public.increment_version();

ALTER TABLE ONLY public.fixed_inputs
    ADD CONSTRAINT fixed_inputs_product_id_fkey FOREIGN KEY (product_id) REFERENCES public.products(product_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.input_states
    ADD CONSTRAINT input_states_pid_fkey FOREIGN KEY (pid) REFERENCES public.processes(pid) ON DELETE CASCADE;

ALTER TABLE ONLY public.process_steps
    ADD CONSTRAINT process_steps_pid_fkey FOREIGN KEY (pid) REFERENCES public.processes(pid) ON DELETE CASCADE;

ALTER TABLE ONLY public.processes_subscriptions
    ADD CONSTRAINT processes_subscriptions_pid_fkey FOREIGN KEY (pid) REFERENCES public.processes(pid) ON DELETE CASCADE;

ALTER TABLE ONLY public.processes_subscriptions
    ADD CONSTRAINT processes_subscriptions_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.subscriptions(subscription_id);

ALTER TABLE ONLY public.processes
    ADD CONSTRAINT processes_workflow_id_fkey FOREIGN KEY (workflow_id) REFERENCES public.workflows(workflow_id);

ALTER TABLE ONLY public.product_block_relations
    ADD CONSTRAINT product_block_relations_depends_on_id_fkey FOREIGN KEY (depends_on_id) REFERENCES public.product_blocks(product_block_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.product_block_relations
    ADD CONSTRAINT product_block_relations_in_use_by_id_fkey FOREIGN KEY (in_use_by_id) REFERENCES public.product_blocks(product_block_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.product_block_resource_types
    ADD CONSTRAINT product_block_resource_types_product_block_id_fkey FOREIGN KEY (product_block_id) REFERENCES public.product_blocks(product_block_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.product_block_resource_types
    ADD CONSTRAINT product_block_resource_types_resource_type_id_fkey FOREIGN KEY (resource_type_id) REFERENCES public.resource_types(resource_type_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.product_product_blocks
    ADD CONSTRAINT product_product_blocks_product_block_id_fkey FOREIGN KEY (product_block_id) REFERENCES public.product_blocks(product_block_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.product_product_blocks
    ADD CONSTRAINT product_product_blocks_product_id_fkey FOREIGN KEY (product_id) REFERENCES public.products(product_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.products_workflows
    ADD CONSTRAINT products_workflows_product_id_fkey FOREIGN KEY (product_id) REFERENCES public.products(product_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.products_workflows
    ADD CONSTRAINT products_workflows_workflow_id_fkey FOREIGN KEY (workflow_id) REFERENCES public.workflows(workflow_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.subscription_customer_descriptions
    ADD CONSTRAINT subscription_customer_descriptions_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.subscriptions(subscription_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.subscription_instance_relations
    ADD CONSTRAINT subscription_instance_relations_depends_on_id_fkey FOREIGN KEY (depends_on_id) REFERENCES public.subscription_instances(subscription_instance_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.subscription_instance_relations
    ADD CONSTRAINT subscription_instance_relations_in_use_by_id_fkey FOREIGN KEY (in_use_by_id) REFERENCES public.subscription_instances(subscription_instance_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.subscription_instance_values
    ADD CONSTRAINT subscription_instance_values_resource_type_id_fkey FOREIGN KEY (resource_type_id) REFERENCES public.resource_types(resource_type_id);

ALTER TABLE ONLY public.subscription_instance_values
    ADD CONSTRAINT subscription_instance_values_subscription_instance_id_fkey FOREIGN KEY (subscription_instance_id) REFERENCES public.subscription_instances(subscription_instance_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.subscription_instances
    ADD CONSTRAINT subscription_instances_product_block_id_fkey FOREIGN KEY (product_block_id) REFERENCES public.product_blocks(product_block_id);

ALTER TABLE ONLY public.subscription_instances
    ADD CONSTRAINT subscription_instances_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.subscriptions(subscription_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.subscription_metadata
    ADD CONSTRAINT subscription_metadata_subscription_id_fkey FOREIGN KEY (subscription_id) REFERENCES public.subscriptions(subscription_id) ON DELETE CASCADE;

ALTER TABLE ONLY public.subscriptions
    ADD CONSTRAINT subscriptions_product_id_fkey FOREIGN KEY (product_id) REFERENCES public.products(product_id);

REFRESH MATERIALIZED VIEW public.subscriptions_search;

-- What a 4.6 installation adds. APScheduler's job store creates its own table (with its index) when the scheduler
-- first starts, outside any revision, and keeps a pickled job in it.
CREATE TABLE apscheduler_jobs (id varchar(191) NOT NULL PRIMARY KEY, next_run_time double precision, job_state bytea NOT NULL);
CREATE INDEX ix_apscheduler_jobs_next_run_time ON apscheduler_jobs (next_run_time);
INSERT INTO apscheduler_jobs VALUES ('validate-products', 1764374400, '\x80049500'::bytea);

-- A product with a subscription whose note is blank, and a failed run of a core task recorded as a non-task (as
-- 4.0 to 4.6 record them), with a reason and a traceback longer than 4.8's limits.
INSERT INTO products (product_id, name, description, product_type, tag, status) VALUES ('6b1a3f5e-0c4b-4a53-9d4e-2f0a2c3b4d5e', 'Node', 'A node', 'Node', 'NODE', 'active');
INSERT INTO subscriptions (subscription_id, description, status, product_id, customer_id, insync, note) VALUES ('0c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f', 'Node ams01', 'active', '6b1a3f5e-0c4b-4a53-9d4e-2f0a2c3b4d5e', 'c1', true, '   ');
INSERT INTO processes (pid, workflow_id, last_status, last_step, is_task, failed_reason, traceback)
SELECT '9f8e7d6c-5b4a-4392-8171-605f4e3d2c1b', workflow_id, 'failed', 'Clean up', false, repeat('r', 12000), repeat('a', 10000) || repeat('b', 50000)
FROM workflows WHERE name = 'task_clean_up_tasks';
INSERT INTO process_steps (pid, name, status, state) VALUES ('9f8e7d6c-5b4a-4392-8171-605f4e3d2c1b', 'Start', 'success', '{}');
