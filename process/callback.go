package process

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/workflow"
)

// ErrInvalidToken means a callback's token is not the one the waiting step published.
var ErrInvalidToken = errors.New("invalid callback token")

// ErrNotAwaiting means a callback came for a process that does not await one.
var ErrNotAwaiting = errors.New("process is not awaiting a callback")

// Callback delivers the result of an external system to a process that awaits it (see workflow.CallbackStep):
// the process must be awaiting_callback (else ErrNotAwaiting) and token the one its step published (else
// ErrInvalidToken, compared in constant time). The result is stored in the waiting step's state under the step's
// result key, and the process continues: the validate step after the wait sees it.
func (e *Engine) Callback(ctx context.Context, pid uuid.UUID, token string, result map[string]any) error {
	if err := e.CheckModel(ctx); err != nil {
		return err
	}
	user := UserFrom(ctx)
	var lease uuid.UUID
	err := e.st.inTx(ctx, func(tx *sql.Tx) error {
		last, err := e.awaiting(ctx, tx, pid, token)
		if err != nil {
			return err
		}
		key, _ := last.state[workflow.CallbackResultKeyKey].(string)
		if key == "" {
			key = workflow.CallbackResultKey
		}
		if result == nil {
			result = map[string]any{}
		}
		last.state[key] = result
		if err := e.st.updateStep(ctx, tx, last); err != nil {
			return err
		}
		if !e.sync {
			_, err = e.st.setStatus(ctx, tx, pid, Resumed)
			return err
		}
		lease, err = e.claim(ctx, tx, pid)
		return err
	})
	if err != nil {
		return err
	}
	return e.runOn(ctx, pid, lease, user)
}

// CallbackProgress stores progress an external system reports while a process awaits its callback: under
// callback_progress in the waiting step's state, a key the step log drops once the wait is over. The checks are
// Callback's; the process keeps waiting.
func (e *Engine) CallbackProgress(ctx context.Context, pid uuid.UUID, token string, progress any) error {
	return e.st.inTx(ctx, func(tx *sql.Tx) error {
		last, err := e.awaiting(ctx, tx, pid, token)
		if err != nil {
			return err
		}
		last.state[workflow.CallbackProgressKey] = progress
		remove, _ := last.state[keyRemoveKeys].([]any)
		if !slices.Contains(remove, any(workflow.CallbackProgressKey)) {
			last.state[keyRemoveKeys] = append(remove, workflow.CallbackProgressKey)
		}
		return e.st.updateStep(ctx, tx, last)
	})
}

// awaiting locks a process awaiting a callback and returns its waiting step's row, once the token matches.
func (e *Engine) awaiting(ctx context.Context, tx *sql.Tx, pid uuid.UUID, token string) (*stepRow, error) {
	p, err := e.st.process(ctx, tx, pid, true)
	if err != nil {
		return nil, err
	}
	if p.status != AwaitingCallback {
		return nil, fmt.Errorf("process: %s is %s: %w", pid, p.status, ErrNotAwaiting)
	}
	steps, err := e.st.steps(ctx, tx, pid)
	if err != nil {
		return nil, err
	}
	if len(steps) == 0 || steps[len(steps)-1].status != workflow.StepAwaitingCallback {
		return nil, fmt.Errorf("process: %s has no step awaiting a callback: %w", pid, ErrNotAwaiting)
	}
	last := steps[len(steps)-1]
	want, _ := last.state[workflow.CallbackTokenKey].(string)
	if want == "" || subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 {
		return nil, fmt.Errorf("process: %s: %w", pid, ErrInvalidToken)
	}
	if last.state == nil {
		last.state = workflow.State{}
	}
	return last, nil
}
