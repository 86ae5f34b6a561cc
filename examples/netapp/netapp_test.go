package netapp_test

import (
	"context"
	"database/sql"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/examples/netapp"
	"github.com/wfo-go/wfo/internal/coretest"
	"github.com/wfo-go/wfo/internal/dbtest"
	"github.com/wfo-go/wfo/migration"
	"github.com/wfo-go/wfo/subscription"
)

func setup(t *testing.T, target dbtest.Target) (*database.DB, *subscription.Store) {
	t.Helper()
	db := coretest.Open(t, target.URI, migration.EmbeddedLocation(netapp.Migrations, "netapp:migrations"))
	return db, subscription.New(db, netapp.Products)
}

func ptr[T any](v T) *T { return &v }

// rebind turns ? into $n for PostgreSQL.
func rebind(db *database.DB, q string) string {
	if db.Dialect != database.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + string(rune('0'+n)))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// rowStrings returns the rows of a query, their columns joined by "|" (NULL as ""), sorted.
func rowStrings(t *testing.T, db *database.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(rebind(db, query), args...)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		strs := make([]string, len(vals))
		for i, v := range vals {
			strs[i] = v.String
		}
		out = append(out, strings.Join(strs, "|"))
	}
	require.NoError(t, rows.Err())
	slices.Sort(out)
	return out
}

// TestUpgradeBringsCatalogue checks that the data revisions store exactly the catalogue declared in
// Go: products with description, type, tag, status, fixed-input values and root blocks; blocks with description,
// tag, status, resource types and nested blocks; resource types with their descriptions.
func TestUpgradeBringsCatalogue(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		db, _ := setup(t, target)
		cat := netapp.Products.Catalogue()

		var wantProducts, wantRoots, wantFixed, wantBlocks, wantRTs, wantBlockRTs, wantRelations []string
		for _, p := range cat.Products {
			require.Empty(t, p.Missing, "product %s is declared fully", p.Name)
			wantProducts = append(wantProducts, strings.Join([]string{p.Name, p.Description, p.ProductType, p.Tag, string(p.Status)}, "|"))
			for _, root := range p.RootBlocks {
				wantRoots = append(wantRoots, p.Name+"|"+root)
			}
			for _, fi := range p.FixedInputs {
				wantFixed = append(wantFixed, p.Name+"|"+fi.Name+"|"+fi.Value)
			}
		}
		for _, b := range cat.ProductBlocks {
			require.Empty(t, b.Missing, "block %s is declared fully", b.Name)
			wantBlocks = append(wantBlocks, strings.Join([]string{b.Name, b.Description, b.Tag, string(b.Status)}, "|"))
			for _, rt := range b.ResourceTypes {
				wantBlockRTs = append(wantBlockRTs, b.Name+"|"+rt)
			}
			for _, child := range b.DependsOn {
				wantRelations = append(wantRelations, b.Name+"|"+child)
			}
		}
		for _, rt := range cat.ResourceTypes {
			require.Empty(t, rt.Missing, "resource type %s is declared fully", rt.Name)
			wantRTs = append(wantRTs, rt.Name+"|"+rt.Description)
		}
		for _, s := range [][]string{wantProducts, wantRoots, wantFixed, wantBlocks, wantRTs, wantBlockRTs, wantRelations} {
			slices.Sort(s)
		}
		require.Equal(t, wantProducts, rowStrings(t, db, "SELECT name, description, product_type, tag, status FROM products"))
		require.Equal(t, wantRoots, rowStrings(t, db, `SELECT p.name, pb.name FROM product_product_blocks ppb
JOIN products p ON p.product_id = ppb.product_id JOIN product_blocks pb ON pb.product_block_id = ppb.product_block_id`))
		require.Equal(t, wantFixed, rowStrings(t, db, "SELECT p.name, fi.name, fi.value FROM fixed_inputs fi JOIN products p ON p.product_id = fi.product_id"))
		require.Equal(t, wantBlocks, rowStrings(t, db, "SELECT name, description, tag, status FROM product_blocks"))
		require.Equal(t, wantRTs, rowStrings(t, db, "SELECT resource_type, description FROM resource_types"))
		require.Equal(t, wantBlockRTs, rowStrings(t, db, `SELECT pb.name, rt.resource_type FROM product_block_resource_types x
JOIN product_blocks pb ON pb.product_block_id = x.product_block_id JOIN resource_types rt ON rt.resource_type_id = x.resource_type_id`))
		require.Equal(t, wantRelations, rowStrings(t, db, `SELECT a.name, b.name FROM product_block_relations r
JOIN product_blocks a ON a.product_block_id = r.in_use_by_id JOIN product_blocks b ON b.product_block_id = r.depends_on_id`))
	})
}

// TestNetwork builds a small network the way create workflows would: two nodes, two ports on them, a LAG of the
// ports; then moves them through their lifecycles and checks the relations between the subscriptions.
func TestNetwork(t *testing.T) {
	t.Parallel()
	dbtest.Run(t, func(t *testing.T, target dbtest.Target) {
		t.Parallel()
		ctx := context.Background()
		_, store := setup(t, target)
		customer := uuid.NewString()

		newNode := func(product string, id int, name string) *netapp.Node {
			node, err := subscription.Create[netapp.Node](ctx, store, product, customer)
			require.NoError(t, err)
			require.Equal(t, domain.Initial, node.Status)
			require.Equal(t, "Initial subscription of "+strings.TrimPrefix(product, "Node ")+" node", node.Description)
			require.NoError(t, store.Save(ctx, node))

			err = store.ChangeLifecycle(ctx, node, domain.Active)
			require.EqualError(t, err, "subscription: cannot move to active: node.node_id is required from active; node.node_name is required from provisioning; node.ipv4_loopback is required from provisioning; node.ipv6_loopback is required from provisioning")
			require.ErrorIs(t, err, subscription.ErrInvalid)

			node.Node.NodeName = ptr(name)
			node.Node.IPv4Loopback = ptr(netip.MustParseAddr("10.0.0.1"))
			node.Node.IPv6Loopback = ptr(netip.MustParseAddr("10.0.0.2"))
			err = store.ChangeLifecycle(ctx, node, domain.Provisioning)
			require.EqualError(t, err, `subscription: cannot move to provisioning: node.ipv6_loopback: 10.0.0.2 is not an IPv6 address`)
			node.Node.IPv6Loopback = ptr(netip.MustParseAddr("2001:db8::1"))
			require.NoError(t, store.ChangeLifecycle(ctx, node, domain.Provisioning))
			require.NoError(t, store.Save(ctx, node))
			node.Node.NodeID = ptr(id)
			require.NoError(t, store.ChangeLifecycle(ctx, node, domain.Active))
			require.NotNil(t, node.StartDate)
			node.Insync = true // as the create workflow's last step does
			require.NoError(t, store.Save(ctx, node))
			return node
		}
		cisco := newNode("Node Cisco", 1, "rtr1")
		nokia := newNode("Node Nokia", 2, "rtr2")
		require.Equal(t, netapp.VendorCisco, cisco.Vendor)
		require.Equal(t, netapp.VendorNokia, nokia.Vendor)

		newPort := func(product string, node *netapp.Node, name string) *netapp.Port {
			port, err := subscription.Create[netapp.Port](ctx, store, product, customer)
			require.NoError(t, err)
			require.Equal(t, netapp.PortModeTagged, port.Port.PortMode)
			port.Port.PortName = ptr(name)
			port.Port.VLANs = []netapp.VLAN{10, 20}
			port.Port.Node = &node.Node
			require.NoError(t, store.ChangeLifecycle(ctx, port, domain.Provisioning))
			port.Port.IMSCircuitID = ptr(uuid.New())
			require.NoError(t, store.ChangeLifecycle(ctx, port, domain.Active))
			require.NoError(t, store.Save(ctx, port))
			return port
		}
		p1 := newPort("Port 10G", cisco, "xe-0/0/1")
		p2 := newPort("Port 100G", nokia, "et-0/0/1")
		require.Equal(t, netapp.Speed10G, p1.Speed)
		require.Equal(t, netapp.Speed100G, p2.Speed)

		lag, err := subscription.Create[netapp.Lag](ctx, store, "LAG", customer)
		require.NoError(t, err)
		require.Len(t, lag.Lag.Members, 2, "a new LAG has the minimum number of members")
		require.Equal(t, 1, lag.Lag.MinimumLinks)
		lag.Lag.LagName = ptr("ae0")
		for i, p := range []*netapp.Port{p1, p2} {
			lag.Lag.Members[i].InterfaceName = p.Port.PortName
			lag.Lag.Members[i].Port = &p.Port
		}
		lag.Lag.Subnet = ptr(netip.MustParsePrefix("192.0.2.0/31"))
		lag.Lag.ProvisionedAt = ptr(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
		require.NoError(t, store.ChangeLifecycle(ctx, lag, domain.Active))
		require.NoError(t, store.Save(ctx, lag))

		loaded, err := subscription.Load[netapp.Lag](ctx, store, lag.SubscriptionID)
		require.NoError(t, err)
		require.Equal(t, lag, loaded)
		require.Equal(t, cisco.Node, *loaded.Lag.Members[0].Port.Node, "the LAG reaches the node through the port")

		// The LAG uses the ports, which use the nodes.
		usersOf := func(id uuid.UUID) []uuid.UUID {
			sums, err := store.InUseBy(ctx, id)
			require.NoError(t, err)
			var ids []uuid.UUID
			for _, s := range sums {
				ids = append(ids, s.SubscriptionID)
			}
			return ids
		}
		require.Equal(t, []uuid.UUID{p1.SubscriptionID}, usersOf(cisco.SubscriptionID))
		require.Equal(t, []uuid.UUID{lag.SubscriptionID}, usersOf(p1.SubscriptionID))
		deps, err := store.DependsOn(ctx, lag.SubscriptionID)
		require.NoError(t, err)
		require.Len(t, deps, 2)

		// A port used by an active LAG cannot be terminated.
		err = store.ChangeLifecycle(ctx, p1, domain.Terminated)
		require.ErrorIs(t, err, subscription.ErrUnsafeStatusChange)
		require.Contains(t, err.Error(), lag.SubscriptionID.String()+" (active)")
		require.NoError(t, store.ChangeLifecycle(ctx, lag, domain.Terminated))
		require.NotNil(t, lag.EndDate)
		require.NoError(t, store.Save(ctx, lag))
		require.NoError(t, store.ChangeLifecycle(ctx, p1, domain.Terminated))

		// The insync lock.
		require.NoError(t, store.Lock(ctx, cisco.SubscriptionID), "a node saved active and in sync")
		require.ErrorIs(t, store.Lock(ctx, cisco.SubscriptionID), subscription.ErrNotInSync)
		require.NoError(t, store.Unlock(ctx, cisco.SubscriptionID))
		require.ErrorIs(t, store.Lock(ctx, uuid.New()), subscription.ErrNotFound)
		_, err = store.Load(ctx, uuid.New())
		require.True(t, errors.Is(err, subscription.ErrNotFound))
	})
}
