package netapp

import (
	"database/sql"
	"fmt"
	"net/netip"
	"reflect"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/wrapper"
)

// Workflows are the example's create, modify, terminate and validate workflows of the Node and Port products.
// Their rows and product links come from the revision that db migrate-workflows wrote
// (migrations/*_add_node_and_port_workflows.sql).
var Workflows = []*workflow.Workflow{
	CreateNode, ModifyNode, TerminateNode, ValidateNode,
	CreatePort, ModifyPort, TerminatePort, ValidatePort,
}

// store is the subscription store of the running step.
func store(ctx *workflow.Context) (*subscription.Store, error) { return process.Subscriptions(ctx) }

// created is what a create workflow's first step returns: the new subscription (saved by the engine) and its id.
type created[T any] struct {
	Subscription   T         `json:"subscription"`
	SubscriptionID uuid.UUID `json:"subscription_id"`
}

// subscriptionID is the input of steps that work on the process's subscription.
type subscriptionID struct {
	SubscriptionID uuid.UUID `json:"subscription_id"`
}

// --- Node ---

// CreateNodeForm is the input of create_node (after the product).
type CreateNodeForm struct {
	CustomerID   string     `json:"customer_id" validate:"required"`
	NodeName     string     `json:"node_name" validate:"required,max=63"`
	IPv4Loopback netip.Addr `json:"ipv4_loopback" validate:"required"`
	IPv6Loopback netip.Addr `json:"ipv6_loopback" validate:"required"`
}

// Check requires an IPv4 and an IPv6 address in the loopback fields.
func (f CreateNodeForm) Check(*workflow.FormContext) error {
	var errs workflow.FieldErrors
	if !f.IPv4Loopback.Is4() {
		errs = append(errs, workflow.FieldError{Field: "ipv4_loopback", Message: "not an IPv4 address"})
	}
	if !f.IPv6Loopback.Is6() || f.IPv6Loopback.Is4In6() {
		errs = append(errs, workflow.FieldError{Field: "ipv6_loopback", Message: "not an IPv6 address"})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

type createNodeIn struct {
	CreateNodeForm
	ProductName string `json:"product_name"`
}

var constructNode = workflow.NewStep("Create subscription", func(ctx *workflow.Context, in createNodeIn) (created[*Node], error) {
	s, err := store(ctx)
	if err != nil {
		return created[*Node]{}, err
	}
	node, err := subscription.Create[Node](ctx, s, in.ProductName, in.CustomerID)
	if err != nil {
		return created[*Node]{}, err
	}
	node.Description = "Node " + in.NodeName
	node.Node.NodeName = &in.NodeName
	node.Node.IPv4Loopback = &in.IPv4Loopback
	node.Node.IPv6Loopback = &in.IPv6Loopback
	return created[*Node]{Subscription: node, SubscriptionID: node.SubscriptionID}, nil
})

// reserveNodeID gives the node the next free inventory id, which the active lifecycle requires.
var reserveNodeID = workflow.NewStep("Reserve node id", func(ctx *workflow.Context, in subscriptionID) (map[string]any, error) {
	s, err := store(ctx)
	if err != nil {
		return nil, err
	}
	node, err := subscription.Load[Node](ctx, s, in.SubscriptionID)
	if err != nil {
		return nil, err
	}
	tx, err := ctx.Tx()
	if err != nil {
		return nil, err
	}
	var highest sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT MAX(CAST(v.value AS INTEGER)) FROM subscription_instance_values v
JOIN resource_types rt ON rt.resource_type_id = v.resource_type_id WHERE rt.resource_type = 'node_id'`).Scan(&highest)
	if err != nil {
		return nil, fmt.Errorf("netapp: reading node ids: %w", err)
	}
	id := int(highest.Int64) + 1
	node.Node.NodeID = &id
	return map[string]any{"subscription": node, "node_id": id}, nil
})

// CreateNode creates a Node subscription: it stores the node, reserves its id and makes it active.
var CreateNode = wrapper.Create("create_node", "Create Node", workflow.FormFor[CreateNodeForm](),
	[]workflow.Step{constructNode, wrapper.StoreProcessSubscription, reserveNodeID})

// ModifyNodeForm is the input of modify_node (after the subscription).
type ModifyNodeForm struct {
	NodeName string `json:"node_name" validate:"required,max=63"`
}

var renameNode = workflow.NewStep("Update node name", func(ctx *workflow.Context, in struct {
	subscriptionID
	ModifyNodeForm
}) (map[string]any, error) {
	s, err := store(ctx)
	if err != nil {
		return nil, err
	}
	node, err := subscription.Load[Node](ctx, s, in.SubscriptionID)
	if err != nil {
		return nil, err
	}
	old := *node.Node.NodeName
	node.Node.NodeName = &in.NodeName
	node.Description = "Node " + in.NodeName
	return map[string]any{"subscription": node, "old_node_name": old}, nil
})

// ModifyNode renames a node.
var ModifyNode = wrapper.Modify("modify_node", "Modify Node", workflow.FormFor[ModifyNodeForm](), []workflow.Step{renameNode})

var deprovisionNode = workflow.NewStep("Deprovision node", func(ctx *workflow.Context, in subscriptionID) (map[string]any, error) {
	ctx.Log().Info("deprovisioning node", "subscription", in.SubscriptionID)
	return map[string]any{"deprovisioned": true}, nil
})

// TerminateNode terminates a Node subscription; it is refused while a Port that is not terminated uses the node.
var TerminateNode = wrapper.Terminate("terminate_node", "Terminate Node", nil, []workflow.Step{deprovisionNode})

var checkNode = workflow.NewStep("Check node in inventory", func(ctx *workflow.Context, in subscriptionID) (map[string]any, error) {
	s, err := store(ctx)
	if err != nil {
		return nil, err
	}
	node, err := subscription.Load[Node](ctx, s, in.SubscriptionID)
	if err != nil {
		return nil, err
	}
	if node.Node.NodeID == nil || *node.Node.NodeID <= 0 {
		return nil, fmt.Errorf("netapp: node %s has no inventory id: %w", in.SubscriptionID, workflow.ErrInconsistentData)
	}
	return map[string]any{"node_valid": true}, nil
})

// ValidateNode checks a Node subscription against the inventory.
var ValidateNode = wrapper.Validate("validate_node", "Validate Node", []workflow.Step{checkNode})

// --- Port ---

// CreatePortForm is the input of create_port (after the product).
type CreatePortForm struct {
	CustomerID string    `json:"customer_id" validate:"required"`
	Node       uuid.UUID `json:"node_subscription_id" validate:"required"`
	PortName   string    `json:"port_name" validate:"required,max=32"`
	PortMode   PortMode  `json:"port_mode"`
	VLANs      []VLAN    `json:"vlans" validate:"max=16"`
}

// Check requires an active Node subscription, in sync, for the port to be on.
func (f CreatePortForm) Check(fc *workflow.FormContext) error {
	rows, err := subscription.New(fc.DB, nil).Rows(fc, f.Node) // the row with its product; no model needed
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return workflow.FieldErrors{{Field: "node_subscription_id", Message: "Subscription not found"}}
	}
	status, insync, productName := rows[0].Status, rows[0].Insync, rows[0].Product.Name
	if pt, ok := Products.Product(productName); !ok || pt.GoType != reflect.TypeFor[Node]() {
		return workflow.FieldErrors{{Field: "node_subscription_id", Message: "not a Node subscription"}}
	}
	if status != string(domain.Active) || !insync {
		return workflow.FieldErrors{{Field: "node_subscription_id", Message: fmt.Sprintf("the node is %s%s, it must be active and in sync", status, map[bool]string{false: " and out of sync", true: ""}[insync])}}
	}
	return nil
}

type createPortIn struct {
	CreatePortForm
	ProductName string `json:"product_name"`
}

var constructPort = workflow.NewStep("Create subscription", func(ctx *workflow.Context, in createPortIn) (created[*Port], error) {
	s, err := store(ctx)
	if err != nil {
		return created[*Port]{}, err
	}
	node, err := subscription.Load[Node](ctx, s, in.Node)
	if err != nil {
		return created[*Port]{}, err
	}
	port, err := subscription.Create[Port](ctx, s, in.ProductName, in.CustomerID)
	if err != nil {
		return created[*Port]{}, err
	}
	port.Description = fmt.Sprintf("Port %s on %s", in.PortName, *node.Node.NodeName)
	port.Port.PortName = &in.PortName
	if in.PortMode != "" {
		port.Port.PortMode = in.PortMode
	}
	port.Port.VLANs = in.VLANs
	port.Port.Node = &node.Node // the node's block, owned by the Node subscription: linked, never changed
	return created[*Port]{Subscription: port, SubscriptionID: port.SubscriptionID}, nil
})

var assignCircuit = workflow.NewStep("Assign circuit id", func(ctx *workflow.Context, in subscriptionID) (map[string]any, error) {
	s, err := store(ctx)
	if err != nil {
		return nil, err
	}
	port, err := subscription.Load[Port](ctx, s, in.SubscriptionID)
	if err != nil {
		return nil, err
	}
	circuit := uuid.NewSHA1(uuid.NameSpaceOID, []byte(in.SubscriptionID.String()))
	port.Port.IMSCircuitID = &circuit
	port.Port.Enabled = true
	return map[string]any{"subscription": port}, nil
})

// CreatePort creates a Port subscription on a node.
var CreatePort = wrapper.Create("create_port", "Create Port", workflow.FormFor[CreatePortForm](),
	[]workflow.Step{constructPort, wrapper.StoreProcessSubscription, assignCircuit})

// ModifyPortForm is the input of modify_port (after the subscription): what to change.
type ModifyPortForm struct {
	PortMode *PortMode `json:"port_mode"`
	VLANs    *[]VLAN   `json:"vlans"`
	Enabled  *bool     `json:"enabled"`
}

var updatePort = workflow.NewStep("Update port", func(ctx *workflow.Context, in struct {
	subscriptionID
	ModifyPortForm
}) (map[string]any, error) {
	s, err := store(ctx)
	if err != nil {
		return nil, err
	}
	port, err := subscription.Load[Port](ctx, s, in.SubscriptionID)
	if err != nil {
		return nil, err
	}
	if in.PortMode != nil {
		port.Port.PortMode = *in.PortMode
	}
	if in.VLANs != nil {
		port.Port.VLANs = *in.VLANs
	}
	if in.Enabled != nil {
		port.Port.Enabled = *in.Enabled
	}
	return map[string]any{"subscription": port}, nil
})

// ModifyPort changes a port's mode, VLANs or state.
var ModifyPort = wrapper.Modify("modify_port", "Modify Port", workflow.FormFor[ModifyPortForm](), []workflow.Step{updatePort})

var disablePort = workflow.NewStep("Disable port", func(ctx *workflow.Context, in subscriptionID) (map[string]any, error) {
	s, err := store(ctx)
	if err != nil {
		return nil, err
	}
	port, err := subscription.Load[Port](ctx, s, in.SubscriptionID)
	if err != nil {
		return nil, err
	}
	port.Port.Enabled = false
	return map[string]any{"subscription": port}, nil
})

// TerminatePort disables and terminates a Port subscription.
var TerminatePort = wrapper.Terminate("terminate_port", "Terminate Port", nil, []workflow.Step{disablePort})

var checkPort = workflow.NewStep("Check port on its node", func(ctx *workflow.Context, in subscriptionID) (map[string]any, error) {
	s, err := store(ctx)
	if err != nil {
		return nil, err
	}
	port, err := subscription.Load[Port](ctx, s, in.SubscriptionID)
	if err != nil {
		return nil, err
	}
	if port.Port.Node == nil {
		return nil, fmt.Errorf("netapp: port %s is on no node: %w", in.SubscriptionID, workflow.ErrInconsistentData)
	}
	return map[string]any{"port_valid": true, "node_subscription_id": port.Port.Node.OwnerSubscriptionID}, nil
})

// ValidatePort checks that a Port subscription is on a node.
var ValidatePort = wrapper.Validate("validate_port", "Validate Port", []workflow.Step{checkPort})
