package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/process"
)

func TestEngineSettings(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		c, eng := setup(t, target.URI)
		r := c.do("GET", "/api/settings/status", "")
		require.Equal(t, 200, r.status, string(r.body))
		require.JSONEq(t, `{"global_lock": false, "global_status": "RUNNING", "running_processes": 0}`, string(r.body))

		r = c.do("POST", "/api/processes/task_approve", `[{}]`)
		require.Equal(t, 201, r.status, string(r.body))
		suspended := r.json(t)["id"].(string)

		// Paused: nothing starts, resumes or takes callbacks (503); abort, the note and reads still work.
		r = c.do("PUT", "/api/settings/status", `{"global_lock": true}`)
		require.Equal(t, 200, r.status, string(r.body))
		require.JSONEq(t, `{"global_lock": true, "global_status": "PAUSED", "running_processes": 0}`, string(r.body))
		r = c.do("PUT", "/api/settings/status", `{"global_lock": true}`)
		require.Equal(t, 200, r.status, string(r.body))
		require.JSONEq(t, `{"global_lock": true, "global_status": "PAUSED", "running_processes": 0}`, string(r.body))
		locked := `{"detail": "Engine is locked cannot accept changes on processes at this time", "status": 503, "title": "Service Unavailable"}`
		r = c.do("POST", "/api/processes/task_approve", `[{}]`)
		require.Equal(t, 503, r.status, string(r.body))
		require.JSONEq(t, locked, string(r.body))
		r = c.do("PUT", "/api/processes/"+suspended+"/resume", `[{"approved": true}]`)
		require.Equal(t, 503, r.status, string(r.body))
		require.Equal(t, 200, c.do("PATCH", "/api/processes/"+suspended, `{"note": "paused"}`).status)
		require.Equal(t, 200, c.do("GET", "/api/processes/"+suspended, "").status)

		// A process started past the API while paused stops before its first step; unpausing continues it.
		pid, err := eng.Start(t.Context(), "task_flaky", map[string]any{"flag_file": "/"})
		require.NoError(t, err)
		p, err := eng.Get(t.Context(), pid)
		require.NoError(t, err)
		require.Equal(t, process.Resumed, p.Status)
		r = c.do("PUT", "/api/settings/status", `{"global_lock": false}`)
		require.Equal(t, 200, r.status, string(r.body))
		require.JSONEq(t, `{"global_lock": false, "global_status": "RUNNING", "running_processes": 0}`, string(r.body))
		p, err = eng.Get(t.Context(), pid)
		require.NoError(t, err)
		require.Equal(t, process.Completed, p.Status)
		r = c.do("PUT", "/api/processes/"+suspended+"/resume", `[{"approved": true}]`)
		require.Equal(t, 204, r.status, string(r.body))

		// Bad bodies.
		for _, body := range []string{`{}`, `{"global_lock": "yes"}`, `{"global_lock": null}`, `[`} {
			r = c.do("PUT", "/api/settings/status", body)
			require.Equal(t, 422, r.status, body+": "+string(r.body))
		}
		// Bodies are limited (this server: 4,096 bytes) on every route that reads one.
		big := strings.Repeat(" ", 5000)
		for _, rt := range [][2]string{{"PUT", "/api/settings/status"}, {"PATCH", "/api/processes/" + suspended},
			{"PATCH", "/api/workflows/00000000-0000-4000-8000-000000000000"}, {"PATCH", "/api/products/00000000-0000-4000-8000-000000000000"}} {
			r = c.do(rt[0], rt[1], `{"global_lock": true`+big+`}`)
			require.Equal(t, 413, r.status, rt[1]+": "+string(r.body))
		}
		anon := *c
		anon.tok = ""
		require.Equal(t, 403, anon.do("PUT", "/api/settings/status", `{"global_lock": true}`).status)
		require.Equal(t, 403, anon.do("GET", "/api/settings/status", "").status)
		require.Equal(t, 403, anon.do("GET", "/api/settings/worker-status", "").status)

		// A synchronous engine has no workers.
		r = c.do("GET", "/api/settings/worker-status", "")
		require.Equal(t, 200, r.status, string(r.body))
		require.JSONEq(t, `{"executor_type": "threadpool", "number_of_workers_online": 0, "number_of_queued_jobs": 0, "number_of_running_jobs": 0}`, string(r.body))
	})
}

func TestWorkerStatus(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		// Workers not started yet: a process started is handed to the pool and waits in its queue.
		c, eng := setupConfig(t, target.URI, api.Config{}, process.Synchronous(false), process.Workers(3))
		r := c.do("GET", "/api/settings/worker-status", "")
		require.Equal(t, 200, r.status, string(r.body))
		require.JSONEq(t, `{"executor_type": "threadpool", "number_of_workers_online": 3, "number_of_queued_jobs": 0, "number_of_running_jobs": 0}`, string(r.body))
		r = c.do("POST", "/api/processes/task_approve", `[{}]`)
		require.Equal(t, 201, r.status, string(r.body))
		pid := r.json(t)["id"].(string)
		r = c.do("GET", "/api/settings/worker-status", "")
		require.JSONEq(t, `{"executor_type": "threadpool", "number_of_workers_online": 3, "number_of_queued_jobs": 1, "number_of_running_jobs": 0}`, string(r.body))
		eng.StartWorkers()
		p, err := eng.Wait(t.Context(), uuidOf(t, pid))
		require.NoError(t, err)
		require.Equal(t, process.Suspended, p.Status)
	})
}

func uuidOf(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	require.NoError(t, err)
	return id
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, dbtest.SQLiteURI(t))
	r := c.do("GET", "/api/openapi.json", "")
	require.Equal(t, 200, r.status)
	var doc struct {
		Paths map[string]map[string]struct {
			Summary   string         `json:"summary"`
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(r.body, &doc))
	want := map[string][]string{
		"/api/processes/{process_id}":                      {"get", "patch", "delete"},
		"/api/processes/resume-all":                        {"put"},
		"/api/processes/status-counts":                     {"get"},
		"/api/settings/status":                             {"get", "put"},
		"/api/settings/worker-status":                      {"get"},
		"/api/subscriptions/workflows/{subscription_id}":   {"get"},
		"/api/subscriptions/{subscription_id}/set_in_sync": {"put"},
		"/api/resource_types/{id}":                         {"get", "patch"},
		"/api/products/{id}":                               {"get", "patch"},
		"/api/product_blocks/{id}":                         {"get", "patch"},
		"/api/workflows/{id}":                              {"get", "patch"},
	}
	for path, methods := range want {
		for _, m := range methods {
			op, ok := doc.Paths[path][m]
			require.True(t, ok, "%s %s", m, path)
			require.NotEmpty(t, op.Summary, "%s %s", m, path)
		}
	}
	for path, ops := range doc.Paths {
		for m, op := range ops {
			require.NotEmpty(t, op.Summary, "%s %s has no summary", m, path)
		}
	}
}
