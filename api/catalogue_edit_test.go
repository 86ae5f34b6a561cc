package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/dbtest"
)

func TestCatalogueEdits(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		c, _ := setupConfig(t, target.URI, api.Config{MaxBodyBytes: 64 << 10})
		startNode(t, c) // a Node Cisco subscription, active
		var products []map[string]any
		require.NoError(t, json.Unmarshal(c.do("GET", "/api/products/?product_type=Node", "").body, &products))
		byName := map[string]map[string]any{}
		for _, p := range products {
			byName[p["name"].(string)] = p
		}
		cisco, nokia := byName["Node Cisco"]["product_id"].(string), byName["Node Nokia"]["product_id"].(string)
		block := byName["Node Cisco"]["product_blocks"].([]any)[0].(map[string]any)
		blockID := block["product_block_id"].(string)
		rt := block["resource_types"].([]any)[0].(map[string]any)
		rtID := rt["resource_type_id"].(string)
		wf := byName["Node Cisco"]["workflows"].([]any)[0].(map[string]any)
		wfID := wf["workflow_id"].(string)
		const unknown = "00000000-0000-4000-8000-000000000000"

		// Resource types: read one, edit its description.
		r := c.do("GET", "/api/resource_types/"+rtID, "")
		require.Equal(t, 200, r.status, string(r.body))
		require.JSONEq(t, mustJSON(t, rt), string(r.body))
		r = c.do("PATCH", "/api/resource_types/"+rtID, `{"description": "Renamed"}`)
		require.Equal(t, 201, r.status, string(r.body))
		require.Equal(t, "Renamed", r.json(t)["description"])
		require.Equal(t, rt["resource_type"], r.json(t)["resource_type"])
		require.Equal(t, "Renamed", c.do("GET", "/api/resource_types/"+rtID, "").json(t)["description"])
		r = c.do("GET", "/api/resource_types/"+unknown, "")
		require.Equal(t, 404, r.status)
		require.JSONEq(t, `{"detail": "ResourceType id `+unknown+` not found", "status": 404, "title": "Not Found"}`, string(r.body))
		r = c.do("PATCH", "/api/resource_types/"+unknown, `{"description": "x"}`)
		require.Equal(t, 404, r.status)
		require.Equal(t, "ResourceType id "+unknown+" not found", r.json(t)["detail"])

		// Blocks and workflows.
		r = c.do("PATCH", "/api/product_blocks/"+blockID, `{"description": "The node itself"}`)
		require.Equal(t, 201, r.status, string(r.body))
		require.Equal(t, "The node itself", r.json(t)["description"])
		require.Equal(t, "The node itself", c.do("GET", "/api/product_blocks/"+blockID, "").json(t)["description"])
		r = c.do("PATCH", "/api/product_blocks/"+unknown, `{"description": "x"}`)
		require.Equal(t, 404, r.status)
		require.Equal(t, "Product_block id "+unknown+" not found", r.json(t)["detail"])
		r = c.do("PATCH", "/api/workflows/"+wfID, `{"description": "Does things"}`)
		require.Equal(t, 201, r.status, string(r.body))
		require.Equal(t, "Does things", r.json(t)["description"])
		require.Equal(t, wf["name"], r.json(t)["name"])
		r = c.do("PATCH", "/api/workflows/"+unknown, `{}`)
		require.Equal(t, 404, r.status)
		require.Equal(t, "Workflow id "+unknown+" not found", r.json(t)["detail"])

		// Only keys sent change; an explicit null, a number or 2,001 characters are refused naming the field.
		r = c.do("PATCH", "/api/workflows/"+wfID, `{}`)
		require.Equal(t, 201, r.status, string(r.body))
		require.Equal(t, "Does things", r.json(t)["description"])
		for _, path := range []string{"/api/products/" + cisco, "/api/product_blocks/" + blockID, "/api/resource_types/" + rtID, "/api/workflows/" + wfID} {
			for _, body := range []string{`{"description": null}`, `{"description": 5}`, `{"description": "` + strings.Repeat("d", 2001) + `"}`} {
				r = c.do("PATCH", path, body)
				require.Equal(t, 422, r.status, path+" "+string(r.body))
				require.Contains(t, string(r.body), `"loc":["body","description"]`)
			}
			r = c.do("PATCH", path, `{"description": "`+strings.Repeat("é", 2000)+`"}`)
			require.Equal(t, 201, r.status, path+" "+string(r.body))
		}

		// Products: description and status; end of life only without live subscriptions, and then nothing changes.
		r = c.do("PATCH", "/api/products/"+cisco, `{"description": "Cisco routers", "status": "phase out"}`)
		require.Equal(t, 201, r.status, string(r.body))
		p := r.json(t)
		require.Equal(t, "Cisco routers", p["description"])
		require.Equal(t, "phase out", p["status"])
		require.NotEmpty(t, p["product_blocks"])
		r = c.do("PATCH", "/api/products/"+cisco, `{"description": "Gone", "status": "end of life"}`)
		require.Equal(t, 400, r.status, string(r.body))
		require.JSONEq(t, `{"detail": "Cannot set product to 'end of life': 1 subscription(s) are not in terminated state", "status": 400, "title": "Bad Request"}`, string(r.body))
		p = c.do("GET", "/api/products/"+cisco, "").json(t)
		require.Equal(t, "Cisco routers", p["description"])
		require.Equal(t, "phase out", p["status"])
		r = c.do("PATCH", "/api/products/"+nokia, `{"status": "end of life"}`)
		require.Equal(t, 201, r.status, string(r.body))
		require.Equal(t, "end of life", r.json(t)["status"])
		r = c.do("PATCH", "/api/products/"+nokia, `{"status": "retired"}`)
		require.Equal(t, 422, r.status, string(r.body))
		require.Contains(t, string(r.body), `"loc":["body","status"]`)
		r = c.do("PATCH", "/api/products/"+unknown, `{"status": "active"}`)
		require.Equal(t, 404, r.status)
		require.Equal(t, "Product id "+unknown+" not found", r.json(t)["detail"])
		r = c.do("PATCH", "/api/products/"+unknown, `{}`)
		require.Equal(t, 404, r.status)
		require.Equal(t, 422, c.do("PATCH", "/api/products/nope", `{}`).status)
		anon := *c
		anon.tok = ""
		require.Equal(t, 403, anon.do("PATCH", "/api/products/"+nokia, `{}`).status)
		require.Equal(t, 403, anon.do("GET", "/api/resource_types/"+rtID, "").status)
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
