package domainmigration_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domainmigration"
)

// DB-UNION and S2 of spec §7, with S2's two children owned by S2 itself.
const dbUnion = `
INSERT INTO resource_types (resource_type, description) VALUES ('int_field', ''), ('str_field', ''), ('list_field', ''), ('int_field_2', '');
INSERT INTO product_blocks (name, description, tag, status) VALUES ('SubBlockOneForTest', 'Sub one', 'TEST', 'active'),
  ('SubBlockTwoForTest', 'Sub two', 'TEST', 'active'), ('ProductBlockWithListUnionForTest', 'Union', 'TEST', 'active');
INSERT INTO product_block_resource_types (product_block_id, resource_type_id)
SELECT pb.product_block_id, rt.resource_type_id FROM product_blocks pb, resource_types rt
WHERE (pb.name = 'SubBlockOneForTest' AND rt.resource_type IN ('int_field', 'str_field'))
   OR (pb.name = 'SubBlockTwoForTest' AND rt.resource_type = 'int_field_2')
   OR (pb.name = 'ProductBlockWithListUnionForTest' AND rt.resource_type IN ('int_field', 'str_field', 'list_field'));
INSERT INTO product_block_relations (in_use_by_id, depends_on_id)
SELECT a.product_block_id, b.product_block_id FROM product_blocks a, product_blocks b
WHERE a.name = 'ProductBlockWithListUnionForTest' AND b.name IN ('SubBlockOneForTest', 'SubBlockTwoForTest');
INSERT INTO products (name, description, product_type, tag, status) VALUES ('ProductSubListUnion', 'Union product', 'Test', 'UnionSub', 'active');
INSERT INTO product_product_blocks (product_id, product_block_id)
SELECT p.product_id, pb.product_block_id FROM products p, product_blocks pb WHERE p.name = 'ProductSubListUnion' AND pb.name = 'ProductBlockWithListUnionForTest';
`

const s2 = `
INSERT INTO subscriptions (subscription_id, description, status, product_id, customer_id, insync)
SELECT 'aaaaaaaa-0000-4000-8000-000000000001', 'S2', 'active', product_id, 'c', true FROM products WHERE name = 'ProductSubListUnion';
INSERT INTO subscription_instances (subscription_instance_id, subscription_id, product_block_id)
SELECT 'bbbbbbbb-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001', product_block_id FROM product_blocks WHERE name = 'ProductBlockWithListUnionForTest';
INSERT INTO subscription_instances (subscription_instance_id, subscription_id, product_block_id)
SELECT 'bbbbbbbb-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000001', product_block_id FROM product_blocks WHERE name = 'SubBlockOneForTest';
INSERT INTO subscription_instances (subscription_instance_id, subscription_id, product_block_id)
SELECT 'bbbbbbbb-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000001', product_block_id FROM product_blocks WHERE name = 'SubBlockTwoForTest';
INSERT INTO subscription_instance_relations (in_use_by_id, depends_on_id, order_id, domain_model_attr) VALUES
  ('bbbbbbbb-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000002', 0, 'list_union_blocks'),
  ('bbbbbbbb-0000-4000-8000-000000000001', 'bbbbbbbb-0000-4000-8000-000000000003', 1, 'list_union_blocks');
INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value)
SELECT 'bbbbbbbb-0000-4000-8000-000000000001', resource_type_id, '1' FROM resource_types WHERE resource_type = 'int_field';
INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value)
SELECT 'bbbbbbbb-0000-4000-8000-000000000001', resource_type_id, 'blah' FROM resource_types WHERE resource_type = 'str_field';
INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value)
SELECT 'bbbbbbbb-0000-4000-8000-000000000001', resource_type_id, '2' FROM resource_types WHERE resource_type = 'list_field';
INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value)
SELECT 'bbbbbbbb-0000-4000-8000-000000000002', resource_type_id, '1' FROM resource_types WHERE resource_type = 'int_field';
INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value)
SELECT 'bbbbbbbb-0000-4000-8000-000000000002', resource_type_id, 'blah' FROM resource_types WHERE resource_type = 'str_field';
INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value)
SELECT 'bbbbbbbb-0000-4000-8000-000000000003', resource_type_id, '3' FROM resource_types WHERE resource_type = 'int_field_2';
`

// unionModel is REG-UNION after the change of scenarios 12 and 13: int_field renamed to changed_int_field, which
// SubBlockTwoForTest gains too, and str_field gone from SubBlockOneForTest.
func unionModel() *domainmigration.Model {
	return &domainmigration.Model{
		Products: map[string]*domainmigration.Product{"ProductSubListUnion": {Type: "Test",
			Blocks: []domainmigration.Attr{{Name: "test_block", Blocks: []string{"ProductBlockWithListUnionForTest"}, Fill: 1}}}},
		Blocks: map[string]*domainmigration.Block{
			"ProductBlockWithListUnionForTest": {ResourceTypes: []string{"changed_int_field", "list_field", "str_field"},
				Children: []domainmigration.Attr{{Name: "list_union_blocks", Blocks: []string{"SubBlockTwoForTest", "SubBlockOneForTest"}}}},
			"SubBlockOneForTest": {ResourceTypes: []string{"changed_int_field"}},
			"SubBlockTwoForTest": {ResourceTypes: []string{"changed_int_field", "int_field_2"}},
		},
	}
}

// TestUnionRenameRelateRemove is spec §7 scenarios 12 (without subscriptions, 4/3 statements) and 13 (with S2,
// 5/3): a rename, a relation to a sub block of a union list, and a resource type removed from one sub block.
func TestUnionRenameRelateRemove(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, fresh func(t *testing.T) string) {
		for _, withS2 := range []bool{false, true} {
			t.Run(map[bool]string{false: "12", true: "13"}[withS2], func(t *testing.T) {
				t.Parallel()
				h := setup(t, fresh(t))
				h.exec(dbUnion)
				if withS2 {
					h.exec(s2)
				}
				ctx := context.Background()
				cat, err := domainmigration.ReadCatalogue(ctx, h.db)
				require.NoError(t, err)
				changes := domainmigration.Compare(unionModel(), cat, nil).Changes(domainmigration.Updates{ResourceTypes: map[string]string{"int_field": "changed_int_field"}})
				require.Empty(t, changes.DeleteResourceTypes, "str_field is still declared by the union block")
				up, down, err := changes.SQL(answers{"changed_int_field@SubBlockOneForTest": "5", "changed_int_field@SubBlockTwoForTest": "2"})
				require.NoError(t, err)
				wantUp := 4
				if withS2 {
					wantUp = 5
				}
				require.Equal(t, wantUp, count(t, up), up)
				require.Equal(t, 3, count(t, down), down)

				h.exec(up)
				cat, err = domainmigration.ReadCatalogue(ctx, h.db)
				require.NoError(t, err)
				require.True(t, domainmigration.Compare(unionModel(), cat, nil).Empty())
				values := `SELECT pb.name || '.' || rt.resource_type || '=' || v.value FROM subscription_instance_values v
JOIN resource_types rt ON rt.resource_type_id = v.resource_type_id
JOIN subscription_instances si ON si.subscription_instance_id = v.subscription_instance_id
JOIN product_blocks pb ON pb.product_block_id = si.product_block_id ORDER BY 1`
				if withS2 {
					require.Equal(t, []string{
						"ProductBlockWithListUnionForTest.changed_int_field=1",
						"ProductBlockWithListUnionForTest.list_field=2",
						"ProductBlockWithListUnionForTest.str_field=blah",
						"SubBlockOneForTest.changed_int_field=1",
						"SubBlockTwoForTest.changed_int_field=2",
						"SubBlockTwoForTest.int_field_2=3",
					}, h.query(values))
				}
				require.Zero(t, h.count("SELECT COUNT(*) FROM resource_types WHERE resource_type = 'int_field'"))

				h.exec(down)
				require.Equal(t, 1, h.count("SELECT COUNT(*) FROM resource_types WHERE resource_type = 'int_field'"))
				if withS2 {
					require.Equal(t, []string{
						"ProductBlockWithListUnionForTest.int_field=1",
						"ProductBlockWithListUnionForTest.list_field=2",
						"ProductBlockWithListUnionForTest.str_field=blah",
						"SubBlockOneForTest.int_field=1",
						"SubBlockTwoForTest.int_field_2=3",
					}, h.query(values), "the downgrade removes the new values; the removed str_field of the sub block stays removed")
				}
			})
		}
	})
}
