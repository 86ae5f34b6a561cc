// Package wfo is the Workflow Orchestrator as a Go library. An application builds an App with its
// registrations (revisions, and later products, workflows and schedules) and hands it its command line:
//
//	func main() {
//		app := wfo.New(wfo.WithRevisions(myGoRevisions...))
//		os.Exit(app.Main(os.Args[1:]))
//	}
package wfo

import (
	"context"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/wfo-go/wfo/coremigration"
	"github.com/wfo-go/wfo/internal/cli"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/internal/cli/dbcmd"
	"github.com/wfo-go/wfo/migration"
)

// App is an orchestrator application: the core plus what the application registers.
type App struct {
	name        string
	goRevisions []*migration.Revision
	locations   []string
	noCore      bool
}

// Option configures an App.
type Option func(*App)

// WithName sets the program name shown in help and completion scripts (default "wfo").
func WithName(name string) Option { return func(a *App) { a.name = name } }

// WithRevisions registers revisions written in Go (data migrations that need code). They follow the same header
// fields and graph rules as revision files.
func WithRevisions(revs ...*migration.Revision) Option {
	return func(a *App) { a.goRevisions = append(a.goRevisions, revs...) }
}

// WithVersionLocations adds on-disk version locations after migrations/versions/schema.
func WithVersionLocations(dirs ...string) Option {
	return func(a *App) { a.locations = append(a.locations, dirs...) }
}

// WithoutCoreRevisions leaves out the core's embedded revisions (branch schema): for tools that manage a database
// without the orchestrator's schema, and for tests of the migration engine with a core of their own.
func WithoutCoreRevisions() Option { return func(a *App) { a.noCore = true } }

// New returns an application with the given registrations.
func New(opts ...Option) *App {
	a := &App{name: "wfo"}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Project returns the application's revisions, relative to the working directory: migrations/versions/schema,
// the extra locations, the Go revisions, and the core's embedded revisions.
func (a *App) Project() *migration.Project {
	locs := []*migration.Location{migration.DirLocation(filepath.Join(dbcmd.MigrationsDir, "versions", "schema"))}
	for _, d := range a.locations {
		locs = append(locs, migration.DirLocation(d))
	}
	if !a.noCore {
		locs = append(locs, migration.EmbeddedLocation(coreVersions(), "wfo:coremigration/versions"))
	}
	return &migration.Project{Locations: locs, GoRevisions: a.goRevisions}
}

func coreVersions() fs.FS {
	sub, err := fs.Sub(coremigration.Versions, "versions")
	if err != nil {
		panic(err) // the embedded directory is part of the binary
	}
	return sub
}

// Main runs the command line (without the program name) with the process's standard streams and environment,
// and returns the exit code. SIGINT and SIGTERM cancel the command's context.
func (a *App) Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Run(ctx, base.DefaultEnv(a.name, a.Project), args)
}

// Run runs the command line with an explicit environment, for tests and embedding.
func (a *App) Run(ctx context.Context, env *base.Env, args []string) int {
	if env.Project == nil {
		env.Project = a.Project
	}
	if env.Name == "" {
		env.Name = a.name
	}
	return cli.Run(ctx, env, args)
}
