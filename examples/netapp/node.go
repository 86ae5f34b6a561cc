package netapp

import (
	"net/netip"

	"github.com/wfo-go/wfo/domain"
)

// Vendor is a node's vendor, the fixed input that makes one Node product per vendor.
type Vendor string

// The vendors.
const (
	VendorCisco Vendor = "Cisco"
	VendorNokia Vendor = "Nokia"
)

// Values lists the vendors: Vendor is an enum.
func (Vendor) Values() []Vendor { return []Vendor{VendorCisco, VendorNokia} }

// NodeBlock is a network node.
type NodeBlock struct {
	domain.Block `wfo:"Node,tag=NODE,status=active" description:"Network node"`
	NodeID       *int        `wfo:"node_id,required=active" description:"Id of the node in the inventory"`
	NodeName     *string     `wfo:"node_name,required=provisioning" description:"Host name of the node"`
	IPv4Loopback *netip.Addr `wfo:"ipv4_loopback,required=provisioning,ip=4" description:"IPv4 loopback address"`
	IPv6Loopback *netip.Addr `wfo:"ipv6_loopback,required=provisioning,ip=6" description:"IPv6 loopback address"`
}

// Node is the product type of the Node products.
type Node struct {
	domain.Subscription
	Vendor Vendor    `wfo:"vendor"`
	Node   NodeBlock `wfo:"node"`
}
