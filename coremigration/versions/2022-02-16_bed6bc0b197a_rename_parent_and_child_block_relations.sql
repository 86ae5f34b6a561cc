-- rename_parent_and_child_block_relations.
--
-- Revision ID: bed6bc0b197a
-- Revises: 19cdd3ab86f6
-- Create Date: 2022-02-16 14:20:19.813435
--
-- Renames parent_id/child_id to in_use_by_id/depends_on_id in product_block_relations and
-- subscription_instance_relations, with their unique indexes and foreign keys.
--
-- wfo:revision bed6bc0b197a
-- wfo:down_revision 19cdd3ab86f6
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
DROP INDEX product_block_relation_p_c_ix;
ALTER TABLE product_block_relations DROP CONSTRAINT product_block_relations_parent_id_fkey;
ALTER TABLE product_block_relations DROP CONSTRAINT product_block_relations_child_id_fkey;
ALTER TABLE product_block_relations RENAME COLUMN parent_id TO in_use_by_id;
ALTER TABLE product_block_relations RENAME COLUMN child_id TO depends_on_id;
CREATE UNIQUE INDEX product_block_relation_i_d_ix ON product_block_relations (in_use_by_id, depends_on_id);
ALTER TABLE product_block_relations ADD CONSTRAINT product_block_relations_in_use_by_id_fkey
    FOREIGN KEY (in_use_by_id) REFERENCES product_blocks (product_block_id) ON DELETE CASCADE;
ALTER TABLE product_block_relations ADD CONSTRAINT product_block_relations_depends_on_id_fkey
    FOREIGN KEY (depends_on_id) REFERENCES product_blocks (product_block_id) ON DELETE CASCADE;

DROP INDEX subscription_relation_p_c_o_ix;
ALTER TABLE subscription_instance_relations DROP CONSTRAINT subscription_instance_relations_parent_id_fkey;
ALTER TABLE subscription_instance_relations DROP CONSTRAINT subscription_instance_relations_child_id_fkey;
ALTER TABLE subscription_instance_relations RENAME COLUMN parent_id TO in_use_by_id;
ALTER TABLE subscription_instance_relations RENAME COLUMN child_id TO depends_on_id;
CREATE UNIQUE INDEX subscription_relation_i_d_o_ix
    ON subscription_instance_relations (in_use_by_id, depends_on_id, order_id);
ALTER TABLE subscription_instance_relations ADD CONSTRAINT subscription_instance_relations_in_use_by_id_fkey
    FOREIGN KEY (in_use_by_id) REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE;
ALTER TABLE subscription_instance_relations ADD CONSTRAINT subscription_instance_relations_depends_on_id_fkey
    FOREIGN KEY (depends_on_id) REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE;

-- wfo:downgrade postgres
DROP INDEX subscription_relation_i_d_o_ix;
ALTER TABLE subscription_instance_relations DROP CONSTRAINT subscription_instance_relations_in_use_by_id_fkey;
ALTER TABLE subscription_instance_relations DROP CONSTRAINT subscription_instance_relations_depends_on_id_fkey;
ALTER TABLE subscription_instance_relations RENAME COLUMN in_use_by_id TO parent_id;
ALTER TABLE subscription_instance_relations RENAME COLUMN depends_on_id TO child_id;
CREATE UNIQUE INDEX subscription_relation_p_c_o_ix
    ON subscription_instance_relations (parent_id, child_id, order_id);
ALTER TABLE subscription_instance_relations ADD CONSTRAINT subscription_instance_relations_parent_id_fkey
    FOREIGN KEY (parent_id) REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE;
ALTER TABLE subscription_instance_relations ADD CONSTRAINT subscription_instance_relations_child_id_fkey
    FOREIGN KEY (child_id) REFERENCES subscription_instances (subscription_instance_id) ON DELETE CASCADE;

DROP INDEX product_block_relation_i_d_ix;
ALTER TABLE product_block_relations DROP CONSTRAINT product_block_relations_in_use_by_id_fkey;
ALTER TABLE product_block_relations DROP CONSTRAINT product_block_relations_depends_on_id_fkey;
ALTER TABLE product_block_relations RENAME COLUMN in_use_by_id TO parent_id;
ALTER TABLE product_block_relations RENAME COLUMN depends_on_id TO child_id;
CREATE UNIQUE INDEX product_block_relation_p_c_ix ON product_block_relations (parent_id, child_id);
ALTER TABLE product_block_relations ADD CONSTRAINT product_block_relations_parent_id_fkey
    FOREIGN KEY (parent_id) REFERENCES product_blocks (product_block_id) ON DELETE CASCADE;
ALTER TABLE product_block_relations ADD CONSTRAINT product_block_relations_child_id_fkey
    FOREIGN KEY (child_id) REFERENCES product_blocks (product_block_id) ON DELETE CASCADE;

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
