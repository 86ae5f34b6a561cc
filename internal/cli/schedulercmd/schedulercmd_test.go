package schedulercmd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/coremigration"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/internal/cli"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/schedule"
	"github.com/wfo-go/wfo/scheduler"
	"github.com/wfo-go/wfo/settings"
)

// run runs the command line in-process with one Go-function schedule.
func run(t *testing.T, uri string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	env := &base.Env{
		Name: "wfo", Stdout: &out, Stderr: &errOut, Environ: []string{"DATABASE_URI=" + uri},
		Scheduler: func(db *database.DB, _ settings.Settings, opts ...scheduler.Option) (*scheduler.Scheduler, error) {
			list := schedule.List{{Name: "Report", When: schedule.Cron("0 7 * * mon-fri"),
				Run: schedule.Func("report", func(context.Context) error { return nil })}}
			return scheduler.New(db, list, append(opts, scheduler.WithClock(func() time.Time { return now }))...)
		},
	}
	code := cli.Run(t.Context(), env, args)
	return code, out.String(), errOut.String()
}

// ownTables gives the database wfo's own tables, as db upgrade heads does.
func ownTables(t *testing.T, uri string) {
	t.Helper()
	loc, err := database.ParseURI(uri)
	require.NoError(t, err)
	db, err := database.Open(t.Context(), loc)
	require.NoError(t, err)
	defer db.Close()
	own, err := coremigration.OwnMigrator(db)
	require.NoError(t, err)
	require.NoError(t, own.Upgrade(t.Context(), "heads"))
}

func TestCommands(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ownTables(t, target.URI)
		code, out, _ := run(t, target.URI, "scheduler", "show-schedule")
		require.Equal(t, 0, code)
		require.Equal(t, "NAME    RUNS         RULE                  NEXT RUN\n"+
			"Report  func report  cron 0 7 * * mon-fri  2026-11-26 07:00:00 UTC\n", out)

		code, out, _ = run(t, target.URI, "scheduler", "show-schedule", "--json")
		require.Equal(t, 0, code)
		var got []map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		require.Equal(t, "2026-11-26T07:00:00Z", got[0]["next_run"])
		require.Equal(t, map[string]any{"func": "report"}, got[0]["runs"])

		code, out, _ = run(t, target.URI, "scheduler", "force", "port")
		require.Equal(t, 0, code)
		require.Contains(t, out, "Report: succeeded in ")

		code, _, errOut := run(t, target.URI, "scheduler", "force", "x")
		require.Equal(t, 1, code)
		require.Contains(t, errOut, "  Report: func report\nFAILED: scheduler: no schedule matches \"x\"\n")

		// run goes on until stopped: stop it once it has logged its plan, however long that took.
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var o bytes.Buffer
		e := &syncBuffer{}
		env := &base.Env{Name: "wfo", Stdout: &o, Stderr: e, Environ: []string{"DATABASE_URI=" + target.URI, "LOG_LEVEL=DEBUG"}}
		done := make(chan int)
		go func() { done <- cli.Run(ctx, env, []string{"scheduler", "run"}) }()
		planned := `msg=schedule name="Resume workflows" runs="workflow task_resume_workflows" rule="every 1 hour"`
		require.Eventually(t, func() bool { return strings.Contains(e.String(), planned) }, 10*time.Second, 5*time.Millisecond, e.String())
		cancel()
		require.Equal(t, 0, <-done, e.String())
		require.Contains(t, e.String(), `msg="scheduler stopped"`)

		// A stop before the scheduler has even connected is a clean stop as well, not "cannot connect".
		early := &syncBuffer{}
		env = &base.Env{Name: "wfo", Stdout: &o, Stderr: early, Environ: []string{"DATABASE_URI=" + target.URI}}
		require.Equal(t, 0, cli.Run(ctx, env, []string{"scheduler", "run"}), early.String())
		require.Contains(t, early.String(), `msg="scheduler stopped before it started"`)
		require.NotContains(t, early.String(), "FAILED")
	})
}

// syncBuffer is a log destination written by the command while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
