package subscription

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
)

// Listing is a subscription's row with its product, as lists and overviews show it, without its instances.
type Listing struct {
	SubscriptionID uuid.UUID
	Description    string
	Status         string
	CustomerID     string
	Insync         bool
	StartDate      *time.Time
	EndDate        *time.Time
	Note           *string
	Version        int
	Product        ProductRow
}

// ProductRow is a row of products.
type ProductRow struct {
	ProductID   uuid.UUID
	Name        string
	Description string
	ProductType string
	Tag         string
	Status      string
	CreatedAt   *time.Time
	EndDate     *time.Time
}

// ListFilter selects the subscriptions List returns; zero values select everything.
type ListFilter struct {
	// Products keeps subscriptions of these products (by name).
	Products []string
	// Statuses keeps subscriptions in one of these lifecycles.
	Statuses []string
	// CustomerID keeps the customer's subscriptions.
	CustomerID string
	// OnlyInsync keeps the subscriptions that are in sync.
	OnlyInsync bool
	// Offset skips that many subscriptions; Limit returns at most that many (0: all).
	Offset, Limit int
}

const rowColumns = "s.subscription_id, s.description, s.status, s.customer_id, s.insync, s.start_date, s.end_date, s.note, s.version, " +
	"p.product_id, p.name, p.description, p.product_type, p.tag, p.status, p.created_at, p.end_date"

// List returns the subscriptions the filter selects, newest first (by start date, those not started first), and
// how many match in all (before Offset and Limit). It needs no registered model.
func (s *Store) List(ctx context.Context, f ListFilter) ([]*Listing, int, error) {
	var where []string
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		where = append(where, col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")")
		for _, v := range vals {
			args = append(args, v)
		}
	}
	in("p.name", f.Products)
	in("s.status", f.Statuses)
	if f.CustomerID != "" {
		where = append(where, "s.customer_id = ?")
		args = append(args, f.CustomerID)
	}
	if f.OnlyInsync {
		where = append(where, "s.insync = ?")
		args = append(args, true)
	}
	from := " FROM subscriptions s JOIN products p ON p.product_id = s.product_id"
	if len(where) > 0 {
		from += " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	rows, err := s.query(ctx, s.conn(), "SELECT COUNT(*)"+from, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("subscription: counting subscriptions: %w", err)
	}
	if rows.Next() {
		err = rows.Scan(&total)
	}
	rows.Close()
	if err != nil {
		return nil, 0, fmt.Errorf("subscription: counting subscriptions: %w", err)
	}
	query := "SELECT " + rowColumns + from + " ORDER BY s.start_date IS NULL DESC, s.start_date DESC, s.subscription_id"
	switch {
	case f.Limit > 0:
		query += " LIMIT ? OFFSET ?"
		args = append(args, f.Limit, f.Offset)
	case f.Offset > 0:
		query += " " + s.db.Dialect.NoLimit() + " OFFSET ?"
		args = append(args, f.Offset)
	}
	out, err := s.rows(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Rows returns the rows of the subscriptions with these ids, in the order of ids; an id with no subscription is
// left out.
func (s *Store) Rows(ctx context.Context, ids ...uuid.UUID) ([]*Listing, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.rows(ctx, "SELECT "+rowColumns+" FROM subscriptions s JOIN products p ON p.product_id = s.product_id "+
		"WHERE s.subscription_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID]*Listing, len(rows))
	for _, r := range rows {
		byID[r.SubscriptionID] = r
	}
	out := make([]*Listing, 0, len(rows))
	for _, id := range ids {
		if r := byID[id]; r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

func (s *Store) rows(ctx context.Context, query string, args ...any) ([]*Listing, error) {
	var out []*Listing
	err := s.scanAll(ctx, s.conn(), func(rows *sql.Rows) error {
		var r Listing
		var note sql.NullString
		var start, end, created, pend any
		if err := rows.Scan(&r.SubscriptionID, &r.Description, &r.Status, &r.CustomerID, &r.Insync, &start, &end, &note, &r.Version,
			&r.Product.ProductID, &r.Product.Name, &r.Product.Description, &r.Product.ProductType, &r.Product.Tag, &r.Product.Status,
			&created, &pend); err != nil {
			return err
		}
		if note.Valid {
			r.Note = &note.String
		}
		var err error
		for _, t := range []struct {
			dst **time.Time
			v   any
		}{{&r.StartDate, start}, {&r.EndDate, end}, {&r.Product.CreatedAt, created}, {&r.Product.EndDate, pend}} {
			if *t.dst, err = scanTime(t.v); err != nil {
				return err
			}
		}
		out = append(out, &r)
		return nil
	}, query, args...)
	if err != nil {
		return nil, fmt.Errorf("subscription: listing subscriptions: %w", err)
	}
	return out, nil
}

const productColumns = "p.product_id, p.name, p.description, p.product_type, p.tag, p.status, p.created_at, p.end_date"

// Products returns the product rows, by name; with names, only those (a name with no product is ErrNotFound).
func (s *Store) Products(ctx context.Context, names ...string) ([]*ProductRow, error) {
	query := "SELECT " + productColumns + " FROM products p"
	args := make([]any, len(names))
	if len(names) > 0 {
		query += " WHERE p.name IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ") + ")"
		for i, n := range names {
			args[i] = n
		}
	}
	var out []*ProductRow
	err := s.scanAll(ctx, s.conn(), func(rows *sql.Rows) error {
		var p ProductRow
		var created, end any
		if err := rows.Scan(&p.ProductID, &p.Name, &p.Description, &p.ProductType, &p.Tag, &p.Status, &created, &end); err != nil {
			return err
		}
		var err error
		if p.CreatedAt, err = scanTime(created); err != nil {
			return err
		}
		if p.EndDate, err = scanTime(end); err != nil {
			return err
		}
		out = append(out, &p)
		return nil
	}, query+" ORDER BY p.name", args...)
	if err != nil {
		return nil, fmt.Errorf("subscription: reading products: %w", err)
	}
	for _, n := range names {
		if !slices.ContainsFunc(out, func(p *ProductRow) bool { return p.Name == n }) {
			return nil, fmt.Errorf("subscription: product %q: %w", n, ErrNotFound)
		}
	}
	return out, nil
}

// scanTime reads a nullable time column: nil for NULL.
func scanTime(v any) (*time.Time, error) {
	if v == nil {
		return nil, nil
	}
	var t time.Time
	if err := (database.ScanTime{T: &t}).Scan(v); err != nil {
		return nil, err
	}
	return &t, nil
}
