package domainmigration_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
)

func mustUUID(t testing.TB, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	require.NoError(t, err)
	return id
}

// scenario is one case of spec §7: a database, a registry, the answers, the statement counts of upgrade and
// downgrade, and checks of the database after each.
type scenario struct {
	name     string
	fixture  string
	s1       bool
	reg      *domain.Registry
	inputs   string
	updates  string
	answers  string // read before the confirmation (renames)
	after    string // read after it (values)
	up, down int
	upgraded func(h *harness)
	reverted func(h *harness)
}

func reg[T any, PT interface {
	*T
	domain.Model
}](names ...string) *domain.Registry {
	return domain.MustNewRegistry(domain.Product[T, PT](names...))
}

// run runs the scenario through the command tree: --test (counted), the revision, upgrade, the same command
// again (nothing to do), downgrade.
func (sc scenario) run(t *testing.T, h *harness) {
	h.exec(sc.fixture)
	if sc.s1 {
		h.s1()
	}
	args := []string{"db", "migrate-domain-models", "example"}
	if sc.inputs != "" {
		args = append(args, "--inputs", sc.inputs)
	}
	if sc.updates != "" {
		args = append(args, "--updates", sc.updates)
	}
	out := h.mustRun(sc.reg, sc.answers+sc.after, append(args, "--test")...)
	golden(t, filepath.Join("testdata", "scenarios", regexp.MustCompile(`\W+`).ReplaceAllString(sc.name, "_")+".golden"), out)
	up, down, nUp, nDown := sqlOf(t, out)
	require.Equal(t, sc.up, nUp, "upgrade statements:\n%s", up)
	require.Equal(t, sc.down, nDown, "downgrade statements:\n%s", down)

	out = h.mustRun(sc.reg, sc.answers+"y\n"+sc.after, args...)
	require.Regexp(t, `(?m)^  Generating .*_example\.sql \.\.\.  done$`, out)
	require.Contains(t, out, "Migration generated. Don't forget to create a database backup before migrating!\n")
	h.mustRun(sc.reg, "", "db", "upgrade", "heads")
	if sc.upgraded != nil {
		sc.upgraded(h)
	}
	again := h.mustRun(sc.reg, "", "db", "migrate-domain-models", "again", "--test")
	require.Contains(t, again, "\nNothing to do\n", "a second run after the upgrade finds differences")

	h.mustRun(sc.reg, "", "db", "downgrade", "-1")
	if sc.reverted != nil {
		sc.reverted(h)
	}
}

var (
	regUsers   = domain.MustNewRegistry(domain.Product[UserGroup]("User group"), domain.Product[User]("User internal", "User external"))
	regUsers24 = domain.MustNewRegistry(domain.Product[UserGroup]("User group"), domain.Product[User24]("User internal", "User external"))
)

// usersFixture is the catalogue of the documentation's example.
const usersFixture = `
INSERT INTO resource_types (resource_type, description) VALUES ('group_name', ''), ('group_id', ''), ('username', ''), ('age', ''), ('user_id', '');
INSERT INTO product_blocks (name, description, tag, status) VALUES ('UserGroupBlock', 'g', 'G', 'active'), ('UserBlock', 'u', 'U', 'active');
INSERT INTO product_block_resource_types (product_block_id, resource_type_id)
SELECT pb.product_block_id, rt.resource_type_id FROM product_blocks pb, resource_types rt
WHERE (pb.name = 'UserGroupBlock' AND rt.resource_type IN ('group_name', 'group_id')) OR (pb.name = 'UserBlock' AND rt.resource_type IN ('username', 'age', 'user_id'));
INSERT INTO product_block_relations (in_use_by_id, depends_on_id)
SELECT a.product_block_id, b.product_block_id FROM product_blocks a, product_blocks b WHERE a.name = 'UserBlock' AND b.name = 'UserGroupBlock';
INSERT INTO products (name, description, product_type, tag, status) VALUES ('User group', 'g', 'UserGroup', 'UG', 'active'),
  ('User internal', 'i', 'User', 'U', 'active'), ('User external', 'e', 'User', 'U', 'active');
INSERT INTO fixed_inputs (name, value, product_id) SELECT 'affiliation', name, product_id FROM products WHERE product_type = 'User';
INSERT INTO product_product_blocks (product_id, product_block_id)
SELECT p.product_id, pb.product_block_id FROM products p, product_blocks pb
WHERE (p.product_type = 'UserGroup' AND pb.name = 'UserGroupBlock') OR (p.product_type = 'User' AND pb.name = 'UserBlock');
`

const fullInputs = `{"TestProductOne": {"description": "test description", "tag": "test_tag", "product_type": "test_type", "test_fixed_input": "test value"},
"ProductBlockOneForTest": {"description": "product block description", "tag": "test_block_tag"},
"int_field": {"ProductBlockOneForTest": "1"}, "str_field": {"ProductBlockOneForTest": "test"},
"list_field": {"description": "list field desc", "ProductBlockOneForTest": "list test"},
"enum_field": {"description": "an enum", "ProductBlockOneForTest": "foo"}}`

var update = flag.Bool("update", false, "rewrite the golden files of the scenarios' output")

// golden compares the output with the golden file, or writes it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to write the golden file")
	require.Equal(t, string(want), got, "output differs from %s (go test -update rewrites it)", path)
}

func TestScenarios(t *testing.T) {
	t.Parallel()
	scenarios := []scenario{
		{name: "1 new product", fixture: subBlockOnly, reg: regOne, inputs: fullInputs, up: 11, down: 20,
			upgraded: func(h *harness) {
				require.Equal(h.t, []string{"TestProductOne Test test_tag active"}, h.query("SELECT name || ' ' || product_type || ' ' || tag || ' ' || status FROM products"))
				require.Equal(h.t, []string{"test value"}, h.query("SELECT value FROM fixed_inputs"))
				require.Equal(h.t, []string{"ProductBlockOneForTest -> SubBlockOneForTest"}, h.query(`SELECT a.name || ' -> ' || b.name FROM product_block_relations r
JOIN product_blocks a ON a.product_block_id = r.in_use_by_id JOIN product_blocks b ON b.product_block_id = r.depends_on_id`))
			},
			reverted: func(h *harness) {
				require.Zero(h.t, h.count("SELECT COUNT(*) FROM products"))
				require.Equal(h.t, []string{"SubBlockOneForTest"}, h.query("SELECT name FROM product_blocks"))
				require.Equal(h.t, []string{"int_field", "str_field"}, h.query("SELECT resource_type FROM resource_types ORDER BY 1"))
			}},
		{name: "3 new fixed input", fixture: dbOne, reg: reg[One3]("TestProductOne"), inputs: `{"TestProductOne": {"new_fixed_input": "test"}}`, up: 1, down: 1,
			upgraded: func(h *harness) {
				require.Equal(h.t, []string{"new_fixed_input=test", "test_fixed_input=False"}, h.query("SELECT name || '=' || value FROM fixed_inputs ORDER BY 1"))
			},
			reverted: func(h *harness) {
				require.Equal(h.t, []string{"test_fixed_input=False"}, h.query("SELECT name || '=' || value FROM fixed_inputs ORDER BY 1"))
			}},
		{name: "4 rename fixed input with updates", fixture: dbOne, s1: true, reg: reg[One4]("TestProductOne"),
			updates: `{"fixed_inputs": {"TestProductOne": {"test_fixed_input": "changed_fixed_input"}}}`, up: 1, down: 1,
			upgraded: func(h *harness) {
				require.Equal(h.t, []string{"changed_fixed_input=False"}, h.query("SELECT name || '=' || value FROM fixed_inputs"))
				s := load[One4](h, reg[One4]("TestProductOne"))
				require.False(h.t, s.ChangedFixedInput)
			},
			reverted: func(h *harness) {
				require.Equal(h.t, []string{"test_fixed_input=False"}, h.query("SELECT name || '=' || value FROM fixed_inputs"))
			}},
		{name: "5 rename fixed input interactively", fixture: dbOne, reg: reg[One4]("TestProductOne"), answers: "y\n", up: 1, down: 1,
			upgraded: func(h *harness) {
				require.Equal(h.t, []string{"changed_fixed_input=False"}, h.query("SELECT name || '=' || value FROM fixed_inputs"))
			}},
		{name: "5 declined rename", fixture: dbOne, reg: reg[One4]("TestProductOne"), answers: "N\n", after: "True\n", up: 2, down: 2,
			upgraded: func(h *harness) {
				require.Equal(h.t, []string{"changed_fixed_input=True"}, h.query("SELECT name || '=' || value FROM fixed_inputs"))
			},
			reverted: func(h *harness) {
				require.Equal(h.t, []string{"test_fixed_input=False"}, h.query("SELECT name || '=' || value FROM fixed_inputs"))
			}},
		{name: "6 new product block without subscriptions", fixture: dbOne, reg: reg[One6]("TestProductOne"),
			inputs: `{"test block": {"description": "test block description", "tag": "test_block_tag"}, "str_field": {"test block": "test"}}`, up: 3, down: 5},
		{name: "6 new product block", fixture: dbOne, s1: true, reg: reg[One6]("TestProductOne"),
			inputs: `{"test block": {"description": "test block description", "tag": "test_block_tag"}, "str_field": {"test block": "test"}}`, up: 5, down: 5,
			upgraded: func(h *harness) {
				s := load[One6](h, reg[One6]("TestProductOne"))
				require.Equal(h.t, "test", s.NewBlock.StrField)
				require.Equal(h.t, "A", s.Block.StrField)
			},
			reverted: func(h *harness) {
				s := load[One](h, regOne)
				require.Equal(h.t, []int{10, 20, 30}, s.Block.ListField)
				require.Zero(h.t, h.count("SELECT COUNT(*) FROM product_blocks WHERE name = 'test block'"))
			}},
		{name: "7 new block on a block without subscriptions", fixture: dbOne, reg: reg[One7]("TestProductOne"),
			inputs: `{"test block": {"description": "test block description", "tag": "test_block_tag"}, "str_field": {"test block": "test"}}`, up: 3, down: 5},
		// One statement more than the reference (6): the instance, its relation, and clearing the mark that pairs
		// them, so that every parent instance gets its own child (spec §8.6).
		{name: "7 new block on a block", fixture: dbOne, s1: true, reg: reg[One7]("TestProductOne"),
			inputs: `{"test block": {"description": "test block description", "tag": "test_block_tag"}, "str_field": {"test block": "test"}}`, up: 7, down: 5,
			upgraded: func(h *harness) {
				s := load[One7](h, reg[One7]("TestProductOne"))
				require.Equal(h.t, "test", s.Block.NewBlock.StrField)
				require.Equal(h.t, []string{"new_block"}, h.query("SELECT domain_model_attr FROM subscription_instance_relations WHERE domain_model_attr = 'new_block'"))
				require.Zero(h.t, h.count("SELECT COUNT(*) FROM subscription_instances WHERE label IS NOT NULL"))
			},
			reverted: func(h *harness) {
				require.Equal(h.t, 3, h.count("SELECT COUNT(*) FROM subscription_instances"))
				load[One](h, regOne)
			}},
		{name: "8 new resource type without subscriptions", fixture: dbOne, reg: reg[One8]("TestProductOne"),
			inputs: `{"new_int_field": {"ProductBlockOneForTest": "1", "description": "test new int field type"}}`, up: 2, down: 4},
		{name: "8 new resource type", fixture: dbOne, s1: true, reg: reg[One8]("TestProductOne"),
			inputs: `{"new_int_field": {"ProductBlockOneForTest": 1, "description": "test new int field type"}}`, up: 3, down: 4,
			upgraded: func(h *harness) {
				s := load[One8](h, reg[One8]("TestProductOne"))
				require.Equal(h.t, 1, s.Block.NewIntField)
			},
			reverted: func(h *harness) {
				require.Zero(h.t, h.count("SELECT COUNT(*) FROM resource_types WHERE resource_type = 'new_int_field'"))
				load[One](h, regOne)
			}},
		{name: "9 new block with two resource types", fixture: dbOne, s1: true, reg: reg[One9]("TestProductOne"),
			inputs: `{"test block": {"description": "test block description", "tag": "test_block_tag"}, "str_field": {"test block": "test"},
"new_str_field": {"description": "new str field desc", "test block": "new test"}}`, up: 8, down: 9,
			upgraded: func(h *harness) {
				s := load[One9](h, reg[One9]("TestProductOne"))
				require.Equal(h.t, "test", s.NewBlock.StrField)
				require.Equal(h.t, "new test", s.NewBlock.NewStrField)
			},
			reverted: func(h *harness) { load[One](h, regOne) }},
		{name: "10 rename resource type with updates", fixture: dbOne, s1: true, reg: reg[One10]("TestProductOne"),
			updates: `{"resource_types": {"list_field": "new_list_field"}}`, up: 1, down: 1,
			upgraded: func(h *harness) {
				s := load[One10](h, reg[One10]("TestProductOne"))
				require.Equal(h.t, []int{10, 20, 30}, s.Block.NewListField)
			},
			reverted: func(h *harness) { load[One](h, regOne) }},
		{name: "10 rename resource type interactively", fixture: dbOne, s1: true, reg: reg[One10]("TestProductOne"),
			answers: "1\n1\n", up: 1, down: 1},
		{name: "11 rename and relate without subscriptions", fixture: dbOne, reg: reg[One11]("TestProductOne"),
			updates: `{"resource_types": {"list_field": "new_list_field"}}`, inputs: `{"new_list_field": {"SubBlockOneForTest": "test"}}`, up: 2, down: 3},
		{name: "11 rename and relate", fixture: dbOne, s1: true, reg: reg[One11]("TestProductOne"),
			updates: `{"resource_types": {"list_field": "new_list_field"}}`, inputs: `{"new_list_field": {"SubBlockOneForTest": "5"}}`, up: 3, down: 3,
			upgraded: func(h *harness) {
				s := load[One11](h, reg[One11]("TestProductOne"))
				require.Equal(h.t, []int{10, 20, 30}, s.Block.NewListField)
				require.Equal(h.t, []int{5}, s.Block.SubBlock.NewListField)
				require.Equal(h.t, []int{5}, s.Block.SubBlock2.NewListField)
			},
			reverted: func(h *harness) { load[One](h, regOne) }},
		{name: "14 block update without subscriptions", fixture: dbOne, reg: reg[One14]("TestProductOne"),
			inputs:  `{"new_int_field": {"description": "test new int field type"}}`,
			updates: `{"block_resource_types": {"ProductBlockOneForTest": {"int_field": "new_int_field"}}}`, up: 3, down: 4,
			reverted: func(h *harness) {
				require.Equal(h.t, []string{"enum_field", "int_field", "list_field", "str_field"}, h.query("SELECT resource_type FROM resource_types ORDER BY 1"))
			}},
		{name: "15 block update", fixture: dbOne, s1: true, reg: reg[One15]("TestProductOne"),
			inputs:  `{"update_str_field": {"description": "test"}}`,
			updates: `{"block_resource_types": {"ProductBlockOneForTest": {"str_field": "update_str_field"}}}`, up: 3, down: 4,
			upgraded: func(h *harness) {
				s := load[One15](h, reg[One15]("TestProductOne"))
				require.Equal(h.t, "A", s.Block.UpdateStrField)
				require.Equal(h.t, "B", s.Block.SubBlock.StrField)
			},
			reverted: func(h *harness) { require.Equal(h.t, "A", load[One](h, regOne).Block.StrField) }},
		{name: "15 block update interactively", fixture: dbOne, s1: true, reg: reg[One15]("TestProductOne"),
			answers: "1\n1\n", after: "test\n", up: 3, down: 4},
		{name: "16 rename and block update", fixture: dbOne, s1: true, reg: reg[One16]("TestProductOne"),
			inputs:  `{"update_str_field": {"description": "test"}}`,
			updates: `{"resource_types": {"str_field": "other_str_field"}, "block_resource_types": {"ProductBlockOneForTest": {"other_str_field": "update_str_field"}}}`,
			up:      6, down: 5,
			upgraded: func(h *harness) {
				s := load[One16](h, reg[One16]("TestProductOne"))
				require.Equal(h.t, "A", s.Block.UpdateStrField)
				require.Equal(h.t, "B", s.Block.SubBlock.OtherStrField)
				require.Equal(h.t, "test", s.Block.SubBlock2.OtherStrField)
			},
			reverted: func(h *harness) {
				s := load[One](h, regOne)
				require.Equal(h.t, "A", s.Block.StrField)
				require.Equal(h.t, "B", s.Block.SubBlock.StrField)
			}},
		{name: "17 remove product", fixture: dbOne, s1: true, reg: domain.MustNewRegistry(), up: 7, down: 0,
			upgraded: func(h *harness) {
				for _, table := range []string{"products", "subscriptions", "subscription_instances", "subscription_instance_values", "product_blocks"} {
					require.Zero(h.t, h.count("SELECT COUNT(*) FROM "+table), table)
				}
				require.Equal(h.t, 4, h.count("SELECT COUNT(*) FROM resource_types"))
			}},
		{name: "18 remove fixed input", fixture: dbOne, reg: reg[One18]("TestProductOne"), up: 1, down: 1,
			upgraded: func(h *harness) { require.Zero(h.t, h.count("SELECT COUNT(*) FROM fixed_inputs")) },
			reverted: func(h *harness) {
				require.Equal(h.t, []string{"test_fixed_input=False"}, h.query("SELECT name || '=' || value FROM fixed_inputs"))
			}},
		{name: "19 remove product block", fixture: dbOne, s1: true, reg: reg[One19]("TestProductOne"), up: 3, down: 0,
			upgraded: func(h *harness) {
				require.Zero(h.t, h.count("SELECT COUNT(*) FROM subscription_instance_values"))
				load[One19](h, reg[One19]("TestProductOne"))
			}},
		{name: "20 remove resource type", fixture: dbOne, s1: true, reg: reg[One20]("TestProductOne"), up: 4, down: 0,
			upgraded: func(h *harness) {
				require.Zero(h.t, h.count("SELECT COUNT(*) FROM resource_types WHERE resource_type = 'list_field'"))
				s := load[One20](h, reg[One20]("TestProductOne"))
				require.Equal(h.t, "bar", string(s.Block.EnumField))
			}},
		{name: "2 documentation example", reg: regUsers, up: 19, down: 23,
			after: "External users\nUSER\nUser groups\nGROUP\nInternal users\nUSER\nexternal\ninternal\n" +
				"User settings\nUSERBLOCK\nGroup settings\nGROUPBLOCK\nage\ngroup id\ngroup name\nuser id\nuser name\n",
			upgraded: func(h *harness) {
				require.Equal(h.t, []string{"User external User", "User group UserGroup", "User internal User"}, h.query("SELECT name || ' ' || product_type FROM products ORDER BY 1"))
				require.Equal(h.t, []string{"group"}, h.query("SELECT 'group' FROM product_block_relations"))
			},
			reverted: func(h *harness) { require.Zero(h.t, h.count("SELECT COUNT(*) FROM product_blocks")) }},
		{name: "24 rename menu", fixture: usersFixture, reg: regUsers24, answers: "1\n1\n", up: 1, down: 1},
		{name: "24 block update menu", fixture: usersFixture, reg: regUsers24, answers: "q\n1\n1\n", after: "the user's age\n", up: 3, down: 4,
			upgraded: func(h *harness) {
				require.Equal(h.t, 1, h.count("SELECT COUNT(*) FROM resource_types WHERE resource_type = 'age'"), "age stays, unused")
			}},
		// A new block held by two attributes: each gets its instance (the reference warned and filled one).
		{name: "new block in two attributes", fixture: dbOne, s1: true, reg: reg[OneTwice]("TestProductOne"),
			inputs: `{"test block": {"description": "d", "tag": "T"}, "str_field": {"test block": "v"}}`, up: 10, down: 5,
			upgraded: func(h *harness) {
				s := load[OneTwice](h, reg[OneTwice]("TestProductOne"))
				require.Equal(h.t, "v", s.Block.ExtraA.StrField)
				require.Equal(h.t, "v", s.Block.ExtraB.StrField)
				require.NotEqual(h.t, s.Block.ExtraA.SubscriptionInstanceID, s.Block.ExtraB.SubscriptionInstanceID)
			},
			reverted: func(h *harness) { load[One](h, regOne) }},
		// A block nested in a block that each subscription holds twice: each of the two instances gets its own
		// new child (the reference linked both to one), with its value and attribute.
		{name: "new block nested twice in existing subscriptions", fixture: dbOne, s1: true, reg: reg[OneNested]("TestProductOne"),
			inputs: `{"test block": {"description": "leaf", "tag": "LEAF"}, "str_field": {"test block": "leaf value"}}`, up: 7, down: 5,
			upgraded: func(h *harness) {
				s := load[OneNested](h, reg[OneNested]("TestProductOne"))
				require.Equal(h.t, "leaf value", s.Block.SubBlock.Leaf.StrField)
				require.Equal(h.t, "leaf value", s.Block.SubBlock2.Leaf.StrField)
				require.NotEqual(h.t, s.Block.SubBlock.Leaf.SubscriptionInstanceID, s.Block.SubBlock2.Leaf.SubscriptionInstanceID)
				require.Equal(h.t, 2, h.count("SELECT COUNT(*) FROM subscription_instance_relations WHERE domain_model_attr = 'leaf'"))
			},
			reverted: func(h *harness) { load[One](h, regOne) }},
	}
	forEachDialect(t, func(t *testing.T, fresh func(t *testing.T) string) {
		for _, sc := range scenarios {
			t.Run(regexp.MustCompile(`\W+`).ReplaceAllString(sc.name, "_"), func(t *testing.T) {
				t.Parallel()
				sc.run(t, setup(t, fresh(t)))
			})
		}
	})
}

// forEachDialect runs fn once for SQLite and once for PostgreSQL (when configured; under CI=true it must be),
// with a function giving each test a fresh database.
func forEachDialect(t *testing.T, fn func(t *testing.T, fresh func(t *testing.T) string)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, func(t *testing.T) string { return freshSQLite(t) })
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, func(t *testing.T) string { return freshPostgres(t) })
	})
}
