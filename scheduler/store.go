package scheduler

import (
	"context"
	"time"
)

// state is a schedule's row in wfo_schedule_state: when it runs next and how its last run went. version grows
// with every change; writers name the version they read, so of two schedulers acting on one row only the first
// succeeds.
type state struct {
	Name string
	// Rule is the rule and time zone the next run was computed with; when the code's differ, the schedule is
	// planned afresh.
	Rule         string
	Next         time.Time
	Version      int64
	LastStarted  time.Time // zero: never
	LastFinished time.Time
	LastStatus   Status
	LastError    string
	LastOwner    string
}

// store keeps the schedules' timing state. Every write is a compare-and-set on the version and reports whether
// it won.
type store interface {
	// exists reports whether the state table exists (read-only commands do not create it).
	exists(ctx context.Context) (bool, error)
	// ensure checks that the state table exists.
	ensure(ctx context.Context) error
	// load returns every row, by name.
	load(ctx context.Context) (map[string]state, error)
	// plan inserts the row (version 0: it must not exist) or sets its rule and next run (it must be at version).
	plan(ctx context.Context, name, rule string, next time.Time, version int64) (bool, error)
	// claim marks a run started by owner and sets a provisional next run, if the row is at version.
	claim(ctx context.Context, name string, version int64, started, next time.Time, owner string) (bool, error)
	// finish records how the run ended and sets the next run, if the row is at version (the claimed one).
	finish(ctx context.Context, name string, version int64, finished, next time.Time, status Status, errText string) (bool, error)
}
