package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/wfo-go/wfo/database"
)

// sqlStore is the store on wfo's database. Its queries are written once, with ? placeholders; the database
// package binds them and the timestamps for the dialect.
type sqlStore struct {
	db *database.DB
	d  database.Dialect
}

func newSQLStore(db *database.DB) *sqlStore { return &sqlStore{db: db, d: db.Dialect} }

// errNoStateTable is the error of a scheduler run on a database that was never upgraded: the state table is
// created by a revision of wfo's own (package coremigration), not at run time.
var errNoStateTable = errors.New("scheduler: the table wfo_schedule_state does not exist: run db upgrade heads first")

const stateColumns = "name, rule, next_run_at, version, last_started_at, last_finished_at, last_status, last_error, last_owner"

func (s *sqlStore) exec(ctx context.Context, query string, args ...any) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.d.Rebind(query), args...)
	if err != nil {
		return false, fmt.Errorf("scheduler: wfo_schedule_state: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("scheduler: wfo_schedule_state: %w", err)
	}
	return n == 1, nil
}

func (s *sqlStore) exists(ctx context.Context) (bool, error) {
	ok, err := s.d.TableExists(ctx, s.db, "wfo_schedule_state")
	if err != nil {
		return false, fmt.Errorf("scheduler: %w", err)
	}
	return ok, nil
}

func (s *sqlStore) ensure(ctx context.Context) error {
	ok, err := s.exists(ctx)
	if err != nil || ok {
		return err
	}
	return errNoStateTable
}

func (s *sqlStore) load(ctx context.Context) (map[string]state, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+stateColumns+" FROM wfo_schedule_state")
	if err != nil {
		return nil, fmt.Errorf("scheduler: reading wfo_schedule_state: %w", err)
	}
	defer rows.Close()
	out := map[string]state{}
	for rows.Next() {
		var st state

		var status, errText, owner sql.NullString
		if err := rows.Scan(&st.Name, &st.Rule, database.ScanTime{T: &st.Next}, &st.Version, database.ScanTime{T: &st.LastStarted}, database.ScanTime{T: &st.LastFinished}, &status, &errText, &owner); err != nil {
			return nil, fmt.Errorf("scheduler: reading wfo_schedule_state: %w", err)
		}
		st.LastStatus, st.LastError, st.LastOwner = Status(status.String), errText.String, owner.String
		out[st.Name] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("scheduler: reading wfo_schedule_state: %w", err)
	}
	return out, nil
}

func (s *sqlStore) plan(ctx context.Context, name, rule string, next time.Time, version int64) (bool, error) {
	if version == 0 {
		return s.exec(ctx, "INSERT INTO wfo_schedule_state (name, rule, next_run_at, version) VALUES (?, ?, ?, 1) ON CONFLICT (name) DO NOTHING",
			name, rule, s.d.Time(next))
	}
	return s.exec(ctx, "UPDATE wfo_schedule_state SET rule = ?, next_run_at = ?, version = version + 1 WHERE name = ? AND version = ?",
		rule, s.d.Time(next), name, version)
}

func (s *sqlStore) claim(ctx context.Context, name string, version int64, started, next time.Time, owner string) (bool, error) {
	return s.exec(ctx, "UPDATE wfo_schedule_state SET next_run_at = ?, version = version + 1, last_started_at = ?, last_finished_at = NULL, "+
		"last_status = ?, last_error = NULL, last_owner = ? WHERE name = ? AND version = ?",
		s.d.Time(next), s.d.Time(started), string(Running), owner, name, version)
}

func (s *sqlStore) finish(ctx context.Context, name string, version int64, finished, next time.Time, status Status, errText string) (bool, error) {
	return s.exec(ctx, "UPDATE wfo_schedule_state SET next_run_at = ?, version = version + 1, last_finished_at = ?, last_status = ?, "+
		"last_error = ? WHERE name = ? AND version = ?",
		s.d.Time(next), s.d.Time(finished), string(status), sql.NullString{String: errText, Valid: errText != ""}, name, version)
}
