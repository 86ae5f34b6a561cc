package wfo_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/internal/dbtest"
)

// TestServe runs `serve` through the real command tree on a free loopback port, on each database: it refuses to
// run without tokens unless told, requires the token, runs processes on its workers, and stops cleanly on
// cancellation (SIGINT and SIGTERM cancel the command's context).
func TestServe(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		app := opsApp()
		environ := []string{"DATABASE_URI=" + target.URI, "TESTING=false", "MAX_WORKERS=2"}
		run := func(ctx context.Context, stdout io.Writer, environ []string, args ...string) (int, string) {
			var errOut strings.Builder
			code := cli.Run(ctx, app, args, cli.WithIO(strings.NewReader(""), stdout, &errOut), cli.WithEnviron(environ), opsCommands)
			return code, errOut.String()
		}
		code, errOut := run(t.Context(), io.Discard, environ, "db", "upgrade", "heads")
		require.Equal(t, 0, code, errOut)

		code, errOut = run(t.Context(), io.Discard, environ, "serve", "--listen", "127.0.0.1:0")
		require.Equal(t, 2, code)
		require.Contains(t, errOut, "no API tokens: set API_TOKENS")
		code, errOut = run(t.Context(), io.Discard, environ, "serve", "--listen", "0.0.0.0:0", "--no-auth")
		require.Equal(t, 2, code)
		require.Contains(t, errOut, "--no-auth is only allowed on a loopback address, not 0.0.0.0:0")

		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		pr, pw := io.Pipe()
		done := make(chan int, 1)
		var serveErr string
		go func() {
			code, e := run(ctx, pw, append(environ, "API_TOKENS=tok1,tok2"), "serve", "--listen", "127.0.0.1:0")
			serveErr = e
			pw.Close()
			done <- code
		}()
		lines := bufio.NewScanner(pr)
		require.True(t, lines.Scan(), "serve printed nothing")
		addr, ok := strings.CutPrefix(strings.Fields(lines.Text())[2], "http://")
		require.True(t, ok, lines.Text())
		go func() {
			for lines.Scan() {
			}
		}()
		hc := &http.Client{Timeout: 20 * time.Second}
		call := func(method, path, body string) (int, []byte) {
			req, err := http.NewRequestWithContext(t.Context(), method, "http://"+addr+path, strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer tok2")
			req.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			data, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			return resp.StatusCode, data
		}
		status, body := call("POST", "/api/processes/task_approve", "[{}]")
		require.Equal(t, 201, status, string(body))
		var created struct{ ID string }
		require.NoError(t, json.Unmarshal(body, &created))
		// The workers run it: poll until it suspends (bounded).
		var p map[string]any
		for range 200 {
			status, body = call("GET", "/api/processes/"+created.ID, "")
			require.Equal(t, 200, status)
			require.NoError(t, json.Unmarshal(body, &p))
			if p["last_status"] == "suspended" {
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
		require.Equal(t, "suspended", p["last_status"])
		status, body = call("PUT", "/api/processes/"+created.ID+"/resume", `[{"approved": true}]`)
		require.Equal(t, 204, status, string(body))
		for range 200 {
			_, body = call("GET", "/api/processes/"+created.ID, "")
			require.NoError(t, json.Unmarshal(body, &p))
			if p["last_status"] == "completed" {
				break
			}
			time.Sleep(25 * time.Millisecond)
		}
		require.Equal(t, "completed", p["last_status"])

		cancel()
		select {
		case code := <-done:
			require.Equal(t, 0, code, serveErr)
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop")
		}
	})
}
