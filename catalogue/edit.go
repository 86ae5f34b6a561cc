package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
)

// The edits of catalogue rows that the API offers: descriptions, and a product's status.

// MaxDescription is the length, in characters, of a product's, block's, resource type's or workflow's description
// (orchestrator-core 4.8).
const MaxDescription = 2000

// Errors of the edits.
var (
	// ErrNotFound: no row with that id.
	ErrNotFound = errors.New("not found")
	// ErrTooLong: a description longer than MaxDescription characters.
	ErrTooLong = errors.New("description too long")
	// ErrNotTerminated: a product cannot be set to end of life while subscriptions of it are not terminated.
	ErrNotTerminated = errors.New("subscriptions are not terminated")
)

// Kind names a catalogue table whose rows have a description.
type Kind int

// The catalogue tables with descriptions.
const (
	Products Kind = iota
	ProductBlocks
	ResourceTypes
	Workflows
)

var tables = map[Kind][2]string{
	Products: {"products", "product_id"}, ProductBlocks: {"product_blocks", "product_block_id"},
	ResourceTypes: {"resource_types", "resource_type_id"}, Workflows: {"workflows", "workflow_id"},
}

// EndOfLife is the product status that requires every subscription of the product to be terminated.
const EndOfLife = "end of life"

// NotTerminatedError says how many subscriptions keep a product from its end of life.
type NotTerminatedError struct {
	Product uuid.UUID
	Count   int
}

func (e *NotTerminatedError) Error() string {
	return fmt.Sprintf("catalogue: product %s cannot be set to '%s': %d subscription(s) are not terminated", e.Product, EndOfLife, e.Count)
}

func (e *NotTerminatedError) Unwrap() error { return ErrNotTerminated }

// SetDescription sets the description of a row of the kind's table; ErrNotFound when there is none, ErrTooLong
// (and nothing changes) when it is longer than MaxDescription characters.
func (s *Store) SetDescription(ctx context.Context, kind Kind, id uuid.UUID, description string) error {
	t := tables[kind]
	if n := utf8.RuneCountInString(description); n > MaxDescription {
		return fmt.Errorf("catalogue: the description of %s %s has %d characters; at most %d fit: %w", t[0], id, n, MaxDescription, ErrTooLong)
	}
	res, err := s.q.ExecContext(ctx, s.db.Dialect.Rebind("UPDATE "+t[0]+" SET description = ? WHERE "+t[1]+" = ?"), description, id.String())
	if err != nil {
		return fmt.Errorf("catalogue: setting the description of %s %s: %w", t[0], id, err)
	}
	return affected(res, t[0], id)
}

// SetProductStatus sets a product's status. Setting it to end of life is refused (a *NotTerminatedError) while
// subscriptions of the product are not terminated; the count and the update are one transaction.
func (s *Store) SetProductStatus(ctx context.Context, id uuid.UUID, status string) error {
	return database.InTx(ctx, s.db, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.db.Dialect.Rebind("SELECT COUNT(*) FROM subscriptions WHERE product_id = ? AND status <> 'terminated'"), id.String()).Scan(&n); err != nil {
			return fmt.Errorf("catalogue: counting the subscriptions of product %s: %w", id, err)
		}
		res, err := tx.ExecContext(ctx, s.db.Dialect.Rebind("UPDATE products SET status = ? WHERE product_id = ?"), status, id.String())
		if err != nil {
			return fmt.Errorf("catalogue: setting the status of product %s: %w", id, err)
		}
		if err := affected(res, "products", id); err != nil {
			return err
		}
		if status == EndOfLife && n > 0 {
			return &NotTerminatedError{Product: id, Count: n}
		}
		return nil
	})
}

func affected(res sql.Result, table string, id uuid.UUID) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("catalogue: updating %s %s: %w", table, id, err)
	}
	if n == 0 {
		return fmt.Errorf("catalogue: %s %s: %w", table, id, ErrNotFound)
	}
	return nil
}

// ResourceType is a row of resource_types.
type ResourceType struct {
	ID           uuid.UUID
	ResourceType string
	Description  *string
}

// ResourceType reads a resource type; ErrNotFound when there is none.
func (s *Store) ResourceType(ctx context.Context, id uuid.UUID) (*ResourceType, error) {
	rt := ResourceType{ID: id}
	var desc sql.NullString
	err := s.q.QueryRowContext(ctx, s.db.Dialect.Rebind("SELECT resource_type, description FROM resource_types WHERE resource_type_id = ?"), id.String()).Scan(&rt.ResourceType, &desc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("catalogue: resource type %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("catalogue: reading resource type %s: %w", id, err)
	}
	if desc.Valid {
		rt.Description = &desc.String
	}
	return &rt, nil
}
