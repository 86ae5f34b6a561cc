package wfo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/schedule"
	"github.com/wfo-go/wfo/scheduler"
	"github.com/wfo-go/wfo/settings"
)

// WithSchedules adds schedules to the core's (schedule.Defaults). A schedule with the name of an existing one
// replaces it, so an application can move the core's schedules to other times:
//
//	wfo.WithSchedules(schedule.Schedule{
//		Name: schedule.CleanUpTasks, Run: schedule.Workflow("task_clean_up_tasks"), When: schedule.Cron("0 3 * * *"),
//	})
func WithSchedules(s ...schedule.Schedule) Option {
	return func(a *App) { a.schedules = a.schedules.With(s...) }
}

// WithoutSchedules removes schedules by name, the core's included (schedule.ResumeWorkflows, ...).
func WithoutSchedules(names ...string) Option {
	return func(a *App) { a.schedules = a.schedules.Without(names...) }
}

// WithSchedulerOptions passes options to the scheduler the CLI builds (after its own logger and time zone), e.g.
// scheduler.WithFollowerRetry.
func WithSchedulerOptions(opts ...scheduler.Option) Option {
	return func(a *App) { a.schedulerOpts = append(a.schedulerOpts, opts...) }
}

// Schedules returns the application's schedules: the core's with the application's changes.
func (a *App) Schedules() schedule.List { return a.schedules }

// Scheduler returns the application's scheduler on db, its workflows and tasks started by the workflow engine.
// This is what `scheduler run`, `force` and `show-schedule` use; Close it when done.
func (a *App) Scheduler(db *database.DB, s settings.Settings, opts ...scheduler.Option) (*scheduler.Scheduler, error) {
	all := []scheduler.Option{}
	var runner *engineRunner
	if db != nil {
		runner = a.engineRunner(db, s)
		all = append(all, scheduler.WithRunner(runner))
	}
	all = append(append(all, opts...), a.schedulerOpts...)
	sch, err := scheduler.New(db, a.schedules, all...)
	if err == nil && runner != nil {
		runner.logger = sch.Logger() // the engine logs where the scheduler does
	}
	return sch, err
}

// engineRunner starts the schedules' workflows and tasks with the workflow engine: the core's built-in workflows
// (package tasks) and the application's (WithWorkflows), with the application's domain model and the engine
// settings (TESTING, MAX_WORKERS).
func (a *App) engineRunner(db *database.DB, s settings.Settings) *engineRunner {
	r := &engineRunner{db: db}
	r.newEngine = func() (*process.Engine, error) { return a.Engine(db, s, process.WithLogger(r.logger)) }
	return r
}

// engineRunner adapts the workflow engine (package process) to scheduler.Runner. The engine is made on first use,
// so show-schedule never starts a worker pool.
type engineRunner struct {
	db        *database.DB
	newEngine func() (*process.Engine, error)
	once      sync.Once
	e         *process.Engine
	err       error
	logger    *slog.Logger
}

// engine makes the engine on first use; a registry that is not valid is an error of every run.
func (r *engineRunner) engine() (*process.Engine, error) {
	r.once.Do(func() { r.e, r.err = r.newEngine() })
	return r.e, r.err
}

// Check makes the engine and compares its domain model with the database's catalogue (process.Engine.CheckModel):
// `scheduler run` refuses to start on a registry that is not valid or a model the database lacks.
func (r *engineRunner) Check(ctx context.Context) error {
	e, err := r.engine()
	if err != nil {
		return err
	}
	return e.CheckModel(ctx)
}

// RunWorkflow starts the workflow as SYSTEM and waits for its process to come to rest; anything but completed is
// an error. A start that the workflow's run predicate refuses is a skipped run (scheduler.ErrSkipped).
func (r *engineRunner) RunWorkflow(ctx context.Context, name string, input []map[string]any) error {
	pages := make([]any, len(input))
	for i, p := range input {
		pages[i] = p
	}
	e, err := r.engine()
	if err != nil {
		return err
	}
	pid, err := e.Start(process.WithUser(ctx, process.DefaultUser), name, pages...)
	var refused *process.StartRefusedError
	if errors.As(err, &refused) {
		return fmt.Errorf("%w: %s", scheduler.ErrSkipped, refused.Reason)
	}
	if err != nil {
		return err
	}
	p, err := e.Wait(ctx, pid)
	if err != nil {
		return err
	}
	if p.Status != process.Completed {
		return processError(p)
	}
	return nil
}

func processError(p *process.Process) error {
	msg := fmt.Sprintf("%s process %s ended %s", p.Workflow, p.ID, p.Status)
	if p.FailedReason != "" {
		msg += ": " + p.FailedReason
	}
	return errors.New(msg)
}

// Unfinished reports whether a process of the workflow exists that is neither completed nor aborted.
func (r *engineRunner) Unfinished(ctx context.Context, name string) (bool, error) {
	return process.Unfinished(ctx, r.db, name)
}

// Close stops the engine's worker pool (with TESTING=false), if the engine was made.
func (r *engineRunner) Close() error {
	r.once.Do(func() {}) // no engine after Close
	if r.e == nil {
		return nil
	}
	return r.e.Close()
}
