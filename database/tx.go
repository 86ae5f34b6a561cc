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

// InSnapshot runs fn so that its queries see one snapshot of the database: on PostgreSQL in a read-only
// repeatable-read transaction, where fn should first run SnapshotSettings; on SQLite on the database itself, since
// a transaction there takes the write lock (Open asks for immediate transactions), so such readers read what they
// need in one statement.
func (db *DB) InSnapshot(ctx context.Context, fn func(q Querier) error) error {
	if db.Dialect == SQLite {
		return fn(db.DB)
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("database: begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("database: commit: %w", err)
	}
	return nil
}

// SnapshotSettings are the statements that start a snapshot read (InSnapshot) of short queries: on PostgreSQL
// JIT compilation off, since the planner's estimates for recursive queries are rough and large, and compiling a
// plan would cost far more than running it. None on SQLite.
func (d Dialect) SnapshotSettings() []string {
	if d == SQLite {
		return nil
	}
	return []string{"SET LOCAL jit = off"}
}
