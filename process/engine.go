package process

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/settings"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

// Engine starts, runs, resumes and aborts processes of the workflows in its registry, on one database.
type Engine struct {
	db         *database.DB
	reg        *workflow.Registry
	st         *store
	sync       bool
	workers    int
	poll       time.Duration
	logger     *slog.Logger
	commitHash string
	models     workflow.ModelSaver
	products   *domain.Registry
	subs       *subscription.Store
	check      modelCheck

	// Leases (lease.go): the name written into them, how long they last, how often they are renewed.
	owner       string
	leaseExpiry time.Duration
	leaseRenew  time.Duration

	// The worker pool (asynchronous engines only).
	ctx       context.Context
	cancel    context.CancelFunc
	jobs      chan job
	wake      chan struct{}
	busy      atomic.Int64
	wg        sync.WaitGroup
	startOnce sync.Once
	closed    sync.Once
}

// Option configures an Engine.
type Option func(*Engine)

// Synchronous makes Start, Resume, Retry and Restart run the process inside the call, until it completes, suspends,
// fails or is paused (the reference's TESTING=true, the default). With false, the engine runs processes on its
// worker pool and those calls return once the process is queued; see Wait.
func Synchronous(sync bool) Option { return func(e *Engine) { e.sync = sync } }

// Workers sets the size of the worker pool (MAX_WORKERS, default 5).
func Workers(n int) Option {
	return func(e *Engine) {
		if n > 0 {
			e.workers = n
		}
	}
}

// PollInterval sets how often an asynchronous engine looks in the database for processes to run that it was not
// handed itself: created or resumed by another instance, or left resumed by a pause or a shutdown (default 1s; 0
// turns polling off).
func PollInterval(d time.Duration) Option { return func(e *Engine) { e.poll = d } }

// WithSettings applies TESTING (synchronous), MAX_WORKERS, WFO_PROCESS_LEASE and WFO_PROCESS_LEASE_RENEW.
func WithSettings(s settings.Settings) Option {
	return func(e *Engine) {
		e.sync = s.Testing
		if s.MaxWorkers > 0 {
			e.workers = s.MaxWorkers
		}
		Lease(s.ProcessLease, s.ProcessLeaseRenew)(e)
	}
}

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.logger = l } }

// WithCommitHash sets the commit recorded with every step (process_steps.commit_hash); by default the VCS revision
// the program was built from, when Go recorded one.
func WithCommitHash(h string) Option { return func(e *Engine) { e.commitHash = h } }

// WithModelSaver sets what saves the subscription models steps return.
func WithModelSaver(m workflow.ModelSaver) Option { return func(e *Engine) { e.models = m } }

// New returns an engine for the workflows of reg on db. It starts nothing: an asynchronous engine runs processes
// once StartWorkers has started its workers (until then they wait in its queue and in the database), and Close
// stops them.
func New(db *database.DB, reg *workflow.Registry, opts ...Option) *Engine {
	e := &Engine{db: db, reg: reg, st: newStore(db), sync: true, workers: 5, poll: time.Second, logger: slog.Default(), commitHash: buildRevision(),
		owner: newOwner(), leaseExpiry: DefaultLeaseExpiry, leaseRenew: DefaultLeaseRenew}
	for _, o := range opts {
		o(e)
	}
	if len(e.commitHash) > 40 {
		e.commitHash = e.commitHash[:40]
	}
	if e.products != nil {
		e.subs = subscription.New(db, e.products)
	}
	e.jobs = make(chan job, queueSize)
	e.wake = make(chan struct{}, 1)
	return e
}

func buildRevision() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return ""
}

// Registry returns the engine's workflows.
func (e *Engine) Registry() *workflow.Registry { return e.reg }

// DB returns the engine's database.
func (e *Engine) DB() *database.DB { return e.db }

// Products returns the engine's domain model, nil when it has none.
func (e *Engine) Products() *domain.Registry { return e.products }

// Subscriptions returns the engine's subscription store (outside any step), nil without a domain model.
func (e *Engine) Subscriptions() *subscription.Store { return e.subs }

// Synchronous reports whether processes run inside the calls that start them.
func (e *Engine) Synchronous() bool { return e.sync }

// Start creates a process of the named workflow with the pages of its initial input (maps or structs, merged in
// order), validated by the workflow's form, and runs it. It returns the process id; a process that fails is not an
// error of Start (see Get). A workflow whose RunPredicate refuses the start gets a *StartRefusedError
// (ErrStartRefused) and no process. The acting user comes from the context (WithUser).
func (e *Engine) Start(ctx context.Context, name string, pages ...any) (uuid.UUID, error) {
	wf, err := e.reg.Get(name)
	if err != nil {
		return uuid.Nil, fmt.Errorf("process: %w", err)
	}
	if err := e.CheckModel(ctx); err != nil {
		return uuid.Nil, err
	}
	row, err := e.st.workflowByName(ctx, e.db, name)
	if err != nil {
		return uuid.Nil, err
	}
	if row == nil {
		return uuid.Nil, fmt.Errorf("process: %w %s (add it with a revision, e.g. from db migrate-workflows)", ErrNotInDatabase, name)
	}
	if row.deleted {
		return uuid.Nil, fmt.Errorf("process: this workflow cannot be started because it has been removed: %s: %w", name, ErrRemoved)
	}
	if err := e.MayStart(ctx, wf); err != nil {
		return uuid.Nil, err
	}
	input, err := workflow.MergePages(pages...)
	if err != nil {
		return uuid.Nil, fmt.Errorf("process: %s: %w", name, err)
	}
	out, err := wf.InitialForm().Validate(&workflow.FormContext{Context: ctx, DB: e.db, State: workflow.State{}, Workflow: wf}, input)
	if err != nil {
		return uuid.Nil, fmt.Errorf("process: starting %s: %w", name, err)
	}
	user := UserFrom(ctx)
	pid := uuid.New()
	var token uuid.UUID
	err = e.st.inTx(ctx, func(tx *sql.Tx) error {
		if err := e.st.insertProcess(ctx, tx, pid, row, Created, user); err != nil {
			return err
		}
		if err := e.st.insertInput(ctx, tx, pid, inputInitial, out); err != nil {
			return err
		}
		if !e.sync {
			return nil
		}
		// Claimed in the creating transaction, so no other engine's poller sees it as created.
		token, err = e.claim(ctx, tx, pid)
		return err
	})
	if err != nil {
		return uuid.Nil, err
	}
	return pid, e.runOn(ctx, pid, token, user)
}

// claim, inside the transaction that readies a process, makes it this engine's to run now: running, under a
// new lease of this engine. It returns the lease's token.
func (e *Engine) claim(ctx context.Context, tx *sql.Tx, pid uuid.UUID) (uuid.UUID, error) {
	if _, err := e.st.setStatus(ctx, tx, pid, Running); err != nil {
		return uuid.Nil, err
	}
	return e.st.acquireLease(ctx, tx, pid, e.owner, e.leaseExpiry)
}

// runOn runs a readied process on: here and now on a synchronous engine (which claimed it), else by the workers.
func (e *Engine) runOn(ctx context.Context, pid, lease uuid.UUID, user string) error {
	if e.sync {
		return e.execute(ctx, pid, lease, user)
	}
	e.submit(job{pid: pid, user: user})
	return nil
}

// Resume resumes a suspended, waiting, failed or resumed process. The input pages are validated by the form of
// the step the process continues with (the input step it is suspended in; an empty form otherwise), stored in
// input_states, and merged into the state. A failed or waiting process re-runs its failed step from the state
// before it: that is a retry.
func (e *Engine) Resume(ctx context.Context, pid uuid.UUID, pages ...any) error {
	p, err := e.st.process(ctx, e.db, pid, false)
	if err != nil {
		return err
	}
	if p.status == Running {
		// Running under a lease that expired: its engine is gone, and the process can be resumed.
		if _, err := e.Rescue(ctx); err != nil {
			return err
		}
		if p, err = e.st.process(ctx, e.db, pid, false); err != nil {
			return err
		}
	}
	if err := resumable(p); err != nil {
		return err
	}
	if err := e.CheckModel(ctx); err != nil {
		return err
	}
	wf, err := e.reg.Get(p.workflow)
	if err != nil {
		return fmt.Errorf("process: this workflow cannot be resumed because it has been removed: %s: %w", p.workflow, ErrRemoved)
	}
	steps, err := e.st.steps(ctx, e.db, pid)
	if err != nil {
		return err
	}
	state, idx, last := recoverState(steps)
	form := workflow.EmptyForm
	if last != nil && last.status == workflow.StepSuspend && idx < len(wf.Steps) {
		form = wf.Steps[idx].Form()
	}
	input, err := workflow.MergePages(pages...)
	if err != nil {
		return fmt.Errorf("process: resuming %s: %w", pid, err)
	}
	out, err := form.Validate(&workflow.FormContext{Context: ctx, DB: e.db, State: state, Workflow: wf}, input)
	if err != nil {
		return fmt.Errorf("process: resuming %s: %w", pid, err)
	}
	user := UserFrom(ctx)
	var token uuid.UUID
	err = e.st.inTx(ctx, func(tx *sql.Tx) error {
		p, err := e.st.process(ctx, tx, pid, true)
		if err != nil {
			return err
		}
		if err := resumable(p); err != nil {
			return err
		}
		if err := e.st.insertInput(ctx, tx, pid, inputUser, out); err != nil {
			return err
		}
		if !e.sync {
			_, err = e.st.setStatus(ctx, tx, pid, Resumed)
			return err
		}
		token, err = e.claim(ctx, tx, pid)
		return err
	})
	if err != nil {
		return err
	}
	return e.runOn(ctx, pid, token, user)
}

func resumable(p *processRow) error {
	if p.status == Running {
		return fmt.Errorf("process: %s: %w", p.pid, ErrAlreadyRunning)
	}
	if !slices.Contains(Resumable, p.status) {
		return fmt.Errorf("process: %s cannot be resumed: its status is %s: %w", p.pid, p.status, ErrWrongStatus)
	}
	return nil
}

// Retry resumes a failed process (failed, waiting, api_unavailable or inconsistent_data): its failed step runs
// again from the state before it.
func (e *Engine) Retry(ctx context.Context, pid uuid.UUID) error {
	p, err := e.st.process(ctx, e.db, pid, false)
	if err != nil {
		return err
	}
	if p.status == Running {
		// A process whose engine is gone (its lease expired) is continued from its last committed step.
		if n, err := e.Rescue(ctx); err != nil || n > 0 {
			if err != nil {
				return err
			}
			if p, err = e.st.process(ctx, e.db, pid, false); err != nil {
				return err
			}
			if p.status == Resumed {
				return e.Resume(ctx, pid)
			}
		}
	}
	if !slices.Contains(Retryable, p.status) {
		return fmt.Errorf("process: %s cannot be retried: its status is %s: %w", pid, p.status, ErrWrongStatus)
	}
	return e.Resume(ctx, pid)
}

// Restart starts a process that was created and never started (status created), e.g. because its instance
// stopped in between.
func (e *Engine) Restart(ctx context.Context, pid uuid.UUID) error {
	p, err := e.st.process(ctx, e.db, pid, false)
	if err != nil {
		return err
	}
	if p.status != Created {
		return fmt.Errorf("process: %s cannot be restarted: its status is %s: %w", pid, p.status, ErrWrongStatus)
	}
	if err := e.CheckModel(ctx); err != nil {
		return err
	}
	if !e.sync {
		e.submit(job{pid: pid, user: UserFrom(ctx)})
		return nil
	}
	token, err := e.st.claim(ctx, pid, e.owner, e.leaseExpiry)
	if err != nil {
		return err
	}
	if token == uuid.Nil {
		return fmt.Errorf("process: %s: %w", pid, ErrAlreadyRunning)
	}
	return e.execute(ctx, pid, token, UserFrom(ctx))
}

// AbortStepName is the name of the step an abort logs.
const AbortStepName = "User Aborted"

// Abort aborts a process that is not completed (or aborted already): it logs the step "User Aborted" with status
// abort and the process becomes aborted. A process running elsewhere stops before its next step; the step it was
// running is rolled back.
func (e *Engine) Abort(ctx context.Context, pid uuid.UUID) error {
	user := UserFrom(ctx)
	return e.st.inTx(ctx, func(tx *sql.Tx) error {
		p, err := e.st.process(ctx, tx, pid, true)
		if err != nil {
			return err
		}
		if p.status == Completed || p.status == Aborted {
			return fmt.Errorf("process: %s cannot be aborted: its status is %s: %w", pid, p.status, ErrWrongStatus)
		}
		steps, err := e.st.steps(ctx, tx, pid)
		if err != nil {
			return err
		}
		state, _, _ := recoverState(steps)
		if state == nil {
			state = workflow.State{}
		}
		row := &stepRow{id: uuid.New(), name: AbortStepName, status: workflow.StepAbort, state: state, createdBy: nullString(user), startedAt: time.Now()}
		if err := e.st.insertStep(ctx, tx, pid, row, e.commitHash); err != nil {
			return err
		}
		return e.st.setAborted(ctx, tx, pid)
	})
}

// Get returns a process with its step log and current state.
func (e *Engine) Get(ctx context.Context, pid uuid.UUID) (*Process, error) {
	p, err := e.st.process(ctx, e.db, pid, false)
	if err != nil {
		return nil, err
	}
	steps, err := e.st.steps(ctx, e.db, pid)
	if err != nil {
		return nil, err
	}
	state, _, _ := recoverState(steps)
	if state == nil {
		initial, err := e.st.latestInput(ctx, e.db, pid, inputInitial)
		if err != nil {
			return nil, err
		}
		state = initialState(p, p.createdBy.String).Merge(initial)
	}
	out := p.process()
	out.State = state
	if err := e.st.linkSubscriptions(ctx, []*Process{out}); err != nil {
		return nil, err
	}
	for _, s := range steps {
		out.Steps = append(out.Steps, StepLog{ID: s.id, Name: s.name, Status: s.status, State: s.state, CreatedBy: s.createdBy.String, StartedAt: s.startedAt, CompletedAt: s.completedAt})
	}
	return out, nil
}

// Wait waits until the process is at rest (not created, resumed or running) and returns it. With a synchronous
// engine it returns at once for every process this engine ran.
func (e *Engine) Wait(ctx context.Context, pid uuid.UUID) (*Process, error) {
	delay := 5 * time.Millisecond
	for {
		p, err := e.st.process(ctx, e.db, pid, false)
		if err != nil {
			return nil, err
		}
		if p.status.Finished() {
			return e.Get(ctx, pid)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("process: waiting for %s (%s): %w", pid, p.status, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, 100*time.Millisecond)
	}
}

// EngineStatus is the engine's state as the reference's API shows it.
type EngineStatus struct {
	// GlobalLock is engine_settings.global_lock.
	GlobalLock bool
	// RunningProcesses counts the processes running on some instance: in status running under a lease that has not
	// expired. A process whose engine was killed stops counting when its lease expires. (The reference's
	// engine_settings.running_processes, which it drops in 5.0, is not used.)
	RunningProcesses int
}

// String is RUNNING, PAUSING (locked, processes still running) or PAUSED.
func (s EngineStatus) String() string {
	switch {
	case !s.GlobalLock:
		return "RUNNING"
	case s.RunningProcesses > 0:
		return "PAUSING"
	}
	return "PAUSED"
}

// Status reads the global lock and counts the running processes (see EngineStatus).
func (e *Engine) Status(ctx context.Context) (EngineStatus, error) {
	locked, running, err := e.st.engineSettings(ctx)
	return EngineStatus{GlobalLock: locked, RunningProcesses: running}, err
}

// MayStart asks the workflow's RunPredicate whether it may start now: nil when it may (or has no predicate), a
// *StartRefusedError with the reason when it may not. Start asks too; callers that check the input first (the
// HTTP API, page by page) ask before, as the reference does.
func (e *Engine) MayStart(ctx context.Context, wf *workflow.Workflow) error {
	if wf.RunPredicate == nil {
		return nil
	}
	reason, err := wf.RunPredicate(&workflow.StartContext{Context: ctx, DB: e.db, Workflow: wf})
	if err != nil {
		return fmt.Errorf("process: the run predicate of %s: %w", wf.Name, err)
	}
	if reason != "" {
		return &StartRefusedError{Workflow: wf.Name, Reason: reason}
	}
	return nil
}

// Locked reads the global lock alone (one row; Status also counts the running processes).
func (e *Engine) Locked(ctx context.Context) (bool, error) { return e.st.globalLock(ctx) }

// Pause sets the global lock: every running process, on every instance, stops before its next step. wfo then
// sets such a process to resumed (the reference leaves it running), so that whichever instance releases the lock
// or polls next continues it, and none continues it twice.
func (e *Engine) Pause(ctx context.Context) error { return e.st.setLock(ctx, true) }

// Unpause releases the global lock and continues the processes the pause stopped: a synchronous engine runs them
// here, one after the other; asynchronous engines pick them up from the database.
func (e *Engine) Unpause(ctx context.Context) error {
	if err := e.st.setLock(ctx, false); err != nil {
		return err
	}
	if err := e.CheckModel(ctx); err != nil {
		return err
	}
	if !e.sync {
		e.signal()
		return nil
	}
	if _, err := e.Rescue(ctx); err != nil {
		return err
	}
	pids, err := e.st.pidsWithStatus(ctx, Resumed)
	if err != nil {
		return err
	}
	for _, pid := range pids {
		token, err := e.st.claim(ctx, pid, e.owner, e.leaseExpiry)
		if err != nil {
			return err
		}
		if token != uuid.Nil {
			if err := e.execute(ctx, pid, token, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// process is the row as a Process without steps or state.
func (p *processRow) process() *Process {
	return &Process{
		ID: p.pid, Workflow: p.workflow, WorkflowID: p.workflowID, Target: workflow.Target(p.target), IsTask: p.isTask, Status: p.status,
		LastStep: p.lastStep.String, Assignee: workflow.Assignee(p.assignee), FailedReason: p.failedReason.String,
		Traceback: p.traceback.String, CreatedBy: p.createdBy.String, StartedAt: p.startedAt, LastModifiedAt: p.lastModified,
		Note: p.note.String,
	}
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
