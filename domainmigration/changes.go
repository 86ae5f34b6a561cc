package domainmigration

import (
	"cmp"
	"maps"
	"slices"
	"strings"
)

// Updates are the renames decided for a migration, in the shape of the --updates option:
//
//	{"fixed_inputs": {"<product>": {"<old>": "<new>"}},
//	 "resource_types": {"<old>": "<new>"},
//	 "block_resource_types": {"<block>": {"<old>": "<new>"}}}
type Updates struct {
	// FixedInputs renames fixed inputs per product.
	FixedInputs map[string]map[string]string `json:"fixed_inputs,omitempty"`
	// ResourceTypes renames resource types everywhere (UPDATE resource_types).
	ResourceTypes map[string]string `json:"resource_types,omitempty"`
	// BlockResourceTypes re-points one block's relation and its instances' values from one resource type to
	// another, created when missing.
	BlockResourceTypes map[string]map[string]string `json:"block_resource_types,omitempty"`
}

// Empty reports whether no update is given.
func (u Updates) Empty() bool {
	return len(u.FixedInputs)+len(u.ResourceTypes)+len(u.BlockResourceTypes) == 0
}

// Group is a name with the names it applies to, both sorted: a fixed input and its products, a block and its
// products, a resource type and its blocks, a child block and its parents.
type Group struct {
	Name    string
	Members []string
}

// Rename is one rename; Owner is the product or block it applies to ("" for a global one).
type Rename struct {
	Owner, Old, New string
}

// Relation is a new block-to-block relation: the parent, the child, and the parent's attributes that hold the
// child with the number of instances a new subscription gets in each.
type Relation struct {
	Parent, Child string
	Attrs         []Attr
}

// Changes are the change categories of a migration, each sorted by name.
type Changes struct {
	model *Model
	cat   *Catalogue

	CreateProducts           []string
	DeleteProducts           []string
	CreateFixedInputs        []Group // fixed input → products
	UpdateFixedInputs        []Rename
	DeleteFixedInputs        []Group // fixed input → products
	CreateProductBlockLinks  []Group // block → products
	DeleteProductBlockLinks  []Group // block → products
	RenameResourceTypes      []Rename
	UpdateBlockResourceTypes []Rename
	CreateResourceTypeLinks  []Group // resource type → blocks
	DeleteResourceTypeLinks  []Group // resource type → blocks
	DeleteResourceTypes      []string
	CreateBlocks             []string
	DeleteBlocks             []string
	CreateBlockRelations     []Relation
	DeleteBlockRelations     []Group // child → parents
	CreateResourceTypes      []string
	// CreateValues are the resource types whose existing instances get a default value: resource type → blocks.
	CreateValues []Group
	// CreateRootInstances are the new root blocks of products with subscriptions: block → products.
	CreateRootInstances []Group
	// CreateChildInstances are the new relations whose parents have instances, parents before children.
	CreateChildInstances []Relation
}

// Empty reports whether nothing changes.
func (c *Changes) Empty() bool {
	return len(c.CreateProducts)+len(c.DeleteProducts)+len(c.CreateFixedInputs)+len(c.UpdateFixedInputs)+
		len(c.DeleteFixedInputs)+len(c.CreateProductBlockLinks)+len(c.DeleteProductBlockLinks)+
		len(c.RenameResourceTypes)+len(c.UpdateBlockResourceTypes)+len(c.CreateResourceTypeLinks)+
		len(c.DeleteResourceTypeLinks)+len(c.DeleteResourceTypes)+len(c.CreateBlocks)+len(c.DeleteBlocks)+
		len(c.CreateBlockRelations)+len(c.DeleteBlockRelations)+len(c.CreateResourceTypes) == 0
}

// grouper collects name → members sets and returns them sorted (the reference's grouping lost members, §8.2).
type grouper map[string]map[string]bool

func (g grouper) add(name string, members ...string) {
	if g[name] == nil {
		g[name] = map[string]bool{}
	}
	for _, m := range members {
		g[name][m] = true
	}
}

func (g grouper) groups() []Group {
	var out []Group
	for _, name := range slices.Sorted(maps.Keys(g)) {
		out = append(out, Group{name, slices.Sorted(maps.Keys(g[name]))})
	}
	return out
}

func (g grouper) has(name, member string) bool { return g[name][member] }

// Changes sorts the differences into change categories, with the renames of u applied: what a rename explains
// is neither created nor deleted.
func (d *Diff) Changes(u Updates) *Changes {
	m, cat := d.model, d.cat
	c := &Changes{model: m, cat: cat, CreateProducts: d.NewProducts, DeleteProducts: d.GoneProducts}

	// Fixed inputs and product links.
	createFI, deleteFI, createLinks, deleteLinks := grouper{}, grouper{}, grouper{}, grouper{}
	for _, name := range d.NewProducts {
		p := m.Products[name]
		for _, fi := range p.FixedInputs {
			createFI.add(fi, name)
		}
		for _, b := range blockNames(p.Blocks) {
			createLinks.add(b, name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(d.Products)) {
		pd := d.Products[name]
		renamed := u.FixedInputs[name]
		newNames := slices.Collect(maps.Values(renamed))
		for _, fi := range pd.FixedInputsMissingInDB {
			if !slices.Contains(newNames, fi) {
				createFI.add(fi, name)
			}
		}
		for _, fi := range pd.FixedInputsMissingInModel {
			if _, ok := renamed[fi]; !ok {
				deleteFI.add(fi, name)
			}
		}
		for _, b := range pd.BlocksMissingInDB {
			createLinks.add(b, name)
		}
		for _, b := range pd.BlocksMissingInModel {
			deleteLinks.add(b, name)
		}
	}
	for _, product := range slices.Sorted(maps.Keys(u.FixedInputs)) {
		for _, old := range slices.Sorted(maps.Keys(u.FixedInputs[product])) {
			c.UpdateFixedInputs = append(c.UpdateFixedInputs, Rename{product, old, u.FixedInputs[product][old]})
		}
	}
	c.CreateFixedInputs, c.DeleteFixedInputs = createFI.groups(), deleteFI.groups()
	c.CreateProductBlockLinks, c.DeleteProductBlockLinks = createLinks.groups(), deleteLinks.groups()

	// Resource types.
	for _, old := range slices.Sorted(maps.Keys(u.ResourceTypes)) {
		c.RenameResourceTypes = append(c.RenameResourceTypes, Rename{"", old, u.ResourceTypes[old]})
	}
	for _, block := range slices.Sorted(maps.Keys(u.BlockResourceTypes)) {
		for _, old := range slices.Sorted(maps.Keys(u.BlockResourceTypes[block])) {
			c.UpdateBlockResourceTypes = append(c.UpdateBlockResourceTypes, Rename{block, old, u.BlockResourceTypes[block][old]})
		}
	}
	createRT, deleteRT := grouper{}, grouper{}
	for _, block := range slices.Sorted(maps.Keys(d.Blocks)) {
		bd := d.Blocks[block]
		missingInDB, missingInModel := bd.ResourceTypesMissingInDB, bd.ResourceTypesMissingInModel
		var explainedOld, explainedNew []string
		for old, n := range u.ResourceTypes {
			if slices.Contains(missingInModel, old) && slices.Contains(missingInDB, n) {
				explainedOld, explainedNew = append(explainedOld, old), append(explainedNew, n)
			}
		}
		for old, n := range u.BlockResourceTypes[block] {
			explainedOld, explainedNew = append(explainedOld, old), append(explainedNew, n)
		}
		for _, rt := range minus(missingInDB, explainedNew) {
			createRT.add(rt, block)
		}
		for _, rt := range minus(missingInModel, explainedOld) {
			deleteRT.add(rt, block)
		}
	}
	newBlocks := d.newBlocks()
	for _, block := range newBlocks {
		for _, rt := range m.Blocks[block].ResourceTypes {
			createRT.add(rt, block)
		}
	}
	c.CreateResourceTypeLinks, c.DeleteResourceTypeLinks = createRT.groups(), deleteRT.groups()
	for _, g := range c.DeleteResourceTypeLinks {
		if cat.ResourceTypes[g.Name] && !m.declaresResourceType(g.Name) {
			if _, renamed := u.ResourceTypes[g.Name]; !renamed {
				c.DeleteResourceTypes = append(c.DeleteResourceTypes, g.Name)
			}
		}
	}
	renameTargets := slices.Collect(maps.Values(u.ResourceTypes))
	newRT := map[string]bool{}
	for _, g := range c.CreateResourceTypeLinks {
		newRT[g.Name] = true
	}
	for _, r := range c.UpdateBlockResourceTypes {
		newRT[r.New] = true
	}
	for _, rt := range slices.Sorted(maps.Keys(newRT)) {
		if !cat.ResourceTypes[rt] && !slices.Contains(renameTargets, rt) {
			c.CreateResourceTypes = append(c.CreateResourceTypes, rt)
		}
	}

	// Blocks and block relations.
	c.CreateBlocks, c.DeleteBlocks = newBlocks, d.goneBlocks()
	relations := map[[2]string]bool{}
	addRelation := func(parent, child string) {
		if relations[[2]string{parent, child}] {
			return
		}
		relations[[2]string{parent, child}] = true
		c.CreateBlockRelations = append(c.CreateBlockRelations, Relation{parent, child, attrsFor(m.Blocks[parent].Children, child)})
	}
	deleteRel := grouper{}
	for _, block := range slices.Sorted(maps.Keys(d.Blocks)) {
		for _, child := range d.Blocks[block].ChildrenMissingInDB {
			addRelation(block, child)
		}
		for _, child := range d.Blocks[block].ChildrenMissingInModel {
			deleteRel.add(child, block)
		}
	}
	for _, block := range newBlocks {
		for _, child := range blockNames(m.Blocks[block].Children) {
			addRelation(block, child)
		}
	}
	slices.SortFunc(c.CreateBlockRelations, func(a, b Relation) int {
		if a.Child != b.Child {
			return cmp.Compare(a.Child, b.Child)
		}
		return cmp.Compare(a.Parent, b.Parent)
	})
	c.DeleteBlockRelations = deleteRel.groups()

	c.instances(createLinks)
	return c
}

// Summary describes the changes one category a line, in the reference's order and with its names for the
// categories, leaving out empty ones.
func (c *Changes) Summary() []string {
	groups := func(gs []Group) string {
		parts := make([]string, len(gs))
		for i, g := range gs {
			parts[i] = g.Name + " (" + strings.Join(g.Members, ", ") + ")"
		}
		return strings.Join(parts, ", ")
	}
	renames := func(rs []Rename) string {
		parts := make([]string, len(rs))
		for i, r := range rs {
			parts[i] = r.Old + " -> " + r.New
			if r.Owner != "" {
				parts[i] = r.Owner + ": " + parts[i]
			}
		}
		return strings.Join(parts, ", ")
	}
	relations := func(rs []Relation) string {
		parts := make([]string, len(rs))
		for i, r := range rs {
			var attrs []string
			for _, a := range r.Attrs {
				attrs = append(attrs, a.Name)
			}
			parts[i] = r.Parent + "." + strings.Join(attrs, "/") + " -> " + r.Child
		}
		return strings.Join(parts, ", ")
	}
	lines := [][2]string{
		{"create_products", strings.Join(c.CreateProducts, ", ")},
		{"delete_products", strings.Join(c.DeleteProducts, ", ")},
		{"create_product_fixed_inputs", groups(c.CreateFixedInputs)},
		{"update_product_fixed_inputs", renames(c.UpdateFixedInputs)},
		{"delete_product_fixed_inputs", groups(c.DeleteFixedInputs)},
		{"create_product_to_block_relations", groups(c.CreateProductBlockLinks)},
		{"delete_product_to_block_relations", groups(c.DeleteProductBlockLinks)},
		{"create_resource_types", strings.Join(c.CreateResourceTypes, ", ")},
		{"rename_resource_types", renames(c.RenameResourceTypes)},
		{"update_block_resource_types", renames(c.UpdateBlockResourceTypes)},
		{"delete_resource_types", strings.Join(c.DeleteResourceTypes, ", ")},
		{"create_resource_type_relations", groups(c.CreateResourceTypeLinks)},
		{"create_resource_type_instance_relations", groups(c.CreateValues)},
		{"delete_resource_type_relations", groups(c.DeleteResourceTypeLinks)},
		{"create_blocks", strings.Join(c.CreateBlocks, ", ")},
		{"delete_blocks", strings.Join(c.DeleteBlocks, ", ")},
		{"create_product_block_relations", relations(c.CreateBlockRelations)},
		{"delete_product_block_relations", groups(c.DeleteBlockRelations)},
	}
	var out []string
	for _, l := range lines {
		if l[1] != "" {
			out = append(out, l[0]+": "+l[1])
		}
	}
	return out
}
