// Package enginecmd implements the "engine" command group: show the workflow engine's status, pause it (the
// global lock of engine_settings) and unpause it. The work is the engine's (package process).
package enginecmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/process"
)

// New returns the engine command group.
func New(env *base.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "engine",
		Short: "Show the workflow engine's status, pause or unpause it.",
		Long: "Show the workflow engine's status, pause or unpause it. The status is shared by every instance on the " +
			"database: RUNNING; PAUSING, locked while processes still run their current step; PAUSED, locked with " +
			"none running. While paused no process starts, resumes or takes a callback (the API answers 503); " +
			"aborts, notes and reads still work.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(
		newCommand(env, "status", "Show the engine's status: the global lock and the processes running.", "",
			func(context.Context, *process.Engine) error { return nil }),
		newCommand(env, "pause", "Pause the engine: running processes stop before their next step, none starts.",
			"Pause the engine on every instance: the global lock is set, running processes stop before their next step "+
				"(they become resumed, to be continued by the unpause), and nothing starts or resumes until then. The status "+
				"is PAUSING while processes still finish their current step, PAUSED after. Pausing a paused engine changes nothing.",
			func(ctx context.Context, eng *process.Engine) error { return eng.Pause(ctx) }),
		newCommand(env, "unpause", "Unpause the engine and continue the processes the pause stopped.",
			"Release the global lock and continue the processes the pause stopped: with TESTING=true (the default) this "+
				"command runs them to their end itself, one after the other; otherwise the workers of a running 'serve' pick "+
				"them up. Unpausing a running engine changes nothing.",
			func(ctx context.Context, eng *process.Engine) error { return eng.Unpause(ctx) }),
	)
	return cmd
}

// newCommand is a command that changes the engine's status with do (unless it is in that state already) and then
// prints the status.
func newCommand(env *base.Env, name, short, long string, do func(context.Context, *process.Engine) error) *cobra.Command {
	var asJSON bool
	if long == "" {
		long = short
	}
	cmd := &cobra.Command{
		Use:   name,
		Short: short,
		Long:  long + "\n\nThe status is printed as RUNNING, PAUSING or PAUSED with the number of running processes; --json prints the API's shape.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			db, err := env.OpenExistingDB(ctx)
			if err != nil {
				return err
			}
			if db == nil {
				return errors.New("engine: the database does not exist yet; run 'db upgrade heads' first")
			}
			defer db.Close()
			s, err := env.Settings()
			if err != nil {
				return err
			}
			// No polling: this command's engine runs no process it did not continue itself.
			eng, err := env.OpenEngine(db, s, process.PollInterval(0))
			if err != nil {
				return err
			}
			defer eng.Close()
			st, err := eng.Status(ctx)
			if err != nil {
				return err
			}
			if (name == "pause" && !st.GlobalLock) || (name == "unpause" && st.GlobalLock) {
				if err := do(ctx, eng); err != nil {
					return err
				}
				if st, err = eng.Status(ctx); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(env.Stdout, api.EngineStatusOf(st))
			}
			_, err = fmt.Fprintln(env.Stdout, describe(st))
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the status as JSON (the API's shape)")
	return cmd
}

func describe(st process.EngineStatus) string {
	running := fmt.Sprintf("%d processes running", st.RunningProcesses)
	if st.RunningProcesses == 1 {
		running = "1 process running"
	}
	switch st.String() {
	case "PAUSING":
		return fmt.Sprintf("PAUSING (global lock set; %s: each stops before its next step)", running)
	case "PAUSED":
		return "PAUSED (global lock set; no process running)"
	}
	return fmt.Sprintf("RUNNING (%s)", running)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
