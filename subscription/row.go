package subscription

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/domain"
)

// Row is a subscription's row without its model: what deciding whether a workflow may start on it needs.
type Row struct {
	ID         uuid.UUID
	ProductID  uuid.UUID
	CustomerID string
	Status     domain.Lifecycle
	Insync     bool
	Version    int
}

// Row reads a subscription's row; ErrNotFound when there is none. It needs no registry.
func (s *Store) Row(ctx context.Context, id uuid.UUID) (*Row, error) {
	r := Row{ID: id}
	var status, productID string
	err := s.conn().QueryRowContext(ctx, s.db.Dialect.Rebind("SELECT product_id, customer_id, status, insync, version FROM subscriptions WHERE subscription_id = ?"), id.String()).
		Scan(&productID, &r.CustomerID, &status, &r.Insync, &r.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("subscription: %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("subscription: reading %s: %w", id, err)
	}
	if r.ProductID, err = uuid.Parse(productID); err != nil {
		return nil, fmt.Errorf("subscription: reading %s: product_id: %w", id, err)
	}
	r.Status = domain.Lifecycle(status)
	return &r, nil
}

// SetInsync sets the subscription's insync flag, whatever it was (Lock and Unlock check it).
func (s *Store) SetInsync(ctx context.Context, id uuid.UUID, insync bool) error {
	if _, err := s.exec(ctx, s.conn(), "UPDATE subscriptions SET insync = ? WHERE subscription_id = ?", insync, id.String()); err != nil {
		return fmt.Errorf("subscription: setting insync of %s: %w", id, err)
	}
	return nil
}

// LinkProcess records that the process works on the subscription (processes_subscriptions), with the workflow's
// target.
func (s *Store) LinkProcess(ctx context.Context, pid, id uuid.UUID, target string) error {
	_, err := s.exec(ctx, s.conn(), "INSERT INTO processes_subscriptions (id, pid, subscription_id, workflow_target) VALUES (?, ?, ?, ?)",
		uuid.New().String(), pid.String(), id.String(), target)
	if err != nil {
		return fmt.Errorf("subscription: linking process %s to subscription %s: %w", pid, id, err)
	}
	return nil
}

// SetNote sets the subscription's note; nil, or a note of nothing but white space, stores NULL. A note longer
// than MaxNote characters is refused (ErrTooLong).
func (s *Store) SetNote(ctx context.Context, id uuid.UUID, note *string) error {
	var value any
	if note != nil {
		if err := tooLong("the note", "subscriptions.note", *note, MaxNote); err != nil {
			return fmt.Errorf("subscription: setting the note of %s: %w", id, err)
		}
		value = storedNote(*note)
	}
	if _, err := s.exec(ctx, s.conn(), "UPDATE subscriptions SET note = ? WHERE subscription_id = ?", value, id.String()); err != nil {
		return fmt.Errorf("subscription: setting the note of %s: %w", id, err)
	}
	return nil
}

// Note reads the subscription's note, nil for NULL; ErrNotFound when there is no such subscription.
func (s *Store) Note(ctx context.Context, id uuid.UUID) (*string, error) {
	var note sql.NullString
	err := s.conn().QueryRowContext(ctx, s.db.Dialect.Rebind("SELECT note FROM subscriptions WHERE subscription_id = ?"), id.String()).Scan(&note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("subscription: %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("subscription: reading the note of %s: %w", id, err)
	}
	if !note.Valid {
		return nil, nil
	}
	return &note.String, nil
}
