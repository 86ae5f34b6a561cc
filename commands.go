package wfo

import (
	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/internal/cli/base"
)

// WithCommands adds the application's own commands to its command line, beside wfo's groups (db, process,
// subscription, workflow, serve, scheduler). Each function makes one command (a cobra command, with sub-commands
// if it likes); it is called every time the command line is built. A command reads cmd.Context(), which SIGINT and
// SIGTERM cancel, and writes to cmd.OutOrStdout():
//
//	app := wfo.New(wfo.WithCommands(func() *cobra.Command {
//		return &cobra.Command{Use: "hello", Short: "Say hello.", RunE: func(cmd *cobra.Command, _ []string) error {
//			_, err := fmt.Fprintln(cmd.OutOrStdout(), "hello")
//			return err
//		}}
//	}))
func WithCommands(cmds ...func() *cobra.Command) Option {
	return func(a *App) { a.commands = append(a.commands, cmds...) }
}

// wire gives the command line what the application registered besides revisions and schedules.
func (a *App) wire(env *base.Env) {
	if env.Engine == nil {
		env.Engine = a.Engine
	}
	if env.Commands == nil {
		env.Commands = a.commands
	}
}
