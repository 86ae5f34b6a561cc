package process

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/workflow"
)

// CallbackTimedOut is the failure reason of a process whose callback did not come within its timeout.
const CallbackTimedOut = "Callback timed out"

// FailTimedOutCallbacks fails, through tx (a step's transaction), every process awaiting a callback whose awaiting
// step carries a timeout (workflow.CallbackTimeoutKey, set by workflow.CallbackTimeout) that has run out at now,
// counted from the step's start. The awaiting step becomes a failed step whose state keeps what it held plus the
// error CallbackTimedOut, and the process becomes failed with that reason, so that it can be retried. Each process
// is locked and checked again before it is changed; a process that got its callback meanwhile is left alone. It
// returns the failed processes, oldest change first.
func FailTimedOutCallbacks(ctx context.Context, db *database.DB, tx database.Querier, now time.Time) ([]uuid.UUID, error) {
	s := newStore(db)
	pids, err := awaitingCallbacks(ctx, s, tx)
	if err != nil {
		return nil, err
	}
	failed := []uuid.UUID{}
	for _, pid := range pids {
		last, err := timedOut(ctx, s, tx, pid, true, now)
		if err != nil {
			return nil, err
		}
		if last == nil {
			continue
		}
		last.status = workflow.StepFailed
		last.state = maps.Clone(last.state)
		last.state["error"] = CallbackTimedOut
		if err := s.updateStep(ctx, tx, last); err != nil {
			return nil, err
		}
		_, err = tx.ExecContext(ctx, s.d.Rebind("UPDATE processes SET last_status = ?, last_step = ?, assignee = 'SYSTEM', failed_reason = ?, traceback = NULL, "+
			"last_modified_at = "+s.d.Now()+" WHERE pid = ?"), string(Failed), last.name, CallbackTimedOut, pid)
		if err != nil {
			return nil, fmt.Errorf("process: failing %s: %w", pid, err)
		}
		failed = append(failed, pid)
	}
	return failed, nil
}

// HasTimedOutCallbacks reports whether some process awaiting a callback has run out of time at now (what
// FailTimedOutCallbacks would fail), without locking or changing anything.
func HasTimedOutCallbacks(ctx context.Context, db *database.DB, now time.Time) (bool, error) {
	s := newStore(db)
	pids, err := awaitingCallbacks(ctx, s, db)
	if err != nil {
		return false, err
	}
	for _, pid := range pids {
		last, err := timedOut(ctx, s, db, pid, false, now)
		if err != nil || last != nil {
			return last != nil, err
		}
	}
	return false, nil
}

// awaitingCallbacks lists the processes awaiting a callback, oldest change first.
func awaitingCallbacks(ctx context.Context, s *store, q database.Querier) ([]uuid.UUID, error) {
	return queryPIDs(ctx, q, "listing processes awaiting a callback",
		s.d.Rebind("SELECT pid FROM processes WHERE last_status = ? ORDER BY last_modified_at"), string(AwaitingCallback))
}

// timedOut returns the awaiting step of the process when it is still awaiting a callback whose timeout has run out
// at now, else nil; lock reads the process row for update.
func timedOut(ctx context.Context, s *store, q database.Querier, pid uuid.UUID, lock bool, now time.Time) (*stepRow, error) {
	p, err := s.process(ctx, q, pid, lock)
	if err != nil {
		return nil, err
	}
	if p.status != AwaitingCallback {
		return nil, nil
	}
	steps, err := s.steps(ctx, q, pid)
	if err != nil || len(steps) == 0 {
		return nil, err
	}
	last := steps[len(steps)-1]
	timeout, ok := callbackTimeout(last.state[workflow.CallbackTimeoutKey])
	if last.status != workflow.StepAwaitingCallback || !ok || now.Before(last.startedAt.Add(timeout)) {
		return nil, nil
	}
	return last, nil
}

// callbackTimeout reads a timeout in seconds as a step state holds it (a JSON number); anything else, or a
// negative or non-finite number, is no timeout.
func callbackTimeout(v any) (time.Duration, bool) {
	var f float64
	switch n := v.(type) {
	case float64:
		f = n
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	case json.Number:
		var err error
		if f, err = n.Float64(); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) || f > float64(math.MaxInt64)/float64(time.Second) {
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}
