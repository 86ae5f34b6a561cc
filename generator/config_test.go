package generator

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// resolve parses a configuration and resolves it in an empty module.
func resolve(t *testing.T, file, src, command string) (*Model, error) {
	t.Helper()
	cfg, err := ParseConfig(file, []byte(src))
	if cfg == nil {
		return nil, err
	}
	return Resolve(cfg, Module{Dir: t.TempDir(), Path: "example.com/orch"}, ".", nil, command)
}

// base is a valid configuration that the cases below change.
const base = `name: Thing
type: Thing
product_blocks:
  - name: thing
    type: Thing
    fields:
      - name: size
        type: int
`

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, src, want string
	}{
		{"yaml syntax", "name: [x\ntype: y\n", `c.yaml:2:1: invalid YAML: ',' or ']' must be specified`},
		{"empty", "", `c.yaml: the file is empty: want a mapping with name, type and product_blocks`},
		{"not a mapping", "- a\n", `c.yaml:1:1: the document is not a mapping`},
		{"missing name", "type: X\nproduct_blocks: []\n", `c.yaml:1:1: missing required key "name"`},
		{"missing product_blocks", "name: X\ntype: X\n", `c.yaml:1:1: missing required key "product_blocks"`},
		{"missing fields", "name: X\ntype: X\nproduct_blocks:\n  - name: x\n    type: X\n", `c.yaml:4:5: product_blocks[0]: missing required key "fields"`},
		{"missing field type", strings.Replace(base, "        type: int\n", "", 1), `c.yaml:7:9: product_blocks[0].fields[0]: missing required key "type"`},
		{"unknown key", strings.Replace(base, "type: int", "type: int\n        requried: active", 1), `c.yaml:7:9: product_blocks[0].fields[0]: unknown key "requried" (valid: name, type, description, required, default, modifiable`},
		{"bad required", strings.Replace(base, "type: int", "type: int\n        required: always", 1), `c.yaml:9:9: product_blocks[0].fields[0].required: value must be one of 'inactive', 'initial', 'provisioning', 'active' (or leave it out`},
		{"bad workflow", base + "workflows:\n  - name: destroy\n", `c.yaml:10:5: workflows[0].name: value must be one of 'create', 'modify', 'terminate', 'validate'`},
		{"unknown type", strings.Replace(base, "type: int", "type: Frobnicator", 1), `c.yaml:8:9: product_blocks[0].fields[0].type: unknown type "Frobnicator": valid are int, str, bool, UUID, enum, list, datetime.datetime`},
		{"enum without values", strings.Replace(base, "type: int", "type: enum\n        enum_type: str", 1), `c.yaml:7:9: product_blocks[0].fields[0]: missing required key "values"`},
		{"enum without enum_type", strings.Replace(base, "type: int", "type: enum\n        values: [a, b]", 1), `c.yaml:7:9: product_blocks[0].fields[0]: missing required key "enum_type"`},
		{"enum values clash", strings.Replace(base, "type: int", "type: enum\n        enum_type: str\n        values: [a-b, a b]", 1), `c.yaml:10:23: product_blocks[0].fields[0].values[1]: values "a-b" and "a b" both become the Go constant SizeAB`},
		{"int enum with a string", strings.Replace(base, "type: int", "type: enum\n        enum_type: int\n        values: [1, x]", 1), `product_blocks[0].fields[0].values[1]: value x is not an integer: enum_type int wants integer values`},
		{"list without list_type", strings.Replace(base, "type: int", "type: list", 1), `c.yaml:7:9: product_blocks[0].fields[0]: missing required key "list_type"`},
		{"duplicate field", base + "      - name: size\n        type: str\n", `c.yaml:9:9: product_blocks[0].fields[1].name: duplicate field name "size" (also at product_blocks[0].fields[0])`},
		{"initial without default", strings.Replace(base, "type: int", "type: int\n        required: initial", 1), `c.yaml:9:9: product_blocks[0].fields[0].required: required: initial requires a default`},
		{"inactive without default", strings.Replace(base, "type: int", "type: int\n        required: inactive", 1), `required: inactive requires a default`},
		{"min above max", strings.Replace(base, "type: int", "type: int\n        min_value: 10\n        max_value: 1", 1), `c.yaml:9:9: product_blocks[0].fields[0].min_value: min_value 10 > max_value 1: want min_value <= max_value`},
		{"default outside bounds", strings.Replace(base, "type: int", "type: int\n        max_value: 10\n        default: 11", 1), `product_blocks[0].fields[0].default: default 11 is outside the field's bounds <= 10`},
		{"default of the wrong type", strings.Replace(base, "type: int", "type: int\n        default: many", 1), `default many is not an integer (the field's type is int)`},
		{"bad variable", strings.Replace(base, "name: Thing", "name: My Thing 9000+", 1), `c.yaml:1:1: name: invalid identifier "my _thing 9000+": it names folders, a Go package and the workflows; set "variable"`},
		{"keyword variable", "variable: func\n" + base, `c.yaml:1:1: variable: invalid identifier "func"`},
		{"bad field name", strings.Replace(base, "name: size", "name: my size", 1), `c.yaml:7:9: product_blocks[0].fields[0].name: invalid identifier "my size"`},
		{"bad type", strings.Replace(base, "type: Thing\nproduct_blocks", "type: my-thing\nproduct_blocks", 1), `c.yaml:2:1: type: invalid identifier "my-thing"`},
		{"multiple roots", base + "  - name: other\n    type: Other\n    fields: []\n", `c.yaml:3:1: product_blocks: There should be exactly 1 root product block, found multiple: {'Other', 'Thing'}`},
		{"no blocks", "name: X\ntype: X\nproduct_blocks: []\n", `c.yaml:3:1: product_blocks: There should be exactly 1 root product block, found none. Please ensure there are no cyclic relations`},
		{"self reference", strings.Replace(base, "type: int", "type: Thing", 1), `c.yaml:3:1: product_blocks: Cycle detected in product blocks: {'Thing': {'Thing'}}`},
		{"alias", "name: &n X\ntype: *n\nproduct_blocks: []\n", `c.yaml:2:1: type: YAML aliases are not supported`},
		{"duplicate key", "name: X\nname: Y\n", `c.yaml:2:1: invalid YAML: mapping key "name" already defined at [1:1]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := resolve(t, "c.yaml", c.src, CmdProductBlocks)
			require.Error(t, err)
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.Contains(t, err.Error(), c.want)
		})
	}
}

// TestSharedConfigErrors checks the reference's example configurations that cannot be generated from.
func TestSharedConfigErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ file, command, want string }{
		{"invalid_product_config1.yaml", CmdProductBlocks, "invalid_product_config1.yaml:8:1: product_blocks: There should be exactly 1 root product block, found multiple: {'Block1', 'Block2'}"},
		{"invalid_product_config2.yaml", CmdProductBlocks, "invalid_product_config2.yaml:8:1: product_blocks: Cycle detected in product blocks: {'Block1': {'Block2'}, 'Block2': {'Block1'}}"},
		{"invalid_product_config2.yaml", CmdMigration, "Cycle detected in product blocks: {'Block1': {'Block2'}, 'Block2': {'Block1'}}"},
		{"invalid_product_config2.yaml", CmdProduct, "There should be exactly 1 root product block, found none. Please ensure there are no cyclic relations"},
		{"invalid_product_config2.yaml", CmdWorkflows, "found none"},
		{"invalid_product_config2.yaml", CmdUnitTests, "found none"},
		{"product_config3.yaml", CmdProduct, `product_config3.yaml:4:1: name: invalid identifier "my _product 9000+"`},
		{"circuit.yaml", CmdProductBlocks, `circuit.yaml:23:9: product_blocks[0].fields[0].list_type: unknown type "Layer3Interface"`},
		{"user.yaml", CmdProductBlocks, `user.yaml:21:9: product_blocks[0].fields[0].type: unknown type "UserGroup"`},
	} {
		t.Run(c.file+"/"+c.command, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", "configs", c.file))
			require.NoError(t, err)
			_, err = resolve(t, c.file, string(data), c.command)
			require.ErrorIs(t, err, ErrInvalidConfig)
			require.Contains(t, err.Error(), c.want)
		})
	}
}

func TestConfigAccepted(t *testing.T) {
	t.Parallel()
	// A one-sided bound, a list of values with bounds, quotes and non-ASCII in descriptions, Go keywords as names.
	src := `name: Thing
type: Thing
description: "Tom's \"thing\" \\ ünïcode"
fixed_inputs:
  - name: speed
    type: enum
    enum_type: str
    values: ["10G-LR", "8QAM", "DP-16QAM"]
product_blocks:
  - name: thing
    type: Thing
    fields:
      - name: type
        type: int
        min_value: 1
      - name: func
        type: list
        list_type: int
        min_items: 1
        max_items: 4
`
	m, err := resolve(t, "c.yaml", src, CmdProduct)
	require.NoError(t, err)
	require.Equal(t, []string{"Thing 10G-LR", "Thing 8QAM", "Thing DP-16QAM"}, variantNames(m))
	require.Equal(t, "Type", m.Root.Fields[0].GoName)
	require.Equal(t, "1, math.MaxInt64", m.Root.Fields[0].Int.MinLiteral()+", "+m.Root.Fields[0].Int.MaxLiteral())
	require.Equal(t, "func,min=1,max=4", m.Root.Fields[1].Tag)
}

func variantNames(m *Model) []string {
	var out []string
	for _, v := range m.Product.Variants {
		out = append(out, v.Name)
	}
	return out
}

func TestErrorsListEveryProblem(t *testing.T) {
	t.Parallel()
	src := strings.Replace(base, "type: int", "type: int\n        required: initial\n      - name: size\n        type: str", 1)
	_, err := resolve(t, "c.yaml", src, CmdProduct)
	var errs Errors
	require.True(t, errors.As(err, &errs))
	require.Len(t, errs, 2)
	require.Equal(t, "generator: c.yaml:9:9: product_blocks[0].fields[0].required: required: initial requires a default: the field is set from the moment a subscription exists; add default, or make it required from provisioning or active", errs[0].Error())
}

func FuzzParseConfig(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "configs"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata", "configs", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(base))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("fuzz.yaml", data)
		if cfg == nil || err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("an error that is not a list of problems: %v", err)
			}
			return
		}
		m, err := Resolve(cfg, Module{Dir: t.TempDir(), Path: "example.com/orch"}, ".", nil, CmdProduct)
		if err != nil {
			return
		}
		// Whatever is accepted must give valid Go.
		g, err := New(m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := g.ProductBlocks(); err != nil {
			t.Fatal(err)
		}
		if _, err := g.Product(); err != nil {
			t.Fatal(err)
		}
	})
}
