// Package domainmigration is what db migrate-domain-models does: it compares the catalogue an application
// declares in Go (products, fixed inputs, product blocks, resource types and their relations) with the catalogue
// rows of the database, sorts the differences into orchestrator-core's change categories, and writes the SQL that
// makes the database match, together with the SQL that undoes it.
//
// The work is split in pure steps so each can be tested and driven without prompts:
//
//	model := FromRegistry(reg)               // the declared catalogue
//	cat, err := ReadCatalogue(ctx, db)       // the database's catalogue
//	diff := Compare(model, cat, skip)        // what differs, per product and block
//	changes := diff.Changes(updates)         // the change categories, renames applied
//	up, down, err := changes.SQL(answers)    // the revision's SQL
//
// Renames cannot be told from deletions plus creations by looking; the candidates are offered by
// Diff.RenameCandidates, Diff.BlockUpdateCandidates and Diff.FixedInputRenameCandidates and the choice is the
// caller's (the CLI asks, or takes --updates). What the SQL needs and the model does not declare (descriptions,
// tags, fixed-input values, default values) is listed by Changes.Questions.
package domainmigration

import (
	"maps"
	"slices"

	"github.com/wfo-go/wfo/domain"
)

// Model is the catalogue the application declares.
type Model struct {
	// Products are the registered product names.
	Products map[string]*Product
	// Blocks are every product block reachable from the registered products, by name.
	Blocks map[string]*Block
	// ResourceTypeDescriptions are declared descriptions of resource types, by name.
	ResourceTypeDescriptions map[string]string
}

// Product is one declared product name.
type Product struct {
	// Type is products.product_type.
	Type string
	// FixedInputs are the fixed-input names, sorted.
	FixedInputs []string
	// FixedInputValues are declared values of fixed inputs (a product name's own value), by name.
	FixedInputValues map[string]string
	// Blocks are the root block attributes in declaration order.
	Blocks []Attr
	// Description, Tag and Status are the declared catalogue values, "" when not declared.
	Description, Tag, Status string
}

// Block is one declared product block.
type Block struct {
	// ResourceTypes are the resource-type names, sorted.
	ResourceTypes []string
	// Defaults are declared default values of resource types (as stored), by name.
	Defaults map[string]string
	// Children are the nested block attributes in declaration order.
	Children []Attr
	// Description, Tag and Status are the declared catalogue values, "" when not declared.
	Description, Tag, Status string
}

// Attr is a block-valued attribute: its name (subscription_instance_relations.domain_model_attr) and the blocks it
// may hold (one, or several for a union).
type Attr struct {
	Name   string
	Blocks []string
	// Fill is the number of instances a new subscription has in the attribute: 1 for a block that is always
	// there, the minimum length of a list, 0 for an optional block. Existing subscriptions get as many when the
	// attribute is new.
	Fill int
}

// blockNames returns the distinct block names referenced by attributes, sorted.
func blockNames(attrs []Attr) []string {
	var names []string
	for _, a := range attrs {
		for _, b := range a.Blocks {
			if !slices.Contains(names, b) {
				names = append(names, b)
			}
		}
	}
	slices.Sort(names)
	return names
}

// attrsFor returns the attributes that may hold block child, in declaration order.
func attrsFor(attrs []Attr, child string) []Attr {
	var out []Attr
	for _, a := range attrs {
		if slices.Contains(a.Blocks, child) {
			out = append(out, a)
		}
	}
	return out
}

// FromRegistry describes the catalogue a registry declares.
func FromRegistry(reg *domain.Registry) *Model {
	m := &Model{Products: map[string]*Product{}, Blocks: map[string]*Block{}, ResourceTypeDescriptions: map[string]string{}}
	attrs := func(fields []*domain.Field) []Attr {
		var out []Attr
		for _, f := range fields {
			a := Attr{Name: f.Name, Blocks: []string{f.Block.Name}, Fill: f.InitialCount()}
			out = append(out, a)
		}
		return out
	}
	for _, name := range reg.ProductNames() {
		pt, _ := reg.Product(name)
		p := &Product{Type: pt.Name, Blocks: attrs(pt.BlockFields()), FixedInputValues: map[string]string{}}
		for _, f := range pt.FixedInputs() {
			p.FixedInputs = append(p.FixedInputs, f.Name)
		}
		slices.Sort(p.FixedInputs)
		m.Products[name] = p
	}
	for _, bt := range reg.Blocks() {
		b := &Block{Children: attrs(bt.BlockFields()), Defaults: map[string]string{}}
		for _, f := range bt.ResourceTypes() {
			b.ResourceTypes = append(b.ResourceTypes, f.Name)
			if f.HasDefault {
				b.Defaults[f.Name] = f.Default
			}
		}
		slices.Sort(b.ResourceTypes)
		m.Blocks[bt.Name] = b
	}
	// What the application declares beside the types; a value it left to its default is asked for instead.
	declared := reg.Catalogue()
	for _, e := range declared.Products {
		p := m.Products[e.Name]
		p.Description = given(e.Missing, "description", e.Description)
		p.Tag = given(e.Missing, "tag", e.Tag)
		p.Status = given(e.Missing, "status", string(e.Status))
		for _, fi := range e.FixedInputs {
			p.FixedInputValues[fi.Name] = fi.Value
		}
	}
	for _, e := range declared.ProductBlocks {
		b := m.Blocks[e.Name]
		b.Description = given(e.Missing, "description", e.Description)
		b.Tag = given(e.Missing, "tag", e.Tag)
		b.Status = given(e.Missing, "status", string(e.Status))
	}
	for _, e := range declared.ResourceTypes {
		if d := given(e.Missing, "description", e.Description); d != "" {
			m.ResourceTypeDescriptions[e.Name] = d
		}
	}
	return m
}

// given returns value unless the catalogue entry lists the key as missing (a default, not a declaration).
func given(missing []string, key, value string) string {
	if slices.Contains(missing, key) {
		return ""
	}
	return value
}

// declaresResourceType reports whether any declared block has the resource type.
func (m *Model) declaresResourceType(rt string) bool {
	for _, b := range m.Blocks {
		if slices.Contains(b.ResourceTypes, rt) {
			return true
		}
	}
	return false
}

// reachable returns the blocks reachable from the given products, sorted.
func (m *Model) reachable(products []string) []string {
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		if b := m.Blocks[name]; b != nil {
			for _, c := range blockNames(b.Children) {
				visit(c)
			}
		}
	}
	for _, p := range products {
		for _, b := range blockNames(m.Products[p].Blocks) {
			visit(b)
		}
	}
	return slices.Sorted(maps.Keys(seen))
}
