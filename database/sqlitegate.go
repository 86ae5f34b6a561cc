package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"modernc.org/sqlite"
)

// SQLite lets one transaction write at a time, and wfo begins every SQLite transaction with BEGIN IMMEDIATE
// (it takes the write lock at once). A transaction that finds the lock taken waits in SQLite's busy handler,
// which polls: it sleeps 1, 2, 5, 10, 15, 20, 25 ... ms between tries, so under a steady stream of short
// writers (an engine's workers logging steps) a waiting transaction sleeps tens of milliseconds after the lock
// was free, and the writers that happen to try at the right moment overtake it. Within one process the wait is
// therefore a queue instead: a transaction first takes the database file's gate, handed from one transaction to
// the next as soon as the previous commits or rolls back, and only then begins. Other processes on the same file
// still meet in SQLite's busy handler.

// sqliteBusyTimeout is how long a transaction waits for the write lock (the DSN's busy_timeout), at the gate too.
const sqliteBusyTimeout = 60 * time.Second

var (
	gatesMu sync.Mutex
	gates   = map[string]chan struct{}{}
)

// gateFor returns the gate of a database file, shared by every connection of this process to it.
func gateFor(path string) chan struct{} {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	gatesMu.Lock()
	defer gatesMu.Unlock()
	g, ok := gates[path]
	if !ok {
		g = make(chan struct{}, 1)
		gates[path] = g
	}
	return g
}

// openSQLite opens an SQLite database whose transactions queue at the file's gate.
func openSQLite(path, dsn string) *sql.DB {
	return sql.OpenDB(&gatedConnector{dsn: dsn, gate: gateFor(path), drv: &sqlite.Driver{}})
}

type gatedConnector struct {
	dsn  string
	gate chan struct{}
	drv  *sqlite.Driver
}

func (c *gatedConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &gatedConn{conn: conn, gate: c.gate}, nil
}

func (c *gatedConnector) Driver() driver.Driver { return c.drv }

// sqliteConn is what the modernc driver's connections implement.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

type gatedConn struct {
	conn driver.Conn
	gate chan struct{}
}

func (c *gatedConn) inner() sqliteConn { return c.conn.(sqliteConn) }

func (c *gatedConn) Prepare(query string) (driver.Stmt, error) { return c.conn.Prepare(query) }
func (c *gatedConn) Close() error                              { return c.conn.Close() }

// Begin is never called by database/sql when BeginTx exists; it goes through the gate all the same.
func (c *gatedConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *gatedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	timer := time.NewTimer(sqliteBusyTimeout)
	defer timer.Stop()
	select {
	case c.gate <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, fmt.Errorf("database is locked: another transaction of this process held it for %s", sqliteBusyTimeout)
	}
	tx, err := c.inner().BeginTx(ctx, opts)
	if err != nil {
		<-c.gate
		return nil, err
	}
	return &gatedTx{tx: tx, gate: c.gate}, nil
}

func (c *gatedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner().PrepareContext(ctx, query)
}

func (c *gatedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.inner().ExecContext(ctx, query, args)
}

func (c *gatedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.inner().QueryContext(ctx, query, args)
}

func (c *gatedConn) Ping(ctx context.Context) error         { return c.inner().Ping(ctx) }
func (c *gatedConn) ResetSession(ctx context.Context) error { return c.inner().ResetSession(ctx) }
func (c *gatedConn) IsValid() bool                          { return c.inner().IsValid() }

// gatedTx hands the gate on when the transaction ends, once.
type gatedTx struct {
	tx   driver.Tx
	gate chan struct{}
	once sync.Once
}

func (t *gatedTx) Commit() error {
	defer t.release()
	return t.tx.Commit()
}

func (t *gatedTx) Rollback() error {
	defer t.release()
	return t.tx.Rollback()
}

func (t *gatedTx) release() { t.once.Do(func() { <-t.gate }) }
