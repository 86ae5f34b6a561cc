// Package subscription stores subscriptions of the domain model in the core tables, as orchestrator-core does:
// create a subscription from a product, load one by id into its registered Go type, save one in one transaction,
// move one to another lifecycle, find which subscriptions use or are used by one, and take and release its insync
// lock.
//
// Package domain says what a subscription looks like (types, the registry, validation, the instance tree as
// rows); this package only reads and writes those rows, the same way on PostgreSQL and SQLite. Loading takes two
// queries whatever the size of the tree: the subscription with its product and fixed inputs, and the instances,
// values and relations reachable from the subscription's own instances (one recursive query). Saving writes only
// what changed, with a fixed number of statements for any tree (rows are inserted and deleted in batches of
// 500); saving an unchanged subscription takes five.
//
// Values are stored in the reference's encodings (see domain.Kind), so a database can be shared with
// orchestrator-core.
package subscription

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/domain"
)

// Errors the store returns, wrapped with details.
var (
	// ErrNotFound: no subscription (or product) with that id (or name).
	ErrNotFound = errors.New("not found")
	// ErrNotRegistered: the subscription's product has no product type in the registry.
	ErrNotRegistered = errors.New("not registered")
	// ErrInvalid: the subscription is not valid for its lifecycle (the chain holds a *domain.ValidationError).
	ErrInvalid = errors.New("invalid subscription")
	// ErrUnsafeStatusChange: subscriptions using this one do not allow the new status (spec/core.md §2.7).
	ErrUnsafeStatusChange = errors.New("unsafe status change of a subscription with depending subscriptions")
	// ErrNotInSync: the subscription is already locked (insync false) by another workflow.
	ErrNotInSync = errors.New("subscription is already out of sync, cannot continue")
)

// invalidError is a subscription not valid for a lifecycle: its message is the store's, and it matches both
// ErrInvalid and the *domain.ValidationError.
type invalidError struct {
	msg string
	ve  *domain.ValidationError
}

func (e *invalidError) Error() string   { return e.msg }
func (e *invalidError) Unwrap() []error { return []error{ErrInvalid, e.ve} }

// invalid turns a validation error into an invalidError whose message is prefix + ": " + the problems.
func invalid(err error, format string, args ...any) error {
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	return &invalidError{msg: fmt.Sprintf(format, args...) + ": " + ve.Summary(), ve: ve}
}

// Store reads and writes subscriptions of the registered product types.
type Store struct {
	db      *database.DB
	tx      *sql.Tx
	reg     *domain.Registry
	now     func() time.Time
	onQuery func(query string)
	cat     *catalogue
}

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock for start and end dates (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithQueryHook calls hook with every statement the store sends, before it is sent: for tests and metrics.
func WithQueryHook(hook func(query string)) Option { return func(s *Store) { s.onQuery = hook } }

// New returns a store on the database for the registry's product types. reg may be nil for a store that only
// runs the queries that need no model (Row, Lock, InUseBy, ...).
func New(db *database.DB, reg *domain.Registry, opts ...Option) *Store {
	if reg == nil {
		reg = domain.MustNewRegistry()
	}
	s := &Store{db: db, reg: reg, now: time.Now, cat: &catalogue{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// WithTx returns a store that works inside the caller's transaction tx (of the same database): Save then neither
// begins nor commits.
func (s *Store) WithTx(tx *sql.Tx) *Store {
	c := *s
	c.tx = tx
	return &c
}

// Registry returns the store's registry.
func (s *Store) Registry() *domain.Registry { return s.reg }

type querier = database.Querier

func (s *Store) conn() querier {
	if s.tx != nil {
		return s.tx
	}
	return s.db
}

// inTx runs fn in the store's transaction, or in a new one that it commits.
func (s *Store) inTx(ctx context.Context, fn func(q querier) error) error {
	if s.tx != nil {
		return fn(s.tx)
	}
	return database.InTx(ctx, s.db, func(tx *sql.Tx) error { return fn(tx) })
}

func (s *Store) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	query = s.db.Dialect.Rebind(query)
	if s.onQuery != nil {
		s.onQuery(query)
	}
	return q.ExecContext(ctx, query, args...)
}

func (s *Store) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	query = s.db.Dialect.Rebind(query)
	if s.onQuery != nil {
		s.onQuery(query)
	}
	return q.QueryContext(ctx, query, args...)
}

// scanAll runs a query and calls fn for each row.
func (s *Store) scanAll(ctx context.Context, q querier, fn func(*sql.Rows) error, query string, args ...any) error {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// timeArg is a nullable timestamp parameter.
func (s *Store) timeArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return s.db.Dialect.Time(*t)
}

// timePtr is a nullable timestamp as read: nil for NULL.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// batchRows is how many rows one multi-row INSERT or IN list carries; it keeps statements under both databases'
// parameter limits.
const batchRows = 500

// inBatches runs fn over rows in slices of at most batchRows.
func inBatches[T any](rows []T, fn func([]T) error) error {
	for len(rows) > 0 {
		n := min(len(rows), batchRows)
		if err := fn(rows[:n]); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// catalogue caches the ids of product blocks and resource types by name. The catalogue changes only through
// migrations, and a name not in the cache makes it reload.
type catalogue struct {
	mu     sync.Mutex
	blocks map[string]string
	rtypes map[string]string
}

// ids returns the ids of the blocks and resource types named, loading the catalogue when one is not cached.
func (s *Store) catalogueIDs(ctx context.Context, q querier, blocks, rtypes []string) (map[string]string, map[string]string, error) {
	c := s.cat
	c.mu.Lock()
	defer c.mu.Unlock()
	complete := func() bool {
		for _, b := range blocks {
			if _, ok := c.blocks[b]; !ok {
				return false
			}
		}
		for _, r := range rtypes {
			if _, ok := c.rtypes[r]; !ok {
				return false
			}
		}
		return true
	}
	if c.blocks != nil && complete() {
		return c.blocks, c.rtypes, nil
	}
	bl, rt := map[string]string{}, map[string]string{}
	err := s.scanAll(ctx, q, func(rows *sql.Rows) error {
		var name, id string
		if err := rows.Scan(&name, &id); err != nil {
			return err
		}
		bl[name] = strings.ToLower(id)
		return nil
	}, "SELECT name, product_block_id FROM product_blocks")
	if err == nil {
		err = s.scanAll(ctx, q, func(rows *sql.Rows) error {
			var name, id string
			if err := rows.Scan(&name, &id); err != nil {
				return err
			}
			rt[name] = strings.ToLower(id)
			return nil
		}, "SELECT resource_type, resource_type_id FROM resource_types")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("subscription: reading the catalogue: %w", err)
	}
	c.blocks, c.rtypes = bl, rt
	for _, b := range blocks {
		if _, ok := bl[b]; !ok {
			return nil, nil, fmt.Errorf("subscription: product block %q is not in the database (product_blocks); run the migration that adds it", b)
		}
	}
	for _, r := range rtypes {
		if _, ok := rt[r]; !ok {
			return nil, nil, fmt.Errorf("subscription: resource type %q is not in the database (resource_types); run the migration that adds it", r)
		}
	}
	return bl, rt, nil
}
