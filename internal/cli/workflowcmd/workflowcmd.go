// Package workflowcmd implements the "workflow" command group: list the workflows and tasks an application runs,
// and print a workflow's form as JSON Schema, page by page.
package workflowcmd

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

// New returns the workflow command group.
func New(env *base.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "workflow",
		Short: "List workflows and tasks, and show their forms.",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newList(env), newForm(env))
	return cmd
}

func registry(env *base.Env) (*workflow.Registry, error) {
	s, err := env.Settings()
	if err != nil {
		return nil, err
	}
	return env.WorkflowRegistry(s)
}

// listed is a workflow as the list shows it.
type listed struct {
	Name        string   `json:"name"`
	Target      string   `json:"target"`
	IsTask      bool     `json:"is_task"`
	Description string   `json:"description"`
	InDatabase  bool     `json:"in_database"`
	Products    []string `json:"products"`
}

func newList(env *base.Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the registered workflows and tasks, with the products they are linked to.",
		Long: "List the workflows and tasks the application registers (with the core's), by name: target, whether " +
			"it is a task, its description, and from the database whether it has its row there (it cannot run " +
			"without one: add it with a revision, e.g. from db migrate-workflows) and the products it is linked to.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			reg, err := registry(env)
			if err != nil {
				return err
			}
			rows := map[string]bool{}
			products := map[string][]string{}
			db, err := env.OpenExistingDB(cmd.Context())
			if err != nil {
				return err
			}
			if db != nil {
				defer db.Close()
				store := subscription.New(db, env.DomainModel())
				ws, err := store.Workflows(cmd.Context())
				if err != nil {
					return err
				}
				for _, w := range ws {
					rows[w.Name] = w.DeletedAt == nil
				}
				ps, err := store.ProductDetails(cmd.Context())
				if err != nil {
					return err
				}
				for _, p := range ps {
					for _, w := range p.Workflows {
						products[w.Name] = append(products[w.Name], p.Name)
					}
				}
			}
			var out []listed
			for _, wf := range reg.All() {
				ps := products[wf.Name]
				if ps == nil {
					ps = []string{}
				}
				out = append(out, listed{Name: wf.Name, Target: string(wf.Target), IsTask: wf.IsTask, Description: wf.Description,
					InDatabase: rows[wf.Name], Products: ps})
			}
			if asJSON {
				return writeJSON(env.Stdout, out)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tTARGET\tTASK\tIN DATABASE\tPRODUCTS\tDESCRIPTION")
			for _, l := range out {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", l.Name, l.Target, yes(l.IsTask), yes(l.InDatabase), len(l.Products), l.Description)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the workflows as JSON")
	return cmd
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func newForm(env *base.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "form NAME",
		Short: "Print a workflow's initial form as a JSON list of page schemas (JSON Schema), as the API sends them.",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("%w: missing argument 'NAME'", base.ErrUsage)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := registry(env)
			if err != nil {
				return err
			}
			wf, err := reg.Get(args[0])
			if err != nil {
				return fmt.Errorf("workflow: %w: %s (the workflows are listed by 'workflow list')", workflow.ErrUnknownWorkflow, args[0])
			}
			var pages []json.RawMessage
			for _, p := range workflow.Pages(wf.InitialForm()) {
				s, err := api.PageSchema(p)
				if err != nil {
					return err
				}
				pages = append(pages, s)
			}
			return writeJSON(env.Stdout, pages)
		},
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
