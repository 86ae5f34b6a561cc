package netapp

import (
	"net/netip"
	"time"

	"github.com/wfo-go/wfo/domain"
)

// LagBlock is a link aggregation group of at least two member links.
type LagBlock struct {
	domain.Block  `wfo:"Lag"`
	LagName       *string          `wfo:"lag_name,required=provisioning"`
	MinimumLinks  int              `wfo:"minimum_links,default=1"`
	Members       []LagMemberBlock `wfo:"members,min=2,max=8"`
	Subnet        *netip.Prefix    `wfo:"subnet,required=active,ip=4"`
	ProvisionedAt *time.Time       `wfo:"provisioned_at"`
}

// LagMemberBlock is one member link of a LAG, on the port of a Port subscription.
type LagMemberBlock struct {
	domain.Block  `wfo:"LagMember"`
	InterfaceName *string    `wfo:"interface_name,required=provisioning"`
	Port          *PortBlock `wfo:"port,required=active"`
}

// Lag is the product type of the LAG product.
type Lag struct {
	domain.Subscription
	Lag LagBlock `wfo:"lag"`
}
