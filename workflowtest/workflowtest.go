// Package workflowtest runs workflows inside go test: a fresh database with the core schema (and the
// application's revisions), the workflows registered in code and in the database, and a synchronous engine.
//
//	func TestCreateNode(t *testing.T) {
//		h := workflowtest.New(t, workflowtest.Workflows(mynodes.CreateNode))
//		p := h.Run("create_node", map[string]any{"node_name": "ams01"})
//		h.RequireStatus(p, process.Completed)
//		require.Equal(t, "ams01", p.State["node_name"])
//	}
//
// By default the database is an SQLite file in t.TempDir(); DatabaseURI selects another (a fresh PostgreSQL
// database, say).
package workflowtest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/catalogue"
	"github.com/wfo-go/wfo/coremigration"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/workflow"
)

// Harness is a database, a registry and an engine for one test.
type Harness struct {
	T        testing.TB
	DB       *database.DB
	Registry *workflow.Registry
	Engine   *process.Engine
	// Timeout bounds Run and Resume with an asynchronous engine (default one minute).
	Timeout time.Duration
}

type config struct {
	uri         string
	workflows   []*workflow.Workflow
	locations   []*migration.Location
	goRevisions []*migration.Revision
	engineOpts  []process.Option
	products    *domain.Registry
	noRegister  bool
	// moduleRevisions: see ModuleRevisions.
	moduleRevisions bool
}

// Option configures a Harness.
type Option func(*config)

// DatabaseURI uses the database of uri (a DATABASE_URI) instead of a fresh SQLite file. It must be empty or
// hold the core schema already.
func DatabaseURI(uri string) Option { return func(c *config) { c.uri = uri } }

// Workflows registers workflows besides the core's built-ins (which the test registers itself when it wants
// them, e.g. with tasks.Workflows).
func Workflows(wfs ...*workflow.Workflow) Option {
	return func(c *config) { c.workflows = append(c.workflows, wfs...) }
}

// VersionDirs applies the revisions in these directories (the application's migrations/versions/schema) after
// the core schema.
func VersionDirs(dirs ...string) Option {
	return func(c *config) {
		for _, d := range dirs {
			c.locations = append(c.locations, migration.DirLocation(d))
		}
	}
}

// ModuleRevisions applies the revisions of the Go module the test runs in (migrations/versions/schema under the
// folder of its go.mod, found from the working directory up) after the core schema: an application's tests use
// its catalogue rows wherever in the module they are.
func ModuleRevisions() Option { return func(c *config) { c.moduleRevisions = true } }

// moduleVersionDir finds migrations/versions/schema of the module that contains the working directory.
func moduleVersionDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "migrations", "versions", "schema"), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod in %s or above", dir)
		}
	}
}

// EmbeddedRevisions applies the revision files at the root of fsys (an application's embedded revisions, shown
// as name) after the core schema.
func EmbeddedRevisions(fsys fs.FS, name string) Option {
	return func(c *config) { c.locations = append(c.locations, migration.EmbeddedLocation(fsys, name)) }
}

// Products gives the engine the application's domain model (process.WithProducts): steps save the subscription
// models they return, and the standard steps of package wrapper work on them.
func Products(reg *domain.Registry) Option { return func(c *config) { c.products = reg } }

// Revisions applies revisions written in Go after the core schema.
func Revisions(revs ...*migration.Revision) Option {
	return func(c *config) { c.goRevisions = append(c.goRevisions, revs...) }
}

// EngineOptions passes options to the engine (it is synchronous unless they say otherwise).
func EngineOptions(opts ...process.Option) Option {
	return func(c *config) { c.engineOpts = append(c.engineOpts, opts...) }
}

// WithoutDatabaseRows leaves the workflows table as the revisions made it. By default every registered workflow
// without a row gets one (target, description and is_task from its declaration), so a test need not write the
// revision db migrate-workflows would.
func WithoutDatabaseRows() Option { return func(c *config) { c.noRegister = true } }

// New builds a harness: it opens (or creates) the database, upgrades it to heads, registers the workflows and
// starts an engine, all closed when the test ends.
func New(t testing.TB, opts ...Option) *Harness {
	t.Helper()
	var c config
	for _, o := range opts {
		o(&c)
	}
	if c.moduleRevisions {
		dir, err := moduleVersionDir()
		if err != nil {
			t.Fatalf("workflowtest: %v", err)
		}
		c.locations = append(c.locations, migration.DirLocation(dir))
	}
	db := OpenDB(t, c.uri, c.locations, c.goRevisions)
	reg, err := workflow.NewRegistry(c.workflows...)
	if err != nil {
		t.Fatalf("workflowtest: %v", err)
	}
	if !c.noRegister {
		if err := RegisterWorkflows(context.Background(), db, reg.All()...); err != nil {
			t.Fatalf("workflowtest: %v", err)
		}
	}
	engineOpts := []process.Option{process.Synchronous(true)}
	if c.products != nil {
		engineOpts = append(engineOpts, process.WithProducts(c.products))
	}
	engine := process.New(db, reg, append(engineOpts, c.engineOpts...)...)
	engine.StartWorkers()
	t.Cleanup(func() { engine.Close() })
	return &Harness{T: t, DB: db, Registry: reg, Engine: engine, Timeout: time.Minute}
}

// OpenDB opens the database of uri (a fresh SQLite file in t.TempDir() when empty) and upgrades it to heads: the
// core schema and then the revisions in locations and goRevisions. It is closed when the test ends.
func OpenDB(t testing.TB, uri string, locations []*migration.Location, goRevisions []*migration.Revision) *database.DB {
	t.Helper()
	if uri == "" {
		uri = "sqlite:///" + t.TempDir() + "/wfo.db"
	}
	loc, err := database.ParseURI(uri)
	if err != nil {
		t.Fatalf("workflowtest: %v", err)
	}
	ctx := context.Background()
	db, err := database.Open(ctx, loc)
	if err != nil {
		t.Fatalf("workflowtest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	project := &migration.Project{
		Locations:   append(append([]*migration.Location{}, locations...), coremigration.Location()),
		GoRevisions: goRevisions,
	}
	g, err := project.Graph()
	if err != nil {
		t.Fatalf("workflowtest: %v", err)
	}
	if err := (&migration.Migrator{DB: db, Graph: g}).Upgrade(ctx, "heads"); err != nil {
		t.Fatalf("workflowtest: upgrading %s: %v", loc.Redacted, err)
	}
	if err := coremigration.SyncOwn(ctx, db, nil); err != nil {
		t.Fatalf("workflowtest: upgrading %s: %v", loc.Redacted, err)
	}
	return db
}

// RegisterWorkflows inserts a workflows row for each workflow that has none, as a revision of db
// migrate-workflows would (without product links).
func RegisterWorkflows(ctx context.Context, db *database.DB, wfs ...*workflow.Workflow) error {
	rows := make([]catalogue.Workflow, len(wfs))
	for i, w := range wfs {
		rows[i] = catalogue.Workflow{Name: w.Name, Target: string(w.Target), Description: w.Description, IsTask: w.IsTask}
	}
	return catalogue.New(db).AddWorkflows(ctx, rows...)
}

// Run starts the workflow with the input pages, waits until the process is at rest, and returns it. A failure to
// start (invalid input, say) fails the test; see Start to test that.
func (h *Harness) Run(name string, pages ...any) *process.Process {
	h.T.Helper()
	pid, err := h.Start(name, pages...)
	if err != nil {
		h.T.Fatalf("workflowtest: starting %s: %v", name, err)
	}
	return h.Get(pid)
}

// Start starts the workflow and returns the process id or the error of Start.
func (h *Harness) Start(name string, pages ...any) (uuid.UUID, error) {
	return h.Engine.Start(context.Background(), name, pages...)
}

// Resume resumes the process with the input pages, waits until it is at rest, and returns it.
func (h *Harness) Resume(pid uuid.UUID, pages ...any) *process.Process {
	h.T.Helper()
	if err := h.Engine.Resume(context.Background(), pid, pages...); err != nil {
		h.T.Fatalf("workflowtest: resuming %s: %v", pid, err)
	}
	return h.Get(pid)
}

// Get returns the process; with an asynchronous engine it first waits until the process is at rest.
func (h *Harness) Get(pid uuid.UUID) *process.Process {
	h.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
	defer cancel()
	wait := h.Engine.Wait
	if h.Engine.Synchronous() {
		wait = h.Engine.Get
	}
	p, err := wait(ctx, pid)
	if err != nil {
		h.T.Fatalf("workflowtest: %v", err)
	}
	return p
}

// RequireStatus fails the test unless the process has the status; the message shows its last step, failure
// reason and traceback.
func (h *Harness) RequireStatus(p *process.Process, want process.Status) {
	h.T.Helper()
	if p.Status != want {
		h.T.Fatalf("workflowtest: process %s of %s is %s, want %s (last step %q)\nreason: %s\n%s", p.ID, p.Workflow, p.Status, want, p.LastStep, p.FailedReason, p.Traceback)
	}
}
