// Package wfo is the Workflow Orchestrator as a Go library. An application builds an App with its
// registrations (revisions, products, workflows and schedules); package cli runs the command line around it:
//
//	func main() {
//		cli.Main(wfo.New(wfo.WithName("myapp"), wfo.WithProducts(products), wfo.WithWorkflows(workflows...)))
//	}
//
// A program without a command line calls the App directly: Project for the migrations (package migration runs
// them), Engine for the workflow engine, Scheduler for the schedules.
package wfo

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/coremigration"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/schedule"
	"github.com/wfo-go/wfo/scheduler"
	"github.com/wfo-go/wfo/settings"
	"github.com/wfo-go/wfo/workflow"
)

// App is an orchestrator application: the core plus what the application registers.
type App struct {
	name        string
	dir         string
	goRevisions []*migration.Revision
	locations   []string
	noCore      bool
	products    *domain.Registry
	embedded    []*migration.Location
	desired     fs.FS
	// workflows: see workflows.go.
	workflows []*workflow.Workflow
	// schedules and schedulerOpts: see schedules.go.
	schedules     schedule.List
	schedulerOpts []scheduler.Option
	logger        *slog.Logger
	commands      []func() *cobra.Command
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

// WithDir sets the application's project directory, where its migrations directory (migrations/versions/schema,
// the desired schema) lives; relative paths of WithVersionLocations stay relative to the working directory. The
// default is the working directory.
func WithDir(dir string) Option { return func(a *App) { a.dir = dir } }

// MigrationsDir returns the application's migrations directory: migrations below WithDir's directory (relative
// to the working directory without it).
func (a *App) MigrationsDir() string { return filepath.Join(a.dir, migration.Dir) }

// WithVersionLocations adds on-disk version locations after migrations/versions/schema.
func WithVersionLocations(dirs ...string) Option {
	return func(a *App) { a.locations = append(a.locations, dirs...) }
}

// WithProducts registers the application's domain model: its product types, product blocks and product names
// (see package domain).
func WithProducts(r *domain.Registry) Option { return func(a *App) { a.products = r } }

// WithEmbeddedRevisions adds revision files embedded in the application's binary (for example with go:embed),
// at the root of fsys, shown to users as name. They are read-only: new revisions never go there.
func WithEmbeddedRevisions(fsys fs.FS, name string) Option {
	return func(a *App) { a.embedded = append(a.embedded, migration.EmbeddedLocation(fsys, name)) }
}

// WithDesiredSchema sets the application's desired schema for "db revision --autogenerate": fsys holds
// schema.sql, or schema.postgres.sql and schema.sqlite.sql where the dialects need different SQL (for example
// files embedded with go:embed). Without it, wfo reads them from the migrations directory.
func WithDesiredSchema(fsys fs.FS) Option { return func(a *App) { a.desired = fsys } }

// WithLogger sets the application's logger, used by the engine, the scheduler and the migrator. Without it, the
// command line logs text to its stderr at LOG_LEVEL, and Engine to os.Stderr.
func WithLogger(l *slog.Logger) Option { return func(a *App) { a.logger = l } }

// WithCommands adds the application's own commands to its command line (package cli), beside wfo's groups. Each
// function makes one cobra command (with sub-commands if it likes); it is called every time the command line is
// built. A command reads cmd.Context(), which SIGINT and SIGTERM cancel under cli.Main, and writes to
// cmd.OutOrStdout():
//
//	app := wfo.New(wfo.WithName("myapp"), wfo.WithCommands(func() *cobra.Command {
//		return &cobra.Command{Use: "hello", Short: "Say hello.", RunE: func(cmd *cobra.Command, _ []string) error {
//			_, err := fmt.Fprintln(cmd.OutOrStdout(), "hello")
//			return err
//		}}
//	}))
func WithCommands(cmds ...func() *cobra.Command) Option {
	return func(a *App) { a.commands = append(a.commands, cmds...) }
}

// Commands returns the makers of the application's own commands (WithCommands).
func (a *App) Commands() []func() *cobra.Command { return a.commands }

// ConfiguredLogger returns WithLogger's logger, nil when the application set none.
func (a *App) ConfiguredLogger() *slog.Logger { return a.logger }

// Logger returns the application's logger: WithLogger's, or one from LOG_LEVEL writing text to os.Stderr.
func (a *App) Logger(s settings.Settings) *slog.Logger {
	if a.logger != nil {
		return a.logger
	}
	return s.NewLogger(os.Stderr)
}

// WithoutCoreRevisions leaves out the core's embedded revisions (branch schema): for tools that manage a database
// without the orchestrator's schema, and for tests of the migration engine with a core of their own.
func WithoutCoreRevisions() Option { return func(a *App) { a.noCore = true } }

// New returns an application with the given registrations.
func New(opts ...Option) *App {
	a := &App{name: "wfo", schedules: schedule.Defaults()}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Name returns the program name (WithName; "wfo" by default).
func (a *App) Name() string { return a.name }

// DesiredSchema returns the desired-schema files of WithDesiredSchema, or nil when the application set none (the
// files are then read from the migrations directory).
func (a *App) DesiredSchema() fs.FS { return a.desired }

// Products returns the application's domain model registry (empty when it registered none).
func (a *App) Products() *domain.Registry {
	if a.products == nil {
		return domain.MustNewRegistry()
	}
	return a.products
}

// Project returns the application's revisions: migrations/versions/schema of MigrationsDir,
// the extra locations, the Go revisions, the application's embedded revisions, and the core's embedded
// revisions.
func (a *App) Project() *migration.Project {
	locs := []*migration.Location{migration.DirLocation(filepath.Join(a.MigrationsDir(), "versions", "schema"))}
	for _, d := range a.locations {
		locs = append(locs, migration.DirLocation(d))
	}
	locs = append(locs, a.embedded...)
	if !a.noCore {
		locs = append(locs, coremigration.Location())
	}
	return &migration.Project{Locations: locs, GoRevisions: a.goRevisions}
}

// OwnTables returns what keeps wfo's own tables (tracked apart from alembic_version) in line with the core's
// revisions after db upgrade or db downgrade; nil for an application without the core's revisions, which has none.
func (a *App) OwnTables() func(context.Context, *database.DB, io.Writer) error {
	if a.noCore {
		return nil
	}
	return coremigration.SyncOwn
}
