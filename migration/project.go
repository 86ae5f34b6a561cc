package migration

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Project is an application's set of revisions: its on-disk version locations, the revisions it registers in Go,
// and the core's embedded revisions (branch schema).
type Project struct {
	// Locations are the version locations in load order: the application's first, the core's last, as
	// orchestrator-core orders them.
	Locations []*Location
	// GoRevisions are revisions written in Go, loaded after the application's files and before the core's.
	GoRevisions []*Revision
	// Now gives the time for new revisions; time.Now when nil.
	Now func() time.Time
}

// DirLocation is an on-disk version location of the application.
func DirLocation(dir string) *Location {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	return &Location{FS: newDirFS(abs), Dir: abs, Writable: true}
}

// EmbeddedLocation is a read-only location in an embedded file system, shown to users as name.
func EmbeddedLocation(fsys fs.FS, name string) *Location {
	return &Location{FS: fsys, Dir: name}
}

// Revisions loads every revision in load order.
func (p *Project) Revisions() ([]*Revision, error) {
	var all []*Revision
	goAdded := false
	addGo := func() {
		for _, r := range p.GoRevisions {
			if r.Path == "" {
				r.Path = "<go>"
			}
			all = append(all, r)
		}
		goAdded = true
	}
	for _, loc := range p.Locations {
		if !loc.Writable && !goAdded {
			addGo()
		}
		revs, err := LoadLocation(loc)
		if err != nil {
			return nil, err
		}
		all = append(all, revs...)
		for _, r := range loc.Revisions {
			// A copy: the location's revisions are often package variables that projects loaded at the same
			// time share, and each project gives them its own location.
			c := *r
			c.Location = loc
			all = append(all, &c)
		}
	}
	if !goAdded {
		addGo()
	}
	return all, nil
}

// Graph loads the revisions and builds their graph.
func (p *Project) Graph() (*Graph, error) {
	revs, err := p.Revisions()
	if err != nil {
		return nil, err
	}
	return NewGraph(revs)
}

// defaultLocation is where new revisions go when the revision they build on is not in a writable location.
func (p *Project) defaultLocation() (*Location, error) {
	for _, loc := range p.Locations {
		if loc.Writable {
			return loc, nil
		}
	}
	return nil, errorf("No writable version location; run 'db init' first")
}

func (p *Project) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// ReviseOptions are the arguments of "db revision".
type ReviseOptions struct {
	Message string
	// Head is the revision the new one builds on; "data@head" when empty.
	Head string
	// VersionPath is the directory to write to; it must be one of the writable version locations.
	VersionPath string
	// Upgrade and Downgrade are SQL for the new revision's sections (used by the migrate-* commands).
	Upgrade, Downgrade string
	// Dialect, when set, writes the sections for that dialect only ("-- wfo:upgrade sqlite"), for SQL that does
	// not run on the other one.
	Dialect string
	// NoTransaction writes "-- wfo:transaction none": the sections run outside a transaction.
	NoTransaction bool
}

// Revise writes a new revision and returns the paths written. When the head names the data branch and the
// project has none yet, it first writes the data root (no down revision, branch label data, depending on the
// schema head). New data revisions depend on the schema head of their day, so a fresh database never runs them
// before the core revisions they were written against. Nothing is written unless every file can be.
func (p *Project) Revise(o ReviseOptions) ([]string, error) {
	if o.Head == "" {
		o.Head = "data@head"
	}
	if err := CheckTarget(o.Head); err != nil {
		return nil, err
	}
	revs, err := p.Revisions()
	if err != nil {
		return nil, err
	}
	g, err := NewGraph(revs)
	if err != nil {
		return nil, err
	}
	var pending []pendingFile
	now := p.now()
	headLabel, _, hasLabel := strings.Cut(o.Head, "@")
	if !hasLabel && o.Head == "data" {
		headLabel = "data"
	}
	if _, ok := g.LabelOwner("data"); !ok && headLabel == "data" {
		loc, err := p.defaultLocation()
		if err != nil {
			return nil, err
		}
		root := NewRevision{ID: NewID(), Message: "Create data head", BranchLabels: []string{"data"}, Created: now}
		if schema, err := g.schemaHead(); err != nil {
			return nil, err
		} else if schema != "" {
			root.DependsOn = []string{schema}
		}
		pf, err := pendingRevision(loc, root)
		if err != nil {
			return nil, err
		}
		pending = append(pending, pf)
		if g, err = NewGraph(withPending(revs, pending)); err != nil {
			return nil, err
		}
	}
	heads, err := g.getRevisions(o.Head)
	if err != nil {
		var mh *multipleHeadsError
		if asMultipleHeads(err, &mh) {
			return nil, errorf("Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.")
		}
		return nil, commandError(err, o.Head, "%s")
	}
	for _, h := range heads {
		if !h.isHead {
			return nil, errorf("Revision %s is not a head revision; please specify --splice to create a new branch from this revision", h.ID)
		}
	}
	loc, err := p.locationFor(o.VersionPath, heads)
	if err != nil {
		return nil, err
	}
	rev := NewRevision{ID: NewID(), Message: o.Message, DownRevisions: nodeIDs(heads), Created: now,
		Upgrade: o.Upgrade, Downgrade: o.Downgrade, Dialect: o.Dialect, NoTransaction: o.NoTransaction}
	onData := false
	for _, h := range heads {
		if h.labelSet["data"] {
			onData = true
		}
	}
	if onData {
		if schema, err := g.schemaHead(); err != nil {
			return nil, err
		} else if schema != "" && !slices.Contains(rev.DownRevisions, schema) {
			rev.DependsOn = []string{schema}
		}
	}
	pf, err := pendingRevision(loc, rev)
	if err != nil {
		return nil, err
	}
	pending = append(pending, pf)
	return p.commit(revs, pending)
}

// MergeOptions are the arguments of "db merge".
type MergeOptions struct {
	Revisions []string
	Message   string
}

// Merge writes a revision whose down revisions are the given heads. Merging fewer than two distinct heads is
// refused (Alembic silently writes a single-parent revision).
func (p *Project) Merge(o MergeOptions) ([]string, error) {
	revs, err := p.Revisions()
	if err != nil {
		return nil, err
	}
	g, err := NewGraph(revs)
	if err != nil {
		return nil, err
	}
	var heads []*Node
	for _, spec := range o.Revisions {
		if err := CheckTarget(spec); err != nil {
			return nil, err
		}
		nodes, err := g.getRevisions(spec)
		if err != nil {
			return nil, commandError(err, spec, "%s")
		}
		for _, n := range nodes {
			if !slices.Contains(heads, n) {
				heads = append(heads, n)
			}
		}
	}
	for _, h := range heads {
		if !h.isHead {
			return nil, errorf("Revision %s is not a head revision; please specify --splice to create a new branch from this revision", h.ID)
		}
	}
	if len(heads) < 2 {
		return nil, errorf("Nothing to merge: %s resolves to %d head revision(s) (%s); a merge needs two or more heads", strings.Join(o.Revisions, " "), len(heads), strings.Join(nodeIDs(heads), ", "))
	}
	loc, err := p.locationFor("", heads)
	if err != nil {
		return nil, err
	}
	pf, err := pendingRevision(loc, NewRevision{ID: NewID(), Message: o.Message, DownRevisions: nodeIDs(heads), Created: p.now()})
	if err != nil {
		return nil, err
	}
	return p.commit(revs, []pendingFile{pf})
}

// schemaHead is the single head of the schema branch, "" when there is no such branch.
func (g *Graph) schemaHead() (string, error) {
	if _, ok := g.LabelOwner("schema"); !ok {
		return "", nil
	}
	h, err := g.currentHead("schema")
	if err != nil {
		return "", commandError(err, "schema@head", "%s")
	}
	if h == nil {
		return "", nil
	}
	return h.ID, nil
}

func (p *Project) locationFor(versionPath string, heads []*Node) (*Location, error) {
	if versionPath != "" {
		abs, err := filepath.Abs(versionPath)
		if err == nil {
			for _, loc := range p.Locations {
				if loc.Writable && filepath.Clean(loc.Dir) == filepath.Clean(abs) {
					return loc, nil
				}
			}
		}
		return nil, errorf("Path %s is not represented in current version locations", versionPath)
	}
	for _, h := range heads {
		if h.Location != nil && h.Location.Writable {
			return h.Location, nil
		}
	}
	if len(heads) == 0 && len(p.Locations) > 1 {
		// A new root (--head base) could go to any location: Alembic asks which.
		return nil, errorf("Multiple version locations present, please specify --version-path")
	}
	return p.defaultLocation()
}

type pendingFile struct {
	path string
	data []byte
	rev  *Revision
}

func pendingRevision(loc *Location, r NewRevision) (pendingFile, error) {
	// SQL handed in (by a wizard, a generator) must not carry a line that reads as a directive ("-- wfo:downgrade"
	// inside a quoted value, say): it would change what the file runs.
	for _, section := range []struct{ name, sql string }{{"upgrade", r.Upgrade}, {"downgrade", r.Downgrade}} {
		for i, line := range strings.Split(section.sql, "\n") {
			if strings.HasPrefix(line, directivePrefix) {
				return pendingFile{}, fmt.Errorf("migration: line %d of the new revision's %s SQL starts with %q and would read as a wfo directive; write that value another way", i+1, section.name, directivePrefix)
			}
		}
	}
	path := filepath.Join(loc.Dir, r.FileName())
	data := r.Render()
	rev, err := ParseFile(path, data)
	if err != nil {
		return pendingFile{}, fmt.Errorf("migration: the new revision does not parse: %w", err)
	}
	rev.Location = loc
	return pendingFile{path: path, data: data, rev: rev}, nil
}

// withPending inserts new revisions into the load order, sorted by file name within their location.
func withPending(revs []*Revision, pending []pendingFile) []*Revision {
	out := slices.Clone(revs)
	for _, pf := range pending {
		at := len(out)
		found := false
		for i, r := range out {
			if r.Location == pf.rev.Location {
				found = true
				if filepath.Base(r.Path) > filepath.Base(pf.path) {
					at = i
					break
				}
				at = i + 1
			} else if found {
				break
			}
		}
		if !found {
			at = 0
		}
		out = slices.Insert(out, at, pf.rev)
	}
	return out
}

// commit checks that the graph with the new revisions is valid, then writes them all or none.
func (p *Project) commit(revs []*Revision, pending []pendingFile) ([]string, error) {
	if _, err := NewGraph(withPending(revs, pending)); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var order []string
	for _, pf := range pending {
		files[pf.path] = pf.data
		order = append(order, pf.path)
	}
	if err := writeFiles(files, order); err != nil {
		return nil, err
	}
	return order, nil
}

// Dir is the application's migrations directory, relative to the working directory; its versions/schema holds
// the application's revision files.
const Dir = "migrations"

// InitDir creates the application's migrations directory with an empty versions/schema location. It refuses a
// migrations directory that exists and is not empty, and writes nothing then.
func InitDir(dir string) ([]string, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, errorf("Directory %s already exists and is not empty", dir)
	}
	versions := filepath.Join(dir, "versions", "schema")
	created := []string{dir, filepath.Join(dir, "versions"), versions}
	if err := os.MkdirAll(versions, 0o755); err != nil {
		return nil, fmt.Errorf("migration: %w", err)
	}
	readme := filepath.Join(dir, "README.md")
	if err := writeFiles(map[string][]byte{readme: []byte(migrationsReadme)}, []string{readme}); err != nil {
		return nil, err
	}
	return append(created, readme), nil
}

const migrationsReadme = `# Migrations

This directory holds the application's database revisions for wfo.

- ` + "`versions/schema/`" + ` is the application's version location. Its revision files (` + "`<date>_<rev>_<slug>.sql`" + `)
  form the ` + "`data`" + ` branch; the core's own revisions (branch ` + "`schema`" + `) are built into wfo.
- ` + "`wfo db revision -m MESSAGE`" + ` writes a new revision here; ` + "`wfo db upgrade heads`" + ` applies everything.

wfo needs nothing else here: no alembic.ini, env.py or template. The database comes from DATABASE_URI
(an embedded SQLite file ` + "`wfo.db`" + ` when it is unset).
`
