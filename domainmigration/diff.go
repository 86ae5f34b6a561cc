package domainmigration

import (
	"maps"
	"slices"
	"strings"
)

// Diff is how the declared catalogue and the database's differ, before renames are decided.
type Diff struct {
	model *Model
	cat   *Catalogue
	skip  func(product string) bool

	// NewProducts are registered product names missing from the database, sorted.
	NewProducts []string
	// GoneProducts are products in the database that are not registered, sorted.
	GoneProducts []string
	// Products are the differences of products in both, by name; a product without difference is absent.
	Products map[string]*ProductDiff
	// Blocks are the differences of blocks in both, by name; a block without difference is absent.
	Blocks map[string]*BlockDiff
}

// ProductDiff is how one product differs. Every list is sorted.
type ProductDiff struct {
	BlocksMissingInDB, BlocksMissingInModel           []string
	FixedInputsMissingInDB, FixedInputsMissingInModel []string
}

// BlockDiff is how one block differs. Every list is sorted.
type BlockDiff struct {
	ChildrenMissingInDB, ChildrenMissingInModel           []string
	ResourceTypesMissingInDB, ResourceTypesMissingInModel []string
}

func (d *ProductDiff) empty() bool {
	return len(d.BlocksMissingInDB)+len(d.BlocksMissingInModel)+len(d.FixedInputsMissingInDB)+len(d.FixedInputsMissingInModel) == 0
}

func (d *BlockDiff) empty() bool {
	return len(d.ChildrenMissingInDB)+len(d.ChildrenMissingInModel)+len(d.ResourceTypesMissingInDB)+len(d.ResourceTypesMissingInModel) == 0
}

// Empty reports whether the catalogues agree.
func (d *Diff) Empty() bool {
	return len(d.NewProducts)+len(d.GoneProducts)+len(d.Products)+len(d.Blocks) == 0 &&
		len(d.newBlocks())+len(d.goneBlocks()) == 0
}

// minus returns the elements of a (sorted) not in b.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// Skipper returns the skip rule of the setting SKIP_MODEL_FOR_MIGRATION_DB_DIFF: a product is skipped when its
// name contains one of the entries, compared without regard to case.
func Skipper(entries []string) func(string) bool {
	return func(product string) bool {
		name := strings.ToLower(product)
		for _, e := range entries {
			if e != "" && strings.Contains(name, strings.ToLower(e)) {
				return true
			}
		}
		return false
	}
}

// Compare compares the declared catalogue with the database's. Products for which skip reports true are left
// alone entirely: neither diffed, created nor deleted. skip may be nil.
//
// Every declared block that exists in the database and is reachable from a product that is not skipped is
// compared, also when only new products use it (the reference compared only blocks reached through products
// already in the database).
func Compare(m *Model, c *Catalogue, skip func(string) bool) *Diff {
	if skip == nil {
		skip = func(string) bool { return false }
	}
	d := &Diff{model: m, cat: c, skip: skip, Products: map[string]*ProductDiff{}, Blocks: map[string]*BlockDiff{}}
	var diffed []string
	for _, name := range slices.Sorted(maps.Keys(m.Products)) {
		if skip(name) {
			continue
		}
		diffed = append(diffed, name)
		cp := c.Products[name]
		if cp == nil {
			d.NewProducts = append(d.NewProducts, name)
			continue
		}
		mp := m.Products[name]
		blocks := blockNames(mp.Blocks)
		dbFI := slices.Sorted(maps.Keys(cp.FixedInputs))
		pd := &ProductDiff{
			BlocksMissingInDB:         minus(blocks, cp.Blocks),
			BlocksMissingInModel:      minus(cp.Blocks, blocks),
			FixedInputsMissingInDB:    minus(mp.FixedInputs, dbFI),
			FixedInputsMissingInModel: minus(dbFI, mp.FixedInputs),
		}
		if !pd.empty() {
			d.Products[name] = pd
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Products)) {
		if m.Products[name] == nil && !skip(name) {
			d.GoneProducts = append(d.GoneProducts, name)
		}
	}
	for _, name := range m.reachable(diffed) {
		cb, mb := c.Blocks[name], m.Blocks[name]
		if cb == nil || mb == nil {
			continue
		}
		children := blockNames(mb.Children)
		bd := &BlockDiff{
			ChildrenMissingInDB:         minus(children, cb.Children),
			ChildrenMissingInModel:      minus(cb.Children, children),
			ResourceTypesMissingInDB:    minus(mb.ResourceTypes, cb.ResourceTypes),
			ResourceTypesMissingInModel: minus(cb.ResourceTypes, mb.ResourceTypes),
		}
		if !bd.empty() {
			d.Blocks[name] = bd
		}
	}
	return d
}

// newBlocks are the declared blocks missing from the database, sorted.
func (d *Diff) newBlocks() []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(d.model.Blocks)) {
		if d.cat.Blocks[name] == nil {
			out = append(out, name)
		}
	}
	return out
}

// goneBlocks are the blocks in the database that no registered product uses, sorted.
func (d *Diff) goneBlocks() []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(d.cat.Blocks)) {
		if d.model.Blocks[name] == nil {
			out = append(out, name)
		}
	}
	return out
}

// RenameCandidates returns the resource types that may be renamed everywhere, each with the new names it may
// take, sorted: an old name is one no declared block has any more, a new name one the database does not have
// yet, and a pair is offered when some block lost the old name and gained the new one.
func (d *Diff) RenameCandidates() map[string][]string {
	out := map[string][]string{}
	for _, block := range slices.Sorted(maps.Keys(d.Blocks)) {
		bd := d.Blocks[block]
		var news []string
		for _, rt := range bd.ResourceTypesMissingInDB {
			if !d.cat.ResourceTypes[rt] {
				news = append(news, rt)
			}
		}
		for _, old := range bd.ResourceTypesMissingInModel {
			if d.model.declaresResourceType(old) || len(news) == 0 {
				continue
			}
			for _, n := range news {
				if !slices.Contains(out[old], n) {
					out[old] = append(out[old], n)
				}
			}
			slices.Sort(out[old])
		}
	}
	return out
}

// BlockUpdateCandidates returns, for one block, the resource types it lost that may be re-pointed to one it
// gained (its values move with it), leaving out what renames already explain.
func (d *Diff) BlockUpdateCandidates(block string, renames map[string]string) (olds, news []string) {
	bd := d.Blocks[block]
	if bd == nil {
		return nil, nil
	}
	targets := slices.Collect(maps.Values(renames))
	for _, rt := range bd.ResourceTypesMissingInModel {
		if _, ok := renames[rt]; !ok {
			olds = append(olds, rt)
		}
	}
	for _, rt := range bd.ResourceTypesMissingInDB {
		if !slices.Contains(targets, rt) {
			news = append(news, rt)
		}
	}
	if len(olds) == 0 || len(news) == 0 {
		return nil, nil
	}
	return olds, news
}

// FixedInputRename is a candidate rename of a product's fixed input.
type FixedInputRename struct {
	Product, Old, New string
}

// FixedInputRenameCandidates returns, sorted by product, the products that lost exactly one fixed input and
// gained exactly one.
func (d *Diff) FixedInputRenameCandidates() []FixedInputRename {
	var out []FixedInputRename
	for _, name := range slices.Sorted(maps.Keys(d.Products)) {
		pd := d.Products[name]
		if len(pd.FixedInputsMissingInModel) == 1 && len(pd.FixedInputsMissingInDB) == 1 {
			out = append(out, FixedInputRename{name, pd.FixedInputsMissingInModel[0], pd.FixedInputsMissingInDB[0]})
		}
	}
	return out
}
