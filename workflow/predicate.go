package workflow

import (
	"context"

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
