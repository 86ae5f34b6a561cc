package wfo_test

import (
	"context"
	"encoding/json"
	"io"
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
			code := cli.Run(ctx, app, args, cli.WithIO(strings.NewReader(""), stdout, &errOut), cli.WithEnviron(environ))
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

		srv := serveApp(t, app, append(environ, "API_TOKENS=tok1,tok2"), "tok2")
		call := srv.call
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

		srv.stop()
	})
}

// TestServeCallback runs a callback step through `serve` on each database: the process awaits a callback at the
// route it publishes; a wrong token, an unknown process and a body that is not an object are refused as the
// reference refuses them; progress is shown while it waits; the result makes it go on to completion, and a second
// call finds it no longer waiting.
func TestServeCallback(t *testing.T) {
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

		srv := serveApp(t, app, environ, "tok")
		call := func(method, path, body string) (int, string) {
			code, data := srv.call(method, path, body)
			return code, strings.TrimSpace(string(data))
		}
		var p struct {
			LastStatus   string         `json:"last_status"`
			LastStep     string         `json:"last_step"`
			CurrentState map[string]any `json:"current_state"`
			Steps        []struct {
				Name   string `json:"name"`
				Status string `json:"status"`
			} `json:"steps"`
		}
		await := func(pid, status string) {
			for range 400 {
				code, body := call("GET", "/api/processes/"+pid, "")
				require.Equal(t, 200, code, body)
				p.CurrentState, p.Steps = nil, nil
				require.NoError(t, json.Unmarshal([]byte(body), &p))
				if p.LastStatus == status {
					return
				}
				time.Sleep(25 * time.Millisecond)
			}
			require.Equal(t, status, p.LastStatus)
		}

		code, body := call("POST", "/api/processes/task_callback", "[{}]")
		require.Equal(t, 201, code, body)
		var created struct{ ID string }
		require.NoError(t, json.Unmarshal([]byte(body), &created))
		await(created.ID, "awaiting_callback")
		require.Equal(t, "Provision port - Await callback", p.LastStep)
		route, _ := p.CurrentState["callback_route"].(string)
		token, _ := p.CurrentState["__callback_token"].(string)
		require.Equal(t, "/api/processes/"+created.ID+"/callback/"+token, route)
		require.Len(t, token, 43, "32 random bytes, URL-safe base64")
		require.Equal(t, route, p.CurrentState["ordered_with"], "the action step saw the route")

		// Refusals, in the reference's order and words.
		code, body = call("POST", "/api/processes/"+created.ID+"/callback/not-the-token", `{"ok": true}`)
		require.Equal(t, 404, code)
		require.JSONEq(t, `{"detail": "Invalid token", "status": 404, "title": "Not Found"}`, body)
		code, body = call("POST", "/api/processes/00000000-0000-4000-8000-000000000000/callback/"+token, `{"ok": true}`)
		require.Equal(t, 404, code)
		require.Contains(t, body, "Process with process_id 00000000-0000-4000-8000-000000000000 not found")
		code, body = call("POST", route, `[1, 2]`)
		require.Equal(t, 422, code, body)
		require.Contains(t, body, `"loc":["body"]`)
		code, body = call("POST", route+"/progress", `42`)
		require.Equal(t, 422, code, body)
		code, body = call("POST", route, `{"ok": tru`)
		require.Equal(t, 422, code, body)

		// Progress is kept while the process waits.
		code, body = call("POST", route+"/progress", `"half way"`)
		require.Equal(t, 200, code, body)
		require.Equal(t, "null", body)
		await(created.ID, "awaiting_callback")
		require.Equal(t, "half way", p.CurrentState["callback_progress"])

		// The result: the process goes on to the end, the route's secrets and the progress are gone.
		code, body = call("POST", route, `{"ok": true, "port": "xe-0/0/1"}`)
		require.Equal(t, 200, code, body)
		require.Equal(t, "null", body)
		await(created.ID, "completed")
		require.Equal(t, "xe-0/0/1", p.CurrentState["port"])
		require.Equal(t, map[string]any{"ok": true, "port": "xe-0/0/1"}, p.CurrentState["callback_result"])
		for _, gone := range []string{"__callback_token", "callback_route", "callback_progress"} {
			require.NotContains(t, p.CurrentState, gone)
		}
		var names []string
		for _, s := range p.Steps {
			names = append(names, s.Name+" "+s.Status)
		}
		require.Equal(t, []string{
			"Start success", "Provision port - Create endpoint success", "Order port success",
			"Provision port - Await callback awaiting_callback", "Provision port - Await callback success",
			"Check port success", "Provision port - Cleanup callback step success", "Done complete",
		}, names)

		code, body = call("POST", route, `{"ok": true}`)
		require.Equal(t, 409, code)
		require.JSONEq(t, `{"detail": "This process is not in an awaiting state.", "status": 409, "title": "Conflict"}`, body)

		srv.stop()
	})
}
