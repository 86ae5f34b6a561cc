// Package coretest gives tests of the domain model a database with the core schema, and catalogue rows made from
// a registry.
package coretest

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/wfo-go/wfo/coremigration"
	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/migration"
)

// Open opens the database at uri, closed when the test ends, and upgrades it to the heads of the core's revisions
// plus those in the extra locations.
func Open(t testing.TB, uri string, extra ...*migration.Location) *database.DB {
	t.Helper()
	ctx := context.Background()
	loc, err := database.ParseURI(uri)
	if err != nil {
		t.Fatal(err)
	}
	db, err := database.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	core, err := fs.Sub(coremigration.Versions, "versions")
	if err != nil {
		t.Fatal(err)
	}
	locs := append(slices.Clone(extra), migration.EmbeddedLocation(core, "wfo:coremigration/versions"))
	g, err := (&migration.Project{Locations: locs}).Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := (&migration.Migrator{DB: db, Graph: g}).Upgrade(ctx, "heads"); err != nil {
		t.Fatal(err)
	}
	return db
}

// Catalogue inserts the catalogue rows of every product and block in the registry, as a data migration would:
// product_blocks, resource_types and their links, product_block_relations, products (description and tag made
// from the name and type), product_product_blocks, and fixed inputs from fixedInputs[product name].
func Catalogue(t testing.TB, db *database.DB, reg *domain.Registry, fixedInputs map[string]map[string]string) {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(query string, args ...any) {
		t.Helper()
		if db.Dialect == database.Postgres {
			n := 0
			var b strings.Builder
			for _, r := range query {
				if r == '?' {
					n++
					fmt.Fprintf(&b, "$%d", n)
					continue
				}
				b.WriteRune(r)
			}
			query = b.String()
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	for _, b := range reg.Blocks() {
		exec("INSERT INTO product_blocks (name, description, tag, status) VALUES (?, ?, ?, 'active')", b.Name, b.Name+" block", tag(b.Name))
		for _, f := range b.ResourceTypes() {
			exec("INSERT INTO resource_types (resource_type, description) VALUES (?, ?) ON CONFLICT (resource_type) DO NOTHING", f.Name, f.Name)
			exec(`INSERT INTO product_block_resource_types (product_block_id, resource_type_id)
SELECT pb.product_block_id, rt.resource_type_id FROM product_blocks pb, resource_types rt WHERE pb.name = ? AND rt.resource_type = ?`, b.Name, f.Name)
		}
	}
	for _, b := range reg.Blocks() {
		for _, child := range b.DependsOn() {
			exec(`INSERT INTO product_block_relations (in_use_by_id, depends_on_id)
SELECT a.product_block_id, b.product_block_id FROM product_blocks a, product_blocks b WHERE a.name = ? AND b.name = ?`, b.Name, child)
		}
	}
	for _, name := range reg.ProductNames() {
		p, _ := reg.Product(name)
		exec("INSERT INTO products (name, description, product_type, tag, status) VALUES (?, ?, ?, ?, 'active')", name, name+" product", p.Name, tag(p.Name))
		for _, root := range p.RootBlocks() {
			exec(`INSERT INTO product_product_blocks (product_id, product_block_id)
SELECT p.product_id, pb.product_block_id FROM products p, product_blocks pb WHERE p.name = ? AND pb.name = ?`, name, root)
		}
		for fi, value := range fixedInputs[name] {
			exec("INSERT INTO fixed_inputs (name, value, product_id) SELECT ?, ?, product_id FROM products WHERE name = ?", fi, value, name)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func tag(name string) string {
	name = strings.ToUpper(name)
	if len(name) > 20 {
		name = name[:20]
	}
	return name
}
