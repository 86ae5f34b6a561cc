package api_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/internal/opstest"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/wrapper"
)

func TestSubscriptionWorkflows(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		db := opstest.Open(t, target.URI)
		c, eng, _ := setupServer(t, db, opstest.Workflows(), api.Config{})
		subs := subscription.New(db, nil)
		ctx := t.Context()
		node := subscriptionOf(t, c, startNode(t, c))

		get := func(id string) map[string]any {
			t.Helper()
			r := c.do("GET", "/api/subscriptions/workflows/"+id, "")
			require.Equal(t, 200, r.status, string(r.body))
			// Each workflow is offered exactly when starting it would be: no reason if and only if Offered agrees.
			var body map[string][]map[string]any
			var top map[string]any
			require.NoError(t, json.Unmarshal(r.body, &top))
			for k, v := range top {
				if _, ok := v.([]any); ok && k != "locked_relations" && k != "locked_relations_detail" {
					var items []map[string]any
					b, _ := json.Marshal(v)
					require.NoError(t, json.Unmarshal(b, &items))
					if body == nil {
						body = map[string][]map[string]any{}
					}
					body[k] = items
				}
			}
			for _, items := range body {
				for _, it := range items {
					wf, err := eng.Registry().Get(it["name"].(string))
					if err != nil {
						continue
					}
					err = wrapper.Offered(ctx, db, uuidOf(t, id), wf)
					require.Equal(t, it["reason"] == nil, err == nil, "%s: %v", it["name"], err)
				}
			}
			return top
		}

		// Active and in sync: everything but the create workflow (never offered on an existing subscription).
		r := c.do("GET", "/api/subscriptions/workflows/"+node, "")
		require.JSONEq(t, `{
			"create": [{"name": "create_node", "description": "Create Node", "reason": "subscription.no_modify_invalid_status", "usable_when": [], "status": "active", "action": "modified"}],
			"modify": [{"name": "modify_node", "description": "Modify Node"}, {"name": "modify_note", "description": "Modify Note"}],
			"terminate": [{"name": "terminate_node", "description": "Terminate Node"}],
			"system": [], "reconcile": [], "validate": [{"name": "validate_node", "description": "Validate Node"}]}`, string(r.body))
		get(node)

		// A port on the node: the node cannot be terminated while the port uses it.
		port := subscriptionOf(t, c, startPort(t, c, node))
		top := get(node)
		term := top["terminate"].([]any)[0].(map[string]any)
		require.Equal(t, "subscription.no_modify_subscription_in_use_by_others", term["reason"])
		require.Equal(t, "terminated", term["action"])
		require.Equal(t, []any{port}, term["unterminated_in_use_by_subscriptions"])
		require.Equal(t, port, term["unterminated_in_use_by_subscriptions_detail"].([]any)[0].(map[string]any)["subscription_id"])
		require.NotContains(t, term, "usable_when")
		require.NotContains(t, top, "reason")
		top = get(port)
		require.Len(t, top["terminate"].([]any), 1)
		require.NotContains(t, top["terminate"].([]any)[0], "reason")

		// The port out of sync locks the node's modify and terminate workflows (not modify_note, nor the
		// validation, which wfo lets run on subscriptions out of sync).
		require.NoError(t, subs.SetInsync(ctx, uuidOf(t, port), false))
		top = get(node)
		require.Equal(t, "subscription.relations_not_in_sync", top["reason"])
		require.Equal(t, []any{port}, top["locked_relations"])
		require.Equal(t, []any{map[string]any{"subscription_id": port, "subscription_description": "Port xe-0/0/1 on ams01"}}, top["locked_relations_detail"])
		reasons := map[string]any{}
		for _, k := range []string{"create", "modify", "terminate", "validate"} {
			for _, it := range top[k].([]any) {
				reasons[it.(map[string]any)["name"].(string)] = it.(map[string]any)["reason"]
			}
		}
		require.Equal(t, map[string]any{"create_node": "subscription.relations_not_in_sync", "modify_node": "subscription.relations_not_in_sync",
			"modify_note": nil, "terminate_node": "subscription.relations_not_in_sync", "validate_node": nil}, reasons)
		top = get(port)
		require.Equal(t, "subscription.not_in_sync", top["reason"])
		require.NotContains(t, top, "locked_relations")
		for _, it := range top["modify"].([]any) {
			it := it.(map[string]any)
			if it["name"] == "modify_port" {
				require.Equal(t, "subscription.not_in_sync", it["reason"])
			} else {
				require.NotContains(t, it, "reason")
			}
		}

		// set_in_sync: refused while a workflow's process on the subscription is unfinished.
		r = c.do("POST", "/api/processes/task_approve", `[{}]`)
		require.Equal(t, 201, r.status, string(r.body))
		open := r.json(t)["id"].(string)
		require.NoError(t, subs.LinkProcess(ctx, uuidOf(t, open), uuidOf(t, port), "MODIFY"))
		_, err := db.ExecContext(ctx, db.Dialect.Rebind("UPDATE processes SET is_task = ? WHERE pid = ?"), false, uuidOf(t, open))
		require.NoError(t, err)
		r = c.do("PUT", "/api/subscriptions/"+port+"/set_in_sync", "")
		require.Equal(t, 422, r.status, string(r.body))
		require.Equal(t, "Subscription "+port+" has still failed processes with id's: ['"+open+"']", r.json(t)["detail"])
		require.Equal(t, 204, c.do("PUT", "/api/processes/"+open+"/abort", "").status)
		r = c.do("PUT", "/api/subscriptions/"+port+"/set_in_sync", "")
		require.Equal(t, 200, r.status, string(r.body))
		require.JSONEq(t, "null", string(r.body))
		row, err := subs.Row(ctx, uuidOf(t, port))
		require.NoError(t, err)
		require.True(t, row.Insync)
		r = c.do("PUT", "/api/subscriptions/"+port+"/set_in_sync", "") // in sync already: nothing to do
		require.Equal(t, 200, r.status, string(r.body))
		top = get(node)
		require.NotContains(t, top, "reason")

		// Unknown and malformed ids.
		r = c.do("GET", "/api/subscriptions/workflows/00000000-0000-4000-8000-000000000000", "")
		require.Equal(t, 404, r.status)
		require.JSONEq(t, `{"detail": "Not Found", "status": 404, "title": "Not Found"}`, string(r.body))
		r = c.do("PUT", "/api/subscriptions/00000000-0000-4000-8000-000000000000/set_in_sync", "")
		require.Equal(t, 404, r.status)
		require.Equal(t, "Subscription with 00000000-0000-4000-8000-000000000000 does not exist in the database", r.json(t)["detail"])
		require.Equal(t, 422, c.do("GET", "/api/subscriptions/workflows/nope", "").status)
		require.Equal(t, 422, c.do("PUT", "/api/subscriptions/nope/set_in_sync", "").status)
		anon := *c
		anon.tok = ""
		require.Equal(t, 403, anon.do("GET", "/api/subscriptions/workflows/"+node, "").status)
		require.Equal(t, 403, anon.do("PUT", "/api/subscriptions/"+node+"/set_in_sync", "").status)
	})
}

func TestSetInSyncUnchecked(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		db := opstest.Open(t, target.URI)
		c, _, _ := setupServer(t, db, opstest.Workflows(), api.Config{DisableInsyncCheck: true})
		node := subscriptionOf(t, c, startNode(t, c))
		subs := subscription.New(db, nil)
		require.NoError(t, subs.SetInsync(t.Context(), uuidOf(t, node), false))
		r := c.do("POST", "/api/processes/task_approve", `[{}]`)
		open := r.json(t)["id"].(string)
		require.NoError(t, subs.LinkProcess(t.Context(), uuidOf(t, open), uuidOf(t, node), "MODIFY"))
		_, err := db.ExecContext(t.Context(), db.Dialect.Rebind("UPDATE processes SET is_task = ? WHERE pid = ?"), false, uuidOf(t, open))
		require.NoError(t, err)
		r = c.do("PUT", "/api/subscriptions/"+node+"/set_in_sync", "")
		require.Equal(t, 200, r.status, string(r.body))
		row, err := subs.Row(t.Context(), uuidOf(t, node))
		require.NoError(t, err)
		require.True(t, row.Insync)
	})
}

// subscriptionOf returns the first subscription of a process.
func subscriptionOf(t *testing.T, c *client, pid string) string {
	t.Helper()
	p := c.do("GET", "/api/processes/"+pid, "").json(t)
	require.Equal(t, "completed", p["last_status"], p["failed_reason"])
	return p["subscriptions"].([]any)[0].(map[string]any)["subscription_id"].(string)
}

// startPort runs create_port on the node through the API and returns its process id.
func startPort(t *testing.T, c *client, node string) string {
	t.Helper()
	var products []map[string]any
	require.NoError(t, json.Unmarshal(c.do("GET", "/api/products/?product_type=Port", "").body, &products))
	r := c.do("POST", "/api/processes/create_port", `[{"product": "`+products[0]["product_id"].(string)+`"}, {"customer_id": "c1", "node_subscription_id": "`+node+`", "port_name": "xe-0/0/1"}]`)
	require.Equal(t, 201, r.status, string(r.body))
	return r.json(t)["id"].(string)
}
