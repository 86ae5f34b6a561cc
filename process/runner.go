package process

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/workflow"
)

// State keys the step log interprets, as the reference's.
const (
	keyStepNameOverride = "__step_name_override"
	keyReplaceLastState = "__replace_last_state"
	keyRemoveKeys       = "__remove_keys"
)

// run is one execution of a claimed process, from where it stands until it stops.
type run struct {
	e     *Engine
	p     *processRow
	token uuid.UUID
	lease *keeper
	wf    *workflow.Workflow
	user  string
	state workflow.State
	idx   int
	last  *stepRow
	// known says locked is the global lock as the last step's log read it, with the process still running then:
	// the check before the next step is not needed.
	known, locked bool
}

// execute runs a process this engine has claimed (status running, under the lease token) until it stops, renewing
// the lease meanwhile, and then ends the lease. Steps run with a context that a cancellation of ctx does not reach:
// a cancelled ctx (a shutdown) stops the process before its next step, never inside one.
func (e *Engine) execute(ctx context.Context, pid, token uuid.UUID, user string) (err error) {
	runCtx := context.WithoutCancel(ctx)
	lease := e.keepLease(pid, token)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("process: %s: panic: %v", pid, r)
			if ferr := e.st.failProcess(runCtx, e.db, pid, token, fmt.Sprint(r), string(debug.Stack())); ferr != nil {
				err = errors.Join(err, ferr)
			}
		}
		lease.close()
		if rerr := e.st.releaseLease(runCtx, e.db, pid, token); rerr != nil {
			err = errors.Join(err, rerr)
		}
		if err != nil {
			e.logger.Error("process run failed", "pid", pid, "error", err)
		}
	}()
	r, err := e.newRun(runCtx, pid, user)
	if err == nil {
		r.token, r.lease = token, lease
		err = r.loop(ctx, runCtx)
	}
	if errors.Is(err, errLeaseLost) {
		// Another engine continues the process; this run leaves it alone.
		e.logger.Warn("the lease on a running process expired; stopping without committing the step", "pid", pid)
		return nil
	}
	if err != nil {
		// The run died outside a step's log: the process is failed (unless it waits for a retry), as in the
		// reference, so that it does not stay running for ever.
		if ferr := e.st.failProcess(runCtx, e.db, pid, token, err.Error(), fmt.Sprintf("%+v", err)); ferr != nil {
			return errors.Join(err, ferr)
		}
	}
	return err
}

// initialState is the state every process starts with, before its form's output is merged in.
func initialState(p *processRow, user string) workflow.State {
	if user == "" {
		user = DefaultUser
	}
	return workflow.State{
		"process_id":      p.pid.String(),
		"reporter":        user,
		"workflow_name":   p.workflow,
		"workflow_target": p.target,
	}
}

// recoverState finds where a process stands from its step log, as the reference's load_process: the state is the
// last row's when the process is suspended or awaiting a callback, else the last cleared row's (nil when there is
// none: the process has not run a step); the next step is the one after as many steps as there are cleared rows.
func recoverState(steps []*stepRow) (workflow.State, int, *stepRow) {
	cleared := 0
	var lastCleared, last *stepRow
	for _, s := range steps {
		if s.status.Cleared() {
			cleared++
			lastCleared = s
		}
		last = s
	}
	switch {
	case last != nil && (last.status == workflow.StepSuspend || last.status == workflow.StepAwaitingCallback):
		return last.state.Clone(), cleared, last
	case lastCleared != nil:
		return lastCleared.state.Clone(), cleared, last
	}
	return nil, cleared, last
}

func (e *Engine) newRun(ctx context.Context, pid uuid.UUID, user string) (*run, error) {
	p, err := e.st.process(ctx, e.db, pid, false)
	if err != nil {
		return nil, err
	}
	if user == "" {
		user = p.createdBy.String
	}
	if user == "" {
		user = DefaultUser
	}
	wf, err := e.reg.Get(p.workflow)
	if err != nil {
		return nil, fmt.Errorf("process: this workflow cannot be resumed because it has been removed: %s: %w", p.workflow, ErrRemoved)
	}
	steps, err := e.st.steps(ctx, e.db, pid)
	if err != nil {
		return nil, err
	}
	r := &run{e: e, p: p, wf: wf, user: user}
	r.state, r.idx, r.last = recoverState(steps)
	if r.state == nil {
		initial, err := e.st.latestInput(ctx, e.db, pid, inputInitial)
		if err != nil {
			return nil, err
		}
		r.state = initialState(p, p.createdBy.String).Merge(initial)
	}
	return r, nil
}

// loop runs the remaining steps. Before each it checks that the engine is not paused and that the process is still
// running (not aborted meanwhile).
func (r *run) loop(ctx, runCtx context.Context) error {
	e := r.e
	if r.last != nil && r.last.status == workflow.StepSuspend && r.idx < len(r.wf.Steps) {
		// Resumed with input: the input step succeeds with the stored input merged into the state.
		input, err := e.st.latestInput(runCtx, e.db, r.p.pid, inputUser)
		if err != nil {
			return err
		}
		step := r.wf.Steps[r.idx]
		res := workflow.Result{Status: workflow.StepSuccess, State: r.state.DeepMerge(input)}
		if stop, err := r.log(runCtx, nil, step, res, time.Now()); stop || err != nil {
			return err
		}
		r.state, r.idx = res.State, r.idx+1
	}
	if r.last != nil && r.last.status == workflow.StepAwaitingCallback && r.idx < len(r.wf.Steps) && r.wf.Steps[r.idx].IsAwaitCallback() {
		// Called back: the waiting step succeeds with the state the callback wrote (the result under its key).
		step := r.wf.Steps[r.idx]
		res := workflow.Result{Status: workflow.StepSuccess, State: r.state}
		if stop, err := r.log(runCtx, nil, step, res, time.Now()); stop || err != nil {
			return err
		}
		r.state, r.idx = res.State, r.idx+1
	}
	for r.idx < len(r.wf.Steps) {
		locked := r.locked
		if r.lease.lost.Load() {
			return errLeaseLost
		}
		if !r.known {
			var status Status
			var held bool
			var err error
			if locked, status, held, err = e.st.check(runCtx, r.p.pid, r.token); err != nil {
				return err
			}
			if !held {
				return errLeaseLost
			}
			if status != Running {
				return nil
			}
		}
		r.known = false
		if locked || ctx.Err() != nil {
			_, err := e.st.setRunStatus(runCtx, e.db, r.p.pid, r.token, Resumed)
			return err
		}
		step := r.wf.Steps[r.idx]
		started := time.Now()
		stepCtx := runCtx
		if e.subs != nil {
			stepCtx = context.WithValue(runCtx, storeKey{}, e.subs)
		}
		sc := &workflow.Context{
			Context: stepCtx, ProcessID: r.p.pid, Workflow: r.wf, StepName: step.Name(), User: r.user, DB: e.db,
			Processes: e, Registry: e.reg, Logger: e.logger.With("pid", r.p.pid, "step", step.Name()), Models: e.models,
		}
		res := step.Execute(sc, r.state)
		if stop, err := r.log(runCtx, sc.ActiveTx(), step, res, started); stop || err != nil {
			return err
		}
		if !res.Status.Continues() {
			return nil
		}
		r.state, r.idx = res.State, r.idx+1
	}
	// The steps ran out without Done: the process is complete all the same.
	_, err := e.st.setRunStatus(runCtx, e.db, r.p.pid, r.token, Completed)
	return err
}

// log writes a step's outcome: its row in process_steps and the process row, in the step's own transaction when
// it succeeded (so its changes and its log commit together), in a new one otherwise. When writing fails, it
// logs the step once more as failed with that error, as the reference does. It reports whether the run must
// stop because the process is no longer running.
func (r *run) log(ctx context.Context, tx *sql.Tx, step workflow.Step, res workflow.Result, started time.Time) (bool, error) {
	keep := res.Status == workflow.StepSuccess || res.Status == workflow.StepSkipped || res.Status == workflow.StepComplete
	if tx != nil && !keep {
		tx.Rollback()
		tx = nil
	}
	row, err := r.write(ctx, tx, step, res, started)
	if errors.Is(err, errLeaseLost) {
		return true, err
	}
	if errors.Is(err, errNotRunning) {
		return true, nil
	}
	if err != nil && res.Status != workflow.StepFailed {
		failed := workflow.Result{Status: workflow.StepFailed, State: workflow.ErrorState(err), Err: err,
			Traceback: fmt.Sprintf("logging step %q failed: %v", step.Name(), err)}
		if row, err2 := r.write(ctx, nil, step, failed, started); err2 == nil {
			r.last = row
			return true, nil
		} else if errors.Is(err2, errLeaseLost) {
			return true, err2
		} else if errors.Is(err2, errNotRunning) {
			return true, nil
		}
	}
	if err != nil {
		return true, err
	}
	r.last = row
	return false, nil
}

// write logs the step in tx (a new transaction when nil) and commits.
func (r *run) write(ctx context.Context, tx *sql.Tx, step workflow.Step, res workflow.Result, started time.Time) (*stepRow, error) {
	e := r.e
	if tx == nil {
		var err error
		if tx, err = e.db.BeginTx(ctx, nil); err != nil {
			return nil, fmt.Errorf("process: logging step %q: %w", step.Name(), err)
		}
	}
	defer tx.Rollback()
	state := res.State
	name := step.Name()
	if s, ok := state[keyStepNameOverride].(string); ok && s != "" {
		name = s
	}
	if keys, ok := state[keyRemoveKeys].([]any); ok {
		state = state.Clone()
		for _, k := range keys {
			if ks, ok := k.(string); ok {
				delete(state, ks)
			}
		}
	}
	status := processStatus(res, r.p.isTask)
	assignee := workflow.AssigneeSystem
	switch {
	case res.Status == workflow.StepSuspend:
		assignee = step.Assignee()
	case status == InconsistentData:
		assignee = workflow.AssigneeNOC
	}
	var reason, traceback sql.NullString
	if res.Status == workflow.StepFailed || res.Status == workflow.StepWaiting {
		reason = nullString(fmt.Sprint(state["error"]))
		traceback = nullString(res.Traceback)
	}
	row := &stepRow{id: uuid.New(), name: name, status: res.Status, state: state, createdBy: nullString(r.user), startedAt: started, completedAt: time.Now()}
	var err error
	switch {
	case (res.Status == workflow.StepFailed || res.Status == workflow.StepWaiting) && sameFailure(r.last, row):
		// The same failure again (a retry that failed alike): count it on the previous row.
		prev := r.last
		st := prev.state.Clone()
		retries := 0
		if n, ok := st["retries"].(interface{ String() string }); ok {
			fmt.Sscan(n.String(), &retries)
		}
		st["retries"] = retries + 1
		times, _ := st["completed_at"].([]any)
		st["completed_at"] = append(times, prev.completedAt.Format(time.RFC3339Nano))
		row.id, row.state = prev.id, st
		err = e.st.updateStep(ctx, tx, row)
	case truthy(state[keyReplaceLastState]) && r.last != nil:
		row.id = r.last.id
		err = e.st.updateStep(ctx, tx, row)
	default:
		err = e.st.insertStep(ctx, tx, r.p.pid, row, e.commitHash)
	}
	if err != nil {
		return nil, err
	}
	// The fence: the step commits only while this run's claim holds the lease (see updateAfterStep).
	locked, err := e.st.updateAfterStep(ctx, tx, r.p.pid, r.token, e.leaseExpiry, name, status, assignee, reason, traceback)
	if errors.Is(err, errNotRunning) {
		// Aborted meanwhile, or this run's lease was taken over by a rescue: the latter is worth a warning.
		if _, _, held, cerr := e.st.check(ctx, r.p.pid, r.token); cerr == nil && !held {
			return nil, errLeaseLost
		}
	}
	if err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("process: committing step %q: %w", name, err)
	}
	r.locked, r.known = locked, true
	return row, nil
}

// sameFailure reports whether a failed or waiting row repeats the previous row: same name, status, error and
// details.
func sameFailure(prev, row *stepRow) bool {
	if prev == nil || prev.name != row.name || prev.status != row.status {
		return false
	}
	return fmt.Sprint(prev.state["error"]) == fmt.Sprint(row.state["error"]) && reflect.DeepEqual(prev.state["details"], row.state["details"])
}

func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	}
	return true
}

// processStatus maps a step's outcome to the process status (spec/core.md §3.4). A task's failure is refined:
// inconsistent data gives inconsistent_data, an unavailable API api_unavailable.
func processStatus(res workflow.Result, isTask bool) Status {
	switch res.Status {
	case workflow.StepSuccess, workflow.StepSkipped:
		return Running
	case workflow.StepSuspend:
		return Suspended
	case workflow.StepWaiting:
		return Waiting
	case workflow.StepAwaitingCallback:
		return AwaitingCallback
	case workflow.StepAbort:
		return Aborted
	case workflow.StepComplete:
		return Completed
	}
	if isTask {
		class := fmt.Sprint(res.State["class"])
		switch {
		case errors.Is(res.Err, workflow.ErrInconsistentData) || class == "AssertionError" || class == "InconsistentData" || class == "InconsistentDataError":
			return InconsistentData
		case errors.Is(res.Err, workflow.ErrAPIUnavailable):
			return APIUnavailable
		}
	}
	return Failed
}
