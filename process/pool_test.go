package process_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/workflowtest"
)

// recorder counts every execution of every step, per process, and which engine ran it.
type recorder struct {
	mu   sync.Mutex
	runs map[string]int
	who  map[uuid.UUID]map[any]bool
}

func newRecorder() *recorder {
	return &recorder{runs: map[string]int{}, who: map[uuid.UUID]map[any]bool{}}
}

func (r *recorder) workflow(name string, steps int, delay time.Duration) *workflow.Workflow {
	list := []workflow.Step{workflow.Init}
	for i := range steps {
		stepName := fmt.Sprintf("Step %d", i+1)
		list = append(list, workflow.NewStep(stepName, func(ctx *workflow.Context, in workflow.State) (workflow.State, error) {
			time.Sleep(delay)
			r.mu.Lock()
			r.runs[ctx.ProcessID.String()+"/"+stepName]++
			if r.who[ctx.ProcessID] == nil {
				r.who[ctx.ProcessID] = map[any]bool{}
			}
			r.who[ctx.ProcessID][ctx.Processes] = true
			r.mu.Unlock()
			return workflow.State{stepName: i}, nil
		}))
	}
	return &workflow.Workflow{Name: name, Target: workflow.TargetSystem, Description: name, Steps: append(list, workflow.Done)}
}

func (r *recorder) requireOnce(t *testing.T, pids []uuid.UUID, steps int) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, pid := range pids {
		for i := range steps {
			require.Equal(t, 1, r.runs[fmt.Sprintf("%s/Step %d", pid, i+1)], "process %s step %d", pid, i+1)
		}
	}
}

func waitAll(t *testing.T, e *process.Engine, pids []uuid.UUID, steps int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, pid := range pids {
		p, err := e.Wait(ctx, pid)
		require.NoError(t, err)
		require.Equal(t, process.Completed, p.Status, "%s: %s", pid, p.FailedReason)
		require.Len(t, p.Steps, steps+2)
	}
}

func TestWorkerPool(t *testing.T) {
	t.Parallel()
	rec := newRecorder()
	wf := rec.workflow("pooled", 4, time.Millisecond)
	setup(t, []*workflow.Workflow{wf}, func(t *testing.T, h *workflowtest.Harness) {
		var pids []uuid.UUID
		for range 30 {
			pid, err := h.Start("pooled")
			require.NoError(t, err)
			pids = append(pids, pid)
		}
		waitAll(t, h.Engine, pids, 4)
		rec.requireOnce(t, pids, 4)
		requireNoneRunning(t, h.Engine)
	}, workflowtest.EngineOptions(process.Synchronous(false), process.Workers(4), process.PollInterval(20*time.Millisecond)))
}

// Two engines on one database, as two wfo instances would be: every process runs exactly once, and both take a
// share of the work.
func TestTwoEnginesShareOneDatabase(t *testing.T) {
	t.Parallel()
	const steps, n = 3, 40
	rec := newRecorder()
	wf := rec.workflow("shared", steps, 2*time.Millisecond)
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Workflows(wf))
		engines := []*process.Engine{}
		for range 2 {
			db := openAgain(t, target.URI)
			e := process.New(db, h.Registry, process.Synchronous(false), process.Workers(2), process.PollInterval(5*time.Millisecond))
			e.StartWorkers()
			t.Cleanup(func() { e.Close() })
			engines = append(engines, e)
		}
		// Every process is started through the first engine; the second finds them in the database.
		var pids []uuid.UUID
		for range n {
			pid, err := engines[0].Start(context.Background(), "shared")
			require.NoError(t, err)
			pids = append(pids, pid)
		}
		waitAll(t, engines[1], pids, steps)
		rec.requireOnce(t, pids, steps)
		shares := map[any]int{}
		rec.mu.Lock()
		for _, pid := range pids {
			require.Len(t, rec.who[pid], 1, "process %s ran on both engines", pid)
			for e := range rec.who[pid] {
				shares[e]++
			}
		}
		rec.mu.Unlock()
		require.Len(t, shares, 2, "both engines run processes: %v", shares)
		requireNoneRunning(t, engines[0])
	})
}

// Closing an engine stops its processes between steps; another engine continues them without repeating a step.
func TestCloseHandsProcessesOver(t *testing.T) {
	t.Parallel()
	const steps = 6
	rec := newRecorder()
	wf := rec.workflow("handover", steps, 20*time.Millisecond)
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Workflows(wf))
		first := process.New(openAgain(t, target.URI), h.Registry, process.Synchronous(false), process.Workers(3), process.PollInterval(0))
		first.StartWorkers()
		var pids []uuid.UUID
		for range 3 {
			pid, err := first.Start(context.Background(), "handover")
			require.NoError(t, err)
			pids = append(pids, pid)
		}
		time.Sleep(100 * time.Millisecond)
		require.NoError(t, first.Close())
		for _, pid := range pids {
			p, err := h.Engine.Get(context.Background(), pid)
			require.NoError(t, err)
			// Stopped between steps, or never claimed: either way another engine may take it.
			require.Contains(t, []process.Status{process.Resumed, process.Created}, p.Status)
			require.Less(t, len(p.Steps), steps+2)
		}
		second := process.New(openAgain(t, target.URI), h.Registry, process.Synchronous(false), process.Workers(3), process.PollInterval(5*time.Millisecond))
		second.StartWorkers()
		t.Cleanup(func() { second.Close() })
		waitAll(t, second, pids, steps)
		rec.requireOnce(t, pids, steps)
	})
}

func openAgain(t *testing.T, uri string) *database.DB {
	t.Helper()
	loc, err := database.ParseURI(uri)
	require.NoError(t, err)
	db, err := database.Open(context.Background(), loc)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// requireNoneRunning waits until no process is in status running: a worker may finish its last step just after
// the test has seen every process end.
func requireNoneRunning(t *testing.T, e *process.Engine) {
	t.Helper()
	require.Eventually(t, func() bool {
		st, err := e.Status(context.Background())
		return err == nil && st.RunningProcesses == 0
	}, 10*time.Second, 5*time.Millisecond)
}

// Aborting a process while a step of it runs on a worker: the step's changes are rolled back, nothing after it
// runs, and the process stays aborted.
func TestAbortWhileRunning(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		entered, release := make(chan struct{}), make(chan struct{})
		var after atomic.Int32
		wf := &workflow.Workflow{Name: "slow", Target: workflow.TargetSystem, Description: "x", Steps: []workflow.Step{
			workflow.Init,
			workflow.NewStep("Slow", func(ctx *workflow.Context, _ struct{}) (struct{}, error) {
				close(entered)
				<-release
				tx, err := ctx.Tx()
				if err != nil {
					return struct{}{}, err
				}
				_, err = tx.ExecContext(ctx, "INSERT INTO resource_types (resource_type_id, resource_type) VALUES ($1, 'written by slow')", uuid.New())
				return struct{}{}, err
			}),
			workflow.NewStep("After", func(*workflow.Context, struct{}) (struct{}, error) { after.Add(1); return struct{}{}, nil }),
			workflow.Done,
		}}
		h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Workflows(wf),
			workflowtest.EngineOptions(process.Synchronous(false), process.Workers(1), process.PollInterval(0)))
		ctx := context.Background()
		pid, err := h.Start("slow")
		require.NoError(t, err)
		<-entered
		require.NoError(t, h.Engine.Abort(ctx, pid))
		close(release)
		p := h.Get(pid)
		require.Equal(t, process.Aborted, p.Status)
		requireNoneRunning(t, h.Engine)
		p = h.Get(pid)
		require.Equal(t, process.Aborted, p.Status)
		require.NotContains(t, p.StepNames(), "After")
		require.NotContains(t, p.StepNames(), "Slow")
		require.Zero(t, after.Load())
		var n int
		require.NoError(t, h.DB.QueryRow("SELECT count(*) FROM resource_types WHERE resource_type = 'written by slow'").Scan(&n))
		require.Zero(t, n, "the aborted step's changes are rolled back")
	})
}
