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

// store is every SQL statement of the engine. The statements are the same on both dialects (numbered $n
// placeholders, which both read); what differs (the database clock, row locks, timestamps) comes from the dialect.
type store struct {
	db *database.DB
	d  database.Dialect
}

func newStore(db *database.DB) *store { return &store{db: db, d: db.Dialect} }

// stepOrder orders a process's steps: by completion time, ties (SQLite's clock keeps milliseconds) by insertion
// on SQLite and by start on PostgreSQL.
func (s *store) stepOrder() string {
	if col := s.d.InsertOrder(); col != "" {
		return "completed_at, " + col
	}
	return "completed_at, started_at"
}

type querier = database.Querier

// workflowRow is a row of workflows.
type workflowRow struct {
	id      uuid.UUID
	isTask  bool
	deleted bool
}

func (s *store) workflowByName(ctx context.Context, q querier, name string) (*workflowRow, error) {
	var w workflowRow
	err := q.QueryRowContext(ctx, s.d.Rebind("SELECT workflow_id, is_task, deleted_at IS NOT NULL FROM workflows WHERE name = ?"), name).
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
	_, err := q.ExecContext(ctx, s.d.Rebind("INSERT INTO processes (pid, workflow_id, assignee, last_status, started_at, last_modified_at, created_by, is_task) "+
		"VALUES (?, ?, 'SYSTEM', ?, "+s.d.Now()+", "+s.d.Now()+", ?, ?)"), pid, wf.id, string(status), user, wf.isTask)
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
	_, err = q.ExecContext(ctx, s.d.Rebind("INSERT INTO input_states (input_state_id, pid, input_state, input_time, input_type) VALUES (?, ?, ?, "+s.d.Now()+", ?)"),
		uuid.New(), pid, string(data), kind)
	if err != nil {
		return fmt.Errorf("process: storing input of %s: %w", pid, err)
	}
	return nil
}

func (s *store) latestInput(ctx context.Context, q querier, pid uuid.UUID, kind string) (workflow.State, error) {
	order := "input_time DESC"
	if col := s.d.InsertOrder(); col != "" {
		order += ", " + col + " DESC"
	}
	var data string
	err := q.QueryRowContext(ctx, s.d.Rebind("SELECT input_state FROM input_states WHERE pid = ? AND input_type = ? ORDER BY "+order+" LIMIT 1"), pid, kind).Scan(&data)
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
	workflowID   uuid.UUID
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
	note         sql.NullString
}

func (s *store) process(ctx context.Context, q querier, pid uuid.UUID, lock bool) (*processRow, error) {
	query := "SELECT p.pid, w.name, w.target, p.is_task, p.last_status, p.last_step, p.assignee, p.failed_reason, p.traceback, " +
		"p.created_by, p.started_at, p.last_modified_at, p.workflow_id, p.note FROM processes p JOIN workflows w ON w.workflow_id = p.workflow_id WHERE p.pid = ?"
	if lock {
		query += s.d.ForUpdateOf("p")
	}
	var p processRow
	var status string
	err := q.QueryRowContext(ctx, s.d.Rebind(query), pid).Scan(&p.pid, &p.workflow, &p.target, &p.isTask, &status, &p.lastStep, &p.assignee,
		&p.failedReason, &p.traceback, &p.createdBy, database.ScanTime{T: &p.startedAt}, database.ScanTime{T: &p.lastModified}, &p.workflowID, &p.note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("process: %s: %w", pid, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("process: reading %s: %w", pid, err)
	}
	p.status = Status(status)
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
	rows, err := q.QueryContext(ctx, s.d.Rebind("SELECT stepid, name, status, state, created_by, started_at, completed_at FROM process_steps WHERE pid = ? ORDER BY "+s.stepOrder()), pid)
	if err != nil {
		return nil, fmt.Errorf("process: reading the steps of %s: %w", pid, err)
	}
	defer rows.Close()
	var out []*stepRow
	for rows.Next() {
		var r stepRow
		var status, state string
		if err := rows.Scan(&r.id, &r.name, &status, &state, &r.createdBy, database.ScanTime{T: &r.startedAt}, database.ScanTime{T: &r.completedAt}); err != nil {
			return nil, fmt.Errorf("process: reading the steps of %s: %w", pid, err)
		}
		r.status = workflow.StepStatus(status)
		if r.state, err = workflow.ParseState([]byte(state)); err != nil {
			return nil, fmt.Errorf("process: step %s of %s: %w", r.name, pid, err)
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
	_, err = q.ExecContext(ctx, s.d.Rebind("INSERT INTO process_steps (stepid, pid, name, status, state, created_by, started_at, completed_at, commit_hash) "+
		"VALUES (?, ?, ?, ?, ?, ?, ?, "+s.d.Now()+", ?)"), r.id, pid, r.name, string(r.status), string(data), r.createdBy, s.d.Time(r.startedAt), hash)
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
	_, err = q.ExecContext(ctx, s.d.Rebind("UPDATE process_steps SET status = ?, state = ?, completed_at = "+s.d.Now()+" WHERE stepid = ?"), string(r.status), string(data), r.id)
	if err != nil {
		return fmt.Errorf("process: updating step %q: %w", r.name, err)
	}
	return nil
}

// errNotRunning means the process stopped being running under the runner (it was aborted): the runner stops.
var errNotRunning = errors.New("process is no longer running")

// updateAfterStep records a step's outcome on the process row, only while the process is running and the run's
// lease token still holds it: a process aborted meanwhile keeps its status, a run whose lease expired and was
// rescued (its engine stalled past the expiry) writes nothing, and either way the step's work is rolled back. On
// PostgreSQL the same statement renews the lease; the update of the lease row waits for, and reads again after, a
// rescue deleting it at the same time, so the check never passes on a stale view. On SQLite the step's write
// transaction holds the whole database from BEGIN, so no rescue runs meanwhile: the statement only reads the lease
// (the engine renews it apart, and the expiry is read there only so that both statements take the same arguments).
// It returns the engine's global lock as it is now, so the runner knows whether to go on without asking again.
func (s *store) updateAfterStep(ctx context.Context, q querier, pid, token uuid.UUID, expiry time.Duration, step string, status Status, assignee workflow.Assignee, reason, traceback sql.NullString) (locked bool, err error) {
	update := " UPDATE processes SET last_step = ?, last_status = ?, assignee = ?, failed_reason = ?, traceback = ?, last_modified_at = " + s.d.Now() +
		" WHERE pid = (SELECT pid FROM lease) AND last_status = 'running' RETURNING (SELECT global_lock FROM engine_settings LIMIT 1)"
	query := database.Variants{
		Postgres: "WITH lease AS (UPDATE wfo_process_leases SET expires_at = " + s.d.NowPlus("?") + " WHERE pid = ? AND token = ? RETURNING pid)" + update,
		SQLite:   "WITH lease AS (SELECT pid FROM wfo_process_leases WHERE ? IS NOT NULL AND pid = ? AND token = ?)" + update,
	}.For(s.d)
	err = q.QueryRowContext(ctx, query, expiry.Milliseconds(), pid, token, step, string(status), string(assignee), limitReason(reason), limitTraceback(traceback)).Scan(&locked)
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
	query := "UPDATE processes SET last_status = ?, last_modified_at = " + s.d.Now() + " WHERE pid = ?"
	if len(from) > 0 {
		query += " AND last_status IN (" + quoteStatuses(from) + ")"
	}
	res, err := q.ExecContext(ctx, s.d.Rebind(query), string(to), pid)
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
	_, err := q.ExecContext(ctx, s.d.Rebind("UPDATE processes SET last_step = ?, last_status = 'aborted', assignee = 'SYSTEM', failed_reason = NULL, traceback = NULL, "+
		"last_modified_at = "+s.d.Now()+" WHERE pid = ?"), AbortStepName, pid)
	if err != nil {
		return fmt.Errorf("process: aborting %s: %w", pid, err)
	}
	return nil
}

// failProcess marks the process failed (unless it waits for a retry), if the run's lease token still holds it.
func (s *store) failProcess(ctx context.Context, q querier, pid, token uuid.UUID, reason, traceback string) error {
	_, err := q.ExecContext(ctx, s.d.Rebind("UPDATE processes SET last_step = 'Unknown', last_status = 'failed', failed_reason = ?, traceback = ?, last_modified_at = "+s.d.Now()+
		" WHERE pid = ? AND last_status <> 'waiting' AND "+leaseHeld), firstChars(reason, maxFailedReason), lastChars(traceback, maxTraceback), pid, pid, token)
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

// leaseHeld is the condition, at the end of a statement about processes and taking the process id and a lease token
// as its last two arguments, that the token holds the process's lease: what a run writes, it writes only while its
// claim lasts.
const leaseHeld = "EXISTS (SELECT 1 FROM wfo_process_leases l WHERE l.pid = ? AND l.token = ?)"

// setRunStatus sets a running process to the status to, if the run's lease token still holds it.
func (s *store) setRunStatus(ctx context.Context, q querier, pid, token uuid.UUID, to Status) (bool, error) {
	res, err := q.ExecContext(ctx, s.d.Rebind("UPDATE processes SET last_status = ?, last_modified_at = "+s.d.Now()+" WHERE pid = ? AND last_status = ? AND "+leaseHeld),
		string(to), pid, string(Running), pid, token)
	if err != nil {
		return false, fmt.Errorf("process: setting %s to %s: %w", pid, to, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("process: setting %s to %s: %w", pid, to, err)
	}
	return n > 0, nil
}

// handBack returns a process claimed and not started to the runnable ones (resumed), and ends the claim.
func (s *store) handBack(ctx context.Context, pid, token uuid.UUID) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.setRunStatus(ctx, tx, pid, token, Resumed); err != nil {
			return err
		}
		return s.releaseLease(ctx, tx, pid, token)
	})
}

// claim makes a runnable process running under a new lease of owner and returns the lease's token; Nil when the
// process is not runnable. Exactly one of several engines claiming the same process at once succeeds.
func (s *store) claim(ctx context.Context, pid uuid.UUID, owner string, expiry time.Duration) (uuid.UUID, error) {
	var token uuid.UUID
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ok, err := s.setStatus(ctx, tx, pid, Running, runnable...)
		if err != nil || !ok {
			return err
		}
		token, err = s.acquireLease(ctx, tx, pid, owner, expiry)
		return err
	})
	if err != nil {
		return uuid.Nil, err
	}
	return token, nil
}

// claimBatch claims up to n runnable processes for owner, oldest first, skipping rows other engines hold locked,
// unless the engine is paused.
func (s *store) claimBatch(ctx context.Context, n int, owner string, expiry time.Duration) ([]job, error) {
	var pids []uuid.UUID
	var claimed []job
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.d.Rebind("SELECT pid FROM processes WHERE last_status IN ("+quoteStatuses(runnable)+
			") AND NOT (SELECT global_lock FROM engine_settings LIMIT 1) ORDER BY last_modified_at LIMIT ?"+s.d.SkipLocked()), n)
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
		for _, pid := range pids {
			ok, err := s.setStatus(ctx, tx, pid, Running, runnable...)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			token, err := s.acquireLease(ctx, tx, pid, owner, expiry)
			if err != nil {
				return err
			}
			claimed = append(claimed, job{pid: pid, token: token})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return claimed, nil
}

// check reads, before a step, whether the engine is paused, whether the process is still running, and whether the
// run's lease token still holds it.
func (s *store) check(ctx context.Context, pid, token uuid.UUID) (locked bool, status Status, held bool, err error) {
	var st string
	err = s.db.QueryRowContext(ctx, s.d.Rebind("SELECT (SELECT global_lock FROM engine_settings LIMIT 1), last_status, "+
		"EXISTS (SELECT 1 FROM wfo_process_leases l WHERE l.pid = ? AND l.token = ?) FROM processes WHERE pid = ?"), pid, token, pid).Scan(&locked, &st, &held)
	if err != nil {
		return false, "", false, fmt.Errorf("process: checking %s: %w", pid, err)
	}
	return locked, Status(st), held, nil
}

// engineSettings reads the global lock and counts the processes running under a lease that has not expired.
func (s *store) engineSettings(ctx context.Context) (locked bool, running int, err error) {
	// Counted from the leases, which only the running processes hold, so the processes table (no index on
	// last_status) is not scanned.
	err = s.db.QueryRowContext(ctx, "SELECT global_lock, (SELECT count(*) FROM wfo_process_leases l WHERE l.expires_at >= "+s.d.Now()+
		" AND EXISTS (SELECT 1 FROM processes p WHERE p.pid = l.pid AND p.last_status = 'running')) FROM engine_settings LIMIT 1").Scan(&locked, &running)
	if err != nil {
		return false, 0, fmt.Errorf("process: reading engine_settings: %w", err)
	}
	return locked, running, nil
}

// globalLock reads engine_settings.global_lock alone.
func (s *store) globalLock(ctx context.Context) (locked bool, err error) {
	if err = s.db.QueryRowContext(ctx, "SELECT global_lock FROM engine_settings LIMIT 1").Scan(&locked); err != nil {
		return false, fmt.Errorf("process: reading engine_settings: %w", err)
	}
	return locked, nil
}

func (s *store) setLock(ctx context.Context, locked bool) error {
	if _, err := s.db.ExecContext(ctx, s.d.Rebind("UPDATE engine_settings SET global_lock = ?"), locked); err != nil {
		return fmt.Errorf("process: setting the global lock: %w", err)
	}
	return nil
}

func (s *store) pidsWithStatus(ctx context.Context, statuses ...Status) ([]uuid.UUID, error) {
	return queryPIDs(ctx, s.db, "listing processes", "SELECT pid FROM processes WHERE last_status IN ("+quoteStatuses(statuses)+") ORDER BY last_modified_at")
}

func (s *store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return database.InTx(ctx, s.db, fn)
}
