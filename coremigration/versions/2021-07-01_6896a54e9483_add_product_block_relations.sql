-- Add product_block_relations.
--
-- Revision ID: 6896a54e9483
-- Revises: 3c8b9185c221
-- Create Date: 2021-07-01 15:33:38.065653
--
-- Creates product_block_relations(parent_id, child_id, min, max): which product blocks a block may contain.
--
-- wfo:revision 6896a54e9483
-- wfo:down_revision 3c8b9185c221
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
CREATE TABLE product_block_relations (
    parent_id uuid    NOT NULL,
    child_id  uuid    NOT NULL,
    min       integer,
    max       integer,
    CONSTRAINT product_block_relations_pkey PRIMARY KEY (parent_id, child_id),
    CONSTRAINT product_block_relations_child_id_fkey FOREIGN KEY (child_id)
        REFERENCES product_blocks (product_block_id) ON DELETE CASCADE,
    CONSTRAINT product_block_relations_parent_id_fkey FOREIGN KEY (parent_id)
        REFERENCES product_blocks (product_block_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX product_block_relation_p_c_ix ON product_block_relations (parent_id, child_id);

-- wfo:downgrade postgres
DROP INDEX product_block_relation_p_c_ix;
DROP TABLE product_block_relations;

-- wfo:upgrade sqlite
-- Nothing on SQLite: its tables already have this shape (see c112305b07d3).

-- wfo:downgrade sqlite
-- Nothing to undo.
