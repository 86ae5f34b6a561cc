package database

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"github.com/wfo-go/wfo/internal/filelock"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrLocked is wrapped by a LockedError: an exclusive lock is held by another process.
var ErrLocked = errors.New("database: lock held by another process")

// LockedError says who holds an SQLite database's exclusive lock.
type LockedError struct {
	// Path is the database file's absolute path.
	Path string
	// PID is the holder's process id, 0 when unknown.
	PID int
}

func (e *LockedError) Error() string {
	if e.PID != 0 {
		return fmt.Sprintf("%s (process %d)", e.Path, e.PID)
	}
	return e.Path
}

// Unwrap makes a LockedError match ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// lockKey is the PostgreSQL advisory lock key of a named lock, the same in every wfo process.
func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("wfo " + name + " lock"))
	return int64(h.Sum64() >> 1)
}

// Lock takes the named lock on conn, waiting for it, and returns what releases it. On PostgreSQL it is a session
// advisory lock; on SQLite a file beside the database, <file>.<name>-lock, which the operating system releases when
// the process ends (a revision that runs outside a transaction must also run only once).
func (db *DB) Lock(ctx context.Context, conn *sql.Conn, name string) (unlock func(), err error) {
	if db.Dialect == SQLite {
		if db.Path == "" || db.Path == ":memory:" {
			return func() {}, nil // an in-memory database belongs to one process
		}
		l, err := filelock.Wait(db.Path + "." + name + "-lock")
		if err != nil {
			return nil, fmt.Errorf("database: taking the %s lock: %w", name, err)
		}
		return l.Unlock, nil
	}
	key := lockKey(name)
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return nil, fmt.Errorf("database: taking the %s lock: %w", name, err)
	}
	return func() { conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key) }, nil
}

// Held is an exclusive lock taken with TryLock, held until released.
type Held interface {
	// Check returns an error when the lock was lost (its connection broke).
	Check(ctx context.Context) error
	Release()
}

// TryLock tries once to take the named exclusive lock for this process, without waiting. On PostgreSQL it is a
// session advisory lock on a connection of its own, which the server releases when the process dies: TryLock
// returns nil, nil while another holds it, so the caller can stand by and try again. An SQLite file belongs to
// one such process: the lock is a file beside the database, <file>.<name>-lock, that the operating system releases
// when the process ends, and while another holds it TryLock fails with a LockedError. An in-memory database
// belongs to one process and is always locked at once.
func (db *DB) TryLock(ctx context.Context, name string) (Held, error) {
	if db.Dialect == Postgres {
		return db.tryAdvisoryLock(ctx, name)
	}
	if db.Path == ":memory:" {
		return noLock{}, nil
	}
	return tryFileLock(db.Path, db.Path+"."+name+"-lock")
}

func (db *DB) tryAdvisoryLock(ctx context.Context, name string) (Held, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("database: connecting for the %s lock: %w", name, err)
	}
	key := lockKey(name)
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&ok); err != nil {
		conn.Close()
		return nil, fmt.Errorf("database: taking the %s lock: %w", name, err)
	}
	if !ok {
		conn.Close()
		return nil, nil
	}
	return &advisoryLock{conn: conn, key: key, name: name}, nil
}

type advisoryLock struct {
	conn *sql.Conn
	key  int64
	name string
}

func (l *advisoryLock) Check(ctx context.Context) error {
	if err := l.conn.PingContext(ctx); err != nil {
		return fmt.Errorf("database: lost the %s lock's connection: %w", l.name, err)
	}
	return nil
}

func (l *advisoryLock) Release() {
	if _, err := l.conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", l.key); err != nil {
		// Do not hand a connection that may still hold the lock back to the pool.
		l.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	l.conn.Close()
}

// tryFileLock takes an exclusive lock on the file at path without waiting and writes this process's id into it.
func tryFileLock(dbPath, path string) (Held, error) {
	l, err := filelock.TryLock(path)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	if l == nil {
		b, _ := os.ReadFile(path)
		abs, _ := filepath.Abs(dbPath)
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		return nil, &LockedError{Path: abs, PID: pid}
	}
	if err := l.File().Truncate(0); err == nil {
		l.File().WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &fileLock{l: l}, nil
}

type fileLock struct{ l *filelock.Lock }

func (l *fileLock) Check(context.Context) error { return nil }

func (l *fileLock) Release() { l.l.Unlock() }

type noLock struct{}

func (noLock) Check(context.Context) error { return nil }
func (noLock) Release()                    {}
