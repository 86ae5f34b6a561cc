// Package schedulercmd implements the "scheduler" command group: run the schedules at their times, force some to
// run now, and show the plan. The work is package scheduler's.
package schedulercmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // WFO_TIMEZONE works where the system has no zone database (scratch and distroless images)

	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/schedule"
	"github.com/wfo-go/wfo/scheduler"
	"github.com/wfo-go/wfo/settings"
)

// New returns the scheduler command group.
func New(env *base.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "scheduler",
		Short: "Access all the scheduler functions.",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newRun(env), newForce(env), newShowSchedule(env))
	return cmd
}

func newRun(env *base.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Loop eternally and run schedulers at configured times.",
		Long: "Loop eternally and run schedulers at configured times.\n\n" +
			"Each schedule runs at its time; a job that fails or panics is logged and the loop goes on. SIGINT or " +
			"SIGTERM stops the loop once the running job has finished (a second one stops at once). A run that came " +
			"due while no scheduler was running runs once at start, not once per missed period.\n\n" +
			"Any number of schedulers may run on one PostgreSQL database: one leads and runs the jobs, the others " +
			"stand by and take over when it stops. On SQLite only one scheduler runs per database file.\n\n" +
			"Times are in WFO_TIMEZONE (default UTC).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			// A stop asked for while the scheduler is still connecting or checking the database is a clean stop,
			// not a failure: nothing had started.
			early := func(err error) error {
				if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
					env.Log().Info("scheduler stopped before it started")
					return nil
				}
				return err
			}
			sch, closeAll, err := open(cmd, env, false)
			if err != nil {
				return early(err)
			}
			defer closeAll()
			// After the first signal the job under way may still take long: a second one stops at once, without
			// waiting for it.
			res := make(chan error, 1)
			go func() { res <- sch.Run(ctx) }()
			select {
			case err := <-res:
				return early(err)
			case <-ctx.Done():
			}
			again := make(chan os.Signal, 1)
			signal.Notify(again, os.Interrupt, syscall.SIGTERM)
			defer signal.Stop(again)
			select {
			case err := <-res:
				return early(err)
			case <-again:
				fmt.Fprintln(env.Stderr, "Interrupted again: stopping without waiting for the running job.")
				return base.ErrInterrupted
			}
		},
	}
}

func newForce(env *base.Env) *cobra.Command {
	return &cobra.Command{
		Use:   "force KEYWORD",
		Short: "Force the execution of (a) scheduler(s) based on a keyword.",
		Long: "Force the execution of (a) scheduler(s) based on a keyword.\n\n" +
			"Runs now, one after the other, every schedule whose name or task (workflow or function name) contains " +
			"KEYWORD, case-sensitively; \"\" runs them all. Prints how each ended and exits 1 if any failed or if none " +
			"matched. Planned runs are not changed.",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("%w: missing argument 'KEYWORD'", base.ErrUsage)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			sch, closeAll, err := open(cmd, env, false)
			if err != nil {
				return err
			}
			defer closeAll()
			_, err = sch.Force(cmd.Context(), args[0], func(r scheduler.Result) {
				switch r.Status {
				case "":
					fmt.Fprintf(env.Stdout, "Running %s: %s\n", r.Schedule.Name, r.Schedule.Run)
				case scheduler.Succeeded:
					fmt.Fprintf(env.Stdout, "%s: succeeded in %s\n", r.Schedule.Name, r.Duration().Round(time.Millisecond))
				default:
					fmt.Fprintf(env.Stdout, "%s: %s: %v\n", r.Schedule.Name, r.Status, r.Err)
				}
			})
			if errors.Is(err, scheduler.ErrNoMatch) {
				fmt.Fprintf(env.Stderr, "No schedule's name or task contains %q (matching is case-sensitive). The schedules are:\n", args[0])
				for _, s := range sch.Schedules() {
					fmt.Fprintf(env.Stderr, "  %s: %s\n", s.Name, s.Run)
				}
			}
			return err
		},
	}
}

func newShowSchedule(env *base.Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show-schedule",
		Short: "Show the currently configured schedule.",
		Long: "Show the currently configured schedule.\n\n" +
			"Lists every schedule with what it runs, its rule and its next run, sorted by next run and then name. " +
			"Next runs are those a running scheduler planned (kept in the database); for a schedule no scheduler has " +
			"planned yet, the one a scheduler started now would plan. Times are in WFO_TIMEZONE (default UTC).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sch, closeAll, err := open(cmd, env, true)
			if err != nil {
				return err
			}
			defer closeAll()
			entries, err := sch.Plan(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Stdout, entries, sch.Location())
			}
			return writeTable(env.Stdout, entries, sch.Location())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "Print the schedules as a JSON list, for scripts")
	return cmd
}

func writeTable(w io.Writer, entries []scheduler.Entry, loc *time.Location) error {
	if len(entries) == 0 {
		_, err := fmt.Fprintln(w, "No schedules.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tRUNS\tRULE\tNEXT RUN")
	for _, e := range entries {
		next := e.Next.In(loc).Format("2006-01-02 15:04:05 MST")
		if e.Overdue {
			next += " (overdue: runs when a scheduler starts)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Schedule.Name, e.Schedule.Run, e.Schedule.When, next)
	}
	return tw.Flush()
}

type jsonEntry struct {
	Name             string   `json:"name"`
	Runs             jsonRuns `json:"runs"`
	Rule             string   `json:"rule"`
	NextRun          string   `json:"next_run"`
	Overdue          bool     `json:"overdue"`
	SkipIfUnfinished bool     `json:"skip_if_unfinished"`
	LastRun          *jsonRun `json:"last_run,omitempty"`
}

type jsonRuns struct {
	Workflow string           `json:"workflow,omitempty"`
	Input    []map[string]any `json:"input,omitempty"`
	Func     string           `json:"func,omitempty"`
}

type jsonRun struct {
	Started  string `json:"started"`
	Finished string `json:"finished,omitempty"`
	Status   string `json:"status"`
	Error    string `json:"error,omitempty"`
}

func writeJSON(w io.Writer, entries []scheduler.Entry, loc *time.Location) error {
	out := make([]jsonEntry, 0, len(entries))
	for _, e := range entries {
		j := jsonEntry{Name: e.Schedule.Name, Rule: e.Schedule.When.String(), NextRun: e.Next.In(loc).Format(time.RFC3339),
			Overdue: e.Overdue, SkipIfUnfinished: e.Schedule.SkipIfUnfinished}
		if name, input, ok := e.Schedule.Run.Workflow(); ok {
			j.Runs = jsonRuns{Workflow: name, Input: input}
		} else {
			j.Runs = jsonRuns{Func: e.Schedule.Run.Name()}
		}
		if !e.Last.Started.IsZero() {
			j.LastRun = &jsonRun{Started: e.Last.Started.In(loc).Format(time.RFC3339), Status: string(e.Last.Status)}
			if !e.Last.Finished.IsZero() {
				j.LastRun.Finished = e.Last.Finished.In(loc).Format(time.RFC3339)
			}
			if e.Last.Err != nil {
				j.LastRun.Error = e.Last.Err.Error()
			}
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// open reads the settings, opens the database (for show-schedule only when it exists) and builds the
// application's scheduler with a logger on stderr and the configured time zone. The returned function closes
// what it opened.
func open(cmd *cobra.Command, env *base.Env, existingOnly bool) (*scheduler.Scheduler, func(), error) {
	s, err := env.Settings()
	if err != nil {
		return nil, nil, err
	}
	zone := strings.TrimSpace(s.Timezone)
	if zone == "" {
		zone = "UTC"
	}
	loc, err := time.LoadLocation(zone)
	if err != nil || strings.EqualFold(zone, "local") {
		return nil, nil, fmt.Errorf("settings: WFO_TIMEZONE=%q is not a time zone: use an IANA name such as UTC or Europe/Amsterdam", s.Timezone)
	}
	var db *database.DB
	if existingOnly {
		db, err = env.OpenExistingDB(cmd.Context())
	} else {
		db, err = env.OpenDB(cmd.Context())
	}
	if err != nil {
		return nil, nil, err
	}
	build := env.Scheduler
	if build == nil {
		build = func(db *database.DB, _ settings.Settings, opts ...scheduler.Option) (*scheduler.Scheduler, error) {
			return scheduler.New(db, schedule.Defaults(), opts...)
		}
	}
	sch, err := build(db, s, scheduler.WithLogger(env.Log()), scheduler.WithLocation(loc))
	if err != nil {
		if db != nil {
			db.Close()
		}
		return nil, nil, err
	}
	return sch, func() {
		sch.Close()
		if db != nil {
			db.Close()
		}
	}, nil
}
