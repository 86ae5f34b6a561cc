package migration

import (
	"fmt"
	"slices"
	"strings"
)

// VersionTable is the name of Alembic's version table, which wfo uses unchanged so that a database looks the same
// whichever tool wrote it.
const VersionTable = "alembic_version"

// VersionOp is one change to the version table: insert a row, delete a row, or update From to To.
type VersionOp struct {
	Kind     string // "insert", "delete" or "update"
	From, To string
}

// SQL is the statement for the operation, with the values inlined as Alembic's offline mode prints them (quotes
// doubled, so any id stays one literal). Running the operation binds its values instead (Statement).
func (op VersionOp) SQL() string { return op.sqlFor(VersionTable) }

func (op VersionOp) sqlFor(table string) string {
	stmt, args := op.statementFor(table)
	parts := strings.Split(stmt, "?")
	var b strings.Builder
	for i, a := range args {
		b.WriteString(parts[i] + "'" + strings.ReplaceAll(a.(string), "'", "''") + "'")
	}
	b.WriteString(parts[len(args)])
	return b.String()
}

// Statement is the operation as a statement with ? placeholders and the values to bind.
func (op VersionOp) Statement() (string, []any) { return op.statementFor(VersionTable) }

func (op VersionOp) statementFor(table string) (string, []any) {
	switch op.Kind {
	case "insert":
		return "INSERT INTO " + table + " (version_num) VALUES (?)", []any{op.To}
	case "delete":
		return "DELETE FROM " + table + " WHERE " + table + ".version_num = ?", []any{op.From}
	default:
		return "UPDATE " + table + " SET version_num=? WHERE " + table + ".version_num = ?", []any{op.To, op.From}
	}
}

// VersionOps computes how the version table changes when step runs on a database whose table holds heads, and
// the rows afterwards. The rules are Alembic's HeadMaintainer: the table holds one row per applied head of the
// dependency-resolved graph. Where Alembic would fail on an assertion or a missing row (rows that break that rule),
// it is an error.
func (g *Graph) VersionOps(heads []string, step Step) ([]VersionOp, []string, error) {
	rows := slices.Clone(heads)
	has := func(id string) bool { return slices.Contains(rows, id) }
	n := step.Node
	down := nodeIDs(n.normDown)
	var ops []VersionOp
	var bad error
	fail := func(format string, args ...any) {
		if bad == nil {
			bad = fmt.Errorf("migration: cannot %s %s with the version table at %v: "+format,
				append([]any{step.direction(), n.ID, heads}, args...)...)
		}
	}
	insert := func(id string) {
		if has(id) {
			fail("%s is already a row", id)
		}
		ops = append(ops, VersionOp{Kind: "insert", To: id})
		rows = append(rows, id)
	}
	del := func(id string) {
		if !has(id) {
			fail("%s is not a row", id)
		}
		ops = append(ops, VersionOp{Kind: "delete", From: id})
		rows = slices.DeleteFunc(rows, func(r string) bool { return r == id })
	}
	update := func(from, to string) {
		switch {
		case !has(from):
			fail("%s is not a row", from)
		case has(to):
			fail("%s is already a row", to)
		}
		ops = append(ops, VersionOp{Kind: "update", From: from, To: to})
		for i, r := range rows {
			if r == from {
				rows[i] = to
			}
		}
	}
	// below reports whether a revision is below one of starts (with dependencies, starts included). The
	// revisions below each row are cached on the graph: a run of steps asks about the same rows again and again.
	below := func(starts []string) func(string) bool {
		sets := make([]map[*Node]bool, 0, len(starts))
		for _, id := range starts {
			if o, ok := g.byID[id]; ok {
				sets = append(sets, g.cachedAncestors(o))
			}
		}
		return func(id string) bool {
			d, ok := g.byID[id]
			if !ok {
				return false
			}
			for _, set := range sets {
				if set[d] {
					return true
				}
			}
			return false
		}
	}
	// others returns the rows other than except.
	others := func(except ...string) []string {
		var out []string
		for _, r := range rows {
			if !slices.Contains(except, r) {
				out = append(out, r)
			}
		}
		return out
	}
	if step.Upgrade {
		var present []string
		for _, d := range down {
			if has(d) {
				present = append(present, d)
			}
		}
		switch {
		case len(down) == 0 || len(present) == 0:
			// A base, or a revision none of whose parents is a row: a new branch.
			insert(n.ID)
		case len(down) > 1 && len(present) > 1:
			// A merge: the rows of all parents but one go, the last one becomes the merge. Parents below another
			// row stay where they are, and so do parents that are no row (Alembic fails on those).
			from := present
			if other := others(down...); len(other) > 0 {
				isBelow := below(other)
				from = slices.DeleteFunc(slices.Clone(present), isBelow)
			}
			if len(from) == 0 {
				fail("every down revision is below another row")
				break
			}
			for _, d := range from[:len(from)-1] {
				del(d)
			}
			update(from[len(from)-1], n.ID)
		case len(down) > 1:
			update(present[0], n.ID)
		default:
			update(down[0], n.ID)
		}
	} else {
		if !has(n.ID) {
			return nil, nil, fmt.Errorf("migration: cannot downgrade %s: it is not a row of the version table %v", n.ID, heads)
		}
		// to: the down revisions that nothing else keeps applied: no other row, and (when the revision is the
		// only row) none of the other down revisions.
		var to []string
		if other := others(n.ID); len(other) > 0 {
			to = slices.DeleteFunc(slices.Clone(down), below(other))
		} else {
			to = slices.Clone(down)
			if len(down) > 1 {
				to = slices.DeleteFunc(to, func(d string) bool {
					for _, e := range down {
						if e != d && below([]string{e})(d) {
							return true
						}
					}
					return false
				})
			}
		}
		switch {
		case len(down) == 0 || len(to) == 0:
			del(n.ID)
		case len(down) > 1:
			// An unmerge: the revision's row goes back to one down revision, the others get rows.
			for _, d := range to[:len(to)-1] {
				insert(d)
			}
			update(n.ID, to[len(to)-1])
		default:
			update(n.ID, down[0])
		}
	}
	if bad != nil {
		return nil, nil, bad
	}
	return ops, rows, nil
}

// direction is "upgrade" or "downgrade".
func (s Step) direction() string {
	if s.Upgrade {
		return "upgrade"
	}
	return "downgrade"
}

// cachedAncestors returns the revisions below n (dependencies followed, n included), computed once per node while
// the cache holds it. The cache is small: it serves the few rows of a version table.
func (g *Graph) cachedAncestors(n *Node) map[*Node]bool {
	g.ancMu.Lock()
	defer g.ancMu.Unlock()
	if set, ok := g.ancCache[n]; ok {
		return set
	}
	if g.ancCache == nil || len(g.ancCache) >= 64 {
		g.ancCache = make(map[*Node]map[*Node]bool)
	}
	set := g.ancestors([]*Node{n}, true)
	g.ancCache[n] = set
	return set
}
