// Package coretest gives tests of the domain model a database with the core schema, and catalogue rows made from
// a registry.
package coretest

import (
	"context"
	"maps"
	"slices"
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
	locs := append(slices.Clone(extra), coremigration.Location())
	g, err := (&migration.Project{Locations: locs}).Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := (&migration.Migrator{DB: db, Graph: g}).Upgrade(ctx, "heads"); err != nil {
		t.Fatal(err)
	}
	if err := coremigration.SyncOwn(ctx, db, nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// Catalogue inserts the catalogue rows that the registry declares (domain.Registry.Catalogue), as a data
// migration would: product_blocks, resource_types and their links, product_block_relations, products,
// product_product_blocks and fixed_inputs. fixedInputs[product name] adds or replaces fixed-input values.
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
		query = db.Dialect.Rebind(query)
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	cat := reg.Catalogue()
	for _, rt := range cat.ResourceTypes {
		exec("INSERT INTO resource_types (resource_type, description) VALUES (?, ?)", rt.Name, rt.Description)
	}
	for _, b := range cat.ProductBlocks {
		exec("INSERT INTO product_blocks (name, description, tag, status) VALUES (?, ?, ?, ?)", b.Name, b.Description, b.Tag, string(b.Status))
		for _, rt := range b.ResourceTypes {
			exec(`INSERT INTO product_block_resource_types (product_block_id, resource_type_id)
SELECT pb.product_block_id, rt.resource_type_id FROM product_blocks pb, resource_types rt WHERE pb.name = ? AND rt.resource_type = ?`, b.Name, rt)
		}
	}
	for _, b := range cat.ProductBlocks {
		for _, child := range b.DependsOn {
			exec(`INSERT INTO product_block_relations (in_use_by_id, depends_on_id)
SELECT a.product_block_id, b.product_block_id FROM product_blocks a, product_blocks b WHERE a.name = ? AND b.name = ?`, b.Name, child)
		}
	}
	for _, p := range cat.Products {
		exec("INSERT INTO products (name, description, product_type, tag, status) VALUES (?, ?, ?, ?, ?)", p.Name, p.Description, p.ProductType, p.Tag, string(p.Status))
		for _, root := range p.RootBlocks {
			exec(`INSERT INTO product_product_blocks (product_id, product_block_id)
SELECT p.product_id, pb.product_block_id FROM products p, product_blocks pb WHERE p.name = ? AND pb.name = ?`, p.Name, root)
		}
		values := map[string]string{}
		for _, fi := range p.FixedInputs {
			values[fi.Name] = fi.Value
		}
		maps.Copy(values, fixedInputs[p.Name])
		for _, fi := range slices.Sorted(maps.Keys(values)) {
			exec("INSERT INTO fixed_inputs (name, value, product_id) SELECT ?, ?, product_id FROM products WHERE name = ?", fi, values[fi], p.Name)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
