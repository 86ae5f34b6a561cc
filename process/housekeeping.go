package process

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// The queries behind the API's housekeeping routes (note filters, stored step rows), beside the engine's own.

// TextMatch selects rows by a text column as the reference's list filters do (its default FILTER_BY_MODE, exact):
// the column matches one of Values without regard to case, each an SQL LIKE pattern (% and _ match anything, as
// in its ILIKE); with Negate, it matches none of them. A NULL column matches neither way.
type TextMatch struct {
	Values []string
	Negate bool
}

func (m *TextMatch) where(col string, arg func(any) string) string {
	terms := make([]string, len(m.Values))
	for i, v := range m.Values {
		terms[i] = "LOWER(" + col + ") LIKE LOWER(" + arg(v) + ")"
	}
	if len(terms) == 0 {
		terms = []string{"1 = 0"}
	}
	cond := "(" + strings.Join(terms, " OR ") + ")"
	if m.Negate {
		cond = "NOT " + cond
	}
	return cond
}

// CommitHashes returns the commit each logged step of a process was run with (process_steps.commit_hash), by step
// id; steps without one are absent.
func (e *Engine) CommitHashes(ctx context.Context, pid uuid.UUID) (map[uuid.UUID]string, error) {
	rows, err := e.db.QueryContext(ctx, e.db.Dialect.Rebind("SELECT stepid, commit_hash FROM process_steps WHERE pid = ? AND commit_hash IS NOT NULL"), pid)
	if err != nil {
		return nil, fmt.Errorf("process: reading the steps of %s: %w", pid, err)
	}
	defer rows.Close()
	out := map[uuid.UUID]string{}
	for rows.Next() {
		var id uuid.UUID
		var hash string
		if err := rows.Scan(&id, &hash); err != nil {
			return nil, fmt.Errorf("process: reading the steps of %s: %w", pid, err)
		}
		out[id] = hash
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("process: reading the steps of %s: %w", pid, err)
	}
	return out, nil
}

// WorkerStatus is an engine's worker pool: its size (MAX_WORKERS; 0 for a synchronous engine, which runs
// processes in the calls that start them), the processes handed to it and not yet picked up by a worker, and
// those its workers are running now.
type WorkerStatus struct {
	Workers, Queued, Running int
}

// WorkerStatus reports the engine's worker pool. Processes waiting in the database for any instance's poller are
// not counted as queued.
func (e *Engine) WorkerStatus() WorkerStatus {
	if e.sync {
		return WorkerStatus{}
	}
	return WorkerStatus{Workers: e.workers, Queued: len(e.jobs), Running: int(e.busy.Load())}
}
