package migration

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzParseFile feeds arbitrary text to the revision file parser: it never panics, and a revision it accepts,
// written again with NewRevision.Render, parses back to the same id, down revisions, labels and dependencies.
func FuzzParseFile(f *testing.F) {
	for _, seed := range []string{
		"-- Core initial.\n--\n-- Revision ID: c0ffee000001\n-- Revises: \n-- Create Date: 2023-01-01 00:00:00.000000\n--\n" +
			"-- wfo:revision c0ffee000001\n-- wfo:down_revision\n-- wfo:branch_labels schema\n-- wfo:depends_on\n\n" +
			"-- wfo:upgrade\nCREATE TABLE core1 (id INTEGER PRIMARY KEY);\n\n-- wfo:downgrade\nDROP TABLE core1;\n",
		"-- merge features.\n-- wfo:revision fd1ab7cef487\n-- wfo:down_revision aaaa00000001, bbbb00000001\n-- wfo:upgrade\n-- wfo:downgrade\n",
		"-- wfo:revision da7a00000001\n-- wfo:branch_labels data, extra\n-- wfo:depends_on c0ffee000003, schema\n-- wfo:transaction none\n" +
			"-- wfo:upgrade postgres\nCREATE INDEX CONCURRENTLY i ON t (c);\n-- wfo:upgrade sqlite\nCREATE INDEX i ON t (c);\n",
		"-- wfo:revision x\r\n-- wfo:down_revision  a ,b,, \r\n",
		"--wfo:revision x\n-- wfo:revision y\n",
		"-- doc\n--wfo:upgrade\n-- wfo:revision abc\n",
		"-- wfo:revision a\n-- wfo:unknown\n",
		"-- wfo:revision a\n-- wfo:revision b\n",
		"-- wfo:revision a b\n",
		"-- wfo:revision a\nSELECT 1;\n",
		"-- wfo:revision a\n-- wfo:upgrade\n-- wfo:upgrade\n",
		"-- wfo:revision a\n-- wfo:upgrade oracle\n",
		"-- wfo:revision a\n-- wfo:downgrade\n-- wfo:depends_on b\n",
		"-- wfo:revision a\n-- wfo:transaction sometimes\n",
		"",
		"-- wfo:upgrade\n",
		"\n\n-- wfo:revision a\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rev, err := ParseFile("f.sql", data)
		if err != nil {
			return
		}
		if !validID(rev.ID) {
			t.Fatalf("accepted invalid id %q", rev.ID)
		}
		up, _ := rev.SQL("upgrade", "")
		down, _ := rev.SQL("downgrade", "")
		again := NewRevision{
			ID: rev.ID, Message: rev.Doc, DownRevisions: rev.DownRevisions, BranchLabels: rev.BranchLabels,
			DependsOn: rev.DependsOn, Created: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), Upgrade: up, Downgrade: down,
		}
		text := again.Render()
		back, err := ParseFile("f.sql", text)
		if err != nil {
			t.Fatalf("rendered revision does not parse: %v\n%s", err, text)
		}
		if back.ID != rev.ID || !slices.Equal(back.DownRevisions, rev.DownRevisions) ||
			!slices.Equal(back.BranchLabels, rev.BranchLabels) || !slices.Equal(back.DependsOn, rev.DependsOn) {
			t.Fatalf("round trip changed the header: %q %q %q %q -> %q %q %q %q\n%s", rev.ID, rev.DownRevisions, rev.BranchLabels, rev.DependsOn,
				back.ID, back.DownRevisions, back.BranchLabels, back.DependsOn, text)
		}
	})
}

// FuzzTarget plans upgrades and downgrades of scenario C (with its merge) to arbitrary targets from arbitrary
// version-table rows drawn from the graph: planning never panics, fails only with *Error, never runs a revision
// before what it depends on (or, going down, after what depends on it), and from rows that keep the version-table
// rule leaves rows that keep it.
func FuzzTarget(f *testing.F) {
	g, err := NewGraph(scenarioCMerged())
	if err != nil {
		f.Fatal(err)
	}
	nodes := g.Nodes()
	for _, target := range []string{
		"heads", "head", "base", "data@head", "schema@head", "data", "schema", "data@heads", "data@base",
		"+1", "-1", "+2", "-2", "+0", "-0", "+999999999999", "data@+1", "data@-1", "schema@+2", "schema@-1",
		"aaaa00000001", "aaaa", "a", "c0ffee", "da7a", "fd1a", "schema@c0ffee000003", "data@c0ffee000003",
		"c0ffee000001+2", "da7a00000002-1", "data@da7a00000002+1", "x@head", "@", "@@", "data@", "@head", "+", "-",
		"aaaa00000001@head", "data@schema@head", "schema@data", "fd1ab7cef487-1", "sche", "dat",
		"-9223372036854775808", "+9223372036854775807", "-99999999999999999999", "data@-9223372036854775808",
	} {
		for _, rows := range []uint16{0, 1 << 7, 1 << 6, 1<<0 | 1<<1, 1 << 3, 1<<4 | 1<<0, 0xffff} {
			f.Add(target, rows, true)
			f.Add(target, rows, false)
		}
	}
	f.Fuzz(func(t *testing.T, target string, mask uint16, up bool) {
		var rows []string
		for i, n := range nodes {
			if mask&(1<<i) != 0 {
				rows = append(rows, n.ID)
			}
		}
		var plan []Step
		var err error
		if up {
			plan, err = g.UpgradePlan(rows, target)
		} else {
			plan, err = g.DowngradePlan(rows, target, func(string) {})
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%q from %v: error %T %v is not an *Error", target, rows, err, err)
			}
			return
		}
		current, _ := g.currentNodes(rows)
		applied := g.ancestors(current, true)
		consistent := sameSet(nodeIDs(g.filterIntoHeads(current, true)), rows) && len(current) == len(rows)
		for _, s := range plan {
			if s.Upgrade != up {
				t.Fatalf("%q from %v: step %s goes the wrong way", target, rows, s)
			}
			if up {
				if applied[s.Node] {
					t.Fatalf("%q from %v: %s is already applied", target, rows, s.Node.ID)
				}
				for _, d := range s.Node.normDown {
					if !applied[d] {
						t.Fatalf("%q from %v: %s runs before %s", target, rows, s.Node.ID, d.ID)
					}
				}
				applied[s.Node] = true
			} else {
				if !applied[s.Node] {
					t.Fatalf("%q from %v: %s is not applied", target, rows, s.Node.ID)
				}
				for _, c := range s.Node.allNextrev {
					if applied[c] {
						t.Fatalf("%q from %v: %s goes while %s is applied", target, rows, s.Node.ID, c.ID)
					}
				}
				delete(applied, s.Node)
			}
			ops, after, err := g.VersionOps(rows, s)
			if !consistent {
				if err != nil {
					return // rows that break the rule may have no valid next state; no panic is all we ask
				}
			} else if err != nil {
				t.Fatalf("%q from %v: step %s: %v", target, rows, s, err)
			}
			_ = ops
			rows = after
			var appliedNodes []*Node
			for n := range applied {
				appliedNodes = append(appliedNodes, n)
			}
			if consistent && !sameSet(nodeIDs(g.filterIntoHeads(appliedNodes, true)), rows) {
				t.Fatalf("%q: rows %v after %s, applied heads %v", target, rows, s, nodeIDs(g.filterIntoHeads(appliedNodes, true)))
			}
		}
	})
}

// FuzzGraphShape builds graphs of any shape from bytes (parents and dependencies pointing anywhere, repeated,
// forward, to themselves, to labels) and checks that loading either refuses the graph with an *Error or accepts
// it, and that listing, planning a full upgrade and a full downgrade of an accepted graph finish within a bound
// generous enough for any machine: no shape makes wfo loop.
func FuzzGraphShape(f *testing.F) {
	for _, seed := range [][]byte{
		{},
		{3, 0, 0, 1, 0, 1, 2, 0},
		{4, 1, 1, 0, 0, 2, 1, 1, 0, 3, 2, 0, 1, 0},          // a parent listed twice
		{5, 0, 0, 0, 1, 0, 1, 2, 0, 0, 3, 1, 2, 0, 4, 0, 0}, // branches and a merge
		{6, 2, 1, 3, 2, 1, 0, 4, 5, 1, 1, 1, 2, 3, 0, 5, 9, 9, 0, 1},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		revs := graphFromBytes(data)
		done := make(chan string, 1)
		go func() {
			g, err := NewGraph(revs)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					done <- "error " + err.Error() + " is not an *Error"
					return
				}
				done <- ""
				return
			}
			if len(g.History()) != g.Len() {
				done <- "history does not list every revision"
				return
			}
			up, err := g.UpgradePlan(nil, "heads")
			if err != nil {
				done <- ""
				return
			}
			var rows []string
			for _, s := range up {
				_, after, err := g.VersionOps(rows, s)
				if err != nil {
					done <- err.Error()
					return
				}
				rows = after
			}
			if _, err := g.DowngradePlan(rows, "base", nil); err != nil {
				done <- "downgrade base after upgrade heads: " + err.Error()
				return
			}
			done <- ""
		}()
		select {
		case msg := <-done:
			if msg != "" {
				t.Fatalf("%s\n%s", msg, describe(revs))
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("graph operations did not finish\n%s", describe(revs))
		}
	})
}

// graphFromBytes reads a graph: a count, then for each revision how many parents, dependencies and labels it
// has and which. Indexes wrap around the revisions, so references go forward, backward and to the revision
// itself; dependency indexes past the revisions name the labels.
func graphFromBytes(data []byte) []*Revision {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b)
	}
	n := next()%12 + 1
	revs := make([]*Revision, n)
	for i := range revs {
		revs[i] = &Revision{ID: fmt.Sprintf("r%02d", i), Path: fmt.Sprintf("r%02d.sql", i)}
	}
	labels := []string{"data", "schema"}
	for _, r := range revs {
		for range next() % 4 {
			r.DownRevisions = append(r.DownRevisions, revs[next()%n].ID)
		}
		for range next() % 3 {
			k := next() % (n + len(labels))
			if k < n {
				r.DependsOn = append(r.DependsOn, revs[k].ID)
			} else {
				r.DependsOn = append(r.DependsOn, labels[k-n])
			}
		}
		if l := next() % 4; l < len(labels) {
			r.BranchLabels = []string{labels[l]}
		}
	}
	return revs
}

func describe(revs []*Revision) string {
	var b strings.Builder
	for _, r := range revs {
		fmt.Fprintf(&b, "%s down=%v deps=%v labels=%v\n", r.ID, r.DownRevisions, r.DependsOn, r.BranchLabels)
	}
	return b.String()
}
