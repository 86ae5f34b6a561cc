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
	domain.Block `wfo:"Node"`
	NodeID       *int        `wfo:"node_id,required=active"`
	NodeName     *string     `wfo:"node_name,required=provisioning"`
	IPv4Loopback *netip.Addr `wfo:"ipv4_loopback,required=provisioning,ip=4"`
	IPv6Loopback *netip.Addr `wfo:"ipv6_loopback,required=provisioning,ip=6"`
}

// Node is the product type of the Node products.
type Node struct {
	domain.Subscription
	Vendor Vendor    `wfo:"vendor"`
	Node   NodeBlock `wfo:"node"`
}
