package generator

import (
	"strings"
)

// MigrationOptions shape the data revision.
type MigrationOptions struct {
	// SkipExistingBlocks leaves out the blocks declared in the module's code outside this configuration's own
	// packages: they are in the catalogue already, added with the product that declared them.
	SkipExistingBlocks bool
	// DefaultWorkflows are linked to every new product (the setting DEFAULT_PRODUCT_WORKFLOWS).
	DefaultWorkflows []string
}

// Migration is the SQL of the data revision that adds the product to the catalogue, and of its downgrade.
type Migration struct {
	Message, Upgrade, Downgrade string
}

type migrationBlock struct {
	Name, Description, Tag string
	Resources              []migrationResource
	DependsOn              []string
}

type migrationResource struct{ Name, Description string }

type migrationProduct struct {
	Variant
	Description, Tag string
}

type migrationWorkflow struct{ Name, Target, Description string }

type migrationData struct {
	Blocks           []migrationBlock
	ResourceTypes    []migrationResource
	Products         []migrationProduct
	Config           *Config
	Root             string
	Workflows        []migrationWorkflow
	DefaultWorkflows []string
	ProductNames     []string
	BlockNames       []string
}

// Migration renders the data revision: on PostgreSQL and SQLite alike it inserts the blocks (in dependency
// order), their resource types and relations, a product per variant with its root block and fixed inputs, the
// enabled workflows linked to every product of the type, and the default workflows' links; the downgrade deletes
// what it added (resource types only when no block uses them any more). Every insert skips rows that exist.
func (g *Generator) Migration(o MigrationOptions) (Migration, error) {
	m := g.m
	d := migrationData{Config: m.Config, Root: m.Root.Name(), DefaultWorkflows: o.DefaultWorkflows}
	seen := map[string]int{}
	for _, b := range m.Blocks {
		if o.SkipExistingBlocks {
			if e, ok := m.Existing[b.Config.Type]; ok && e.ImportPath != b.ImportPath {
				continue
			}
		}
		mb := migrationBlock{Name: b.Name(), Description: or(b.Config.Description, b.Name()), Tag: or(b.Config.Tag, defaultTag(b.Name())), DependsOn: b.DependsOn}
		for _, f := range b.Fields {
			if f.Ref != nil {
				continue
			}
			r := migrationResource{Name: f.Name, Description: or(f.Config.Description, f.Name)}
			mb.Resources = append(mb.Resources, r)
			if i, ok := seen[f.Name]; !ok {
				seen[f.Name] = len(d.ResourceTypes)
				d.ResourceTypes = append(d.ResourceTypes, r)
			} else if f.Config.Description != "" && d.ResourceTypes[i].Description == f.Name {
				d.ResourceTypes[i] = r
			}
		}
		d.Blocks = append(d.Blocks, mb)
		d.BlockNames = append(d.BlockNames, mb.Name)
	}
	for _, v := range m.Product.Variants {
		d.ProductNames = append(d.ProductNames, v.Name)
		d.Products = append(d.Products, migrationProduct{Variant: v, Description: or(m.Config.Description, v.Name), Tag: or(m.Config.Tag, defaultTag(m.Config.Type))})
	}
	for _, w := range workflowKinds {
		if !m.Config.Workflow(w.kind).Enabled {
			continue
		}
		d.Workflows = append(d.Workflows, migrationWorkflow{Name: w.kind + "_" + m.Config.Variable, Target: w.target, Description: PyTitle(w.kind[:1]) + w.kind[1:] + " " + m.Config.Name})
	}
	up, err := g.t.renderText("migration_upgrade.sql.tmpl", d)
	if err != nil {
		return Migration{}, err
	}
	down, err := g.t.renderText("migration_downgrade.sql.tmpl", d)
	if err != nil {
		return Migration{}, err
	}
	return Migration{Message: "add " + m.Config.Name, Upgrade: strings.TrimSpace(string(up)) + "\n", Downgrade: strings.TrimSpace(string(down)) + "\n"}, nil
}

// workflowKinds are the four generated workflows with their targets, in the reference's order.
var workflowKinds = []struct{ kind, target string }{
	{"create", "CREATE"}, {"modify", "MODIFY"}, {"terminate", "TERMINATE"}, {"validate", "VALIDATE"},
}

// sqlString quotes a string literal for SQL: single quotes, doubled inside.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// sqlList quotes a list of strings for IN (...).
func sqlList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = sqlString(s)
	}
	return strings.Join(q, ", ")
}

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// defaultTag is the tag package domain gives a product or block that declares none: its name in upper case, cut
// to the column's 20 characters.
func defaultTag(name string) string {
	t := []rune(strings.ToUpper(name))
	if len(t) > 20 {
		t = t[:20]
	}
	return string(t)
}
