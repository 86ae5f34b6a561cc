package netapp_test

import (
	"encoding/json"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/examples/netapp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// exampleModels are one subscription of each product type, active, with fixed ids and times: a node, a port on
// that node (whose node block belongs to the node's subscription) and a LAG of two members on ports.
func exampleModels() map[string]domain.Model {
	id := func(s string) uuid.UUID { return uuid.MustParse(s) }
	at := func(h int) *time.Time { t := time.Date(2026, 1, 2, h, 4, 5, 678000, time.UTC); return &t }
	base := func(sid uuid.UUID, product, productType, tag string, fixedValue string) domain.Subscription {
		return domain.Subscription{
			SubscriptionID: sid, CustomerID: "cust-1", Description: product + " of cust-1", Status: domain.Active, Insync: true,
			StartDate: at(10), Version: 4,
			Product: domain.ProductInfo{ProductID: id("00000000-0000-4000-8000-0000000000" + fixedValue), Name: product,
				Description: "The " + product, ProductType: productType, Tag: tag, Status: "active", CreatedAt: at(9)},
		}
	}
	str := func(s string) *string { return &s }
	nodeSub := id("10000000-0000-4000-8000-000000000001")
	node := &netapp.Node{
		Subscription: base(nodeSub, "Node Cisco", "Node", "NODE", "01"),
		Vendor:       netapp.VendorCisco,
		Node: netapp.NodeBlock{
			Block:        domain.Block{SubscriptionInstanceID: id("11000000-0000-4000-8000-000000000001"), OwnerSubscriptionID: nodeSub},
			NodeID:       func() *int { n := 7; return &n }(),
			NodeName:     str("ams-rt1"),
			IPv4Loopback: func() *netip.Addr { a := netip.MustParseAddr("192.0.2.1"); return &a }(),
			IPv6Loopback: func() *netip.Addr { a := netip.MustParseAddr("2001:db8::1"); return &a }(),
		},
	}
	portSub := id("20000000-0000-4000-8000-000000000002")
	circuit := id("a3bb189e-8bf9-3888-9912-ace4e6543002")
	nodeBlock := node.Node
	port := &netapp.Port{
		Subscription: base(portSub, "Port 10G", "Port", "PORT", "02"),
		Speed:        netapp.Speed10G,
		Port: netapp.PortBlock{
			Block:        domain.Block{SubscriptionInstanceID: id("21000000-0000-4000-8000-000000000002"), OwnerSubscriptionID: portSub, Label: "uplink"},
			PortName:     str("xe-0/0/1"),
			PortMode:     netapp.PortModeTagged,
			Enabled:      true,
			VLANs:        []netapp.VLAN{10, 20},
			IMSCircuitID: &circuit,
			Node:         &nodeBlock,
		},
	}
	lagSub := id("30000000-0000-4000-8000-000000000003")
	subnet := netip.MustParsePrefix("10.1.2.0/31")
	portBlock := port.Port
	lag := &netapp.Lag{
		Subscription: base(lagSub, "LAG", "Lag", "LAG", "03"),
		Lag: netapp.LagBlock{
			Block:        domain.Block{SubscriptionInstanceID: id("31000000-0000-4000-8000-000000000003"), OwnerSubscriptionID: lagSub},
			LagName:      str("ae0"),
			MinimumLinks: 1,
			Members: []netapp.LagMemberBlock{
				{Block: domain.Block{SubscriptionInstanceID: id("32000000-0000-4000-8000-000000000003"), OwnerSubscriptionID: lagSub},
					InterfaceName: str("xe-0/0/1"), Port: &portBlock},
				{Block: domain.Block{SubscriptionInstanceID: id("33000000-0000-4000-8000-000000000003"), OwnerSubscriptionID: lagSub},
					InterfaceName: str("xe-0/0/2")},
			},
			Subnet:        &subnet,
			ProvisionedAt: at(11),
		},
	}
	return map[string]domain.Model{"node": node, "port": port, "lag": lag}
}

// TestModelJSONGolden compares the reference-shaped JSON of the example's subscriptions with the golden files,
// byte for byte, and reads each back into an equal model. go test -update rewrites the files.
func TestModelJSONGolden(t *testing.T) {
	t.Parallel()
	for name, m := range exampleModels() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := netapp.Products.MarshalModel(m)
			require.NoError(t, err)
			require.True(t, json.Valid(got))
			path := filepath.Join("testdata", name+".json")
			if *update {
				require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, string(want), string(got)+"\n")

			back, err := netapp.Products.UnmarshalModel(got)
			require.NoError(t, err)
			again, err := netapp.Products.MarshalModel(back)
			require.NoError(t, err)
			require.Equal(t, string(got), string(again))
		})
	}
}
