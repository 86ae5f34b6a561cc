package catalogue

import (
	"context"
	"fmt"
	"slices"

	"github.com/wfo-go/wfo/database"
)

// Snapshot is the catalogue a database holds, by name: the rows of products, fixed_inputs, product_blocks,
// resource_types and their link tables, and whether subscriptions and instances use them. It is what the domain
// model is compared with (db migrate-domain-models, and the engine's check of its model at start).
type Snapshot struct {
	Products map[string]*Product
	Blocks   map[string]*Block
	// ResourceTypes are the names in resource_types.
	ResourceTypes map[string]bool
}

// Product is one products row.
type Product struct {
	Type string
	// FixedInputs are the product's fixed inputs: name to value.
	FixedInputs map[string]string
	// Blocks are the product's root blocks (product_product_blocks), sorted.
	Blocks []string
	// Subscriptions is true when the product has at least one subscription.
	Subscriptions bool
}

// Block is one product_blocks row.
type Block struct {
	// ResourceTypes are the block's resource types (product_block_resource_types), sorted.
	ResourceTypes []string
	// Children are the blocks it depends on (product_block_relations with it as in_use_by), sorted.
	Children []string
	// Instances is true when the block has at least one subscription instance.
	Instances bool
}

// NewSnapshot returns an empty snapshot.
func NewSnapshot() *Snapshot {
	return &Snapshot{Products: map[string]*Product{}, Blocks: map[string]*Block{}, ResourceTypes: map[string]bool{}}
}

// ErrNoProducts: the database has no table products yet.
var ErrNoProducts = fmt.Errorf("the database has no table products; run 'db upgrade heads' first")

// Read reads the catalogue with q (the database, or a transaction of it for a consistent view), in seven queries
// whatever its size. A database without the core schema is ErrNoProducts.
func Read(ctx context.Context, d database.Dialect, q database.Querier) (*Snapshot, error) {
	if ok, err := d.TableExists(ctx, q, "products"); err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	} else if !ok {
		return nil, fmt.Errorf("catalogue: %w", ErrNoProducts)
	}
	c := NewSnapshot()
	product := func(name string) *Product {
		if c.Products[name] == nil {
			c.Products[name] = &Product{FixedInputs: map[string]string{}}
		}
		return c.Products[name]
	}
	block := func(name string) *Block {
		if c.Blocks[name] == nil {
			c.Blocks[name] = &Block{}
		}
		return c.Blocks[name]
	}
	queries := []struct {
		table, query string
		n            int
		row          func(s []string)
	}{
		{"products", `SELECT p.name, p.product_type,
CASE WHEN EXISTS (SELECT 1 FROM subscriptions s WHERE s.product_id = p.product_id) THEN 'y' ELSE 'n' END FROM products p`, 3,
			func(s []string) { p := product(s[0]); p.Type, p.Subscriptions = s[1], s[2] == "y" }},
		{"fixed_inputs", `SELECT p.name, fi.name, fi.value FROM fixed_inputs fi JOIN products p ON p.product_id = fi.product_id`, 3,
			func(s []string) { product(s[0]).FixedInputs[s[1]] = s[2] }},
		{"product_blocks", `SELECT pb.name,
CASE WHEN EXISTS (SELECT 1 FROM subscription_instances si WHERE si.product_block_id = pb.product_block_id) THEN 'y' ELSE 'n' END FROM product_blocks pb`, 2,
			func(s []string) { block(s[0]).Instances = s[1] == "y" }},
		{"resource_types", `SELECT resource_type FROM resource_types`, 1,
			func(s []string) { c.ResourceTypes[s[0]] = true }},
		{"product_product_blocks", `SELECT p.name, pb.name FROM product_product_blocks x
JOIN products p ON p.product_id = x.product_id JOIN product_blocks pb ON pb.product_block_id = x.product_block_id`, 2,
			func(s []string) { p := product(s[0]); p.Blocks = append(p.Blocks, s[1]) }},
		{"product_block_relations", `SELECT a.name, b.name FROM product_block_relations r
JOIN product_blocks a ON a.product_block_id = r.in_use_by_id JOIN product_blocks b ON b.product_block_id = r.depends_on_id`, 2,
			func(s []string) { b := block(s[0]); b.Children = append(b.Children, s[1]) }},
		{"product_block_resource_types", `SELECT pb.name, rt.resource_type FROM product_block_resource_types x
JOIN product_blocks pb ON pb.product_block_id = x.product_block_id JOIN resource_types rt ON rt.resource_type_id = x.resource_type_id`, 2,
			func(s []string) { b := block(s[0]); b.ResourceTypes = append(b.ResourceTypes, s[1]) }},
	}
	for _, qu := range queries {
		if err := scanStrings(ctx, q, qu.query, qu.n, qu.row); err != nil {
			return nil, fmt.Errorf("catalogue: reading %s: %w", qu.table, err)
		}
	}
	for _, p := range c.Products {
		slices.Sort(p.Blocks)
	}
	for _, b := range c.Blocks {
		slices.Sort(b.Children)
		slices.Sort(b.ResourceTypes)
	}
	return c, nil
}

func scanStrings(ctx context.Context, q database.Querier, query string, n int, row func([]string)) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]string, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row(vals)
	}
	return rows.Err()
}
