// Package process runs workflows: it creates processes, executes their steps, logs every step with its state in
// the database (processes, process_steps, input_states), and suspends, resumes, retries and aborts them with the
// statuses and transitions of orchestrator-core (spec/core.md §3).
//
// An Engine runs processes either synchronously, inside the call that starts or resumes them (the reference's
// TESTING=true), or on a pool of MAX_WORKERS goroutines. Several engines, in one program or in several wfo
// instances, may share one database: a process runs only after its engine has claimed it with a conditional
// update of its status (PostgreSQL: under a row lock, picking work with SELECT ... FOR UPDATE SKIP LOCKED), so no
// process runs twice at once.
//
//	engine := process.New(db, registry, process.Synchronous(true))
//	pid, err := engine.Start(ctx, "create_node", map[string]any{"product": productID, "node_name": "ams01"})
//	p, err := engine.Get(ctx, pid) // p.Status == process.Suspended, say
//	err = engine.Resume(ctx, pid, map[string]any{"confirm": true})
package process

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/workflow"
)

// Status is a process's status (processes.last_status).
type Status string

// The process statuses of orchestrator-core.
const (
	Created          Status = "created"
	Running          Status = "running"
	Suspended        Status = "suspended"
	Waiting          Status = "waiting"
	AwaitingCallback Status = "awaiting_callback"
	Aborted          Status = "aborted"
	Failed           Status = "failed"
	APIUnavailable   Status = "api_unavailable"
	InconsistentData Status = "inconsistent_data"
	Completed        Status = "completed"
	Resumed          Status = "resumed"
)

// Resumable are the statuses a process can be resumed from (4.3.0's list).
var Resumable = []Status{Suspended, Waiting, Failed, APIUnavailable, InconsistentData, Resumed}

// Retryable are the statuses of a failed process, which Retry resumes.
var Retryable = []Status{Failed, Waiting, APIUnavailable, InconsistentData}

// Finished reports whether the process is at rest: not created, resumed or running.
func (s Status) Finished() bool { return !slices.Contains([]Status{Created, Resumed, Running}, s) }

// Errors of the engine's API; the messages are the reference's.
var (
	// ErrNotFound: no process with that id.
	ErrNotFound = errors.New("process not found")
	// ErrNotInDatabase: the workflow is registered in code but has no row in workflows (run its migration).
	ErrNotInDatabase = errors.New("no workflow found with name")
	// ErrRemoved: the process's workflow is no longer registered in code, or its row is deleted.
	ErrRemoved = errors.New("workflow has been removed")
	// ErrAlreadyRunning: the process is running (or queued to run) already.
	ErrAlreadyRunning = errors.New("process is already running")
	// ErrWrongStatus: the process's status does not allow the operation.
	ErrWrongStatus = errors.New("wrong process status")
	// ErrPaused: the engine's global lock is set; processes start again when it is released.
	ErrPaused = errors.New("engine is paused")
	// ErrInvalidSort: a list was asked to sort by a field it does not know.
	ErrInvalidSort = errors.New("invalid sort arguments")
	// ErrStartRefused: the workflow's run predicate refused the start (the error is a *StartRefusedError).
	ErrStartRefused = errors.New("start refused")
)

// StartRefusedError is the error of a start that the workflow's RunPredicate refused, with its reason.
type StartRefusedError struct {
	Workflow string
	Reason   string
}

func (e *StartRefusedError) Error() string {
	return fmt.Sprintf("process: %s cannot start now: %s", e.Workflow, e.Reason)
}

// Is makes errors.Is(err, ErrStartRefused) hold.
func (e *StartRefusedError) Is(target error) bool { return target == ErrStartRefused }

// Process is a process as stored: its row, its step log and its current state.
type Process struct {
	ID             uuid.UUID
	Workflow       string
	WorkflowID     uuid.UUID
	Target         workflow.Target
	IsTask         bool
	Status         Status
	LastStep       string
	Assignee       workflow.Assignee
	FailedReason   string
	Traceback      string
	CreatedBy      string
	StartedAt      time.Time
	LastModifiedAt time.Time
	// Note is processes.note (orchestrator-core 5.x), "" for NULL; Engine.SetNote sets it.
	Note string
	// Subscriptions are the subscriptions linked to the process (processes_subscriptions), in the order linked.
	Subscriptions []uuid.UUID
	// Steps is the step log, in order.
	Steps []StepLog
	// State is the state the process continues from: the state after its last cleared step, or the state it is
	// suspended with.
	State workflow.State
}

// StepLog is one row of process_steps.
type StepLog struct {
	ID          uuid.UUID
	Name        string
	Status      workflow.StepStatus
	State       workflow.State
	CreatedBy   string
	StartedAt   time.Time
	CompletedAt time.Time
}

// StepNames lists the names of the logged steps, for tests and messages.
func (p *Process) StepNames() []string {
	out := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		out[i] = s.Name
	}
	return out
}

type userKey struct{}

// DefaultUser is the user processes are started and resumed as when the context names none.
const DefaultUser = "SYSTEM"

// WithUser returns a context that starts, resumes and aborts processes as user (processes.created_by,
// process_steps.created_by, the state's reporter).
func WithUser(ctx context.Context, user string) context.Context {
	return context.WithValue(ctx, userKey{}, user)
}

// UserFrom returns the acting user of ctx, DefaultUser when none is set.
func UserFrom(ctx context.Context) string {
	if u, ok := ctx.Value(userKey{}).(string); ok && u != "" {
		return u
	}
	return DefaultUser
}
