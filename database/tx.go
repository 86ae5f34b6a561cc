package database

import (
	"context"
	"database/sql"
	"fmt"
)

// Querier runs statements: a *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Beginner starts transactions: a *sql.DB or a *sql.Conn.
type Beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// InTx runs fn in a new transaction of b and commits it, or rolls it back when fn fails; fn's error is returned
// as it is.
func InTx(ctx context.Context, b Beginner, fn func(*sql.Tx) error) error {
	tx, err := b.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback() // fn's error says what went wrong; a failed rollback ends the transaction all the same
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("database: commit: %w", err)
	}
	return nil
}

// TableExists reports whether the table exists, looking only at the catalogue (on PostgreSQL, in the search path).
func (d Dialect) TableExists(ctx context.Context, q Querier, table string) (bool, error) {
	// to_regclass is a catalogue lookup; information_schema.tables is a view that costs milliseconds.
	query := "SELECT to_regclass(?) IS NOT NULL"
	if d == SQLite {
		query = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)"
	}
	var ok bool
	if err := q.QueryRowContext(ctx, d.Rebind(query), table).Scan(&ok); err != nil {
		return false, fmt.Errorf("database: looking for table %s: %w", table, err)
	}
	return ok, nil
}
