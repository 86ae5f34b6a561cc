// Package tasks holds the core's built-in workflows and tasks (spec/core.md §4): modify_note, task_clean_up_tasks,
// task_resume_workflows, task_validate_products, task_validate_product_type, task_validate_subscriptions and
// task_validate_awaiting_callbacks. The core revisions insert their rows in workflows; Workflows returns their
// declarations for the registry.
package tasks

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/settings"
	"github.com/wfo-go/wfo/workflow"
)

// The names of the built-in workflows.
const (
	ModifyNote                = "modify_note"
	CleanUpTasks              = "task_clean_up_tasks"
	ResumeWorkflows           = "task_resume_workflows"
	ValidateProducts          = "task_validate_products"
	ValidateProductType       = "task_validate_product_type"
	ValidateSubscriptions     = "task_validate_subscriptions"
	ValidateAwaitingCallbacks = "task_validate_awaiting_callbacks"
	resumeWorkflowDescription = "Resume all workflows that are stuck on tasks with the status 'waiting', 'created' or 'resumed'"
)

// Workflows returns the built-in workflows, configured by the settings they read (TASK_LOG_RETENTION_DAYS,
// VALIDATE_OUT_OF_SYNC_SUBSCRIPTIONS, TRANSLATIONS_DIR).
func Workflows(s settings.Settings) []*workflow.Workflow {
	return []*workflow.Workflow{
		modifyNote(),
		cleanUpTasks(s.TaskLogRetentionDays),
		resumeWorkflows(),
		validateProducts(s.TranslationsDir),
		validateProductType(),
		validateSubscriptions(s.ValidateOutOfSyncSubscriptions),
		validateAwaitingCallbacks(),
	}
}

// Names lists the built-in workflows' names, sorted.
func Names() []string {
	return []string{ModifyNote, CleanUpTasks, ResumeWorkflows, ValidateAwaitingCallbacks, ValidateProductType, ValidateProducts, ValidateSubscriptions}
}

func task(name, description string, form workflow.Form, steps ...workflow.Step) *workflow.Workflow {
	return &workflow.Workflow{
		Name: name, Target: workflow.TargetSystem, Description: description, IsTask: true, Form: form,
		Steps: append(append([]workflow.Step{workflow.Init}, steps...), workflow.Done),
	}
}

func cleanUpTasks(days int) *workflow.Workflow {
	remove := workflow.NewStep("Clean up completed tasks older than TASK_LOG_RETENTION_DAYS", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		tx, err := ctx.Tx()
		if err != nil {
			return nil, err
		}
		cutoff := time.Now().Add(-time.Duration(days) * 24 * time.Hour)
		n, err := process.RemoveCompletedTasks(ctx, ctx.Dialect(), tx, cutoff)
		if err != nil {
			return nil, fmt.Errorf("tasks: %w", err)
		}
		return map[string]any{"tasks_removed": n}, nil
	})
	return task(CleanUpTasks, "Clean up old tasks", nil, remove)
}

// ids lists the ids of processes with a status, except the running task's own.
func ids(ctx *workflow.Context, status process.Status) ([]string, error) {
	pids, err := process.IDsWithStatus(ctx, ctx.DB, status, ctx.ProcessID)
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	out := make([]string, len(pids))
	for i, pid := range pids {
		out[i] = pid.String()
	}
	return out, nil
}

type found struct {
	Waiting []string `json:"waiting_process_ids"`
	Resumed []string `json:"resumed_state_process_ids"`
	Created []string `json:"created_state_process_ids"`
}

func resumeWorkflows() *workflow.Workflow {
	find := workflow.NewStep("Find waiting workflows", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		var f found
		var err error
		if f.Created, err = ids(ctx, process.Created); err != nil {
			return nil, err
		}
		// A process whose engine died while running it becomes resumed once the engine's lease has expired.
		if r, ok := ctx.Processes.(interface {
			Rescue(context.Context) (int, error)
		}); ok {
			if _, err := r.Rescue(ctx); err != nil {
				return nil, err
			}
		}
		if f.Resumed, err = ids(ctx, process.Resumed); err != nil {
			return nil, err
		}
		if f.Waiting, err = ids(ctx, process.Waiting); err != nil {
			return nil, err
		}
		return map[string]any{
			"number_of_waiting_processes": len(f.Waiting), "waiting_process_ids": f.Waiting,
			"created_processes_stuck": len(f.Created), "created_state_process_ids": f.Created,
			"resumed_processes_stuck": len(f.Resumed), "resumed_state_process_ids": f.Resumed,
		}, nil
	})
	// Resuming commits (and, synchronously, runs the process), so these steps hold no transaction of their own.
	resume := workflow.NewStep("Resume found workflows", func(ctx *workflow.Context, f found) (map[string]any, error) {
		resumed := []string{}
		for _, pid := range append(append([]string{}, f.Waiting...), f.Resumed...) {
			if err := forProcess(ctx, pid, func(c context.Context, id uuid.UUID) error { return ctx.Processes.Resume(c, id) }); err != nil {
				ctx.Log().Warn("Could not resume process", "process_id", pid, "error", err)
				continue
			}
			resumed = append(resumed, pid)
		}
		return map[string]any{"number_of_resumed_process_ids": len(resumed), "resumed_process_ids": resumed}, nil
	})
	restart := workflow.NewStep("Restart found CREATED workflows", func(ctx *workflow.Context, f found) (map[string]any, error) {
		started := []string{}
		for _, pid := range f.Created {
			if err := forProcess(ctx, pid, ctx.Processes.Restart); err != nil {
				ctx.Log().Warn("Could not restart process", "process_id", pid, "error", err)
				continue
			}
			started = append(started, pid)
		}
		return map[string]any{"number_of_started_process_ids": len(started), "started_process_ids": started}, nil
	})
	return task(ResumeWorkflows, resumeWorkflowDescription, nil, find, resume, restart)
}

func forProcess(ctx *workflow.Context, pid string, fn func(context.Context, uuid.UUID) error) error {
	id, err := uuid.Parse(pid)
	if err != nil {
		return err
	}
	return fn(ctx, id)
}
