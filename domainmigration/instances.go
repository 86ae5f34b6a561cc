package domainmigration

import "slices"

// instances decides which existing subscriptions get new instances and which instances get default values.
// Instances are created when the migration runs, for the subscriptions there are then; the decision here only
// says which statements the revision needs, from what the database holds now.
func (c *Changes) instances(createLinks grouper) {
	memo := map[string]int{} // 1 visiting, 2 yes, 3 no
	var has func(block string) bool
	has = func(block string) bool {
		switch memo[block] {
		case 1, 3:
			return false
		case 2:
			return true
		}
		memo[block] = 1
		yes := false
		if b := c.cat.Blocks[block]; b != nil && b.Instances {
			yes = true
		}
		for _, r := range c.CreateBlockRelations {
			if !yes && r.Child == block && fills(r.Attrs) && has(r.Parent) {
				yes = true
			}
		}
		if !yes && len(c.rootProducts(block, createLinks)) > 0 {
			yes = true
		}
		memo[block] = 3
		if yes {
			memo[block] = 2
		}
		return yes
	}
	for _, g := range c.CreateProductBlockLinks {
		if ps := c.rootProducts(g.Name, createLinks); len(ps) > 0 {
			c.CreateRootInstances = append(c.CreateRootInstances, Group{g.Name, ps})
		}
	}
	// Parents before children: a relation comes after every relation that gives its parent instances.
	var pending []Relation
	parents := map[string][]string{} // child → parents, of the pending relations
	for _, r := range c.CreateBlockRelations {
		if fills(r.Attrs) && has(r.Parent) {
			pending = append(pending, r)
			parents[r.Child] = append(parents[r.Child], r.Parent)
		}
	}
	depth := map[string]int{}
	var depthOf func(block string) int
	depthOf = func(block string) int {
		if d, ok := depth[block]; ok {
			return d
		}
		depth[block] = 0 // a cycle counts as the start
		d := 0
		for _, p := range parents[block] {
			if p != block {
				d = max(d, depthOf(p)+1)
			}
		}
		depth[block] = d
		return d
	}
	slices.SortStableFunc(pending, func(a, b Relation) int { return depthOf(a.Parent) - depthOf(b.Parent) })
	c.CreateChildInstances = pending
	values := grouper{}
	for _, g := range c.CreateResourceTypeLinks {
		for _, b := range g.Members {
			if has(b) {
				values.add(g.Name, b)
			}
		}
	}
	c.CreateValues = values.groups()
}

// fills reports whether any of the attributes gets instances in existing subscriptions.
func fills(attrs []Attr) bool {
	return slices.ContainsFunc(attrs, func(a Attr) bool { return a.Fill > 0 })
}

// rootProducts are the products in the database with subscriptions that get a new root instance of block.
func (c *Changes) rootProducts(block string, createLinks grouper) []string {
	var out []string
	for _, g := range c.CreateProductBlockLinks {
		if g.Name != block {
			continue
		}
		for _, p := range g.Members {
			cp := c.cat.Products[p]
			if cp == nil || !cp.Subscriptions || !createLinks.has(block, p) {
				continue
			}
			if fills(attrsFor(c.model.Products[p].Blocks, block)) {
				out = append(out, p)
			}
		}
	}
	return out
}

// existed reports whether the block is in the database already: its new instances then need values for the
// resource types it has, which no new-resource-type statement gives them.
func (c *Changes) existed(block string) bool { return c.cat.Blocks[block] != nil }
