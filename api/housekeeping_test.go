package api_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/internal/opstest"
	"github.com/wfo-go/wfo/workflow"
)

func TestProcessNote(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		c, _ := setupConfig(t, target.URI, api.Config{MaxBodyBytes: 64 << 10})
		r := c.do("POST", "/api/processes/task_approve", `[{}]`)
		require.Equal(t, 201, r.status, string(r.body))
		pid := r.json(t)["id"].(string)
		r = c.do("POST", "/api/processes/task_approve", `[{}]`)
		require.Equal(t, 201, r.status, string(r.body))
		other := r.json(t)["id"].(string)

		p := c.do("GET", "/api/processes/"+pid, "").json(t)
		require.Contains(t, p, "note")
		require.Nil(t, p["note"])

		// A note is set, and the answer is the process as stored: no derived fields, the steps' rows.
		r = c.do("PATCH", "/api/processes/"+pid, `{"note": "Waiting for the NOC"}`)
		require.Equal(t, 200, r.status, string(r.body))
		p = r.json(t)
		require.Equal(t, "Waiting for the NOC", p["note"])
		require.Equal(t, pid, p["process_id"])
		require.Equal(t, "suspended", p["last_status"])
		for _, k := range []string{"product_id", "customer_id", "workflow_target", "current_state", "form"} {
			require.Contains(t, p, k)
			require.Nil(t, p[k], k)
		}
		steps := p["steps"].([]any)
		require.Len(t, steps, 2) // Start and the suspended Approve; no pending steps
		for _, s := range steps {
			s := s.(map[string]any)
			require.NotNil(t, s["state"])
			require.Nil(t, s["started"])
			require.Nil(t, s["state_delta"])
		}
		require.Equal(t, "Waiting for the NOC", c.do("GET", "/api/processes/"+pid, "").json(t)["note"])

		// Only keys sent are applied.
		r = c.do("PATCH", "/api/processes/"+pid, `{}`)
		require.Equal(t, 200, r.status, string(r.body))
		require.Equal(t, "Waiting for the NOC", r.json(t)["note"])

		// Lists show notes, filter by them (without regard to case, ! negating, - or | between alternatives)
		// and sort by them.
		var list []map[string]any
		r = c.do("GET", "/api/processes/?filter=note,waiting%20for%20the%20noc", "")
		require.Equal(t, 200, r.status, string(r.body))
		require.NoError(t, json.Unmarshal(r.body, &list))
		require.Len(t, list, 1)
		require.Equal(t, pid, list[0]["process_id"])
		require.Equal(t, "Waiting for the NOC", list[0]["note"])
		r = c.do("GET", "/api/processes/?filter=note,other-Waiting%25", "")
		require.NoError(t, json.Unmarshal(r.body, &list))
		require.Len(t, list, 1)
		r = c.do("GET", "/api/processes/?filter=note,!Waiting%25,workflowName,task_approve", "")
		require.NoError(t, json.Unmarshal(r.body, &list))
		require.Len(t, list, 0) // the other process has no note: NULL matches neither way
		require.Equal(t, 204, c.do("PUT", "/api/processes/"+other+"/abort", "").status)
		require.Equal(t, 200, c.do("PATCH", "/api/processes/"+other, `{"note": "aborted: a duplicate"}`).status)
		r = c.do("GET", "/api/processes/?filter=workflowName,task_approve&sort=note,asc", "")
		require.Equal(t, 200, r.status, string(r.body))
		require.NoError(t, json.Unmarshal(r.body, &list))
		require.Len(t, list, 2)
		require.Equal(t, []any{"aborted: a duplicate", "Waiting for the NOC"}, []any{list[0]["note"], list[1]["note"]})
		r = c.do("GET", "/api/processes/?filter=workflowName,task_approve&sort=note,DESC", "")
		require.NoError(t, json.Unmarshal(r.body, &list))
		require.Equal(t, pid, list[0]["process_id"])
		// A process without a note sorts last ascending and first descending, as PostgreSQL orders NULLs, on both.
		r = c.do("POST", "/api/processes/task_approve", `[{}]`)
		require.Equal(t, 201, r.status, string(r.body))
		third := r.json(t)["id"].(string)
		r = c.do("GET", "/api/processes/?filter=workflowName,task_approve&sort=note,asc", "")
		require.NoError(t, json.Unmarshal(r.body, &list))
		require.Len(t, list, 3)
		require.Equal(t, third, list[2]["process_id"])
		r = c.do("GET", "/api/processes/?filter=workflowName,task_approve&sort=note,desc", "")
		require.NoError(t, json.Unmarshal(r.body, &list))
		require.Equal(t, []any{third, pid, other}, []any{list[0]["process_id"], list[1]["process_id"], list[2]["process_id"]})
		require.Equal(t, 204, c.do("PUT", "/api/processes/"+third+"/abort", "").status)

		// An empty note, or null, removes it.
		require.Nil(t, c.do("PATCH", "/api/processes/"+pid, `{"note": ""}`).json(t)["note"])
		require.Equal(t, "x", c.do("PATCH", "/api/processes/"+pid, `{"note": "x"}`).json(t)["note"])
		require.Nil(t, c.do("PATCH", "/api/processes/"+pid, `{"note": null}`).json(t)["note"])
		require.Nil(t, c.do("GET", "/api/processes/"+pid, "").json(t)["note"])

		// 5,000 characters fit (counted as characters, not bytes); one more is refused, naming the field.
		long := strings.Repeat("é", 5000)
		r = c.do("PATCH", "/api/processes/"+pid, `{"note": "`+long+`"}`)
		require.Equal(t, 200, r.status, string(r.body))
		require.Equal(t, long, r.json(t)["note"])
		r = c.do("PATCH", "/api/processes/"+pid, `{"note": "`+long+`e"}`)
		require.Equal(t, 422, r.status, string(r.body))
		require.Contains(t, string(r.body), `"loc":["body","note"]`)
		require.Equal(t, long, c.do("GET", "/api/processes/"+pid, "").json(t)["note"])

		// Bad input.
		r = c.do("PATCH", "/api/processes/"+pid, `{"note": 5}`)
		require.Equal(t, 422, r.status, string(r.body))
		require.Contains(t, string(r.body), `"loc":["body","note"]`)
		r = c.do("PATCH", "/api/processes/"+pid, `{"note": `)
		require.Equal(t, 422, r.status, string(r.body))
		r = c.do("PATCH", "/api/processes/00000000-0000-4000-8000-000000000000", `{"note": "x"}`)
		require.Equal(t, 404, r.status, string(r.body))
		require.JSONEq(t, `{"detail": "Process with process_id 00000000-0000-4000-8000-000000000000 not found", "status": 404, "title": "Not Found"}`, string(r.body))
		r = c.do("PATCH", "/api/processes/00000000-0000-4000-8000-000000000000", `{}`)
		require.Equal(t, 404, r.status, string(r.body))
		r = c.do("PATCH", "/api/processes/nope", `{"note": "x"}`)
		require.Equal(t, 422, r.status, string(r.body))
		anon := *c
		anon.tok = ""
		require.Equal(t, 403, anon.do("PATCH", "/api/processes/"+pid, `{"note": "x"}`).status)
	})
}

// gate is a task that fails on its first run and, when retried, waits in its step until released.
func gate(entered chan<- struct{}, release <-chan struct{}) *workflow.Workflow {
	var runs atomic.Int32
	return &workflow.Workflow{
		Name: "task_gate", Target: workflow.TargetSystem, Description: "Wait at a gate", IsTask: true,
		Steps: []workflow.Step{
			workflow.Init,
			workflow.NewStep("Pass the gate", func(_ *workflow.Context, _ struct{}) (map[string]any, error) {
				if runs.Add(1) == 1 {
					return nil, errors.New("the gate is closed")
				}
				entered <- struct{}{}
				<-release
				return map[string]any{"passed": true}, nil
			}),
			workflow.Done,
		},
	}
}

func TestProcessHousekeeping(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		db := opstest.Open(t, target.URI)
		_, err := db.ExecContext(t.Context(), "INSERT INTO workflows (name, target, description, is_task) VALUES ('task_gate', 'SYSTEM', 'Wait at a gate', true)")
		require.NoError(t, err)
		entered, release := make(chan struct{}), make(chan struct{})
		c, _, srv := setupServer(t, db, append(opstest.Workflows(), gate(entered, release)), api.Config{})
		open := sync.OnceFunc(func() { close(release) })
		t.Cleanup(open) // before the server's Close, which waits for the gate

		r := c.do("GET", "/api/processes/status-counts", "")
		require.Equal(t, 200, r.status, string(r.body))
		require.JSONEq(t, `{"process_counts": {}, "task_counts": {}}`, string(r.body))

		// Two tasks fail for want of a file, a third at its gate; a workflow's process completes.
		flag := filepath.Join(t.TempDir(), "flag")
		var flaky []string
		for range 2 {
			r = c.do("POST", "/api/processes/task_flaky", `[{"flag_file": "`+flag+`"}]`)
			require.Equal(t, 201, r.status, string(r.body))
			flaky = append(flaky, r.json(t)["id"].(string))
		}
		r = c.do("POST", "/api/processes/task_gate", `[{}]`)
		require.Equal(t, 201, r.status, string(r.body))
		gated := r.json(t)["id"].(string)
		r = c.do("POST", "/api/processes/task_approve", `[{}]`)
		require.Equal(t, 201, r.status, string(r.body))
		node := startNode(t, c)
		r = c.do("GET", "/api/processes/status-counts", "")
		require.JSONEq(t, `{"process_counts": {"completed": 1}, "task_counts": {"failed": 3, "suspended": 1}}`, string(r.body))

		// Paused, resume-all is refused.
		require.Equal(t, 200, c.do("PUT", "/api/settings/status", `{"global_lock": true}`).status)
		r = c.do("PUT", "/api/processes/resume-all", "")
		require.Equal(t, 503, r.status, string(r.body))
		require.Equal(t, 200, c.do("PUT", "/api/settings/status", `{"global_lock": false}`).status)

		// Resume-all answers at once with the number of failed tasks and retries them in the background, one
		// at a time; a second one meanwhile is refused.
		require.NoError(t, os.WriteFile(flag, nil, 0o644))
		r = c.do("PUT", "/api/processes/resume-all?reporter=carol", "")
		require.Equal(t, 200, r.status, string(r.body))
		require.JSONEq(t, `{"count": 3}`, string(r.body))
		<-entered // the flaky ones went first (least recently modified); the gate is being retried now
		r = c.do("PUT", "/api/processes/resume-all", "")
		require.Equal(t, 409, r.status, string(r.body))
		require.JSONEq(t, `{"detail": "Another request to resume all processes is in progress", "status": 409, "title": "Conflict"}`, string(r.body))
		r = c.do("PUT", "/api/processes/resume-all?reporter="+strings.Repeat("r", 101), "")
		require.Equal(t, 422, r.status, string(r.body))
		open()
		require.NoError(t, srv.Close()) // waits for the retries
		for _, pid := range append(flaky, gated) {
			p := c.do("GET", "/api/processes/"+pid, "").json(t)
			require.Equal(t, "completed", p["last_status"], pid)
			steps := p["steps"].([]any)
			require.Equal(t, "carol", steps[len(steps)-1].(map[string]any)["created_by"])
		}
		r = c.do("GET", "/api/processes/status-counts", "")
		require.JSONEq(t, `{"process_counts": {"completed": 1}, "task_counts": {"completed": 3, "suspended": 1}}`, string(r.body))

		// Delete: tasks only, also while paused; the steps go with them.
		require.Equal(t, 200, c.do("PUT", "/api/settings/status", `{"global_lock": true}`).status)
		r = c.do("DELETE", "/api/processes/"+flaky[0], "")
		require.Equal(t, 204, r.status, string(r.body))
		require.Empty(t, r.body)
		require.Equal(t, 404, c.do("GET", "/api/processes/"+flaky[0], "").status)
		var steps int
		require.NoError(t, db.QueryRowContext(t.Context(), db.Dialect.Rebind("SELECT COUNT(*) FROM process_steps WHERE pid = ?"), uuidOf(t, flaky[0])).Scan(&steps))
		require.Zero(t, steps)
		r = c.do("DELETE", "/api/processes/"+flaky[0], "")
		require.Equal(t, 404, r.status)
		require.JSONEq(t, `{"detail": "Not Found", "status": 404, "title": "Not Found"}`, string(r.body))
		r = c.do("DELETE", "/api/processes/"+node, "")
		require.Equal(t, 400, r.status)
		require.JSONEq(t, `{"detail": "Bad Request", "status": 400, "title": "Bad Request"}`, string(r.body))
		require.Equal(t, 200, c.do("GET", "/api/processes/"+node, "").status)
		require.Equal(t, 422, c.do("DELETE", "/api/processes/nope", "").status)
		anon := *c
		anon.tok = ""
		require.Equal(t, 403, anon.do("DELETE", "/api/processes/"+flaky[1], "").status)
		require.Equal(t, 403, anon.do("GET", "/api/processes/status-counts", "").status)
		require.Equal(t, 403, anon.do("PUT", "/api/processes/resume-all", "").status)
		r = c.do("GET", "/api/processes/status-counts", "")
		require.JSONEq(t, `{"process_counts": {"completed": 1}, "task_counts": {"completed": 2, "suspended": 1}}`, string(r.body))

		// A closed server starts no more background work.
		require.Equal(t, 200, c.do("PUT", "/api/settings/status", `{"global_lock": false}`).status)
		r = c.do("PUT", "/api/processes/resume-all", "")
		require.Equal(t, 503, r.status, string(r.body))
	})
}

// startNode runs create_node to completion through the API and returns its process id.
func startNode(t *testing.T, c *client) string {
	t.Helper()
	var products []map[string]any
	require.NoError(t, json.Unmarshal(c.do("GET", "/api/products/?product_type=Node", "").body, &products))
	r := c.do("POST", "/api/processes/create_node", `[{"product": "`+products[0]["product_id"].(string)+`"}, {"customer_id": "c1", "node_name": "ams01", "ipv4_loopback": "192.0.2.1", "ipv6_loopback": "2001:db8::1"}]`)
	require.Equal(t, 201, r.status, string(r.body))
	return r.json(t)["id"].(string)
}
