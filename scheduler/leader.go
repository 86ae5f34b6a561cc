package scheduler

import (
	"context"
	"errors"
	"fmt"

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

// leaderLock is the name of the database lock the leader holds (on SQLite the file <database>.scheduler-lock).
const leaderLock = "scheduler"

// dbLocker elects the leader with the database's exclusive lock: on PostgreSQL a session advisory lock that the
// server releases when the leader's connection closes, so a follower takes over; on SQLite a lock on a file beside
// the database, which allows one scheduler per file.
type dbLocker struct{ db *database.DB }

func (l dbLocker) acquire(ctx context.Context) (leadership, error) {
	held, err := l.db.TryLock(ctx, leaderLock)
	var locked *database.LockedError
	if errors.As(err, &locked) {
		return nil, fmt.Errorf("%w on %s: only one scheduler can run on an SQLite database", ErrAlreadyRunning, locked)
	}
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	if held == nil {
		return nil, nil
	}
	return dbLeadership{held}, nil
}

type dbLeadership struct{ held database.Held }

func (l dbLeadership) check(ctx context.Context) error {
	if err := l.held.Check(ctx); err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	return nil
}

func (l dbLeadership) release() { l.held.Release() }
