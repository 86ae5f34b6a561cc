package netapp_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/settings"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/tasks"
	"github.com/wfo-go/wfo/workflowtest"
	"github.com/wfo-go/wfo/wrapper"
)

func harness(t *testing.T, target dbtest.Target) *workflowtest.Harness {
	t.Helper()
	s, err := settings.Load(nil)
	require.NoError(t, err)
	return workflowtest.New(t,
		workflowtest.DatabaseURI(target.URI),
		workflowtest.EmbeddedRevisions(netapp.Migrations, "netapp:migrations"),
		workflowtest.Products(netapp.Products),
		workflowtest.Workflows(append(tasks.Workflows(s), netapp.Workflows...)...),
	)
}

func productID(t *testing.T, h *workflowtest.Harness, name string) string {
	t.Helper()
	var id string
	require.NoError(t, h.DB.QueryRow("SELECT product_id FROM products WHERE name = $1", name).Scan(&id))
	return id
}

// TestNodeAndPortLifecycle runs the example's workflows end to end: create a Node, create a Port on it, modify
// both, validate both, try to terminate the Node (refused while the Port uses it), terminate the Port, then the
// Node.
func TestNodeAndPortLifecycle(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		h := harness(t, target)
		ctx := context.Background()
		store := subscription.New(h.DB, netapp.Products)

		// Create a Node.
		p := h.Run("create_node", map[string]any{"product": productID(t, h, "Node Cisco")}, map[string]any{
			"customer_id": "cust-1", "node_name": "ams-rt1", "ipv4_loopback": "192.0.2.1", "ipv6_loopback": "2001:db8::1",
		})
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Create subscription", "Create Process Subscription relation", "Reserve node id",
			"Set subscription to 'active'", "Unlock subscription", "Done"}, p.StepNames())
		nodeID := uuid.MustParse(p.State["subscription_id"].(string))
		node, err := subscription.Load[netapp.Node](ctx, store, nodeID)
		require.NoError(t, err)
		// The state holds the subscription in the reference's JSON, as stored (compared parsed: jsonb reorders keys).
		want, err := netapp.Products.MarshalModel(node)
		require.NoError(t, err)
		got, err := json.Marshal(p.State["subscription"])
		require.NoError(t, err)
		require.JSONEq(t, string(want), string(got))
		require.Equal(t, domain.Active, node.Status)
		require.True(t, node.Insync)
		require.NotNil(t, node.StartDate)
		require.Equal(t, netapp.VendorCisco, node.Vendor)
		require.Equal(t, "ams-rt1", *node.Node.NodeName)
		require.Equal(t, 1, *node.Node.NodeID)
		require.Equal(t, "Node ams-rt1", node.Description)

		// The form reports every invalid field by name.
		_, err = h.Start("create_node", map[string]any{"product": productID(t, h, "Port 10G"), "ipv4_loopback": "2001:db8::2", "ipv6_loopback": "x"})
		require.ErrorContains(t, err, "product: This workflow is not valid for this product; customer_id: field required; node_name: field required; ipv6_loopback: value is not a valid")

		// Create a Port on it.
		p = h.Run("create_port", map[string]any{"product": productID(t, h, "Port 10G")}, map[string]any{
			"customer_id": "cust-1", "node_subscription_id": nodeID.String(), "port_name": "xe-0/0/1", "vlans": []int{10, 20},
		})
		h.RequireStatus(p, process.Completed)
		portID := uuid.MustParse(p.State["subscription_id"].(string))
		port, err := subscription.Load[netapp.Port](ctx, store, portID)
		require.NoError(t, err)
		require.Equal(t, domain.Active, port.Status)
		require.Equal(t, netapp.Speed10G, port.Speed)
		require.Equal(t, []netapp.VLAN{10, 20}, port.Port.VLANs)
		require.True(t, port.Port.Enabled)
		require.NotNil(t, port.Port.IMSCircuitID)
		require.Equal(t, node.Node.SubscriptionInstanceID, port.Port.Node.SubscriptionInstanceID, "the port uses the node's block")
		users, err := store.InUseBy(ctx, nodeID)
		require.NoError(t, err)
		require.Len(t, users, 1)
		require.Equal(t, portID, users[0].SubscriptionID)

		// Modify the Node and the Port.
		p = h.Run("modify_node", map[string]any{"subscription_id": nodeID.String(), "version": node.Version}, map[string]any{"node_name": "ams-rt01"})
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Create Process Subscription relation", "Lock subscription", "Update node name", "Unlock subscription", "Done"}, p.StepNames())
		require.Equal(t, "ams-rt1", p.State["old_node_name"])
		node, err = subscription.Load[netapp.Node](ctx, store, nodeID)
		require.NoError(t, err)
		require.Equal(t, "ams-rt01", *node.Node.NodeName)
		require.True(t, node.Insync)
		// The backup taken by Lock is the node as it was.
		old := p.State[wrapper.KeyOldSubscriptions].(map[string]any)[nodeID.String()].(map[string]any)
		require.Equal(t, "ams-rt1", old["node"].(map[string]any)["node_name"], "in the reference's shape")
		// A stale version is refused.
		_, err = h.Start("modify_node", map[string]any{"subscription_id": nodeID.String(), "version": 1, "node_name": "x"})
		require.ErrorContains(t, err, "version: Stale data")

		p = h.Run("modify_port", map[string]any{"subscription_id": portID.String(), "port_mode": "untagged", "vlans": []int{30}})
		h.RequireStatus(p, process.Completed)
		port, err = subscription.Load[netapp.Port](ctx, store, portID)
		require.NoError(t, err)
		require.Equal(t, netapp.PortModeUntagged, port.Port.PortMode)
		require.Equal(t, []netapp.VLAN{30}, port.Port.VLANs)

		// Validate both.
		for _, v := range []struct {
			wf string
			id uuid.UUID
		}{{"validate_node", nodeID}, {"validate_port", portID}} {
			p = h.Run(v.wf, map[string]any{"subscription_id": v.id.String()})
			h.RequireStatus(p, process.Completed)
		}
		// And through the task, per product type.
		p = h.Run(tasks.ValidateProductType, map[string]any{"product_type": "Node"})
		h.RequireStatus(p, process.Completed)
		require.Len(t, p.State["result"], 1)

		// Terminating the Node is refused while the Port uses it.
		_, err = h.Start("terminate_node", map[string]any{"subscription_id": nodeID.String()})
		require.ErrorIs(t, err, wrapper.ErrInUseByOthers)
		require.ErrorContains(t, err, "subscription_id: This workflow cannot be started: This subscription can not be modified as it is used in other subscriptions ("+portID.String()+")")

		// Terminate the Port, then the Node.
		p = h.Run("terminate_port", map[string]any{"subscription_id": portID.String()})
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []string{"Start", "Create Process Subscription relation", "Lock subscription", "Disable port",
			"Set subscription to 'terminated'", "Unlock subscription", "Done"}, p.StepNames())
		port, err = subscription.Load[netapp.Port](ctx, store, portID)
		require.NoError(t, err)
		require.Equal(t, domain.Terminated, port.Status)
		require.NotNil(t, port.EndDate)
		require.False(t, port.Port.Enabled)

		p = h.Run("terminate_node", map[string]any{"subscription_id": nodeID.String()})
		h.RequireStatus(p, process.Completed)
		node, err = subscription.Load[netapp.Node](ctx, store, nodeID)
		require.NoError(t, err)
		require.Equal(t, domain.Terminated, node.Status)

		// A terminated subscription is offered no modify workflow.
		_, err = h.Start("modify_node", map[string]any{"subscription_id": nodeID.String(), "node_name": "x"})
		require.ErrorIs(t, err, wrapper.ErrInvalidStatus)

		// Every process is linked to its subscription.
		rows, err := h.DB.Query("SELECT count(*) FROM processes_subscriptions WHERE subscription_id = $1", nodeID)
		require.NoError(t, err)
		defer rows.Close()
		require.True(t, rows.Next())
		var n int
		require.NoError(t, rows.Scan(&n))
		require.Equal(t, 5, n) // create, modify, validate (by hand and by the task), terminate

		// The catalogue and the code agree.
		p = h.Run(tasks.ValidateProducts)
		h.RequireStatus(p, process.Completed)
		require.Equal(t, []any{"LAG"}, p.State["products_without_at_least_create_modify_terminate_validate_workflows"])
	})
}
