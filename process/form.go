package process

import (
	"context"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/workflow"
)

// NextForm returns the form a resume of the process is validated by: the form of the input step it is suspended
// in, the empty form otherwise (a retry takes no input). The workflow must still be registered.
func (e *Engine) NextForm(ctx context.Context, pid uuid.UUID) (workflow.Form, error) {
	p, err := e.st.process(ctx, e.db, pid, false)
	if err != nil {
		return nil, err
	}
	wf, err := e.reg.Get(p.workflow)
	if err != nil {
		return nil, ErrRemoved
	}
	if p.status != Suspended {
		return workflow.EmptyForm, nil
	}
	steps, err := e.st.steps(ctx, e.db, pid)
	if err != nil {
		return nil, err
	}
	_, idx, last := recoverState(steps)
	if last != nil && last.status == workflow.StepSuspend && idx < len(wf.Steps) {
		return wf.Steps[idx].Form(), nil
	}
	return workflow.EmptyForm, nil
}
