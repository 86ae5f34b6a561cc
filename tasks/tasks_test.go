package tasks_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/settings"
	"github.com/wfo-go/wfo/tasks"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowtest"
	"github.com/wfo-go/wfo/wrapper"
)

func defaults(t *testing.T) settings.Settings {
	t.Helper()
	s, err := settings.Load(nil)
	require.NoError(t, err)
	return s
}

// setup runs fn once per dialect with the built-in workflows and extra registered.
func setup(t *testing.T, s settings.Settings, extra []*workflow.Workflow, fn func(t *testing.T, h *workflowtest.Harness)) {
	t.Helper()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Workflows(append(tasks.Workflows(s), extra...)...))
		fn(t, h)
	})
}

func query(t *testing.T, db *database.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func exec(t *testing.T, db *database.DB, q string, args ...any) {
	t.Helper()
	_, err := db.Exec(q, args...)
	require.NoError(t, err)
}

// The core revisions put every built-in workflow in the database, the tasks as tasks; the code registers the
// same names with the same targets.
func TestBuiltinsInDatabase(t *testing.T) {
	t.Parallel()
	setup(t, defaults(t), nil, func(t *testing.T, h *workflowtest.Harness) {
		rows := query(t, h.DB, "SELECT name || ' ' || target || ' ' || CASE WHEN is_task THEN 'task' ELSE 'workflow' END FROM workflows ORDER BY name")
		require.Equal(t, []string{
			"modify_note MODIFY workflow",
			"task_clean_up_tasks SYSTEM task",
			"task_resume_workflows SYSTEM task",
			"task_validate_awaiting_callbacks SYSTEM task",
			"task_validate_product_type SYSTEM task",
			"task_validate_products SYSTEM task",
			"task_validate_subscriptions SYSTEM task",
		}, rows)
		var code []string
		for _, w := range tasks.Workflows(defaults(t)) {
			kind := "workflow"
			if w.IsTask {
				kind = "task"
			}
			code = append(code, fmt.Sprintf("%s %s %s", w.Name, w.Target, kind))
		}
		sort.Strings(code)
		require.Equal(t, rows, code)
		require.Equal(t, []string{"Validate subscriptions"}, query(t, h.DB, "SELECT description FROM workflows WHERE name = 'task_validate_subscriptions'"))
		// The validation of products passes on the bare core.
		h.RequireStatus(h.Run(tasks.ValidateProducts), process.Completed)
	})
}

func sometask(name string, fail bool) *workflow.Workflow {
	return &workflow.Workflow{Name: name, Target: workflow.TargetSystem, Description: name, IsTask: true, Steps: []workflow.Step{
		workflow.Init,
		workflow.NewStep("Work", func(*workflow.Context, struct{}) (struct{}, error) {
			if fail {
				return struct{}{}, errors.New("no")
			}
			return struct{}{}, nil
		}),
		workflow.Done,
	}}
}

func TestCleanUpTasks(t *testing.T) {
	t.Parallel()
	s := defaults(t)
	s.TaskLogRetentionDays = 2
	plain := &workflow.Workflow{Name: "plain", Target: workflow.TargetSystem, Description: "plain", Steps: []workflow.Step{workflow.Init, workflow.Done}}
	setup(t, s, []*workflow.Workflow{sometask("task_ok", false), sometask("task_fail", true), plain}, func(t *testing.T, h *workflowtest.Harness) {
		old := h.Run("task_ok")
		recent := h.Run("task_ok")
		failed := h.Run("task_fail")
		notTask := h.Run("plain")
		age := time.Now().Add(-49 * time.Hour).UTC()
		for _, p := range []*process.Process{old, failed, notTask} {
			var ts any = age
			if h.DB.Dialect == database.SQLite {
				ts = age.Format("2006-01-02 15:04:05.000+00:00")
			}
			exec(t, h.DB, "UPDATE processes SET last_modified_at = $1 WHERE pid = $2", ts, p.ID)
		}
		p := h.Run(tasks.CleanUpTasks)
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Clean up completed tasks older than TASK_LOG_RETENTION_DAYS", "Done"}, p.StepNames())
		require.Equal(t, "1", fmt.Sprint(p.State["tasks_removed"]))
		left := query(t, h.DB, "SELECT pid FROM processes")
		require.NotContains(t, left, old.ID.String())
		for _, keep := range []*process.Process{recent, failed, notTask, p} {
			require.Contains(t, left, keep.ID.String())
		}
		require.Empty(t, query(t, h.DB, "SELECT stepid FROM process_steps WHERE pid = $1", old.ID))
		require.Empty(t, query(t, h.DB, "SELECT input_state_id FROM input_states WHERE pid = $1", old.ID))
	})
}

func TestResumeWorkflows(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	calls := map[string]int{}
	flaky := &workflow.Workflow{Name: "flaky_wait", Target: workflow.TargetSystem, Description: "x", Steps: []workflow.Step{
		workflow.Init,
		workflow.NewRetryStep("Call", func(ctx *workflow.Context, _ struct{}) (struct{}, error) {
			mu.Lock()
			defer mu.Unlock()
			calls[ctx.ProcessID.String()]++
			if calls[ctx.ProcessID.String()] == 1 {
				return struct{}{}, errors.New("try later")
			}
			return struct{}{}, nil
		}),
		workflow.Done,
	}}
	approval := &workflow.Workflow{Name: "approval", Target: workflow.TargetSystem, Description: "x", Steps: []workflow.Step{
		workflow.Init, workflow.NewInputStep[struct{}]("Approve", workflow.AssigneeNOC), workflow.Done,
	}}
	setup(t, defaults(t), []*workflow.Workflow{flaky, approval}, func(t *testing.T, h *workflowtest.Harness) {
		waiting := h.Run("flaky_wait")
		h.RequireStatus(waiting, process.Waiting)
		suspended := h.Run("approval")
		h.RequireStatus(suspended, process.Suspended)
		// A process created and never started (its instance stopped in between).
		created := uuid.New()
		exec(t, h.DB, "INSERT INTO processes (pid, workflow_id, last_status, created_by) SELECT $1, workflow_id, 'created', 'SYSTEM' FROM workflows WHERE name = 'flaky_wait'", created)
		exec(t, h.DB, "INSERT INTO input_states (input_state_id, pid, input_state, input_type) VALUES ($1, $2, '{}', 'initial_state')", uuid.New(), created)

		p := h.Run(tasks.ResumeWorkflows)
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Find waiting workflows", "Resume found workflows", "Restart found CREATED workflows", "Done"}, p.StepNames())
		require.Equal(t, []any{waiting.ID.String()}, p.State["waiting_process_ids"])
		require.Equal(t, []any{created.String()}, p.State["created_state_process_ids"])
		require.Equal(t, []any{waiting.ID.String()}, p.State["resumed_process_ids"])
		require.Equal(t, []any{created.String()}, p.State["started_process_ids"])

		h.RequireStatus(h.Get(waiting.ID), process.Completed)
		// The created one ran its first attempt and now waits.
		h.RequireStatus(h.Get(created), process.Waiting)
		h.RequireStatus(h.Get(suspended.ID), process.Suspended)
	})
}

// A process whose callback step has waited past the timeout in its state is failed by
// task_validate_awaiting_callbacks; one still within its timeout, one without a timeout and one that is no longer
// awaiting its callback are left alone.
func TestValidateAwaitingCallbacks(t *testing.T) {
	t.Parallel()
	callback := &workflow.Workflow{Name: "await_callback", Target: workflow.TargetSystem, Description: "x", Steps: []workflow.Step{
		workflow.Init,
		workflow.NewStep("Await callback", func(*workflow.Context, struct{}) (struct{}, error) { return struct{}{}, nil }),
		workflow.Done,
	}}
	setup(t, defaults(t), []*workflow.Workflow{callback}, func(t *testing.T, h *workflowtest.Harness) {
		d := h.DB.Dialect
		awaiting := func(status, state string, started time.Time) uuid.UUID {
			pid := uuid.New()
			exec(t, h.DB, "INSERT INTO processes (pid, workflow_id, last_status, last_step, created_by) SELECT $1, workflow_id, $2, 'Await callback', 'SYSTEM' FROM workflows WHERE name = 'await_callback'", pid, status)
			exec(t, h.DB, "INSERT INTO process_steps (stepid, pid, name, status, state, started_at, completed_at) VALUES ($1, $2, 'Start', 'success', '{}', $3, $3)",
				uuid.New(), pid, d.Time(started.Add(-time.Second)))
			exec(t, h.DB, "INSERT INTO process_steps (stepid, pid, name, status, state, started_at, completed_at) VALUES ($1, $2, 'Await callback', 'awaiting_callback', $3, $4, $4)",
				uuid.New(), pid, state, d.Time(started))
			return pid
		}
		hourAgo := time.Now().Add(-time.Hour)
		late := awaiting("awaiting_callback", `{"callback_route": "/x", "__callback_timeout": 600}`, hourAgo)
		inTime := awaiting("awaiting_callback", `{"__callback_timeout": 7200}`, hourAgo)
		noTimeout := awaiting("awaiting_callback", `{"callback_route": "/x"}`, hourAgo)
		resumed := awaiting("resumed", `{"__callback_timeout": 1}`, hourAgo)

		p := h.Run(tasks.ValidateAwaitingCallbacks)
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Fail callback steps that exceeded their timeout", "Done"}, p.StepNames())
		require.Equal(t, []any{late.String()}, p.State["timed_out_process_ids"])

		failed := h.Get(late)
		h.RequireStatus(failed, process.Failed)
		require.Equal(t, "Callback timed out", failed.FailedReason)
		require.Equal(t, "Await callback", failed.LastStep)
		require.Equal(t, []string{"success", "failed"}, query(t, h.DB, "SELECT status FROM process_steps WHERE pid = $1 ORDER BY started_at", late))
		require.Equal(t, []string{"/x Callback timed out"}, query(t, h.DB, "SELECT "+jsonText(d, "callback_route")+" || ' ' || "+jsonText(d, "error")+" FROM process_steps WHERE pid = $1 AND status = 'failed'", late))
		for _, pid := range []uuid.UUID{inTime, noTimeout} {
			h.RequireStatus(h.Get(pid), process.AwaitingCallback)
		}
		h.RequireStatus(h.Get(resumed), process.Resumed)
	})
}

// task_validate_awaiting_callbacks starts only when a callback has run out of time and no earlier run of it is
// unfinished (its run predicate): otherwise the start is refused and no process is created.
func TestValidateAwaitingCallbacksPredicate(t *testing.T) {
	t.Parallel()
	quick := &workflow.Workflow{Name: "quick", Target: workflow.TargetSystem, Description: "quick",
		Steps: append(append([]workflow.Step{workflow.Init}, workflow.CallbackStep("Provision",
			workflow.NewStep("Ask", func(*workflow.Context, struct{}) (struct{}, error) { return struct{}{}, nil }),
			workflow.NewStep("Check", func(*workflow.Context, struct{}) (struct{}, error) { return struct{}{}, nil }),
			workflow.CallbackTimeout(time.Millisecond))...), workflow.Done)}
	setup(t, defaults(t), []*workflow.Workflow{quick}, func(t *testing.T, h *workflowtest.Harness) {
		tasksOf := func() int {
			return len(query(t, h.DB, "SELECT p.pid FROM processes p JOIN workflows w ON w.workflow_id = p.workflow_id WHERE w.name = $1", tasks.ValidateAwaitingCallbacks))
		}
		_, err := h.Start(tasks.ValidateAwaitingCallbacks)
		var refused *process.StartRefusedError
		require.ErrorAs(t, err, &refused, "nothing awaits a callback")
		require.ErrorIs(t, err, process.ErrStartRefused)
		require.Equal(t, "No callback step has exceeded its timeout", refused.Reason)
		require.Zero(t, tasksOf(), "a refused start creates no process")

		waiting := h.Run("quick")
		h.RequireStatus(waiting, process.AwaitingCallback)
		time.Sleep(5 * time.Millisecond)
		// An unfinished earlier run blocks the next one, whatever there is to do.
		earlier := uuid.New()
		exec(t, h.DB, "INSERT INTO processes (pid, workflow_id, last_status, last_step, created_by, is_task) SELECT $1, workflow_id, 'failed', 'Start', 'SYSTEM', true FROM workflows WHERE name = $2",
			earlier, tasks.ValidateAwaitingCallbacks)
		_, err = h.Start(tasks.ValidateAwaitingCallbacks)
		require.ErrorAs(t, err, &refused)
		require.Contains(t, refused.Reason, "Another instance of task_validate_awaiting_callbacks is not completed yet")
		exec(t, h.DB, "UPDATE processes SET last_status = 'aborted' WHERE pid = $1", earlier)

		task := h.Run(tasks.ValidateAwaitingCallbacks)
		h.RequireStatus(task, process.Completed)
		require.Equal(t, []any{waiting.ID.String()}, task.State["timed_out_process_ids"])
		require.Equal(t, 2, tasksOf())
	})
}

// A workflow's callback step with a timeout, end to end: the wait past the timeout is failed by the task and the
// process can be retried; a process within its timeout still gets its callback.
func TestCallbackStepTimeout(t *testing.T) {
	t.Parallel()
	noop := func(name string) workflow.Step {
		return workflow.NewStep(name, func(*workflow.Context, struct{}) (struct{}, error) { return struct{}{}, nil })
	}
	wf := func(name string, timeout time.Duration) *workflow.Workflow {
		steps := append([]workflow.Step{workflow.Init}, workflow.CallbackStep("Provision", noop("Ask"), noop("Check"), workflow.CallbackTimeout(timeout))...)
		return &workflow.Workflow{Name: name, Target: workflow.TargetSystem, Description: name, Steps: append(steps, workflow.Done)}
	}
	setup(t, defaults(t), []*workflow.Workflow{wf("quick", time.Millisecond), wf("patient", time.Hour)}, func(t *testing.T, h *workflowtest.Harness) {
		quick := h.Run("quick")
		h.RequireStatus(quick, process.AwaitingCallback)
		patient := h.Run("patient")
		h.RequireStatus(patient, process.AwaitingCallback)
		time.Sleep(5 * time.Millisecond) // past the quick one's timeout

		task := h.Run(tasks.ValidateAwaitingCallbacks)
		h.RequireStatus(task, process.Completed)
		require.Equal(t, []any{quick.ID.String()}, task.State["timed_out_process_ids"])
		failed := h.Get(quick.ID)
		h.RequireStatus(failed, process.Failed)
		require.Equal(t, "Callback timed out", failed.FailedReason)
		require.Equal(t, "Provision - Await callback", failed.LastStep)

		waiting := h.Get(patient.ID)
		h.RequireStatus(waiting, process.AwaitingCallback)
		token, _ := waiting.State[workflow.CallbackTokenKey].(string)
		require.NoError(t, h.Engine.Callback(context.Background(), patient.ID, token, map[string]any{"ok": true}))
		done := h.Get(patient.ID)
		h.RequireStatus(done, process.Completed)
		require.NotContains(t, done.State, workflow.CallbackTimeoutKey, "the cleanup step drops the timeout")
	})
}

// jsonText is the SQL for a text member of the step state.
func jsonText(d database.Dialect, key string) string {
	if d == database.Postgres {
		return "(state::jsonb->>'" + key + "')"
	}
	return "json_extract(state, '$." + key + "')"
}

// fixture makes a product of a type with the named workflows linked, and a subscription of it.
func fixture(t *testing.T, db *database.DB, product, productType string, status string, insync bool, workflows ...string) (productID, subscriptionID uuid.UUID) {
	t.Helper()
	productID, subscriptionID = uuid.New(), uuid.New()
	exec(t, db, "INSERT INTO products (product_id, name, description, product_type, tag, status) VALUES ($1, $2, $3, $4, 'TAG', 'active')", productID, product, product, productType)
	for _, w := range workflows {
		exec(t, db, "INSERT INTO products_workflows (product_id, workflow_id) SELECT $1, workflow_id FROM workflows WHERE name = $2", productID, w)
	}
	exec(t, db, "INSERT INTO subscriptions (subscription_id, description, status, product_id, customer_id, insync) VALUES ($1, 'sub', $2, $3, 'customer', $4)",
		subscriptionID, status, productID, insync)
	return productID, subscriptionID
}

func TestModifyNote(t *testing.T) {
	t.Parallel()
	setup(t, defaults(t), nil, func(t *testing.T, h *workflowtest.Harness) {
		_, sub := fixture(t, h.DB, "P", "PT", "active", false, tasks.ModifyNote)
		// Out of sync is fine for modify_note.
		p := h.Run(tasks.ModifyNote, map[string]any{"subscription_id": sub.String()}, map[string]any{"note": "call first"})
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Create Process Subscription relation", "Store note", "Done"}, p.StepNames())
		require.Equal(t, []string{"call first"}, query(t, h.DB, "SELECT note FROM subscriptions WHERE subscription_id = $1", sub))
		require.Nil(t, p.State["old_note"])
		require.Equal(t, []string{sub.String() + " MODIFY"}, query(t, h.DB, "SELECT subscription_id || ' ' || workflow_target FROM processes_subscriptions WHERE pid = $1", p.ID))

		// Without a note, the note stays; the old one is in the state.
		p = h.Run(tasks.ModifyNote, map[string]any{"subscription_id": sub.String()})
		require.Equal(t, "call first", p.State["old_note"])
		require.Equal(t, []string{"call first"}, query(t, h.DB, "SELECT note FROM subscriptions WHERE subscription_id = $1", sub))

		_, err := h.Start(tasks.ModifyNote, map[string]any{"subscription_id": uuid.NewString()})
		require.ErrorContains(t, err, "subscription_id: Subscription not found")
		_, other := fixture(t, h.DB, "Q", "PT", "active", true)
		_, err = h.Start(tasks.ModifyNote, map[string]any{"subscription_id": other.String()})
		require.ErrorContains(t, err, "subscription_id: This workflow is not valid for this subscription")
		_, terminated := fixture(t, h.DB, "R", "PT", "terminated", true, tasks.ModifyNote)
		_, err = h.Start(tasks.ModifyNote, map[string]any{"subscription_id": terminated.String()})
		require.ErrorContains(t, err, "This subscription can not be modified because of the status it has")
	})
}

func TestValidateProducts(t *testing.T) {
	t.Parallel()
	setup(t, defaults(t), nil, func(t *testing.T, h *workflowtest.Harness) {
		exec(t, h.DB, "INSERT INTO workflows (workflow_id, name, target, description) VALUES ($1, 'gone', 'MODIFY', 'gone')", uuid.New())
		p := h.Run(tasks.ValidateProducts)
		h.RequireStatus(p, process.Failed)
		require.Equal(t, "Check all workflows in database", p.LastStep)
		require.Equal(t, "Found missing workflows in database or implementations", p.FailedReason)
		require.Equal(t, map[string]any{
			"Workflows not registered in the database":             []any{},
			"Workflows not registered in a `LazyWorkflowInstance`": []any{"gone"},
		}, p.Steps[len(p.Steps)-1].State["details"])
		exec(t, h.DB, "DELETE FROM workflows WHERE name = 'gone'")

		// A product without workflows; then one without modify_note; then a subscription no model can load.
		fixture(t, h.DB, "Lonely", "PT", "active", true)
		p = h.Run(tasks.ValidateProducts)
		require.Equal(t, "Found products that do not have a workflow associated with them", p.FailedReason)
		exec(t, h.DB, "INSERT INTO products_workflows (product_id, workflow_id) SELECT p.product_id, w.workflow_id FROM products p, workflows w WHERE w.name = 'task_validate_products'")
		p = h.Run(tasks.ValidateProducts)
		require.Equal(t, "Found products that do not have a modify_note workflow", p.FailedReason)
		exec(t, h.DB, "INSERT INTO products_workflows (product_id, workflow_id) SELECT p.product_id, w.workflow_id FROM products p, workflows w WHERE w.name = 'modify_note'")
		p = h.Run(tasks.ValidateProducts)
		require.Equal(t, "Check subscription models", p.LastStep)
		require.Equal(t, "Found subscriptions that could not be loaded", p.FailedReason)
		require.Equal(t, []any{"Lonely"}, p.Steps[len(p.Steps)-2].State["products_without_at_least_create_modify_terminate_validate_workflows"])
	})
}

func validateWF(ran map[string][]string) *workflow.Workflow {
	return wrapper.Validate("validate_thing", "Validate thing", []workflow.Step{
		workflow.NewStep("Check thing", func(ctx *workflow.Context, in struct {
			SubscriptionID string `json:"subscription_id"`
		}) (struct{}, error) {
			ran["validate_thing"] = append(ran["validate_thing"], in.SubscriptionID)
			return struct{}{}, nil
		}),
	})
}

func TestValidateProductTypeAndSubscriptions(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ran := map[string][]string{}
		h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Workflows(append(tasks.Workflows(defaults(t)), validateWF(ran))...))
		_, a := fixture(t, h.DB, "Thing A", "Thing", "active", true, "validate_thing")
		_, b := fixture(t, h.DB, "Thing B", "Thing", "active", false, "validate_thing") // out of sync: left alone
		_, c := fixture(t, h.DB, "Other", "Other", "active", true)                      // no validation workflow
		_, d := fixture(t, h.DB, "Thing C", "Thing", "provisioning", true, "validate_thing")
		_ = c

		_, err := h.Start(tasks.ValidateProductType, map[string]any{"product_type": "Nope"})
		require.ErrorContains(t, err, "product_type: value is not a valid enumeration member; permitted: 'Other', 'Thing'")

		p := h.Run(tasks.ValidateProductType, map[string]any{"product_type": "Thing"})
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{a.String()}, ran["validate_thing"])
		require.Equal(t, []any{map[string]any{"total_workflows_validated": jsonNumber(1), "workflows": []any{
			map[string]any{"workflow_name": "validate_thing", "subscription_id": a.String(), "product_type": "Thing"},
		}}}, p.State["result"])
		// The validation ran as its own process, linked to the subscription, and left it in sync.
		require.Equal(t, []string{"validate_thing"}, query(t, h.DB, `SELECT w.name FROM processes_subscriptions ps JOIN processes p ON p.pid = ps.pid
JOIN workflows w ON w.workflow_id = p.workflow_id WHERE ps.subscription_id = $1`, a))
		require.Equal(t, []string{"1"}, query(t, h.DB, "SELECT CASE WHEN insync THEN '1' ELSE '0' END FROM subscriptions WHERE subscription_id = $1", a))

		p = h.Run(tasks.ValidateProductType, map[string]any{"product_type": "Other"})
		require.Empty(t, p.State["result"])

		// The subscription validator: in-sync subscriptions only, and a product without a validation workflow does
		// not stop the others (the reference's scheduler stopped at the first).
		ran["validate_thing"] = nil
		p = h.Run(tasks.ValidateSubscriptions)
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{a.String()}, ran["validate_thing"])
		_, _ = b, d
	})
}

func TestValidateOutOfSyncSubscriptions(t *testing.T) {
	t.Parallel()
	s := defaults(t)
	s.ValidateOutOfSyncSubscriptions = true
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ran := map[string][]string{}
		h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Workflows(append(tasks.Workflows(s), validateWF(ran))...))
		_, b := fixture(t, h.DB, "Thing B", "Thing", "active", false, "validate_thing")
		p := h.Run(tasks.ValidateSubscriptions)
		h.RequireStatus(p, process.Completed)
		// Validations run on out-of-sync subscriptions too (and, as in the reference, unlock them at the end).
		require.Equal(t, []string{b.String()}, ran["validate_thing"])
		require.Len(t, p.State["result"], 1)
	})
}

func jsonNumber(n int) json.Number { return json.Number(fmt.Sprint(n)) }
