package migration

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The expectations in this file are Alembic's: the scenarios of spec/migrations.md §2 as measured there, and for
// the other shapes what Alembic's RevisionMap and HeadMaintainer compute for the same revisions (checked against
// Alembic with the unmerge rule of 1.19). Where Alembic's choice depends on Python's set order (which parent of a
// merge keeps its row), the expectation is wfo's fixed choice: the last one.

// rev describes a revision: down revisions and dependencies comma-separated.
func rev(id, down string) *Revision {
	return &Revision{ID: id, DownRevisions: splitList(down), Path: id + ".sql", Doc: "Doc of " + id + "."}
}

func labelled(r *Revision, labels ...string) *Revision { r.BranchLabels = labels; return r }

func depends(r *Revision, deps ...string) *Revision { r.DependsOn = deps; return r }

// Scenario A: the core (schema) is loaded after the application's data branch, whose root depends on the schema
// head.
func scenarioA() []*Revision {
	return []*Revision{
		depends(labelled(rev("da7a00000001", ""), "data"), "c0ffee000003"),
		rev("da7a00000002", "da7a00000001"),
		labelled(rev("c0ffee000001", ""), "schema"),
		rev("c0ffee000002", "c0ffee000001"),
		rev("c0ffee000003", "c0ffee000002"),
	}
}

// Scenario B: the data root depends on the older c0ffee000002 and the data branch has a third revision, whose file
// name sorts first.
func scenarioB() []*Revision {
	return []*Revision{
		rev("beef12345678", "da7a00000002"),
		depends(labelled(rev("da7a00000001", ""), "data"), "c0ffee000002"),
		rev("da7a00000002", "da7a00000001"),
		labelled(rev("c0ffee000001", ""), "schema"),
		rev("c0ffee000002", "c0ffee000001"),
		rev("c0ffee000003", "c0ffee000002"),
	}
}

// Scenario B with the core location first (transcript F1).
func scenarioBCoreFirst() []*Revision {
	b := scenarioB()
	return append(b[3:], b[:3]...)
}

// Scenario C: A plus two revisions on top of da7a00000002.
func scenarioC() []*Revision {
	return append([]*Revision{rev("aaaa00000001", "da7a00000002"), rev("bbbb00000001", "da7a00000002")}, scenarioA()...)
}

// Scenario C with the merge of its two data heads.
func scenarioCMerged() []*Revision {
	return append(scenarioC(), rev("fd1ab7cef487", "aaaa00000001, bbbb00000001"))
}

// A branch point with three children, loaded out of order.
func threeChildren() []*Revision {
	return []*Revision{labelled(rev("r1", ""), "main"), rev("r2", "r1"), rev("x3", "r2"), rev("x1", "r2"), rev("x2", "r2")}
}

// A three-parent merge.
func threeParents() []*Revision {
	return []*Revision{rev("r1", ""), rev("aa", "r1"), rev("bb", "r1"), rev("cc", "r1"), rev("mm", "aa, bb, cc")}
}

// A data root that depends on the label schema: the label names the revision that declares it, the schema root.
func dependsOnLabel() []*Revision {
	a := scenarioA()
	a[0].DependsOn = []string{"schema"}
	return a
}

// Data revisions that depend on core revisions their ancestors already depend on, and on a newer one.
func repeatedDependencies() []*Revision {
	return []*Revision{
		depends(labelled(rev("da7a00000001", ""), "data"), "c0ffee000002"),
		depends(rev("da7a00000002", "da7a00000001"), "c0ffee000002"),
		depends(rev("da7a00000003", "da7a00000002"), "c0ffee000003"),
		labelled(rev("c0ffee000001", ""), "schema"),
		rev("c0ffee000002", "c0ffee000001"),
		rev("c0ffee000003", "c0ffee000002"),
	}
}

// The data head merged with the schema head (F6): the merge carries both labels.
func dataSchemaMerge() []*Revision {
	return append(scenarioA(), rev("m0000000000f", "da7a00000002, c0ffee000003"))
}

// A data branch that splits, each side depending on a different core revision, and merges again.
func mergedDependencies() []*Revision {
	return []*Revision{
		depends(labelled(rev("aa01", ""), "data"), "c2"),
		rev("bb01", "aa01"),
		depends(rev("bb02", "aa01"), "c3"),
		rev("mm01", "bb01, bb02"),
		labelled(rev("c1", ""), "schema"),
		rev("c2", "c1"),
		rev("c3", "c2"),
	}
}

// A label in the middle of a chain that branches above it, and the same without the branch.
func labelBelowBranch() []*Revision {
	return []*Revision{rev("aa", ""), labelled(rev("bb", "aa"), "x"), rev("cc", "bb"), rev("dd", "cc"), rev("ee", "cc")}
}

func labelInChain() []*Revision {
	return []*Revision{rev("aa", ""), labelled(rev("bb", "aa"), "x"), rev("cc", "bb")}
}

func graph(t *testing.T, revs []*Revision) *Graph {
	t.Helper()
	g, err := NewGraph(revs)
	require.NoError(t, err)
	return g
}

func TestGraphShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		revs      []*Revision
		heads     []string
		realHeads []string
		bases     []string
		labels    map[string]string // id -> labels joined by ","
	}{
		{
			name: "A", revs: scenarioA(),
			heads: []string{"da7a00000002", "c0ffee000003"}, realHeads: []string{"da7a00000002"},
			bases:  []string{"da7a00000001", "c0ffee000001"},
			labels: map[string]string{"da7a00000001": "data", "da7a00000002": "data", "c0ffee000001": "schema", "c0ffee000003": "schema"},
		},
		{
			name: "B", revs: scenarioB(),
			heads: []string{"beef12345678", "c0ffee000003"}, realHeads: []string{"beef12345678", "c0ffee000003"},
			bases:  []string{"da7a00000001", "c0ffee000001"},
			labels: map[string]string{"beef12345678": "data", "c0ffee000002": "schema"},
		},
		{
			name: "B core first", revs: scenarioBCoreFirst(),
			heads: []string{"c0ffee000003", "beef12345678"}, realHeads: []string{"c0ffee000003", "beef12345678"},
			bases: []string{"c0ffee000001", "da7a00000001"},
		},
		{
			name: "C", revs: scenarioC(),
			heads: []string{"aaaa00000001", "bbbb00000001", "c0ffee000003"}, realHeads: []string{"aaaa00000001", "bbbb00000001"},
			labels: map[string]string{"aaaa00000001": "data", "bbbb00000001": "data"},
		},
		{
			name: "C merged", revs: scenarioCMerged(),
			heads: []string{"c0ffee000003", "fd1ab7cef487"}, realHeads: []string{"fd1ab7cef487"},
			labels: map[string]string{"fd1ab7cef487": "data"},
		},
		{
			name: "three children", revs: threeChildren(),
			heads: []string{"x3", "x1", "x2"}, realHeads: []string{"x3", "x1", "x2"}, bases: []string{"r1"},
			labels: map[string]string{"r1": "main", "x1": "main", "x2": "main", "x3": "main"},
		},
		{
			name: "three parents", revs: threeParents(),
			heads: []string{"mm"}, realHeads: []string{"mm"}, bases: []string{"r1"},
			labels: map[string]string{"mm": ""},
		},
		{
			// The dependency is the schema root, not its head: the schema head is a real head.
			name: "depends on a label", revs: dependsOnLabel(),
			heads: []string{"da7a00000002", "c0ffee000003"}, realHeads: []string{"da7a00000002", "c0ffee000003"},
		},
		{
			name: "data merged with schema", revs: dataSchemaMerge(),
			heads: []string{"m0000000000f"}, realHeads: []string{"m0000000000f"},
			labels: map[string]string{"m0000000000f": "data,schema", "da7a00000002": "data", "c0ffee000003": "schema"},
		},
		{
			// Alembic labels the labelled revision's ancestors only when its descendants form one plain chain.
			name: "label below a branch point", revs: labelBelowBranch(),
			heads: []string{"dd", "ee"}, realHeads: []string{"dd", "ee"},
			labels: map[string]string{"aa": "", "bb": "x", "cc": "x", "dd": "x", "ee": "x"},
		},
		{
			name: "label in a chain", revs: labelInChain(),
			heads: []string{"cc"}, realHeads: []string{"cc"},
			labels: map[string]string{"aa": "x", "bb": "x", "cc": "x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := graph(t, tt.revs)
			require.Equal(t, tt.heads, nodeIDs(g.Heads()), "heads")
			require.Equal(t, tt.realHeads, nodeIDs(g.RealHeads()), "real heads")
			if tt.bases != nil {
				require.Equal(t, tt.bases, nodeIDs(g.Bases()), "bases")
			}
			for id, want := range tt.labels {
				n, ok := g.Lookup(id)
				require.True(t, ok, id)
				require.Equal(t, want, strings.Join(n.Labels(), ","), "labels of %s", id)
			}
		})
	}
}

func TestHistory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		revs []*Revision
		want []string
	}{
		// Data branch first (load order), then the core, newest first.
		{"A", scenarioA(), []string{"da7a00000002", "da7a00000001", "c0ffee000003", "c0ffee000002", "c0ffee000001"}},
		{"B", scenarioB(), []string{"beef12345678", "da7a00000002", "da7a00000001", "c0ffee000003", "c0ffee000002", "c0ffee000001"}},
		// The data branch needs c0ffee000002, so the walk switches to it before going below.
		{"B core first", scenarioBCoreFirst(), []string{"c0ffee000003", "beef12345678", "da7a00000002", "da7a00000001", "c0ffee000002", "c0ffee000001"}},
		{"C", scenarioC(), []string{"aaaa00000001", "bbbb00000001", "da7a00000002", "da7a00000001", "c0ffee000003", "c0ffee000002", "c0ffee000001"}},
		{"C merged", scenarioCMerged(), []string{"fd1ab7cef487", "aaaa00000001", "bbbb00000001", "da7a00000002", "da7a00000001", "c0ffee000003", "c0ffee000002", "c0ffee000001"}},
		{"three children", threeChildren(), []string{"x3", "x1", "x2", "r2", "r1"}},
		{"three parents", threeParents(), []string{"mm", "aa", "bb", "cc", "r1"}},
		{"depends on a label", dependsOnLabel(), []string{"da7a00000002", "da7a00000001", "c0ffee000003", "c0ffee000002", "c0ffee000001"}},
		{"repeated dependencies", repeatedDependencies(), []string{"da7a00000003", "da7a00000002", "da7a00000001", "c0ffee000003", "c0ffee000002", "c0ffee000001"}},
		{"data merged with schema", dataSchemaMerge(), []string{"m0000000000f", "da7a00000002", "da7a00000001", "c0ffee000003", "c0ffee000002", "c0ffee000001"}},
		{"merged dependencies", mergedDependencies(), []string{"mm01", "bb01", "bb02", "c3", "aa01", "c2", "c1"}},
		{"empty", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := graph(t, tt.revs)
			require.Equal(t, tt.want, nodeIDs(g.History()))
		})
	}
}

// run plans a command from rows and applies the version-table changes of each step, as the runner does. It
// returns the steps ("+id" up, "-id" down), the operations, and the rows afterwards.
func run(t *testing.T, g *Graph, rows []string, upgrade bool, target string) (steps, ops, after []string, warnings []string, err error) {
	t.Helper()
	var plan []Step
	if upgrade {
		plan, err = g.UpgradePlan(rows, target)
	} else {
		plan, err = g.DowngradePlan(rows, target, func(w string) { warnings = append(warnings, w) })
	}
	if err != nil {
		return nil, nil, nil, warnings, err
	}
	steps, ops, after = []string{}, []string{}, rows
	for _, s := range plan {
		sign := "-"
		if s.Upgrade {
			sign = "+"
		}
		steps = append(steps, sign+s.Node.ID)
		vops, next, verr := g.VersionOps(after, s)
		require.NoError(t, verr, "version table at %v, step %s", after, s)
		for _, op := range vops {
			switch op.Kind {
			case "insert":
				ops = append(ops, "insert "+op.To)
			case "delete":
				ops = append(ops, "delete "+op.From)
			default:
				ops = append(ops, "update "+op.From+"->"+op.To)
			}
		}
		after = next
	}
	return steps, ops, after, warnings, nil
}

type planTest struct {
	name    string
	revs    func() []*Revision
	rows    []string
	up      bool
	target  string
	steps   string // space-separated "+id"/"-id"
	ops     string // ";"-separated, as run returns them
	after   string // rows afterwards, space-separated, in the order the operations leave them
	err     string
	warning bool
}

func (tt planTest) check(t *testing.T) {
	t.Helper()
	g := graph(t, tt.revs())
	steps, ops, after, warnings, err := run(t, g, tt.rows, tt.up, tt.target)
	if tt.err != "" {
		require.Error(t, err)
		require.IsType(t, &Error{}, err)
		require.Equal(t, tt.err, err.Error())
		return
	}
	require.NoError(t, err)
	require.Equal(t, tt.steps, strings.Join(steps, " "), "steps")
	if tt.ops != "" || len(ops) == 0 {
		require.Equal(t, tt.ops, strings.Join(ops, "; "), "version table operations")
	}
	require.Equal(t, tt.after, strings.Join(after, " "), "rows afterwards")
	if tt.warning {
		require.Equal(t, []string{"downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release."}, warnings)
	} else {
		require.Empty(t, warnings)
	}
}

func TestUpgradePlan(t *testing.T) {
	t.Parallel()
	tests := []planTest{
		// Scenario A.
		{name: "A data@head from empty", revs: scenarioA, up: true, target: "data@head",
			steps: "+c0ffee000001 +c0ffee000002 +c0ffee000003 +da7a00000001 +da7a00000002",
			ops:   "insert c0ffee000001; update c0ffee000001->c0ffee000002; update c0ffee000002->c0ffee000003; update c0ffee000003->da7a00000001; update da7a00000001->da7a00000002",
			after: "da7a00000002"},
		{name: "A schema@+1", revs: scenarioA, up: true, target: "schema@+1", steps: "+c0ffee000001", ops: "insert c0ffee000001", after: "c0ffee000001"},
		{name: "A data@+1 from c0ffee000001 runs three migrations", revs: scenarioA, rows: []string{"c0ffee000001"}, up: true, target: "data@+1",
			steps: "+c0ffee000002 +c0ffee000003 +da7a00000001",
			ops:   "update c0ffee000001->c0ffee000002; update c0ffee000002->c0ffee000003; update c0ffee000003->da7a00000001",
			after: "da7a00000001"},
		{name: "A heads", revs: scenarioA, up: true, target: "heads",
			steps: "+c0ffee000001 +c0ffee000002 +c0ffee000003 +da7a00000001 +da7a00000002", after: "da7a00000002",
			ops: "insert c0ffee000001; update c0ffee000001->c0ffee000002; update c0ffee000002->c0ffee000003; update c0ffee000003->da7a00000001; update da7a00000001->da7a00000002"},
		{name: "A up to date", revs: scenarioA, rows: []string{"da7a00000002"}, up: true, target: "heads", steps: "", after: "da7a00000002"},
		{name: "A older id is a no-op", revs: scenarioA, rows: []string{"da7a00000002"}, up: true, target: "c0ffee000001", steps: "", after: "da7a00000002"},
		{name: "A base is a no-op", revs: scenarioA, up: true, target: "base", steps: "", after: ""},
		{name: "A label alone is the branch root", revs: scenarioA, up: true, target: "data",
			steps: "+c0ffee000001 +c0ffee000002 +c0ffee000003 +da7a00000001", after: "da7a00000001",
			ops: "insert c0ffee000001; update c0ffee000001->c0ffee000002; update c0ffee000002->c0ffee000003; update c0ffee000003->da7a00000001"},
		{name: "A +1 from one row", revs: scenarioA, rows: []string{"c0ffee000002"}, up: true, target: "+1",
			steps: "+c0ffee000003", ops: "update c0ffee000002->c0ffee000003", after: "c0ffee000003"},
		{name: "A id+1", revs: scenarioA, up: true, target: "c0ffee000001+2",
			steps: "+c0ffee000001 +c0ffee000002 +c0ffee000003", after: "c0ffee000003",
			ops: "insert c0ffee000001; update c0ffee000001->c0ffee000002; update c0ffee000002->c0ffee000003"},
		{name: "A label@id", revs: scenarioA, up: true, target: "schema@c0ffee000002",
			steps: "+c0ffee000001 +c0ffee000002", ops: "insert c0ffee000001; update c0ffee000001->c0ffee000002", after: "c0ffee000002"},
		{name: "A head is ambiguous", revs: scenarioA, up: true, target: "head",
			err: "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads"},
		{name: "A +1 with two bases", revs: scenarioA, up: true, target: "+1", err: "Ambiguous walk"},
		{name: "A ambiguous prefix", revs: scenarioA, up: true, target: "c0ffee", err: "Can't locate revision identified by 'c0ffee'"},
		{name: "A one-character prefix", revs: scenarioA, up: true, target: "d", err: "Can't locate revision identified by 'd'"},
		{name: "A unknown label", revs: scenarioA, up: true, target: "x@head", err: "Can't locate revision identified by 'x'"},
		{name: "A id outside the branch", revs: scenarioA, up: true, target: "data@c0ffee000003", err: "Can't locate revision identified by 'c0ffee000003'"},
		{name: "A unknown row", revs: scenarioA, rows: []string{"feedfacecafe"}, up: true, target: "heads", err: "Can't locate revision identified by 'feedfacecafe'"},
		{name: "A -1 is no upgrade", revs: scenarioA, up: true, target: "-1", err: "Relative revision -1 didn't produce 1 migrations"},
		{name: "A +0", revs: scenarioA, up: true, target: "+0", err: "Relative revision 0 didn't produce 0 migrations"},
		{name: "A walk past the head", revs: scenarioA, rows: []string{"da7a00000001"}, up: true, target: "+2", err: "Relative revision +2 didn't produce 2 migrations"},
		{name: "A id walk past the head", revs: scenarioA, up: true, target: "c0ffee000003+1", err: "Relative revision +1 didn't produce 1 migrations"},
		{name: "A labels as prefixes", revs: scenarioA, up: true, target: "sche",
			steps: "+c0ffee000001", ops: "insert c0ffee000001", after: "c0ffee000001"},

		// Scenario B: independent heads.
		{name: "B heads: all core first", revs: scenarioB, up: true, target: "heads",
			steps: "+c0ffee000001 +c0ffee000002 +c0ffee000003 +da7a00000001 +da7a00000002 +beef12345678",
			ops:   "insert c0ffee000001; update c0ffee000001->c0ffee000002; update c0ffee000002->c0ffee000003; insert da7a00000001; update da7a00000001->da7a00000002; update da7a00000002->beef12345678",
			after: "c0ffee000003 beef12345678"},
		{name: "B heads with the core first interleaves", revs: scenarioBCoreFirst, up: true, target: "heads",
			steps: "+c0ffee000001 +c0ffee000002 +da7a00000001 +da7a00000002 +beef12345678 +c0ffee000003",
			ops:   "insert c0ffee000001; update c0ffee000001->c0ffee000002; update c0ffee000002->da7a00000001; update da7a00000001->da7a00000002; update da7a00000002->beef12345678; insert c0ffee000003",
			after: "beef12345678 c0ffee000003"},
		{name: "B data@head", revs: scenarioB, up: true, target: "data@head",
			steps: "+c0ffee000001 +c0ffee000002 +da7a00000001 +da7a00000002 +beef12345678",
			ops:   "insert c0ffee000001; update c0ffee000001->c0ffee000002; update c0ffee000002->da7a00000001; update da7a00000001->da7a00000002; update da7a00000002->beef12345678",
			after: "beef12345678"},
		{name: "B schema@head after data@head", revs: scenarioB, rows: []string{"beef12345678"}, up: true, target: "schema@head",
			steps: "+c0ffee000003", ops: "insert c0ffee000003", after: "beef12345678 c0ffee000003"},
		{name: "B prefix b", revs: scenarioB, rows: []string{"da7a00000002"}, up: true, target: "b", steps: "+beef12345678", ops: "update da7a00000002->beef12345678", after: "beef12345678"},
		{name: "B prefix be", revs: scenarioB, rows: []string{"da7a00000002"}, up: true, target: "be", steps: "+beef12345678", ops: "update da7a00000002->beef12345678", after: "beef12345678"},
		{name: "B prefix beef1", revs: scenarioB, rows: []string{"da7a00000002"}, up: true, target: "beef1", steps: "+beef12345678", ops: "update da7a00000002->beef12345678", after: "beef12345678"},
		{name: "B +1 from two rows", revs: scenarioB, rows: []string{"da7a00000002", "c0ffee000002"}, up: true, target: "+1", err: "Ambiguous upgrade from multiple current revisions"},
		{name: "B data@+1 from two rows", revs: scenarioB, rows: []string{"da7a00000002", "c0ffee000003"}, up: true, target: "data@+1",
			steps: "+beef12345678", ops: "update da7a00000002->beef12345678", after: "beef12345678 c0ffee000003"},

		// Scenario C: a diverged data branch and its merge.
		{name: "C data@head", revs: scenarioC, up: true, target: "data@head",
			err: "Multiple head revisions are present for given argument 'data@head'; please specify a specific target revision, '<branchname>@data@head' to narrow to a specific head, or 'heads' for all heads"},
		{name: "C heads from aaaa00000001", revs: scenarioC, rows: []string{"aaaa00000001"}, up: true, target: "heads",
			steps: "+bbbb00000001", ops: "insert bbbb00000001", after: "aaaa00000001 bbbb00000001"},
		{name: "C merged: merge deletes one parent's row and updates the other", revs: scenarioCMerged, rows: []string{"aaaa00000001", "bbbb00000001"}, up: true, target: "heads",
			steps: "+fd1ab7cef487", ops: "delete aaaa00000001; update bbbb00000001->fd1ab7cef487", after: "fd1ab7cef487"},
		{name: "C merged heads from empty", revs: scenarioCMerged, up: true, target: "heads",
			steps: "+c0ffee000001 +c0ffee000002 +c0ffee000003 +da7a00000001 +da7a00000002 +bbbb00000001 +aaaa00000001 +fd1ab7cef487",
			ops:   "insert c0ffee000001; update c0ffee000001->c0ffee000002; update c0ffee000002->c0ffee000003; update c0ffee000003->da7a00000001; update da7a00000001->da7a00000002; update da7a00000002->bbbb00000001; insert aaaa00000001; delete aaaa00000001; update bbbb00000001->fd1ab7cef487",
			after: "fd1ab7cef487"},
		{name: "C merged from one parent", revs: scenarioCMerged, rows: []string{"aaaa00000001"}, up: true, target: "heads",
			steps: "+bbbb00000001 +fd1ab7cef487", ops: "insert bbbb00000001; delete aaaa00000001; update bbbb00000001->fd1ab7cef487", after: "fd1ab7cef487"},

		// Other shapes.
		{name: "three children heads", revs: threeChildren, up: true, target: "heads",
			steps: "+r1 +r2 +x2 +x1 +x3", ops: "insert r1; update r1->r2; update r2->x2; insert x1; insert x3", after: "x2 x1 x3"},
		{name: "three children +1 from the branch point", revs: threeChildren, rows: []string{"r2"}, up: true, target: "+1", err: "Ambiguous walk"},
		{name: "three parents heads", revs: threeParents, up: true, target: "heads",
			steps: "+r1 +cc +bb +aa +mm", ops: "insert r1; update r1->cc; insert bb; insert aa; delete aa; delete bb; update cc->mm", after: "mm"},
		{name: "three parents from one parent", revs: threeParents, rows: []string{"aa"}, up: true, target: "mm",
			steps: "+cc +bb +mm", ops: "insert cc; insert bb; delete aa; delete bb; update cc->mm", after: "mm"},
		{name: "depends on a label: only the schema root", revs: dependsOnLabel, up: true, target: "data@head",
			steps: "+c0ffee000001 +da7a00000001 +da7a00000002", ops: "insert c0ffee000001; update c0ffee000001->da7a00000001; update da7a00000001->da7a00000002", after: "da7a00000002"},
		{name: "depends on a label: the schema branch later", revs: dependsOnLabel, rows: []string{"da7a00000002"}, up: true, target: "schema@head",
			steps: "+c0ffee000002 +c0ffee000003", ops: "insert c0ffee000002; update c0ffee000002->c0ffee000003", after: "da7a00000002 c0ffee000003"},
		{name: "repeated dependencies: the newer dependency merges its row", revs: repeatedDependencies, up: true, target: "data@head",
			steps: "+c0ffee000001 +c0ffee000002 +c0ffee000003 +da7a00000001 +da7a00000002 +da7a00000003",
			ops:   "insert c0ffee000001; update c0ffee000001->c0ffee000002; update c0ffee000002->c0ffee000003; insert da7a00000001; update da7a00000001->da7a00000002; delete da7a00000002; update c0ffee000003->da7a00000003",
			after: "da7a00000003"},
		{name: "merged dependencies heads", revs: mergedDependencies, up: true, target: "heads",
			steps: "+c1 +c2 +aa01 +c3 +bb02 +bb01 +mm01",
			ops:   "insert c1; update c1->c2; update c2->aa01; insert c3; delete aa01; update c3->bb02; insert bb01; delete bb01; update bb02->mm01",
			after: "mm01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t)
		})
	}
}

func TestDowngradePlan(t *testing.T) {
	t.Parallel()
	tests := []planTest{
		// Scenario A.
		{name: "A base", revs: scenarioA, rows: []string{"da7a00000002"}, target: "base",
			steps: "-da7a00000002 -da7a00000001 -c0ffee000003 -c0ffee000002 -c0ffee000001",
			ops:   "update da7a00000002->da7a00000001; update da7a00000001->c0ffee000003; update c0ffee000003->c0ffee000002; update c0ffee000002->c0ffee000001; delete c0ffee000001",
			after: ""},
		{name: "A data@-1", revs: scenarioA, rows: []string{"da7a00000002"}, target: "data@-1",
			steps: "-da7a00000002", ops: "update da7a00000002->da7a00000001", after: "da7a00000001"},
		{name: "A data@-1 from the root restores the dependency's row", revs: scenarioA, rows: []string{"da7a00000001"}, target: "data@-1",
			steps: "-da7a00000001", ops: "update da7a00000001->c0ffee000003", after: "c0ffee000003"},
		{name: "A -1", revs: scenarioA, rows: []string{"da7a00000002"}, target: "-1",
			steps: "-da7a00000002", ops: "update da7a00000002->da7a00000001", after: "da7a00000001"},
		{name: "A schema@c0ffee000001 removes the dependents first", revs: scenarioA, rows: []string{"da7a00000002"}, target: "schema@c0ffee000001",
			steps: "-da7a00000002 -da7a00000001 -c0ffee000003 -c0ffee000002",
			ops:   "update da7a00000002->da7a00000001; update da7a00000001->c0ffee000003; update c0ffee000003->c0ffee000002; update c0ffee000002->c0ffee000001",
			after: "c0ffee000001"},
		{name: "A heads is a no-op", revs: scenarioA, rows: []string{"da7a00000002"}, target: "heads", steps: "", after: "da7a00000002"},
		{name: "A to a revision above", revs: scenarioA, rows: []string{"da7a00000001"}, target: "da7a00000002",
			err: "Destination da7a00000002 is not a valid downgrade target from current head(s)"},
		{name: "A too far", revs: scenarioA, rows: []string{"da7a00000002"}, target: "-5", err: "Relative revision -5 didn't produce 5 migrations"},
		{name: "A +1", revs: scenarioA, rows: []string{"da7a00000001"}, target: "+1", err: "Relative revision +1 didn't produce 1 migrations"},
		{name: "A id-1", revs: scenarioA, rows: []string{"da7a00000002"}, target: "da7a00000002-1",
			steps: "-da7a00000002", ops: "update da7a00000002->da7a00000001", after: "da7a00000001"},
		{name: "A from nothing", revs: scenarioA, target: "-1", err: "Relative revision -1 didn't produce 1 migrations"},
		{name: "A unknown row", revs: scenarioA, rows: []string{"feedfacecafe"}, target: "base", err: "Can't locate revision identified by 'feedfacecafe'"},

		// Scenario B.
		{name: "B base mirrors the upgrade order", revs: scenarioB, rows: []string{"beef12345678", "c0ffee000003"}, target: "base",
			steps: "-beef12345678 -da7a00000002 -da7a00000001 -c0ffee000003 -c0ffee000002 -c0ffee000001",
			ops:   "update beef12345678->da7a00000002; update da7a00000002->da7a00000001; delete da7a00000001; update c0ffee000003->c0ffee000002; update c0ffee000002->c0ffee000001; delete c0ffee000001",
			after: ""},
		{name: "B base with the core first", revs: scenarioBCoreFirst, rows: []string{"beef12345678", "c0ffee000003"}, target: "base",
			steps: "-c0ffee000003 -beef12345678 -da7a00000002 -da7a00000001 -c0ffee000002 -c0ffee000001",
			ops:   "delete c0ffee000003; update beef12345678->da7a00000002; update da7a00000002->da7a00000001; update da7a00000001->c0ffee000002; update c0ffee000002->c0ffee000001; delete c0ffee000001",
			after: ""},
		{name: "B schema@-1 removes the data root first", revs: scenarioB, rows: []string{"da7a00000001"}, target: "schema@-1",
			steps: "-da7a00000001 -c0ffee000002", ops: "update da7a00000001->c0ffee000002; update c0ffee000002->c0ffee000001", after: "c0ffee000001"},
		{name: "B -1 with two rows warns and steps back the first", revs: scenarioB, rows: []string{"beef12345678", "c0ffee000003"}, target: "-1",
			steps: "-beef12345678", ops: "update beef12345678->da7a00000002", after: "da7a00000002 c0ffee000003", warning: true},
		{name: "B heads is ambiguous", revs: scenarioB, rows: []string{"beef12345678", "c0ffee000003"}, target: "heads",
			err: "Multiple head revisions are present for given argument 'heads'; please specify a specific target revision, '<branchname>@heads' to narrow to a specific head, or 'heads' for all heads"},

		// Scenario C.
		{name: "C merged: -1 from the merge", revs: scenarioCMerged, rows: []string{"fd1ab7cef487"}, target: "-1", err: "Ambiguous walk"},
		{name: "C merged: data@-2 from the merge", revs: scenarioCMerged, rows: []string{"fd1ab7cef487"}, target: "data@-2", err: "Ambiguous walk"},
		{name: "C merged: unmerge to aaaa00000001", revs: scenarioCMerged, rows: []string{"fd1ab7cef487"}, target: "aaaa00000001",
			steps: "-fd1ab7cef487", ops: "insert aaaa00000001; update fd1ab7cef487->bbbb00000001", after: "bbbb00000001 aaaa00000001"},
		{name: "C merged: -1 with two rows", revs: scenarioCMerged, rows: []string{"aaaa00000001", "bbbb00000001"}, target: "-1",
			steps: "-aaaa00000001", ops: "delete aaaa00000001", after: "bbbb00000001", warning: true},
		{name: "C merged: base", revs: scenarioCMerged, rows: []string{"fd1ab7cef487"}, target: "base",
			steps: "-fd1ab7cef487 -aaaa00000001 -bbbb00000001 -da7a00000002 -da7a00000001 -c0ffee000003 -c0ffee000002 -c0ffee000001",
			ops:   "insert aaaa00000001; update fd1ab7cef487->bbbb00000001; delete aaaa00000001; update bbbb00000001->da7a00000002; update da7a00000002->da7a00000001; update da7a00000001->c0ffee000003; update c0ffee000003->c0ffee000002; update c0ffee000002->c0ffee000001; delete c0ffee000001",
			after: ""},

		// Other shapes.
		{name: "three children to the branch point", revs: threeChildren, rows: []string{"x3", "x1", "x2"}, target: "r2",
			steps: "-x3 -x1 -x2", ops: "delete x3; delete x1; update x2->r2", after: "r2"},
		{name: "three children label@-1 from a leaf", revs: threeChildren, rows: []string{"x1"}, target: "main@-1",
			err: "Not a valid downgrade target from current heads"},
		{name: "three parents unmerge", revs: threeParents, rows: []string{"mm"}, target: "aa",
			steps: "-mm", ops: "insert aa; insert bb; update mm->cc", after: "cc aa bb"},
		{name: "three parents to the root", revs: threeParents, rows: []string{"mm"}, target: "r1",
			steps: "-mm -aa -bb -cc", ops: "insert aa; insert bb; update mm->cc; delete aa; delete bb; update cc->r1", after: "r1"},
		{name: "depends on a label: schema@base", revs: dependsOnLabel, rows: []string{"da7a00000002", "c0ffee000003"}, target: "schema@base",
			steps: "-da7a00000002 -da7a00000001 -c0ffee000003 -c0ffee000002 -c0ffee000001",
			ops:   "update da7a00000002->da7a00000001; delete da7a00000001; update c0ffee000003->c0ffee000002; update c0ffee000002->c0ffee000001; delete c0ffee000001",
			after: ""},
		{name: "repeated dependencies: the row splits again", revs: repeatedDependencies, rows: []string{"da7a00000003"}, target: "data@-1",
			steps: "-da7a00000003", ops: "insert da7a00000002; update da7a00000003->c0ffee000003", after: "c0ffee000003 da7a00000002"},
		{name: "data merged with schema: -1", revs: dataSchemaMerge, rows: []string{"m0000000000f"}, target: "-1", err: "Ambiguous walk"},
		{name: "data merged with schema: to the schema parent keeps the data one", revs: dataSchemaMerge, rows: []string{"m0000000000f"}, target: "c0ffee000003",
			steps: "-m0000000000f", ops: "update m0000000000f->da7a00000002", after: "da7a00000002"},
		{name: "merged dependencies base", revs: mergedDependencies, rows: []string{"mm01"}, target: "base",
			steps: "-mm01 -bb01 -bb02 -c3 -aa01 -c2 -c1",
			ops:   "insert bb01; update mm01->bb02; delete bb01; insert aa01; update bb02->c3; delete c3; update aa01->c2; update c2->c1; delete c1",
			after: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t)
		})
	}
}

// TestPlansKeepTheVersionTableRule runs every upgrade and downgrade target of each shape from every state that
// upgrades reach, and checks the runner's invariants: each step's dependencies are applied before it (or remain
// after it when going down), and the rows afterwards are the applied heads of the dependency-resolved graph.
func TestPlansKeepTheVersionTableRule(t *testing.T) {
	t.Parallel()
	shapes := map[string]func() []*Revision{
		"A": scenarioA, "B": scenarioB, "B core first": scenarioBCoreFirst, "C": scenarioC, "C merged": scenarioCMerged,
		"three children": threeChildren, "three parents": threeParents, "depends on a label": dependsOnLabel,
		"repeated dependencies": repeatedDependencies, "data merged with schema": dataSchemaMerge,
		"merged dependencies": mergedDependencies,
	}
	for name, revs := range shapes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := graph(t, revs())
			targets := []string{"heads", "base", "+1", "-1", "+2", "-2"}
			for _, n := range g.Nodes() {
				targets = append(targets, n.ID, n.ID+"+1", n.ID+"-1")
				for _, l := range n.BranchLabels {
					targets = append(targets, l, l+"@head", l+"@+1", l+"@-1", l+"@base")
				}
			}
			states := map[string][]string{"": nil}
			for _, target := range targets {
				for _, rows := range states {
					_, _, after, _, err := run(t, g, rows, true, target)
					if err == nil {
						states[strings.Join(after, " ")] = after
					}
				}
			}
			for _, rows := range states {
				for _, target := range targets {
					for _, up := range []bool{true, false} {
						checkPlan(t, g, rows, up, target)
					}
				}
			}
		})
	}
}

// checkPlan runs one plan and checks its steps against the applied set and the rows against the applied heads.
func checkPlan(t *testing.T, g *Graph, rows []string, up bool, target string) {
	t.Helper()
	what := fmt.Sprintf("up=%v %q from %v", up, target, rows)
	var plan []Step
	var err error
	if up {
		plan, err = g.UpgradePlan(rows, target)
	} else {
		plan, err = g.DowngradePlan(rows, target, nil)
	}
	if err != nil {
		require.IsType(t, &Error{}, err, what)
		return
	}
	nodes, err := g.currentNodes(rows)
	require.NoError(t, err)
	applied := g.ancestors(nodes, true)
	current := rows
	for _, s := range plan {
		require.Equal(t, up, s.Upgrade, what)
		if up {
			require.False(t, applied[s.Node], "%s: %s runs twice", what, s.Node.ID)
			for _, d := range s.Node.normDown {
				require.True(t, applied[d], "%s: %s runs before %s", what, s.Node.ID, d.ID)
			}
			applied[s.Node] = true
		} else {
			require.True(t, applied[s.Node], "%s: %s is not applied", what, s.Node.ID)
			for n := range applied {
				require.False(t, n != s.Node && g.ancestors([]*Node{n}, true)[s.Node], "%s: %s goes before %s", what, s.Node.ID, n.ID)
			}
			delete(applied, s.Node)
		}
		_, next, err := g.VersionOps(current, s)
		require.NoError(t, err, "%s: step %s at %v", what, s, current)
		current = next
		var appliedNodes []*Node
		for n := range applied {
			appliedNodes = append(appliedNodes, n)
		}
		require.ElementsMatch(t, nodeIDs(g.filterIntoHeads(appliedNodes, true)), current, "%s: rows after %s", what, s)
	}
}

func TestGraphErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		revs []*Revision
		err  string
	}{
		{"cycle", []*Revision{rev("aaa000000001", "ccc000000003"), rev("bbb000000002", "aaa000000001"), rev("ccc000000003", "bbb000000002")},
			"Cycle is detected in revisions (aaa000000001, bbb000000002, ccc000000003)"},
		{"cycle beside a head", []*Revision{rev("c0ffee000001", ""), rev("bbb000000002", "aaa000000001"), rev("aaa000000001", "ccc000000003"), rev("ccc000000003", "bbb000000002")},
			"Cycle is detected in revisions (aaa000000001, bbb000000002, ccc000000003)"},
		{"self-loop", []*Revision{rev("aaa000000001", "aaa000000001")}, "Self-loop is detected in revisions (aaa000000001)"},
		{"dependency self-loop", []*Revision{depends(rev("aaa000000001", ""), "aaa000000001")}, "Dependency self-loop is detected in revisions (aaa000000001)"},
		{"dependency self-loop through a label", []*Revision{depends(labelled(rev("aaa000000001", ""), "x"), "x")}, "Dependency self-loop is detected in revisions (aaa000000001)"},
		{"dependency cycle", []*Revision{depends(rev("aaa000000001", ""), "bbb000000002"), depends(rev("bbb000000002", ""), "aaa000000001")},
			"Dependency cycle is detected in revisions (aaa000000001, bbb000000002)"},
		// Alembic misses this one: the cycle is reachable from a base and a head.
		{"reachable cycle", []*Revision{rev("000000000000", ""), rev("aaa000000001", "000000000000, bbb000000002"), rev("bbb000000002", "aaa000000001"), rev("ccc000000003", "bbb000000002")},
			"Cycle is detected in revisions (aaa000000001, bbb000000002)"},
		{"reachable dependency cycle", []*Revision{rev("aaa000000001", ""), depends(rev("bbb000000002", "aaa000000001"), "ccc000000003"), rev("ccc000000003", "bbb000000002"), rev("ddd000000004", "ccc000000003"), rev("eee000000005", "")},
			"Dependency cycle is detected in revisions (bbb000000002, ccc000000003)"},
		{"missing down revision", []*Revision{rev("aaa000000001", ""), rev("bbb000000002", "zzz999999999")},
			"Revision zzz999999999 referenced as down revision of bbb000000002 (bbb000000002.sql) is not present"},
		{"missing dependency", []*Revision{rev("aaa000000001", ""), depends(rev("bbb000000002", "aaa000000001"), "zzz999999999")},
			"Revision or branch zzz999999999 referenced in depends_on of bbb000000002 (bbb000000002.sql) is not present"},
		{"duplicate id", []*Revision{rev("aaa000000001", ""), {ID: "aaa000000001", Path: "other.sql"}},
			"Revision aaa000000001 is present more than once (aaa000000001.sql and other.sql)"},
		{"duplicate label", []*Revision{labelled(rev("aaa000000001", ""), "x"), labelled(rev("bbb000000002", ""), "x")},
			"Branch name 'x' in revision bbb000000002 already used by revision aaa000000001"},
		{"label equal to an id", []*Revision{rev("aaa000000001", ""), labelled(rev("bbb000000002", ""), "aaa000000001")},
			"Branch name 'aaa000000001' in revision bbb000000002 already used by revision aaa000000001"},
		// Revisions registered in Go are checked as files are.
		{"parent listed twice", []*Revision{rev("aaa000000001", ""), rev("bbb000000002", "aaa000000001, aaa000000001")},
			"bbb000000002.sql: revision bbb000000002: down_revision lists aaa000000001 twice"},
		{"dependency listed twice", []*Revision{rev("aaa000000001", ""), depends(rev("bbb000000002", ""), "aaa000000001", "aaa000000001")},
			"bbb000000002.sql: revision bbb000000002: depends_on lists aaa000000001 twice"},
		{"id carrying SQL", []*Revision{{ID: "x'; DELETE FROM workflows; --", Path: "<go>"}},
			`<go>: invalid revision id "x'; DELETE FROM workflows; --" (use 1 to 32 letters, digits and underscores)`},
		{"id longer than the column", []*Revision{{ID: strings.Repeat("a", 33), Path: "<go>"}},
			`<go>: revision id "` + strings.Repeat("a", 33) + `" is 33 characters long (at most 32, the width of the version table's column)`},
		{"id heads", []*Revision{rev("heads", "")}, `heads.sql: "heads" cannot be a revision id: base, head and heads name targets`},
		{"label with @", []*Revision{labelled(rev("aaa000000001", ""), "my@label")},
			`aaa000000001.sql: revision aaa000000001: branch_labels: invalid branch label "my@label" (use letters, digits and underscores)`},
		{"label base", []*Revision{labelled(rev("aaa000000001", ""), "base")},
			`aaa000000001.sql: revision aaa000000001: branch_labels: "base" cannot be a branch label: base, head and heads name targets`},
		{"down revision carrying SQL", []*Revision{rev("aaa000000001", ""), {ID: "bbb000000002", DownRevisions: []string{"aaa000000001'"}, Path: "<go>"}},
			`<go>: revision bbb000000002: down_revision: invalid revision id "aaa000000001'" (use 1 to 32 letters, digits and underscores)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewGraph(tt.revs)
			require.Error(t, err)
			require.IsType(t, &Error{}, err)
			require.Equal(t, tt.err, err.Error())
		})
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	g := graph(t, scenarioCMerged())
	lines := map[string]string{}
	for _, n := range g.History() {
		lines[n.ID] = n.Format(FormatOptions{Parents: true, Branches: true, Doc: true, TreeIndicators: true, Current: map[string]bool{"aaaa00000001": true}})
	}
	require.Equal(t, "aaaa00000001, bbbb00000001 -> fd1ab7cef487 (data) (head) (mergepoint), Doc of fd1ab7cef487.", lines["fd1ab7cef487"])
	require.Equal(t, "da7a00000002 -> aaaa00000001 (data) (current), Doc of aaaa00000001.", lines["aaaa00000001"])
	require.Equal(t, "da7a00000001 -> da7a00000002 (data) (branchpoint), Doc of da7a00000002.", lines["da7a00000002"])
	require.Equal(t, "<base> (c0ffee000003) -> da7a00000001 (data), Doc of da7a00000001.", lines["da7a00000001"])
	require.Equal(t, "c0ffee000002 -> c0ffee000003 (schema) (effective head), Doc of c0ffee000003.", lines["c0ffee000003"])

	n, _ := g.Lookup("da7a00000002")
	require.Equal(t, "Rev: da7a00000002 (branchpoint)\nParent: da7a00000001\nBranches into: aaaa00000001, bbbb00000001\nBranch names: data\nPath: da7a00000002.sql\n\n    Doc of da7a00000002.\n",
		n.Format(FormatOptions{Verbose: true}))
	// An empty docstring has no lines: the block is the header, an empty line, and the empty line that ends it.
	n.Doc = ""
	require.Equal(t, "Rev: da7a00000002 (branchpoint)\nParent: da7a00000001\nBranches into: aaaa00000001, bbbb00000001\nBranch names: data\nPath: da7a00000002.sql\n\n\n",
		n.Format(FormatOptions{Verbose: true}))
	m, _ := g.Lookup("fd1ab7cef487")
	require.Equal(t, "Rev: fd1ab7cef487 (head) (mergepoint) (current)\nMerges: aaaa00000001, bbbb00000001\nBranch names: data\nPath: fd1ab7cef487.sql\n\n    Doc of fd1ab7cef487.\n",
		m.Format(FormatOptions{Verbose: true, Current: map[string]bool{"fd1ab7cef487": true}}))
}

// TestParseFileRefusesBadHeaders checks that a revision file's header is refused, naming file and line, for every
// value that would break the graph or the version table later.
func TestParseFileRefusesBadHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct{ header, err string }{
		{"-- wfo:revision bbb000000002\n-- wfo:down_revision aaa000000001, aaa000000001\n", "f.sql:2: down_revision lists aaa000000001 twice"},
		{"-- wfo:revision bbb000000002\n-- wfo:depends_on schema, schema\n", "f.sql:2: depends_on lists schema twice"},
		{"-- wfo:revision " + strings.Repeat("0", 33) + "\n", `f.sql:1: revision id "` + strings.Repeat("0", 33) + `" is 33 characters long (at most 32, the width of the version table's column)`},
		{"-- wfo:revision base\n", `f.sql:1: "base" cannot be a revision id: base, head and heads name targets`},
		{"-- wfo:revision head\n", `f.sql:1: "head" cannot be a revision id: base, head and heads name targets`},
		{"-- wfo:revision a\n-- wfo:branch_labels my label\n", `f.sql:2: branch_labels: invalid branch label "my label" (use letters, digits and underscores)`},
		{"-- wfo:revision a\n-- wfo:branch_labels x@y\n", `f.sql:2: branch_labels: invalid branch label "x@y" (use letters, digits and underscores)`},
		{"-- wfo:revision a\n-- wfo:branch_labels heads\n", `f.sql:2: branch_labels: "heads" cannot be a branch label: base, head and heads name targets`},
		{"-- wfo:revision a\n-- wfo:down_revision b'c\n", `f.sql:2: down_revision: invalid revision id "b'c" (use 1 to 32 letters, digits and underscores)`},
	}
	for _, tt := range tests {
		_, err := ParseFile("f.sql", []byte(tt.header))
		require.EqualError(t, err, tt.err, tt.header)
	}
}

// TestTargetsRefused checks that an empty or malformed target is refused by every command that takes one, instead
// of meaning base.
func TestTargetsRefused(t *testing.T) {
	t.Parallel()
	g := graph(t, scenarioA())
	rows := []string{"da7a00000002"}
	for _, target := range []string{"", "@", "data@", "@head", "a b", "data@@head", "-", "+", "da7a'"} {
		want := "Invalid revision target '" + target + "': use heads, head, base"
		_, err := g.UpgradePlan(rows, target)
		require.ErrorContains(t, err, want, "upgrade %q", target)
		_, err = g.DowngradePlan(rows, target, nil)
		require.ErrorContains(t, err, want, "downgrade %q", target)
		require.ErrorContains(t, CheckTarget(target), want)
	}
	for _, target := range []string{"heads", "head", "base", "data@head", "da7a", "+1", "-1", "data@-1", "da7a00000001+1", "data@da7a00000002"} {
		require.NoError(t, CheckTarget(target), target)
	}
}
