package netapp

import (
	"github.com/google/uuid"

	"github.com/wfo-go/wfo/domain"
)

// Speed is a port's speed in Mbit/s, the fixed input that makes one Port product per speed.
type Speed int

// The speeds.
const (
	Speed10G  Speed = 10000
	Speed100G Speed = 100000
)

// Values lists the speeds: Speed is an integer enum.
func (Speed) Values() []Speed { return []Speed{Speed10G, Speed100G} }

// PortMode says what a port carries.
type PortMode string

// The port modes.
const (
	PortModeTagged     PortMode = "tagged"
	PortModeUntagged   PortMode = "untagged"
	PortModeLinkMember PortMode = "link_member"
)

// Values lists the port modes: PortMode is an enum.
func (PortMode) Values() []PortMode {
	return []PortMode{PortModeTagged, PortModeUntagged, PortModeLinkMember}
}

// VLAN is an 802.1Q VLAN id.
type VLAN int

// Bounds makes VLAN a constrained int.
func (VLAN) Bounds() (lo, hi int64) { return 1, 4094 }

// PortBlock is a physical port. Its node is the node block of a Node subscription: the Port subscription links
// to it and never changes it.
type PortBlock struct {
	domain.Block `wfo:"Port,tag=PORT,status=active" description:"Physical port on a node"`
	PortName     *string    `wfo:"port_name,required=provisioning" description:"Name of the port on its node"`
	PortMode     PortMode   `wfo:"port_mode,default=tagged" description:"tagged, untagged or link_member"`
	Enabled      bool       `wfo:"enabled,default=False" description:"Whether the port is enabled"`
	VLANs        []VLAN     `wfo:"vlans,max=16" description:"VLAN ids on the port"`
	IMSCircuitID *uuid.UUID `wfo:"ims_circuit_id,required=active" description:"Circuit id in the inventory"`
	Node         *NodeBlock `wfo:"node,required=provisioning"`
}

// Port is the product type of the Port products.
type Port struct {
	domain.Subscription
	Speed Speed     `wfo:"speed"`
	Port  PortBlock `wfo:"port"`
}
