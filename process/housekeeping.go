package process

import (
	"context"
	"database/sql"
	"errors"
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

// ErrNotTask: the operation is for tasks only (deleting a process).
var ErrNotTask = errors.New("process is not a task")

// Delete deletes a task with its steps, input states and subscription links (the foreign keys cascade), as the
// reference's delete route does; ErrNotFound when there is no such process, ErrNotTask for a workflow's process,
// which is kept as the record of what was done to its subscriptions.
func (e *Engine) Delete(ctx context.Context, pid uuid.UUID) error {
	return e.st.inTx(ctx, func(tx *sql.Tx) error {
		p, err := e.st.process(ctx, tx, pid, true)
		if err != nil {
			return err
		}
		if !p.isTask {
			return fmt.Errorf("process: %s is a process of the workflow %s, not a task: %w", pid, p.workflow, ErrNotTask)
		}
		for _, q := range []string{"DELETE FROM wfo_process_leases WHERE pid = ?", "DELETE FROM processes WHERE pid = ?"} {
			if _, err := tx.ExecContext(ctx, e.db.Dialect.Rebind(q), pid); err != nil {
				return fmt.Errorf("process: deleting %s: %w", pid, err)
			}
		}
		return nil
	})
}

// StatusCounts counts the processes by status, workflows' processes and tasks apart; statuses without processes
// are absent.
func (e *Engine) StatusCounts(ctx context.Context) (processes, tasks map[Status]int, err error) {
	rows, err := e.db.QueryContext(ctx, "SELECT is_task, last_status, COUNT(*) FROM processes GROUP BY is_task, last_status")
	if err != nil {
		return nil, nil, fmt.Errorf("process: counting processes: %w", err)
	}
	defer rows.Close()
	processes, tasks = map[Status]int{}, map[Status]int{}
	for rows.Next() {
		var isTask bool
		var status string
		var n int
		if err := rows.Scan(&isTask, &status, &n); err != nil {
			return nil, nil, fmt.Errorf("process: counting processes: %w", err)
		}
		if isTask {
			tasks[Status(status)] += n
		} else {
			processes[Status(status)] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("process: counting processes: %w", err)
	}
	return processes, tasks, nil
}

// FailedTasks lists the tasks a resume-all retries: those failed, waiting, api_unavailable or inconsistent_data,
// least recently modified first.
func (e *Engine) FailedTasks(ctx context.Context) ([]uuid.UUID, error) {
	return queryPIDs(ctx, e.db, "listing failed tasks", e.db.Dialect.Rebind("SELECT pid FROM processes WHERE is_task = ? AND last_status IN ("+
		quoteStatuses(Retryable)+") ORDER BY last_modified_at, pid"), true)
}
