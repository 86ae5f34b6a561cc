// Package processcmd implements the "process" command group: start a workflow and follow its steps, list and show
// processes, resume, retry or abort one, and note on it. The work is the engine's (package process).
package processcmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

// Exit codes of the commands that run a process (start, resume, retry), besides 0 for completed.
const (
	// ExitFailed: the process failed, is waiting for a retry or was aborted.
	ExitFailed = 1
	// ExitSuspended: the process waits for input (suspended) or for a callback.
	ExitSuspended = 3
)

// New returns the process command group.
func New(env *base.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "process",
		Short: "Start workflows and follow, resume, retry or abort their processes.",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newStart(env), newList(env), newShow(env), newResume(env), newRetry(env), newAbort(env), newNote(env))
	return cmd
}

const exitHelp = "Exit status: 0 when the process completed; 1 when it failed, waits for a retry or was aborted (and on " +
	"errors); 3 when it is suspended, waiting for input (or for a callback)."

func newStart(env *base.Env) *cobra.Command {
	var product, sub, input, user string
	var detach, asJSON, interactive bool
	cmd := &cobra.Command{
		Use:   "start WORKFLOW",
		Short: "Start a workflow and follow its process until it completes, suspends or fails.",
		Long: "Start a workflow and follow its process until it completes, suspends or fails.\n\n" +
			"The input is the workflow's form, page by page, as a JSON list of objects (one per page, as the API " +
			"takes them) or one object; --input - reads it from standard input. --product NAME answers a create " +
			"workflow's first page (the product), --subscription ID the first page of a modify, terminate or " +
			"validate workflow. On a terminal, the fields of the pages not given are asked for one by one.\n\n" +
			"The process id is printed first; --detach returns at once and leaves the process to the engine's " +
			"workers (wfo serve).\n\n" + exitHelp,
		Args: exactArgs("WORKFLOW"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if product != "" && sub != "" {
				return fmt.Errorf("%w: --product and --subscription exclude each other", base.ErrUsage)
			}
			r, err := open(cmd, env, detach)
			if err != nil {
				return err
			}
			defer r.close()
			ctx := process.WithUser(cmd.Context(), user)
			wf, err := r.eng.Registry().Get(args[0])
			if err != nil {
				return fmt.Errorf("process: %w: %s (the workflows are listed by 'workflow list')", workflow.ErrUnknownWorkflow, args[0])
			}
			pages, err := readPages(env, input)
			if err != nil {
				return err
			}
			switch {
			case product != "":
				ps, err := r.subs.Products(ctx, product)
				if err != nil {
					return err
				}
				pages = append([]any{map[string]any{"product": ps[0].ProductID.String()}}, pages...)
			case sub != "":
				id, err := parseID(sub, "--subscription")
				if err != nil {
					return err
				}
				pages = append([]any{map[string]any{"subscription_id": id.String()}}, pages...)
			}
			fc := &workflow.FormContext{Context: ctx, DB: r.eng.DB(), State: workflow.State{}, Workflow: wf}
			pages, err = askMissing(env, fc, wf, pages, interactive || input != "-" && isTerminal(env.Stdin))
			if err != nil {
				return err
			}
			if err := r.unlocked(ctx); err != nil {
				return err
			}
			pid, err := r.eng.Start(ctx, wf.Name, pages...)
			if err != nil {
				return err
			}
			if !asJSON {
				fmt.Fprintf(env.Stdout, "Process %s started (%s)\n", pid, wf.Name)
			}
			if detach {
				if asJSON {
					return writeJSON(env.Stdout, map[string]string{"id": pid.String()})
				}
				return nil
			}
			return r.follow(ctx, env.Stdout, pid, asJSON)
		},
	}
	f := cmd.Flags()
	f.StringVar(&product, "product", "", "the product (by name) of a create workflow")
	f.StringVar(&sub, "subscription", "", "the subscription (by id) of a modify, terminate or validate workflow")
	f.StringVar(&input, "input", "", "the form's pages: a JSON list of objects or one object; - reads standard input")
	f.StringVar(&user, "user", process.DefaultUser, "the user starting the process (created_by, reporter)")
	f.BoolVar(&interactive, "interactive", false, "ask for the fields of the pages --input does not give, also when standard input is not a terminal")
	f.BoolVar(&detach, "detach", false, "return once the process is created, without following it")
	f.BoolVar(&asJSON, "json", false, "print the process as JSON (the API's shape) instead of its steps")
	return cmd
}

func newResume(env *base.Env) *cobra.Command {
	var input, user string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "resume ID",
		Short: "Resume a suspended process with input for its step's form, and follow it.",
		Long: "Resume a suspended process with input for the form of the step it waits in (--input as for start), " +
			"or a failed or waiting one (a retry), and follow it until it completes, suspends or fails.\n\n" + exitHelp,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return act(cmd, env, args[0], user, asJSON, func(ctx context.Context, r *runner, pid uuid.UUID) error {
				pages, err := readPages(env, input)
				if err != nil {
					return err
				}
				return r.eng.Resume(ctx, pid, pages...)
			})
		},
	}
	cmd.Flags().StringVar(&input, "input", "", "the form's pages: a JSON list of objects or one object; - reads standard input")
	cmd.Flags().StringVar(&user, "user", process.DefaultUser, "the user resuming the process")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the process as JSON (the API's shape) instead of its steps")
	return cmd
}

func newRetry(env *base.Env) *cobra.Command {
	var user string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "retry ID",
		Short: "Run a failed process's failed step again, and follow it.",
		Long: "Run the failed step of a failed (or waiting, api_unavailable, inconsistent_data) process again, from " +
			"the state before it, and follow the process until it completes, suspends or fails.\n\n" + exitHelp,
		Args: exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return act(cmd, env, args[0], user, asJSON, func(ctx context.Context, r *runner, pid uuid.UUID) error {
				return r.eng.Retry(ctx, pid)
			})
		},
	}
	cmd.Flags().StringVar(&user, "user", process.DefaultUser, "the user retrying the process")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the process as JSON (the API's shape) instead of its steps")
	return cmd
}

func newAbort(env *base.Env) *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "abort ID",
		Short: "Abort a process that has not completed.",
		Long: "Abort a process that has not completed: the step \"User Aborted\" is logged and the process becomes " +
			"aborted. A process running elsewhere stops before its next step.",
		Args: exactArgs("ID"),
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
			if err := r.eng.Abort(process.WithUser(cmd.Context(), user), pid); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "Process %s aborted\n", pid)
			return nil
		},
	}
	cmd.Flags().StringVar(&user, "user", process.DefaultUser, "the user aborting the process")
	return cmd
}

// act resumes or retries a process with do and follows it.
func act(cmd *cobra.Command, env *base.Env, id, user string, asJSON bool, do func(context.Context, *runner, uuid.UUID) error) error {
	pid, err := parseID(id, "ID")
	if err != nil {
		return err
	}
	r, err := open(cmd, env, false)
	if err != nil {
		return err
	}
	defer r.close()
	ctx := process.WithUser(cmd.Context(), user)
	before, err := r.eng.Get(ctx, pid)
	if err != nil {
		return err
	}
	if err := r.unlocked(ctx); err != nil {
		return err
	}
	if err := do(ctx, r, pid); err != nil {
		return err
	}
	r.printed = len(before.Steps)
	return r.follow(ctx, env.Stdout, pid, asJSON)
}

func exactArgs(name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return fmt.Errorf("%w: missing argument '%s'", base.ErrUsage, name)
		}
		return nil
	}
}

func parseID(s, what string) (uuid.UUID, error) {
	id, err := uuid.Parse(s)
	if err != nil {
		return uuid.Nil, fmt.Errorf("%w: %s %q is not a UUID", base.ErrUsage, what, s)
	}
	return id, nil
}

// readPages parses --input: a JSON list of page objects or one object; "-" reads standard input.
func readPages(env *base.Env, input string) ([]any, error) {
	if input == "" {
		return nil, nil
	}
	data := []byte(input)
	where := "--input"
	if input == "-" {
		var err error
		if data, err = io.ReadAll(env.Stdin); err != nil {
			return nil, fmt.Errorf("process: reading the input from standard input: %w", err)
		}
		where = "standard input"
	}
	return ParsePages(data, where)
}

// ParsePages parses form input: a JSON list of objects (one per page) or one object (one page).
func ParsePages(data []byte, where string) ([]any, error) {
	trimmed := strings.TrimSpace(string(data))
	if strings.HasPrefix(trimmed, "{") {
		trimmed = "[" + trimmed + "]"
	}
	var pages []map[string]any
	dec := json.NewDecoder(strings.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&pages); err != nil {
		return nil, fmt.Errorf("%w: %s is not a JSON list of objects (one per form page) or one object: %v", base.ErrUsage, where, err)
	}
	out := make([]any, len(pages))
	for i, p := range pages {
		if p == nil {
			p = map[string]any{}
		}
		out[i] = p
	}
	return out, nil
}

// runner is what a command works with: the database's engine and subscription store.
type runner struct {
	env     *base.Env
	eng     *process.Engine
	subs    *subscription.Store
	close   func()
	printed int
}

// open opens the database and the application's engine. detach makes an engine that only queues processes for the
// workers of a server; otherwise processes run in this command (synchronously with TESTING=true, the default).
func open(cmd *cobra.Command, env *base.Env, detach bool) (*runner, error) {
	db, err := env.OpenExistingDB(cmd.Context())
	if err != nil {
		return nil, err
	}
	if db == nil {
		return nil, errors.New("process: the database does not exist yet; run 'db upgrade heads' first")
	}
	s, err := env.Settings()
	if err != nil {
		db.Close()
		return nil, err
	}
	var opts []process.Option
	if detach {
		opts = append(opts, process.Synchronous(false), process.PollInterval(0))
	}
	eng, err := env.OpenEngine(db, s, opts...)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &runner{env: env, eng: eng, subs: subscription.New(db, env.DomainModel()), close: func() {
		eng.Close()
		db.Close()
	}}, nil
}

// unlocked refuses to start or resume processes while the engine is paused, as the API does: they would only
// wait for the unpause.
func (r *runner) unlocked(ctx context.Context) error {
	locked, err := r.eng.Locked(ctx)
	if err != nil {
		return err
	}
	if locked {
		return fmt.Errorf("process: %w: no process starts or resumes until 'engine unpause'", process.ErrPaused)
	}
	return nil
}

// follow prints the process's steps as they are logged until it comes to rest, then how it ended; asJSON prints
// the process in the API's shape instead. The error carries the exit code.
func (r *runner) follow(ctx context.Context, w io.Writer, pid uuid.UUID, asJSON bool) error {
	var p *process.Process
	for {
		var err error
		if p, err = r.eng.Get(ctx, pid); err != nil {
			return err
		}
		if !asJSON {
			for _, s := range p.Steps[min(r.printed, len(p.Steps)):] {
				fmt.Fprintf(w, "  %-9s %s\n", s.Status, s.Name)
			}
			r.printed = len(p.Steps)
		}
		if p.Status.Finished() {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("process: stopped following %s (%s): %w", pid, p.Status, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if asJSON {
		v, err := r.view(ctx, p, true)
		if err != nil {
			return err
		}
		if err := writeJSON(w, v); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(w, ending(p))
	}
	return exitFor(p.Status)
}

func ending(p *process.Process) string {
	switch p.Status {
	case process.Completed:
		return fmt.Sprintf("Process %s completed", p.ID)
	case process.Suspended:
		return fmt.Sprintf("Process %s is suspended at step %q: resume it with 'process resume %s --input ...'", p.ID, p.LastStep, p.ID)
	case process.Aborted:
		return fmt.Sprintf("Process %s was aborted", p.ID)
	case process.AwaitingCallback:
		return fmt.Sprintf("Process %s awaits a callback at step %q", p.ID, p.LastStep)
	}
	msg := fmt.Sprintf("Process %s %s at step %q", p.ID, p.Status, p.LastStep)
	if p.FailedReason != "" {
		msg += ": " + p.FailedReason
	}
	return msg + fmt.Sprintf("; 'process show %s' shows the traceback, 'process retry %s' runs the step again", p.ID, p.ID)
}

func exitFor(s process.Status) error {
	switch s {
	case process.Completed:
		return nil
	case process.Suspended, process.AwaitingCallback:
		return &base.ExitError{Code: ExitSuspended}
	}
	return &base.ExitError{Code: ExitFailed}
}

// view is the API's shape of a process.
func (r *runner) view(ctx context.Context, p *process.Process, detail bool) (*api.Process, error) {
	wf, _ := r.eng.Registry().Get(p.Workflow)
	var form json.RawMessage
	if detail && p.Status == process.Suspended {
		f, err := r.eng.NextForm(ctx, p.ID)
		if err == nil {
			if pages := workflow.Pages(f); len(pages) > 0 {
				form, _ = api.PageSchema(pages[0])
			}
		}
	}
	return api.ProcessView(ctx, p, r.subs, wf, detail, form)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// isTerminal reports whether r is a terminal (a character device), where fields may be asked for.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
