package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/dbtest"
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
