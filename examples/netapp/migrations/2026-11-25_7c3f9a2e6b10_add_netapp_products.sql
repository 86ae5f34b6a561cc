-- Add netapp products.
--
-- Revision ID: 7c3f9a2e6b10
-- Revises: 5b1e4c0a9d21
-- Create Date: 2026-11-25 09:00:01.000000
--
-- The catalogue of the example application: the products Node Cisco, Node Nokia, Port 10G, Port 100G and LAG,
-- their fixed inputs, the blocks Node, Port, Lag and LagMember with their resource types and relations, and the
-- modify_note workflow for every product. Written by hand for now; generate migration and
-- db migrate-domain-models will write revisions like it. The same SQL runs on PostgreSQL and SQLite.
--
-- wfo:revision 7c3f9a2e6b10
-- wfo:down_revision 5b1e4c0a9d21
-- wfo:branch_labels
-- wfo:depends_on 850dccac3b02
-- wfo:transaction per-revision

-- wfo:upgrade
INSERT INTO product_blocks (name, description, tag, status) VALUES
    ('Node', 'Network node', 'NODE', 'active'),
    ('Port', 'Physical port on a node', 'PORT', 'active'),
    ('Lag', 'Link aggregation group', 'LAG', 'active'),
    ('LagMember', 'Member link of a link aggregation group', 'LAGMEMBER', 'active');

INSERT INTO resource_types (resource_type, description) VALUES
    ('node_id', 'Id of the node in the inventory'),
    ('node_name', 'Host name of the node'),
    ('ipv4_loopback', 'IPv4 loopback address'),
    ('ipv6_loopback', 'IPv6 loopback address'),
    ('port_name', 'Name of the port on its node'),
    ('port_mode', 'tagged, untagged or link_member'),
    ('enabled', 'Whether the port is enabled'),
    ('vlans', 'VLAN ids on the port'),
    ('ims_circuit_id', 'Circuit id in the inventory'),
    ('lag_name', 'Name of the LAG interface'),
    ('minimum_links', 'Links that must be up for the LAG to be up'),
    ('subnet', 'IPv4 subnet of the LAG'),
    ('provisioned_at', 'When the LAG was provisioned'),
    ('interface_name', 'Name of the member interface');

INSERT INTO product_block_resource_types (product_block_id, resource_type_id)
SELECT pb.product_block_id, rt.resource_type_id
FROM product_blocks pb JOIN resource_types rt ON rt.resource_type IN ('node_id', 'node_name', 'ipv4_loopback', 'ipv6_loopback')
WHERE pb.name = 'Node';
INSERT INTO product_block_resource_types (product_block_id, resource_type_id)
SELECT pb.product_block_id, rt.resource_type_id
FROM product_blocks pb JOIN resource_types rt ON rt.resource_type IN ('port_name', 'port_mode', 'enabled', 'vlans', 'ims_circuit_id')
WHERE pb.name = 'Port';
INSERT INTO product_block_resource_types (product_block_id, resource_type_id)
SELECT pb.product_block_id, rt.resource_type_id
FROM product_blocks pb JOIN resource_types rt ON rt.resource_type IN ('lag_name', 'minimum_links', 'subnet', 'provisioned_at')
WHERE pb.name = 'Lag';
INSERT INTO product_block_resource_types (product_block_id, resource_type_id)
SELECT pb.product_block_id, rt.resource_type_id
FROM product_blocks pb JOIN resource_types rt ON rt.resource_type IN ('interface_name')
WHERE pb.name = 'LagMember';

INSERT INTO product_block_relations (in_use_by_id, depends_on_id)
SELECT parent.product_block_id, child.product_block_id
FROM product_blocks parent JOIN product_blocks child
    ON (parent.name = 'Port' AND child.name = 'Node')
    OR (parent.name = 'Lag' AND child.name = 'LagMember')
    OR (parent.name = 'LagMember' AND child.name = 'Port');

INSERT INTO products (name, description, product_type, tag, status) VALUES
    ('Node Cisco', 'Cisco node', 'Node', 'NODE', 'active'),
    ('Node Nokia', 'Nokia node', 'Node', 'NODE', 'active'),
    ('Port 10G', '10 Gbit/s port', 'Port', 'PORT', 'active'),
    ('Port 100G', '100 Gbit/s port', 'Port', 'PORT', 'active'),
    ('LAG', 'Link aggregation group', 'Lag', 'LAG', 'active');

INSERT INTO fixed_inputs (name, value, product_id)
SELECT 'vendor', 'Cisco', product_id FROM products WHERE name = 'Node Cisco';
INSERT INTO fixed_inputs (name, value, product_id)
SELECT 'vendor', 'Nokia', product_id FROM products WHERE name = 'Node Nokia';
INSERT INTO fixed_inputs (name, value, product_id)
SELECT 'speed', '10000', product_id FROM products WHERE name = 'Port 10G';
INSERT INTO fixed_inputs (name, value, product_id)
SELECT 'speed', '100000', product_id FROM products WHERE name = 'Port 100G';

INSERT INTO product_product_blocks (product_id, product_block_id)
SELECT p.product_id, pb.product_block_id
FROM products p JOIN product_blocks pb
    ON (p.product_type = 'Node' AND pb.name = 'Node')
    OR (p.product_type = 'Port' AND pb.name = 'Port')
    OR (p.product_type = 'Lag' AND pb.name = 'Lag')
WHERE p.name IN ('Node Cisco', 'Node Nokia', 'Port 10G', 'Port 100G', 'LAG');

INSERT INTO products_workflows (product_id, workflow_id)
SELECT p.product_id, w.workflow_id
FROM products p JOIN workflows w ON w.name = 'modify_note'
WHERE p.name IN ('Node Cisco', 'Node Nokia', 'Port 10G', 'Port 100G', 'LAG');

-- wfo:downgrade
DELETE FROM products WHERE name IN ('Node Cisco', 'Node Nokia', 'Port 10G', 'Port 100G', 'LAG');
DELETE FROM product_blocks WHERE name IN ('Node', 'Port', 'Lag', 'LagMember');
DELETE FROM resource_types
WHERE resource_type IN ('node_id', 'node_name', 'ipv4_loopback', 'ipv6_loopback', 'port_name', 'port_mode', 'enabled',
                        'vlans', 'ims_circuit_id', 'lag_name', 'minimum_links', 'subnet', 'provisioned_at',
                        'interface_name')
  AND resource_type_id NOT IN (SELECT resource_type_id FROM product_block_resource_types);
