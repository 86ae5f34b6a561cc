-- Add netapp products.
--
-- Revision ID: 7c3f9a2e6b10
-- Revises: 5b1e4c0a9d21
-- Create Date: 2026-11-25 09:00:01.000000
--
-- The catalogue of the example application: the products Node Cisco, Node Nokia, Port 10G, Port 100G and LAG,
-- their fixed inputs, the blocks Node, Port, Lag and LagMember with their resource types and relations, as the
-- application declares them. Written by db migrate-domain-models on a database with the data root only; the
-- example's test TestCatalogueRevisionIsGenerated checks that it still is (go test -update rewrites it). The same
-- SQL runs on PostgreSQL and SQLite.
--
-- wfo:revision 7c3f9a2e6b10
-- wfo:down_revision 5b1e4c0a9d21
-- wfo:branch_labels
-- wfo:depends_on 850dccac3b02
-- wfo:transaction per-revision

-- wfo:upgrade
-- BACKUP DATABASE BEFORE USING THE MIGRATION!

-- Create product LAG.
INSERT INTO products (name, description, product_type, tag, status) VALUES ('LAG', 'Link aggregation group', 'Lag', 'LAG', 'active');

-- Create product Node Cisco.
INSERT INTO products (name, description, product_type, tag, status) VALUES ('Node Cisco', 'Cisco node', 'Node', 'NODE', 'active');

-- Create product Node Nokia.
INSERT INTO products (name, description, product_type, tag, status) VALUES ('Node Nokia', 'Nokia node', 'Node', 'NODE', 'active');

-- Create product Port 100G.
INSERT INTO products (name, description, product_type, tag, status) VALUES ('Port 100G', '100 Gbit/s port', 'Port', 'PORT', 'active');

-- Create product Port 10G.
INSERT INTO products (name, description, product_type, tag, status) VALUES ('Port 10G', '10 Gbit/s port', 'Port', 'PORT', 'active');

-- Create fixed input speed for Port 100G, Port 10G.
INSERT INTO fixed_inputs (name, value, product_id) VALUES ('speed', '100000', (SELECT products.product_id FROM products WHERE products.name IN ('Port 100G'))), ('speed', '10000', (SELECT products.product_id FROM products WHERE products.name IN ('Port 10G')));

-- Create fixed input vendor for Node Cisco, Node Nokia.
INSERT INTO fixed_inputs (name, value, product_id) VALUES ('vendor', 'Cisco', (SELECT products.product_id FROM products WHERE products.name IN ('Node Cisco'))), ('vendor', 'Nokia', (SELECT products.product_id FROM products WHERE products.name IN ('Node Nokia')));

-- Create product block Lag.
INSERT INTO product_blocks (name, description, tag, status) VALUES ('Lag', 'Link aggregation group', 'LAG', 'active');

-- Create product block LagMember.
INSERT INTO product_blocks (name, description, tag, status) VALUES ('LagMember', 'Member link of a link aggregation group', 'LAGMEMBER', 'active');

-- Create product block Node.
INSERT INTO product_blocks (name, description, tag, status) VALUES ('Node', 'Network node', 'NODE', 'active');

-- Create product block Port.
INSERT INTO product_blocks (name, description, tag, status) VALUES ('Port', 'Physical port on a node', 'PORT', 'active');

-- Create resource type enabled.
INSERT INTO resource_types (resource_type, description) VALUES ('enabled', 'Whether the port is enabled');

-- Create resource type ims_circuit_id.
INSERT INTO resource_types (resource_type, description) VALUES ('ims_circuit_id', 'Circuit id in the inventory');

-- Create resource type interface_name.
INSERT INTO resource_types (resource_type, description) VALUES ('interface_name', 'Name of the member interface');

-- Create resource type ipv4_loopback.
INSERT INTO resource_types (resource_type, description) VALUES ('ipv4_loopback', 'IPv4 loopback address');

-- Create resource type ipv6_loopback.
INSERT INTO resource_types (resource_type, description) VALUES ('ipv6_loopback', 'IPv6 loopback address');

-- Create resource type lag_name.
INSERT INTO resource_types (resource_type, description) VALUES ('lag_name', 'Name of the LAG interface');

-- Create resource type minimum_links.
INSERT INTO resource_types (resource_type, description) VALUES ('minimum_links', 'Links that must be up for the LAG to be up');

-- Create resource type node_id.
INSERT INTO resource_types (resource_type, description) VALUES ('node_id', 'Id of the node in the inventory');

-- Create resource type node_name.
INSERT INTO resource_types (resource_type, description) VALUES ('node_name', 'Host name of the node');

-- Create resource type port_mode.
INSERT INTO resource_types (resource_type, description) VALUES ('port_mode', 'tagged, untagged or link_member');

-- Create resource type port_name.
INSERT INTO resource_types (resource_type, description) VALUES ('port_name', 'Name of the port on its node');

-- Create resource type provisioned_at.
INSERT INTO resource_types (resource_type, description) VALUES ('provisioned_at', 'When the LAG was provisioned');

-- Create resource type subnet.
INSERT INTO resource_types (resource_type, description) VALUES ('subnet', 'IPv4 subnet of the LAG');

-- Create resource type vlans.
INSERT INTO resource_types (resource_type, description) VALUES ('vlans', 'VLAN ids on the port');

-- Add product block Lag to LAG.
INSERT INTO product_product_blocks (product_id, product_block_id) VALUES ((SELECT products.product_id FROM products WHERE products.name IN ('LAG')), (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')));

-- Add product block Node to Node Cisco, Node Nokia.
INSERT INTO product_product_blocks (product_id, product_block_id) VALUES ((SELECT products.product_id FROM products WHERE products.name IN ('Node Cisco')), (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node'))), ((SELECT products.product_id FROM products WHERE products.name IN ('Node Nokia')), (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')));

-- Add product block Port to Port 100G, Port 10G.
INSERT INTO product_product_blocks (product_id, product_block_id) VALUES ((SELECT products.product_id FROM products WHERE products.name IN ('Port 100G')), (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port'))), ((SELECT products.product_id FROM products WHERE products.name IN ('Port 10G')), (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')));

-- Add product block LagMember to Lag.
INSERT INTO product_block_relations (in_use_by_id, depends_on_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')), (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('LagMember')));

-- Add product block Node to Port.
INSERT INTO product_block_relations (in_use_by_id, depends_on_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')), (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')));

-- Add product block Port to LagMember.
INSERT INTO product_block_relations (in_use_by_id, depends_on_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('LagMember')), (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')));

-- Add resource type enabled to Port.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('enabled')));

-- Add resource type ims_circuit_id to Port.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('ims_circuit_id')));

-- Add resource type interface_name to LagMember.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('LagMember')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('interface_name')));

-- Add resource type ipv4_loopback to Node.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('ipv4_loopback')));

-- Add resource type ipv6_loopback to Node.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('ipv6_loopback')));

-- Add resource type lag_name to Lag.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('lag_name')));

-- Add resource type minimum_links to Lag.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('minimum_links')));

-- Add resource type node_id to Node.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('node_id')));

-- Add resource type node_name to Node.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('node_name')));

-- Add resource type port_mode to Port.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('port_mode')));

-- Add resource type port_name to Port.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('port_name')));

-- Add resource type provisioned_at to Lag.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('provisioned_at')));

-- Add resource type subnet to Lag.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('subnet')));

-- Add resource type vlans to Port.
INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES ((SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')), (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('vlans')));

-- wfo:downgrade
-- Does not revert deleted subscription instances and subscription instance values!

-- Remove resource type enabled from Port, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('enabled'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('enabled')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')));

-- Remove resource type ims_circuit_id from Port, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('ims_circuit_id'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('ims_circuit_id')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')));

-- Remove resource type interface_name from LagMember, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('LagMember')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('interface_name'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('interface_name')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('LagMember')));

-- Remove resource type ipv4_loopback from Node, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('ipv4_loopback'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('ipv4_loopback')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')));

-- Remove resource type ipv6_loopback from Node, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('ipv6_loopback'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('ipv6_loopback')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')));

-- Remove resource type lag_name from Lag, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('lag_name'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('lag_name')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')));

-- Remove resource type minimum_links from Lag, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('minimum_links'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('minimum_links')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')));

-- Remove resource type node_id from Node, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('node_id'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('node_id')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')));

-- Remove resource type node_name from Node, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('node_name'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('node_name')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node')));

-- Remove resource type port_mode from Port, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('port_mode'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('port_mode')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')));

-- Remove resource type port_name from Port, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('port_name'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('port_name')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')));

-- Remove resource type provisioned_at from Lag, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('provisioned_at'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('provisioned_at')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')));

-- Remove resource type subnet from Lag, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('subnet'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('subnet')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')));

-- Remove resource type vlans from Port, with its values.
DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')) AND product_block_resource_types.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('vlans'));
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('vlans')) AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')));

-- Delete resource types enabled, ims_circuit_id, interface_name, ipv4_loopback, ipv6_loopback, lag_name, minimum_links, node_id, node_name, port_mode, port_name, provisioned_at, subnet, vlans with their values.
DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN (SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN ('enabled', 'ims_circuit_id', 'interface_name', 'ipv4_loopback', 'ipv6_loopback', 'lag_name', 'minimum_links', 'node_id', 'node_name', 'port_mode', 'port_name', 'provisioned_at', 'subnet', 'vlans'));
DELETE FROM resource_types WHERE resource_types.resource_type IN ('enabled', 'ims_circuit_id', 'interface_name', 'ipv4_loopback', 'ipv6_loopback', 'lag_name', 'minimum_links', 'node_id', 'node_name', 'port_mode', 'port_name', 'provisioned_at', 'subnet', 'vlans');

-- Remove product block Lag from LAG.
DELETE FROM product_product_blocks WHERE product_product_blocks.product_id IN (SELECT products.product_id FROM products WHERE products.name IN ('LAG')) AND product_product_blocks.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag'));

-- Remove product block Node from Node Cisco, Node Nokia.
DELETE FROM product_product_blocks WHERE product_product_blocks.product_id IN (SELECT products.product_id FROM products WHERE products.name IN ('Node Cisco', 'Node Nokia')) AND product_product_blocks.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node'));

-- Remove product block Port from Port 100G, Port 10G.
DELETE FROM product_product_blocks WHERE product_product_blocks.product_id IN (SELECT products.product_id FROM products WHERE products.name IN ('Port 100G', 'Port 10G')) AND product_product_blocks.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port'));

-- Remove product block LagMember from Lag.
DELETE FROM product_block_relations WHERE product_block_relations.in_use_by_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag')) AND product_block_relations.depends_on_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('LagMember'));

-- Remove product block Node from Port.
DELETE FROM product_block_relations WHERE product_block_relations.in_use_by_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port')) AND product_block_relations.depends_on_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Node'));

-- Remove product block Port from LagMember.
DELETE FROM product_block_relations WHERE product_block_relations.in_use_by_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('LagMember')) AND product_block_relations.depends_on_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Port'));

-- Delete fixed input speed of Port 100G, Port 10G.
DELETE FROM fixed_inputs WHERE fixed_inputs.product_id IN (SELECT products.product_id FROM products WHERE products.name IN ('Port 100G', 'Port 10G')) AND fixed_inputs.name = 'speed';

-- Delete fixed input vendor of Node Cisco, Node Nokia.
DELETE FROM fixed_inputs WHERE fixed_inputs.product_id IN (SELECT products.product_id FROM products WHERE products.name IN ('Node Cisco', 'Node Nokia')) AND fixed_inputs.name = 'vendor';

-- Delete product blocks Lag, LagMember, Node, Port with their instances.
DELETE FROM subscription_instances WHERE subscription_instances.product_block_id IN (SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN ('Lag', 'LagMember', 'Node', 'Port'));
DELETE FROM product_blocks WHERE product_blocks.name IN ('Lag', 'LagMember', 'Node', 'Port');

-- Delete products LAG, Node Cisco, Node Nokia, Port 100G, Port 10G with their subscriptions and the processes that touched them.
DELETE FROM processes WHERE processes.pid IN (SELECT processes_subscriptions.pid FROM processes_subscriptions WHERE processes_subscriptions.subscription_id IN (SELECT subscriptions.subscription_id FROM subscriptions WHERE subscriptions.product_id IN (SELECT products.product_id FROM products WHERE products.name IN ('LAG', 'Node Cisco', 'Node Nokia', 'Port 100G', 'Port 10G'))));
DELETE FROM processes_subscriptions WHERE processes_subscriptions.subscription_id IN (SELECT subscriptions.subscription_id FROM subscriptions WHERE subscriptions.product_id IN (SELECT products.product_id FROM products WHERE products.name IN ('LAG', 'Node Cisco', 'Node Nokia', 'Port 100G', 'Port 10G')));
DELETE FROM subscription_instances WHERE subscription_instances.subscription_id IN (SELECT subscriptions.subscription_id FROM subscriptions WHERE subscriptions.product_id IN (SELECT products.product_id FROM products WHERE products.name IN ('LAG', 'Node Cisco', 'Node Nokia', 'Port 100G', 'Port 10G')));
DELETE FROM subscriptions WHERE subscriptions.product_id IN (SELECT products.product_id FROM products WHERE products.name IN ('LAG', 'Node Cisco', 'Node Nokia', 'Port 100G', 'Port 10G'));
DELETE FROM products WHERE products.name IN ('LAG', 'Node Cisco', 'Node Nokia', 'Port 100G', 'Port 10G');
