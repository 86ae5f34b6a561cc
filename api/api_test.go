package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/internal/opstest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
)

const token = "s3cret-token"

// client talks to a real server on 127.0.0.1 with the token; every request is bounded by a timeout.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
	tok  string
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), string(r.body))
	return m
}

func (c *client) do(method, path, body string) reply {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.base+path, rd)
	require.NoError(c.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.tok != "" {
		req.Header.Set("Authorization", "Bearer "+c.tok)
	}
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

func setup(t *testing.T, uri string) (*client, *process.Engine) {
	return setupConfig(t, uri, api.Config{MaxBodyBytes: 4096})
}

// setupConfig is setup with a configuration of the server's own (its tokens are always token and "other").
func setupConfig(t *testing.T, uri string, cfg api.Config, opts ...process.Option) (*client, *process.Engine) {
	c, eng, _ := setupServer(t, opstest.Open(t, uri), opstest.Workflows(), cfg, opts...)
	return c, eng
}

// setupServer serves the API of an engine of the workflows on db.
func setupServer(t *testing.T, db *database.DB, wfs []*workflow.Workflow, cfg api.Config, opts ...process.Option) (*client, *process.Engine, *api.Server) {
	eng := process.New(db, workflow.MustRegistry(wfs...), append([]process.Option{process.WithProducts(netapp.Products)}, opts...)...)
	t.Cleanup(func() { eng.Close() })
	cfg.Tokens = []string{token, "other"}
	srv := api.New(eng, subscription.New(db, netapp.Products), cfg)
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	require.True(t, strings.HasPrefix(hs.URL, "http://127.0.0.1:"))
	return &client{t: t, base: hs.URL, hc: &http.Client{Timeout: 20 * time.Second}, tok: token}, eng, srv
}

func TestSecurity(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		c, _ := setup(t, target.URI)
		anon := *c
		anon.tok = ""
		r := anon.do("GET", "/api/health/", "")
		require.Equal(t, 200, r.status)
		require.JSONEq(t, `"OK"`, string(r.body))

		r = anon.do("GET", "/api/processes/", "")
		require.Equal(t, 403, r.status)
		require.JSONEq(t, `{"detail": "Not authenticated"}`, string(r.body))
		r = anon.do("GET", "/api/openapi.json", "")
		require.Equal(t, 403, r.status)

		wrong := *c
		wrong.tok = "s3cret-tokem"
		r = wrong.do("GET", "/api/processes/", "")
		require.Equal(t, 401, r.status)
		require.JSONEq(t, `{"detail": "Invalid token"}`, string(r.body))

		other := *c
		other.tok = "other"
		require.Equal(t, 200, other.do("GET", "/api/processes/", "").status)

		// Oversize body, malformed JSON, a body of the wrong type, unknown workflow, unknown and malformed ids.
		r = c.do("POST", "/api/processes/create_node", `[{"x": "`+strings.Repeat("a", 5000)+`"}]`)
		require.Equal(t, 413, r.status, string(r.body))
		require.Equal(t, float64(413), r.json(t)["status"])
		r = c.do("POST", "/api/processes/create_node", `[{"product": `)
		require.Equal(t, 422, r.status, string(r.body))
		require.Contains(t, string(r.body), `"loc":["body"]`)
		r = c.do("POST", "/api/processes/create_node", `{"product": "x"}`)
		require.Equal(t, 422, r.status, string(r.body))
		r = c.do("POST", "/api/processes/no_such_workflow", `[]`)
		require.Equal(t, 404, r.status)
		require.JSONEq(t, `{"detail": "Workflow does not exist", "status": 404, "title": "Not Found"}`, string(r.body))
		r = c.do("GET", "/api/processes/00000000-0000-4000-8000-000000000000", "")
		require.Equal(t, 404, r.status)
		require.Equal(t, "Process with process_id 00000000-0000-4000-8000-000000000000 not found", r.json(t)["detail"])
		r = c.do("GET", "/api/processes/not-a-uuid", "")
		require.Equal(t, 422, r.status, string(r.body))
		require.Contains(t, string(r.body), `"loc":["path","process_id"]`)
		r = c.do("PUT", "/api/processes/00000000-0000-4000-8000-000000000000/abort", "")
		require.Equal(t, 404, r.status)
		r = c.do("PUT", "/api/processes/00000000-0000-4000-8000-000000000000/resume", "{}")
		require.Equal(t, 404, r.status, string(r.body))
		r = c.do("GET", "/api/products/00000000-0000-4000-8000-000000000000", "")
		require.Equal(t, 404, r.status)
		r = c.do("GET", "/api/processes/?filter=colour,red", "")
		require.Equal(t, 400, r.status)
		r = c.do("GET", "/api/processes/?range=5,2", "")
		require.Equal(t, 400, r.status)
		require.Equal(t, "range start must be lower than end", r.json(t)["detail"])
		r = c.do("GET", "/api/nothing/here", "")
		require.Equal(t, 404, r.status)

		r = c.do("GET", "/api/openapi.json", "")
		require.Equal(t, 200, r.status)
		paths := r.json(t)["paths"].(map[string]any)
		for _, p := range []string{"/api/processes/{workflow_key}", "/api/processes/{process_id}/resume", "/api/processes/{process_id}/abort",
			"/api/processes/", "/api/subscriptions/domain-model/{subscription_id}", "/api/products/", "/api/workflows/", "/api/health/"} {
			require.Contains(t, paths, p)
		}
	})
}

func TestProcesses(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		c, _ := setup(t, target.URI)

		// The page exchange of a create workflow: [] asks the product, then the node's form; invalid values are
		// named; the complete form starts the process.
		r := c.do("POST", "/api/processes/create_node", `[]`)
		require.Equal(t, 510, r.status, string(r.body))
		body := r.json(t)
		require.Equal(t, "FormNotCompleteError", body["type"])
		var products []map[string]any
		rp := c.do("GET", "/api/products/?product_type=Node", "")
		require.Equal(t, 200, rp.status)
		require.NoError(t, json.Unmarshal(rp.body, &products))
		require.Len(t, products, 2)
		productID := products[0]["product_id"].(string)
		page1 := `{"product": "` + productID + `"}`

		r = c.do("POST", "/api/processes/create_node", `[{"product": "00000000-0000-4000-8000-000000000000"}]`)
		require.Equal(t, 400, r.status, string(r.body))
		require.Equal(t, "FormValidationError", r.json(t)["type"])

		r = c.do("POST", "/api/processes/create_node", `[`+page1+`]`)
		require.Equal(t, 510, r.status, string(r.body))

		r = c.do("POST", "/api/processes/create_node", `[`+page1+`, {"customer_id": "c1", "node_name": "`+strings.Repeat("n", 70)+`", "ipv4_loopback": "2001:db8::1", "ipv6_loopback": "2001:db8::1"}]`)
		require.Equal(t, 400, r.status, string(r.body))
		var invalid struct {
			ValidationErrors []struct {
				Loc []string `json:"loc"`
				Msg string   `json:"msg"`
			} `json:"validation_errors"`
		}
		require.NoError(t, json.Unmarshal(r.body, &invalid))
		var fields []string
		for _, e := range invalid.ValidationErrors {
			fields = append(fields, e.Loc[0])
		}
		require.Equal(t, []string{"node_name"}, fields) // the addresses are checked once every field is valid

		r = c.do("POST", "/api/processes/create_node?reporter=alice", `[`+page1+`, {"customer_id": "c1", "node_name": "ams01", "ipv4_loopback": "192.0.2.1", "ipv6_loopback": "2001:db8::1"}]`)
		require.Equal(t, 201, r.status, string(r.body))
		pid := r.json(t)["id"].(string)
		r = c.do("GET", "/api/processes/"+pid, "")
		require.Equal(t, 200, r.status)
		p := r.json(t)
		require.Equal(t, "completed", p["last_status"])
		require.Equal(t, "alice", p["created_by"])
		require.Len(t, p["subscriptions"], 1)
		sid := p["subscriptions"].([]any)[0].(map[string]any)["subscription_id"].(string)
		r = c.do("GET", "/api/subscriptions/domain-model/"+sid, "")
		require.Equal(t, 200, r.status, string(r.body))
		require.Equal(t, sid, r.json(t)["subscription_id"])

		// Too many pages.
		r = c.do("POST", "/api/processes/task_approve", `[{}, {}]`)
		require.Equal(t, 400, r.status, string(r.body))

		// Suspended, then resumed with input: invalid input is refused with the fields named.
		r = c.do("POST", "/api/processes/task_approve", `[{}]`)
		require.Equal(t, 201, r.status, string(r.body))
		pid = r.json(t)["id"].(string)
		p = c.do("GET", "/api/processes/"+pid, "").json(t)
		require.Equal(t, "suspended", p["last_status"])
		require.NotNil(t, p["form"])
		r = c.do("PUT", "/api/processes/"+pid+"/resume", `[{"comment": "`+strings.Repeat("x", 30)+`"}]`)
		require.Equal(t, 400, r.status, string(r.body))
		r = c.do("PUT", "/api/processes/"+pid+"/resume", `[{"approved": true, "comment": "fine"}]`)
		require.Equal(t, 204, r.status, string(r.body))
		p = c.do("GET", "/api/processes/"+pid, "").json(t)
		require.Equal(t, "completed", p["last_status"])
		require.Equal(t, "fine", p["current_state"].(map[string]any)["recorded"])
		r = c.do("PUT", "/api/processes/"+pid+"/resume", `{}`)
		require.Equal(t, 409, r.status)
		require.Equal(t, "Resuming a completed workflow is not possible", r.json(t)["detail"])

		// Failed, then retried (resume of a failed process) once its cause is fixed.
		flag := filepath.Join(t.TempDir(), "flag")
		r = c.do("POST", "/api/processes/task_flaky", `[{"flag_file": "`+flag+`"}]`)
		require.Equal(t, 201, r.status, string(r.body))
		pid = r.json(t)["id"].(string)
		p = c.do("GET", "/api/processes/"+pid, "").json(t)
		require.Equal(t, "failed", p["last_status"])
		require.Contains(t, p["failed_reason"], "inventory unreachable")
		require.NoError(t, os.WriteFile(flag, nil, 0o644))
		r = c.do("PUT", "/api/processes/"+pid+"/resume", `{}`)
		require.Equal(t, 204, r.status, string(r.body))
		p = c.do("GET", "/api/processes/"+pid, "").json(t)
		require.Equal(t, "completed", p["last_status"])

		// Abort.
		r = c.do("POST", "/api/processes/task_approve", `[{}]`)
		pid = r.json(t)["id"].(string)
		require.Equal(t, 204, c.do("PUT", "/api/processes/"+pid+"/abort", "").status)
		p = c.do("GET", "/api/processes/"+pid, "").json(t)
		require.Equal(t, "aborted", p["last_status"])

		// Lists: filter, sort, range.
		r = c.do("GET", "/api/processes/?filter=workflowName,task_approve&sort=startedAt,desc&range=0,1", "")
		require.Equal(t, 200, r.status, string(r.body))
		require.Equal(t, "processes 0-1/2", r.header.Get("Content-Range"))
		var list []map[string]any
		require.NoError(t, json.Unmarshal(r.body, &list))
		require.Len(t, list, 1)
		require.Equal(t, pid, list[0]["process_id"])
		require.Nil(t, list[0]["steps"])

		var wfs []map[string]any
		require.NoError(t, json.Unmarshal(c.do("GET", "/api/workflows/", "").body, &wfs))
		require.NotEmpty(t, wfs)
		r = c.do("GET", "/api/workflows/"+wfs[0]["workflow_id"].(string), "")
		require.Equal(t, 200, r.status)
	})
}

var _ = bytes.NewReader
