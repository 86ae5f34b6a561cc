package subscription

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	catstore "github.com/wfo-go/wfo/catalogue"
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
	db, err := catstore.Read(ctx, s.db.Dialect, s.conn())
	if err != nil {
		return fmt.Errorf("subscription: reading the catalogue: %w", err)
	}
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	for _, name := range s.reg.ProductNames() {
		pt, _ := s.reg.Product(name)
		got, ok := db.Products[name]
		if !ok {
			add("product %q is missing", name)
			continue
		}
		if got.Type != pt.Name {
			add("product %q has product type %q, the model says %q", name, got.Type, pt.Name)
		}
		for _, root := range pt.RootBlocks() {
			if !slices.Contains(got.Blocks, root) {
				add("product %q lacks root block %s", name, root)
			}
		}
		for _, f := range pt.FixedInputs() {
			if _, ok := got.FixedInputs[f.Name]; !f.Optional && !ok {
				add("product %q lacks fixed input %s", name, f.Name)
			}
		}
	}
	seen := map[string]bool{}
	for _, bt := range s.reg.Blocks() {
		for _, f := range bt.ResourceTypes() {
			if !db.ResourceTypes[f.Name] && !seen[f.Name] {
				seen[f.Name] = true
				add("resource type %s is missing", f.Name)
			}
		}
		got, ok := db.Blocks[bt.Name]
		if !ok {
			add("product block %s is missing", bt.Name)
			continue
		}
		for _, f := range bt.ResourceTypes() {
			if !slices.Contains(got.ResourceTypes, f.Name) {
				add("block %s lacks resource type %s", bt.Name, f.Name)
			}
		}
		for _, child := range bt.DependsOn() {
			if !slices.Contains(got.Children, child) {
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
