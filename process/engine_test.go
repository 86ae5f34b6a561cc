package process_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowtest"
)

type nameForm struct {
	Name  string `json:"name" validate:"required"`
	Count int    `json:"count" validate:"min=1,max=10"`
}

type nameIn struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

type greeting struct {
	Greeting string `json:"greeting"`
}

func greet() *workflow.Workflow {
	return &workflow.Workflow{
		Name: "greet", Target: workflow.TargetSystem, Description: "Greet someone",
		Form: workflow.FormFor[nameForm](),
		Steps: []workflow.Step{
			workflow.Init,
			workflow.NewStep("Greet", func(_ *workflow.Context, in nameIn) (greeting, error) {
				return greeting{Greeting: strings.Repeat("hello ", in.Count) + in.Name}, nil
			}),
			workflow.Done,
		},
	}
}

// setup builds a harness per dialect; fn runs once for SQLite and once for PostgreSQL.
func setup(t *testing.T, wfs []*workflow.Workflow, fn func(t *testing.T, h *workflowtest.Harness), opts ...workflowtest.Option) {
	t.Helper()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		h := workflowtest.New(t, append([]workflowtest.Option{workflowtest.DatabaseURI(target.URI), workflowtest.Workflows(wfs...)}, opts...)...)
		fn(t, h)
	})
}

func TestStartRunsToCompletion(t *testing.T) {
	t.Parallel()
	setup(t, []*workflow.Workflow{greet()}, func(t *testing.T, h *workflowtest.Harness) {
		ctx := process.WithUser(context.Background(), "jdoe")
		pid, err := h.Engine.Start(ctx, "greet", map[string]any{"name": "Ada"}, map[string]any{"count": 2})
		require.NoError(t, err)
		p := h.Get(pid)
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Greet", "Done"}, p.StepNames())
		require.Equal(t, "hello hello Ada", p.State["greeting"])
		require.Equal(t, "jdoe", p.State["reporter"])
		require.Equal(t, pid.String(), p.State["process_id"])
		require.Equal(t, "greet", p.State["workflow_name"])
		require.Equal(t, "SYSTEM", p.State["workflow_target"])
		require.Equal(t, "Done", p.LastStep)
		require.Equal(t, "jdoe", p.CreatedBy)
		require.True(t, p.IsTask == false)
		for i, s := range p.Steps {
			want := workflow.StepSuccess
			if i == 2 {
				want = workflow.StepComplete
			}
			require.Equal(t, want, s.Status, s.Name)
			require.Equal(t, "jdoe", s.CreatedBy)
		}
		// The step log keeps the state after every step.
		require.NotContains(t, p.Steps[0].State, "greeting")
		require.Equal(t, "hello hello Ada", p.Steps[1].State["greeting"])

		var inputs int
		require.NoError(t, h.DB.QueryRow("SELECT count(*) FROM input_states WHERE pid = $1 AND input_type = 'initial_state'", pid).Scan(&inputs))
		require.Equal(t, 1, inputs)
		st, err := h.Engine.Status(context.Background())
		require.NoError(t, err)
		require.Equal(t, "RUNNING", st.String())
		require.Zero(t, st.RunningProcesses)
	})
}

func TestStartErrors(t *testing.T) {
	t.Parallel()
	unregistered := &workflow.Workflow{Name: "not_in_db", Target: workflow.TargetSystem, Steps: []workflow.Step{workflow.Done}}
	setup(t, []*workflow.Workflow{greet()}, func(t *testing.T, h *workflowtest.Harness) {
		_, err := h.Start("nope")
		require.ErrorIs(t, err, workflow.ErrUnknownWorkflow)

		// Every invalid field is reported by name; no process is created.
		_, err = h.Start("greet", map[string]any{"count": 11})
		require.ErrorIs(t, err, workflow.ErrInvalidInput)
		var fe workflow.FieldErrors
		require.ErrorAs(t, err, &fe)
		require.Equal(t, []string{"name", "count"}, fe.Fields())
		require.EqualError(t, err, "process: starting greet: workflow: invalid input: name: field required; count: ensure this value is less than or equal to 10")
		var n int
		require.NoError(t, h.DB.QueryRow("SELECT count(*) FROM processes").Scan(&n))
		require.Zero(t, n)

		require.NoError(t, h.Registry.Add(unregistered))
		_, err = h.Start("not_in_db")
		require.ErrorIs(t, err, process.ErrNotInDatabase)
	})
}

type confirmForm struct {
	Confirm bool   `json:"confirm"`
	Remark  string `json:"remark" validate:"required,max=20"`
	Speed   int    `json:"speed" validate:"oneof=1000 10000"`
}

func approval() *workflow.Workflow {
	return &workflow.Workflow{
		Name: "approval", Target: workflow.TargetModify, Description: "Ask for approval",
		Steps: []workflow.Step{
			workflow.Init,
			workflow.NewStep("Prepare", func(*workflow.Context, struct{}) (map[string]any, error) {
				return map[string]any{"prepared": true, "nested": map[string]any{"a": 1}}, nil
			}),
			workflow.NewInputStep[confirmForm]("Confirm", workflow.AssigneeNOC),
			workflow.NewStep("Apply", func(_ *workflow.Context, in struct {
				Confirm bool `json:"confirm"`
			}) (map[string]any, error) {
				return map[string]any{"applied": in.Confirm}, nil
			}),
			workflow.Done,
		},
	}
}

func TestInputStepSuspendsAndResumes(t *testing.T) {
	t.Parallel()
	setup(t, []*workflow.Workflow{approval()}, func(t *testing.T, h *workflowtest.Harness) {
		p := h.Run("approval", map[string]any{})
		h.RequireStatus(p, process.Suspended)
		require.Equal(t, workflow.AssigneeNOC, p.Assignee)
		require.Equal(t, "Confirm", p.LastStep)
		require.Equal(t, []string{"Start", "Prepare", "Confirm"}, p.StepNames())
		require.Equal(t, workflow.StepSuspend, p.Steps[2].Status)

		// The input is validated by the step's own form, every invalid field named; the process stays suspended.
		err := h.Engine.Resume(context.Background(), p.ID, map[string]any{"remark": strings.Repeat("x", 21), "speed": 5, "confirm": "yes"})
		var fe workflow.FieldErrors
		require.ErrorAs(t, err, &fe)
		require.Equal(t, []string{"confirm", "remark", "speed"}, fe.Fields())
		require.Equal(t, process.Suspended, h.Get(p.ID).Status)

		p = h.Resume(p.ID, map[string]any{"confirm": true, "remark": "ok", "speed": 1000})
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Prepare", "Confirm", "Confirm", "Apply", "Done"}, p.StepNames())
		require.Equal(t, workflow.StepSuccess, p.Steps[3].Status)
		require.Equal(t, true, p.State["applied"])
		require.Equal(t, "ok", p.State["remark"])
		require.Equal(t, workflow.AssigneeSystem, p.Assignee)

		var n int
		require.NoError(t, h.DB.QueryRow("SELECT count(*) FROM input_states WHERE pid = $1 AND input_type = 'user_input'", p.ID).Scan(&n))
		require.Equal(t, 1, n)

		_, err = h.Engine.Get(context.Background(), uuid.New())
		require.ErrorIs(t, err, process.ErrNotFound)
		require.ErrorIs(t, h.Engine.Resume(context.Background(), p.ID), process.ErrWrongStatus)
	})
}

type flaky struct {
	mu    sync.Mutex
	fails map[string]int
}

// step fails the first n runs for each process, then succeeds.
func (f *flaky) step(name string, n int, retry bool, fail func() error) workflow.Step {
	fn := func(ctx *workflow.Context, in workflow.State) (map[string]any, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		key := ctx.ProcessID.String() + name
		if f.fails[key] < n {
			f.fails[key]++
			return nil, fail()
		}
		return map[string]any{name: "ok"}, nil
	}
	if retry {
		return workflow.NewRetryStep(name, fn)
	}
	return workflow.NewStep(name, fn)
}

func TestFailedStepKeepsStateAndRetries(t *testing.T) {
	t.Parallel()
	f := &flaky{fails: map[string]int{}}
	wf := &workflow.Workflow{
		Name: "flaky", Target: workflow.TargetSystem, Description: "Fails twice",
		Steps: []workflow.Step{
			workflow.Init,
			workflow.NewStep("Before", func(*workflow.Context, struct{}) (map[string]any, error) {
				return map[string]any{"before": 42}, nil
			}),
			f.step("Boom", 2, false, func() error { return fmt.Errorf("device: %w", errors.New("unreachable")) }),
			workflow.Done,
		},
	}
	setup(t, []*workflow.Workflow{wf}, func(t *testing.T, h *workflowtest.Harness) {
		p := h.Run("flaky")
		h.RequireStatus(p, process.Failed)
		require.Equal(t, "Boom", p.LastStep)
		require.Equal(t, "device: unreachable", p.FailedReason)
		require.Contains(t, p.Traceback, `error in step "Boom"`)
		require.Contains(t, p.Traceback, "engine_test.go")
		require.Equal(t, workflow.StepFailed, p.Steps[2].Status)
		require.Equal(t, "device: unreachable", p.Steps[2].State["error"])
		require.Equal(t, "error", p.Steps[2].State["class"])
		// Nothing before the failure is lost.
		require.Equal(t, "42", fmt.Sprint(p.State["before"]))

		// A retry that fails alike counts on the same row.
		require.NoError(t, h.Engine.Retry(context.Background(), p.ID))
		p = h.Get(p.ID)
		h.RequireStatus(p, process.Failed)
		require.Len(t, p.Steps, 3)
		require.Equal(t, "1", fmt.Sprint(p.Steps[2].State["retries"]))
		require.Len(t, p.Steps[2].State["completed_at"], 1)

		require.NoError(t, h.Engine.Retry(context.Background(), p.ID))
		p = h.Get(p.ID)
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Before", "Boom", "Boom", "Done"}, p.StepNames())
		require.Equal(t, "ok", p.State["Boom"])
		require.Equal(t, "42", fmt.Sprint(p.State["before"]))
		require.Empty(t, p.FailedReason)
		require.Empty(t, p.Traceback)

		require.ErrorIs(t, h.Engine.Retry(context.Background(), p.ID), process.ErrWrongStatus)
	})
}

func TestPanicFailsWithStackTrace(t *testing.T) {
	t.Parallel()
	wf := &workflow.Workflow{
		Name: "panics", Target: workflow.TargetSystem, Description: "Panics",
		Steps: []workflow.Step{
			workflow.Init,
			workflow.NewStep("Keep", func(*workflow.Context, struct{}) (map[string]any, error) { return map[string]any{"kept": "yes"}, nil }),
			workflow.NewStep("Panic", func(*workflow.Context, struct{}) (struct{}, error) {
				var m map[string]int
				//lint:ignore SA5000 the step panics on purpose
				m["x"] = 1 // assignment to entry in nil map
				return struct{}{}, nil
			}),
			workflow.Done,
		},
	}
	setup(t, []*workflow.Workflow{wf}, func(t *testing.T, h *workflowtest.Harness) {
		p := h.Run("panics")
		h.RequireStatus(p, process.Failed)
		require.Contains(t, p.FailedReason, "assignment to entry in nil map")
		require.Contains(t, p.Traceback, "goroutine")
		require.Contains(t, p.Traceback, "engine_test.go")
		require.Equal(t, "runtime.plainError", p.Steps[2].State["class"])
		require.Equal(t, "yes", p.State["kept"])
	})
}

func TestRetryStepWaits(t *testing.T) {
	t.Parallel()
	f := &flaky{fails: map[string]int{}}
	wf := &workflow.Workflow{
		Name: "waits", Target: workflow.TargetSystem, Description: "Waits once",
		Steps: []workflow.Step{workflow.Init, f.step("Call API", 1, true, func() error { return errors.New("timeout") }), workflow.Done},
	}
	setup(t, []*workflow.Workflow{wf}, func(t *testing.T, h *workflowtest.Harness) {
		p := h.Run("waits")
		h.RequireStatus(p, process.Waiting)
		require.Equal(t, workflow.StepWaiting, p.Steps[1].Status)
		require.Equal(t, "timeout", p.FailedReason)
		p = h.Resume(p.ID)
		h.RequireStatus(p, process.Completed)
	})
}

func TestConditionalSteps(t *testing.T) {
	t.Parallel()
	isBig := func(s workflow.State) bool { return s["size"] == "big" }
	mark := func(name string) workflow.Step {
		return workflow.NewStep(name, func(*workflow.Context, struct{}) (map[string]any, error) { return map[string]any{name: true}, nil })
	}
	wf := &workflow.Workflow{
		Name: "conditional", Target: workflow.TargetSystem, Description: "Skips",
		Form: workflow.FormFor[struct {
			Size string `json:"size" validate:"oneof=big small"`
		}](),
		Steps: append(append([]workflow.Step{workflow.Init}, workflow.Conditional(isBig, mark("a"), mark("b"))...), mark("c"), workflow.Done),
	}
	setup(t, []*workflow.Workflow{wf}, func(t *testing.T, h *workflowtest.Harness) {
		p := h.Run("conditional", map[string]any{"size": "small"})
		h.RequireStatus(p, process.Completed)
		require.Equal(t, workflow.StepSkipped, p.Steps[1].Status)
		require.Equal(t, workflow.StepSkipped, p.Steps[2].Status)
		require.NotContains(t, p.State, "a")
		require.Equal(t, true, p.State["c"])

		p = h.Run("conditional", map[string]any{"size": "big"})
		require.Equal(t, workflow.StepSuccess, p.Steps[1].Status)
		require.Equal(t, true, p.State["a"])
	})
}

func TestAbort(t *testing.T) {
	t.Parallel()
	setup(t, []*workflow.Workflow{approval(), greet()}, func(t *testing.T, h *workflowtest.Harness) {
		ctx := context.Background()
		p := h.Run("approval")
		h.RequireStatus(p, process.Suspended)
		require.NoError(t, h.Engine.Abort(ctx, p.ID))
		p = h.Get(p.ID)
		h.RequireStatus(p, process.Aborted)
		require.Equal(t, process.AbortStepName, p.LastStep)
		require.Equal(t, workflow.StepAbort, p.Steps[len(p.Steps)-1].Status)
		require.Equal(t, true, p.Steps[len(p.Steps)-1].State["prepared"])
		require.ErrorIs(t, h.Engine.Resume(ctx, p.ID), process.ErrWrongStatus)
		require.ErrorIs(t, h.Engine.Abort(ctx, p.ID), process.ErrWrongStatus)

		done := h.Run("greet", map[string]any{"name": "x"})
		require.ErrorIs(t, h.Engine.Abort(ctx, done.ID), process.ErrWrongStatus)
	})
}

func TestAbortStepAborts(t *testing.T) {
	t.Parallel()
	wf := &workflow.Workflow{Name: "aborts", Target: workflow.TargetSystem, Description: "Aborts", Steps: []workflow.Step{workflow.Init, workflow.AbortStep, workflow.Done}}
	setup(t, []*workflow.Workflow{wf}, func(t *testing.T, h *workflowtest.Harness) {
		p := h.Run("aborts")
		h.RequireStatus(p, process.Aborted)
		require.Equal(t, "Abort", p.LastStep)
	})
}

func TestTaskFailuresAreRefined(t *testing.T) {
	t.Parallel()
	failWith := func(name string, err error) *workflow.Workflow {
		return &workflow.Workflow{Name: name, Target: workflow.TargetSystem, Description: name, IsTask: true, Steps: []workflow.Step{
			workflow.Init,
			workflow.NewStep("Check", func(*workflow.Context, struct{}) (struct{}, error) { return struct{}{}, err }),
			workflow.Done,
		}}
	}
	wfs := []*workflow.Workflow{
		failWith("task_inconsistent", fmt.Errorf("subscription x: %w", workflow.ErrInconsistentData)),
		failWith("task_api", fmt.Errorf("ims: %w", workflow.ErrAPIUnavailable)),
		failWith("task_other", errors.New("other")),
	}
	setup(t, wfs, func(t *testing.T, h *workflowtest.Harness) {
		p := h.Run("task_inconsistent")
		h.RequireStatus(p, process.InconsistentData)
		require.Equal(t, workflow.AssigneeNOC, p.Assignee)
		require.True(t, p.IsTask)
		p = h.Run("task_api")
		h.RequireStatus(p, process.APIUnavailable)
		require.Equal(t, workflow.AssigneeSystem, p.Assignee)
		h.RequireStatus(h.Run("task_other"), process.Failed)
	})
}

// A step's changes through ctx.Tx() commit with its log entry, or not at all.
func TestStepTransaction(t *testing.T) {
	t.Parallel()
	insert := func(fail bool) workflow.Step {
		return workflow.NewStep("Insert", func(ctx *workflow.Context, in struct {
			Name string `json:"name"`
		}) (struct{}, error) {
			tx, err := ctx.Tx()
			if err != nil {
				return struct{}{}, err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO resource_types (resource_type_id, resource_type, description) VALUES ($1, $2, 'x')", uuid.New(), in.Name); err != nil {
				return struct{}{}, err
			}
			if fail {
				return struct{}{}, errors.New("rolled back")
			}
			return struct{}{}, nil
		})
	}
	form := workflow.FormFor[struct {
		Name string `json:"name"`
	}]()
	wfs := []*workflow.Workflow{
		{Name: "tx_ok", Target: workflow.TargetSystem, Description: "x", Form: form, Steps: []workflow.Step{insert(false), workflow.Done}},
		{Name: "tx_fail", Target: workflow.TargetSystem, Description: "x", Form: form, Steps: []workflow.Step{insert(true), workflow.Done}},
	}
	setup(t, wfs, func(t *testing.T, h *workflowtest.Harness) {
		h.RequireStatus(h.Run("tx_ok", map[string]any{"name": "kept"}), process.Completed)
		h.RequireStatus(h.Run("tx_fail", map[string]any{"name": "dropped"}), process.Failed)
		var names []string
		rows, err := h.DB.Query("SELECT resource_type FROM resource_types ORDER BY resource_type")
		require.NoError(t, err)
		defer rows.Close()
		for rows.Next() {
			var n string
			require.NoError(t, rows.Scan(&n))
			names = append(names, n)
		}
		require.Equal(t, []string{"kept"}, names)
	})
}

// The global lock stops a process before its next step; releasing it continues the process.
func TestGlobalLockPausesBeforeNextStep(t *testing.T) {
	t.Parallel()
	var ran atomic.Int32
	var engine atomic.Pointer[process.Engine]
	wf := &workflow.Workflow{Name: "pausable", Target: workflow.TargetSystem, Description: "x", Steps: []workflow.Step{
		workflow.NewStep("Pause the engine", func(ctx *workflow.Context, _ struct{}) (struct{}, error) {
			return struct{}{}, engine.Load().Pause(ctx)
		}),
		workflow.NewStep("After", func(*workflow.Context, struct{}) (struct{}, error) { ran.Add(1); return struct{}{}, nil }),
		workflow.Done,
	}}
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Workflows(wf))
		engine.Store(h.Engine)
		ran.Store(0)
		ctx := context.Background()
		p := h.Run("pausable")
		require.Equal(t, process.Resumed, p.Status)
		require.Equal(t, []string{"Pause the engine"}, p.StepNames())
		require.Zero(t, ran.Load())
		st, err := h.Engine.Status(ctx)
		require.NoError(t, err)
		require.Equal(t, "PAUSED", st.String())

		// Started while paused: created and stopped before its first step.
		p2 := h.Run("pausable")
		require.Equal(t, process.Resumed, p2.Status)
		require.Empty(t, p2.Steps)

		// Unpausing runs them; the second pauses the engine again.
		require.NoError(t, h.Engine.Unpause(ctx))
		p = h.Get(p.ID)
		h.RequireStatus(p, process.Completed)
		require.Equal(t, int32(1), ran.Load())
		require.Equal(t, process.Resumed, h.Get(p2.ID).Status)
		require.NoError(t, h.Engine.Unpause(ctx))
		h.RequireStatus(h.Get(p2.ID), process.Completed)
	})
}
