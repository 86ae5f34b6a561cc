package workflow

import (
	"context"
	"fmt"

	"github.com/wfo-go/wfo/database"
)

// RunPredicate decides whether a workflow may start now. It returns "" to let the start go ahead, or the reason it
// is refused; an error is a failure to decide (the start fails with it).
type RunPredicate func(ctx *StartContext) (reason string, err error)

// StartContext is what a RunPredicate gets: the context of the start, the database and the workflow.
type StartContext struct {
	context.Context
	// DB is the database the process would run on.
	DB *database.DB
	// Workflow is the workflow being started.
	Workflow *Workflow
}

// NoUncompletedInstance refuses a start while a process of the same workflow exists that is neither completed
// nor aborted (running, suspended, waiting, failed, ...): the reference's no_uncompleted_instance, which its
// validation tasks use so that a slow or failed run is not joined by another.
func NoUncompletedInstance(ctx *StartContext) (string, error) {
	var n int
	err := ctx.DB.QueryRowContext(ctx, ctx.DB.Dialect.Rebind("SELECT count(*) FROM processes p JOIN workflows w ON w.workflow_id = p.workflow_id "+
		"WHERE w.name = ? AND p.last_status NOT IN ('completed', 'aborted')"), ctx.Workflow.Name).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("workflow: counting the unfinished processes of %s: %w", ctx.Workflow.Name, err)
	}
	if n > 0 {
		return fmt.Sprintf("Another instance of %s is not completed yet (%d unfinished)", ctx.Workflow.Name, n), nil
	}
	return "", nil
}

// AllOf refuses a start with the reason of the first predicate that refuses it.
func AllOf(preds ...RunPredicate) RunPredicate {
	return func(ctx *StartContext) (string, error) {
		for _, p := range preds {
			if reason, err := p(ctx); reason != "" || err != nil {
				return reason, err
			}
		}
		return "", nil
	}
}
