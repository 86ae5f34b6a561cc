package migration

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Step is one revision to run, up or down.
type Step struct {
	Node    *Node
	Upgrade bool
}

// Arrow is "Running upgrade <from> -> <to>" without the doc, as Alembic's offline mode comments each step.
func (s Step) Arrow() string {
	line, _, _ := strings.Cut(s.String(), ", "+s.Node.ShortDoc())
	if s.Node.ShortDoc() == "" {
		return s.String()
	}
	return line
}

// String is the progress line Alembic logs for the step, e.g. "Running upgrade  -> 850dccac3b02, Core schema.".
func (s Step) String() string {
	from, to := strings.Join(nodeIDs(s.Node.down), ", "), s.Node.ID
	verb := "upgrade"
	if !s.Upgrade {
		from, to = to, from
		verb = "downgrade"
	}
	line := fmt.Sprintf("Running %s %s -> %s", verb, from, to)
	if doc := s.Node.ShortDoc(); doc != "" {
		line += ", " + doc
	}
	return line
}

// topologicalSort orders the todo revisions so that every revision comes before its down revisions and
// dependencies, walking from the given heads in load order and finishing one branch before switching to another
// unless another head still needs the branch: the order of Alembic's history and (reversed) of its upgrades.
func (g *Graph) topologicalSort(todo map[*Node]bool, heads []*Node) []*Node {
	remaining := len(todo)
	var current []*Node
	for _, h := range heads {
		if todo[h] && !slices.Contains(current, h) {
			current = append(current, h)
		}
	}
	slices.SortFunc(current, func(a, b *Node) int { return a.index - b.index })
	ancestorsOf := make([]map[*Node]bool, len(current))
	for i, h := range current {
		ancestorsOf[i] = g.ancestors([]*Node{h}, true)
	}
	out := make([]*Node, 0, remaining)
	idx := 0
	// switches counts the branch switches since the last revision was placed. In a graph NewGraph accepts, a
	// switch always moves to a branch that still needs the candidate, so there are fewer switches in a row than
	// branches; the bound makes that a guarantee, so no input can make the sort loop.
	switches := 0
	for len(current) > 0 {
		candidate := current[idx]
		switched := false
		if switches <= len(current) {
			for i, anc := range ancestorsOf {
				if i != idx && anc[candidate] {
					idx = i
					switched = true
					break
				}
			}
		}
		if switched {
			switches++
			continue
		}
		switches = 0
		if todo[candidate] {
			out = append(out, candidate)
			delete(todo, candidate)
		}
		var add []*Node
		for _, d := range candidate.normDown {
			if todo[d] && !slices.Contains(current, d) && !slices.Contains(add, d) {
				add = append(add, d)
			}
		}
		switch {
		case len(add) == 0:
			current = slices.Delete(current, idx, idx+1)
			ancestorsOf = slices.Delete(ancestorsOf, idx, idx+1)
			idx = max(idx-1, 0)
		case len(candidate.normDeps) == 0 && len(candidate.down) == 1:
			current[idx] = add[0]
			delete(ancestorsOf[idx], candidate)
		default:
			current[idx] = add[0]
			ancestorsOf[idx] = g.ancestors([]*Node{add[0]}, true)
			for _, h := range add[1:] {
				current = append(current, h)
				ancestorsOf = append(ancestorsOf, g.ancestors([]*Node{h}, true))
			}
		}
	}
	return out
}

// History returns every revision in Alembic's history order: heads first, newest first.
func (g *Graph) History() []*Node {
	todo := make(map[*Node]bool, len(g.nodes))
	for _, n := range g.nodes {
		todo[n] = true
	}
	return g.topologicalSort(todo, g.real)
}

var relativeTarget = regexp.MustCompile(`^(?:(.+?)@)?(\w+)?([+-]\d+)`)

// targetSyntax is every form a target may take: [label@]symbol or [label@][symbol]+N / -N.
var targetSyntax = regexp.MustCompile(`^(?:\w+@)?(?:\w+|\w*[+-]\d+)$`)

// CheckTarget refuses a target that is empty or malformed before it is resolved: an empty target or "@" must not
// quietly mean base.
func CheckTarget(target string) error {
	if !targetSyntax.MatchString(target) {
		return errorf("Invalid revision target '%s': use heads, head, base, a revision id or unique prefix, "+
			"<label>@head, <label>@<id>, <label>, +N, -N, <label>@+N, <label>@-N or <id>+N", target)
	}
	return nil
}

// checkPlanTarget refuses a malformed target, and a range outside offline mode (Alembic's message).
func checkPlanTarget(target string) error {
	if strings.Contains(target, ":") {
		return errorf("Range revision not allowed")
	}
	return CheckTarget(target)
}

// OfflinePlan plans what "upgrade --sql" and "downgrade --sql" print, as Alembic's offline mode does: without a
// database. The target may be a range "from:to" (from may list several revisions, comma-separated); without one an upgrade starts from base, and a downgrade, which
// needs a start, is refused. It returns the version-table rows the plan starts from and the steps.
func (g *Graph) OfflinePlan(upgrade bool, target string, warn func(string)) ([]string, []Step, error) {
	from, to, isRange := strings.Cut(target, ":")
	if !isRange {
		if !upgrade {
			return nil, nil, errorf("downgrade with --sql requires <fromrev>:<torev>")
		}
		from, to = "base", target
	}
	if err := CheckTarget(to); err != nil {
		return nil, nil, err
	}
	// The start may name several revisions, comma-separated, for a version table of several rows.
	var start []*Node
	for _, f := range strings.Split(from, ",") {
		if err := CheckTarget(f); err != nil {
			return nil, nil, err
		}
		nodes, err := g.getRevisions(f)
		if err != nil {
			return nil, nil, commandError(err, f, "%s")
		}
		start = append(start, nodes...)
	}
	rows := nodeIDs(g.filterIntoHeads(start, true))
	var err error
	var steps []Step
	if upgrade {
		steps, err = g.UpgradePlan(rows, to)
	} else {
		steps, err = g.DowngradePlan(rows, to, warn)
	}
	return rows, steps, err
}

// UpgradePlan computes the revisions to run, in order, to bring a database whose version table holds current to
// target.
func (g *Graph) UpgradePlan(current []string, target string) ([]Step, error) {
	if err := checkPlanTarget(target); err != nil {
		return nil, err
	}
	steps, err := g.upgradePlan(current, target)
	return steps, commandError(err, target, "Destination %s is not a valid upgrade target from current head(s)")
}

func (g *Graph) upgradePlan(current []string, target string) ([]Step, error) {
	currentNodes, err := g.currentNodes(current)
	if err != nil {
		return nil, err
	}
	targets, err := g.parseUpgradeTarget(currentNodes, target)
	if err != nil {
		return nil, err
	}
	if err := g.checkOverlap(targets); err != nil {
		return nil, err
	}
	// Rows of which one is below another break the version table's rule; Alembic refuses to plan from them.
	if err := g.checkOverlap(currentNodes); err != nil {
		return nil, err
	}
	required := g.ancestors(targets, true)
	have := g.ancestors(currentNodes, true)
	needs := make(map[*Node]bool)
	for n := range required {
		if !have[n] {
			needs[n] = true
		}
	}
	order := g.topologicalSort(needs, targets)
	steps := make([]Step, len(order))
	for i, n := range order {
		steps[len(order)-1-i] = Step{Node: n, Upgrade: true}
	}
	return steps, nil
}

// checkOverlap refuses a target list where one target is an ancestor of another.
func (g *Graph) checkOverlap(targets []*Node) error {
	if len(targets) < 2 {
		return nil
	}
	for _, t := range targets {
		anc := g.ancestors([]*Node{t}, true)
		var overlaps []string
		for _, o := range targets {
			if o != t && anc[o] {
				overlaps = append(overlaps, o.ID)
			}
		}
		if len(overlaps) > 0 {
			return errorf("Requested revision %s overlaps with other requested revisions %s", t.ID, strings.Join(overlaps, ", "))
		}
	}
	return nil
}

// currentNodes resolves the rows of the version table (a retired id as the revision replacing it); a row no
// revision defines is an error.
func (g *Graph) currentNodes(current []string) ([]*Node, error) {
	nodes := make([]*Node, 0, len(current))
	for _, id := range current {
		n, ok := g.byID[id]
		if !ok {
			n, ok = g.replaced[id]
		}
		if !ok {
			return nil, &resolutionError{msg: "No such revision '" + id + "'", argument: id}
		}
		nodes = append(nodes, n)
	}
	return nodes, nil
}

func (g *Graph) parseUpgradeTarget(current []*Node, target string) ([]*Node, error) {
	m := relativeTarget.FindStringSubmatch(target)
	if m == nil {
		return g.getRevisions(target)
	}
	label, symbol, relStr := m[1], m[2], m[3]
	rel, _ := strconv.Atoi(relStr)
	if rel <= 0 {
		if symbol == "" {
			// Alembic formats the number here, not the text: "+0" reads "Relative revision 0 ...".
			return nil, errorf("Relative revision %d didn't produce %d migrations", rel, abs(rel))
		}
		start, err := g.symbolRevision(label, symbol)
		if err != nil {
			return nil, err
		}
		n, err := g.walk(start, false, rel, "", true)
		if err != nil {
			return nil, err
		}
		return walkedTarget(n, relStr, rel)
	}
	if symbol != "" {
		start, err := g.getRevision(symbol)
		if err != nil {
			return nil, err
		}
		n, err := g.walk(start, false, rel, label, true)
		if err != nil {
			return nil, err
		}
		return walkedTarget(n, relStr, rel)
	}
	starts := current
	startFromBase := len(current) == 0
	if label != "" && !startFromBase {
		filtered, err := g.filterForLineage(current, label)
		if err != nil {
			return nil, err
		}
		if len(filtered) == 0 {
			var active []*Node
			for n := range g.ancestors(current, true) {
				active = append(active, n)
			}
			slices.SortFunc(active, func(a, b *Node) int { return a.index - b.index })
			onBranch, err := g.filterForLineage(active, label)
			if err != nil {
				return nil, err
			}
			below := map[*Node]bool{}
			for _, n := range onBranch {
				for _, d := range n.normDown {
					below[d] = true
				}
			}
			filtered = nil
			for _, n := range onBranch {
				if !below[n] {
					filtered = append(filtered, n)
				}
			}
			if len(filtered) == 0 {
				startFromBase = true
			}
		}
		starts = filtered
	}
	var start *Node
	if !startFromBase {
		if len(starts) > 1 {
			return nil, errorf("Ambiguous upgrade from multiple current revisions")
		}
		start = starts[0]
	}
	n, err := g.walk(start, false, rel, label, true)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, errorf("Relative revision %s didn't produce %d migrations", relStr, abs(rel))
	}
	return nonBase(n), nil
}

func (g *Graph) symbolRevision(label, symbol string) (*Node, error) {
	if label != "" {
		return g.getRevision(label + "@" + symbol)
	}
	return g.getRevision(symbol)
}

// walkedTarget is the upgrade target a walk from a given revision reached. A walk past the end of the graph is an
// error (Alembic fails on an assertion there); a walk that stops at base upgrades to nothing.
func walkedTarget(n *Node, relStr string, rel int) ([]*Node, error) {
	if n == nil {
		return nil, errorf("Relative revision %s didn't produce %d migrations", relStr, abs(rel))
	}
	return nonBase(n), nil
}

func nonBase(n *Node) []*Node {
	if n == nil || n == baseNode {
		return nil
	}
	return []*Node{n}
}

// DowngradePlan computes the revisions to undo, in order, to bring a database whose version table holds current
// down to target. warn receives Alembic's warnings (downgrade -1 from several heads).
func (g *Graph) DowngradePlan(current []string, target string, warn func(string)) ([]Step, error) {
	if err := checkPlanTarget(target); err != nil {
		return nil, err
	}
	steps, err := g.downgradePlan(current, target, warn)
	return steps, commandError(err, target, "Destination %s is not a valid downgrade target from current head(s)")
}

func (g *Graph) downgradePlan(current []string, target string, warn func(string)) ([]Step, error) {
	heads, err := g.currentNodes(current)
	if err != nil {
		return nil, err
	}
	label, targetRev, isBase, err := g.parseDowngradeTarget(heads, target, warn)
	if err != nil {
		return nil, err
	}
	var roots []*Node
	switch {
	case isBase:
		roots = g.bases
	default:
		roots = targetRev.nextrev
	}
	if label != "" && len(roots) > 1 {
		branch, err := g.resolveBranch(label)
		if err != nil {
			return nil, err
		}
		anc := g.ancestors([]*Node{branch}, false)
		var kept []*Node
		for _, r := range roots {
			if anc[r] {
				kept = append(kept, r)
			}
		}
		roots = kept
		if len(roots) == 0 {
			return nil, errorf("Not a valid downgrade target from current heads")
		}
	}
	drop := g.descendants(roots, true)
	active := g.ancestors(heads, true)
	for n := range drop {
		if !active[n] {
			delete(drop, n)
		}
	}
	if !isBase && len(drop) == 0 && !slices.Contains(heads, targetRev) {
		return nil, &rangeNotAncestorError{}
	}
	order := g.topologicalSort(drop, heads)
	steps := make([]Step, len(order))
	for i, n := range order {
		steps[i] = Step{Node: n, Upgrade: false}
	}
	return steps, nil
}

// parseDowngradeTarget returns the branch the downgrade is restricted to, the target revision, or isBase.
func (g *Graph) parseDowngradeTarget(current []*Node, target string, warn func(string)) (label string, rev *Node, isBase bool, err error) {
	m := relativeTarget.FindStringSubmatch(target)
	if m == nil {
		label, symbol := "", target
		if i := strings.LastIndex(target, "@"); i >= 0 {
			label, symbol = target[:i], target[i+1:]
		}
		n, err := g.getRevision(symbol)
		if err != nil {
			return "", nil, false, err
		}
		return label, n, n == nil, nil
	}
	label, symbol, relStr := m[1], m[2], m[3]
	rel, _ := strconv.Atoi(relStr)
	if rel >= 0 {
		if symbol == "" {
			return "", nil, false, errorf("Relative revision %s didn't produce %d migrations", relStr, abs(rel))
		}
		start, err := g.getRevision(symbol)
		if err != nil {
			return "", nil, false, err
		}
		n, err := g.walk(start, false, rel, label, true)
		if err != nil {
			return "", nil, false, err
		}
		if n == nil {
			return "", nil, false, errorf("Walked too far")
		}
		return label, nodeOrNil(n), n == baseNode, nil
	}
	relative := symbol == ""
	if relative {
		if label != "" {
			onBranch, err := g.filterForLineage(current, label)
			if err != nil {
				return "", nil, false, err
			}
			if len(onBranch) == 0 {
				// Every branch's head among the applied revisions, as Alembic's _get_all_current, then the
				// one on the requested branch.
				all := make([]*Node, 0)
				for n := range g.ancestors(current, true) {
					all = append(all, n)
				}
				slices.SortFunc(all, func(a, b *Node) int { return a.index - b.index })
				if onBranch, err = g.filterForLineage(g.filterIntoHeads(all, false), label); err != nil {
					return "", nil, false, err
				}
			}
			if len(onBranch) != 1 {
				return "", nil, false, errorf("Relative revision %s didn't produce %d migrations", relStr, abs(rel))
			}
			symbol = onBranch[0].ID
		} else {
			if len(current) == 0 {
				return "", nil, false, errorf("Relative revision %s didn't produce %d migrations", relStr, abs(rel))
			}
			if len(current) > 1 && warn != nil {
				warn("downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release.")
			}
			symbol = current[0].ID
			label = symbol
		}
	}
	var start *Node
	if label != "" {
		start, err = g.getRevision(label + "@" + symbol)
	} else {
		start, err = g.getRevision(symbol)
	}
	if err != nil {
		return "", nil, false, err
	}
	n, err := g.walk(start, false, rel, "", true)
	if err != nil {
		return "", nil, false, err
	}
	if n == nil {
		if relative {
			return "", nil, false, errorf("Relative revision %s didn't produce %d migrations", relStr, abs(rel))
		}
		return "", nil, false, errorf("Walked too far")
	}
	return label, nodeOrNil(n), n == baseNode, nil
}

func nodeOrNil(n *Node) *Node {
	if n == baseNode {
		return nil
	}
	return n
}
