// Package cli is wfo's command line for an application: the command tree (db, generate, process, subscription,
// workflow, serve, scheduler and the application's own commands) built around a *wfo.App, its completion options,
// error messages and exit codes. An application's main is one call:
//
//	func main() {
//		cli.Main(wfo.New(wfo.WithName("myapp"), wfo.WithProducts(products), wfo.WithWorkflows(workflows...)))
//	}
//
// Package wfo, the library, does not depend on this package: a program that only runs workflows or migrations
// calls the library and leaves the command line out.
package cli

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo"
	internalcli "github.com/wfo-go/wfo/internal/cli"
	"github.com/wfo-go/wfo/internal/cli/base"
)

// Exit codes of Run and Main.
const (
	// ExitOK: the command succeeded.
	ExitOK = 0
	// ExitFailure: the command failed; it printed "FAILED: <reason>" on stderr.
	ExitFailure = 1
	// ExitUsage: the command line was wrong; the error and a pointer to --help are on stderr.
	ExitUsage = 2
	// ExitInterrupted: SIGINT or SIGTERM stopped the command before it finished (128 + SIGINT, as shells report it).
	ExitInterrupted = 130
)

// Option configures the command line around an application.
type Option func(*config)

type config struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	environ        []string
}

// WithIO sets the command line's standard input, output and error (default: the process's). A nil one keeps the
// default.
func WithIO(stdin io.Reader, stdout, stderr io.Writer) Option {
	return func(c *config) {
		if stdin != nil {
			c.stdin = stdin
		}
		if stdout != nil {
			c.stdout = stdout
		}
		if stderr != nil {
			c.stderr = stderr
		}
	}
}

// WithEnviron sets the environment the command line reads its settings from (DATABASE_URI, LOG_LEVEL, ...), in
// os.Environ's form (default: os.Environ()).
func WithEnviron(environ []string) Option {
	return func(c *config) { c.environ = environ }
}

// Main runs the application's command line with the process's arguments, standard streams and environment, and
// exits the process with the command's exit code. SIGINT and SIGTERM cancel the command's context.
func Main(app *wfo.App, opts ...Option) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Run(ctx, app, os.Args[1:], opts...)
	stop()
	os.Exit(code)
}

// Run runs the command line args (without the program name) for the application and returns the exit code
// (ExitOK, ExitFailure, ExitUsage or ExitInterrupted). Cancelling ctx stops the command.
func Run(ctx context.Context, app *wfo.App, args []string, opts ...Option) int {
	return internalcli.Run(ctx, newEnv(app, opts), args)
}

// Command returns the application's command tree, for a program that puts it inside a command line of its own.
// It does not handle the top-level --install-completion and --show-completion options, and its errors are the
// command's, not mapped to exit codes: that is what Run adds.
func Command(app *wfo.App, opts ...Option) *cobra.Command {
	return internalcli.NewRoot(newEnv(app, opts))
}

// newEnv is the environment of the command tree: the application's registrations and the streams.
func newEnv(app *wfo.App, opts []Option) *base.Env {
	c := &config{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	for _, o := range opts {
		o(c)
	}
	if c.environ == nil {
		c.environ = os.Environ()
	}
	return &base.Env{
		Name:          app.Name(),
		Stdin:         c.stdin,
		Stdout:        c.stdout,
		Stderr:        c.stderr,
		Environ:       c.environ,
		MigrationsDir: app.MigrationsDir(),
		Project:       app.Project,
		Workflows:     app.Workflows,
		Products:      app.Products,
		Scheduler:     app.Scheduler,
		OwnTables:     app.OwnTables(),
		Engine:        app.Engine,
		DesiredSchema: app.DesiredSchema(),
		Commands:      app.Commands(),
		Logger:        app.ConfiguredLogger(), // nil: one from LOG_LEVEL on the command line's stderr
	}
}
