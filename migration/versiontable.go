package migration

import (
	"fmt"
	"slices"
)

// VersionTable is the name of Alembic's version table, which wfo uses unchanged so that a database looks the same
// whichever tool wrote it.
const VersionTable = "alembic_version"

// VersionOp is one change to the version table: insert a row, delete a row, or update From to To.
type VersionOp struct {
	Kind     string // "insert", "delete" or "update"
	From, To string
}

// SQL is the statement for the operation, with the values inlined as Alembic's offline mode prints them.
func (op VersionOp) SQL() string {
	switch op.Kind {
	case "insert":
		return fmt.Sprintf("INSERT INTO alembic_version (version_num) VALUES ('%s')", op.To)
	case "delete":
		return fmt.Sprintf("DELETE FROM alembic_version WHERE alembic_version.version_num = '%s'", op.From)
	default:
		return fmt.Sprintf("UPDATE alembic_version SET version_num='%s' WHERE alembic_version.version_num = '%s'", op.To, op.From)
	}
}

// VersionOps computes how the version table changes when step runs on a database whose table holds heads, and
// the rows afterwards. The rules are Alembic's: the table holds one row per applied head of the dependency-resolved
// graph.
func (g *Graph) VersionOps(heads []string, step Step) ([]VersionOp, []string, error) {
	rows := slices.Clone(heads)
	has := func(id string) bool { return slices.Contains(rows, id) }
	n := step.Node
	down := nodeIDs(n.normDown)
	var ops []VersionOp
	insert := func(id string) { ops = append(ops, VersionOp{Kind: "insert", To: id}); rows = append(rows, id) }
	del := func(id string) {
		ops = append(ops, VersionOp{Kind: "delete", From: id})
		rows = slices.DeleteFunc(rows, func(r string) bool { return r == id })
	}
	update := func(from, to string) {
		ops = append(ops, VersionOp{Kind: "update", From: from, To: to})
		for i, r := range rows {
			if r == from {
				rows[i] = to
			}
		}
	}
	// otherAncestors are the revisions below the rows other than except.
	otherAncestors := func(except []string) map[string]bool {
		var others []*Node
		for _, r := range rows {
			if !slices.Contains(except, r) {
				if o, ok := g.byID[r]; ok {
					others = append(others, o)
				}
			}
		}
		out := map[string]bool{}
		for a := range g.ancestors(others, true) {
			out[a.ID] = true
		}
		return out
	}
	intersect := func() []string {
		var out []string
		for _, d := range down {
			if has(d) {
				out = append(out, d)
			}
		}
		return out
	}
	if step.Upgrade {
		present := intersect()
		switch {
		case len(down) == 0 || len(present) == 0:
			insert(n.ID)
		case len(down) > 1 && len(present) > 1:
			anc := otherAncestors(down)
			var from []string
			for _, d := range down {
				if !anc[d] && has(d) {
					from = append(from, d)
				}
			}
			for _, d := range from[:len(from)-1] {
				del(d)
			}
			if last := from[len(from)-1]; last != n.ID {
				update(last, n.ID)
			}
		default:
			if len(present) != 1 {
				return nil, nil, fmt.Errorf("migration: cannot update the version table for %s: down revision is ambiguous", n.ID)
			}
			update(present[0], n.ID)
		}
		return ops, rows, nil
	}
	if !has(n.ID) {
		return nil, nil, fmt.Errorf("migration: cannot downgrade %s: it is not a row of the version table %v", n.ID, heads)
	}
	// unmergeTo: the down revisions that no other row already implies.
	anc := otherAncestors([]string{n.ID})
	var to []string
	for _, d := range down {
		if !anc[d] {
			to = append(to, d)
		}
	}
	switch {
	case len(down) == 0 || len(to) == 0:
		del(n.ID)
	case len(down) > 1:
		for _, d := range to[:len(to)-1] {
			insert(d)
		}
		update(n.ID, to[len(to)-1])
	default:
		update(n.ID, down[0])
	}
	return ops, rows, nil
}
