package subscription

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrCatalogueMismatch: the registered domain model needs catalogue rows the database lacks.
var ErrCatalogueMismatch = errors.New("the domain model and the database catalogue differ")

// CatalogueError lists what the registered domain model needs and the database catalogue lacks.
type CatalogueError struct {
	// Differences name each missing row, sorted: `product "Node Cisco" is missing`, `block Node lacks resource
	// type node_id`, ...
	Differences []string
}

// Error lists the differences and says how to fix them.
func (e *CatalogueError) Error() string {
	return fmt.Sprintf("subscription: %v (run db migrate-domain-models): %s", ErrCatalogueMismatch, strings.Join(e.Differences, "; "))
}

// Unwrap makes the error match ErrCatalogueMismatch.
func (e *CatalogueError) Unwrap() error { return ErrCatalogueMismatch }

// CheckCatalogue compares the registered domain model with the catalogue in the database: every registered
// product with its product type, root blocks and fixed inputs, every block with its resource types and nested
// blocks must be there. Rows the model does not use are no difference. It returns nil or a *CatalogueError
// listing every difference.
func (s *Store) CheckCatalogue(ctx context.Context) error {
	if len(s.reg.ProductNames()) == 0 {
		return nil // a model without products needs nothing of the catalogue
	}
	db, err := s.readCatalogue(ctx)
	if err != nil {
		return fmt.Errorf("subscription: reading the catalogue: %w", err)
	}
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	for _, name := range s.reg.ProductNames() {
		pt, _ := s.reg.Product(name)
		got, ok := db.products[name]
		if !ok {
			add("product %q is missing", name)
			continue
		}
		if got.productType != pt.Name {
			add("product %q has product type %q, the model says %q", name, got.productType, pt.Name)
		}
		for _, root := range pt.RootBlocks() {
			if !got.roots[root] {
				add("product %q lacks root block %s", name, root)
			}
		}
		for _, f := range pt.FixedInputs() {
			if !f.Optional && !got.fixed[f.Name] {
				add("product %q lacks fixed input %s", name, f.Name)
			}
		}
	}
	seen := map[string]bool{}
	for _, bt := range s.reg.Blocks() {
		for _, f := range bt.ResourceTypes() {
			if !db.resourceTypes[f.Name] && !seen[f.Name] {
				seen[f.Name] = true
				add("resource type %s is missing", f.Name)
			}
		}
		got, ok := db.blocks[bt.Name]
		if !ok {
			add("product block %s is missing", bt.Name)
			continue
		}
		for _, f := range bt.ResourceTypes() {
			if !got.resourceTypes[f.Name] {
				add("block %s lacks resource type %s", bt.Name, f.Name)
			}
		}
		for _, child := range bt.DependsOn() {
			if !got.dependsOn[child] {
				add("block %s lacks the relation to nested block %s", bt.Name, child)
			}
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	slices.Sort(diffs)
	return &CatalogueError{Differences: diffs}
}

type dbProduct struct {
	productType string
	roots       map[string]bool
	fixed       map[string]bool
}

type dbBlock struct {
	resourceTypes map[string]bool
	dependsOn     map[string]bool
}

type dbCatalogue struct {
	products      map[string]*dbProduct
	blocks        map[string]*dbBlock
	resourceTypes map[string]bool
}

// readCatalogue reads the names in the catalogue tables that the check compares, in seven queries.
func (s *Store) readCatalogue(ctx context.Context) (*dbCatalogue, error) {
	c := &dbCatalogue{products: map[string]*dbProduct{}, blocks: map[string]*dbBlock{}, resourceTypes: map[string]bool{}}
	q := s.conn()
	pairs := func(query string, fn func(a, b string)) error {
		return s.scanAll(ctx, q, func(rows *sql.Rows) error {
			var a, b string
			if err := rows.Scan(&a, &b); err != nil {
				return err
			}
			fn(a, b)
			return nil
		}, query)
	}
	steps := []struct {
		query string
		fn    func(a, b string)
	}{
		{"SELECT name, product_type FROM products", func(name, typ string) {
			c.products[name] = &dbProduct{productType: typ, roots: map[string]bool{}, fixed: map[string]bool{}}
		}},
		{"SELECT resource_type, resource_type FROM resource_types", func(rt, _ string) { c.resourceTypes[rt] = true }},
		{"SELECT name, name FROM product_blocks", func(block, _ string) {
			c.blocks[block] = &dbBlock{resourceTypes: map[string]bool{}, dependsOn: map[string]bool{}}
		}},
		{`SELECT pb.name, rt.resource_type FROM product_block_resource_types x
JOIN product_blocks pb ON pb.product_block_id = x.product_block_id JOIN resource_types rt ON rt.resource_type_id = x.resource_type_id`, func(block, rt string) {
			if b := c.blocks[block]; b != nil {
				b.resourceTypes[rt] = true
			}
		}},
		{`SELECT a.name, b.name FROM product_block_relations r
JOIN product_blocks a ON a.product_block_id = r.in_use_by_id JOIN product_blocks b ON b.product_block_id = r.depends_on_id`, func(a, b string) {
			if blk := c.blocks[a]; blk != nil {
				blk.dependsOn[b] = true
			}
		}},
		{`SELECT p.name, pb.name FROM product_product_blocks x
JOIN products p ON p.product_id = x.product_id JOIN product_blocks pb ON pb.product_block_id = x.product_block_id`, func(p, b string) {
			if prod := c.products[p]; prod != nil {
				prod.roots[b] = true
			}
		}},
		{"SELECT p.name, fi.name FROM fixed_inputs fi JOIN products p ON p.product_id = fi.product_id", func(p, fi string) {
			if prod := c.products[p]; prod != nil {
				prod.fixed[fi] = true
			}
		}},
	}
	for _, st := range steps {
		if err := pairs(st.query, st.fn); err != nil {
			return nil, err
		}
	}
	return c, nil
}
