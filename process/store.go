package process

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/workflow"
)

// store is every SQL statement of the engine. The statements are the same on both dialects except for what
// dialect gives: the database clock, row locks, and how timestamps are passed.
type store struct {
	db *database.DB
	d  dialect
}

// dialect holds the differences between PostgreSQL and SQLite.
type dialect struct {
	// now is the database clock as an SQL expression: step rows are ordered by it, so processes resumed by
	// another instance keep their order even when the machines' clocks differ.
	now string
	// forUpdate locks selected rows on PostgreSQL; on SQLite every write transaction holds the database lock.
	forUpdate, skipLocked string
	// stepOrder orders a process's steps: by completion time, ties (SQLite keeps milliseconds) by insertion.
	stepOrder string
	sqlite    bool
}

func newStore(db *database.DB) *store {
	if db.Dialect == database.SQLite {
		return &store{db: db, d: dialect{
			now:       "strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')",
			stepOrder: "completed_at, rowid",
			sqlite:    true,
		}}
	}
	return &store{db: db, d: dialect{
		now:        "clock_timestamp()",
		forUpdate:  " FOR UPDATE",
		skipLocked: " FOR UPDATE SKIP LOCKED",
		stepOrder:  "completed_at, started_at",
	}}
}

// sqliteTime is the form of timestamps in wfo's SQLite schema.
const sqliteTime = "2006-01-02 15:04:05.000+00:00"

// ts passes a time as the dialect stores it.
func (s *store) ts(t time.Time) any {
	if s.d.sqlite {
		return t.UTC().Format(sqliteTime)
	}
	return t.UTC()
}

// parseTime reads a timestamp column.
func parseTime(v any) (time.Time, error) {
	switch v := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return v.UTC(), nil
	case []byte:
		return parseTime(string(v))
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05", time.RFC3339Nano} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("process: unreadable timestamp %q", v)
	}
	return time.Time{}, fmt.Errorf("process: unreadable timestamp %v (%T)", v, v)
}

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// workflowRow is a row of workflows.
type workflowRow struct {
	id      uuid.UUID
	isTask  bool
	deleted bool
}

func (s *store) workflowByName(ctx context.Context, q querier, name string) (*workflowRow, error) {
	var w workflowRow
	err := q.QueryRowContext(ctx, "SELECT workflow_id, is_task, deleted_at IS NOT NULL FROM workflows WHERE name = $1", name).
		Scan(&w.id, &w.isTask, &w.deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("process: reading workflow %s: %w", name, err)
	}
	return &w, nil
}

func (s *store) insertProcess(ctx context.Context, q querier, pid uuid.UUID, wf *workflowRow, status Status, user string) error {
	_, err := q.ExecContext(ctx, "INSERT INTO processes (pid, workflow_id, assignee, last_status, started_at, last_modified_at, created_by, is_task) "+
		"VALUES ($1, $2, 'SYSTEM', $3, "+s.d.now+", "+s.d.now+", $4, $5)", pid, wf.id, string(status), user, wf.isTask)
	if err != nil {
		return fmt.Errorf("process: creating process: %w", err)
	}
	return nil
}

// Input types of input_states.
const (
	inputInitial = "initial_state"
	inputUser    = "user_input"
)

func (s *store) insertInput(ctx context.Context, q querier, pid uuid.UUID, kind string, input workflow.State) error {
	data, err := input.JSON()
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, "INSERT INTO input_states (input_state_id, pid, input_state, input_time, input_type) VALUES ($1, $2, $3, "+s.d.now+", $4)",
		uuid.New(), pid, string(data), kind)
	if err != nil {
		return fmt.Errorf("process: storing input of %s: %w", pid, err)
	}
	return nil
}

func (s *store) latestInput(ctx context.Context, q querier, pid uuid.UUID, kind string) (workflow.State, error) {
	order := "input_time DESC"
	if s.d.sqlite {
		order += ", rowid DESC"
	}
	var data string
	err := q.QueryRowContext(ctx, "SELECT input_state FROM input_states WHERE pid = $1 AND input_type = $2 ORDER BY "+order+" LIMIT 1", pid, kind).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return workflow.State{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("process: reading input of %s: %w", pid, err)
	}
	return workflow.ParseState([]byte(data))
}

// processRow is the part of a processes row the engine works with.
type processRow struct {
	pid          uuid.UUID
	workflow     string
	target       string
	isTask       bool
	status       Status
	lastStep     sql.NullString
	assignee     string
	failedReason sql.NullString
	traceback    sql.NullString
	createdBy    sql.NullString
	startedAt    time.Time
	lastModified time.Time
}

func (s *store) process(ctx context.Context, q querier, pid uuid.UUID, lock bool) (*processRow, error) {
	query := "SELECT p.pid, w.name, w.target, p.is_task, p.last_status, p.last_step, p.assignee, p.failed_reason, p.traceback, " +
		"p.created_by, p.started_at, p.last_modified_at FROM processes p JOIN workflows w ON w.workflow_id = p.workflow_id WHERE p.pid = $1"
	if lock {
		query += s.d.forUpdate
		if !s.d.sqlite {
			query = strings.Replace(query, "FOR UPDATE", "FOR UPDATE OF p", 1)
		}
	}
	var p processRow
	var status string
	var started, modified any
	err := q.QueryRowContext(ctx, query, pid).Scan(&p.pid, &p.workflow, &p.target, &p.isTask, &status, &p.lastStep, &p.assignee,
		&p.failedReason, &p.traceback, &p.createdBy, &started, &modified)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("process: %s: %w", pid, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("process: reading %s: %w", pid, err)
	}
	p.status = Status(status)
	if p.startedAt, err = parseTime(started); err != nil {
		return nil, err
	}
	if p.lastModified, err = parseTime(modified); err != nil {
		return nil, err
	}
	return &p, nil
}

// stepRow is a row of process_steps.
type stepRow struct {
	id          uuid.UUID
	name        string
	status      workflow.StepStatus
	state       workflow.State
	createdBy   sql.NullString
	startedAt   time.Time
	completedAt time.Time
}

func (s *store) steps(ctx context.Context, q querier, pid uuid.UUID) ([]*stepRow, error) {
	rows, err := q.QueryContext(ctx, "SELECT stepid, name, status, state, created_by, started_at, completed_at FROM process_steps WHERE pid = $1 ORDER BY "+s.d.stepOrder, pid)
	if err != nil {
		return nil, fmt.Errorf("process: reading the steps of %s: %w", pid, err)
	}
	defer rows.Close()
	var out []*stepRow
	for rows.Next() {
		var r stepRow
		var status, state string
		var started, completed any
		if err := rows.Scan(&r.id, &r.name, &status, &state, &r.createdBy, &started, &completed); err != nil {
			return nil, fmt.Errorf("process: reading the steps of %s: %w", pid, err)
		}
		r.status = workflow.StepStatus(status)
		if r.state, err = workflow.ParseState([]byte(state)); err != nil {
			return nil, fmt.Errorf("process: step %s of %s: %w", r.name, pid, err)
		}
		if r.startedAt, err = parseTime(started); err != nil {
			return nil, err
		}
		if r.completedAt, err = parseTime(completed); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("process: reading the steps of %s: %w", pid, err)
	}
	return out, nil
}

func (s *store) insertStep(ctx context.Context, q querier, pid uuid.UUID, r *stepRow, commitHash string) error {
	data, err := r.state.JSON()
	if err != nil {
		return err
	}
	var hash any
	if commitHash != "" {
		hash = commitHash
	}
	_, err = q.ExecContext(ctx, "INSERT INTO process_steps (stepid, pid, name, status, state, created_by, started_at, completed_at, commit_hash) "+
		"VALUES ($1, $2, $3, $4, $5, $6, $7, "+s.d.now+", $8)", r.id, pid, r.name, string(r.status), string(data), r.createdBy, s.ts(r.startedAt), hash)
	if err != nil {
		return fmt.Errorf("process: logging step %q of %s: %w", r.name, pid, err)
	}
	return nil
}

func (s *store) updateStep(ctx context.Context, q querier, r *stepRow) error {
	data, err := r.state.JSON()
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, "UPDATE process_steps SET status = $2, state = $3, completed_at = "+s.d.now+" WHERE stepid = $1", r.id, string(r.status), string(data))
	if err != nil {
		return fmt.Errorf("process: updating step %q: %w", r.name, err)
	}
	return nil
}

// errNotRunning means the process stopped being running under the runner (it was aborted): the runner stops.
var errNotRunning = errors.New("process is no longer running")

// updateAfterStep records a step's outcome on the process row, only while the process is running: a process
// aborted meanwhile keeps its status, and the step's work is rolled back. It returns the engine's global lock as
// it is now, so the runner knows whether to go on without asking again.
func (s *store) updateAfterStep(ctx context.Context, q querier, pid uuid.UUID, step string, status Status, assignee workflow.Assignee, reason, traceback sql.NullString) (locked bool, err error) {
	err = q.QueryRowContext(ctx, "UPDATE processes SET last_step = $2, last_status = $3, assignee = $4, failed_reason = $5, traceback = $6, last_modified_at = "+s.d.now+
		" WHERE pid = $1 AND last_status = 'running' RETURNING (SELECT global_lock FROM engine_settings LIMIT 1)", pid, step, string(status), string(assignee), limitReason(reason), limitTraceback(traceback)).Scan(&locked)
	if errors.Is(err, sql.ErrNoRows) {
		return false, errNotRunning
	}
	if err != nil {
		return false, fmt.Errorf("process: updating %s: %w", pid, err)
	}
	return locked, nil
}

// setStatus sets the status of a process that has one of the statuses from (any when from is empty) and reports
// whether it did.
func (s *store) setStatus(ctx context.Context, q querier, pid uuid.UUID, to Status, from ...Status) (bool, error) {
	query := "UPDATE processes SET last_status = $2, last_modified_at = " + s.d.now + " WHERE pid = $1"
	if len(from) > 0 {
		query += " AND last_status IN (" + quoteStatuses(from) + ")"
	}
	res, err := q.ExecContext(ctx, query, pid, string(to))
	if err != nil {
		return false, fmt.Errorf("process: setting %s to %s: %w", pid, to, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("process: setting %s to %s: %w", pid, to, err)
	}
	return n > 0, nil
}

func (s *store) setAborted(ctx context.Context, q querier, pid uuid.UUID) error {
	_, err := q.ExecContext(ctx, "UPDATE processes SET last_step = $2, last_status = 'aborted', assignee = 'SYSTEM', failed_reason = NULL, traceback = NULL, "+
		"last_modified_at = "+s.d.now+" WHERE pid = $1", pid, AbortStepName)
	if err != nil {
		return fmt.Errorf("process: aborting %s: %w", pid, err)
	}
	return nil
}

func (s *store) failProcess(ctx context.Context, q querier, pid uuid.UUID, reason, traceback string) error {
	_, err := q.ExecContext(ctx, "UPDATE processes SET last_step = 'Unknown', last_status = 'failed', failed_reason = $2, traceback = $3, last_modified_at = "+s.d.now+
		" WHERE pid = $1 AND last_status <> 'waiting'", pid, firstChars(reason, maxFailedReason), lastChars(traceback, maxTraceback))
	if err != nil {
		return fmt.Errorf("process: marking %s failed: %w", pid, err)
	}
	return nil
}

func quoteStatuses(ss []Status) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + string(s) + "'"
	}
	return strings.Join(q, ", ")
}

// runnable are the statuses of processes that should run and do not: created (never started) and resumed
// (resumed, or stopped by the global lock or a shutdown before their next step).
var runnable = []Status{Created, Resumed}

// claim makes a runnable process running and counts it in engine_settings.running_processes. Exactly one of
// several engines claiming the same process at once succeeds.
func (s *store) claim(ctx context.Context, pid uuid.UUID) (bool, error) {
	var ok bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if ok, err = s.setStatus(ctx, tx, pid, Running, runnable...); err != nil || !ok {
			return err
		}
		return s.addRunning(ctx, tx, 1)
	})
	return ok, err
}

// claimBatch claims up to n runnable processes, oldest first, skipping rows other engines hold locked, unless the
// engine is paused.
func (s *store) claimBatch(ctx context.Context, n int) ([]uuid.UUID, error) {
	var pids []uuid.UUID
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT pid FROM processes WHERE last_status IN ("+quoteStatuses(runnable)+
			") AND NOT (SELECT global_lock FROM engine_settings LIMIT 1) ORDER BY last_modified_at LIMIT $1"+s.d.skipLocked, n)
		if err != nil {
			return fmt.Errorf("process: looking for runnable processes: %w", err)
		}
		for rows.Next() {
			var pid uuid.UUID
			if err := rows.Scan(&pid); err != nil {
				rows.Close()
				return fmt.Errorf("process: looking for runnable processes: %w", err)
			}
			pids = append(pids, pid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("process: looking for runnable processes: %w", err)
		}
		claimed := pids[:0]
		for _, pid := range pids {
			ok, err := s.setStatus(ctx, tx, pid, Running, runnable...)
			if err != nil {
				return err
			}
			if ok {
				claimed = append(claimed, pid)
			}
		}
		pids = claimed
		if len(pids) == 0 {
			return nil
		}
		return s.addRunning(ctx, tx, len(pids))
	})
	return pids, err
}

func (s *store) addRunning(ctx context.Context, q querier, n int) error {
	query := "UPDATE engine_settings SET running_processes = running_processes + $1"
	if n < 0 {
		query = "UPDATE engine_settings SET running_processes = CASE WHEN running_processes + $1 < 0 THEN 0 ELSE running_processes + $1 END"
	}
	if _, err := q.ExecContext(ctx, query, n); err != nil {
		return fmt.Errorf("process: counting running processes: %w", err)
	}
	return nil
}

// check reads, before a step, whether the engine is paused and whether the process is still running.
func (s *store) check(ctx context.Context, pid uuid.UUID) (locked bool, status Status, err error) {
	var st string
	err = s.db.QueryRowContext(ctx, "SELECT (SELECT global_lock FROM engine_settings LIMIT 1), last_status FROM processes WHERE pid = $1", pid).Scan(&locked, &st)
	if err != nil {
		return false, "", fmt.Errorf("process: checking %s: %w", pid, err)
	}
	return locked, Status(st), nil
}

func (s *store) engineSettings(ctx context.Context) (locked bool, running int, err error) {
	err = s.db.QueryRowContext(ctx, "SELECT global_lock, running_processes FROM engine_settings LIMIT 1").Scan(&locked, &running)
	if err != nil {
		return false, 0, fmt.Errorf("process: reading engine_settings: %w", err)
	}
	return locked, running, nil
}

func (s *store) setLock(ctx context.Context, locked bool) error {
	if _, err := s.db.ExecContext(ctx, "UPDATE engine_settings SET global_lock = $1", locked); err != nil {
		return fmt.Errorf("process: setting the global lock: %w", err)
	}
	return nil
}

func (s *store) pidsWithStatus(ctx context.Context, statuses ...Status) ([]uuid.UUID, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT pid FROM processes WHERE last_status IN ("+quoteStatuses(statuses)+") ORDER BY last_modified_at")
	if err != nil {
		return nil, fmt.Errorf("process: listing processes: %w", err)
	}
	defer rows.Close()
	var out []uuid.UUID
	for rows.Next() {
		var pid uuid.UUID
		if err := rows.Scan(&pid); err != nil {
			return nil, fmt.Errorf("process: listing processes: %w", err)
		}
		out = append(out, pid)
	}
	return out, rows.Err()
}

func (s *store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("process: beginning a transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("process: committing: %w", err)
	}
	return nil
}
