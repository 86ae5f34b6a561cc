package wfo_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/internal/dbtest"
)

// TestServeEngineAndResumeAll runs `serve` on each database: a pause through the API is the CLI's pause too (one
// global lock), and a resume-all whose retries are under way when serve is stopped loses none of them: serve waits
// for them, leaves their processes resumed, and the next serve completes them.
func TestServeEngineAndResumeAll(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		app := opsApp()
		environ := []string{"DATABASE_URI=" + target.URI, "TESTING=false", "MAX_WORKERS=2", "API_TOKENS=tok"}
		run := func(ctx context.Context, stdout io.Writer, args ...string) (int, string) {
			var errOut strings.Builder
			code := cli.Run(ctx, app, args, cli.WithIO(strings.NewReader(""), stdout, &errOut), cli.WithEnviron(environ))
			return code, errOut.String()
		}
		code, errOut := run(t.Context(), io.Discard, "db", "upgrade", "heads")
		require.Equal(t, 0, code, errOut)

		serve := func() *served { return serveApp(t, app, environ, "tok") }
		// waitFor polls a process until it has one of the statuses (bounded).
		waitFor := func(s *served, pid string, statuses ...string) string {
			var p map[string]any
			for range 400 {
				status, body := s.call("GET", "/api/processes/"+pid, "")
				require.Equal(t, 200, status, string(body))
				require.NoError(t, json.Unmarshal(body, &p))
				for _, st := range statuses {
					if p["last_status"] == st {
						return st
					}
				}
				time.Sleep(25 * time.Millisecond)
			}
			t.Fatalf("process %s is %v, not one of %v", pid, p["last_status"], statuses)
			return ""
		}

		s := serve()
		// Pause through the API; the command line sees it and unpauses.
		status, body := s.call("PUT", "/api/settings/status", `{"global_lock": true}`)
		require.Equal(t, 200, status, string(body))
		var out strings.Builder
		code, errOut = run(t.Context(), &out, "engine", "status")
		require.Equal(t, 0, code, errOut)
		require.Equal(t, "PAUSED (global lock set; no process running)\n", out.String())
		status, _ = s.call("POST", "/api/processes/task_approve", "[{}]")
		require.Equal(t, 503, status)
		out.Reset()
		code, errOut = run(t.Context(), &out, "engine", "unpause")
		require.Equal(t, 0, code, errOut)
		status, body = s.call("GET", "/api/settings/status", "")
		require.Equal(t, 200, status)
		require.JSONEq(t, `{"global_lock": false, "global_status": "RUNNING", "running_processes": 0}`, string(body))
		status, body = s.call("GET", "/api/settings/worker-status", "")
		require.Equal(t, 200, status)
		require.Contains(t, string(body), `"number_of_workers_online":2`)

		// Failed tasks, retried by a resume-all; serve stops at once.
		flag := filepath.Join(t.TempDir(), "flag")
		var pids []string
		for range 5 {
			status, body = s.call("POST", "/api/processes/task_flaky", `[{"flag_file": "`+flag+`"}]`)
			require.Equal(t, 201, status, string(body))
			var created struct{ ID string }
			require.NoError(t, json.Unmarshal(body, &created))
			pids = append(pids, created.ID)
		}
		for _, pid := range pids {
			waitFor(s, pid, "failed")
		}
		require.NoError(t, os.WriteFile(flag, nil, 0o644))
		status, body = s.call("PUT", "/api/processes/resume-all", "")
		require.Equal(t, 200, status, string(body))
		require.JSONEq(t, `{"count": 5}`, string(body))
		s.stop()

		// None is failed any more: each was resumed (and perhaps completed) before serve stopped.
		out.Reset()
		code, errOut = run(t.Context(), &out, "process", "list", "--status", "failed")
		require.Equal(t, 0, code, errOut)
		require.NotContains(t, out.String(), "task_flaky")

		s = serve()
		for _, pid := range pids {
			waitFor(s, pid, "completed")
		}
		status, body = s.call("GET", "/api/processes/status-counts", "")
		require.Equal(t, 200, status)
		require.JSONEq(t, `{"process_counts": {}, "task_counts": {"completed": 5}}`, string(body))
		s.stop()
	})
}
