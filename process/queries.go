package process

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/workflow"
)

// The queries on processes that the built-in tasks and the scheduler need, beside the engine's own (store.go).

// RemoveCompletedTasks deletes the completed tasks last modified at or before cutoff, with their steps, input
// states and subscription links (ON DELETE CASCADE), through q (a step's transaction), and returns how many.
func RemoveCompletedTasks(ctx context.Context, d database.Dialect, q database.Querier, cutoff time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, d.Rebind("DELETE FROM processes WHERE is_task = ? AND last_status = 'completed' AND last_modified_at <= ?"), true, d.Time(cutoff))
	if err != nil {
		return 0, fmt.Errorf("process: removing old tasks: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("process: removing old tasks: %w", err)
	}
	return n, nil
}

// IDsWithStatus lists the processes with the status, least recently modified first, except the process except.
func IDsWithStatus(ctx context.Context, db *database.DB, status Status, except uuid.UUID) ([]uuid.UUID, error) {
	return queryPIDs(ctx, db, "listing "+string(status)+" processes",
		db.Dialect.Rebind("SELECT pid FROM processes WHERE last_status = ? AND pid <> ? ORDER BY last_modified_at"), string(status), except)
}

// queryPIDs runs a query selecting process ids and returns them (an empty list, not nil, when none); what names the
// query in its errors.
func queryPIDs(ctx context.Context, q database.Querier, what, query string, args ...any) ([]uuid.UUID, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("process: %s: %w", what, err)
	}
	defer rows.Close()
	out := []uuid.UUID{}
	for rows.Next() {
		var pid uuid.UUID
		if err := rows.Scan(&pid); err != nil {
			return nil, fmt.Errorf("process: %s: %w", what, err)
		}
		out = append(out, pid)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("process: %s: %w", what, err)
	}
	return out, nil
}

// NoUncompletedInstance is a workflow.RunPredicate: it refuses a start while a process of the same workflow exists
// that is neither completed nor aborted (running, suspended, waiting, failed, ...), the reference's
// no_uncompleted_instance, which its validation tasks use so that a slow or failed run is not joined by another.
func NoUncompletedInstance(ctx *workflow.StartContext) (string, error) {
	busy, err := Unfinished(ctx, ctx.DB, ctx.Workflow.Name)
	if err != nil || !busy {
		return "", err
	}
	return "Another instance of " + ctx.Workflow.Name + " is not completed yet", nil
}

// Unfinished reports whether a process of the workflow exists that is neither completed nor aborted.
func Unfinished(ctx context.Context, db *database.DB, workflow string) (bool, error) {
	var busy bool
	err := db.QueryRowContext(ctx, db.Dialect.Rebind("SELECT EXISTS (SELECT 1 FROM processes p JOIN workflows w ON w.workflow_id = p.workflow_id "+
		"WHERE w.name = ? AND p.last_status NOT IN ('completed', 'aborted'))"), workflow).Scan(&busy)
	if err != nil {
		return false, fmt.Errorf("process: looking for unfinished %s processes: %w", workflow, err)
	}
	return busy, nil
}
