// Package base is the plumbing every wfo command group shares: the environment a command runs in (output
// writers, settings, the application's registrations), opening the database, and the errors that map to exit
// codes.
package base

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/scheduler"
	"github.com/wfo-go/wfo/settings"
	"github.com/wfo-go/wfo/tasks"
	"github.com/wfo-go/wfo/workflow"
)

// Env is what a command gets from the application that runs it.
type Env struct {
	// Name is the program's name, used in help and completion scripts.
	Name   string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Environ is the process environment (os.Environ()).
	Environ []string
	// MigrationsDir is the application's migrations directory ("db init", the desired schema). Empty means
	// migrations in the working directory.
	MigrationsDir string
	// Project returns the application's revisions: its migrations directory, its Go revisions and the core's.
	Project func() *migration.Project
	// Workflows returns the application's workflows and the core's built-ins, configured by the settings. Nil
	// means the core's built-ins only.
	Workflows func(s settings.Settings) (*workflow.Registry, error)
	// Products returns the application's domain model. Nil means none: no products.
	Products func() *domain.Registry
	// Scheduler returns the application's scheduler on db (nil when the SQLite database does not exist yet), with
	// the settings and the command's options (logger, time zone). Nil means the core's default schedules.
	Scheduler func(db *database.DB, s settings.Settings, opts ...scheduler.Option) (*scheduler.Scheduler, error)
	// OwnTables brings wfo's own tables (tracked apart from alembic_version) in line after db upgrade or
	// downgrade, writing progress lines to progress. Nil means the application has none.
	OwnTables func(ctx context.Context, db *database.DB, progress io.Writer) error
	// DesiredSchema holds the application's desired-state SQL (schema.sql, schema.<dialect>.sql) when it is
	// built into the binary; nil means the files in the migrations directory.
	DesiredSchema fs.FS
	// Logger is the one logger of the command: the scheduler, the workflow engine and the migrator log through it.
	// Nil means one made on first use (Log) from LOG_LEVEL, writing text to Stderr.
	Logger *slog.Logger
	// Engine returns the application's workflow engine on db, with the settings and the command's options. Nil
	// means an engine for the core's built-in workflows without a domain model.
	Engine func(db *database.DB, s settings.Settings, opts ...process.Option) (*process.Engine, error)
	// Commands make the application's own commands, added beside wfo's.
	Commands []func() *cobra.Command
}

// ExitError ends a command with an exit code of its own (after printing Err, when there is one, as a failure).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// OpenEngine returns the application's engine on db, its workers started (as App.Engine does), logging to the
// command's logger unless opts say otherwise.
func (e *Env) OpenEngine(db *database.DB, s settings.Settings, opts ...process.Option) (*process.Engine, error) {
	opts = append([]process.Option{process.WithLogger(e.Log())}, opts...)
	if e.Engine != nil {
		return e.Engine(db, s, opts...)
	}
	reg, err := e.WorkflowRegistry(s)
	if err != nil {
		return nil, err
	}
	eng := process.New(db, reg, append([]process.Option{process.WithSettings(s)}, opts...)...)
	eng.StartWorkers()
	return eng, nil
}

// WorkflowRegistry returns the application's workflows and the core's built-ins.
func (e *Env) WorkflowRegistry(s settings.Settings) (*workflow.Registry, error) {
	if e.Workflows != nil {
		return e.Workflows(s)
	}
	return workflow.NewRegistry(tasks.Workflows(s)...)
}

// DomainModel returns the application's domain model, an empty one when it has none.
func (e *Env) DomainModel() *domain.Registry {
	if e.Products != nil {
		if r := e.Products(); r != nil {
			return r
		}
	}
	return domain.MustNewRegistry()
}

// Log returns the command's logger, making it from LOG_LEVEL on first use.
func (e *Env) Log() *slog.Logger {
	if e.Logger == nil {
		s, _ := e.Settings() // a bad setting is reported by the command that reads it
		e.Logger = s.NewLogger(e.Stderr)
	}
	return e.Logger
}

// The errors the CLI maps to exit codes (package cli, Run): ErrUsage exits 2, ErrInterrupted 130, any other
// error 1.
var (
	// ErrUsage marks a wrong command line.
	ErrUsage = errors.New("usage")
	// ErrInterrupted: the command was stopped by a signal before it could finish; it has said so.
	ErrInterrupted = errors.New("interrupted")
)

// Migrations returns the application's migrations directory.
func (e *Env) Migrations() string {
	if e.MigrationsDir == "" {
		return migration.Dir
	}
	return e.MigrationsDir
}

// Settings reads the settings from the environment.
func (e *Env) Settings() (settings.Settings, error) { return settings.Load(e.Environ) }

// DatabaseLocation parses DATABASE_URI.
func (e *Env) DatabaseLocation() (database.Location, error) {
	s, err := e.Settings()
	if err != nil {
		return database.Location{}, err
	}
	return database.ParseURI(s.DatabaseURI)
}

// OpenDB opens the database of DATABASE_URI. When it is unset and the embedded SQLite file does not exist yet,
// it says so on stderr before creating it.
func (e *Env) OpenDB(ctx context.Context) (*database.DB, error) {
	loc, err := e.DatabaseLocation()
	if err != nil {
		return nil, err
	}
	if loc.Default && !loc.Exists() {
		abs, _ := filepath.Abs(loc.Path)
		fmt.Fprintf(e.Stderr, "DATABASE_URI is not set: using the embedded SQLite database %s\n", abs)
	}
	return database.Open(ctx, loc)
}

// OpenExistingDB opens the database for reading, or returns nil when it is an SQLite file that does not exist
// (so read-only commands never create one).
func (e *Env) OpenExistingDB(ctx context.Context) (*database.DB, error) {
	loc, err := e.DatabaseLocation()
	if err != nil {
		return nil, err
	}
	if !loc.Exists() {
		return nil, nil
	}
	return database.Open(ctx, loc)
}

// DefaultEnv is the environment of a process: its standard streams and environment.
func DefaultEnv(name string, project func() *migration.Project) *Env {
	return &Env{Name: name, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Environ: os.Environ(), Project: project}
}
