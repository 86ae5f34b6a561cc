package domainmigration

import (
	"context"
	"errors"
	"fmt"

	"github.com/wfo-go/wfo/catalogue"
	"github.com/wfo-go/wfo/database"
)

// Catalogue is the catalogue the database holds (the catalogue store's snapshot): the rows of products,
// fixed_inputs, product_blocks, resource_types and their link tables, plus whether subscriptions and instances
// exist.
type Catalogue = catalogue.Snapshot

// CatalogueProduct is one products row.
type CatalogueProduct = catalogue.Product

// CatalogueBlock is one product_blocks row.
type CatalogueBlock = catalogue.Block

// NewCatalogue returns an empty catalogue.
func NewCatalogue() *Catalogue { return catalogue.NewSnapshot() }

// ErrNoSchema is returned when the database has no core schema yet.
var ErrNoSchema = catalogue.ErrNoProducts

// ReadCatalogue reads the database's catalogue through the catalogue store, in seven queries whatever its size.
func ReadCatalogue(ctx context.Context, db *database.DB) (*Catalogue, error) {
	c, err := catalogue.Read(ctx, db.Dialect, db)
	if errors.Is(err, catalogue.ErrNoProducts) {
		return nil, fmt.Errorf("domainmigration: %w", ErrNoSchema)
	}
	if err != nil {
		return nil, fmt.Errorf("domainmigration: %w", err)
	}
	return c, nil
}
