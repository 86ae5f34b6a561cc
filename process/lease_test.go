package process_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
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
)

// The lease tests run an engine in a separate operating-system process (this test binary, started again with
// childEnv set; TestMain hands it to leaseChild), kill it with SIGKILL in the middle of a step, and watch what
// becomes of its process.

const (
	childEnv      = "WFO_TEST_LEASE_CHILD"       // the database URI; set, the test binary is an engine
	childModeEnv  = "WFO_TEST_LEASE_CHILD_MODE"  // "sync" (a command's engine) or "async" (a server's workers)
	childBlockEnv = "WFO_TEST_LEASE_CHILD_BLOCK" // the step the child stops in, after writing, before committing
)

func TestMain(m *testing.M) {
	if uri := os.Getenv(childEnv); uri != "" {
		os.Exit(leaseChild(uri))
	}
	os.Exit(m.Run())
}

// Short leases, so that the tests wait for an expiry of seconds at most.
var (
	leaseExpiry = 1500 * time.Millisecond
	leaseRenew  = 300 * time.Millisecond
)

// crashy has three steps that each record their run in the table lease_work, in the step's transaction, so the
// table counts the committed runs of each step. before and after (when not nil) are called in each step, before
// it begins its transaction and after it has written.
func crashy(before, after func(ctx *workflow.Context, step string)) *workflow.Workflow {
	steps := []workflow.Step{workflow.Init}
	for _, name := range []string{"Step 1", "Step 2", "Step 3"} {
		steps = append(steps, workflow.NewStep(name, func(ctx *workflow.Context, _ struct{}) (struct{}, error) {
			if before != nil {
				before(ctx, name)
			}
			tx, err := ctx.Tx()
			if err != nil {
				return struct{}{}, err
			}
			if _, err := tx.ExecContext(ctx, ctx.Dialect().Rebind("INSERT INTO lease_work (pid, step) VALUES (?, ?)"), ctx.ProcessID.String(), name); err != nil {
				return struct{}{}, err
			}
			if after != nil {
				after(ctx, name)
			}
			return struct{}{}, nil
		}))
	}
	return &workflow.Workflow{Name: "crashy", Target: workflow.TargetSystem, Description: "Crashes", Steps: append(steps, workflow.Done)}
}

// leaseChild is the engine in the child process: it starts a crashy process, which blocks in a step, and is
// killed there by the test.
func leaseChild(uri string) int {
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "lease child:", err); return 1 }
	loc, err := database.ParseURI(uri)
	if err != nil {
		return fail(err)
	}
	ctx := context.Background()
	db, err := database.Open(ctx, loc)
	if err != nil {
		return fail(err)
	}
	block := os.Getenv(childBlockEnv)
	wf := crashy(nil, func(ctx *workflow.Context, step string) {
		if step == block {
			// The step's work is written and not committed; the test kills the process now.
			fmt.Printf("blocked %s\n", ctx.ProcessID)
			select {}
		}
	})
	reg, err := workflow.NewRegistry(wf)
	if err != nil {
		return fail(err)
	}
	async := os.Getenv(childModeEnv) == "async"
	e := process.New(db, reg, process.Synchronous(!async), process.Lease(leaseExpiry, leaseRenew), process.PollInterval(10*time.Millisecond))
	e.StartWorkers()
	if _, err := e.Start(ctx, "crashy"); err != nil {
		return fail(err)
	}
	select {} // the step blocks; the test kills this process
}

// lease is one test database with the crashy workflow registered and lease_work created.
type lease struct {
	t      *testing.T
	target dbtest.Target
	h      *workflowtest.Harness
}

func setupLease(t *testing.T, target dbtest.Target, wfs ...*workflow.Workflow) *lease {
	h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Workflows(append(wfs, crashy(nil, nil))...),
		workflowtest.EngineOptions(process.Lease(leaseExpiry, leaseRenew)))
	_, err := h.DB.Exec("CREATE TABLE lease_work (pid VARCHAR(36) NOT NULL, step VARCHAR(20) NOT NULL)")
	require.NoError(t, err)
	return &lease{t: t, target: target, h: h}
}

// crash starts a child engine in mode, waits until its process is blocked in Step 2 with that step's work
// written and not committed, kills the child with SIGKILL and returns the process.
func (l *lease) crash(mode string) uuid.UUID {
	t := l.t
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+l.target.URI, childModeEnv+"="+mode, childBlockEnv+"=Step 2")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if pid, ok := strings.CutPrefix(sc.Text(), "blocked "); ok {
				lines <- pid
				return
			}
		}
		close(lines)
	}()
	var pid uuid.UUID
	select {
	case s, ok := <-lines:
		if !ok {
			cmd.Wait()
			t.Fatalf("the child engine ended before blocking: %s", stderr.String())
		}
		pid = uuid.MustParse(s)
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("the child engine did not block in time: %s", stderr.String())
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.Equal(t, syscall.SIGKILL, exit.Sys().(syscall.WaitStatus).Signal())

	// Killed in Step 2: the process stays running, as nothing has rescued it yet; Step 2's work is not committed.
	p := l.h.Get(pid)
	require.Equal(t, process.Running, p.Status)
	require.Equal(t, []string{"Start", "Step 1"}, p.StepNames())
	require.Equal(t, map[string]int{"Step 1": 1}, l.work(pid))
	return pid
}

// work counts the committed runs of each step of the process.
func (l *lease) work(pid uuid.UUID) map[string]int {
	rows, err := l.h.DB.Query(l.h.DB.Dialect.Rebind("SELECT step, count(*) FROM lease_work WHERE pid = ? GROUP BY step"), pid.String())
	require.NoError(l.t, err)
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var step string
		var n int
		require.NoError(l.t, rows.Scan(&step, &n))
		out[step] = n
	}
	require.NoError(l.t, rows.Err())
	return out
}

// requireContinued checks that the process completed, every step logged and committed exactly once, and that it
// left no lease behind.
func (l *lease) requireContinued(p *process.Process) {
	t := l.t
	require.Equal(t, process.Completed, p.Status, p.FailedReason)
	require.Equal(t, []string{"Start", "Step 1", "Step 2", "Step 3", "Done"}, p.StepNames())
	require.Equal(t, map[string]int{"Step 1": 1, "Step 2": 1, "Step 3": 1}, l.work(p.ID))
	// An asynchronous engine ends the lease just after the process's last step.
	eventually(t, "the lease is released", func() bool {
		var n int
		require.NoError(t, l.h.DB.QueryRow(l.h.DB.Dialect.Rebind("SELECT count(*) FROM wfo_process_leases WHERE pid = ?"), p.ID).Scan(&n))
		return n == 0
	})
}

// eventually polls cond until it holds, failing the test after a generous deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A server's engine is killed in the middle of a step; another engine's workers continue the process from its
// last committed step once the lease has expired.
func TestLeaseKilledEngineIsContinuedByAnother(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		l := setupLease(t, target)
		pid := l.crash("async")
		other := process.New(openAgain(t, target.URI), l.h.Registry, process.Synchronous(false), process.Workers(2),
			process.PollInterval(20*time.Millisecond), process.Lease(leaseExpiry, leaseRenew))
		other.StartWorkers()
		t.Cleanup(func() { other.Close() })
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		p, err := other.Wait(ctx, pid)
		require.NoError(t, err)
		l.requireContinued(p)
		st, err := other.Status(ctx)
		require.NoError(t, err)
		require.Zero(t, st.RunningProcesses)
	})
}

// A command's synchronous engine is killed in the middle of a step; the process is refused to resume while its
// lease holds, and resumed (as by process resume on the command line) once it has expired.
func TestLeaseKilledCommandIsResumed(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		l := setupLease(t, target)
		pid := l.crash("sync")
		// Until the lease expires, the process counts as running on its (dead) engine.
		var err error
		eventually(t, "the lease has expired and the process is resumed", func() bool {
			err = l.h.Engine.Resume(context.Background(), pid)
			return !errors.Is(err, process.ErrAlreadyRunning)
		})
		require.NoError(t, err)
		l.requireContinued(l.h.Get(pid))
	})
}

// process retry of a process whose engine was killed continues it too, once the lease has expired; until then the
// process is running and not failed, so there is nothing to retry.
func TestLeaseKilledCommandIsRetried(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		l := setupLease(t, target)
		pid := l.crash("async")
		var err error
		eventually(t, "the lease has expired and the process is retried", func() bool {
			err = l.h.Engine.Retry(context.Background(), pid)
			return !errors.Is(err, process.ErrWrongStatus)
		})
		require.NoError(t, err)
		l.requireContinued(l.h.Get(pid))
	})
}

// A command's engine is killed in the middle of a step; the scheduled task task_resume_workflows continues the
// process once the lease has expired.
func TestLeaseKilledCommandIsResumedByTheTask(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		s, err := settings.Load(nil)
		require.NoError(t, err)
		l := setupLease(t, target, tasks.Workflows(s)...)
		pid := l.crash("sync")
		eventually(t, "task_resume_workflows has resumed the process", func() bool {
			task := l.h.Run(tasks.ResumeWorkflows)
			l.h.RequireStatus(task, process.Completed)
			return slices.Contains(task.State["resumed_process_ids"].([]any), any(pid.String()))
		})
		l.requireContinued(l.h.Get(pid))
	})
}

// The engine is paused while a process's engine is killed: the status is PAUSING until the dead engine's lease
// expires and then PAUSED, not PAUSING for ever; unpausing continues the process.
func TestLeaseKilledWhilePausing(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		l := setupLease(t, target)
		ctx := context.Background()
		pid := l.crash("sync")
		require.NoError(t, l.h.Engine.Pause(ctx))
		eventually(t, "the engine is PAUSED", func() bool {
			st, err := l.h.Engine.Status(ctx)
			require.NoError(t, err)
			return st.String() == "PAUSED"
		})
		require.NoError(t, l.h.Engine.Unpause(ctx))
		l.requireContinued(l.h.Get(pid))
		st, err := l.h.Engine.Status(ctx)
		require.NoError(t, err)
		require.Equal(t, "RUNNING", st.String())
	})
}

// An engine that stalls past its lease (cut off from the database, or frozen) while another continues the process
// cannot commit the step it was running when it wakes, even while the process is running again under the other
// engine: the step's work is rolled back, and every step's work is committed once.
func TestLeaseStalledEngineCommitsNothing(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		// Both runs of Step 2 wait before they begin their transaction (on SQLite a transaction would hold the
		// database for itself) until the test lets them go on.
		entered := []chan struct{}{make(chan struct{}), make(chan struct{})}
		release := []chan struct{}{make(chan struct{}), make(chan struct{})}
		var once [2]sync.Once
		let := func(i int) { once[i].Do(func() { close(release[i]) }) }
		defer let(0) // a failing check must not leave a run waiting for ever
		defer let(1)
		var runs atomic.Int32
		wf := crashy(func(_ *workflow.Context, step string) {
			if step == "Step 2" {
				if n := runs.Add(1); n <= 2 {
					close(entered[n-1])
					<-release[n-1]
				}
			}
		}, nil)
		h := workflowtest.New(t, workflowtest.DatabaseURI(target.URI), workflowtest.Workflows(wf))
		_, err := h.DB.Exec("CREATE TABLE lease_work (pid VARCHAR(36) NOT NULL, step VARCHAR(20) NOT NULL)")
		require.NoError(t, err)
		l := &lease{t: t, target: target, h: h}
		ctx := context.Background()

		// The stalled engine renews its lease once an hour only, so its lease runs out when the test says.
		stalled := process.New(openAgain(t, target.URI), h.Registry, process.Synchronous(false), process.Workers(1),
			process.PollInterval(0), process.Lease(2*time.Hour, time.Hour))
		stalled.StartWorkers()
		pid, err := stalled.Start(ctx, "crashy")
		require.NoError(t, err)
		<-entered[0]
		_, err = h.DB.Exec("UPDATE wfo_process_leases SET expires_at = " + h.DB.Dialect.NowPlus("-1000"))
		require.NoError(t, err)

		// Another engine continues the process and is in Step 2 in its turn.
		resumed := make(chan error, 1)
		go func() { resumed <- h.Engine.Resume(ctx, pid) }()
		<-entered[1]
		require.Equal(t, process.Running, h.Get(pid).Status)

		// The stalled engine wakes and runs Step 2 to its end: it cannot commit it.
		let(0)
		require.NoError(t, stalled.Close())
		require.Equal(t, map[string]int{"Step 1": 1}, l.work(pid))
		p := h.Get(pid)
		require.Equal(t, process.Running, p.Status)
		require.Equal(t, []string{"Start", "Step 1"}, p.StepNames())

		let(1)
		require.NoError(t, <-resumed)
		l.requireContinued(h.Get(pid))
	})
}

// On a database whose wfo revisions are behind (no wfo_process_leases), starting a process says what to run.
func TestLeaseTableMissing(t *testing.T) {
	t.Parallel()
	setup(t, []*workflow.Workflow{greet()}, func(t *testing.T, h *workflowtest.Harness) {
		_, err := h.DB.Exec("DROP TABLE wfo_process_leases")
		require.NoError(t, err)
		_, err = h.Engine.Start(context.Background(), "greet", map[string]any{"name": "Ada", "count": 1})
		require.EqualError(t, err, "process: the table wfo_process_leases does not exist: run db upgrade heads first")
	})
}
