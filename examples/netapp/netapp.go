// Package netapp is an example orchestrator application written by hand with package domain: a network with
// nodes, ports on those nodes, and link aggregation groups of ports.
//
//   - Node (products "Node Cisco" and "Node Nokia", an enum fixed input vendor): a node block with an id, a name
//     and an IPv4 and an IPv6 loopback address.
//   - Port (products "Port 10G" and "Port 100G", an integer enum fixed input speed): a port block that depends on
//     the node block of a Node subscription, owned by that subscription.
//   - LAG (product "LAG"): a LAG block with a list of at least two member blocks, each on a port of a Port
//     subscription.
//
// Its catalogue (products, blocks, resource types, fixed inputs) is declared in Go beside the types; the rows
// come from the data revisions in migrations/, which `netapp db upgrade heads` applies after the core schema. The
// catalogue revision is what `netapp db migrate-domain-models` writes from the declaration, and tests check that
// it still is and that the rows agree with the declaration. Its own table, maintenance_windows, is declared in
// schema/ and its revision written by `netapp db revision --autogenerate`.
package netapp

import (
	"embed"
	"io/fs"

	"github.com/wfo-go/wfo"
	"github.com/wfo-go/wfo/domain"
)

// Products is the example's domain model with its whole catalogue: the products with their descriptions, tags
// and fixed-input values here, the blocks' and resource types' beside their Go types.
var Products = domain.MustNewRegistry(
	domain.Products[Node](
		domain.ProductSpec{Name: "Node Cisco", Description: "Cisco node", Tag: "NODE", Status: domain.ProductActive,
			FixedInputs: domain.FixedInputs{"vendor": VendorCisco}},
		domain.ProductSpec{Name: "Node Nokia", Description: "Nokia node", Tag: "NODE", Status: domain.ProductActive,
			FixedInputs: domain.FixedInputs{"vendor": VendorNokia}},
	),
	domain.Products[Port](
		domain.ProductSpec{Name: "Port 10G", Description: "10 Gbit/s port", Tag: "PORT", Status: domain.ProductActive,
			FixedInputs: domain.FixedInputs{"speed": Speed10G}},
		domain.ProductSpec{Name: "Port 100G", Description: "100 Gbit/s port", Tag: "PORT", Status: domain.ProductActive,
			FixedInputs: domain.FixedInputs{"speed": Speed100G}},
	),
	domain.Products[Lag](
		domain.ProductSpec{Name: "LAG", Description: "Link aggregation group", Tag: "LAG", Status: domain.ProductActive},
	),
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations holds the example's data revisions (branch data), at its root.
var Migrations = func() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}()

//go:embed schema/*.sql
var desiredSchema embed.FS

// DesiredSchema is the desired state of the example's own table (schema.postgres.sql, schema.sqlite.sql), from
// which "netapp db revision --autogenerate" writes its revisions.
var DesiredSchema = func() fs.FS {
	sub, err := fs.Sub(desiredSchema, "schema")
	if err != nil {
		panic(err)
	}
	return sub
}()

// App returns the example application: the core plus the example's products and revisions.
func App() *wfo.App {
	return wfo.New(
		wfo.WithName("netapp"),
		wfo.WithProducts(Products),
		wfo.WithEmbeddedRevisions(Migrations, "netapp:migrations"),
		wfo.WithDesiredSchema(DesiredSchema),
		wfo.WithWorkflows(Workflows...),
	)
}
