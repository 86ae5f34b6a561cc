package processcmd

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/workflow"
)

var statuses = []process.Status{process.Created, process.Running, process.Suspended, process.Waiting, process.AwaitingCallback,
	process.Aborted, process.Failed, process.APIUnavailable, process.InconsistentData, process.Completed, process.Resumed}

func newList(env *base.Env) *cobra.Command {
	var status, wfs []string
	var sub string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List processes, newest first.",
		Long: "List processes, newest first: id, workflow, status, last step, start time (UTC) and who started " +
			"them. --status and --workflow may be repeated (or comma-separated); the filters are combined.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := process.ListFilter{Workflows: wfs, Limit: limit}
			for _, s := range status {
				if !slices.Contains(statuses, process.Status(s)) {
					return fmt.Errorf("%w: --status %q is not a process status: use one of %s", base.ErrUsage, s, joinStatuses())
				}
				f.Statuses = append(f.Statuses, process.Status(s))
			}
			if sub != "" {
				id, err := parseID(sub, "--subscription")
				if err != nil {
					return err
				}
				f.Subscription = id
			}
			if limit < 0 {
				return fmt.Errorf("%w: --limit must be 0 (all) or more", base.ErrUsage)
			}
			r, err := open(cmd, env, false)
			if err != nil {
				return err
			}
			defer r.close()
			ps, total, err := r.eng.List(cmd.Context(), f)
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]*api.Process, 0, len(ps))
				for _, p := range ps {
					v, err := r.view(cmd.Context(), p, false)
					if err != nil {
						return err
					}
					out = append(out, v)
				}
				return writeJSON(env.Stdout, out)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "PROCESS\tWORKFLOW\tSTATUS\tLAST STEP\tSTARTED\tBY")
			for _, p := range ps {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Workflow, p.Status, p.LastStep, stamp(p.StartedAt), p.CreatedBy)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if len(ps) < total {
				fmt.Fprintf(env.Stdout, "(%d of %d processes; --limit 0 lists all)\n", len(ps), total)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&status, "status", nil, "only processes with this status ("+joinStatuses()+")")
	f.StringSliceVar(&wfs, "workflow", nil, "only processes of this workflow")
	f.StringVar(&sub, "subscription", "", "only processes linked to this subscription (by id)")
	f.IntVar(&limit, "limit", 50, "at most this many processes (0: all)")
	f.BoolVar(&asJSON, "json", false, "print the processes as JSON (the API's shape)")
	return cmd
}

func joinStatuses() string {
	s := make([]string, len(statuses))
	for i, st := range statuses {
		s[i] = string(st)
	}
	return strings.Join(s, ", ")
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

func newShow(env *base.Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a process: its status, steps with their times and state changes, and why it failed.",
		Args:  exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			pid, err := parseID(args[0], "ID")
			if err != nil {
				return err
			}
			r, err := open(cmd, env, false)
			if err != nil {
				return err
			}
			defer r.close()
			p, err := r.eng.Get(cmd.Context(), pid)
			if err != nil {
				return err
			}
			v, err := r.view(cmd.Context(), p, true)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Stdout, v)
			}
			return show(env.Stdout, p, v)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the process as JSON (the API's shape)")
	return cmd
}

func show(w io.Writer, p *process.Process, v *api.Process) error {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s:\t%s\n", k, v)
		}
	}
	row("Process", p.ID.String())
	row("Workflow", fmt.Sprintf("%s (%s)", p.Workflow, p.Target))
	row("Status", string(p.Status))
	row("Last step", p.LastStep)
	row("Assignee", string(p.Assignee))
	row("Created by", p.CreatedBy)
	row("Started", stamp(p.StartedAt))
	row("Modified", stamp(p.LastModifiedAt))
	for _, s := range v.Subscriptions {
		row("Subscription", fmt.Sprintf("%s %s (%s)", s.SubscriptionID, s.Description, s.Status))
	}
	row("Note", p.Note)
	row("Failed reason", p.FailedReason)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "Steps:")
	for i, s := range v.Steps {
		if s.Status == "pending" {
			fmt.Fprintf(w, "  %2d %-9s %s\n", i+1, s.Status, s.Name)
			continue
		}
		fmt.Fprintf(w, "  %2d %-9s %s  (%s, %s)\n", i+1, s.Status, s.Name, stamp(time.UnixMicro(int64(*s.Started*1e6))),
			time.Duration((*s.Completed-*s.Started)*float64(time.Second)).Round(time.Millisecond))
		for _, line := range deltaLines(s.StateDelta) {
			fmt.Fprintf(w, "       %s\n", line)
		}
	}
	if p.Traceback != "" {
		fmt.Fprintln(w, "Traceback:")
		for _, line := range strings.Split(strings.TrimRight(p.Traceback, "\n"), "\n") {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
	return nil
}

// deltaLines prints a state delta as "key: value" lines, sorted, values as compact JSON cut at 100 characters.
func deltaLines(d workflow.State) []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		val := workflow.State{"v": d[k]}.String()
		val = strings.TrimSuffix(strings.TrimPrefix(val, `{"v":`), "}")
		if r := []rune(val); len(r) > 100 {
			val = string(r[:97]) + "..."
		}
		out = append(out, fmt.Sprintf("%s: %s", k, val))
	}
	return out
}
