package tasks

import (
	"fmt"
	"time"

	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/workflow"
)

// validateAwaitingCallbacks is task_validate_awaiting_callbacks: it fails the processes whose callback step has
// waited longer than the timeout the step set (workflow.CallbackTimeout), so that they show up as failed, with
// the reason "Callback timed out", and can be retried.
func validateAwaitingCallbacks() *workflow.Workflow {
	fail := workflow.NewStep("Fail callback steps that exceeded their timeout", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		tx, err := ctx.Tx()
		if err != nil {
			return nil, err
		}
		pids, err := process.FailTimedOutCallbacks(ctx, ctx.DB, tx, time.Now())
		if err != nil {
			return nil, fmt.Errorf("tasks: %w", err)
		}
		ids := make([]string, len(pids))
		for i, pid := range pids {
			ids[i] = pid.String()
		}
		return map[string]any{"number_of_timed_out_processes": len(ids), "timed_out_process_ids": ids}, nil
	})
	wf := task(ValidateAwaitingCallbacks, "Fail callback steps that exceeded their timeout", nil, fail)
	// Like the reference's, it starts only when there is something to fail and no earlier run is unfinished, so that
	// a schedule every 30 seconds leaves no trail of empty task processes.
	wf.RunPredicate = workflow.AllOf(process.NoUncompletedInstance, func(ctx *workflow.StartContext) (string, error) {
		found, err := process.HasTimedOutCallbacks(ctx, ctx.DB, time.Now())
		if err != nil || found {
			return "", err
		}
		return "No callback step has exceeded its timeout", nil
	})
	return wf
}
