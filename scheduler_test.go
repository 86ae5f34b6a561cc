package wfo_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/internal/coretest"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/schedule"
	"github.com/wfo-go/wfo/scheduler"
)

// schedulerTestApp is the wfo-sched command of the scripts: the core's schedules plus test jobs chosen by
// environment variables, so scripts can run real schedulers with short intervals.
//
//	WFO_TEST_JOBS        comma list of Tick (appends "<pid> <time>" to ticks.log), Fail (returns an error),
//	                     Panic (panics), Slow (writes slow.log, sleeps WFO_TEST_SLOW, default 2s), Resume
//	                     (the core task task_resume_workflows)
//	WFO_TEST_EVERY       their rule (default "every 1 second")
//	WFO_TEST_NO_DEFAULTS removes the core's schedules
//	WFO_TEST_NOW         RFC 3339 time the clock starts at
//	WFO_TEST_RETRY       follower retry (default 100ms)
//	WFO_TEST_LOG         a file that gets the log too (scripts wait on its lines)
func schedulerTestApp() {
	opts := []wfo.Option{wfo.WithName("wfo-sched")}
	if path := os.Getenv("WFO_TEST_LOG"); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			panic(err)
		}
		opts = append(opts, wfo.WithLogger(slog.New(slog.NewTextHandler(io.MultiWriter(os.Stderr, f), nil))))
	}
	if os.Getenv("WFO_TEST_NO_DEFAULTS") != "" {
		opts = append(opts, wfo.WithoutSchedules(schedule.Defaults().Names()...))
	}
	every := schedule.MustParseRule(envOr("WFO_TEST_EVERY", "every 1 second"))
	jobs := map[string]func(context.Context) error{
		"Tick": func(context.Context) error {
			return appendLine("ticks.log", fmt.Sprintf("%d %s", os.Getpid(), time.Now().UTC().Format(time.RFC3339Nano)))
		},
		"Fail":  func(context.Context) error { return errors.New("no luck") },
		"Panic": func(context.Context) error { panic("boom") },
		"Slow": func(context.Context) error {
			d, err := time.ParseDuration(envOr("WFO_TEST_SLOW", "2s"))
			if err != nil {
				return err
			}
			appendLine("slow.log", "slow started")
			time.Sleep(d)
			return appendLine("slow.log", "slow finished")
		},
	}
	for _, name := range strings.Split(os.Getenv("WFO_TEST_JOBS"), ",") {
		switch name = strings.TrimSpace(name); name {
		case "":
		case "Resume": // a core task, through the engine
			opts = append(opts, wfo.WithSchedules(schedule.Schedule{Name: name, Run: schedule.Workflow("task_resume_workflows"), When: every}))
		default:
			opts = append(opts, wfo.WithSchedules(schedule.Schedule{Name: name, Run: schedule.Func(strings.ToLower(name), jobs[name]), When: every}))
		}
	}
	if now := os.Getenv("WFO_TEST_NOW"); now != "" {
		t0, err := time.Parse(time.RFC3339, now)
		if err != nil {
			panic(err)
		}
		start := time.Now()
		opts = append(opts, wfo.WithSchedulerOptions(scheduler.WithClock(func() time.Time { return t0.Add(time.Since(start)) })))
	}
	retry, err := time.ParseDuration(envOr("WFO_TEST_RETRY", "100ms"))
	if err != nil {
		panic(err)
	}
	opts = append(opts, wfo.WithSchedulerOptions(scheduler.WithFollowerRetry(retry)))
	cli.Main(wfo.New(opts...))
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func appendLine(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line + "\n"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// waitLines is the scripts' "waitlines FILE N [TIMEOUT]": it waits until FILE has at least N lines (default
// timeout 20s).
func waitLines() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: waitlines FILE N [TIMEOUT]")
		os.Exit(2)
	}
	n, _ := strconv.Atoi(os.Args[2])
	timeout := 20 * time.Second
	if len(os.Args) > 3 {
		timeout, _ = time.ParseDuration(os.Args[3])
	}
	deadline := time.Now().Add(timeout)
	for {
		b, _ := os.ReadFile(os.Args[1])
		if bytes.Count(b, []byte("\n")) >= n {
			os.Exit(0)
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "waitlines: %s has %d lines after %s, want %d\n", os.Args[1], bytes.Count(b, []byte("\n")), timeout, n)
			os.Exit(1)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// schedProc is one `wfo-sched scheduler run` process of a test.
type schedProc struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   chan error
}

func startScheduler(t *testing.T, dir string, env ...string) *schedProc {
	t.Helper()
	path, err := exec.LookPath("wfo-sched")
	require.NoError(t, err, "wfo-sched is installed by TestMain")
	cmd := exec.Command(path, "scheduler", "run")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	p := &schedProc{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = &lockedWriter{w: p.stderr}
	require.NoError(t, cmd.Start())
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
	})
	return p
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func (p *schedProc) logs() string {
	w := p.cmd.Stderr.(*lockedWriter)
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.String()
}

// stop interrupts the scheduler and requires a clean exit.
func (p *schedProc) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
	p.wait(t)
}

// wait requires a clean exit of an interrupted scheduler.
func (p *schedProc) wait(t *testing.T) {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err
		require.NoError(t, err, p.logs())
	case <-time.After(10 * time.Second):
		t.Fatalf("scheduler %d did not stop:\n%s", p.cmd.Process.Pid, p.logs())
	}
}

type tick struct {
	pid int
	at  time.Time
}

func readTicks(t *testing.T, path string) []tick {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	require.NoError(t, err)
	defer f.Close()
	var out []tick
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		pidText, atText, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue // a line being written
		}
		pid, err1 := strconv.Atoi(pidText)
		at, err2 := time.Parse(time.RFC3339Nano, atText)
		if err1 == nil && err2 == nil {
			out = append(out, tick{pid, at})
		}
	}
	return out
}

func waitTicks(t *testing.T, path string, n int) []tick {
	t.Helper()
	var ticks []tick
	require.Eventually(t, func() bool { ticks = readTicks(t, path); return len(ticks) >= n }, 20*time.Second, 20*time.Millisecond,
		"waiting for %d runs", n)
	return ticks
}

// requireOnce checks that no run happened twice: one-second runs are at least (almost) a second apart.
func requireOnce(t *testing.T, ticks []tick) {
	t.Helper()
	for i := 1; i < len(ticks); i++ {
		require.GreaterOrEqual(t, ticks[i].at.Sub(ticks[i-1].at), 900*time.Millisecond,
			"runs %d (process %d) and %d (process %d) are too close: a due run ran twice", i-1, ticks[i-1].pid, i, ticks[i].pid)
	}
}

// Three scheduler processes on one PostgreSQL database with a one-second schedule: each due run happens once.
func TestSchedulerThreeProcessesRunEachDueJobOnce(t *testing.T) {
	t.Parallel()
	uri := dbtest.PostgresURL(t)
	coretest.Open(t, uri) // the state table comes from wfo's own revision
	dir := t.TempDir()
	env := []string{"DATABASE_URI=" + uri, "WFO_TEST_NO_DEFAULTS=1", "WFO_TEST_JOBS=Tick"}
	var procs []*schedProc
	for range 3 {
		procs = append(procs, startScheduler(t, dir, env...))
	}
	started := time.Now()
	waitTicks(t, dir+"/ticks.log", 4)
	// Before any stops (a follower takes over when the leader stops): one leads, the others stand by.
	leaders := 0
	for _, p := range procs {
		if strings.Contains(p.logs(), "msg=leading") {
			leaders++
		} else {
			require.Contains(t, p.logs(), "another scheduler leads; standing by")
		}
	}
	require.Equal(t, 1, leaders, "one process leads")
	for _, p := range procs {
		require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
	}
	for _, p := range procs {
		p.wait(t)
	}
	elapsed := time.Since(started)
	ticks := readTicks(t, dir+"/ticks.log")
	requireOnce(t, ticks)
	// One run per second after the first period: not three.
	require.LessOrEqual(t, len(ticks), int(elapsed/time.Second)+1, "%d runs in %s", len(ticks), elapsed)
}

// Killing the leader (SIGKILL: no clean-up) lets another process take over within one interval.
func TestSchedulerLeaderKilledOthersTakeOver(t *testing.T) {
	t.Parallel()
	uri := dbtest.PostgresURL(t)
	coretest.Open(t, uri) // the state table comes from wfo's own revision
	dir := t.TempDir()
	env := []string{"DATABASE_URI=" + uri, "WFO_TEST_NO_DEFAULTS=1", "WFO_TEST_JOBS=Tick"}
	procs := map[int]*schedProc{}
	for range 3 {
		p := startScheduler(t, dir, env...)
		procs[p.cmd.Process.Pid] = p
	}
	ticks := waitTicks(t, dir+"/ticks.log", 2)
	leader := ticks[len(ticks)-1].pid
	require.NoError(t, procs[leader].cmd.Process.Signal(syscall.SIGKILL))
	killed := time.Now()
	lastByLeader := ticks[len(ticks)-1].at

	var next tick
	require.Eventually(t, func() bool {
		for _, tk := range readTicks(t, dir+"/ticks.log") {
			if tk.pid != leader {
				next = tk
				return true
			}
		}
		return false
	}, 10*time.Second, 20*time.Millisecond, "no other scheduler took over")
	t.Logf("leader %d killed %s after its last run; process %d ran %s after the kill",
		leader, killed.Sub(lastByLeader).Round(time.Millisecond), next.pid, next.at.Sub(killed).Round(time.Millisecond))
	require.Less(t, next.at.Sub(killed), 1500*time.Millisecond, "took over within one interval (1s) plus the retry (0.1s)")
	waitTicks(t, dir+"/ticks.log", len(readTicks(t, dir+"/ticks.log"))+1)
	for pid, p := range procs {
		if pid != leader {
			p.stop(t)
		}
	}
	requireOnce(t, readTicks(t, dir+"/ticks.log"))
}
