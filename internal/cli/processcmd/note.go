package processcmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/process"
)

func newNote(env *base.Env) *cobra.Command {
	var clear, asJSON bool
	cmd := &cobra.Command{
		Use:   "note ID [TEXT]",
		Short: "Set or remove a process's note.",
		Long: fmt.Sprintf("Set the note of a process (processes.note, at most %d characters), or remove it with --clear. "+
			"An empty note removes it too. The process's status is not touched; this works also while the engine is paused.", process.MaxNote),
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				return fmt.Errorf("%w: missing argument 'ID'", base.ErrUsage)
			case clear && len(args) > 1:
				return fmt.Errorf("%w: --clear takes no TEXT", base.ErrUsage)
			case !clear && len(args) != 2:
				return fmt.Errorf("%w: give the note as one argument TEXT (quote it), or --clear to remove it", base.ErrUsage)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			pid, err := parseID(args[0], "ID")
			if err != nil {
				return err
			}
			var note *string
			if !clear {
				note = &args[1]
			}
			r, err := open(cmd, env, false)
			if err != nil {
				return err
			}
			defer r.close()
			if err := r.eng.SetNote(cmd.Context(), pid, note); err != nil {
				return err
			}
			p, err := r.eng.Get(cmd.Context(), pid)
			if err != nil {
				return err
			}
			if asJSON {
				v, err := r.view(cmd.Context(), p, true)
				if err != nil {
					return err
				}
				return writeJSON(env.Stdout, v)
			}
			if p.Note == "" {
				fmt.Fprintf(env.Stdout, "Process %s has no note\n", pid)
				return nil
			}
			fmt.Fprintf(env.Stdout, "Process %s note: %s\n", pid, p.Note)
			return nil
		},
	}
	cmd.Flags().BoolVar(&clear, "clear", false, "remove the note")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the process as JSON (the API's shape)")
	return cmd
}
