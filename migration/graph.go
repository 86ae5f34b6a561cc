package migration

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Error is a failure of a migration command that users see as one line: Alembic's message texts where Alembic
// has one. The CLI prints it and exits 1.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, args ...any) error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// resolutionError is a revision that cannot be found; commands report it as "Can't locate revision identified by".
type resolutionError struct {
	msg      string
	argument string
}

func (e *resolutionError) Error() string { return e.msg }

// multipleHeadsError is a "head" target that matches several heads.
type multipleHeadsError struct{ heads []string }

func (e *multipleHeadsError) Error() string {
	return "Multiple heads are present: " + strings.Join(e.heads, ", ")
}

// rangeNotAncestorError is a downgrade target that is not below the current revisions.
type rangeNotAncestorError struct{}

func (e *rangeNotAncestorError) Error() string { return "Nothing to drop" }

// Node is a revision placed in the graph.
type Node struct {
	*Revision
	index int // load order

	labels     []string // declared and inherited, sorted
	down       []*Node  // versioned down revisions (parents)
	deps       []*Node  // resolved dependencies
	normDeps   []*Node  // dependencies that no down-revision ancestor declares
	normDown   []*Node  // parents plus normDeps
	nextrev    []*Node  // children along down revisions
	allNextrev []*Node  // children along down revisions and dependencies
	labelSet   map[string]bool
	// viaReplaced is set when a down revision or dependency names a retired id (Revision.Replaces).
	viaReplaced bool
	isHead      bool
	isRealHead  bool
	isBase      bool
	isRealBase  bool
}

// Labels returns the node's branch labels, declared and inherited, sorted.
func (n *Node) Labels() []string { return n.labels }

// IsHead reports whether no revision has this one as a down revision.
func (n *Node) IsHead() bool { return n.isHead }

// IsRealHead reports whether no revision has this one as a down revision or dependency.
func (n *Node) IsRealHead() bool { return n.isRealHead }

// IsEffectiveHead reports whether this is a head that another revision depends on.
func (n *Node) IsEffectiveHead() bool { return n.isHead && !n.isRealHead }

// IsBranchPoint reports whether two or more revisions have this one as their down revision.
func (n *Node) IsBranchPoint() bool { return len(n.nextrev) > 1 }

// IsMergePoint reports whether this revision has two or more down revisions.
func (n *Node) IsMergePoint() bool { return len(n.down) > 1 }

// Children returns the revisions that have this one as a down revision, in load order.
func (n *Node) Children() []*Node { return n.nextrev }

// Graph is the revision graph of all version locations, with Alembic's semantics.
type Graph struct {
	nodes    []*Node          // load order
	byID     map[string]*Node // revision ids
	byLabel  map[string]*Node // branch label -> the revision that declares it
	replaced map[string]*Node // retired revision id -> the revision that replaces it
	heads    []*Node
	real     []*Node // real heads
	bases    []*Node
	maxIDLen int

	ancMu    sync.Mutex
	ancCache map[*Node]map[*Node]bool // see cachedAncestors
}

// NewGraph builds the graph of revisions given in load order (version locations in order, files sorted by name)
// and checks it: duplicate ids, missing down revisions or dependencies, duplicate branch labels, self-loops and
// cycles are errors.
func NewGraph(revs []*Revision) (*Graph, error) {
	g := &Graph{byID: make(map[string]*Node, len(revs)), byLabel: map[string]*Node{}}
	g.nodes = make([]*Node, 0, len(revs))
	for _, r := range revs {
		if err := CheckRevision(r); err != nil {
			// Files were checked line by line when parsed; this catches revisions registered in Go.
			return nil, errorf("%s: %v", r.Path, err)
		}
		if prev, dup := g.byID[r.ID]; dup {
			return nil, errorf("Revision %s is present more than once (%s and %s)", r.ID, prev.Path, r.Path)
		}
		if slices.Contains(r.DownRevisions, r.ID) {
			return nil, errorf("Self-loop is detected in revisions (%s)", r.ID)
		}
		if slices.Contains(r.DependsOn, r.ID) {
			return nil, errorf("Dependency self-loop is detected in revisions (%s)", r.ID)
		}
		n := &Node{Revision: r, index: len(g.nodes)}
		g.nodes = append(g.nodes, n)
		g.byID[r.ID] = n
		g.maxIDLen = max(g.maxIDLen, len(r.ID))
	}
	for _, n := range g.nodes {
		for _, old := range n.Replaces {
			if other, dup := g.byID[old]; dup {
				return nil, errorf("Revision %s replaced by %s (%s) is present (%s)", old, n.ID, n.Path, other.Path)
			}
			if other, dup := g.replaced[old]; dup {
				return nil, errorf("Revision %s is replaced by both %s and %s", old, other.ID, n.ID)
			}
			if g.replaced == nil {
				g.replaced = map[string]*Node{}
			}
			g.replaced[old] = n
		}
	}
	for _, n := range g.nodes {
		for _, label := range n.BranchLabels {
			if other, used := g.byLabel[label]; used {
				return nil, errorf("Branch name '%s' in revision %s already used by revision %s", label, n.ID, other.ID)
			}
			if other, used := g.byID[label]; used {
				return nil, errorf("Branch name '%s' in revision %s already used by revision %s", label, n.ID, other.ID)
			}
			g.byLabel[label] = n
		}
	}
	for _, n := range g.nodes {
		for _, d := range n.DownRevisions {
			p, ok := g.byID[d]
			if !ok {
				p, ok = g.replaced[d]
				n.viaReplaced = n.viaReplaced || ok
			}
			if !ok {
				return nil, errorf("Revision %s referenced as down revision of %s (%s) is not present", d, n.ID, n.Path)
			}
			n.down = append(n.down, p)
		}
		for _, d := range n.DependsOn {
			p, ok := g.byID[d]
			if !ok {
				p, ok = g.byLabel[d]
			}
			if !ok {
				p, ok = g.replaced[d]
				n.viaReplaced = n.viaReplaced || ok
			}
			if !ok {
				return nil, errorf("Revision or branch %s referenced in depends_on of %s (%s) is not present", d, n.ID, n.Path)
			}
			if p == n {
				return nil, errorf("Dependency self-loop is detected in revisions (%s)", n.ID)
			}
			if !slices.Contains(n.deps, p) {
				n.deps = append(n.deps, p)
			}
		}
	}
	for _, n := range g.nodes {
		for _, p := range n.down {
			if !slices.Contains(p.nextrev, n) {
				p.nextrev = append(p.nextrev, n)
			}
		}
		for _, p := range append(slices.Clone(n.down), n.deps...) {
			if !slices.Contains(p.allNextrev, n) {
				p.allNextrev = append(p.allNextrev, n)
			}
		}
	}
	for _, n := range g.nodes {
		n.isHead = len(n.nextrev) == 0
		n.isRealHead = len(n.allNextrev) == 0
		n.isBase = len(n.down) == 0
		n.isRealBase = n.isBase && len(n.deps) == 0
		if n.isHead {
			g.heads = append(g.heads, n)
		}
		if n.isRealHead {
			g.real = append(g.real, n)
		}
		if n.isBase {
			g.bases = append(g.bases, n)
		}
	}
	if err := g.detectCycles(); err != nil {
		return nil, err
	}
	g.normalizeDependencies()
	g.inheritLabels()
	return g, nil
}

// detectCycles reports cycles along down revisions, then along dependencies. It first reproduces Alembic's check
// (revisions not between a head and a base) so the message lists the same revisions, then runs a full topological
// check that also finds the cycles Alembic misses (a cycle reachable from a base and a head).
func (g *Graph) detectCycles() error {
	if len(g.nodes) == 0 {
		return nil
	}
	down := func(n *Node) []*Node { return n.down }
	up := func(n *Node) []*Node { return n.nextrev }
	allDown := func(n *Node) []*Node { return append(slices.Clone(n.down), n.deps...) }
	allUp := func(n *Node) []*Node { return n.allNextrev }
	if ids := g.outside(g.heads, g.bases, down, up); len(ids) > 0 {
		return errorf("Cycle is detected in revisions (%s)", strings.Join(ids, ", "))
	}
	if ids := kahnLeftovers(g.nodes, down); len(ids) > 0 {
		return errorf("Cycle is detected in revisions (%s)", strings.Join(ids, ", "))
	}
	var realBases []*Node
	for _, n := range g.nodes {
		if n.isRealBase {
			realBases = append(realBases, n)
		}
	}
	if ids := g.outside(g.real, realBases, allDown, allUp); len(ids) > 0 {
		return errorf("Dependency cycle is detected in revisions (%s)", strings.Join(ids, ", "))
	}
	if ids := kahnLeftovers(g.nodes, allDown); len(ids) > 0 {
		return errorf("Dependency cycle is detected in revisions (%s)", strings.Join(ids, ", "))
	}
	return nil
}

// outside returns the sorted ids of revisions that are not both below a head and above a base.
func (g *Graph) outside(heads, bases []*Node, down, up func(*Node) []*Node) []string {
	if len(heads) == 0 || len(bases) == 0 {
		ids := make([]string, len(g.nodes))
		for i, n := range g.nodes {
			ids[i] = n.ID
		}
		return ids
	}
	below := reach(heads, down)
	above := reach(bases, up)
	var ids []string
	for _, n := range g.nodes {
		if !below[n] || !above[n] {
			ids = append(ids, n.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

// kahnLeftovers returns the sorted ids of the revisions on a cycle: what a topological sort cannot place, less the
// revisions that are only above a cycle.
func kahnLeftovers(nodes []*Node, down func(*Node) []*Node) []string {
	indeg := make(map[*Node]int, len(nodes))
	children := make(map[*Node][]*Node, len(nodes))
	for _, n := range nodes {
		for _, p := range down(n) {
			indeg[n]++
			children[p] = append(children[p], n)
		}
	}
	queue := make([]*Node, 0, len(nodes))
	for _, n := range nodes {
		if indeg[n] == 0 {
			queue = append(queue, n)
		}
	}
	done := 0
	for len(queue) > 0 {
		n := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		done++
		for _, c := range children[n] {
			if indeg[c]--; indeg[c] == 0 {
				queue = append(queue, c)
			}
		}
	}
	if done == len(nodes) {
		return nil
	}
	// Every leftover has a leftover below it; peel off those that no leftover has below it.
	left := map[*Node]bool{}
	for _, n := range nodes {
		if indeg[n] > 0 {
			left[n] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for n := range left {
			above := false
			for _, c := range children[n] {
				if left[c] {
					above = true
					break
				}
			}
			if !above {
				delete(left, n)
				changed = true
			}
		}
	}
	var ids []string
	for n := range left {
		ids = append(ids, n.ID)
	}
	sort.Strings(ids)
	return ids
}

// reach returns every node reachable from the starts through next, the starts included.
func reach(starts []*Node, next func(*Node) []*Node) map[*Node]bool {
	seen := make(map[*Node]bool)
	stack := slices.Clone(starts)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		stack = append(stack, next(n)...)
	}
	return seen
}

// normalizeDependencies drops from each revision the dependencies that one of its down-revision ancestors already
// declares, as Alembic does; what is left counts as extra parents for ordering and for the version table.
func (g *Graph) normalizeDependencies() {
	for _, n := range g.nodes {
		n.normDown = slices.Clone(n.down)
		if len(n.deps) == 0 {
			continue
		}
		inherited := map[*Node]bool{}
		for a := range reach(n.down, func(m *Node) []*Node { return m.down }) {
			for _, d := range a.deps {
				inherited[d] = true
			}
		}
		for _, d := range n.deps {
			if inherited[d] {
				continue
			}
			n.normDeps = append(n.normDeps, d)
			if !slices.Contains(n.normDown, d) {
				n.normDown = append(n.normDown, d)
			}
		}
	}
}

// inheritLabels gives every revision the labels of the labelled revisions below it (along down revisions), and
// some of the labelled revision's ancestors, as Alembic does: after labelling the descendants, Alembic walks down
// from the last descendant it visited, labelling revisions until one is a branch point (dependents counted) or a
// merge point. That walk gets below the labelled revision only when its descendants form one plain chain.
func (g *Graph) inheritLabels() {
	for _, n := range g.nodes {
		n.labelSet = map[string]bool{}
	}
	plain := func(m *Node) bool { return len(m.allNextrev) <= 1 && len(m.down) <= 1 }
	for _, n := range g.nodes {
		if len(n.BranchLabels) == 0 {
			continue
		}
		chain := true
		for d := range reach([]*Node{n}, func(m *Node) []*Node { return m.nextrev }) {
			for _, l := range n.BranchLabels {
				d.labelSet[l] = true
			}
			chain = chain && plain(d)
		}
		if !chain {
			continue
		}
		for p := n; len(p.down) == 1; {
			p = p.down[0]
			if !plain(p) {
				break
			}
			for _, l := range n.BranchLabels {
				p.labelSet[l] = true
			}
		}
	}
	for _, n := range g.nodes {
		n.labels = make([]string, 0, len(n.labelSet))
		for l := range n.labelSet {
			n.labels = append(n.labels, l)
		}
		sort.Strings(n.labels)
	}
}

// Nodes returns every revision in load order.
func (g *Graph) Nodes() []*Node { return g.nodes }

// Len is the number of revisions.
func (g *Graph) Len() int { return len(g.nodes) }

// Heads returns the heads (no revision builds on them), effective heads included, in load order.
func (g *Graph) Heads() []*Node { return g.heads }

// RealHeads returns the heads that no revision depends on either.
func (g *Graph) RealHeads() []*Node { return g.real }

// Bases returns the revisions without a down revision.
func (g *Graph) Bases() []*Node { return g.bases }

// Lookup returns the revision with exactly this id.
func (g *Graph) Lookup(id string) (*Node, bool) {
	n, ok := g.byID[id]
	return n, ok
}

// Replacement returns the revision that replaces a retired id (Revision.Replaces).
func (g *Graph) Replacement(id string) (*Node, bool) {
	n, ok := g.replaced[id]
	return n, ok
}

// LabelOwner returns the revision that declares a branch label.
func (g *Graph) LabelOwner(label string) (*Node, bool) {
	n, ok := g.byLabel[label]
	return n, ok
}

// ancestors returns the revisions below the starts (the starts included), following dependencies or not.
func (g *Graph) ancestors(starts []*Node, withDeps bool) map[*Node]bool {
	if withDeps {
		return reach(starts, func(n *Node) []*Node { return n.normDown })
	}
	return reach(starts, func(n *Node) []*Node { return n.down })
}

// descendants returns the revisions above the starts (the starts included), following dependencies or not.
func (g *Graph) descendants(starts []*Node, withDeps bool) map[*Node]bool {
	if withDeps {
		return reach(starts, func(n *Node) []*Node { return n.allNextrev })
	}
	return reach(starts, func(n *Node) []*Node { return n.nextrev })
}

// sharesLineage reports whether n is an ancestor or descendant (without dependencies) of any of others.
func (g *Graph) sharesLineage(n *Node, others []*Node) bool {
	if len(others) == 0 {
		return true
	}
	related := g.descendants([]*Node{n}, false)
	for a := range g.ancestors([]*Node{n}, false) {
		related[a] = true
	}
	for _, o := range others {
		if related[o] {
			return true
		}
	}
	return false
}

// filterForLineage keeps the nodes that share lineage with what checkAgainst names (a label, an id, "label@id").
func (g *Graph) filterForLineage(nodes []*Node, checkAgainst string) ([]*Node, error) {
	ids, label, err := g.resolveNumber(checkAgainst)
	if err != nil {
		return nil, err
	}
	var shares []*Node
	if label != "" {
		n, err := g.revisionForIdent(label, "")
		if err != nil {
			return nil, err
		}
		shares = append(shares, n)
	}
	for _, id := range ids {
		n, err := g.revisionForIdent(id, "")
		if err != nil {
			return nil, err
		}
		if n != nil {
			shares = append(shares, n)
		}
	}
	var out []*Node
	for _, n := range nodes {
		if g.sharesLineage(n, shares) {
			out = append(out, n)
		}
	}
	return out, nil
}

// resolveNumber splits "label@id" and expands "heads", "head" and "base" as Alembic's _resolve_revision_number.
func (g *Graph) resolveNumber(spec string) (ids []string, label string, err error) {
	if l, rest, ok := strings.Cut(spec, "@"); ok {
		label, spec = l, rest
	}
	switch spec {
	case "heads":
		heads := g.real
		if label != "" {
			if heads, err = g.filterForLineage(g.heads, label); err != nil {
				return nil, "", err
			}
		}
		return nodeIDs(heads), label, nil
	case "head":
		h, err := g.currentHead(label)
		if err != nil {
			return nil, "", err
		}
		if h == nil {
			return nil, label, nil
		}
		return []string{h.ID}, label, nil
	case "base", "":
		return nil, label, nil
	}
	return []string{spec}, label, nil
}

// currentHead is the single head of the graph or of a branch; an error when there are several.
func (g *Graph) currentHead(label string) (*Node, error) {
	heads := g.heads
	arg := "head"
	if label != "" {
		var err error
		if heads, err = g.filterForLineage(heads, label); err != nil {
			return nil, err
		}
		arg = label + "@head"
	}
	if len(heads) > 1 {
		_ = arg
		return nil, &multipleHeadsError{heads: nodeIDs(heads)}
	}
	if len(heads) == 1 {
		return heads[0], nil
	}
	return nil, nil
}

// revisionForIdent finds a revision by id, unique id prefix or branch label, checking branch membership when
// checkBranch is given.
func (g *Graph) revisionForIdent(id, checkBranch string) (*Node, error) {
	var branchRev *Node
	if checkBranch != "" {
		var err error
		if branchRev, err = g.resolveBranch(checkBranch); err != nil {
			return nil, err
		}
	}
	n, ok := g.byID[id]
	if !ok {
		n, ok = g.byLabel[id]
	}
	if !ok {
		// Alembic matches the prefix against every key of its map: revision ids, then branch labels.
		var matches []*Node
		var keys []string
		for _, c := range g.nodes {
			if len(c.ID) > 3 && strings.HasPrefix(c.ID, id) {
				matches = append(matches, c)
				keys = append(keys, c.ID)
			}
		}
		for _, c := range g.nodes {
			for _, l := range c.BranchLabels {
				if len(l) > 3 && strings.HasPrefix(l, id) {
					matches = append(matches, c)
					keys = append(keys, l)
				}
			}
		}
		if branchRev != nil {
			var kept []*Node
			var keptKeys []string
			for i, c := range matches {
				if g.sharesLineage(c, []*Node{branchRev}) {
					kept = append(kept, c)
					keptKeys = append(keptKeys, keys[i])
				}
			}
			matches, keys = kept, keptKeys
		}
		switch len(matches) {
		case 0:
			hint := ""
			if len(id) < 4 {
				hint = "; please ensure at least four characters are present for partial revision identifier matches"
			}
			return nil, &resolutionError{msg: fmt.Sprintf("No such revision or branch '%s'%s", id, hint), argument: id}
		case 1:
			n = matches[0]
		default:
			quoted := make([]string, 0, 3)
			for _, k := range keys[:min(3, len(keys))] {
				quoted = append(quoted, "'"+k+"'")
			}
			return nil, &resolutionError{msg: fmt.Sprintf("Multiple revisions start with '%s': %s...", id, strings.Join(quoted, ", ")), argument: id}
		}
	}
	if branchRev != nil && !g.sharesLineage(n, []*Node{branchRev}) {
		return nil, &resolutionError{msg: fmt.Sprintf("Revision %s is not a member of branch '%s'", n.ID, checkBranch), argument: id}
	}
	return n, nil
}

func (g *Graph) resolveBranch(label string) (*Node, error) {
	if n, ok := g.byLabel[label]; ok {
		return n, nil
	}
	n, err := g.revisionForIdent(label, "")
	if err != nil {
		return nil, &resolutionError{msg: fmt.Sprintf("No such branch: '%s'", label), argument: label}
	}
	return n, nil
}

// getRevisions resolves a target that is not relative: "heads", "head", "base", ids, prefixes, labels,
// "label@head", "label@id", "label@-N".
func (g *Graph) getRevisions(spec string) ([]*Node, error) {
	ids, label, err := g.resolveNumber(spec)
	if err != nil {
		return nil, err
	}
	if len(ids) == 1 {
		if k, ok := parseInt(ids[0]); ok && k < 0 {
			heads := g.real
			if label != "" {
				var kept []*Node
				for _, h := range heads {
					if h.labelSet[label] {
						kept = append(kept, h)
					}
				}
				heads = kept
			}
			out := make([]*Node, 0, len(heads))
			for _, h := range heads {
				n, err := g.walk(h, false, k, "", true)
				if err != nil {
					return nil, err
				}
				if n != nil && n != baseNode {
					out = append(out, n)
				}
			}
			return out, nil
		}
	}
	out := make([]*Node, 0, len(ids))
	for _, id := range ids {
		n, err := g.revisionForIdent(id, label)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// getRevision resolves a target to at most one revision (nil for base).
func (g *Graph) getRevision(spec string) (*Node, error) {
	ids, label, err := g.resolveNumber(spec)
	if err != nil {
		return nil, err
	}
	if len(ids) > 1 {
		return nil, &multipleHeadsError{heads: ids}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return g.revisionForIdent(ids[0], label)
}

// baseNode marks a walk that ended below the bases.
var baseNode = &Node{Revision: &Revision{ID: "base"}}

// walk moves steps up (steps > 0) or down from start (nil = below the bases). It returns nil when it walks past
// the ends of the graph, baseNode when it stops exactly at base, and "Ambiguous walk" when a step has several
// candidates.
func (g *Graph) walk(start *Node, startIsBase bool, steps int, branchLabel string, noOverwalk bool) (*Node, error) {
	cur := start
	atBase := startIsBase
	if start == baseNode {
		cur, atBase = nil, true
	}
	for i := 0; i < abs(steps); i++ {
		var children []*Node
		toBase := false
		if steps > 0 {
			up := g.bases
			if cur != nil {
				up = cur.nextrev
			}
			atBase = false
			children = up
			if branchLabel != "" {
				var err error
				if children, err = g.filterForLineage(up, branchLabel); err != nil {
					return nil, err
				}
			}
		} else {
			if cur == nil && atBase {
				children = nil
			} else {
				down := g.heads
				if cur != nil {
					down = cur.down
				}
				children = down
				if len(children) == 0 {
					toBase = true
				}
			}
		}
		if toBase {
			cur, atBase = nil, true
			continue
		}
		if len(children) == 0 {
			if noOverwalk {
				return nil, nil
			}
			break
		}
		if len(children) > 1 {
			return nil, errorf("Ambiguous walk")
		}
		cur, atBase = children[0], false
	}
	if cur == nil && atBase {
		return baseNode, nil
	}
	return cur, nil
}

// abs saturates: the step count of "-9223372036854775808" is the largest int, not a negative number.
func abs(n int) int {
	switch {
	case n == math.MinInt:
		return math.MaxInt
	case n < 0:
		return -n
	}
	return n
}

func parseInt(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	neg := false
	t := s
	if t[0] == '-' || t[0] == '+' {
		neg = t[0] == '-'
		t = t[1:]
	}
	if t == "" {
		return 0, false
	}
	v := 0
	for _, c := range t {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
		if v > 1<<30 {
			return 0, false
		}
	}
	if neg {
		v = -v
	}
	return v, true
}

func nodeIDs(nodes []*Node) []string {
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID
	}
	return ids
}

// commandError turns an internal resolution error into the message Alembic's commands print.
func commandError(err error, target string, ancestorMsg string) error {
	if err == nil {
		return nil
	}
	var re *resolutionError
	var mh *multipleHeadsError
	var rn *rangeNotAncestorError
	switch {
	case errors.As(err, &re):
		return errorf("Can't locate revision identified by '%s'", re.argument)
	case errors.As(err, &mh):
		return errorf("Multiple head revisions are present for given argument '%s'; please specify a specific target revision, '<branchname>@%s' to narrow to a specific head, or 'heads' for all heads", target, target)
	case errors.As(err, &rn):
		return errorf(ancestorMsg, target)
	}
	return err
}

func asMultipleHeads(err error, target **multipleHeadsError) bool { return errors.As(err, target) }
