package netapp

import (
	"net/netip"
	"time"

	"github.com/wfo-go/wfo/domain"
)

// LagBlock is a link aggregation group of at least two member links.
type LagBlock struct {
	domain.Block  `wfo:"Lag,tag=LAG,status=active" description:"Link aggregation group"`
	LagName       *string          `wfo:"lag_name,required=provisioning" description:"Name of the LAG interface"`
	MinimumLinks  int              `wfo:"minimum_links,default=1" description:"Links that must be up for the LAG to be up"`
	Members       []LagMemberBlock `wfo:"members,min=2,max=8"`
	Subnet        *netip.Prefix    `wfo:"subnet,required=active,ip=4" description:"IPv4 subnet of the LAG"`
	ProvisionedAt *time.Time       `wfo:"provisioned_at" description:"When the LAG was provisioned"`
}

// LagMemberBlock is one member link of a LAG, on the port of a Port subscription.
type LagMemberBlock struct {
	domain.Block  `wfo:"LagMember,tag=LAGMEMBER,status=active" description:"Member link of a link aggregation group"`
	InterfaceName *string    `wfo:"interface_name,required=provisioning" description:"Name of the member interface"`
	Port          *PortBlock `wfo:"port,required=active"`
}

// Lag is the product type of the LAG product.
type Lag struct {
	domain.Subscription
	Lag LagBlock `wfo:"lag"`
}
