package scheduler

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wfo-go/wfo/database"
)

// locker decides which scheduler leads: only the leader runs jobs.
type locker interface {
	// acquire tries once to become the leader. It returns nil, nil when another scheduler leads and this one
	// should try again later, and an error wrapping ErrAlreadyRunning when it must not wait (SQLite).
	acquire(ctx context.Context) (leadership, error)
}

// leadership is held until released.
type leadership interface {
	// check returns an error when the leadership was lost (the lock's connection broke).
	check(ctx context.Context) error
	release()
}

func newLocker(db *database.DB) locker {
	switch {
	case db.Dialect == database.Postgres:
		return &advisoryLocker{db: db}
	case db.Path == ":memory:":
		return noLocker{} // an in-memory database belongs to one process
	}
	return &fileLocker{path: db.Path + ".scheduler-lock", db: db.Path}
}

// leaderKey is the PostgreSQL advisory lock key of the scheduler leader, the same for every wfo process and
// different from the migration lock's.
var leaderKey = func() int64 {
	h := fnv.New64a()
	h.Write([]byte("wfo scheduler leader"))
	return int64(h.Sum64() >> 1)
}()

// advisoryLocker elects the leader with a session advisory lock on a connection the leader keeps: when the leader
// dies its connection closes and PostgreSQL releases the lock.
type advisoryLocker struct{ db *database.DB }

func (l *advisoryLocker) acquire(ctx context.Context) (leadership, error) {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("scheduler: connecting for the leader lock: %w", err)
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", leaderKey).Scan(&ok); err != nil {
		conn.Close()
		return nil, fmt.Errorf("scheduler: taking the leader lock: %w", err)
	}
	if !ok {
		conn.Close()
		return nil, nil
	}
	return &advisoryLeadership{conn: conn}, nil
}

type advisoryLeadership struct{ conn *sql.Conn }

func (l *advisoryLeadership) check(ctx context.Context) error {
	if err := l.conn.PingContext(ctx); err != nil {
		return fmt.Errorf("scheduler: lost the leader lock's connection: %w", err)
	}
	return nil
}

func (l *advisoryLeadership) release() {
	ctx := context.Background()
	if _, err := l.conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", leaderKey); err != nil {
		// Do not hand a connection that may still hold the lock back to the pool.
		l.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	l.conn.Close()
}

// fileLocker allows one scheduler per SQLite database with an exclusive lock on a file beside it, which the
// operating system releases when the process ends, however it ends. The file holds the holder's process id.
type fileLocker struct{ path, db string }

func (l *fileLocker) acquire(context.Context) (leadership, error) {
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("scheduler: opening the scheduler lock %s: %w", l.path, err)
	}
	locked, err := lockFile(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("scheduler: locking %s: %w", l.path, err)
	}
	if !locked {
		b, _ := os.ReadFile(l.path)
		f.Close()
		holder := ""
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			holder = fmt.Sprintf(" (process %d)", pid)
		}
		abs, _ := filepath.Abs(l.db)
		return nil, fmt.Errorf("%w on %s%s: only one scheduler can run on an SQLite database", ErrAlreadyRunning, abs, holder)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &fileLeadership{f: f}, nil
}

type fileLeadership struct{ f *os.File }

func (l *fileLeadership) check(context.Context) error { return nil }

func (l *fileLeadership) release() {
	unlockFile(l.f)
	l.f.Close()
}

type noLocker struct{}

func (noLocker) acquire(context.Context) (leadership, error) { return noLeadership{}, nil }

type noLeadership struct{}

func (noLeadership) check(context.Context) error { return nil }
func (noLeadership) release()                    {}
