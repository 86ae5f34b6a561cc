-- Add postgres function subscription_instance_as_json.
--
-- Revision ID: 42b3d076a85b
-- Revises: bac6be6f2b4f
-- Create Date: 2025-03-06 15:03:09.477225
--
-- Adds subscription_instance_fields_as_json(uuid) and subscription_instance_as_json(uuid): an instance and,
-- recursively, the instances it depends on, as one jsonb document.
--
-- wfo:revision 42b3d076a85b
-- wfo:down_revision bac6be6f2b4f
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
CREATE OR REPLACE FUNCTION subscription_instance_fields_as_json(sub_inst_id uuid) RETURNS jsonb
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
CREATE OR REPLACE FUNCTION subscription_instance_as_json(sub_inst_id uuid) RETURNS jsonb
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

-- wfo:downgrade postgres
DROP FUNCTION IF EXISTS subscription_instance_as_json;
DROP FUNCTION IF EXISTS subscription_instance_fields_as_json;

-- wfo:upgrade sqlite
-- Nothing on SQLite: wfo builds the same JSON in Go there.

-- wfo:downgrade sqlite
-- Nothing on SQLite: wfo builds the same JSON in Go there.
