// Command genrevs writes a wfo project with many generated revisions, for the benchmarks in bench/run.sh.
//
//	go run ./bench/genrevs -shape linear|branched|orch -n 2000 -dir DIR
//
// It writes DIR/migrations/versions/schema/*.sql, the application's version location. The workloads are those of
// the Alembic timings in the migration spec (section 3): every revision creates one table t_<rev> (id INTEGER) and
// its downgrade drops it, and revision ids are the first 12 hex characters of the sha1 of the shape name and a
// counter, so the same command always writes the same files.
//
// Shapes (n revision files in every shape):
//
//   - linear: one chain; its root carries the branch label app.
//   - branched: a shared base, 10 branches labelled b0 ... b9 built on it (the n-2 middle revisions spread as evenly
//     as possible), and one merge revision whose 10 down revisions are the branch heads.
//   - orch: orchestrator's two heads. n/2 revisions form a chain labelled core (standing in for orchestrator-core's
//     schema branch, because wfo's embedded core revision already owns the label schema), the other n - n/2 form a
//     chain labelled data whose root depends on the core head.
//
// wfo also loads its embedded core revisions (branch schema, rooted at c112305b07d3), so every project has those
// revisions and one more head besides the files written here, as a real orchestrator project has.
package main

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// rev is one generated revision.
type rev struct {
	id        string
	message   string
	down      []string
	labels    []string
	dependsOn []string
}

func main() {
	shape := flag.String("shape", "linear", "graph shape: linear, branched or orch")
	n := flag.Int("n", 2000, "number of revision files")
	dir := flag.String("dir", "", "project directory to write (its migrations/versions/schema must not hold other revisions)")
	flag.Parse()
	if *dir == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	revs, err := generate(*shape, *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genrevs:", err)
		os.Exit(2)
	}
	if err := write(filepath.Join(*dir, "migrations", "versions", "schema"), revs); err != nil {
		fmt.Fprintln(os.Stderr, "genrevs:", err)
		os.Exit(1)
	}
}

// generate builds the revisions of a shape, parents before children.
func generate(shape string, n int) ([]rev, error) {
	counter := 0
	next := func(message string, down []string) rev {
		sum := sha1.Sum([]byte(fmt.Sprintf("%s%d", shape, counter)))
		counter++
		return rev{id: hex.EncodeToString(sum[:])[:12], message: message, down: down}
	}
	// chain appends count revisions, the first built on parent (none when ""), and returns the last id.
	var revs []rev
	chain := func(name string, count int, parent string, label string) string {
		for i := 0; i < count; i++ {
			var down []string
			if parent != "" {
				down = []string{parent}
			}
			r := next(fmt.Sprintf("%s %04d", name, i), down)
			if i == 0 && label != "" {
				r.labels = []string{label}
			}
			revs = append(revs, r)
			parent = r.id
		}
		return parent
	}
	switch shape {
	case "linear":
		if n < 1 {
			return nil, errors.New("linear needs -n >= 1")
		}
		chain("linear", n, "", "app")
	case "branched":
		const branches = 10
		if n < branches+2 {
			return nil, fmt.Errorf("branched needs -n >= %d", branches+2)
		}
		base := chain("base", 1, "", "")
		middle := n - 2
		var heads []string
		for b := 0; b < branches; b++ {
			count := middle / branches
			if b < middle%branches {
				count++
			}
			heads = append(heads, chain(fmt.Sprintf("branch b%d", b), count, base, fmt.Sprintf("b%d", b)))
		}
		revs = append(revs, next("merge 10 branches", heads))
	case "orch":
		if n < 2 {
			return nil, errors.New("orch needs -n >= 2")
		}
		coreHead := chain("core", n/2, "", "core")
		first := len(revs)
		chain("data", n-n/2, "", "data")
		revs[first].dependsOn = []string{coreHead}
	default:
		return nil, fmt.Errorf("unknown shape %q: use linear, branched or orch", shape)
	}
	return revs, nil
}

// write writes one file per revision into dir, creating it.
func write(dir string, revs []rev) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, r := range revs {
		// Distinct, increasing creation times keep the files readable in date order; they do not affect the graph.
		created := fmt.Sprintf("2026-01-01 %02d:%02d:%02d.000000", i/3600%24, i/60%60, i%60)
		name := fmt.Sprintf("2026-01-01_%s_%s.sql", r.id, slug(r.message))
		var b strings.Builder
		fmt.Fprintf(&b, "-- %s.\n--\n", strings.ToUpper(r.message[:1])+r.message[1:])
		fmt.Fprintf(&b, "-- Revision ID: %s\n-- Revises: %s\n-- Create Date: %s\n--\n", r.id, strings.Join(r.down, ", "), created)
		fmt.Fprintf(&b, "-- wfo:revision %s\n", r.id)
		fmt.Fprintf(&b, "-- wfo:down_revision %s\n", strings.Join(r.down, ", "))
		fmt.Fprintf(&b, "-- wfo:branch_labels %s\n", strings.Join(r.labels, ", "))
		fmt.Fprintf(&b, "-- wfo:depends_on %s\n", strings.Join(r.dependsOn, ", "))
		b.WriteString("-- wfo:transaction per-revision\n\n")
		fmt.Fprintf(&b, "-- wfo:upgrade\nCREATE TABLE t_%s (id INTEGER);\n\n", r.id)
		fmt.Fprintf(&b, "-- wfo:downgrade\nDROP TABLE t_%s;\n", r.id)
		// Trailing spaces after an empty directive value are harmless but untidy.
		text := strings.ReplaceAll(b.String(), " \n", "\n")
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// slug is the file-name slug of a message, made as wfo and Alembic make it (these messages are short and
// contain only word characters and spaces).
func slug(message string) string {
	return strings.ToLower(strings.Join(strings.Fields(message), "_"))
}
