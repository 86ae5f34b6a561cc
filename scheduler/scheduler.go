// Package scheduler runs schedules (package schedule) at their times: `wfo scheduler run` is Scheduler.Run,
// `scheduler force` is Force, `scheduler show-schedule` is Plan.
//
// Any number of schedulers may run on one PostgreSQL database: they elect a leader with a session advisory lock,
// only the leader runs jobs, and when it dies (its connection closes and PostgreSQL releases the lock) another
// takes over. Each due run is also claimed in the database before it starts (a compare-and-set on the schedule's
// row in wfo_schedule_state), so a run is executed once even while two processes briefly both believe they lead.
// On SQLite one scheduler runs per database file; a second one refuses to start.
//
// Timing state lives in the database, so a restart or a new leader continues the plan: a run that came due while
// no scheduler was running is run once when one starts (never once per missed period), and the next run is then
// computed from the end of that run.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/schedule"
)

// Runner starts workflows and tasks for schedules: the workflow engine, seen from the scheduler.
type Runner interface {
	// RunWorkflow starts the workflow or task called name as the SYSTEM user with input (one map per form page)
	// and waits until its process has ended. It returns an error when the process could not be started or did
	// not complete.
	RunWorkflow(ctx context.Context, name string, input []map[string]any) error
	// Unfinished reports whether a process of the workflow exists that is neither completed nor aborted.
	Unfinished(ctx context.Context, name string) (bool, error)
}

// Checker is a Runner that can say, before the first job, whether it can run workflows at all. Run calls Check
// once at start and stops with its error: a scheduler whose domain model disagrees with the database refuses to
// start instead of failing every job.
type Checker interface {
	Check(ctx context.Context) error
}

// Errors the CLI maps to messages and exit codes.
var (
	// ErrNoRunner: a schedule runs a workflow but the scheduler has no Runner (no workflow engine wired in).
	ErrNoRunner = errors.New("scheduler: no workflow engine to start workflows and tasks")
	// ErrAlreadyRunning: another scheduler holds the SQLite database's scheduler lock.
	ErrAlreadyRunning = errors.New("scheduler: a scheduler is already running")
	// ErrNoMatch: force found no schedule for its keyword.
	ErrNoMatch = errors.New("scheduler: no schedule matches")
	// ErrSkipped is wrapped by a Runner's error when the workflow declined to start (its run predicate refused):
	// the run is skipped, not failed.
	ErrSkipped = errors.New("scheduler: the workflow declined to start")
)

// Status is how a run ended.
type Status string

// The statuses of a run.
const (
	Succeeded Status = "succeeded"
	Failed    Status = "failed"
	// Skipped: SkipIfUnfinished found an unfinished process of the workflow, or the workflow declined to start
	// (ErrSkipped).
	Skipped Status = "skipped"
	// Running is what the state table says while a run is under way.
	Running Status = "running"
)

// Result is one run of a schedule.
type Result struct {
	Schedule          schedule.Schedule
	Status            Status
	Err               error // why it failed or was skipped
	Started, Finished time.Time
}

// Duration is how long the run took.
func (r Result) Duration() time.Duration { return r.Finished.Sub(r.Started) }

// Scheduler runs a list of schedules.
type Scheduler struct {
	list   schedule.List
	db     *database.DB
	runner Runner
	loc    *time.Location
	now    func() time.Time
	log    *slog.Logger
	retry  time.Duration
	check  time.Duration
	owner  string
	store  store
	locker locker
}

// Option configures a Scheduler.
type Option func(*Scheduler)

// WithRunner sets what starts workflows and tasks (the workflow engine). Without one, schedules that run a
// workflow fail with ErrNoRunner.
func WithRunner(r Runner) Option { return func(s *Scheduler) { s.runner = r } }

// WithLocation sets the time zone of at times and cron expressions (default UTC; the CLI uses WFO_TIMEZONE).
func WithLocation(loc *time.Location) Option { return func(s *Scheduler) { s.loc = loc } }

// WithClock replaces time.Now, for tests that move the clock. Waiting still takes real time.
func WithClock(now func() time.Time) Option { return func(s *Scheduler) { s.now = now } }

// WithLogger sets where Run and Force log (default: discard).
func WithLogger(l *slog.Logger) Option { return func(s *Scheduler) { s.log = l } }

// WithFollowerRetry sets how often a scheduler that is not the leader tries to become it (default 1s). A
// follower takes over at most this long after the leader died.
func WithFollowerRetry(d time.Duration) Option { return func(s *Scheduler) { s.retry = d } }

// New returns a scheduler for the schedules on db. db may be nil for Plan and Force without timing state (an
// SQLite file that does not exist yet); Run needs it.
func New(db *database.DB, list schedule.List, opts ...Option) (*Scheduler, error) {
	if err := list.Validate(); err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	host, _ := os.Hostname()
	s := &Scheduler{
		list:  list,
		db:    db,
		loc:   time.UTC,
		now:   time.Now,
		log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		retry: time.Second,
		check: 30 * time.Second,
		owner: fmt.Sprintf("%s:%d", host, os.Getpid()),
	}
	for _, o := range opts {
		o(s)
	}
	if db != nil {
		s.store = newSQLStore(db)
		s.locker = dbLocker{db}
	}
	return s, nil
}

// Schedules returns the scheduler's schedules in list order.
func (s *Scheduler) Schedules() schedule.List { return s.list }

// Close releases the runner, when it holds resources (an io.Closer, such as an engine's worker pool).
func (s *Scheduler) Close() error {
	if c, ok := s.runner.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// Location returns the time zone of the scheduler's wall-clock times.
func (s *Scheduler) Location() *time.Location { return s.loc }

// Logger returns the scheduler's logger (WithLogger).
func (s *Scheduler) Logger() *slog.Logger { return s.log }

// Force runs, now and one after the other in list order, every schedule whose name or target name contains
// keyword (the empty keyword matches all), whatever their timing; it does not change their planned runs. report,
// when not nil, is called before each run starts (with a zero Status) and after it ends. It returns the results,
// an error wrapping ErrNoMatch when nothing matched, and a *ForceError when any run failed.
func (s *Scheduler) Force(ctx context.Context, keyword string, report func(Result)) ([]Result, error) {
	matched := s.list.Match(keyword)
	if len(matched) == 0 {
		return nil, fmt.Errorf("%w %q", ErrNoMatch, keyword)
	}
	var results []Result
	var failed []string
	for _, sch := range matched {
		if report != nil {
			report(Result{Schedule: sch, Started: s.now()})
		}
		r := s.execute(ctx, sch)
		results = append(results, r)
		if report != nil {
			report(r)
		}
		if r.Status == Failed {
			failed = append(failed, sch.Name)
		}
	}
	if len(failed) > 0 {
		return results, &ForceError{Failed: failed, Total: len(matched)}
	}
	return results, nil
}

// ForceError says which forced runs failed.
type ForceError struct {
	Failed []string
	Total  int
}

func (e *ForceError) Error() string {
	return fmt.Sprintf("scheduler: %d of %d forced schedules failed: %s", len(e.Failed), e.Total, strings.Join(e.Failed, ", "))
}

// execute runs one schedule's target, turning an error or a panic into a failed result, and logs it.
func (s *Scheduler) execute(ctx context.Context, sch schedule.Schedule) (res Result) {
	res = Result{Schedule: sch, Started: s.now()}
	log := s.log.With("schedule", sch.Name)
	log.Info("running", "runs", sch.Run.String())
	defer func() {
		res.Finished = s.now()
		if p := recover(); p != nil {
			res.Status, res.Err = Failed, fmt.Errorf("panic: %v", p)
			log.Error("panicked", "err", res.Err, "stack", string(debug.Stack()))
			return
		}
		switch res.Status {
		case Succeeded:
			log.Info("succeeded", "duration", res.Duration().Round(time.Millisecond))
		case Skipped:
			// A workflow that declines to start is routine (the callback check every 30 seconds mostly does);
			// SkipIfUnfinished meeting an unfinished run is worth a warning.
			level := slog.LevelWarn
			if errors.Is(res.Err, ErrSkipped) {
				level = slog.LevelInfo
			}
			log.Log(ctx, level, "skipped", "reason", res.Err)
		case Failed:
			log.Error("failed", "err", res.Err, "duration", res.Duration().Round(time.Millisecond))
		}
	}()
	skipped, err := s.runTarget(ctx, sch)
	switch {
	case skipped:
		res.Status, res.Err = Skipped, err
	case err != nil:
		res.Status, res.Err = Failed, err
	default:
		res.Status = Succeeded
	}
	return res
}

// runTarget runs the schedule's function or workflow; skipped reports that SkipIfUnfinished held it back or the
// workflow declined to start, err saying why.
func (s *Scheduler) runTarget(ctx context.Context, sch schedule.Schedule) (skipped bool, err error) {
	if fn, ok := sch.Run.Func(); ok {
		return false, fn(ctx)
	}
	name, input, _ := sch.Run.Workflow()
	if s.runner == nil {
		return false, fmt.Errorf("%w: cannot start %s", ErrNoRunner, name)
	}
	if sch.SkipIfUnfinished {
		busy, err := s.runner.Unfinished(ctx, name)
		if err != nil {
			return false, fmt.Errorf("checking for unfinished %s processes: %w", name, err)
		}
		if busy {
			return true, fmt.Errorf("a %s process is not finished yet", name)
		}
	}
	err = s.runner.RunWorkflow(ctx, name, input)
	return errors.Is(err, ErrSkipped), err
}
